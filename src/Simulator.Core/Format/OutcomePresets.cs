
namespace Simulator.Core.Format;

/// <summary>
/// Built-in outcome models <c>seed</c>, <c>angel</c>, <c>venture</c>, <c>industry</c> and <c>buyout</c>. The calibration and its sources are
/// documented in docs/outcome-models.md; the tests check the published shares the calibration targets.
/// </summary>
public static class OutcomePresets
{
    /// <summary>
    /// Venture: Correlation Ventures, US financings 2004–2013 (as published by CV, 2014): about 65% returned
    /// less than 1x, 25% 1–5x, 6% 5–10x, 4% 10x or more (1.5% 20x+, 0.4% 50x+). Write-off 35% and a partial
    /// band of 30% make up the 65%; a Pareto success band with x_m = 1.94 and α = 1.32 matches both the 10%
    /// at 5x+ and the 4% at 10x+ (and gives 1.6% at 20x+, 0.5% at 50x+), capped at 200x.
    /// </summary>
    public static OutcomeModelSpec Venture => new()
    {
        WriteOff = 0.35,
        Partial = new PartialSpec { Probability = 0.30, Multiple = Beta(0.35, 0.25) },
        Success = new SuccessSpec { Multiple = new DistributionSpec(DistributionKind.Pareto, [1.938, 1.32]), Cap = 200 },
        ExposureYears = 3,
        ExitYears = new ExitYearsSpec { WriteOff = Uniform(1, 5), Partial = Uniform(2, 7), Success = Uniform(3, 8) },
        Description = "Correlation Ventures 2004-2013 financings: 65% below 1x, 4% at 10x or more; mean multiple about 2.4x.",
    };

    /// <summary>
    /// Angel: Wiltbank &amp; Boeker (2007), Returns to Angel Investors in Groups (1,137 exits): 52% of exits
    /// below 1x, 7% above 10x, mean multiple 2.6x. Write-off 30% plus partial 22% give the 52%; a Pareto
    /// success band with x_m = 1 and α = 0.84 puts 7% at 10x or more; the cap of 25x brings the mean to 2.6x.
    /// </summary>
    public static OutcomeModelSpec Angel => new()
    {
        WriteOff = 0.30,
        Partial = new PartialSpec { Probability = 0.22, Multiple = Beta(0.30, 0.20) },
        Success = new SuccessSpec { Multiple = new DistributionSpec(DistributionKind.Pareto, [1.0, 0.84]), Cap = 25 },
        ExposureYears = 3,
        ExitYears = new ExitYearsSpec { WriteOff = Uniform(1, 4), Partial = Uniform(2, 6), Success = Uniform(3, 8) },
        Description = "Wiltbank & Boeker 2007 angel exits: 52% below 1x, 7% above 10x, mean 2.6x.",
    };

    /// <summary>
    /// Seed: no public data set of comparable quality exists; this preset is an assumption set worse than
    /// the angel data, as seed-stage failure rates are higher: 70% below 1x (45% write-offs), about 3.8% at
    /// 10x or more, mean multiple about 1.6x, exits a year later. Replace it with your own data where you have it.
    /// </summary>
    public static OutcomeModelSpec Seed => new()
    {
        WriteOff = 0.45,
        Partial = new PartialSpec { Probability = 0.25, Multiple = Beta(0.25, 0.20) },
        Success = new SuccessSpec { Multiple = new DistributionSpec(DistributionKind.Pareto, [1.0, 0.9]), Cap = 30 },
        ExposureYears = 3,
        ExitYears = new ExitYearsSpec { WriteOff = Uniform(1, 4), Partial = Uniform(2, 7), Success = Uniform(4, 9) },
        Description = "Assumption (no comparable public data): 70% below 1x, about 3.8% at 10x or more, mean about 1.6x.",
    };

    /// <summary>
    /// Industry fund (产业基金): an assumption. No public deal-level data set of Chinese industry funds was found; the
    /// preset sits between venture and buyout, as these funds make later-stage, strategic investments in established
    /// firms of a region's industries: 40% below 1x (15% write-offs), about 2.6% at 5x or more, mean about 1.42x,
    /// expected capital lost 27.5% of cost.
    /// </summary>
    public static OutcomeModelSpec Industry => new()
    {
        WriteOff = 0.15,
        Partial = new PartialSpec { Probability = 0.25, Multiple = Beta(0.50, 0.25) },
        Success = new SuccessSpec { Multiple = new DistributionSpec(DistributionKind.Pareto, [1.2, 2.2]), Cap = 20 },
        ExposureYears = 3,
        ExitYears = new ExitYearsSpec { WriteOff = Uniform(1, 5), Partial = Uniform(2, 6), Success = Uniform(3, 7) },
        Description = "Assumption (no comparable public data): 40% below 1x, about 2.6% at 5x or more, mean about 1.42x; between venture and buyout.",
    };

    /// <summary>
    /// Buyout (并购基金): an assumption. Deal-level buyout data sets (e.g. those behind Brown and Nykyforovych's 2024 work on
    /// loss avoidance) are not public; the preset targets the practitioner benchmark that a buyout fund losing less than
    /// 15% of its invested capital is good, with 28% of deals below 1x (8% write-offs), expected capital lost 17% of
    /// cost, about 1.7% at 5x or more and a mean of about 1.55x.
    /// </summary>
    public static OutcomeModelSpec Buyout => new()
    {
        WriteOff = 0.08,
        Partial = new PartialSpec { Probability = 0.20, Multiple = Beta(0.55, 0.25) },
        Success = new SuccessSpec { Multiple = new DistributionSpec(DistributionKind.Pareto, [1.3, 2.8]), Cap = 10 },
        ExposureYears = 3,
        ExitYears = new ExitYearsSpec { WriteOff = Uniform(2, 6), Partial = Uniform(3, 7), Success = Uniform(3, 7) },
        Description = "Assumption (no public deal-level data): 28% below 1x, expected capital lost 17% of cost, mean about 1.55x.",
    };

    /// <summary>Presets by name.</summary>
    public static IReadOnlyDictionary<string, OutcomeModelSpec> All => new Dictionary<string, OutcomeModelSpec>(StringComparer.Ordinal)
    {
        ["seed"] = Seed,
        ["angel"] = Angel,
        ["venture"] = Venture,
        ["industry"] = Industry,
        ["buyout"] = Buyout,
    };

    private static DistributionSpec Beta(double mean, double sd) => new(DistributionKind.Beta, [mean, sd]);

    private static DistributionSpec Uniform(double a, double b) => new(DistributionKind.Uniform, [a, b]);
}
