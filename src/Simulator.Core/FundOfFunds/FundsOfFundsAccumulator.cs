using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.FundOfFunds;

/// <summary>Keeps each fund-of-funds' loss ratios as a series (for quantiles) and running tallies of its other columns.</summary>
internal sealed class FundsOfFundsAccumulator : IInstrumentAccumulator
{
    private readonly FundsOfFundsInstrument _instrument;
    private readonly AccumulationContext _context;
    private readonly TrialWeighting _weighting;
    private readonly int[] _start;
    private readonly TrialSeries<double>[] _lossRatios;
    private readonly Tally[][] _tallies; // [item][column]
    private readonly int[] _concession;
    private readonly Tally[] _toSocialLps, _toManager;

    public FundsOfFundsAccumulator(FundsOfFundsInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _context = context;
        _weighting = context.Weighting;
        int n = instrument.FundsOfFunds.Count;
        _start = [.. Enumerable.Range(0, n).Select(i => binding.Column(FundsOfFundsInstrument.Start(i)))];
        _lossRatios = [.. Enumerable.Range(0, n).Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials))];
        _tallies = [.. Enumerable.Range(0, n).Select(_ => new Tally[FundsOfFundsInstrument.ItemColumns.Count])];
        _concession = [.. Enumerable.Range(0, n).Select(i => instrument.ConcessionColumn(i) is int c and >= 0 ? binding.Column(c) : -1)];
        _toSocialLps = new Tally[n];
        _toManager = new Tally[n];
    }

    public void Dispose()
    {
        foreach (var series in _lossRatios) series.Dispose();
    }

    public void Add(in RowBlock rows)
    {
        for (int f = 0; f < _start.Length; f++)
        {
            int c = _start[f];
            _lossRatios[f].Add(rows.Column(c + FundsOfFundsInstrument.LossRatio));
            var tallies = _tallies[f];
            for (int k = 0; k < tallies.Length; k++)
                for (int i = 0; i < rows.Count; i++) _weighting.Add(ref tallies[k], rows.Weight(i), rows[i, c + k]);
            if (_concession[f] is int at and >= 0)
            {
                for (int i = 0; i < rows.Count; i++)
                {
                    _weighting.Add(ref _toSocialLps[f], rows.Weight(i), rows[i, at]);
                    _weighting.Add(ref _toManager[f], rows.Weight(i), rows[i, at + 1]);
                }
            }
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int f = 0; f < _start.Length; f++)
        {
            var p = _weighting.Probability(_tallies[f][FundsOfFundsInstrument.Breach]);
            figures.Add(new FigurePrecision($"{_instrument.FundsOfFunds[f].Name}.breachProbability", p.Probability, p.StandardError));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var items = Enumerable.Range(0, _start.Length).Select(f =>
        {
            var fof = _instrument.FundsOfFunds[f];
            var loss = work.Add(() => _weighting.Summarize(_lossRatios[f], _context.ReportLossRatios));
            var t = _tallies[f];
            double Mean(int k) => _weighting.Mean(t[k]);
            var breach = _weighting.Probability(t[FundsOfFundsInstrument.Breach]);
            return (Func<FundOfFundsResult>)(() => new FundOfFundsResult(fof, loss(), breach,
                Mean(FundsOfFundsInstrument.PaidIn), Mean(FundsOfFundsInstrument.Distributed), Mean(FundsOfFundsInstrument.NetMultiple),
                Mean(FundsOfFundsInstrument.GrossMultiple), Mean(FundsOfFundsInstrument.FeeDrag), Mean(FundsOfFundsInstrument.LookThrough),
                Mean(FundsOfFundsInstrument.LookThroughLoss))
            {
                MeanConcession = _concession[f] >= 0 ? (_weighting.Mean(_toSocialLps[f]), _weighting.Mean(_toManager[f])) : null,
            });
        }).ToArray();
        return () => new FundsOfFundsResult([.. items.Select(i => i())]);
    }
}
