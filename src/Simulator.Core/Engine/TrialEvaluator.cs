using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Engine;

/// <summary>
/// Evaluates one trial of a scenario into a row: a pure function of (scenario, seed, trial index). The factor paths
/// are drawn first from the factors' own streams, then each instrument writes its columns, in the layout's evaluation
/// order, each item from its own stream.
/// </summary>
public sealed class TrialEvaluator
{
    private readonly Scenario _scenario;
    private readonly TrialLayout _layout;
    private readonly IInstrumentEvaluator[] _evaluators;
    private readonly int[] _order;

    /// <summary>Prepares the evaluator of a scenario.</summary>
    public TrialEvaluator(Scenario scenario, TrialLayout layout) : this(scenario, layout, null)
    {
    }

    /// <summary>
    /// Prepares an evaluator of only the instruments <paramref name="evaluated"/> marks (aligned with the layout's
    /// instruments; null: all): the others' columns are left as the row holds them, e.g. a base's row whose other
    /// instruments a variant does not change. The marked instruments must not read outputs of unmarked ones.
    /// </summary>
    public TrialEvaluator(Scenario scenario, TrialLayout layout, IReadOnlyList<bool>? evaluated) : this(scenario, layout, evaluated, null)
    {
    }

    /// <summary>
    /// As <see cref="TrialEvaluator(Scenario, TrialLayout, IReadOnlyList{bool})"/>; with <paramref name="recording"/>, the
    /// instruments that record (<see cref="IRecordable"/>) also record each trial into it (their columns are the same).
    /// </summary>
    public TrialEvaluator(Scenario scenario, TrialLayout layout, IReadOnlyList<bool>? evaluated, RunRecording? recording)
    {
        _scenario = scenario;
        _layout = layout;
        _evaluators = layout.Instruments.Select((instrument, i) => evaluated is not null && !evaluated[i] ? Idle.Instance
            : recording?.For(layout, i, scenario.Trials) is { } record ? ((IRecordable)instrument).CreateRecordingEvaluator(layout.Bindings[i], record)
            : instrument.CreateEvaluator(layout.Bindings[i])).ToArray();
        _order = [.. layout.EvaluationOrder.Where(i => evaluated is null || evaluated[i])];
        Key = StreamKey.For(scenario.Seed, scenario.Name);
    }

    // Stands for an instrument that is not evaluated (never called; no scratch).
    private sealed class Idle : IInstrumentEvaluator
    {
        public static readonly Idle Instance = new();

        public object CreateScratch() => Instance;

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch) => throw new InvalidOperationException("an instrument left out of the evaluation was evaluated");
    }

    /// <summary>The stream key of the run.</summary>
    public StreamKey Key { get; }

    /// <summary>Per-thread buffers.</summary>
    public sealed class Scratch
    {
        internal Scratch(TrialEvaluator owner)
        {
            Paths = new FactorPaths(owner._scenario.Economy, owner._scenario.Trials);
            Instruments = owner._evaluators.Select(e => e.CreateScratch()).ToArray();
            Outputs = new double[owner._layout.OutputLength];
        }

        internal FactorPaths Paths { get; }
        internal object[] Instruments { get; }
        internal double[] Outputs { get; }
    }

    /// <summary>New per-thread buffers.</summary>
    public Scratch CreateScratch() => new(this);

    /// <summary>Evaluates trial <paramref name="trial"/> (1-based) into <paramref name="row"/>.</summary>
    public void Evaluate(long trial, Span<double> row, Scratch scratch)
    {
        var sampling = _scenario.ImportanceSampling;
        double logWeight = scratch.Paths.Draw(Key, trial, sampling?.Shift, sampling?.ShiftYears ?? 0);
        if (_layout.WeightColumn >= 0) row[_layout.WeightColumn] = Math.Exp(logWeight);
        var context = new TrialContext(Key, trial, scratch.Paths, scratch.Outputs);
        foreach (int i in _order) _evaluators[i].Evaluate(context, row, scratch.Instruments[i]);
    }
}
