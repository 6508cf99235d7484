using System.Runtime.Intrinsics;
using MathNet.Numerics;
using Simulator.Core.Distributions;

namespace Simulator.Tests.Distributions;

/// <summary>The vectorised Φ⁻¹ against MathNet's (accurate to about 1e-15) over the whole range.</summary>
public class VectorNormalTests
{
    private static double Reference(double p) => -Math.Sqrt(2) * SpecialFunctions.ErfcInv(2 * p);

    private static IEnumerable<double> Grid()
    {
        for (int i = 1; i < 20_000; i++) yield return i / 20_000.0;                  // the body
        for (double e = -300; e < -1; e += 0.05) yield return Math.Pow(10, e);       // lower tail to 1e-300
        for (double e = -16; e < -1; e += 0.01) yield return 1 - Math.Pow(10, e);    // upper tail to 1 − 1e-16
        yield return 0.425 + 0.5;
        yield return 0.5 - 0.425;
        yield return Math.Exp(-25);                                                  // r = 5 exactly
    }

    [Test]
    public void InvCdf_DenseGridAndTails_WithinDocumentedBound()
    {
        var grid = Grid().Where(p => p > 0 && p < 1).ToArray();
        double worst = 0, worstAt = 0;
        for (int i = 0; i < grid.Length; i += 8)
        {
            var lanes = new double[8];
            for (int k = 0; k < 8; k++) lanes[k] = grid[Math.Min(i + k, grid.Length - 1)];
            var z = VectorNormal.InvCdf(Vector512.Create(lanes));
            for (int k = 0; k < 8; k++)
            {
                double exact = Reference(lanes[k]);
                double error = Math.Abs(z[k] - exact) / Math.Max(Math.Abs(exact), 1e-3);
                if (error > worst) (worst, worstAt) = (error, lanes[k]);
            }
        }
        Assert.That(worst, Is.LessThan(1e-14), $"worst relative error at p = {worstAt:R}");
    }

    [Test]
    public void InvCdf_Symmetric()
    {
        var p = Vector512.Create(0.0078125, 0.125, 0.3125, 0.4921875, Math.ScaleB(1, -30), Math.ScaleB(1, -50), 0.25, 0.375); // 1 − p exact
        var lower = VectorNormal.InvCdf(p);
        var upper = VectorNormal.InvCdf(Vector512<double>.One - p);
        for (int k = 0; k < 8; k++) Assert.That(upper[k], Is.EqualTo(-lower[k]).Within(1e-9 * Math.Abs(lower[k]) + 1e-12), $"lane {k}");
    }
}
