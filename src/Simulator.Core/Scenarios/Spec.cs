using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Core.Funds;

namespace Simulator.Core.Scenarios;

// The scenario file's model (spec §2-3). These classes are the single source of truth for the format:
// the binder reads files into them (with the attributes' ranges), the JSON Schema is generated from them,
// and the filled-in copy is written back as scenario.json. They are data only; the simulation works on the
// immutable model built from them (see ScenarioBuilder).

/// <summary>Shared patterns of the format.</summary>
public static class SpecPatterns
{
    /// <summary>
    /// Names of scenarios, funds, guarantees, factors, outcome models, variants: ASCII only, because names become
    /// folder, file and column names. Anchored with <c>\z</c>: .NET's <c>$</c> also matches before a final newline.
    /// </summary>
    public const string Name = @"^[A-Za-z0-9][A-Za-z0-9_-]*\z";

    /// <summary>What a name allows, for messages.</summary>
    public static readonly string NameRule =
        $"names start with an ASCII letter or digit and use only ASCII letters A-Z/a-z, digits, '_' and '-', at most {ScenarioLimits.NameLength} characters";

    /// <summary>Whether <paramref name="name"/> is a valid name (pattern and length).</summary>
    public static bool IsName(string name) =>
        name.Length <= ScenarioLimits.NameLength && System.Text.RegularExpressions.Regex.IsMatch(name, Name);
}

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

    /// <summary>Policy rules.</summary>
    [Description("Loss-tolerance rules; defaults are the Wuhan rules.")]
    public PolicySpec? Policy { get; init; }

    /// <summary>Custom outcome models by name.</summary>
    [Description("Custom outcome models by name; built-in presets: seed, angel, venture (a custom model with a preset's name replaces it).")]
    public Dictionary<string, OutcomeModelSpec>? Outcomes { get; init; }

    /// <summary>Funds.</summary>
    [Description("Equity funds and direct-investment programmes.")]
    public List<FundSpec>? Funds { get; init; }

    /// <summary>Guarantee schemes (spec §4).</summary>
    [Description("Guarantee and risk-compensation schemes over loan books.")]
    public List<GuaranteeSpec>? Guarantees { get; init; }

    /// <summary>Variants (spec §6).</summary>
    [Description("Variants: each runs the base scenario with some fields changed, on the same random numbers.")]
    public List<VariantSpec>? Variants { get; init; }

    /// <summary>Sweep (spec §6).</summary>
    [Description("Sweep: path → list of values; every combination becomes a variant named from leaf names and values.")]
    public Dictionary<string, List<JsonElement>>? Sweep { get; init; }

    /// <summary>Sensitivity analysis.</summary>
    [Description("Sensitivity: move each input up and down by a stated amount and chart the effect on one output (tornado).")]
    public SensitivitySpec? Sensitivity { get; init; }

    /// <summary>Extra report thresholds.</summary>
    [Description("Extra thresholds to report exceedance probabilities for.")]
    public ReportSpec? Report { get; init; }
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

/// <summary>A systematic factor.</summary>
public sealed record FactorSpec
{
    /// <summary>Factor name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Factor name, referenced by exposures and stresses.")]
    public string? Name { get; init; }

    /// <summary>AR(1) coefficient.</summary>
    [Range(-1.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true), Description("AR(1) coefficient between consecutive years (default 0).")]
    public double? Persistence { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }
}

/// <summary>
/// A stress: either a factor shift written by hand (factor, fromYear, toYear, shift) or an entry of the stress
/// library named by <c>use</c> (macro-downturn, sector-crash, exits-delayed, write-offs-up, default-rates-up)
/// with its parameters; see docs/stress-library.md.
/// </summary>
public sealed record StressSpec
{
    /// <summary>Library stress name.</summary>
    [Description("A stress from the library: macro-downturn | sector-crash | exits-delayed | write-offs-up | default-rates-up (absent: a hand-written factor shift).")]
    public string? Use { get; init; }

    /// <summary>Factor name.</summary>
    [Description("Name of the stressed factor (macro-downturn: default macro).")]
    public string? Factor { get; init; }

    /// <summary>First stressed year.</summary>
    [Range(1, 100), Description("First stressed year (year 1 is the first simulated year; library default 1).")]
    public int? FromYear { get; init; }

    /// <summary>Last stressed year.</summary>
    [Range(1, 100), Description("Last stressed year (default: fromYear, or fromYear + years − 1 for library stresses).")]
    public int? ToYear { get; init; }

    /// <summary>Duration or delay in years.</summary>
    [Range(1, 30), Description("Library: years of a downturn or crash, or the delay of exits-delayed (defaults 2, 1, 2).")]
    public int? Years { get; init; }

    /// <summary>Shift in standard deviations.</summary>
    [Range(-10.0, 10.0), Description("Shift added to the factor's level in those years, in standard deviations (negative is bad; library defaults −1.5 downturn, −2.5 crash).")]
    public double? Shift { get; init; }

    /// <summary>Write-off increase.</summary>
    [Range(0.0, 1.0), Description("write-offs-up: points added to every write-off probability (default 0.1), taken from the other bands pro rata.")]
    public double? Points { get; init; }

    /// <summary>PD multiplier.</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true), Description("default-rates-up: factor applied to every loan's annual PD (default 1.5), capped at 1.")]
    public double? Multiplier { get; init; }

    /// <summary>Funds affected.</summary>
    [Description("exits-delayed, write-offs-up: the funds affected (default: all).")]
    public List<string>? Funds { get; init; }

