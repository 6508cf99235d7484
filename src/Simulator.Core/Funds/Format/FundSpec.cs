using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Core.Format;

namespace Simulator.Core.Funds.Format;

/// <summary>A fund or direct-investment programme.</summary>
public sealed record FundSpec : INamedSpec
{
    /// <summary>Fund name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Fund name.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title of the fund (any language, e.g. 种子基金A); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Fund type.</summary>
    [Required, Description("seed | angel | venture | industry | buyout | direct.")]
    public FundType? Type { get; init; }

    /// <summary>Seed-stage or future-industry fund.</summary>
    [Description("A seed-stage or future-industry fund (种子期或未来产业基金): judged with policy.tolerance.futureIndustry when the rule set or the policy gives one (default false).")]
    public bool? FutureIndustry { get; init; }

    /// <summary>Commitment.</summary>
    [Required, Range(0.0, 1e15, MinimumIsExclusive = true), Description("Capital committed by the LPs (CNY): pays the checks and the fees.")]
    public double? Commitment { get; init; }

    /// <summary>Government LP share.</summary>
    [Range(0.0, 1.0), Description("Government LP share of the commitment (default 0.5).")]
    public double? GovernmentShare { get; init; }

    /// <summary>Number of projects.</summary>
    [Required, Range(1, 100_000), Description("Number of portfolio projects.")]
    public int? Deals { get; init; }

    /// <summary>Check size.</summary>
    [Required, Description("Invested per project (CNY): a number or a distribution.")]
    public DistributionSpec? Check { get; init; }

    /// <summary>Vintage.</summary>
    [Range(1, 50), Description("Vintage: the simulated year of the fund's first investment year (default 1). Its investment years, exposure windows, exits and cash flows shift with it, on the trial's one factor path.")]
    public int? StartYear { get; init; }

    /// <summary>Investment period.</summary>
    [Range(1, 15), Description("Investment period in years: project k is made in year 1 + floor(k·investmentYears/deals) (default min(4, lifeYears)).")]
    public int? InvestmentYears { get; init; }

    /// <summary>Fund life.</summary>
    [Range(1, 15), Description("Fund life in years, at most 15 (default 10).")]
    public int? LifeYears { get; init; }

    /// <summary>Outcome model.</summary>
    [Description("Outcome model: a preset (seed, angel, venture, industry, buyout) or a custom model's name (default: the fund type's preset; angel for direct).")]
    public string? Outcomes { get; init; }

    /// <summary>Factor loadings.</summary>
    [MaxLength(ScenarioLimits.Factors), Description("Factor loadings by factor name; their squares must sum to less than 1.")]
    public Dictionary<string, double>? Exposure { get; init; }

    /// <summary>Tolerance override.</summary>
    [Range(0.0, 1.0), Description("Loss tolerance overriding policy.tolerance for this fund (for direct: per project).")]
    public double? Tolerance { get; init; }

    /// <summary>Fees.</summary>
    [Description("Management fee, carry and hurdle (absent means none).")]
    public FeesSpec? Fees { get; init; }

    /// <summary>Profit concession.</summary>
    [Range(0.0, 1.0), Description("Share of the government's profit ceded to the private LPs (default 0).")]
    public double? Concession { get; init; }

    /// <summary>The manager's part of the concession.</summary>
    [Range(0.0, 1.0), Description("Share of what the government cedes under its concession that goes to the manager (GP) rather than to the private (social) LPs; with governmentShare 1 only this part is ceded (absent: 0, and the split is not reported).")]
    public double? ConcessionToManager { get; init; }

    /// <summary>Due-diligence exemption.</summary>
    [Description("Due-diligence exemption (尽职合规责任豁免): excused project losses are removed before the tolerance test (absent: none).")]
    public ExemptionSpec? Exemption { get; init; }
}

/// <summary>Fund fees.</summary>
public sealed record FeesSpec
{
    /// <summary>Management fee.</summary>
    [Range(0.0, 0.2), Description("Annual management fee: on the commitment during the investment period, then on the cost of unexited projects (default 0).")]
    public double? Management { get; init; }

    /// <summary>Carry.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true), Description("Carried interest share of profits above the hurdle, with full catch-up (default 0).")]
    public double? Carry { get; init; }

    /// <summary>Hurdle.</summary>
    [Range(0.0, 1.0), Description("Preferred return to LPs, compounded yearly (default 0).")]
    public double? Hurdle { get; init; }
}
