using System.Globalization;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Guarantees.Format;

/// <summary>The <c>guarantees</c> list of the scenario format: defaults, validation, loan tapes and the build of <see cref="GuaranteesInstrument"/>.</summary>
public sealed class GuaranteesFormat : InstrumentFormat<GuaranteeSpec>
{
    /// <summary>Default leverage cap: financing-guarantee companies may guarantee at most 10× net assets.</summary>
    public const double LeverageCap = 10;

    /// <summary>Folder of the copied loan tapes, relative to scenario.json.</summary>
    public const string TapeFolder = "loan-tapes";

    /// <inheritdoc/>
    public override string Kind => GuaranteesInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "guarantees";

    /// <inheritdoc/>
    public override string Noun => "guarantee";

    /// <inheritdoc/>
    /// <remarks>Reads nothing outside its own list.</remarks>
    public override IReadOnlyList<string>? SharedFields => [];

    /// <inheritdoc/>
    /// <remarks>Who pays each default: the shares, the pool's budget, cap and shortfall rule, the guarantor's capital, leverage
    /// cap, fees, costs and yield, and the payout trigger. The defaults themselves depend on the loans and the factors only,
    /// as long as every year's offer is issued whole (checked per trial by the replay).</remarks>
    public override IReadOnlyList<string> ReplayFields =>
        ["guarantees[*].shares", "guarantees[*].government", "guarantees[*].guarantor", "guarantees[*].suspendAbovePayoutRate"];

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override int DefaultHorizonYears(GuaranteeSpec g) => g.Loans is { } l ? (l.Years ?? 1) + (l.TermYears ?? 1) - 1 : 1;

    /// <inheritdoc/>
    public override GuaranteeSpec Fill(GuaranteeSpec g) => g with
    {
        Loans = g.Loans is not { } l ? null : l with { TermYears = l.TermYears ?? 1, Lgd = l.Lgd ?? DistributionSpec.Fixed(1), Exposure = l.Exposure ?? [] },
        Shares = new SharesSpec { Guarantor = g.Shares?.Guarantor ?? 0, ReGuarantee = g.Shares?.ReGuarantee ?? 0, Bank = g.Shares?.Bank ?? 0, Government = g.Shares?.Government ?? 0 },
        Guarantor = g.Guarantor is not { } q ? null : q with
        {
            LeverageCap = q.LeverageCap ?? LeverageCap, FeeRate = q.FeeRate ?? 0, CostRate = q.CostRate ?? 0, Yield = q.Yield ?? 0,
        },
        Government = (g.Government ?? new GovernmentPoolSpec()) with { ShortfallTo = g.Government?.ShortfallTo ?? ShortfallTo.Guarantor },
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<GuaranteeSpec> guarantees, string listPath, FormatContext context)
    {
        for (int i = 0; i < guarantees.Count; i++) Guarantee(guarantees[i], $"{listPath}[{i}]", context);
        for (int i = 0; i < guarantees.Count; i++)
        {
            if (guarantees[i].LoanTape is not { } tape || guarantees[i].Loans is not null) continue;
            string jsonPath = $"{listPath}[{i}].loanTape";
            if (LoanTapeReader.Resolve(context.BaseDirectory, tape, out string? outside) is not { } resolved)
            {
                context.Add(jsonPath, outside!);
                continue;
            }
            string display = Path.Combine(Path.GetDirectoryName(context.FileLabel) ?? "", tape);
            // A variant usually keeps its base's tape: read each (tape, factors) once per file.
            string cacheKey = "loanTape\u001f" + resolved + "\u001f" + string.Join(",", context.Factors);
            if (context.FileCache.TryGetValue(cacheKey, out var cached)) context.Loaded[i] = cached;
            else if (LoanTapeReader.Read(resolved, display, jsonPath, context.Factors, context.FileErrors) is { } book) context.Loaded[i] = context.FileCache[cacheKey] = book;
        }
        long loans = guarantees.Sum(g => g.Loans is { PerYear: { } perYear, Years: { } years } ? (long)perYear * years : 0)
            + context.Loaded.Values.OfType<LoanBook>().Sum(t => (long)t.Count);
        if (loans > ScenarioLimits.LoansPerTrial)
            context.Add(listPath, $"the schemes offer {ScenarioLimits.Count(loans)} loans in all (perYear × years of generated books, plus the rows of loan tapes); a trial may hold at most {ScenarioLimits.Count(ScenarioLimits.LoansPerTrial)} loans");
    }

