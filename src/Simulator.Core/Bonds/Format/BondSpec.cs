using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Core.Format;

namespace Simulator.Core.Bonds.Format;

/// <summary>A sci-tech innovation bond repaid from fund distributions (docs/scenario-format.md, "bonds").</summary>
public sealed record BondSpec : INamedSpec
{
    /// <summary>Bond name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Bond name.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title of the bond (any language); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }

    /// <summary>Source funds.</summary>
    [Required, MaxLength(ScenarioLimits.ListItems), Description("The funds whose gross exit proceeds pay the issuer, each with the issuer's share of them.")]
    public List<BondSourceSpec>? Sources { get; init; }

    /// <summary>Other income.</summary>
    [Range(0.0, 1e15), Description("The issuer's income each year besides the funds (CNY, default 0).")]
    public double? OtherIncome { get; init; }

    /// <summary>Reserve.</summary>
    [Range(0.0, 1e15), Description("The issuer's cash at issue (CNY, default 0).")]
    public double? Reserve { get; init; }

    /// <summary>Face amount.</summary>
    [Required, Range(0.0, 1e15, MinimumIsExclusive = true), Description("Face amount of the bond (CNY).")]
    public double? Amount { get; init; }

    /// <summary>Coupon.</summary>
    [Required, Range(0.0, 1.0), Description("Annual coupon rate on the outstanding principal, e.g. 0.0185.")]
    public double? Coupon { get; init; }

    /// <summary>Term.</summary>
    [Required, Range(1, 30), Description("Term in years: coupons fall due at the end of years issueYear .. issueYear + termYears − 1.")]
    public int? TermYears { get; init; }

    /// <summary>Issue year.</summary>
    [Range(1, 50), Description("Scenario year of issue (default 1, the funds' first year).")]
    public int? IssueYear { get; init; }

    /// <summary>Amortisation.</summary>
    [Description("bullet (all principal at maturity, the default) | linear (amount / termYears each year).")]
    public BondAmortisation? Amortisation { get; init; }

    /// <summary>Credit enhancement.</summary>
    [Description("Shares of any loss taken by the central bank's risk-sharing tool and a local guarantor; the bondholders bear the rest.")]
    public EnhancementSpec? Enhancement { get; init; }

    /// <summary>Recovery rule.</summary>
    [Description("\"later-inflows\" (default: the issuer's later inflows pay the unpaid claim down) or a fixed recovery rate in [0, 1].")]
    public JsonElement? Recovery { get; init; }

    /// <summary>Risk-free rate.</summary>
    [Range(0.0, 0.2), Description("Annual risk-free rate for the break-even coupon (default 0.015).")]
    public double? RiskFreeRate { get; init; }
}

/// <summary>A source fund of a bond.</summary>
public sealed record BondSourceSpec
{
    /// <summary>Fund name.</summary>
    [Required, Description("Name of a fund of the scenario.")]
    public string? Fund { get; init; }

    /// <summary>Share.</summary>
    [Required, Range(0.0, 1.0, MinimumIsExclusive = true), Description("The issuer's share of the fund's gross exit proceeds, in (0, 1].")]
    public double? Share { get; init; }
}

/// <summary>A bond's credit enhancement: shares of its loss.</summary>
public sealed record EnhancementSpec
{
    /// <summary>Tool share.</summary>
    [Range(0.0, 1.0), Description("The central bank risk-sharing tool's share of any loss (default 0).")]
    public double? Tool { get; init; }

    /// <summary>Local guarantor share.</summary>
    [Range(0.0, 1.0), Description("The local guarantor's share of any loss (default 0).")]
    public double? LocalGuarantor { get; init; }
}
