using Simulator.Tests.Support;
using Simulator.Core.Distributions;

namespace Simulator.Tests.Distributions;

public class DistributionTests
{
    private static readonly double[] Us = [1e-9, 1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.9999, 1 - 1e-9];

    [Test]
    public void LogNormal_Quantile_MatchesMathNet()
    {
        var d = new LogNormalDistribution(3e6, 0.8);
        foreach (double u in Us)
            Assert.That(d.Quantile(u), Is.EqualTo(MathNet.Numerics.Distributions.LogNormal.InvCDF(Math.Log(3e6), 0.8, u)).Within(1e-9).Percent);
    }

    [Test]
    public void Pareto_Quantile_MatchesMathNet()
    {
        var d = new ParetoDistribution(1.5, 1.1);
        foreach (double u in Us)
            Assert.That(d.Quantile(u), Is.EqualTo(new MathNet.Numerics.Distributions.Pareto(1.5, 1.1).InverseCumulativeDistribution(u)).Within(1e-9).Percent);
    }

    [TestCase(0.3, 0.2)]
    [TestCase(0.35, 0.25)]
    [TestCase(0.6, 0.2)]
    [TestCase(0.1, 0.05)]
    public void Beta_TabulatedQuantile_WithinOneMillionth(double mean, double sd)
    {
        var d = new BetaDistribution(mean, sd);
        var us = Enumerable.Range(1, 1998).Select(i => i / 2000.0 + 1.234e-5)
            .Concat(Enumerable.Range(1, 20).SelectMany(k => new[] { Math.Pow(10, -k * 0.3), 1 - Math.Pow(10, -k * 0.3) }));
        foreach (double u in us)
        {
            Assert.That(d.Quantile(u), Is.EqualTo(d.ExactQuantile(u)).Within(1e-6), $"u = {u}");
        }
        Assert.That(d.Alpha * d.Beta / ((d.Alpha + d.Beta) * (d.Alpha + d.Beta) * (d.Alpha + d.Beta + 1)), Is.EqualTo(sd * sd).Within(1e-12));
    }

    [TestCase(0.6, 0.2)]
    [TestCase(0.1, 0.05)]
    [TestCase(0.35, 0.25)]
    public void Beta_FarTails_MatchExactQuantile(double mean, double sd)
    {
        var d = new BetaDistribution(mean, sd);
        foreach (double v in new[] { 9e-7, 1e-8, 1e-10, 1e-13 })
        {
            // The defining equation I_x(a, b) = v to 1e-9 relative (MathNet's root finder stops earlier, so it is
            // only a loose cross-check).
            double lower = d.Quantile(v), upper = d.Quantile(1 - v);
            Assert.That(MathNet.Numerics.SpecialFunctions.BetaRegularized(d.Alpha, d.Beta, lower), Is.EqualTo(v).Within(1e-7).Percent, $"I at the lower tail {v}");
            Assert.That(MathNet.Numerics.SpecialFunctions.BetaRegularized(d.Beta, d.Alpha, 1 - upper), Is.EqualTo(1 - (1 - v)).Within(1e-5).Percent, $"I at the upper tail {v}");
            if (v > 1e-7)
            {
                // MathNet's root finder drifts in the far tail (3e-4 relative at 1e-10), so it cross-checks only here.
                Assert.That(lower, Is.EqualTo(d.ExactQuantile(v)).Within(0.01).Percent, $"lower tail at {v}");
                Assert.That(1 - upper, Is.EqualTo(1 - d.ExactQuantile(1 - v)).Within(0.01).Percent, $"upper tail at {v}");
            }
        }
    }

    [Test]
    public void Table_Quantile_IsInfOfCdfOverSortedValues()
    {
        var d = new TableDistribution([(5, 0.5), (3, 0.25), (8, 0.25)]);
        Assert.Multiple(() =>
        {
            Assert.That(d.Quantile(0.1), Is.EqualTo(3));
            Assert.That(d.Quantile(0.25), Is.EqualTo(3));
            Assert.That(d.Quantile(0.26), Is.EqualTo(5));
            Assert.That(d.Quantile(0.9), Is.EqualTo(8));
            Assert.That(d.Mean, Is.EqualTo(5.25));
        });
    }

    [Test]
    public void ParetoCappedMean_MatchesNumericalIntegral()
    {
        var d = new ParetoDistribution(1.0, 0.84);
        double numeric = MathNet.Numerics.Integration.GaussLegendreRule.Integrate(u => Math.Min(d.Quantile(u), 25), 0, 1, 4096);
        Assert.That(d.CappedMean(25), Is.EqualTo(numeric).Within(1e-3));
    }
}
