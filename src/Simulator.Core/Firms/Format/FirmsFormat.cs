using System.Globalization;
using Simulator.Core.Distributions;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Firms.Format;

/// <summary>The <c>firms</c> list of the scenario format: defaults, validation, firm tapes and the build of <see cref="FirmsInstrument"/>.</summary>
public sealed class FirmsFormat : InstrumentFormat<FirmSpec>
{
    /// <summary>Default years from entry to the latest exit.</summary>
    public const int HoldYears = 10;

    /// <summary>Default outcome model of the equity (and the warrant's multiple).</summary>
    public const string Outcomes = "seed";

    /// <summary>Folder of the copied firm tapes, relative to scenario.json.</summary>
    public const string TapeFolder = "firm-tapes";

    /// <inheritdoc/>
    public override string Kind => FirmsInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "firms";

    /// <inheritdoc/>
    public override string Noun => "firm book";

    /// <inheritdoc/>
    /// <remarks>Reads the outcome models of the equity legs.</remarks>
    public override IReadOnlyList<string>? SharedFields => ["outcomes"];

    /// <inheritdoc/>
    /// <remarks>Added after the first results were published: a file without firms keeps its scenario.json.</remarks>
    public override bool ListedWhenAbsent => false;

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The outcome model of a book (its equity's, else the default).</summary>
    public static string OutcomeName(FirmSpec f) => f.Equity?.Outcomes ?? Outcomes;

    /// <inheritdoc/>
    public override IEnumerable<string> OutcomeModels(FirmSpec item) => item.Equity is not null || item.Warrant is not null ? [OutcomeName(item)] : [];

    /// <inheritdoc/>
    public override int DefaultHorizonYears(FirmSpec f) =>
        (f.Years ?? 1) + Math.Max((f.Loan?.TermYears ?? 1) - 1, f.Equity is not null || f.Warrant is not null ? f.Equity?.HoldYears ?? HoldYears : 0);

    /// <inheritdoc/>
    public override FirmSpec Fill(FirmSpec f) => f with
    {
        Loan = (f.Loan ?? new FirmLoanSpec()) with
        {
            TermYears = f.Loan?.TermYears ?? 1, Lgd = f.Loan?.Lgd ?? DistributionSpec.Fixed(1),
            Rate = f.Loan?.Rate ?? DistributionSpec.Fixed(0), FundingRate = f.Loan?.FundingRate ?? DistributionSpec.Fixed(0),
        },
        Equity = f.Equity is not { } e ? null : e with { Outcomes = e.Outcomes ?? Outcomes, Holder = e.Holder ?? EquityHolder.Bank, HoldYears = e.HoldYears ?? HoldYears },
        Warrant = f.Warrant is not { } w ? null : w with { StrikeMultiple = w.StrikeMultiple ?? 1 },
        Link = f.Link ?? 0,
        Exposure = f.Exposure ?? [],
        Compensation = f.Compensation is not { } c ? null : c with { CreditLoss = c.CreditLoss ?? 0, InvestmentLoss = c.InvestmentLoss ?? 0 },
    };

    /// <summary>The optional tape columns a book's blocks give no value for.</summary>
    private static List<string> NeededFromTape(FirmSpec f)
    {
        var needed = new List<string>();
        if (f.Loan?.Amount is null) needed.Add("amount");
        if (f.Loan?.Pd is null) needed.Add("pd");
        if (f.Equity is not null && f.Equity.Check is null) needed.Add("check");
        if (f.Warrant is not null && f.Warrant.Notional is null) needed.Add("notional");
        return needed;
    }

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<FirmSpec> books, string listPath, FormatContext context)
    {
        for (int i = 0; i < books.Count; i++) Book(books[i], $"{listPath}[{i}]", context);
        for (int i = 0; i < books.Count; i++)
        {
            var f = books[i];
            if (f.FirmTape is not { } tape || f.PerYear is not null || f.Years is not null) continue;
            string jsonPath = $"{listPath}[{i}].firmTape";
            if (InputFile.Resolve(context.BaseDirectory, tape, "firm tape", "tapes/firms.csv", out string? outside) is not { } resolved)
            {
                context.Add(jsonPath, outside!);
                continue;
            }
            string display = Path.Combine(Path.GetDirectoryName(context.FileLabel) ?? "", tape);
            var needed = NeededFromTape(f);
            string cacheKey = "firmTape\u001f" + resolved + "\u001f" + string.Join(",", context.Factors) + "\u001f" + string.Join(",", needed);
            if (context.FileCache.TryGetValue(cacheKey, out var cached)) context.Loaded[i] = cached;
            else if (FirmTapeReader.Read(resolved, display, jsonPath, context.Factors, needed, context.FileErrors) is { } read) context.Loaded[i] = context.FileCache[cacheKey] = read;
        }
        long firms = books.Sum(f => f is { PerYear: { } perYear, Years: { } years } ? (long)perYear * years : 0)
            + context.Loaded.Values.OfType<FirmTape>().Sum(t => (long)t.Ids.Count);
        if (firms > ScenarioLimits.LoansPerTrial)
            context.Add(listPath, $"the books hold {ScenarioLimits.Count(firms)} firms in all (perYear × years, plus the rows of firm tapes); a trial may hold at most {ScenarioLimits.Count(ScenarioLimits.LoansPerTrial)} firms");
    }

