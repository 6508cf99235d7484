using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Core.Bonds.Format;
using Simulator.Core.Format;
using Simulator.Core.Funds.Format;
using Simulator.Core.FundOfFunds.Format;
using Simulator.Core.Guarantees.Format;
using Simulator.Core.Relay.Format;
using Simulator.Core.Floor.Format;
using Simulator.Core.Firms.Format;
using Simulator.Core.Securitisations.Format;

namespace Simulator.Core.Scenarios;

// The scenario file's model (spec §2-3). These classes are the single source of truth for the format:
// the binder reads files into them (with the attributes' ranges), the JSON Schema is generated from them,
// and the filled-in copy is written back as scenario.json. They are data only; the simulation works on the
// immutable model built from them (see ScenarioBuilder). Each instrument kind's list is a property marked with
// [InstrumentList(typeof(TheKindsFormat))]: that line registers the kind (see docs/architecture.md).


/// <summary>A scenario file.</summary>
public sealed record ScenarioSpec
{
    /// <summary>Scenario name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Scenario name; names the output folder.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title used in plots and reports (any language).")]
    public string? Title { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description of the scenario.")]
    public string? Description { get; init; }

    /// <summary>Version of the program that wrote this file (scenario.json); informational.</summary>
    [Description("Version of the program that wrote this file (set in scenario.json); ignored on input.")]
    public string? ProgramVersion { get; init; }

    /// <summary>Simulation settings.</summary>
    [Description("Number of trials, seed and horizon.")]
    public SimulationSpec? Simulation { get; init; }

    /// <summary>Systematic factors.</summary>
    [MaxLength(ScenarioLimits.Factors), Description("Systematic risk factors: each a standard normal per year following an AR(1) process.")]
    public List<FactorSpec>? Factors { get; init; }

    /// <summary>Factor stresses.</summary>
    [Description("Shifts of a factor's level in some years.")]
    public List<StressSpec>? Stresses { get; init; }

    /// <summary>The copula of the factors and idiosyncratic terms (Gaussian when absent).</summary>
    [Description("Dependence of the factors and the items' idiosyncratic terms: absent (or {}) the Gaussian copula; { \"t\": { \"df\": 4 } } the Student-t copula, one chi-square mixing draw per trial shared by every latent variable (fat joint tails, marginals unchanged).")]
    public CopulaSpec? Copula { get; init; }

    /// <summary>Policy rules.</summary>
    [Description("Loss-tolerance rules; defaults are the Wuhan rules.")]
    public PolicySpec? Policy { get; init; }

    /// <summary>Custom outcome models by name.</summary>
    [Description("Custom outcome models by name; built-in presets: seed, angel, venture, industry, buyout (a custom model with a preset's name replaces it).")]
    public Dictionary<string, OutcomeModelSpec>? Outcomes { get; init; }

    /// <summary>Funds.</summary>
    [InstrumentList(typeof(FundsFormat)), Description("Equity funds and direct-investment programmes.")]
    public List<FundSpec>? Funds { get; init; }

    /// <summary>Funds-of-funds.</summary>
    [InstrumentList(typeof(FundsOfFundsFormat)), Description("Funds-of-funds: stakes in the scenario's funds, with their own LPs, fees, carry, concession and tolerance on paid-in capital.")]
    public List<FundOfFundsSpec>? FundOfFunds { get; init; }

    /// <summary>Relay buyers.</summary>
    [InstrumentList(typeof(RelayFormat)), Description("Relay buyers (接力投资): a venture or industry fund (or a vehicle of its own) spending up to a share of its yearly new investment on seed and angel funds' projects at an interim mark; judged under the sellers' tolerance.")]
    public List<RelaySpec>? Relay { get; init; }

    /// <summary>Floors on the yearly share of new investment in seed/angel funds and direct projects.</summary>
    [InstrumentList(typeof(FloorFormat)), Description("Floors (the Wuhan plan's 20%): the smallest share of each year's new investment of the scenario's funds that goes to seed and angel funds and direct projects.")]
    public List<FloorSpec>? Floor { get; init; }

    /// <summary>Guarantee schemes (spec §4).</summary>
    [InstrumentList(typeof(GuaranteesFormat)), Description("Guarantee and risk-compensation schemes over loan books.")]
    public List<GuaranteeSpec>? Guarantees { get; init; }

    /// <summary>Books of firms with loans and equity in the same firm.</summary>
    [InstrumentList(typeof(FirmsFormat)), Description("Books of tech firms with a bank loan and an equity stake or warrant in the same firm (投贷联动, 认股选择权, 共赢贷).")]
    public List<FirmSpec>? Firms { get; init; }
    /// <summary>Sci-tech innovation bonds repaid from fund distributions.</summary>
    [InstrumentList(typeof(BondsFormat)), Description("Sci-tech innovation bonds repaid from the issuer's share of its funds' exit proceeds, with the central bank's risk-sharing tool.")]
    public List<BondSpec>? Bonds { get; init; }

    /// <summary>IP securitisations over small pools of pledge loans.</summary>
    [InstrumentList(typeof(SecuritisationsFormat)), Description("IP securitisations: a small pool of IP-pledge loans on the factors, senior and subordinate tranches, a shortfall guarantor.")]
    public List<SecuritisationSpec>? Securitisations { get; init; }

    /// <summary>Variants (spec §6).</summary>
    [Description("Variants: each runs the base scenario with some fields changed, on the same random numbers.")]
    public List<VariantSpec>? Variants { get; init; }

    /// <summary>Sweep (spec §6).</summary>
    [Description("Sweep: path → list of values; every combination becomes a variant named from leaf names and values.")]
    public Dictionary<string, List<JsonElement>>? Sweep { get; init; }

    /// <summary>Sensitivity analysis.</summary>
    [Description("Sensitivity: move each input up and down by a stated amount and chart the effect on one output (tornado).")]
    public SensitivitySpec? Sensitivity { get; init; }

    /// <summary>Solving for a setting (issue 20).</summary>
    [Description("Solve for a setting: the value of one numeric field (vary) at which a key figure meets a target, found on the base's random numbers (common random numbers).")]
    public SolveSpec? Solve { get; init; }

    /// <summary>Extra report thresholds.</summary>
    [Description("Extra thresholds to report exceedance probabilities for.")]
    public ReportSpec? Report { get; init; }
}

/// <summary>The copula: Gaussian unless <see cref="T"/> is given.</summary>
public sealed record CopulaSpec
{
    /// <summary>The Student-t copula.</summary>
    [Description("Student-t copula: every latent variable of a trial divided by one √(W/ν), W ~ χ²(ν); thresholds and outcome uniforms on the t scale, so each item's marginal law is unchanged.")]
    public StudentTCopulaSpec? T { get; init; }
}

/// <summary>The Student-t copula's parameters.</summary>
public sealed record StudentTCopulaSpec
{
    /// <summary>Degrees of freedom ν.</summary>
    [Required, Range(1.0, 1000.0), Description("Degrees of freedom ν (1 to 1000): the smaller, the fatter the joint tails (4 is common in credit; as ν grows the copula tends to the Gaussian).")]
    public double? Df { get; init; }
}

/// <summary>Simulation settings.</summary>
public sealed record SimulationSpec
{
    /// <summary>Number of trials.</summary>
    [Range(1, 1_000_000_000), Description("Number of Monte Carlo trials (default 100000).")]
    public int? Trials { get; init; }

