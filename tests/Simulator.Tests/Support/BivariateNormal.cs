using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace Simulator.Tests.Support;

/// <summary>
/// The bivariate standard normal CDF Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) for correlation ρ, by Plackett's identity
/// ∂Φ₂/∂ρ = φ₂(h, k; ρ): Φ₂(h, k; ρ) = Φ(h)Φ(k) + ∫₀^ρ exp(−(h² − 2rhk + k²) / (2(1 − r²))) / (2π√(1 − r²)) dr,
/// integrated by Gauss–Legendre (smooth for |ρ| &lt; 1).
/// </summary>
internal static class BivariateNormal
{
    public static double Cdf(double h, double k, double rho)
    {
        if (rho >= 1) return Normal.CDF(0, 1, Math.Min(h, k));
        double integral = GaussLegendreRule.Integrate(
            r => Math.Exp(-(h * h - 2 * r * h * k + k * k) / (2 * (1 - r * r))) / (2 * Math.PI * Math.Sqrt(1 - r * r)), 0, rho, 128);
        return Normal.CDF(0, 1, h) * Normal.CDF(0, 1, k) + integral;
    }
}
