using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Simulator.Core.Guarantees;
using Simulator.Core.Format;

namespace Simulator.Core.Guarantees.Format;

/// <summary>A guarantee or risk-compensation scheme over a book of loans (spec §4).</summary>
public sealed record GuaranteeSpec : INamedSpec
{
    /// <summary>Scheme name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Scheme name.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title of the scheme (any language, e.g. 科技担保4222); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }

    /// <summary>Generated loan cohorts.</summary>
    [Description("Generated loan cohorts (give this or loanTape).")]
    public LoansSpec? Loans { get; init; }

    /// <summary>Loan tape path.</summary>
    [Description("CSV loan tape, path relative to the scenario file: columns id,amount,pd,lgd,termYears,startYear and one column per factor loading (or rho with one factor). Give this or loans.")]
    public string? LoanTape { get; init; }

    /// <summary>Opt-in grading of the tape's PDs.</summary>
    [Description("Only with loanTape: put loans whose PDs differ by little into one risk class (grade), each loan's PD moving by at most maxRelativeError of itself; absent: every distinct PD is its own class (exact).")]
    public PdGradingSpec? PdGrading { get; init; }

    /// <summary>Loss shares.</summary>
    [Required, Description("Share of every default loss carried by each party; the shares sum to 1.")]
    public SharesSpec? Shares { get; init; }

    /// <summary>The guarantor.</summary>
    [Description("The guarantor's capital, leverage cap, fees, costs and yield (required when shares.guarantor > 0).")]
    public GuarantorSpec? Guarantor { get; init; }

    /// <summary>The government risk-compensation pool.</summary>
    [Description("The government pool's budget, cumulative cap and who takes what it cannot pay (absent: no limit).")]
    public GovernmentPoolSpec? Government { get; init; }

    /// <summary>Suspension trigger.</summary>
    [Range(0.0, 1.0), Description("Stop new loans for good once the guarantor's cumulative payouts exceed this share of the cumulative guaranteed amount (absent: never).")]
    public double? SuspendAbovePayoutRate { get; init; }
}

/// <summary>Generated loan cohorts.</summary>
public sealed record LoansSpec
{
    /// <summary>Loans per year.</summary>
    [Required, Range(1, 1_000_000), Description("New loans offered in each cohort year (fewer are issued if the leverage cap binds).")]
    public int? PerYear { get; init; }

    /// <summary>Cohort years.</summary>
    [Required, Range(1, 50), Description("Cohorts are offered in years 1..years.")]
    public int? Years { get; init; }

    /// <summary>Amount distribution.</summary>
    [Required, Description("Loan amount (CNY): a number or a distribution; drawn per loan and trial.")]
    public DistributionSpec? Amount { get; init; }

    /// <summary>Per-borrower cap.</summary>
    [Range(0.0, 1e15, MinimumIsExclusive = true), Description("Amounts are capped here (CNY; e.g. 3.0e7 under the Wuhan rule; default: no cap).")]
    public double? MaxPerBorrower { get; init; }

    /// <summary>Term.</summary>
    [Range(1, 30), Description("Bullet loans: full amount outstanding for termYears years (default 1).")]
    public int? TermYears { get; init; }

    /// <summary>Annual PD.</summary>
    [Required, Range(0.0, 1.0), Description("Annual probability of default of a surviving loan.")]
    public double? Pd { get; init; }

    /// <summary>LGD.</summary>
    [Description("Loss given default, a number or a distribution on [0, 1], independent of the factors (default 1: no recovery).")]
    public DistributionSpec? Lgd { get; init; }

    /// <summary>Factor loadings.</summary>
    [MaxLength(ScenarioLimits.Factors), Description("Factor loadings by factor name; their squares must sum to less than 1.")]
    public Dictionary<string, double>? Exposure { get; init; }
}

/// <summary>The opt-in grading of a loan tape's PDs (docs/model.md §7, "PD grading").</summary>
public sealed record PdGradingSpec
{
    /// <summary>The allowed relative change of a loan's PD.</summary>
    [Required, Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true),
     Description("Largest relative change of any loan's PD, |graded − pd| / pd (e.g. 0.01: a PD of 2% becomes one from 1.98% to 2.02%).")]
    public double? MaxRelativeError { get; init; }
}

/// <summary>Who carries each default loss.</summary>
public sealed record SharesSpec
{
    /// <summary>Guarantor.</summary>
    [Range(0.0, 1.0), Description("The guarantor's share (default 0).")]
    public double? Guarantor { get; init; }

    /// <summary>Re-guarantee.</summary>
    [Range(0.0, 1.0), Description("The re-guarantee layer's share, e.g. the national financing guarantee fund (default 0).")]
    public double? ReGuarantee { get; init; }

    /// <summary>Bank.</summary>
    [Range(0.0, 1.0), Description("The lending bank's share (default 0).")]
    public double? Bank { get; init; }

    /// <summary>Government pool.</summary>
    [Range(0.0, 1.0), Description("The government risk-compensation pool's share (default 0).")]
    public double? Government { get; init; }
}

/// <summary>The guarantor.</summary>
public sealed record GuarantorSpec
{
    /// <summary>Capital.</summary>
    [Required, Range(0.0, 1e15), Description("Capital (net assets) at the start, CNY.")]
    public double? Capital { get; init; }

    /// <summary>Leverage cap.</summary>
    [Range(0.0, 1000.0, MinimumIsExclusive = true), Description("A new loan is guaranteed only if outstanding guarantees including it stay within leverageCap × capital (default 10, the regulatory cap for financing guarantee companies).")]
    public double? LeverageCap { get; init; }

    /// <summary>Fee rate.</summary>
    [Range(0.0, 0.2), Description("Annual guarantee fee on the outstanding amount (default 0).")]
    public double? FeeRate { get; init; }

    /// <summary>Cost rate.</summary>
    [Range(0.0, 0.2), Description("Annual operating cost on the outstanding amount (default 0).")]
    public double? CostRate { get; init; }

    /// <summary>Yield on capital.</summary>
    [Range(-0.5, 0.5), Description("Annual investment yield on capital (default 0).")]
    public double? Yield { get; init; }
}

/// <summary>The government risk-compensation pool.</summary>
public sealed record GovernmentPoolSpec
{
    /// <summary>Budget.</summary>
    [Range(0.0, 1e15), Description("Total the pool can ever pay, CNY (default: no limit).")]
    public double? Budget { get; init; }

    /// <summary>Cumulative cap.</summary>
    [Range(0.0, 1.0), Description("The pool's cumulative payments stay within capRate × cumulative guaranteed amount (default: no cap).")]
    public double? CapRate { get; init; }

    /// <summary>Shortfall recipient.</summary>
    [Description("Who takes what the pool cannot pay: guarantor | bank | proRata (default guarantor).")]
    public ShortfallTo? ShortfallTo { get; init; }
}
