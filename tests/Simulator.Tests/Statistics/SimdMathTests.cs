using System.Runtime.Intrinsics;
using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

/// <summary>The vector exponential and logarithm against <see cref="Math.Exp"/> and <see cref="Math.Log(double)"/>.</summary>
public class SimdMathTests
{
    private static double Ulps(double value, double reference) =>
        Math.Abs(value - reference) / (Math.BitIncrement(Math.Abs(reference)) - Math.Abs(reference));

    [Test]
    [Category("Slow")]
    public void Exp_WithinTwoUnitsInTheLastPlace()
    {
        var rng = new Random(8);
        double max = 0;
        for (int i = 0; i < 200_000; i++)
        {
            var x = Vector512.Create(Enumerable.Range(0, 8).Select(_ => i % 2 == 0 ? 1418 * rng.NextDouble() - 709 : 20 * rng.NextDouble() - 10).ToArray());
            var e = SimdMath.Exp(x);
            for (int k = 0; k < 8; k++)
            {
                double reference = Math.Exp(x[k]);
                if (reference < 2.2250738585072014e-308 || double.IsInfinity(reference)) continue;
                max = Math.Max(max, Ulps(e[k], reference));
            }
        }
        TestContext.Out.WriteLine($"exp: max {max:F2} ulp");
        Assert.That(max, Is.LessThanOrEqualTo(2));
        var special = SimdMath.Exp(Vector512.Create(0, -1e4, 1e4, -745.2, 709.7, 1, -1, 0.5));
        Assert.That(special[0], Is.EqualTo(1));
        Assert.That(special[1], Is.EqualTo(0));
        Assert.That(special[2], Is.EqualTo(double.PositiveInfinity));
        Assert.That(special[3], Is.EqualTo(Math.Exp(-745.2)).Within(5e-324));
    }

    [Test]
    public void Log_WithinTwoUnitsInTheLastPlace()
    {
        var rng = new Random(9);
        double max = 0;
        for (int i = 0; i < 200_000; i++)
        {
            var t = Vector512.Create(Enumerable.Range(0, 8).Select(_ => rng.NextDouble() * Math.Pow(10, 600 * rng.NextDouble() - 300)).ToArray());
            var l = SimdMath.Log(t);
            for (int k = 0; k < 8; k++)
            {
                if (t[k] < 2.2250738585072014e-308) continue;
                double reference = Math.Log(t[k]);
                if (reference == 0) continue;
                max = Math.Max(max, Ulps(l[k], reference));
            }
        }
        TestContext.Out.WriteLine($"log: max {max:F2} ulp");
        Assert.That(max, Is.LessThanOrEqualTo(2));
        Assert.That(SimdMath.Log(Vector512<double>.One)[0], Is.EqualTo(0));
    }
}
