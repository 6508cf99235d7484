namespace Simulator.Core.Fitting;

/// <summary>
/// Kolmogorov–Smirnov and Anderson–Darling statistics of a sample against a fitted law. Their p-values come from a
/// parametric bootstrap (<see cref="ExitFit"/>): the parameters were estimated from the same sample, so the
/// textbook tables (made for a law fixed in advance) would overstate the fit (Lilliefors' point).
/// </summary>
public static class GoodnessOfFit
{
    /// <summary>The KS distance D = sup |F_n − F| of <paramref name="sorted"/> (ascending) against <paramref name="cdf"/>.</summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<double> sorted, Func<double, double> cdf)
    {
        int n = sorted.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        return d;
    }

    /// <summary>The Anderson–Darling A² of <paramref name="sorted"/> (ascending) against <paramref name="cdf"/>; it weighs
    /// the tails more than KS, which matters for a success band whose top few exits carry most of the money.</summary>
    public static double AndersonDarling(ReadOnlySpan<double> sorted, Func<double, double> cdf)
    {
        int n = sorted.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            // Clamped so that a point the law gives probability 0 (a Pareto's minimum) adds a large finite term, not infinity.
            double lo = Math.Clamp(cdf(sorted[i]), 1e-300, 1 - 1e-16);
            double hi = Math.Clamp(cdf(sorted[n - 1 - i]), 1e-300, 1 - 1e-16);
            sum += (2 * i + 1) * (Math.Log(lo) + Math.Log(1 - hi));
        }
        return -n - sum / n;
    }
}
