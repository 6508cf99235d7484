using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Securitisations;

/// <summary>
/// The IP securitisations of a scenario as an instrument: per deal the pool's defaults and loss, the senior and
/// subordinate tranches' losses and the shortfall guarantor's payments and insolvency. The loans load on the scenario's
/// factors, so the same macro path drives them and the funds (and bonds) of the trial.
/// </summary>
public sealed class SecuritisationsInstrument : IInstrument
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "securitisations";

    /// <summary>Per-deal trials.csv columns, in order, after the deal's name and a dot.</summary>
    public static readonly IReadOnlyList<string> DealColumns =
        ["seniorLoss", "subordinateLoss", "shortfallPaid", "guarantorInsolvent", "seniorDefault", "poolLoss", "defaults", "guarantorInsolventYear"];

    /// <summary>Offsets of the per-deal columns.</summary>
    public const int SeniorLoss = 0, SubordinateLoss = 1, ShortfallPaid = 2, Insolvent = 3, SeniorDefault = 4, PoolLoss = 5, Defaults = 6, InsolventYear = 7;

    private readonly int[] _start;

    /// <summary>The instrument of <paramref name="deals"/> (file order).</summary>
    public SecuritisationsInstrument(IReadOnlyList<Securitisation> deals)
    {
        Deals = deals;
        var columns = new List<TrialColumn>();
        _start = new int[deals.Count];
        for (int d = 0; d < deals.Count; d++)
        {
            _start[d] = columns.Count;
            for (int c = 0; c < DealColumns.Count; c++) columns.Add(new TrialColumn($"{deals[d].Name}.{DealColumns[c]}", Key: c <= Insolvent));
        }
        Columns = columns;
        var figures = new List<KeyFigureColumns>();
        for (int d = 0; d < deals.Count; d++)
        {
            string n = deals[d].Name;
            int c = _start[d];
            figures.Add(new(new KeyFigure($"{n}.seniorDefaultProbability", FigureKind.Mean, FigureUnit.Probability, n), c + SeniorDefault));
            figures.Add(new(new KeyFigure($"{n}.seniorExpectedLoss", FigureKind.Mean, FigureUnit.Money, n), c + SeniorLoss));
            figures.Add(new(new KeyFigure($"{n}.subordinateExpectedLoss", FigureKind.Mean, FigureUnit.Money, n), c + SubordinateLoss));
            figures.Add(new(new KeyFigure($"{n}.guarantorInsolvency", FigureKind.Mean, FigureUnit.Probability, n), c + Insolvent));
        }
        KeyFigures = figures;
    }

    /// <summary>The deals, in file order.</summary>
    public IReadOnlyList<Securitisation> Deals { get; }

    /// <summary>Local index of the first column of deal <paramref name="d"/>.</summary>
    public int Start(int d) => _start[d];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Deals.Select(d => d.Name)];

    /// <inheritdoc/>
    public int FactorYears => Deals.Select(d => d.Years).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public int ShockYears => Deals.Select(d => d.Years).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <inheritdoc />
    public IReadOnlyList<TrialOutput> Outputs => [];

    /// <inheritdoc />
    public IReadOnlyList<string> Reads => [];

    /// <inheritdoc />
    public IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <inheritdoc />
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts => [];

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new SecuritisationsAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        foreach (var d in Deals)
            for (int k = 0; k < exposure.Length && k < d.Loadings.Count; k++) exposure[k] += Math.Abs(d.Loadings[k]);
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) =>
        ((SecuritisationsResult)candidate).Deals.Select(d => d.SeniorDefault);

    private sealed class Evaluator(SecuritisationsInstrument owner, InstrumentBinding binding) : IInstrumentEvaluator
    {
        private readonly TrancheEvaluator[] _deals = [.. owner.Deals.Select(d => new TrancheEvaluator(d, KindName, binding.Run.Economy.Copula))];
        private readonly int[] _start = [.. owner._start.Select(binding.Column)];

        public object CreateScratch() => _deals.Select(d => d.CreateScratch()).ToArray();

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var years = (int[][])scratch;
            for (int d = 0; d < _deals.Length; d++)
            {
                _deals[d].Draw(trial.Key, trial.Trial, trial.Paths, years[d]);
                var o = _deals[d].Settle(years[d]);
                int c = _start[d];
                row[c + SeniorLoss] = o.SeniorLoss;
                row[c + SubordinateLoss] = o.SubordinateLoss;
                row[c + ShortfallPaid] = o.ShortfallPaid;
                row[c + Insolvent] = o.InsolventYear > 0 ? 1 : 0;
                row[c + SeniorDefault] = o.SeniorLoss > 0 ? 1 : 0;
                row[c + PoolLoss] = o.PoolLoss;
                row[c + Defaults] = o.Defaults;
                row[c + InsolventYear] = o.InsolventYear;
            }
        }
    }
}

