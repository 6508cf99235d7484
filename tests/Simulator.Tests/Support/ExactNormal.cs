using MathNet.Numerics;

namespace Simulator.Tests.Support;

/// <summary>Φ and Φ⁻¹ through MathNet's erfc and erfc⁻¹: the references of the fast normal functions' tests.</summary>
internal static class ExactNormal
{
    /// <summary>Φ(x) (its relative error grows to about 2.5e-13 near x = −37.5, from rounding x/√2 and x²).</summary>
    public static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * 0.70710678118654752440);

    /// <summary>Φ⁻¹(p).</summary>
    public static double InvCdf(double p) => -1.4142135623730950488 * SpecialFunctions.ErfcInv(2.0 * p);
}
