using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Studies;

/// <summary>One run of a study: the base or one of its variants.</summary>
/// <param name="Scenario">The scenario as it will run (a variant's with the base's trials and importance-sampling shift).</param>
/// <param name="Variant">The variant, null for the base.</param>
/// <param name="Number">1 for the base, 2 … for the variants in order.</param>
/// <param name="Count">Runs in the study (1 + variants).</param>
public sealed record StudyRun(Scenario Scenario, ScenarioVariant? Variant, int Number, int Count)
{
    /// <summary>Whether this is the base run.</summary>
    public bool IsBase => Variant is null;
}

/// <summary>What a run's caller attaches to it: sinks for its rows (e.g. trials.csv) and progress reporting.</summary>
/// <param name="Sinks">Receive the run's rows in trial order.</param>
/// <param name="Progress">Receives the number of trials done (null: none).</param>
/// <param name="Resources">Disposed when the run ends, successful or not (e.g. the trials.csv writer).</param>
public sealed record RunAttachments(IReadOnlyList<ITrialSink> Sinks, IProgress<long>? Progress = null, IDisposable? Resources = null)
{
    /// <summary>Nothing attached.</summary>
    public static readonly RunAttachments None = new([]);

    /// <summary>Where the run's rows come from instead of being evaluated (null: evaluate them), e.g. the shards being merged.</summary>
    public ITrialRows? Rows { get; init; }
}

/// <summary>
/// How the CLI, the what-if server or a shard takes part in a study: what it attaches to each run before it starts,
/// and what it does with each result as soon as it exists (print it, write its files). Calls come in run order, on
/// the caller's thread.
/// </summary>
public interface IStudyObserver
{
    /// <summary>Before <paramref name="run"/> starts: its sinks and progress.</summary>
    RunAttachments Starting(StudyRun run);

    /// <summary>After <paramref name="run"/> has finished, with its result.</summary>
    void Finished(StudyRun run, SimulationResult result);
}

/// <summary>A study's results: the base run's, each variant's, and the paired comparison (null without variants).</summary>
/// <param name="Base">The base run.</param>
/// <param name="Variants">Each variant's run, in order.</param>
/// <param name="Comparison">Every key figure of every variant against the base, with paired standard errors.</param>
public sealed record StudyResult(SimulationResult Base, IReadOnlyList<SimulationResult> Variants, ComparisonResult? Comparison);

/// <summary>A study's base run with its key figures' per-trial values, against which variants are compared. Dispose it
/// to release the values (and delete their temporary files).</summary>
public sealed class StudyBaseline : IDisposable
{
    internal StudyBaseline(SimulationResult result, KeyFigureCapture capture)
    {
        Result = result;
        Capture = capture;
    }

    /// <summary>The base run's result.</summary>
    public SimulationResult Result { get; }

    /// <summary>The base's key figures, trial by trial.</summary>
    public KeyFigureCapture Capture { get; }

    /// <summary>The base's rows, when kept for variants that leave some instruments as they were (<see cref="Reuse"/>).</summary>
    internal RowStore? Rows { get; init; }

    /// <summary>What the base recorded for replays, when kept (<see cref="Reuse"/>, <see cref="ReuseStep.Replay"/>).</summary>
    internal RunRecording? Recording { get; init; }

    /// <summary>The base's key figures compared with themselves (differences 0), computed once.</summary>
    public IReadOnlyList<FigureComparison> BaseFigures => _baseFigures ??= PairedComparison.Compare(Capture, Capture);

    private IReadOnlyList<FigureComparison>? _baseFigures;

    /// <summary>The comparison of <paramref name="outcomes"/> with this base (<paramref name="scenario"/>: the study's scenario).</summary>
    public ComparisonResult Compare(Scenario scenario, IReadOnlyList<VariantOutcome> outcomes) => new(scenario, BaseFigures, outcomes);

    /// <inheritdoc />
    public void Dispose() => Capture.Dispose();
}

