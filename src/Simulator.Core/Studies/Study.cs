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
        bool compare = scenario.Variants.Count > 0;
        var (result, baseCapture) = RunOne(new StudyRun(scenario, null, 1, runs), compare, options, observer, cancellation);
        // The captures' per-trial values may live in temporary files: disposing them deletes the files, also on failure.
        using var baseCaptureScope = baseCapture;
        observer.Finished(new StudyRun(scenario, null, 1, runs), result);
        if (baseCapture is null) return new StudyResult(result, [], null);

        var outcomes = new List<VariantOutcome>();
        var variants = new List<SimulationResult>();
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            var variant = scenario.Variants[k];
            // Paired comparisons need the same trials: variants run exactly as many as the base used, and with the same
            // importance-sampling shift, so both carry the same weights trial by trial.
            var run = new StudyRun(Paired(variant, (int)result.Trials, result.Scenario.ImportanceSampling), variant, k + 2, runs);
            var (variantResult, capture) = RunOne(run, true, options, observer, cancellation);
            using (capture)
            {
                observer.Finished(run, variantResult);
                outcomes.Add(new VariantOutcome(variant, PairedComparison.Compare(baseCapture, capture!)));
            }
            variants.Add(variantResult);
        }
        var comparison = new ComparisonResult(scenario, PairedComparison.Compare(baseCapture, baseCapture), outcomes);
        return new StudyResult(result, variants, comparison);
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

    private (SimulationResult Result, KeyFigureCapture? Capture) RunOne(StudyRun run, bool capture, RunOptions options, IStudyObserver observer, CancellationToken cancellation)
    {
        var figures = capture ? new KeyFigureCapture(run.Scenario, options.Memory) : null;
        try
        {
            var attached = observer.Starting(run);
            SimulationResult result;
            using (attached.Resources)
            {
                ITrialSink[] sinks = [.. attached.Sinks, .. figures is null ? Array.Empty<ITrialSink>() : [figures]];
                result = engine.Run(run.Scenario, options with { Progress = attached.Progress ?? options.Progress, Rows = attached.Rows ?? options.Rows }, sinks, cancellation);
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
