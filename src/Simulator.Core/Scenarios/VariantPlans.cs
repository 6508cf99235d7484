using Simulator.Core.Scenarios;

namespace Simulator.Core.Scenarios;

/// <summary>Where a variant comes from.</summary>
public enum VariantOrigin
{
    /// <summary>An entry of "variants".</summary>
    Variant,
    /// <summary>A combination of "sweep".</summary>
    Sweep,
    /// <summary>A sensitivity input moved down.</summary>
    SensitivityDown,
    /// <summary>A sensitivity input moved up.</summary>
    SensitivityUp,
}

/// <summary>One field a variant changes.</summary>
/// <param name="Path">The path as written.</param>
/// <param name="Value">The new value as JSON text.</param>
/// <param name="Number">The value when it is a number.</param>
public sealed record VariantSetting(string Path, string Value, double? Number);

/// <summary>A variant, ready to run on the base scenario's random numbers.</summary>
/// <param name="Name">Variant name (folder under variants/).</param>
/// <param name="Origin">Where it comes from.</param>
/// <param name="Settings">What it changes.</param>
/// <param name="Scenario">The variant as a scenario (same name, hence same random numbers, as the base).</param>
public sealed record ScenarioVariant(string Name, VariantOrigin Origin, IReadOnlyList<VariantSetting> Settings, Scenario Scenario);

/// <summary>The grid of a sweep: its paths and, per path, the values in order; variants follow in row-major order.</summary>
/// <param name="Paths">Swept paths, in file order.</param>
/// <param name="Values">Each path's values (as JSON text).</param>
/// <param name="Numbers">Each path's values as numbers (null where not numeric).</param>
public sealed record SweepPlan(IReadOnlyList<string> Paths, IReadOnlyList<IReadOnlyList<string>> Values, IReadOnlyList<IReadOnlyList<double?>> Numbers);

/// <summary>One input of a sensitivity analysis.</summary>
/// <param name="Path">The path.</param>
/// <param name="BaseValue">Its value in the base.</param>
/// <param name="Low">The value in the "down" variant.</param>
/// <param name="High">The value in the "up" variant.</param>
/// <param name="DownVariant">Name of the "down" variant.</param>
/// <param name="UpVariant">Name of the "up" variant.</param>
public sealed record SensitivityInput(string Path, double BaseValue, double Low, double High, string DownVariant, string UpVariant);

/// <summary>A sensitivity analysis: an output figure and the inputs moved up and down.</summary>
/// <param name="Output">The output figure (a comparison.csv column).</param>
/// <param name="Inputs">The inputs.</param>
public sealed record SensitivityPlan(string Output, IReadOnlyList<SensitivityInput> Inputs);