    private static void Book(FirmSpec f, string path, FormatContext context)
    {
        bool generated = f.PerYear is not null || f.Years is not null;
        if (generated && f.FirmTape is not null)
            context.Add(path, "both \"perYear\"/\"years\" and \"firmTape\" are given; keep one");
        else if (!generated && f.FirmTape is null)
            context.Add(path, "missing firms: give \"perYear\" and \"years\" (firms entering in years 1..years) or \"firmTape\" (a CSV file)");
        else if (generated && (f.PerYear is null || f.Years is null))
            context.Add(path + (f.PerYear is null ? ".perYear" : ".years"), $"missing {(f.PerYear is null ? "perYear" : "years")}: generated firms need both perYear and years");
        if (f.Exposure is { } exposure) context.Exposure(exposure, path + ".exposure");
        if (f.Loan is { } loan)
        {
            string lp = path + ".loan";
            if (f.FirmTape is null)
            {
                if (loan.Amount is null) context.Add(lp, "missing amount: give the loan amount (CNY), a number or a distribution");
                if (loan.Pd is null) context.Add(lp, "missing pd: give the annual probability of default");
            }
            Law(loan.Amount, lp + ".amount", 0, 1e15, true, "a loan amount (CNY) must be ≥ 0 with a positive mean and stay ≤ 1e15", context);
            Law(loan.Pd, lp + ".pd", 0, 1, false, "an annual probability of default lies in [0, 1]", context);
            Law(loan.Lgd, lp + ".lgd", 0, 1, false, "a loss given default lies in [0, 1]", context);
            Law(loan.Rate, lp + ".rate", -1, 1, false, "an interest rate lies in [−1, 1]", context);
            Law(loan.FundingRate, lp + ".fundingRate", -1, 1, false, "a funding rate lies in [−1, 1]", context);
        }
        if (f.Equity is { } equity)
        {
            if (equity.Check is null && f.FirmTape is null) context.Add(path + ".equity", "missing check: give the equity check per firm (CNY)");
            Law(equity.Check, path + ".equity.check", 0, 1e15, false, "an equity check (CNY) lies in [0, 1e15]", context);
        }
        if (f.Warrant is { } warrant)
        {
            if (warrant.Notional is null && f.FirmTape is null) context.Add(path + ".warrant", "missing notional: give the warrant's notional per firm (CNY)");
            Law(warrant.Notional, path + ".warrant.notional", 0, 1e15, false, "a warrant notional (CNY) lies in [0, 1e15]", context);
        }
        string outcome = OutcomeName(f);
        if ((f.Equity is not null || f.Warrant is not null) && !context.OutcomeModelNames.Contains(outcome))
            context.Add(path + ".equity.outcomes", $"unknown outcome model '{outcome}'{SpecBinder.Suggest(outcome, context.OutcomeModelNames)}; allowed: the presets seed, angel, venture or a model defined under \"outcomes\"");
    }

