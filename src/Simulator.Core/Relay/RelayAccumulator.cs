using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Relay;

/// <summary>Keeps each relay tranche's loss ratios as a series (for quantiles), its sellers' IRRs (for their spread) and
/// running tallies of every other column.</summary>
internal sealed class RelayAccumulator : IInstrumentAccumulator
{
    private readonly RelayInstrument _instrument;
    private readonly AccumulationContext _context;
    private readonly TrialWeighting _weighting;
    private readonly int[] _start;
    private readonly TrialSeries<double>[] _lossRatios;
    private readonly TrialSeries<float>[][] _irrs; // [relay][2·seller + with]
    private readonly Tally[][] _tallies; // [relay][column]

    public RelayAccumulator(RelayInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _context = context;
        _weighting = context.Weighting;
        var relays = instrument.Relays;
        _start = [.. Enumerable.Range(0, relays.Count).Select(i => binding.Column(instrument.Start(i)))];
        _lossRatios = [.. relays.Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials))];
        _irrs = [.. relays.Select(r => Enumerable.Range(0, 2 * r.Sellers.Count).Select(_ => new TrialSeries<float>(context.Budget, context.ExpectedTrials)).ToArray())];
        _tallies = [.. relays.Select(r => new Tally[RelayInstrument.Width(r)])];
    }

    public void Dispose()
    {
        foreach (var series in _lossRatios) series.Dispose();
        foreach (var series in _irrs.SelectMany(s => s)) series.Dispose();
    }

    public void Add(in RowBlock rows)
    {
        for (int r = 0; r < _start.Length; r++)
        {
            int c = _start[r];
            _lossRatios[r].Add(rows.Column(c + RelayInstrument.LossRatio));
            for (int s = 0; s < _irrs[r].Length / 2; s++)
            {
                int seller = c + RelayInstrument.ItemColumns.Count + s * RelayInstrument.SellerColumns.Count;
                _irrs[r][2 * s].Add(rows.Column(seller + RelayInstrument.SellerIrr));
                _irrs[r][2 * s + 1].Add(rows.Column(seller + RelayInstrument.SellerIrrWith));
            }
            var tallies = _tallies[r];
            for (int k = 0; k < tallies.Length; k++)
                for (int i = 0; i < rows.Count; i++) _weighting.Add(ref tallies[k], rows.Weight(i), rows[i, c + k]);
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int r = 0; r < _start.Length; r++)
        {
            var p = _weighting.Probability(_tallies[r][RelayInstrument.Breach]);
            figures.Add(new FigurePrecision($"{_instrument.Relays[r].Name}.tranche.breachProbability", p.Probability, p.StandardError));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var items = Enumerable.Range(0, _start.Length).Select(r =>
        {
            var relay = _instrument.Relays[r];
            var loss = work.Add(() => _weighting.Summarize(_lossRatios[r], _context.ReportLossRatios));
            var irr = _irrs[r].Select(series => work.Add(() => _weighting.Spread(series))).ToArray();
            var t = _tallies[r];
            double Mean(int k) => _weighting.Mean(t[k]);
            ProbabilityEstimate P(int k) => _weighting.Probability(t[k]);
            return (Func<RelayItemResult>)(() => new RelayItemResult(relay, loss(), P(RelayInstrument.Breach), Mean(RelayInstrument.Cost),
                Mean(RelayInstrument.Proceeds), Mean(RelayInstrument.Deals), Mean(RelayInstrument.Budget), Mean(RelayInstrument.Spent),
                P(RelayInstrument.Binds), Mean(RelayInstrument.Unmet), Mean(RelayInstrument.LossMoved),
                [.. relay.Sellers.Select((s, k) =>
                {
                    int c = RelayInstrument.ItemColumns.Count + k * RelayInstrument.SellerColumns.Count;
                    return new RelaySellerResult(s.Fund, Mean(c + RelayInstrument.SellerLoss), Mean(c + RelayInstrument.SellerLossWith),
                        P(c + RelayInstrument.SellerBreach), P(c + RelayInstrument.SellerBreachWith), irr[2 * k](), irr[2 * k + 1](),
                        Mean(c + RelayInstrument.SellerSold));
                })], relay.Fund is { } fund ? FundResult(fund, RelayInstrument.FundStart(relay)) : null));
            RelayFundResult FundResult(string fund, int c) => new(fund, Mean(c + RelayInstrument.FundLoss), Mean(c + RelayInstrument.FundLossWith),
                P(c + RelayInstrument.FundBreach), P(c + RelayInstrument.FundBreachWith));
        }).ToArray();
        return () => new RelayResult([.. items.Select(i => i())]);
    }
}

