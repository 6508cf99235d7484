using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>Everything a run produced besides trials.csv, which is streamed.</summary>
/// <param name="Scenario">The scenario as run (with command-line overrides applied).</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Instruments">Each instrument's results, aligned with the scenario's instruments.</param>
public sealed record SimulationResult(Scenario Scenario, long Trials, IReadOnlyList<IInstrumentResult> Instruments)
{
    /// <summary>What importance sampling did (null for plain sampling).</summary>
    public ImportanceSamplingReport? ImportanceSampling { get; init; }

    /// <summary>The key figures' errors from the Sobol randomisations (null for plain sampling).</summary>
    public QuasiRandomReport? QuasiRandom { get; init; }

    /// <summary>How the precision target was met (null without one).</summary>
    public PrecisionReport? Precision { get; init; }

    /// <summary>The government's net cost across every instrument (null when no instrument involves the government).</summary>
    public GovernmentExposure? Government { get; init; }

    /// <summary>The results of the instrument of kind <typeparamref name="T"/> (null when the scenario has none).</summary>
    public T? Get<T>() where T : class, IInstrumentResult => Instruments.OfType<T>().FirstOrDefault();
}
