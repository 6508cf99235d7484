using MathNet.Numerics;

namespace Simulator.Core.Statistics;

/// <summary>
/// Standard normal CDF and inverse CDF. One place for them so the hot path can later swap in a faster
/// approximation with a documented error bound; for now MathNet's special functions (accurate to about
/// 1e-15) are used directly, which are allocation-free static calls.
/// </summary>
public static class NormalMath
{
    private const double InvSqrt2 = 0.70710678118654752440;

    /// <summary>Φ(x).</summary>
    public static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * InvSqrt2);

    /// <summary>Φ⁻¹(p) for p in (0, 1).</summary>
    public static double InvCdf(double p) => -1.4142135623730950488 * SpecialFunctions.ErfcInv(2.0 * p);
}