/// <summary>The results of one securitisation.</summary>
/// <param name="Deal">The deal.</param>
/// <param name="SeniorDefault">P(the senior tranche loses anything).</param>
/// <param name="Grade">The senior tranche's rating-like grade (<see cref="TrancheGrade"/>).</param>
/// <param name="SeniorLoss">The senior tranche's loss.</param>
/// <param name="SubordinateLoss">The subordinate tranche's loss.</param>
/// <param name="ShortfallPaid">The guarantor's payments.</param>
/// <param name="GuarantorInsolvent">P(the guarantor could not meet a call in full).</param>
/// <param name="PoolLoss">The pool's credit loss.</param>
/// <param name="MeanDefaults">Mean number of defaulted loans.</param>
public sealed record SecuritisationResult(
    Securitisation Deal, ProbabilityEstimate SeniorDefault, string Grade, LossSummary SeniorLoss, LossSummary SubordinateLoss,
    LossSummary ShortfallPaid, ProbabilityEstimate GuarantorInsolvent, LossSummary PoolLoss, double MeanDefaults);

/// <summary>The results of a scenario's securitisations.</summary>
/// <param name="Deals">Per deal, in file order.</param>
public sealed record SecuritisationsResult(IReadOnlyList<SecuritisationResult> Deals) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => SecuritisationsInstrument.KindName;
}

/// <summary>The securitisations' results of a run, as a property of the run's result.</summary>
public static class SecuritisationsResultAccess
{
    extension(Engine.SimulationResult result)
    {
        /// <summary>Per-deal results in file order (empty without securitisations).</summary>
        public IReadOnlyList<SecuritisationResult> Securitisations => result.Get<SecuritisationsResult>()?.Deals ?? [];
    }
}

/// <summary>Keeps the deals' loss series in trial order and tallies of their events.</summary>
internal sealed class SecuritisationsAccumulator : IInstrumentAccumulator
{
    private readonly SecuritisationsInstrument _instrument;
    private readonly TrialWeighting _weighting;
    private readonly Item[] _items;

    private static readonly int[] Series = [SecuritisationsInstrument.SeniorLoss, SecuritisationsInstrument.SubordinateLoss,
        SecuritisationsInstrument.ShortfallPaid, SecuritisationsInstrument.PoolLoss];

    public SecuritisationsAccumulator(SecuritisationsInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _weighting = context.Weighting;
        _items = [.. instrument.Deals.Select((_, i) => new Item(
            [.. Series.Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials))], binding.Column(instrument.Start(i))))];
    }

    private sealed class Item(TrialSeries<double>[] values, int start)
    {
        public readonly TrialSeries<double>[] Values = values;
        public readonly int Start = start;
        public Tally SeniorDefault, Insolvent, Defaults;
    }

    public void Dispose()
    {
        foreach (var item in _items)
            foreach (var s in item.Values) s.Dispose();
    }

    public void Add(in RowBlock rows)
    {
        foreach (var item in _items)
        {
            for (int v = 0; v < Series.Length; v++) item.Values[v].Add(rows.Column(item.Start + Series[v]));
            for (int i = 0; i < rows.Count; i++)
            {
                double w = rows.Weight(i);
                _weighting.Add(ref item.SeniorDefault, w, rows[i, item.Start + SecuritisationsInstrument.SeniorDefault]);
                _weighting.Add(ref item.Insolvent, w, rows[i, item.Start + SecuritisationsInstrument.Insolvent]);
                _weighting.Add(ref item.Defaults, w, rows[i, item.Start + SecuritisationsInstrument.Defaults]);
            }
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int d = 0; d < _items.Length; d++)
        {
            var p = _weighting.Probability(_items[d].SeniorDefault);
            figures.Add(new FigurePrecision($"{_instrument.Deals[d].Name}.seniorDefaultProbability", p.Probability, p.StandardError));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var deals = _items.Select((item, d) =>
        {
            var s = item.Values.Select(v => work.Add(() => _weighting.Summarize(v, []))).ToArray();
            return (Func<SecuritisationResult>)(() =>
            {
                var deal = _instrument.Deals[d];
                var senior = _weighting.Probability(item.SeniorDefault);
                return new SecuritisationResult(deal, senior, TrancheGrade.Of(senior.Probability, deal.Years), s[0](), s[1](), s[2](),
                    _weighting.Probability(item.Insolvent), s[3](), _weighting.Mean(item.Defaults));
            });
        }).ToArray();
        return () => new SecuritisationsResult([.. deals.Select(d => d())]);
    }
}