    /// <summary>Seed.</summary>
    [Range(typeof(long), "0", "9223372036854775807"), Description("Random seed, a non-negative integer (default 1).")]
    public long? Seed { get; init; }

    /// <summary>Horizon.</summary>
    [Range(1, 100), Description("Simulated horizon in years (default: the longest fund life, at least 1). Factors are still drawn for every year an item needs.")]
    public int? HorizonYears { get; init; }

    /// <summary>Precision target (spec §7).</summary>
    [Description("Precision target: run trials in deterministic blocks until every breach probability and p99 loss reaches this relative standard error, or trials is spent.")]
    public PrecisionSpec? Precision { get; init; }

    /// <summary>How the factor draws are sampled.</summary>
    [Description("Sampling of the factor draws: \"random\" (default, plain Monte Carlo), \"sobol\" (randomised quasi-Monte Carlo: scrambled Sobol points in 16 independent randomisations, trial i in randomisation (i − 1) mod 16) or \"lhs\" (Latin hypercube sampling in 16 independent randomisations, the same way); every standard error then comes from the randomisations, and summary.json's quasiRandom block compares it with plain sampling's.")]
    public string? Sampling { get; init; }

    /// <summary>Importance sampling (spec §7).</summary>
    [Description("Importance sampling of the factors: true (shift chosen automatically) or { \"shift\": { \"macro\": -2.5 } } (mean shift of each factor's yearly innovations, in standard deviations).")]
    public JsonElement? ImportanceSampling { get; init; }
}

/// <summary>A precision target.</summary>
public sealed record PrecisionSpec
{
    /// <summary>Target relative standard error.</summary>
    [Required, Range(0.0, 1.0, MinimumIsExclusive = true), Description("Target relative standard error (standard error / estimate), e.g. 0.01.")]
    public double? RelativeError { get; init; }

