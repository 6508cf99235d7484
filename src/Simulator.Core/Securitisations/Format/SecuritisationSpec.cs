using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Simulator.Core.Format;

namespace Simulator.Core.Securitisations.Format;

/// <summary>An IP securitisation over its own small pool of pledge loans (docs/scenario-format.md, "securitisations").</summary>
public sealed record SecuritisationSpec : INamedSpec
{
    /// <summary>Deal name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Deal name.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title of the deal (any language); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }

    /// <summary>The pool.</summary>
    [Required, MaxLength(ScenarioLimits.ListItems), Description("The pool's loans: rows of identical loans (count of them, amount, rate, pd, lgd, termYears).")]
    public List<PoolLoanSpec>? Loans { get; init; }

    /// <summary>Factor loadings.</summary>
    [MaxLength(ScenarioLimits.Factors), Description("Factor loadings of every loan of the pool by factor name; their squares must sum to less than 1 (default none: independent loans).")]
    public Dictionary<string, double>? Exposure { get; init; }

    /// <summary>Senior tranche.</summary>
    [Required, Description("The senior tranche: its share of the pool's principal and its coupon.")]
    public SeniorTrancheSpec? Senior { get; init; }

    /// <summary>Subordinate tranche.</summary>
    [Description("The subordinate tranche (the rest of the pool's principal): its coupon.")]
    public SubordinateTrancheSpec? Subordinate { get; init; }

    /// <summary>Excess spread rule.</summary>
    [Description("trapped (default: kept in a reserve that pays later shortfalls, released at the end) | released (paid out each year).")]
    public ExcessSpread? ExcessSpread { get; init; }

    /// <summary>The shortfall guarantor.</summary>
    [Description("The guarantor that pays any senior shortfall (差额支付) as far as its capital goes (absent: none).")]
    public ShortfallGuarantorSpec? ShortfallGuarantor { get; init; }
}

/// <summary>What happens to excess spread.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ExcessSpread>))]
public enum ExcessSpread
{
    /// <summary>Kept in a reserve for later years' shortfalls; what is left is released at the end.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("trapped")] Trapped,
    /// <summary>Paid out to the originator each year.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("released")] Released,
}

/// <summary>A row of identical pool loans.</summary>
public sealed record PoolLoanSpec
{
    /// <summary>Number of loans.</summary>
    [Range(1, 1000), Description("Number of identical loans in this row (default 1).")]
    public int? Count { get; init; }

    /// <summary>Principal.</summary>
    [Required, Range(0.0, 1e15, MinimumIsExclusive = true), Description("Principal of each loan (CNY).")]
    public double? Amount { get; init; }

    /// <summary>Interest rate.</summary>
    [Range(0.0, 1.0), Description("Annual interest rate paid on the principal while the loan performs (default 0).")]
    public double? Rate { get; init; }

    /// <summary>Annual PD.</summary>
    [Required, Range(0.0, 1.0), Description("Annual probability of default of a surviving loan.")]
    public double? Pd { get; init; }

    /// <summary>LGD.</summary>
    [Range(0.0, 1.0), Description("Loss given default, a share of the principal (default 1: nothing recovered).")]
    public double? Lgd { get; init; }

    /// <summary>Term.</summary>
    [Range(1, 30), Description("Bullet loan: principal repaid at the end of year termYears (default 1).")]
    public int? TermYears { get; init; }
}

/// <summary>The senior tranche.</summary>
public sealed record SeniorTrancheSpec
{
    /// <summary>Share of the pool.</summary>
    [Required, Range(0.0, 1.0), Description("The senior notes' share of the pool's principal.")]
    public double? Share { get; init; }

    /// <summary>Coupon.</summary>
    [Range(0.0, 1.0), Description("Annual coupon on the senior notes outstanding (default 0).")]
    public double? Coupon { get; init; }
}

/// <summary>The subordinate tranche.</summary>
public sealed record SubordinateTrancheSpec
{
    /// <summary>Coupon.</summary>
    [Range(0.0, 1.0), Description("Annual coupon on the subordinate notes outstanding (default 0).")]
    public double? Coupon { get; init; }
}

/// <summary>The shortfall guarantor.</summary>
public sealed record ShortfallGuarantorSpec
{
    /// <summary>Capital.</summary>
    [Required, Range(0.0, 1e15), Description("The guarantor's capital available for this deal (CNY).")]
    public double? Capital { get; init; }
}
