using Simulator.Core.Economy;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// A validated scenario, ready to run: immutable, with every default resolved. Built only by
/// <see cref="ScenarioLoader"/> (through <see cref="ScenarioBuilder"/>), so holding one means the file was valid.
/// </summary>
/// <param name="Name">Scenario name (output folder).</param>
/// <param name="Title">Display title (the name when the file has none).</param>
/// <param name="Description">Free text.</param>
/// <param name="Trials">Number of trials.</param>
/// <param name="Seed">Seed.</param>
/// <param name="HorizonYears">Simulated horizon.</param>
/// <param name="Economy">Factors and stresses.</param>
/// <param name="InstrumentList">The instruments, one per registered kind in the format's order, each possibly without items.</param>
/// <param name="ReportLossRatios">Extra loss-ratio thresholds to report exceedance probabilities for.</param>
/// <param name="ReportExceedance">Credit-loss thresholds to report exceedance probabilities for.</param>
/// <param name="FilledJson">The scenario as written with defaults filled in, as JSON text (written back as scenario.json); immutable, read with <see cref="Spec"/>.</param>
/// <param name="SourceFile">The file it came from.</param>
public sealed record Scenario(
    string Name, string Title, string? Description, int Trials, long Seed, int HorizonYears,
    EconomyModel Economy, IReadOnlyList<Instruments.IInstrument> InstrumentList, IReadOnlyList<double> ReportLossRatios,
    IReadOnlyList<double> ReportExceedance,
    string FilledJson, string SourceFile)
{
    /// <summary>The precision target (null: run exactly <see cref="Trials"/> trials).</summary>
    public Statistics.PrecisionTarget? Precision { get; init; }

    /// <summary>Importance sampling settings (null: plain sampling).</summary>
    public Statistics.ImportanceSamplingSettings? ImportanceSampling { get; init; }

    /// <summary>For a variant: its name (its random numbers are the base scenario's, keyed by <see cref="Name"/>).</summary>
    public string? VariantName { get; init; }

    /// <summary>Variants to run on the same random numbers (from "variants", "sweep" and "sensitivity").</summary>
    public IReadOnlyList<ScenarioVariant> Variants { get; init; } = [];

    /// <summary>The sweep's grid, when the file has a sweep.</summary>
    public SweepPlan? Sweep { get; init; }

    /// <summary>The sensitivity analysis, when the file asks for one.</summary>
    public SensitivityPlan? Sensitivity { get; init; }

    /// <summary>The solve the file asks for (its "solve" block), checked.</summary>
    public SolvePlan? Solve { get; init; }

    /// <summary>The folder the scenario's input files (loan tapes) were resolved against.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>
    /// The scenario's instruments, one per registered kind in the format's order (funds, then guarantee schemes), each
    /// possibly without items. A variant has its own, built from its own fields.
    /// </summary>
    public IReadOnlyList<Instruments.IInstrument> Instruments() => InstrumentList;

    /// <summary>The instrument of kind <typeparamref name="T"/>, if the scenario has that kind.</summary>
    public T? Get<T>() where T : class, Instruments.IInstrument => InstrumentList.OfType<T>().FirstOrDefault();

    /// <summary>
    /// The scenario as written with defaults filled in, read anew from <see cref="FilledJson"/> on every call: the spec
    /// records are the format's mutable classes, so the scenario keeps only their text and hands out copies.
    /// </summary>
    public ScenarioSpec Spec() => ScenarioLoader.ReadFilled(FilledJson);

    /// <summary>The same scenario (and its variants) with the command line's overrides of trials and seed applied.</summary>
    public Scenario WithRunSettings(int? trials, long? seed)
    {
        int t = trials ?? Trials;
        long s = seed ?? Seed;
        var spec = Spec();
        var simulation = (spec.Simulation ?? new SimulationSpec()) with { Trials = t, Seed = s };
        return this with
        {
            Trials = t, Seed = s, FilledJson = ScenarioLoader.Write(ScenarioDefaults.With(spec, simulation)),
            Variants = Variants.Select(v => v with { Scenario = v.Scenario.WithRunSettings(trials, seed) }).ToList(),
        };
    }
}