    private static void Guarantee(GuaranteeSpec g, string path, FormatContext context)
    {
        if ((g.Loans is null) == (g.LoanTape is null))
            context.Add(path, g.Loans is null
                ? "missing loans: give either \"loans\" (generated cohorts) or \"loanTape\" (a CSV file)"
                : "both \"loans\" and \"loanTape\" are given; keep one");
        if (g.Shares is { } sh)
        {
            double sum = (sh.Guarantor ?? 0) + (sh.ReGuarantee ?? 0) + (sh.Bank ?? 0) + (sh.Government ?? 0);
            if (Math.Abs(sum - 1) > 1e-9)
                context.Add(path + ".shares", $"the shares sum to {F(sum)}; they must sum to 1 (e.g. 4222: guarantor 0.4, reGuarantee 0.2, bank 0.2, government 0.2)");
            if ((sh.Guarantor ?? 0) > 0 && g.Guarantor is null)
                context.Add(path, $"shares.guarantor is {F(sh.Guarantor!.Value)} but there is no \"guarantor\" block; add one with at least its capital");
        }
        var shortfall = g.Government?.ShortfallTo ?? ShortfallTo.Guarantor;
        bool limited = g.Government?.Budget is not null || g.Government?.CapRate is not null;
        bool shortfallMisspelt = context.HasError(path + ".government.shortfallTo");
        if (g.SuspendAbovePayoutRate is not null && g.Guarantor is null)
            context.Add(path + ".suspendAbovePayoutRate", "the payout-rate trigger suspends a guarantor, but this scheme has no \"guarantor\" block; remove the trigger or add a guarantor");
        if (limited && !shortfallMisspelt && shortfall == ShortfallTo.Guarantor && g.Guarantor is null && (g.Shares?.Government ?? 0) > 0)
            context.Add(path + ".government.shortfallTo", "the pool's shortfall goes to the guarantor (the default) but there is no \"guarantor\" block; set shortfallTo to bank or proRata, or add a guarantor");
        if (g.PdGrading is not null && g.Loans is not null)
            context.Add(path + ".pdGrading", "pdGrading grades the PDs of a loan tape, but this scheme's loans are generated with one PD (\"loans\"); remove pdGrading, or give the loans as a \"loanTape\"");
        if (g.Loans is { } loans)
        {
            string lp = path + ".loans";
            if (loans.Exposure is { } exposure) context.Exposure(exposure, lp + ".exposure");
            if (loans.Amount is { } amount)
            {
                var d = amount.Build();
                if (d.SupportMin < 0 || d.Mean <= 0)
                    context.Add(lp + ".amount", $"a loan amount must be ≥ 0 with a positive mean; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
                else if (loans.MaxPerBorrower is null && DrawLimits.Draws(d).High > DrawLimits.MaxDraw)
                    context.Add(lp + ".amount", $"{DrawLimits.TooLarge(d)}; a loan amount must stay ≤ 1e15 (CNY): narrow the distribution or set maxPerBorrower");
            }
            if (loans.Lgd is { } lgd)
            {
                var d = lgd.Build();
                if (d.SupportMin < 0 || d.SupportMax > 1)
                    context.Add(lp + ".lgd", $"a loss given default lies in [0, 1]; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
            }
        }
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<GuaranteeSpec> filled, BuildContext context)
    {
        var guarantees = new List<Guarantee>();
        for (int i = 0; i < filled.Count; i++)
        {
            var g = filled[i];
            LoanBook book;
            if (g.Loans is { } l)
            {
                book = new GeneratedBook(l.PerYear!.Value, l.Years!.Value, l.Amount!.Build(), l.MaxPerBorrower ?? double.PositiveInfinity,
                    l.TermYears!.Value, l.Pd!.Value, l.Lgd!.Build(), context.Loadings(l.Exposure!));
            }
            else
            {
                book = (LoanBook)context.Loaded(i)!;
            }
            PdGradingSummary? grading = null;
            if (g.PdGrading?.MaxRelativeError is { } maxRelativeError && book is TapeBook tape) (book, grading) = PdGrading.Grade(tape, maxRelativeError);
            var sh = g.Shares!;
            var guarantor = g.Guarantor is { } q ? new GuarantorTerms(q.Capital!.Value, q.LeverageCap!.Value, q.FeeRate!.Value, q.CostRate!.Value, q.Yield!.Value) : null;
            var pool = new GovernmentPoolTerms(g.Government!.Budget ?? double.PositiveInfinity, g.Government.CapRate ?? double.PositiveInfinity, g.Government.ShortfallTo!.Value);
            var guarantee = new Guarantee(g.Name!, book, new Shares(sh.Guarantor!.Value, sh.ReGuarantee!.Value, sh.Bank!.Value, sh.Government!.Value),
                guarantor, pool, g.SuspendAbovePayoutRate ?? double.PositiveInfinity) { PdGrading = grading };
            foreach (var stress in context.ModelStresses)
                if (stress.Guarantees is not { } only || only.Contains(guarantee.Name)) guarantee = Apply(stress, guarantee);
            guarantees.Add(guarantee);
        }
        return new GuaranteesInstrument(guarantees, context.Report.Exceedance!);
    }

    private static Guarantee Apply(StressSpec stress, Guarantee g)
    {
        if (stress.Use != StressSpec.DefaultRatesUp) return g;
        double k = stress.Multiplier!.Value;
        LoanBook book = g.Book switch
        {
            GeneratedBook b => new GeneratedBook(b.PerYear, b.Years, b.Amount, b.MaxPerBorrower, b.TermYears, Math.Min(1, b.Classes[0].Pd * k), b.Lgd, b.Classes[0].Loadings),
            TapeBook t => new TapeBook(t.Path, t.Ids, t.Amount, t.LgdValues, t.StartYear, t.TermYears, t.ClassOf,
                t.Classes.Select(c => c with { Pd = Math.Min(1, c.Pd * k) }).ToList()),
            _ => g.Book,
        };
        return g with { Book = book };
    }

    /// <inheritdoc/>
    public override GuaranteeSpec WithCopiedFiles(GuaranteeSpec g, string baseDirectory, Func<string, string, string, string> copy)
    {
        if (g.LoanTape is not { } tape || LoanTapeReader.Resolve(baseDirectory, tape, out _) is not { } resolved) return g;
        return g with { LoanTape = copy(resolved, TapeFolder, g.Name + ".csv") };
    }
}
