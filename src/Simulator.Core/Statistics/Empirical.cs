namespace Simulator.Core.Statistics;

/// <summary>
/// Statistics of a sample exactly as the spec defines them: p_q = inf{x : F_n(x) ≥ q}, the ⌈q·n⌉-th smallest
/// value with the rank computed in integers (q is given as a fraction num/den so that 0.99·n never rounds
/// the wrong way); expected shortfall in the Acerbi–Tasche form, exact for discrete samples with ties.
/// </summary>
public static class Empirical
{
    /// <summary>The ⌈(num/den)·n⌉-th smallest value of an ascending sample.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, long num, long den)
    {
        long n = sorted.Length;
        long rank = Rank(n, num, den);
        return sorted[(int)(rank - 1)];
    }

    /// <summary>⌈(num/den)·n⌉, at least 1.</summary>
    public static long Rank(long n, long num, long den)
    {
        var product = (Int128)n * num;
        long rank = (long)((product + den - 1) / den);
        return Math.Clamp(rank, 1, n);
    }

    /// <summary>
    /// ES_α = (1/(1−α)) · (E[L·1{L &gt; q}] + q · (P(L ≤ q) − α)) with q = p_α and α = num/den, evaluated on
    /// the empirical distribution of an ascending sample.
    /// </summary>
    public static double ExpectedShortfall(ReadOnlySpan<double> sorted, long num, long den)
    {
        int n = sorted.Length;
        double q = Quantile(sorted, num, den);
        // Values above q, and the count of values ≤ q (ties included).
        int firstAbove = UpperBound(sorted, q);
        double tail = 0;
        for (int i = firstAbove; i < n; i++) tail += sorted[i];
        // (count_le − α·n) / ((1 − α)·n), with α = num/den, in exact integer arithmetic.
        var excess = (Int128)firstAbove * den - (Int128)n * num;        // den·(count_le − α n)
        double tailMass = (double)((Int128)n * (den - num));            // den·(1 − α)·n
        return (tail * den + q * (double)excess) / tailMass;
    }

    /// <summary>Index of the first element greater than <paramref name="x"/>.</summary>
    public static int UpperBound(ReadOnlySpan<double> sorted, double x) => UpperBound<double>(sorted, x);

    /// <summary>Index of the first element greater than <paramref name="x"/> in ascending <paramref name="sorted"/>.</summary>
    internal static int UpperBound<T>(ReadOnlySpan<T> sorted, T x) where T : System.Numerics.IComparisonOperators<T, T, bool>
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Mean and sd (n − 1) in trial order, two-pass for accuracy.</summary>
    public static (double Mean, double Sd) MeanSd(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n == 0) return (double.NaN, double.NaN);
        double sum = 0;
        foreach (double v in values) sum += v;
        double mean = sum / n;
        if (n == 1) return (mean, 0);
        double ss = 0;
        foreach (double v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (n - 1)));
    }

    /// <summary>The full loss summary; <paramref name="inTrialOrder"/> is sorted in place.</summary>
    public static LossSummary Summarize(double[] inTrialOrder, IReadOnlyList<double> exceedanceThresholds)
    {
        var (mean, sd) = MeanSd(inTrialOrder);
        Array.Sort(inTrialOrder);
        ReadOnlySpan<double> s = inTrialOrder;
        var exceedance = exceedanceThresholds
            .Select(t => new ExceedancePoint(t, ProbabilityEstimate.FromCount(inTrialOrder.Length - UpperBound(inTrialOrder, t), inTrialOrder.Length)))
            .ToList();
        double es99 = ExpectedShortfall(s, 99, 100);
        var errors = new SummaryStandardErrors(
            s.Length > 0 ? sd / Math.Sqrt(s.Length) : double.NaN,
            QuantileStandardError(s, 0.5), QuantileStandardError(s, 0.9), QuantileStandardError(s, 0.95),
            QuantileStandardError(s, 0.99), QuantileStandardError(s, 0.999), ExpectedShortfallStandardError(s, 0.99, es99));
        return new LossSummary(mean, sd, Quantile(s, 1, 2), Quantile(s, 9, 10), Quantile(s, 19, 20), Quantile(s, 99, 100),
            Quantile(s, 999, 1000), es99, exceedance, errors);
    }

    /// <summary>
    /// Standard error of the q-quantile from order statistics: the ranks n·q ± 1.96·sqrt(n·q·(1 − q)) bound a
    /// distribution-free 95% interval; half its width over 1.96 is the standard error (0 when the sample is flat there).
    /// </summary>
    public static double QuantileStandardError(ReadOnlySpan<double> sorted, double q)
    {
        int n = sorted.Length;
        if (n < 2) return double.NaN;
        double center = n * q, half = 1.959963984540054 * Math.Sqrt(n * q * (1 - q));
        int lo = Math.Clamp((int)Math.Floor(center - half), 1, n), hi = Math.Clamp((int)Math.Ceiling(center + half), 1, n);
        return (sorted[hi - 1] - sorted[lo - 1]) / (2 * 1.959963984540054);
    }

    /// <summary>Standard error of ES_α from its asymptotic variance (Var(L | L &gt; VaR) + α·(ES − VaR)²) / ((1 − α)·n).</summary>
    public static double ExpectedShortfallStandardError(ReadOnlySpan<double> sorted, double alpha, double es)
    {
        int n = sorted.Length;
        if (n < 2) return double.NaN;
        double var = sorted[(int)(Rank(n, (long)Math.Round(alpha * 1000), 1000) - 1)];
        int first = UpperBound(sorted, var);
        int m = n - first;
        double tailVariance = 0;
        if (m > 1)
        {
            var (_, sd) = MeanSd(sorted[first..]);
            tailVariance = sd * sd;
        }
        return Math.Sqrt((tailVariance + alpha * (es - var) * (es - var)) / ((1 - alpha) * n));
    }

    /// <summary>
    /// A float as the double of its shortest decimal form, so 0.98475516f is reported as 0.98475516 rather than
    /// 0.9847551584243774: figures kept as float only carry 7 digits and should not pretend to more.
    /// </summary>
    public static double FromFloat(float v)
    {
        // The same text as v.ToString("R"), formatted into a stack buffer rather than a string.
        Span<char> text = stackalloc char[32];
        if (!v.TryFormat(text, out int length, "R", System.Globalization.CultureInfo.InvariantCulture))
            return double.Parse(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        return double.Parse(text[..length], System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Mean, p5, p50, p95 over the defined (non-NaN) values.</summary>
    public static SpreadSummary? Spread(float[] inTrialOrder)
    {
        var defined = inTrialOrder.Where(v => !float.IsNaN(v)).Select(FromFloat).ToArray();
        if (defined.Length == 0) return null;
        var (mean, sd) = MeanSd(defined);
        Array.Sort(defined);
        return new SpreadSummary(mean, Quantile(defined, 1, 20), Quantile(defined, 1, 2), Quantile(defined, 19, 20), defined.Length)
        {
            StandardErrors = (sd / Math.Sqrt(defined.Length), QuantileStandardError(defined, 0.05), QuantileStandardError(defined, 0.5), QuantileStandardError(defined, 0.95)),
            UndefinedShare = (double)(inTrialOrder.Length - defined.Length) / inTrialOrder.Length,
        };
    }
}