/// <summary>The results of one seller fund of a relay, with and without the relay deals, from the same trials.</summary>
/// <param name="Fund">The seller's name.</param>
/// <param name="MeanLossRatio">Mean loss ratio of its projects without relay (checks against gross outcomes).</param>
/// <param name="MeanLossRatioWithRelay">The same with the projects sold booked at their price.</param>
/// <param name="Breach">Probability that its loss ratio exceeds its tolerance without relay.</param>
/// <param name="BreachWithRelay">The same with relay.</param>
/// <param name="Irr">Gross IRR of its project flows without relay (null when never defined).</param>
/// <param name="IrrWithRelay">The same with relay.</param>
/// <param name="MeanSold">Mean number of its projects sold to the relay.</param>
public sealed record RelaySellerResult(string Fund, double MeanLossRatio, double MeanLossRatioWithRelay, ProbabilityEstimate Breach,
    ProbabilityEstimate BreachWithRelay, SpreadSummary? Irr, SpreadSummary? IrrWithRelay, double MeanSold);

/// <summary>The results of a relay's relay fund (a fund of the scenario), with and without its relay deals added to its
/// own book, from the same trials: gross, on its projects' checks and outcomes plus the deals' prices and outcomes.</summary>
/// <param name="Fund">The relay fund's name.</param>
/// <param name="MeanLossRatio">Mean loss ratio of its own projects (the fund's gross loss ratio).</param>
/// <param name="MeanLossRatioWithRelay">Mean loss ratio on its projects and relay deals together.</param>
/// <param name="Breach">Probability that its own loss ratio exceeds its tolerance.</param>
/// <param name="BreachWithRelay">Probability that the loss on its projects and relay deals exceeds what is allowed: its
/// tolerance on its own checks plus the relay tranche's tolerance on the prices paid.</param>
public sealed record RelayFundResult(string Fund, double MeanLossRatio, double MeanLossRatioWithRelay, ProbabilityEstimate Breach,
    ProbabilityEstimate BreachWithRelay);

/// <summary>The results of one relay.</summary>
/// <param name="Relay">The relay.</param>
/// <param name="TrancheLossRatio">Distribution of the relay tranche's loss ratio on its cost (0 in trials without deals).</param>
/// <param name="TrancheBreach">Probability that the tranche breaches its tolerance.</param>
/// <param name="MeanCost">Mean paid for relay deals (CNY).</param>
/// <param name="MeanProceeds">Mean outcome of the projects bought (CNY).</param>
/// <param name="MeanDeals">Mean number of projects bought.</param>
/// <param name="MeanBudget">Mean total budget over the years (CNY).</param>
/// <param name="MeanSpent">Mean spent (CNY; = <paramref name="MeanCost"/>).</param>
/// <param name="BudgetBinds">Probability that in some year an offer did not fit in what was left of the budget.</param>
/// <param name="MeanUnmetDemand">Mean price of the offers left unbought (CNY).</param>
/// <param name="MeanLossMoved">Mean of Σ (price − outcome) over the deals: loss moved from the sellers to the relay tranche (CNY; negative when the relay gains).</param>
/// <param name="Sellers">Per seller, in order.</param>
/// <param name="Fund">The relay fund's figures with and without the deals (null for a vehicle of its own).</param>
public sealed record RelayItemResult(RelayItem Relay, LossSummary TrancheLossRatio, ProbabilityEstimate TrancheBreach, double MeanCost,
    double MeanProceeds, double MeanDeals, double MeanBudget, double MeanSpent, ProbabilityEstimate BudgetBinds, double MeanUnmetDemand,
    double MeanLossMoved, IReadOnlyList<RelaySellerResult> Sellers, RelayFundResult? Fund);

/// <summary>The results of a scenario's relays.</summary>
/// <param name="Items">Per relay, in file order.</param>
public sealed record RelayResult(IReadOnlyList<RelayItemResult> Items) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => RelayInstrument.KindName;
}