    /// <summary>Check interval.</summary>
    [Range(1024, 100_000_000), Description("Trials between checks (rounded up to whole blocks of 1024; default 16384). Checks fall at the same trial counts whatever the thread count.")]
    public int? CheckEvery { get; init; }
}



/// <summary>A variant of the scenario.</summary>
public sealed record VariantSpec
{
    /// <summary>Variant name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Variant name (its results go to variants/<name>/).")]
    public string? Name { get; init; }

    /// <summary>Settings.</summary>
    [Required, Description("Path → new value; paths address the scenario with defaults filled in, e.g. \"policy.tolerance.seed\", \"funds[seed-a].deals\", \"guarantees[0].shares\".")]
    public Dictionary<string, JsonElement>? Set { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }
}

/// <summary>A sensitivity analysis (tornado chart).</summary>
public sealed record SensitivitySpec
{
    /// <summary>Output figure.</summary>
    [Required, Description("The figure to explain, a column of comparison.csv such as programme.breachProbability, seed-a.p99LossRatio or tech-sme-4222.governmentCost.")]
    public string? Output { get; init; }

    /// <summary>Inputs.</summary>
    [Required, MaxLength(ScenarioLimits.Variants / 2), Description("The inputs to move, each up and down.")]
    public List<SensitivityInputSpec>? Inputs { get; init; }
}

/// <summary>A solve: the value of one field at which a key figure meets a target.</summary>
public sealed record SolveSpec
{
    /// <summary>The field to vary.</summary>
    [Required, Description("Path of the numeric field to vary, as in variants, e.g. \"guarantees[tech-sme].government.budget\" or \"policy.tolerance.seed\".")]
    public string? Vary { get; init; }

    /// <summary>The target.</summary>
    [Required, Description("\"<key-figure> <= value\", \"<key-figure> >= value\" or \"<key-figure> = value\"; the figure a column of comparison.csv (e.g. tech-sme.exhaustionProbability); the value a number or a percentage (5%).")]
    public string? Target { get; init; }

    /// <summary>The range searched.</summary>
    [Required, Description("[lo, hi]: the range of the field searched; the figure must cross the target between them.")]
    public List<double>? Range { get; init; }

    /// <summary>Tolerance.</summary>
    [Range(0.0, 1e300, MinimumIsExclusive = true), Description("Stop when the bracket is narrower than this (in the field's unit; default (hi − lo) / 10^4, at least 1 for an integer field).")]
    public double? Tolerance { get; init; }
}

/// <summary>One input of a sensitivity analysis.</summary>
public sealed record SensitivityInputSpec
{
    /// <summary>Path.</summary>
    [Required, Description("Path of a numeric field, as in variants.")]
    public string? Path { get; init; }

    /// <summary>Absolute step.</summary>
    [Description("Move by ± this amount.")]
    public double? Delta { get; init; }

    /// <summary>Relative step.</summary>
    [Range(0.0, 10.0, MinimumIsExclusive = true), Description("Move by ± this fraction of the base value (default 0.1 when delta is absent).")]
    public double? Relative { get; init; }
}