    // A law's support must lie in [min, max] (a positive mean when minExclusive: an amount that is never 0 on average).
    private static void Law(DistributionSpec? spec, string path, double min, double max, bool positiveMean, string rule, FormatContext context)
    {
        if (spec is null || context.HasError(path)) return;
        var d = spec.Build();
        if (d.SupportMin < min || (positiveMean && d.Mean <= 0))
            context.Add(path, $"{rule}; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
        else if (d.SupportMax > max && DrawLimits.Draws(d).High > Math.Min(max, DrawLimits.MaxDraw))
            context.Add(path, $"{rule}; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]: narrow it");
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<FirmSpec> filled, BuildContext context)
    {
        var books = new List<FirmBook>();
        for (int i = 0; i < filled.Count; i++)
        {
            var f = filled[i];
            var loan = f.Loan!;
            Distribution zero = new FixedDistribution(0);
            Distribution? Built(DistributionSpec? d) => d?.Build();
            var amount = Built(loan.Amount);
            var pd = Built(loan.Pd);
            var lgd = loan.Lgd!.Build();
            var rate = loan.Rate!.Build();
            var funding = loan.FundingRate!.Build();
            var check = f.Equity is { } e ? Built(e.Check) : zero;
            var notional = f.Warrant is { } w ? Built(w.Notional) : zero;
            double strike = f.Warrant?.StrikeMultiple ?? 1;
            var loadings = context.Loadings(f.Exposure!);
            var firms = new List<FirmTerms>();
            string source;
            if (f.FirmTape is null)
            {
                for (int y = 1; y <= f.Years!.Value; y++)
                {
                    var terms = new FirmTerms(y, amount!, loan.TermYears!.Value, pd!, lgd, rate, funding, check!, notional!, strike, f.Link!.Value, loadings);
                    for (int k = 0; k < f.PerYear!.Value; k++) firms.Add(terms);
                }
                source = $"{f.PerYear!.Value.ToString(CultureInfo.InvariantCulture)} a year for {f.Years!.Value.ToString(CultureInfo.InvariantCulture)} year{(f.Years == 1 ? "" : "s")}";
            }
            else
            {
                var tape = (FirmTape)context.Loaded(i)!;
                Distribution Value(string column, int row, Distribution? fallback) =>
                    tape.Values.TryGetValue(column, out var v) ? new FixedDistribution(v[row]) : fallback!;
                bool tapeLoadings = context.Factors.Any(k => tape.Values.ContainsKey(k.Name));
                var order = Enumerable.Range(0, tape.Ids.Count).OrderBy(r => tape.EntryYear[r]).ThenBy(r => r).ToArray();
                foreach (int r in order)
                {
                    var rowLoadings = tapeLoadings
                        ? context.Factors.Select(k => tape.Values.TryGetValue(k.Name, out var v) ? v[r] : 0).ToArray()
                        : loadings;
                    firms.Add(new FirmTerms(tape.EntryYear[r], Value("amount", r, amount),
                        tape.Values.TryGetValue("termYears", out var term) ? (int)term[r] : loan.TermYears!.Value,
                        Value("pd", r, pd), Value("lgd", r, lgd), Value("rate", r, rate), Value("fundingRate", r, funding),
                        f.Equity is null ? zero : Value("check", r, check), f.Warrant is null ? zero : Value("notional", r, notional),
                        tape.Values.TryGetValue("strikeMultiple", out var k) ? k[r] : strike,
                        tape.Values.TryGetValue("link", out var l) ? l[r] : f.Link!.Value, rowLoadings));
                }
                source = $"firm tape {f.FirmTape} ({tape.Ids.Count.ToString(CultureInfo.InvariantCulture)} firms)";
            }
            bool drawsMultiple = f.Equity is not null || f.Warrant is not null;
            var outcomes = drawsMultiple ? context.Outcome(OutcomeName(f)) : new Outcomes.OutcomeModel("none", 1, 0, null, null, double.PositiveInfinity, 1, null, null, null);
            var c = f.Compensation;
            books.Add(new FirmBook(f.Name!, firms, f.Equity is not null, f.Warrant is not null, outcomes,
                f.Equity?.Holder ?? EquityHolder.Bank, drawsMultiple ? f.Equity?.HoldYears ?? HoldYears : 0, loan.ReferenceRate ?? double.NaN,
                c is null ? Compensation.None : new Compensation(c.CreditLoss!.Value, c.InvestmentLoss!.Value, c.Budget ?? double.PositiveInfinity), source));
        }
        return new FirmsInstrument(books, context.Factors);
    }

    /// <inheritdoc/>
    public override FirmSpec WithCopiedFiles(FirmSpec f, string baseDirectory, Func<string, string, string, string> copy)
    {
        if (f.FirmTape is not { } tape || InputFile.Resolve(baseDirectory, tape, "firm tape", "tapes/firms.csv", out _) is not { } resolved) return f;
        return f with { FirmTape = copy(resolved, TapeFolder, f.Name + ".csv") };
    }
}
