using Simulator.Tests.Support;
using MathNet.Numerics;
using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

/// <summary>
/// The fast Φ and Φ⁻¹ of <see cref="NormalMath"/> (scalar and vectorised) against references on dense grids that
/// include the tails, and the documented bounds <see cref="NormalMath.CdfRelativeErrorBound"/> and
/// <see cref="NormalMath.InvCdfRelativeErrorBound"/> asserted on the measured maximum errors.
/// </summary>
public class NormalMathTests
{
    private const double MinNormal = 2.2250738585072014e-308;

    // Φ(−y) for y ≥ 2 from the Mills ratio's continued fraction R(y) = 1/(y + 1/(y + 2/(y + 3/(y + …)))), evaluated
    // backwards from a depth where it has converged to double precision, times φ(y) with exp(−y²/2) corrected for
    // the rounding of y² (exact remainder by a fused multiply-add). Independent of both Cody's and MathNet's forms.
    private static double LowerTailByContinuedFraction(double y)
    {
        int depth = (int)(60 + 8000 / (y * y));
        double t = y;
        for (int k = depth; k >= 1; k--) t = y + k / t;
        double h = y * y, l = Math.FusedMultiplyAdd(y, y, -h);
        double e = Math.Exp(-0.5 * h);
        e -= 0.5 * l * e;
        return e * 0.398942280401432677939946059934 / t;
    }

