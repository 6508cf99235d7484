using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Simulator.Core.Format;

namespace Simulator.Core.FundOfFunds.Format;

/// <summary>A fund-of-funds (母基金): stakes in funds of the scenario, its own LPs, fees, carry, concession and tolerance.</summary>
public sealed record FundOfFundsSpec : INamedSpec
{
    /// <summary>Name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Fund-of-funds name, unique among all items.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title (any language).")]
    public string? Title { get; init; }

    /// <summary>Stakes in sub-funds.</summary>
    [Required, MinLength(1), MaxLength(ScenarioLimits.ListItems), Description("Its stakes in funds of the scenario, each a fund name and the share of that fund's LP interests it holds.")]
    public List<SubFundCommitmentSpec>? Commitments { get; init; }

    /// <summary>Government share.</summary>
    [Range(0.0, 1.0), Description("Government share of the fund-of-funds' own LP interests (default 1).")]
    public double? GovernmentShare { get; init; }

    /// <summary>Fees.</summary>
    [Description("Its own management fee, carry and hurdle, on top of the sub-funds' (absent means none).")]
    public FundOfFundsFeesSpec? Fees { get; init; }

    /// <summary>Profit concession.</summary>
    [Range(0.0, 1.0), Description("Share of the government's profit at this level ceded to its private LPs (default 0).")]
    public double? Concession { get; init; }

    /// <summary>The manager's part of the concession.</summary>
    [Range(0.0, 1.0), Description("Share of what the government cedes at this level that goes to the fund-of-funds' manager rather than to its private (social) LPs; with governmentShare 1 only this part is ceded (absent: 0, and the split is not reported).")]
    public double? ConcessionToManager { get; init; }

    /// <summary>Tolerance.</summary>
    [Range(0.0, 1.0), Description("Loss tolerance on its paid-in capital (default: policy.tolerance.fundOfFunds, which follows policy.tolerance.angel unless the rule set or the file gives one).")]
    public double? Tolerance { get; init; }
}

/// <summary>A stake in a sub-fund.</summary>
public sealed record SubFundCommitmentSpec
{
    /// <summary>Sub-fund.</summary>
    [Required, Description("Name of a fund of the scenario (funds[].name).")]
    public string? Fund { get; init; }

    /// <summary>Share.</summary>
    [Required, Range(0.0, 1.0, MinimumIsExclusive = true), Description("Share of the fund's LP interests held, in (0, 1]; the shares of all funds-of-funds in one fund sum to at most 1.")]
    public double? Share { get; init; }
}

/// <summary>A fund-of-funds' own fees.</summary>
public sealed record FundOfFundsFeesSpec
{
    /// <summary>Management fee.</summary>
    [Range(0.0, 0.2), Description("Annual management fee on its capital in the sub-funds not yet returned (default 0).")]
    public double? Management { get; init; }

    /// <summary>Carry.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true), Description("Carried interest on its profit above the hurdle, with full catch-up (default 0).")]
    public double? Carry { get; init; }

    /// <summary>Hurdle.</summary>
    [Range(0.0, 1.0), Description("Its LPs' preferred return, compounded yearly (default 0).")]
    public double? Hurdle { get; init; }
}
