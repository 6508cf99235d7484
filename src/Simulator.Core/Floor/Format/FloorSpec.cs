using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Simulator.Core.Format;

namespace Simulator.Core.Floor.Format;

/// <summary>
/// A floor on the share of each year's new investment that goes to seed and angel funds and direct projects (the Wuhan
/// plan's 20%: 武政办〔2025〕67号 item 2).
/// </summary>
public sealed record FloorSpec : INamedSpec
{
    /// <summary>Name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Floor name, unique among all items; names its columns and results.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title (any language).")]
    public string? Title { get; init; }

    /// <summary>Share.</summary>
    [Range(0.0, 1.0), Description("Smallest share of each year's new investment in seed and angel funds and direct projects (default 0.2).")]
    public double? Share { get; init; }

    /// <summary>Funds counted.</summary>
    [MaxLength(ScenarioLimits.ListItems), Description("The funds whose new investment is counted (funds[].name; default: every fund of the scenario).")]
    public List<string>? Funds { get; init; }
}