/// <summary>
/// Runs a scenario with its variants (explicit variants, sweeps, sensitivity analyses) on common random numbers and
/// compares them with the base, figure by figure, with paired standard errors. The one implementation the CLI, the
/// what-if server and sharded runs share: each variant runs exactly as many trials as the base used (after any
/// precision target stopped it), with the base's importance-sampling shift, so that every trial of a variant pairs
/// with the same trial of the base.
/// </summary>
public sealed class Study(SimulationEngine engine)
{
    /// <summary>Runs <paramref name="scenario"/> and its variants.</summary>
    public StudyResult Run(Scenario scenario, RunOptions options, IStudyObserver observer, CancellationToken cancellation = default)
    {
        int runs = 1 + scenario.Variants.Count;
        if (scenario.Variants.Count == 0)
        {
            var (alone, _) = RunOne(new StudyRun(scenario, null, 1, runs), false, options, observer, cancellation);
            observer.Finished(new StudyRun(scenario, null, 1, runs), alone);
            return new StudyResult(alone, [], null);
        }
        // The base's per-trial values may live in temporary files: disposing it deletes the files, also on failure. Its
        // rows are kept when a variant leaves some instruments as they were (or only moves their thresholds): it then
        // takes their columns from the base's rows instead of evaluating them again.
        bool keepRows = scenario.Variants.Any(v => Reuse.For(scenario, v.Scenario) is not null);
        // The recordable instruments record their trials when a variant would replay them, or rewrite a threshold only the
        // recording can judge (within RunRecording.MaxBytes).
        bool record = scenario.Variants.Any(v => Reuse.For(scenario, v.Scenario, recorded: true) is { UsesRecording: true });
        using var baseline = RunBase(scenario, options, observer, cancellation, runs, keepRows || record, record);
        var outcomes = new List<VariantOutcome>();
        var variants = new List<SimulationResult>();
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (variantResult, outcome) = RunVariant(baseline, scenario.Variants[k], options, observer, cancellation, k + 2, runs);
            outcomes.Add(outcome);
            variants.Add(variantResult);
        }
        return new StudyResult(baseline.Result, variants, baseline.Compare(scenario, outcomes));
    }

    /// <summary>
    /// The scenario <paramref name="variant"/> runs as: exactly <paramref name="trials"/> trials (those the base used)
    /// and the base's importance sampling <paramref name="sampling"/> (with its shift resolved), so that every trial pairs
    /// with the same trial of the base and both carry the same weights.
    /// </summary>
    public static Scenario Paired(ScenarioVariant variant, int trials, Statistics.ImportanceSamplingSettings? sampling)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.Scenario.WithRunSettings(trials, null) with { Precision = null, ImportanceSampling = sampling };
    }

    /// <summary>
    /// Runs the base of a study and keeps its key figures' per-trial values, so that variants can be run against it
    /// one at a time, when they become known (the what-if server's settings). <paramref name="runs"/> is the number of
    /// runs the observer is told the study has (null: 1 + the scenario's variants).
    /// </summary>
    /// <remarks>With <paramref name="keepRows"/>, the base's rows are kept too (within <see cref="RowStore.MaxBytes"/>), so
    /// that variants evaluate only the instruments they change, on the base's rows, and rewrite the thresholds they move
    /// (a fund's tolerance) instead of running new trials. With <paramref name="record"/> as well, the instruments that can
    /// record (<see cref="Instruments.IRecordable"/>) record their trials (within <see cref="RunRecording.MaxBytes"/>), so
    /// that variants which move only how their events are settled (a scheme's shares, caps, budgets) replay them, and
    /// those which move a direct programme's per-project tolerance rewrite its columns from its recorded project losses.</remarks>
    public StudyBaseline RunBase(Scenario scenario, RunOptions options, IStudyObserver observer, CancellationToken cancellation = default, int? runs = null,
        bool keepRows = false, bool record = false)
    {
        var run = new StudyRun(scenario, null, 1, runs ?? 1 + scenario.Variants.Count);
        var rows = keepRows && RowStore.Fits(scenario, scenario.Trials) ? new RowStore() : null;
        // Shards and merges evaluate (or read) their rows elsewhere: nothing to record there.
        var recording = record && rows is not null && options.Rows is null ? new RunRecording() : null;
        var (result, capture) = RunOne(run, true, options with { Recording = recording }, observer, cancellation, rows);
        bool kept = rows is { Overflowed: false };
        var baseline = new StudyBaseline(result, capture!)
        {
            Rows = kept ? rows : null,
            Recording = kept && recording is { Usable: true } ? recording : null,
        };
        try
        {
            observer.Finished(run, result);
            return baseline;
        }
        catch
        {
            baseline.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="variant"/> on the base's random numbers, trial count and importance-sampling shift, and
    /// compares its key figures with the base's, trial by trial. The same run whether the variant came from the file
    /// (batch) or from a setting made later (the what-if server), so both give the same figures to the last digit.
    /// </summary>
    public (SimulationResult Result, VariantOutcome Outcome) RunVariant(StudyBaseline baseline, ScenarioVariant variant, RunOptions options, IStudyObserver observer,
        CancellationToken cancellation = default, int number = 2, int runs = 2)
    {
        // Paired comparisons need the same trials: variants run exactly as many as the base used, and with the same
        // importance-sampling shift, so both carry the same weights trial by trial.
        var variantScenario = Paired(variant, (int)baseline.Result.Trials, baseline.Result.Scenario.ImportanceSampling);
        var run = new StudyRun(variantScenario, variant, number, runs);
        // The variant's trials are the base's: the instruments it leaves as they were keep their columns and results,
        // those whose thresholds alone moved rewrite their columns, and only the others are evaluated again.
        var reuse = baseline.Rows is not null ? Reuse.For(baseline.Result.Scenario, variantScenario, baseline.Recording is not null) : null;
        var (variantResult, capture) = RunOne(run, true, options, observer, cancellation, null, reuse is null ? null : (baseline, reuse));
        using (capture)
        {
            observer.Finished(run, variantResult);
            return (variantResult, new VariantOutcome(variant, PairedComparison.Compare(baseline.Capture, capture!, baseline.BaseFigures)));
        }
    }

    private (SimulationResult Result, KeyFigureCapture? Capture) RunOne(StudyRun run, bool capture, RunOptions options, IStudyObserver observer, CancellationToken cancellation,
        RowStore? keepRows = null, (StudyBaseline Baseline, Reuse Plan)? replay = null)
    {
        // A variant run from the base's rows keeps only the key figures' values that differ from the base's (its capture
        // refers to the base's for the others); run by the engine, it keeps them all.
        var figures = capture ? new KeyFigureCapture(run.Scenario, options.Memory, replay?.Baseline.Capture) : null;
        try
        {
            var attached = observer.Starting(run);
            SimulationResult result;
            using (attached.Resources)
            {
                ITrialSink[] sinks = [.. attached.Sinks, .. figures is null ? Array.Empty<ITrialSink>() : [figures], .. keepRows is null ? Array.Empty<ITrialSink>() : [keepRows]];
                var rowsIo = attached.Rows ?? options.Rows;
                var runOptions = options with { Progress = attached.Progress ?? options.Progress, Rows = rowsIo };
                // Shards write and the merge reads every run's rows itself, so there the engine runs (or replays) each one.
                result = replay is { } r && rowsIo is null
                    ? r.Plan.Run(run.Scenario, r.Baseline.Rows!, r.Baseline.Result, runOptions, sinks, cancellation, r.Baseline.Recording)
                    : engine.Run(run.Scenario, runOptions, sinks, cancellation);
            }
            return (result, figures);
        }
        catch
        {
            figures?.Dispose();
            throw;
        }
    }
}