    // Φ(x) for −2 ≤ x ≤ 0 from MathNet's erfc, with the rounding of the argument x/√2 corrected to first order
    // (erfc(z + δ) ≈ erfc(z) − δ·2/√π·exp(−z²)); MathNet's own error is a few units in the last place here.
    private static double CdfByMathNet(double x)
    {
        const double hi = 0.7071067811865476, lo = -4.833646656726457e-17; // 1/√2 = hi + lo
        double product = x * hi, error = Math.FusedMultiplyAdd(x, hi, -product);
        double z = -product, delta = -error - x * lo;
        double erfc = SpecialFunctions.Erfc(z);
        return 0.5 * (erfc - delta * 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z));
    }

    private static double ReferenceLowerCdf(double x) => x <= -2 ? LowerTailByContinuedFraction(-x) : CdfByMathNet(x);

    private static double[] CdfGrid()
    {
        var grid = new List<double>();
        for (int i = 0; i <= 400_000; i++) grid.Add(-38.4 * i / 400_000); // steps of about 1e-4 down to the last normal results
        var rng = new Random(1);
        for (int i = 0; i < 100_000; i++) grid.Add(-38.4 * rng.NextDouble());
        grid.AddRange([-0.67448975, -0.6744897, -0.674489749, -Math.Sqrt(32), -5.656854249492381, -1e-300, -1e-8]);
        return [.. grid];
    }

    private static double MaxCdfError(Func<double[], double[]> cdf, double[] grid, out double at)
    {
        var lower = cdf(grid);
        var upper = cdf(grid.Select(x => -x).ToArray());
        double max = 0;
        at = double.NaN;
        for (int i = 0; i < grid.Length; i++)
        {
            double reference = ReferenceLowerCdf(grid[i]);
            if (reference < MinNormal) continue;
            double relative = Math.Abs(lower[i] - reference) / reference;
            // x > 0: Φ(x) = 1 − Φ(−x) with an absolute error (a double near 1 resolves no more).
            double absolute = Math.Abs(upper[i] - (1 - reference));
            double error = Math.Max(relative, absolute);
            if (error > max)
            {
                max = error;
                at = grid[i];
            }
        }
        return max;
    }

    [Test]
    public void Cdf_DenseGridIncludingTails_WithinDocumentedBound()
    {
        double max = MaxCdfError(xs => xs.Select(NormalMath.Cdf).ToArray(), CdfGrid(), out double at);
        TestContext.Out.WriteLine($"scalar Φ: max error {max:E3} at x = {at}");
        Assert.That(max, Is.LessThanOrEqualTo(NormalMath.CdfRelativeErrorBound), $"at x = {at}");
    }

    [Test]
    public void CdfVectorised_DenseGridIncludingTails_WithinDocumentedBound()
    {
        double max = MaxCdfError(xs =>
        {
            var result = new double[xs.Length];
            NormalMath.Cdf(xs, result);
            return result;
        }, CdfGrid(), out double at);
        TestContext.Out.WriteLine($"vectorised Φ: max error {max:E3} at x = {at}");
        Assert.That(max, Is.LessThanOrEqualTo(NormalMath.CdfRelativeErrorBound), $"at x = {at}");
    }

    [Test]
    public void MathNetCdf_DeepTail_IsLessAccurateThanTheFastOne()
    {
        // Why the reference is not MathNet's Φ in the tails: its error grows with x² (it rounds x/√2 and x²).
        double mathNet = 0, fast = 0;
        for (int i = 0; i <= 1000; i++)
        {
            double y = 30 + 7.5 * i / 1000, reference = LowerTailByContinuedFraction(y);
            mathNet = Math.Max(mathNet, Math.Abs(ExactNormal.Cdf(-y) - reference) / reference);
            fast = Math.Max(fast, Math.Abs(NormalMath.Cdf(-y) - reference) / reference);
        }
        TestContext.Out.WriteLine($"x in [−37.5, −30]: MathNet {mathNet:E2}, fast {fast:E2}");
        Assert.That(mathNet, Is.GreaterThan(1e-14));
        Assert.That(fast, Is.LessThan(NormalMath.CdfRelativeErrorBound));
    }

    private static double[] InvCdfGrid()
    {
        var grid = new List<double>();
        for (int i = 0; i <= 300_000; i++) grid.Add(Math.Pow(10, -300.0 * i / 300_000)); // 1 down to 1e-300
        for (int i = 1; i <= 160_000; i++) grid.Add(1 - Math.Pow(10, -16.0 * i / 160_000)); // up to 1 − 1e-16
        for (int i = 1; i < 200_000; i++) grid.Add(i / 200_000.0);
        var rng = new Random(2);
        for (int i = 0; i < 100_000; i++) grid.Add(rng.NextDouble());
        grid.AddRange([0.075, 0.925, 0.5 - 0.425, 0.5 + 0.425, Math.Exp(-25), 1.3887943864964021e-11, 1e-300, 1 - 1e-16, 0.5]);
        return grid.Where(p => p > 0 && p < 1).ToArray();
    }

    // Relative error against MathNet's erfc⁻¹; in the tails also against one Newton step on the (independently
    // checked) fast Φ, which is accurate there to far better than the bound (Φ⁻¹ is well conditioned in its tails).
    private static double MaxInvCdfError(Func<double[], double[]> invCdf, double[] grid, out double at)
    {
        var values = invCdf(grid);
        double max = 0;
        at = double.NaN;
        for (int i = 0; i < grid.Length; i++)
        {
            double p = grid[i], x = values[i];
            double mathNet = ExactNormal.InvCdf(p);
            double error = Math.Abs(x - mathNet) / Math.Max(Math.Abs(mathNet), 1e-300);
            if (Math.Min(p, 1 - p) < 0.02)
            {
                double tail = Math.Min(p, 1 - p), y = Math.Abs(x);
                double density = Math.Exp(-0.5 * y * y) * 0.398942280401432677939946059934;
                if (density > 0)
                {
                    double refined = y + (NormalMath.Cdf(-y) - tail) / density;
                    error = Math.Max(error, Math.Abs(y - refined) / refined);
                }
            }
            if (error > max)
            {
                max = error;
                at = p;
            }
        }
        return max;
    }

    [Test]
    public void InvCdf_DenseGridFrom1e300To1Minus1e16_WithinDocumentedBound()
    {
        double max = MaxInvCdfError(ps => ps.Select(NormalMath.InvCdf).ToArray(), InvCdfGrid(), out double at);
        TestContext.Out.WriteLine($"scalar Φ⁻¹: max relative error {max:E3} at p = {at:R}");
        Assert.That(max, Is.LessThanOrEqualTo(NormalMath.InvCdfRelativeErrorBound), $"at p = {at:R}");
    }

    [Test]
    public void InvCdfVectorised_DenseGridFrom1e300To1Minus1e16_WithinDocumentedBound()
    {
        double max = MaxInvCdfError(ps =>
        {
            var result = new double[ps.Length];
            NormalMath.InvCdf(ps, result);
            return result;
        }, InvCdfGrid(), out double at);
        TestContext.Out.WriteLine($"vectorised Φ⁻¹: max relative error {max:E3} at p = {at:R}");
        Assert.That(max, Is.LessThanOrEqualTo(NormalMath.InvCdfRelativeErrorBound), $"at p = {at:R}");
    }

    [Test]
    public void SpecialValues_FollowTheLimits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NormalMath.InvCdf(0), Is.EqualTo(double.NegativeInfinity));
            Assert.That(NormalMath.InvCdf(1), Is.EqualTo(double.PositiveInfinity));
            Assert.That(NormalMath.InvCdf(0.5), Is.EqualTo(0));
            Assert.That(NormalMath.InvCdf(double.NaN), Is.NaN);
            Assert.That(NormalMath.InvCdf(-0.1), Is.NaN);
            Assert.That(NormalMath.InvCdf(1.1), Is.NaN);
            Assert.That(NormalMath.Cdf(0), Is.EqualTo(0.5));
            Assert.That(NormalMath.Cdf(double.NegativeInfinity), Is.EqualTo(0));
            Assert.That(NormalMath.Cdf(double.PositiveInfinity), Is.EqualTo(1));
            Assert.That(NormalMath.Cdf(-40), Is.EqualTo(0));
            Assert.That(NormalMath.Cdf(double.NaN), Is.NaN);
        });
        double[] p = [0, 1, double.NaN, -0.1, 1.1, 0.5, 1e-320, 1e-12, 1 - 1e-12];
        var x = new double[p.Length];
        NormalMath.InvCdf(p, x);
        Assert.That(x[..6], Is.EqualTo(new[] { double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.NaN, double.NaN, 0 }));
        for (int i = 6; i < p.Length; i++)
            Assert.That(x[i], Is.EqualTo(NormalMath.InvCdf(p[i])).Within(1e-15 * Math.Abs(NormalMath.InvCdf(p[i]))), $"p = {p[i]}");
        double[] z = [double.NegativeInfinity, double.PositiveInfinity, double.NaN, 0, -40, 40, -38, 6];
        var u = new double[z.Length];
        NormalMath.Cdf(z, u);
        Assert.That(u[..3], Is.EqualTo(new[] { 0, 1, double.NaN }));
        Assert.That(u[3..], Is.EqualTo(new[] { 0.5, 0, 1, NormalMath.Cdf(-38), NormalMath.Cdf(6) }).Within(1e-15));
    }

    [Test]
    public void Vectorised_ResultDependsOnlyOnTheValue_NotOnPositionOrLengthOrAliasing()
    {
        var rng = new Random(3);
        var p = Enumerable.Range(0, 203).Select(_ => rng.NextDouble()).ToArray();
        p[17] = 1e-13; // a lane for the scalar far tail
        var x = p.Select(v => 8 * v - 4).ToArray();
        x[40] = -7; // the far range
        var whole = new double[p.Length];
        NormalMath.InvCdf(p, whole);
        var wholeCdf = new double[x.Length];
        NormalMath.Cdf(x, wholeCdf);
        for (int offset = 1; offset < 11; offset++)
        {
            var part = new double[p.Length - offset];
            NormalMath.InvCdf(p.AsSpan(offset), part);
            Assert.That(part, Is.EqualTo(whole[offset..]), $"Φ⁻¹ shifted by {offset}");
            var partCdf = new double[x.Length - offset];
            NormalMath.Cdf(x.AsSpan(offset), partCdf);
            Assert.That(partCdf, Is.EqualTo(wholeCdf[offset..]), $"Φ shifted by {offset}");
        }
        var inPlace = (double[])p.Clone();
        NormalMath.InvCdf(inPlace, inPlace);
        Assert.That(inPlace, Is.EqualTo(whole), "Φ⁻¹ in place");
        var inPlaceCdf = (double[])x.Clone();
        NormalMath.Cdf(inPlaceCdf, inPlaceCdf);
        Assert.That(inPlaceCdf, Is.EqualTo(wholeCdf), "Φ in place");
    }

    [Test]
    public void Vectorised_EveryShortLengthInPlace_SameAsWholeSpan()
    {
        // Lengths below, at and between whole vectors (the last elements of a partial vector are computed as one
        // vector overlapping the one before), in place and not: each element as in the whole span.
        var rng = new Random(6);
        var p = Enumerable.Range(0, 70).Select(_ => rng.NextDouble()).ToArray();
        p[9] = 0.001; // Φ⁻¹'s tail range, inside the overlap of lengths 10..15
        var x = p.Select(v => 10 * v - 5).ToArray();
        var whole = new double[p.Length];
        NormalMath.InvCdf(p, whole);
        var wholeCdf = new double[x.Length];
        NormalMath.Cdf(x, wholeCdf);
        for (int length = 1; length <= p.Length; length++)
        {
            var inPlace = p[..length];
            NormalMath.InvCdf(inPlace, inPlace);
            Assert.That(inPlace, Is.EqualTo(whole[..length]), $"Φ⁻¹ in place, length {length}");
            var inPlaceCdf = x[..length];
            NormalMath.Cdf(inPlaceCdf, inPlaceCdf);
            Assert.That(inPlaceCdf, Is.EqualTo(wholeCdf[..length]), $"Φ in place, length {length}");
        }
    }

    [Test]
    public void ExactVersions_AreMathNets()
    {
        Assert.That(ExactNormal.Cdf(-1.5), Is.EqualTo(0.5 * SpecialFunctions.Erfc(1.5 / Math.Sqrt(2))).Within(1e-16));
        Assert.That(ExactNormal.InvCdf(0.025), Is.EqualTo(-1.959963984540054).Within(1e-14));
    }
}
