using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Core.Format;

// The sections of the scenario file that every instrument kind may use: factors, stresses, the policy, outcome models
// and report thresholds, and the shared name rule.

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
    /// <summary>A two-year macro downturn: the factor (default macro) 1.5 sd below normal.</summary>
    public const string MacroDownturn = "macro-downturn";
    /// <summary>A sector crash: one factor 2.5 sd below normal for a year.</summary>
    public const string SectorCrash = "sector-crash";
    /// <summary>Every exit happens later by a number of years (capped at the fund's last year).</summary>
    public const string ExitsDelayed = "exits-delayed";
    /// <summary>Write-off probabilities up by a number of points, taken pro rata from the other bands.</summary>
    public const string WriteOffsUp = "write-offs-up";
    /// <summary>Annual PDs multiplied (capped at 1).</summary>
    public const string DefaultRatesUp = "default-rates-up";

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

/// <summary>Policy rules.</summary>
public sealed record PolicySpec
{
    /// <summary>Named rule set.</summary>
    [Description("A named rule set supplying every tolerance this block leaves out: wuhan-2025 | sichuan-2025 | huangpu-2025 | anhui-2026 (absent: the Wuhan tolerances, as before rule sets existed). Fields written under tolerance win, field by field.")]
    public string? Rules { get; init; }

    /// <summary>Loss tolerances.</summary>
    [Description("Loss tolerance per fund type (fractions of the amount invested).")]
    public ToleranceSpec? Tolerance { get; init; }

    /// <summary>The policy's due-diligence exemption.</summary>
    [Description("Due-diligence exemption (尽职合规责任豁免) for every fund that has none of its own (absent: none).")]
    public ExemptionSpec? Exemption { get; init; }
}

/// <summary>A due-diligence exemption (of a fund, or of the policy for every fund without its own).</summary>
public sealed record ExemptionSpec
{
    /// <summary>Probability.</summary>
    [Required, Range(0.0, 1.0), Description("Per-project probability that a loss of a project that passed due diligence is excused.")]
    public double? Probability { get; init; }

    /// <summary>Factor threshold.</summary>
    [Range(-10.0, 10.0), Description("Excuse only while the project's standardised systematic draw is below this (force majeure in downturns); needs an exposure (absent: always).")]
    public double? FactorThreshold { get; init; }

    /// <summary>Diligence failures.</summary>
    [Range(0.0, 1.0), Description("Per-project probability of failing due diligence: never excused; a direct project then has no tolerance (default 0).")]
    public double? DiligenceFailure { get; init; }
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

    /// <summary>Industry funds.</summary>
    [Range(0.0, 1.0), Description("Industry funds (产业基金) (default: the rule set's; without a rule set, venture's).")]
    public double? Industry { get; init; }

    /// <summary>Buyout funds.</summary>
    [Range(0.0, 1.0), Description("Buyout (M&A, 并购) funds (default: the rule set's; without a rule set, industry's).")]
    public double? Buyout { get; init; }

    /// <summary>Seed-stage or future-industry funds.</summary>
    [Range(0.0, 1.0), Description("Funds marked futureIndustry (种子期或未来产业基金) (default: the rule set's; absent: such a fund takes its type's tolerance).")]
    public double? FutureIndustry { get; init; }

    /// <summary>Funds-of-funds.</summary>
    [Range(0.0, 1.0), Description("A fund-of-funds, on its paid-in capital (default: the rule set's; without a rule set, angel's).")]
    public double? FundOfFunds { get; init; }
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
