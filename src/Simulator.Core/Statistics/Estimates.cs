namespace Simulator.Core.Statistics;

/// <summary>A probability estimated from trials, with its standard error and Wilson 95% interval.</summary>
/// <param name="Probability">p̂ = count / n.</param>
/// <param name="StandardError">sqrt(p̂(1 − p̂)/n).</param>
/// <param name="Ci95Low">Wilson score interval, lower end.</param>
/// <param name="Ci95High">Wilson score interval, upper end.</param>
/// <param name="Count">Trials in which the event happened (under importance sampling: sampled trials, not an estimate).</param>
/// <param name="Trials">n.</param>
public sealed record ProbabilityEstimate(double Probability, double StandardError, double Ci95Low, double Ci95High, long Count, long Trials)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The estimate for <paramref name="count"/> events in <paramref name="n"/> trials.</summary>
    public static ProbabilityEstimate FromCount(long count, long n)
    {
        double p = (double)count / n;
        double se = Math.Sqrt(p * (1 - p) / n);
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // At 0 or n events the Wilson bound is exactly 0 or 1; rounding would otherwise leave 1e-18.
        double low = count == 0 ? 0 : Math.Max(0, center - half), high = count == n ? 1 : Math.Min(1, center + half);
        return new ProbabilityEstimate(p, se, low, high, count, n);
    }

    /// <summary>
    /// An importance-sampling estimate: the self-normalised <paramref name="p"/> with its delta-method standard error
    /// and a normal 95% interval clamped to [0, 1]; <paramref name="count"/> is the number of sampled trials in which the
    /// event happened (not n·p: the sampling shift makes tail events common among the trials).
    /// </summary>
    public static ProbabilityEstimate Weighted(double p, double se, long count, long n) =>
        new(p, se, Math.Max(0, p - Z95 * se), Math.Min(1, p + Z95 * se), count, n);
}

/// <summary>The probability that a figure exceeds a threshold.</summary>
/// <param name="Threshold">The threshold.</param>
/// <param name="Estimate">P(figure &gt; threshold) with its precision.</param>
public sealed record ExceedancePoint(double Threshold, ProbabilityEstimate Estimate);

/// <summary>The spec's summary of a loss distribution.</summary>
/// <param name="Mean">Mean.</param>
/// <param name="Sd">Standard deviation (n − 1).</param>
/// <param name="P50">Median (⌈0.5·n⌉-th smallest).</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Es99">Expected shortfall at 99% (Acerbi–Tasche).</param>
/// <param name="Exceedance">Requested exceedance probabilities.</param>
/// <param name="StandardErrors">Standard errors of the mean, the quantiles and es99.</param>
public sealed record LossSummary(double Mean, double Sd, double P50, double P90, double P95, double P99, double P999, double Es99, IReadOnlyList<ExceedancePoint> Exceedance, SummaryStandardErrors StandardErrors);

/// <summary>
/// Standard errors of a <see cref="LossSummary"/>: the mean's is sd/√n; a quantile's comes from the
/// distribution-free 95% interval of order statistics (ranks n·q ± 1.96·sqrt(n·q·(1 − q))), divided by 2·1.96;
/// es99's from its asymptotic variance (Var(L | L &gt; VaR) + 0.99·(ES − VaR)²) / (0.01·n).
/// </summary>
/// <param name="Mean">Of the mean.</param>
/// <param name="P50">Of the median.</param>
/// <param name="P90">Of p90.</param>
/// <param name="P95">Of p95.</param>
/// <param name="P99">Of p99.</param>
/// <param name="P999">Of p999.</param>
/// <param name="Es99">Of es99.</param>
public sealed record SummaryStandardErrors(double Mean, double P50, double P90, double P95, double P99, double P999, double Es99);

/// <summary>Mean and central quantiles of a return figure.</summary>
/// <param name="Mean">Mean over the trials where the figure is defined.</param>
/// <param name="P5">5th percentile.</param>
/// <param name="P50">Median.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="Defined">Trials in which it is defined.</param>
public sealed record SpreadSummary(double Mean, double P5, double P50, double P95, long Defined)
{
    /// <summary>Standard errors of the mean, p5, p50 and p95 (order statistics; batch means under importance sampling).</summary>
    public (double Mean, double P5, double P50, double P95) StandardErrors { get; init; } = (double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Share of the trials in which the figure is undefined and which the statistics therefore leave out (under
    /// importance sampling their share of the weight, i.e. the estimated probability that it is undefined). Those trials
    /// need not be typical ones (an IRR is undefined for flows that start with receipts), so the statistics describe
    /// the trials where the figure is defined, not all trials.</summary>
    public double UndefinedShare { get; init; }
}

/// <summary>
/// A Monte Carlo estimate: a value with its standard error. Figures travel as one, so a value cannot be shown,
/// compared or charted with another figure's standard error.
/// </summary>
/// <param name="Value">The estimate (NaN when it cannot be formed).</param>
/// <param name="StandardError">Its standard error (NaN when unknown).</param>
public readonly record struct Estimate(double Value, double StandardError)
{
    /// <summary>An estimate that cannot be formed.</summary>
    public static Estimate NaN => new(double.NaN, double.NaN);

    /// <summary>Standard error / |value| (NaN when the value is 0 or either is NaN).</summary>
    public double RelativeError => Value == 0 ? double.NaN : StandardError / Math.Abs(Value);

    /// <summary>The normal 95% interval, value ± 1.96 standard errors.</summary>
    public (double Low, double High) Ci95 => (Value - ProbabilityEstimate.Z95 * StandardError, Value + ProbabilityEstimate.Z95 * StandardError);

    /// <summary>Whether the value differs from 0 by more than 1.96 standard errors.</summary>
    public bool IsSignificant => Math.Abs(Value) > ProbabilityEstimate.Z95 * StandardError;
}
