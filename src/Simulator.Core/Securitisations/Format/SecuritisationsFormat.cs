using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Securitisations.Format;

/// <summary>The <c>securitisations</c> list of the scenario format: defaults, validation and the build of <see cref="SecuritisationsInstrument"/>.</summary>
public sealed class SecuritisationsFormat : InstrumentFormat<SecuritisationSpec>
{
    /// <summary>Most loans a deal's pool may hold (a securitised pool is small; large pools belong to "guarantees").</summary>
    public const int MaxLoans = 1000;

    /// <inheritdoc/>
    public override string Kind => SecuritisationsInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "securitisations";

    /// <inheritdoc/>
    public override string Noun => "securitisation";

    /// <inheritdoc/>
    /// <remarks>Reads nothing outside its own list.</remarks>
    public override IReadOnlyList<string>? SharedFields => [];

    /// <inheritdoc/>
    public override bool ListedWhenAbsent => false;

    /// <inheritdoc/>
    public override int DefaultHorizonYears(SecuritisationSpec s) => (s.Loans ?? []).Select(l => l.TermYears ?? 1).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public override SecuritisationSpec Fill(SecuritisationSpec s) => s with
    {
        Loans = [.. (s.Loans ?? []).Select(l => l with { Count = l.Count ?? 1, Rate = l.Rate ?? 0, Lgd = l.Lgd ?? 1, TermYears = l.TermYears ?? 1 })],
        Exposure = s.Exposure ?? [],
        Senior = s.Senior is { } senior ? senior with { Coupon = senior.Coupon ?? 0 } : null,
        Subordinate = new SubordinateTrancheSpec { Coupon = s.Subordinate?.Coupon ?? 0 },
        ExcessSpread = s.ExcessSpread ?? Securitisations.Format.ExcessSpread.Trapped,
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<SecuritisationSpec> deals, string listPath, FormatContext context)
    {
        for (int i = 0; i < deals.Count; i++)
        {
            string path = $"{listPath}[{i}]";
            var s = deals[i];
            if (s.Exposure is { } exposure) context.Exposure(exposure, path + ".exposure");
            if (s.Loans is not { } loans) continue;
            if (loans.Count == 0) context.Add(path + ".loans", "no loans; give at least one row { \"amount\": ..., \"pd\": ... }");
            long count = loans.Sum(l => (long)(l.Count ?? 1));
            if (count > MaxLoans)
                context.Add(path + ".loans", $"the pool holds {count} loans; a securitisation's pool may hold at most {MaxLoans} (model larger books under \"guarantees\")");
        }
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<SecuritisationSpec> filled, BuildContext context)
    {
        var deals = filled.Select(s => new Securitisation(s.Name!, s.Title,
            [.. s.Loans!.SelectMany(l => Enumerable.Repeat(new PoolLoan(l.Amount!.Value, l.Rate!.Value, l.Pd!.Value, l.Lgd!.Value, l.TermYears!.Value), l.Count!.Value))],
            context.Loadings(s.Exposure!), s.Senior!.Share!.Value, s.Senior.Coupon!.Value, s.Subordinate!.Coupon!.Value,
            s.ExcessSpread == Securitisations.Format.ExcessSpread.Trapped, s.ShortfallGuarantor?.Capital ?? 0)).ToList();
        return new SecuritisationsInstrument(deals);
    }
}
