using MathNet.Numerics;

namespace Simulator.Core.Statistics;

/// <summary>
/// The standard Student-t CDF and its inverse, and the χ² quantile, for the t copula (<see cref="Economy.Copula"/>).
/// The CDF is MathNet's regularised incomplete beta function written so that neither tail nor the centre loses digits
/// to cancellation: for x² &lt; ν through I_{x²/(ν+x²)}(½, ν/2) around ½, beyond through I_{ν/(ν+x²)}(ν/2, ½) in the
/// tail (tests/Simulator.Tests/Statistics/StudentTMathTests.cs compares it with closed forms for ν = 1, 2, 4).
/// </summary>
public static class StudentTMath
{
    /// <summary>T_ν(x).</summary>
    public static double Cdf(double x, double nu)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsInfinity(x)) return x > 0 ? 1 : 0;
        double x2 = x * x;
        if (x2 < nu)
        {
            // Centre: ½ ± ½ P(|T| ≤ |x|).
            double half = 0.5 * SpecialFunctions.BetaRegularized(0.5, 0.5 * nu, x2 / (nu + x2));
            return x < 0 ? 0.5 - half : 0.5 + half;
        }
        double tail = 0.5 * SpecialFunctions.BetaRegularized(0.5 * nu, 0.5, nu / (nu + x2));
        return x < 0 ? tail : 1 - tail;
    }

    /// <summary>The density of T_ν at x.</summary>
    public static double Pdf(double x, double nu) =>
        Math.Exp(SpecialFunctions.GammaLn(0.5 * (nu + 1)) - SpecialFunctions.GammaLn(0.5 * nu) - 0.5 * Math.Log(nu * Math.PI)
                 - 0.5 * (nu + 1) * Math.Log(1 + x * x / nu));

    /// <summary>
    /// T_ν⁻¹(p) for p in (0, 1), to a relative 1e-15: safeguarded Newton steps on <see cref="Cdf"/> inside a bracket
    /// that is widened by doubling (MathNet's inverse brackets [−800, 800] to an absolute 1e-12: too coarse for small
    /// PDs and too narrow for ν = 1). The CDF is convex below 0, so Newton converges from any point of the bracket;
    /// a step that leaves it is replaced by the bracket's geometric midpoint. Symmetric: the lower tail does the work.
    /// </summary>
    public static double InvCdf(double p, double nu)
    {
        if (!(p > 0 && p < 1)) return p <= 0 ? double.NegativeInfinity : p >= 1 ? double.PositiveInfinity : double.NaN;
        if (p > 0.5) return -InvCdf(1 - p, nu);
        if (p == 0.5) return 0;
        double lo = -1, hi = 0;
        while (Cdf(lo, nu) > p)
        {
            hi = lo;
            lo *= 2;
            if (lo < -1e300) return lo;
        }
        double x = 0.5 * (lo + hi);
        for (int i = 0; i < 400; i++)
        {
            double f = Cdf(x, nu) - p;
            if (f == 0) return x;
            if (f > 0) hi = x;
            else lo = x;
            double next = x - f / Pdf(x, nu);
            if (!(next > lo && next < hi)) next = hi < 0 ? -Math.Sqrt(lo * hi) : 0.5 * lo;
            if (Math.Abs(next - x) <= 1e-15 * Math.Abs(x)) return next;
            x = next;
        }
        return x;
    }

    /// <summary>F⁻¹ of the χ² law with ν degrees of freedom at u in (0, 1) (MathNet's inverse regularised gamma).</summary>
    public static double ChiSquareInvCdf(double u, double nu) => 2 * SpecialFunctions.GammaLowerRegularizedInv(0.5 * nu, u);
}
