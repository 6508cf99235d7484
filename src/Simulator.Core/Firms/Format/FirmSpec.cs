using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Simulator.Core.Firms;
using Simulator.Core.Format;

namespace Simulator.Core.Firms.Format;

/// <summary>
/// A book of tech firms, each with a bank loan and optionally an equity stake and a warrant in the same firm
/// (投贷联动, 认股选择权, 共赢贷), with the government's compensation of credit and investment losses.
/// </summary>
public sealed record FirmSpec : INamedSpec
{
    /// <summary>Book name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Name of the book of firms.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title (any language, e.g. 投贷联动试点); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }

    /// <summary>Firms per entry year.</summary>
    [Range(1, 1_000_000), Description("Firms entering in each of the years 1..years (give perYear and years, or firmTape).")]
    public int? PerYear { get; init; }

    /// <summary>Entry years.</summary>
    [Range(1, 50), Description("Firms enter in years 1..years.")]
    public int? Years { get; init; }

    /// <summary>Firm tape.</summary>
    [MaxLength(ScenarioLimits.TextLength), Description("CSV firm tape, path relative to the scenario file: one row per firm, columns id,entryYear and any of amount,termYears,pd,lgd,rate,fundingRate,check,notional,strikeMultiple,link and one per factor loading; a missing column takes the block's value. Give this or perYear and years.")]
    public string? FirmTape { get; init; }

    /// <summary>The loan leg.</summary>
    [Required, Description("The bank loan to each firm: a bullet loan.")]
    public FirmLoanSpec? Loan { get; init; }

    /// <summary>The equity leg.</summary>
    [Description("An equity stake in each firm (absent: no equity leg).")]
    public FirmEquitySpec? Equity { get; init; }

    /// <summary>The warrant.</summary>
    [Description("The bank's warrant (认股选择权) on each firm's equity (absent: none).")]
    public WarrantSpec? Warrant { get; init; }

    /// <summary>Dependence of the legs.</summary>
    [Range(0.0, 1.0), Description("Correlation of the legs' Gaussian copula given the factors: 0 independent, 1 comonotone (default 0).")]
    public double? Link { get; init; }

    /// <summary>Factor loadings.</summary>
    [MaxLength(ScenarioLimits.Factors), Description("Factor loadings by factor name, shared by both legs; their squares must sum to less than 1 (default none).")]
    public Dictionary<string, double>? Exposure { get; init; }

    /// <summary>Government compensation.</summary>
    [Description("The government's compensation of credit and investment losses (absent: none).")]
    public CompensationSpec? Compensation { get; init; }
}

/// <summary>The loan leg of every firm of a book.</summary>
public sealed record FirmLoanSpec
{
    /// <summary>Amount.</summary>
    [Description("Loan amount, CNY: a number or a distribution, drawn per firm and trial (required without a tape column).")]
    public DistributionSpec? Amount { get; init; }

    /// <summary>Term.</summary>
    [Range(1, 30), Description("Term in years: the full amount is outstanding from the entry year for termYears years (default 1).")]
    public int? TermYears { get; init; }

    /// <summary>Annual PD.</summary>
    [Description("Annual probability of default of a surviving loan, in [0, 1] (required without a tape column).")]
    public DistributionSpec? Pd { get; init; }

    /// <summary>LGD.</summary>
    [Description("Loss given default, in [0, 1] (default 1).")]
    public DistributionSpec? Lgd { get; init; }

    /// <summary>Interest rate.</summary>
    [Description("Annual interest rate on the amount while the loan is outstanding and not in default (default 0).")]
    public DistributionSpec? Rate { get; init; }

    /// <summary>Funding rate.</summary>
    [Description("The bank's annual funding cost on the amount while the loan is outstanding (default 0).")]
    public DistributionSpec? FundingRate { get; init; }

    /// <summary>Reference rate of the break-even comparison.</summary>
    [Range(0.0, 1.0), Description("The rate of the same loans without equity or warrant that the break-even notional compares against, e.g. the standard rate of a 共赢贷 discount (default: rate).")]
    public double? ReferenceRate { get; init; }
}

/// <summary>The equity leg.</summary>
public sealed record FirmEquitySpec
{
    /// <summary>Check.</summary>
    [Description("Equity check per firm at entry, CNY (required without a tape column).")]
    public DistributionSpec? Check { get; init; }

    /// <summary>Outcome model.</summary>
    [MaxLength(ScenarioLimits.NameLength), Description("Outcome model of the stake: a preset (seed, angel, venture) or one defined under \"outcomes\" (default seed).")]
    public string? Outcomes { get; init; }

    /// <summary>Holder.</summary>
    [Description("Who holds the stake: bank (its result is the bank's) or external (an investment arm or fund; reported apart) (default bank).")]
    public EquityHolder? Holder { get; init; }

    /// <summary>Latest exit.</summary>
    [Range(1, 30), Description("Years from entry to the latest exit: exit years of the outcome model are capped here, and a band without an exit law exits then (default 10).")]
    public int? HoldYears { get; init; }
}

/// <summary>The warrant (认股选择权).</summary>
public sealed record WarrantSpec
{
    /// <summary>Notional.</summary>
    [Description("Notional per firm, CNY: the warrant pays notional × max(0, multiple − strikeMultiple) at the equity's exit (required without a tape column).")]
    public DistributionSpec? Notional { get; init; }

    /// <summary>Strike.</summary>
    [Range(0.0, 1e6), Description("Strike as a multiple of the entry valuation (default 1).")]
    public double? StrikeMultiple { get; init; }
}

/// <summary>The government's compensation.</summary>
public sealed record CompensationSpec
{
    /// <summary>Share of credit losses.</summary>
    [Range(0.0, 1.0), Description("Share of each credit loss the government pays the bank (default 0).")]
    public double? CreditLoss { get; init; }

    /// <summary>Share of investment losses.</summary>
    [Range(0.0, 1.0), Description("Share of each equity loss (check − proceeds, when positive) the government pays the holder (default 0).")]
    public double? InvestmentLoss { get; init; }

    /// <summary>Budget.</summary>
    [Range(0.0, 1e15), Description("Total the government pays over the book, CNY (default: no limit).")]
    public double? Budget { get; init; }
}
