using Simulator.Core.Economy;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

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
/// <param name="Funds">Funds in file order.</param>
/// <param name="Guarantees">Guarantee schemes in file order.</param>
/// <param name="ReportLossRatios">Extra loss-ratio thresholds to report exceedance probabilities for.</param>
/// <param name="ReportExceedance">Credit-loss thresholds to report exceedance probabilities for.</param>
/// <param name="Spec">The scenario as written with defaults filled in (written back as scenario.json).</param>
/// <param name="SourceFile">The file it came from.</param>
public sealed record Scenario(
    string Name, string Title, string? Description, int Trials, long Seed, int HorizonYears,
    EconomyModel Economy, IReadOnlyList<Fund> Funds, IReadOnlyList<Guarantee> Guarantees, IReadOnlyList<double> ReportLossRatios,
    IReadOnlyList<double> ReportExceedance,
    ScenarioSpec Spec, string SourceFile)
{
    /// <summary>The precision target (null: run exactly <see cref="Trials"/> trials).</summary>
    public Statistics.PrecisionTarget? Precision { get; init; }

    /// <summary>Importance sampling settings (null: plain sampling).</summary>
    public Statistics.ImportanceSamplingSettings? ImportanceSampling { get; init; }

    /// <summary>For a variant: its name (its random numbers are the base scenario's, keyed by <see cref="Name"/>).</summary>
    public string? VariantName { get; init; }

    /// <summary>Variants to run on the same random numbers (from "variants", "sweep" and "sensitivity").</summary>
    public IReadOnlyList<Variants.ScenarioVariant> Variants { get; init; } = [];

    /// <summary>The sweep's grid, when the file has a sweep.</summary>
    public Variants.SweepPlan? Sweep { get; init; }

    /// <summary>The sensitivity analysis, when the file asks for one.</summary>
    public Variants.SensitivityPlan? Sensitivity { get; init; }

    /// <summary>
    /// The scenario's instruments, one per kind in a fixed order (funds, then guarantee schemes), each possibly without
    /// items. Built anew from the scenario's fields, so a variant's instruments follow its own fields.
    /// </summary>
    public IReadOnlyList<Instruments.IInstrument> Instruments() =>
        [new FundsInstrument(Funds, Economy), new GuaranteesInstrument(Guarantees, ReportExceedance)];

    /// <summary>The same scenario (and its variants) with the command line's overrides of trials and seed applied.</summary>
    public Scenario WithRunSettings(int? trials, long? seed)
    {
        int t = trials ?? Trials;
        long s = seed ?? Seed;
        var simulation = (Spec.Simulation ?? new SimulationSpec()) with { Trials = t, Seed = s };
        return this with
        {
            Trials = t, Seed = s, Spec = ScenarioDefaults.With(Spec, simulation),
            Variants = Variants.Select(v => v with { Scenario = v.Scenario.WithRunSettings(trials, seed) }).ToList(),
        };
    }
}
