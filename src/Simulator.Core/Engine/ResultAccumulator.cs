using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// Hands the rows of a run, in trial order, to each instrument's accumulator and the trials' weights to the run's
/// <see cref="TrialWeighting"/>; the instruments keep what their statistics need (series in trial order within the
/// run's <see cref="SeriesBudget"/>, spilling to temporary files beyond it, and running tallies). One accumulator
/// serves plain and importance sampling and randomised quasi-Monte Carlo over either: the weighting is the strategy. Rows must arrive in trial order so that every
/// sum is the same on every run; disposing the accumulator deletes the files.
/// </summary>
internal sealed class ResultAccumulator : IDisposable
{
    private readonly Scenario _scenario;
    private readonly TrialLayout _layout;
    private readonly TrialWeighting _weighting;
    private readonly IInstrumentAccumulator?[] _instruments;
    private readonly IReadOnlyList<IInstrumentResult?>? _reused;
    private readonly GovernmentExposureAccumulator? _government;

    /// <summary>
    /// An accumulator of a run of <paramref name="scenario"/>. Where <paramref name="reused"/> (aligned with the
    /// instruments) holds a result, that instrument's columns are known to be those of the run that gave it (a variant
    /// that leaves the instrument as the base had it): its result is taken as it is and its columns are not accumulated.
    /// </summary>
    public ResultAccumulator(Scenario scenario, TrialLayout layout, SeriesBudget budget, IReadOnlyList<IInstrumentResult?>? reused = null)
    {
        _scenario = scenario;
        _layout = layout;
        _reused = reused;
        _weighting = layout.WeightColumn >= 0 ? TrialWeighting.Importance(budget, scenario.Trials) : TrialWeighting.Plain(budget);
        // Sobol or Latin hypercube factor draws: the same estimates, with standard errors from the independent randomisations.
        if (scenario.Economy.Randomised) _weighting = TrialWeighting.Randomised(_weighting, Randomness.ScrambledSobol.Randomisations);
        var context = new AccumulationContext(_weighting, scenario.Trials, scenario.ReportLossRatios, scenario.ReportExceedance);
        var created = new List<IInstrumentAccumulator?>();
        try
        {
            for (int i = 0; i < layout.Instruments.Count; i++)
                created.Add(reused?[i] is null ? layout.Instruments[i].CreateAccumulator(layout.Bindings[i], context) : null);
        }
        catch
        {
            foreach (var a in created) a?.Dispose();
            _weighting.Dispose();
            throw;
        }
        _instruments = [.. created];
        _government = GovernmentExposureAccumulator.For(layout, _weighting, scenario.Trials);
    }

    /// <summary>Deletes every series' temporary file and releases its memory.</summary>
    public void Dispose()
    {
        foreach (var a in _instruments) a?.Dispose();
        _government?.Dispose();
        _weighting.Dispose();
    }

    /// <summary>Rows handled together: few enough to stay in the first-level cache while each column is read from them.</summary>
    private const int RowsAtOnce = 16;

    /// <summary>
    /// Adds whole rows (trials in order, <paramref name="columns"/> values each). A few rows at a time, each figure's
    /// column is appended to its series as a run and each running sum is kept in a local while it runs down the
    /// rows, rather than every series and sum being visited once a trial: the same additions in the same order.
    /// </summary>
    public void Add(ReadOnlySpan<double> rows, int columns)
    {
        Span<double> weights = stackalloc double[RowsAtOnce], column = stackalloc double[RowsAtOnce];
        for (int first = 0; first < rows.Length; first += RowsAtOnce * columns)
        {
            var part = rows.Slice(first, Math.Min(RowsAtOnce * columns, rows.Length - first));
            int count = part.Length / columns;
            var w = weights[..count];
            if (_layout.WeightColumn >= 0)
            {
                for (int i = 0; i < count; i++) w[i] = part[i * columns + _layout.WeightColumn];
            }
            _weighting.Add(w, count);
            var block = new RowBlock(part, columns, column[..count], _weighting.IsWeighted ? w : default);
            foreach (var a in _instruments) a?.Add(block);
            _government?.Add(block);
        }
    }

    /// <summary>(Σw)²/Σw² of the importance-sampling weights (the trial count without them).</summary>
    public double EffectiveSampleSize() => _weighting.EffectiveSampleSize();

    /// <summary>Trials accumulated so far.</summary>
    public long Count => _weighting.Trials;

    /// <summary>The figures a precision target watches, on the trials so far (each instrument's, in scenario order).</summary>
    public Checkpoint Checkpoint()
    {
        var figures = new List<FigurePrecision>();
        foreach (var a in _instruments) a?.AddPrecisionFigures(figures);
        return new Checkpoint(Count, figures);
    }

    public SimulationResult Summarize(PrecisionReport? precision = null)
    {
        if (Count == 0) throw new InvalidOperationException("no trials were run");
        // Each figure depends on its own series only, so the instruments queue their figures' work and it runs on all
        // cores at once. Results do not depend on which core runs what; the series budget is shared under a lock.
        var work = new WorkList();
        var results = _instruments.Select((a, i) => a is null ? Reused(_reused![i]!) : a.Summarize(work)).ToArray();
        var government = _government?.Summarize(work);
        work.Run();
        return new SimulationResult(_scenario, Count, [.. results.Select(r => r())]) { Precision = precision, Government = government?.Invoke() };

        static Func<IInstrumentResult> Reused(IInstrumentResult result) => () => result;
    }
}