    /// <summary>Guarantees affected.</summary>
    [Description("default-rates-up: the guarantee schemes affected (default: all).")]
    public List<string>? Guarantees { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description.")]
    public string? Description { get; init; }
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

/// <summary>Policy rules.</summary>
public sealed record PolicySpec
{
    /// <summary>Loss tolerances.</summary>
    [Description("Loss tolerance per fund type (fractions of the amount invested).")]
    public ToleranceSpec? Tolerance { get; init; }
}

/// <summary>Loss tolerances per fund type.</summary>
public sealed record ToleranceSpec
{
    /// <summary>Seed funds.</summary>
    [Range(0.0, 1.0), Description("Seed funds (default 0.8).")]
    public double? Seed { get; init; }

    /// <summary>Angel funds.</summary>
    [Range(0.0, 1.0), Description("Angel funds (default 0.6).")]
    public double? Angel { get; init; }

    /// <summary>Venture funds.</summary>
    [Range(0.0, 1.0), Description("Venture funds (default 0.6).")]
    public double? Venture { get; init; }

    /// <summary>Single direct projects.</summary>
    [Range(0.0, 1.0), Description("A single direct project (default 1.0).")]
    public double? DirectProject { get; init; }
}

/// <summary>An outcome model: bands of a project's final multiple.</summary>
public sealed record OutcomeModelSpec
{
    /// <summary>Write-off probability.</summary>
    [Range(0.0, 1.0), Description("Probability of a write-off (multiple 0), the worst band (default 0).")]
    public double? WriteOff { get; init; }

    /// <summary>Partial-loss band.</summary>
    [Description("Partial-loss band: probability and multiple in [0, 1).")]
    public PartialSpec? Partial { get; init; }

    /// <summary>Success band (the rest of the probability).</summary>
    [Description("Success band, with the remaining probability: a multiple distribution and optional cap, or a distribution directly.")]
    public SuccessSpec? Success { get; init; }

    /// <summary>Exposure window.</summary>
    [Range(1, 30), Description("Years over which a project's systematic draw averages the factors, from its investment year on (default 3).")]
    public int? ExposureYears { get; init; }

    /// <summary>Exit-year distributions per band.</summary>
    [Description("Years from investment to exit per band (default: the fund's last year).")]
    public ExitYearsSpec? ExitYears { get; init; }

    /// <summary>Free text.</summary>
    [Description("Free-text description, e.g. the calibration source.")]
    public string? Description { get; init; }
}

/// <summary>The partial-loss band.</summary>
public sealed record PartialSpec
{
    /// <summary>Probability.</summary>
    [Required, Range(0.0, 1.0), Description("Probability of a partial loss.")]
    public double? Probability { get; init; }

    /// <summary>Multiple within the band.</summary>
    [Required, Description("Multiple of the check returned, a distribution on [0, 1).")]
    public DistributionSpec? Multiple { get; init; }
}

/// <summary>The success band.</summary>
public sealed record SuccessSpec
{
    /// <summary>Multiple within the band.</summary>
    [Required, Description("Multiple of the check returned.")]
    public DistributionSpec? Multiple { get; init; }

    /// <summary>Cap on the multiple.</summary>
    [Range(0.0, 1e6, MinimumIsExclusive = true), Description("Cap on the multiple (default: none).")]
    public double? Cap { get; init; }
}

/// <summary>Exit-year distributions per band (years after the investment year, ≥ 0).</summary>
public sealed record ExitYearsSpec
{
    /// <summary>Write-offs.</summary>
    [Description("Years from investment to a write-off.")]
    public DistributionSpec? WriteOff { get; init; }

    /// <summary>Partial losses.</summary>
    [Description("Years from investment to a partial-loss exit.")]
    public DistributionSpec? Partial { get; init; }

    /// <summary>Successes.</summary>
    [Description("Years from investment to a successful exit.")]
    public DistributionSpec? Success { get; init; }
}

/// <summary>A fund or direct-investment programme.</summary>
public sealed record FundSpec
{
    /// <summary>Fund name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Fund name.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title of the fund (any language, e.g. 种子基金A); the name stays the key in result files.")]
    public string? Title { get; init; }

    /// <summary>Fund type.</summary>
    [Required, Description("seed | angel | venture | direct.")]
    public FundType? Type { get; init; }

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

    /// <summary>Investment period.</summary>
    [Range(1, 15), Description("Investment period in years: project k is made in year 1 + floor(k·investmentYears/deals) (default min(4, lifeYears)).")]
    public int? InvestmentYears { get; init; }

    /// <summary>Fund life.</summary>
    [Range(1, 15), Description("Fund life in years, at most 15 (default 10).")]
    public int? LifeYears { get; init; }

    /// <summary>Outcome model.</summary>
    [Description("Outcome model: a preset (seed, angel, venture) or a custom model's name (default: the fund type's preset; angel for direct).")]
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

/// <summary>Extra report thresholds.</summary>
public sealed record ReportSpec
{
    /// <summary>Credit-loss thresholds (CNY).</summary>
    [MaxLength(ScenarioLimits.ListItems), Description("Credit-loss thresholds (CNY) for guarantee exceedance probabilities.")]
    public List<double>? Exceedance { get; init; }

    /// <summary>Loss-ratio thresholds.</summary>
    [MaxLength(ScenarioLimits.ListItems), Description("Loss-ratio thresholds in [0, 1] for fund exceedance probabilities.")]
    public List<double>? LossRatios { get; init; }
}
