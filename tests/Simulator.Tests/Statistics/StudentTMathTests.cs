using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

public class StudentTMathTests
{
    // Closed forms: ν = 1 (Cauchy) ½ + atan(x)/π; ν = 2 ½ + x/(2√(2 + x²)); ν = 4 ½ + (3/8)·(x/√(1 + x²/4))·(1 − x²/(12(1 + x²/4))).
    private static double Closed(double x, int nu) => nu switch
    {
        1 => 0.5 + Math.Atan(x) / Math.PI,
        2 => 0.5 + x / (2 * Math.Sqrt(2 + x * x)),
        _ => 0.5 + 0.375 * (x / Math.Sqrt(1 + x * x / 4)) * (1 - x * x / (12 * (1 + x * x / 4))),
    };

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void Cdf_MatchesClosedForms(int nu)
    {
        // Relative to the smaller tail, where the closed forms keep their digits (|x| ≤ 6).
        for (double x = -6; x <= 6; x += 0.125)
        {
            double exact = Closed(x, nu), tail = Math.Min(exact, 1 - exact);
            Assert.That(StudentTMath.Cdf(x, nu), Is.EqualTo(exact).Within(1e-13 * Math.Max(tail, 1e-3)), $"x = {x}");
        }
    }

    [TestCase(1.0)]
    [TestCase(3.0)]
    [TestCase(4.0)]
    [TestCase(30.0)]
    public void InvCdf_InvertsCdf_ToRelativeRoundOff(double nu)
    {
        foreach (double p in new[] { 1e-12, 1e-6, 0.001, 0.03, 0.2, 0.5, 0.7, 0.97, 1 - 1e-6 })
        {
            double x = StudentTMath.InvCdf(p, nu);
            double back = StudentTMath.Cdf(x, nu);
            Assert.That(back, Is.EqualTo(p).Within(1e-12 * Math.Min(p, 1 - p)), $"p = {p}");
            // Symmetry where 1 − p keeps p's digits.
            if (p >= 0.001 && p <= 0.999) Assert.That(StudentTMath.InvCdf(1 - p, nu), Is.EqualTo(-x).Within(1e-12 * Math.Max(1, Math.Abs(x))));
        }
    }

    [Test]
    public void ChiSquareInvCdf_ν4_MatchesClosedForm()
    {
        // χ²₄: F(w) = 1 − e^{−w/2}(1 + w/2).
        // From 0.01 up: below, the closed form itself cancels.
        foreach (double u in new[] { 0.01, 0.3, 0.5, 0.9, 0.999 })
        {
            double w = StudentTMath.ChiSquareInvCdf(u, 4);
            Assert.That(1 - Math.Exp(-w / 2) * (1 + w / 2), Is.EqualTo(u).Within(1e-12 * Math.Max(u, 1e-3)));
        }
    }
}
