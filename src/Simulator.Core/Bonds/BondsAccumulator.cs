using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Bonds;

/// <summary>
/// Keeps what the bonds' statistics need: per bond the loss and its three layers as series in trial order, tallies of
/// the default flag, of the default by year, and of the bondholders' excess value at each coupon of the grid.
/// </summary>
internal sealed class BondsAccumulator : IInstrumentAccumulator
{
    private readonly BondsInstrument _instrument;
    private readonly TrialWeighting _weighting;
    private readonly Item[] _items;

    public BondsAccumulator(BondsInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _weighting = context.Weighting;
        _items = instrument.Bonds.Select((b, i) => new Item(
            [.. Enumerable.Range(0, 4).Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials))],
            b.TermYears, binding.Column(instrument.Start(i)), binding.Column(instrument.GridStart(i)))).ToArray();
    }

    private sealed class Item(TrialSeries<double>[] values, int years, int start, int gridStart)
    {
        public readonly TrialSeries<double>[] Values = values; // loss, tool, local guarantor, bondholders
        public readonly int Start = start, GridStart = gridStart;
        public Tally Default;
        public readonly Tally[] InYear = new Tally[years], ByYear = new Tally[years];
        public readonly Tally[] Grid = new Tally[Bond.CouponGrid.Count];
    }

    public void Dispose()
    {
        foreach (var item in _items)
            foreach (var series in item.Values) series.Dispose();
    }

    public void Add(in RowBlock rows)
    {
        for (int b = 0; b < _items.Length; b++)
        {
            var item = _items[b];
            int issue = _instrument.Bonds[b].IssueYear;
            for (int v = 0; v < 4; v++) item.Values[v].Add(rows.Column(item.Start + BondsInstrument.Loss + v));
            for (int i = 0; i < rows.Count; i++)
            {
                double w = rows.Weight(i);
                _weighting.Add(ref item.Default, w, rows[i, item.Start + BondsInstrument.Default]);
                int year = (int)rows[i, item.Start + BondsInstrument.DefaultYear];
                for (int t = 0; t < item.InYear.Length; t++)
                {
                    _weighting.Add(ref item.InYear[t], w, year == issue + t ? 1 : 0);
                    _weighting.Add(ref item.ByYear[t], w, year > 0 && year <= issue + t ? 1 : 0);
                }
                for (int k = 0; k < item.Grid.Length; k++) _weighting.Add(ref item.Grid[k], w, rows[i, item.GridStart + k]);
            }
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int b = 0; b < _items.Length; b++)
        {
            var p = _weighting.Probability(_items[b].Default);
            figures.Add(new FigurePrecision($"{_instrument.Bonds[b].Name}.defaultProbability", p.Probability, p.StandardError));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var bonds = _items.Select((item, b) =>
        {
            var layers = item.Values.Select(v => work.Add(() => _weighting.Summarize(v, []))).ToArray();
            return (Func<BondResult>)(() => Result(_instrument.Bonds[b], item, [.. layers.Select(l => l())]));
        }).ToArray();
        return () => new BondsResult([.. bonds.Select(b => b())]);
    }

    private BondResult Result(Bond bond, Item item, LossSummary[] layers)
    {
        var grid = item.Grid.Select(t => _weighting.MeanWithError(t)).Select(m => new Estimate(m.Mean, m.Error)).ToList();
        return new BondResult(bond, _weighting.Probability(item.Default), layers[0], layers[1], layers[2], layers[3],
            [.. item.InYear.Select(t => _weighting.Probability(t))], [.. item.ByYear.Select(t => _weighting.Probability(t))],
            BreakEven(grid), new Estimate(layers[1].Mean / bond.Amount, layers[1].StandardErrors.Mean / bond.Amount), grid);
    }


    /// <summary>
    /// The coupon where the bondholders' mean excess value crosses 0, by linear interpolation between the grid's
    /// coupons; its standard error is the excess value's at that coupon over the curve's slope (the delta method: on
    /// common random numbers the slope is known far more precisely than the level).
    /// </summary>
    internal static Estimate BreakEven(IReadOnlyList<Estimate> grid)
    {
        var c = Bond.CouponGrid;
        if (grid[0].Value >= 0) return new Estimate(0, 0);
        for (int k = 0; k + 1 < grid.Count; k++)
        {
            double a = grid[k].Value, b = grid[k + 1].Value;
            if (b < 0) continue;
            double f = -a / (b - a);
            double slope = (b - a) / (c[k + 1] - c[k]);
            double error = (1 - f) * grid[k].StandardError + f * grid[k + 1].StandardError;
            return new Estimate(c[k] + f * (c[k + 1] - c[k]), slope > 0 ? error / slope : double.NaN);
        }
        return new Estimate(double.NaN, double.NaN);
    }
}
