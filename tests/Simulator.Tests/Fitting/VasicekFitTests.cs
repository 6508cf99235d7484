using MathNet.Numerics;
using Simulator.Core.Fitting;
using Simulator.Core.Statistics;

namespace Simulator.Tests.Fitting;

/// <summary>The Vasicek fit: its quadrature against exact moments and a brute-force integral, and recovery of PD and
/// ρ from a long synthetic history within about two standard errors.</summary>
public class VasicekFitTests
{
    [Test]
    public void GaussHermite_ThirtyTwoPoints_IntegratesNormalMomentsExactly()
    {
        var rule = new GaussHermite(32);
        Assert.That(rule.Weights.Sum(), Is.EqualTo(1).Within(1e-13));
        // E[Z²] = 1, E[Z⁴] = 3, E[Z⁶] = 15, odd moments 0: exact for degree < 64.
        double M(int k) => rule.Nodes.Zip(rule.Weights, (x, w) => w * Math.Pow(x, k)).Sum();
        Assert.That(M(1), Is.EqualTo(0).Within(1e-13));
        Assert.That(M(2), Is.EqualTo(1).Within(1e-12));
        Assert.That(M(4), Is.EqualTo(3).Within(1e-11));
        Assert.That(M(6), Is.EqualTo(15).Within(1e-10));
    }

    [TestCase(100, 3, 0.02, 0.10)]
    [TestCase(5000, 40, 0.01, 0.05)]
    [TestCase(5000, 600, 0.03, 0.20)]
    [TestCase(20, 0, 0.05, 0.30)]
    [TestCase(2000, 2000, 0.50, 0.40)]
    public void YearLikelihood_AdaptiveQuadrature_MatchesBruteForceIntegral(int n, int d, double pd, double rho)
    {
        double a = NormalMath.InvCdf(pd) / Math.Sqrt(1 - rho);
        double c = Math.Sqrt(rho / (1 - rho));
        double quadrature = VasicekFit.YearLogIntegral(n, d, a, c);
        // A trapezoid rule on a fine grid over [−12, 12], in logs relative to its largest term (exact to ~1e-9 here).
        const int steps = 240_000;
        var logs = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            double z = -12 + 24.0 * i / steps;
            double p = NormalMath.Cdf(a - c * z);
            double q = NormalMath.Cdf(c * z - a);
            logs[i] = (d == 0 ? 0 : d * Math.Log(p)) + (n == d ? 0 : (n - d) * Math.Log(q)) - 0.5 * z * z - 0.5 * Math.Log(2 * Math.PI);
        }
        double top = logs.Max();
        double sum = 0;
        for (int i = 0; i <= steps; i++) sum += (i == 0 || i == steps ? 0.5 : 1) * Math.Exp(logs[i] - top);
        double brute = top + Math.Log(sum * 24.0 / steps);
        Assert.That(quadrature, Is.EqualTo(brute).Within(1e-7));
    }

    [Test]
    public void LogLikelihood_RhoZero_IsTheBinomial()
    {
        var years = FitData.Defaults(0.03, 0.1, 10, 500, 3);
        double binomial = years.Sum(y => SpecialFunctions.BinomialLn(y.Loans, y.Defaults) + y.Defaults * Math.Log(0.03) + (y.Loans - y.Defaults) * Math.Log(0.97));
        Assert.That(VasicekFit.LogLikelihood(years, 0.03, 0), Is.EqualTo(binomial).Within(1e-8));
    }

    [TestCase(0.02, 0.10, 1UL)]
    [TestCase(0.05, 0.20, 2UL)]
    [TestCase(0.01, 0.05, 3UL)]
    public void Fit_LongHistory_RecoversPdAndRhoWithinTwoAndAHalfStandardErrors(double pd, double rho, ulong seed)
    {
        var years = FitData.Defaults(pd, rho, 300, 2000, seed);
        var fit = VasicekFit.Fit("all", years);
        TestContext.Out.WriteLine($"pd {fit.Pd} ± {fit.PdSe}, rho {fit.Rho} ± {fit.RhoSe}");
        Assert.That(Math.Abs(fit.Pd - pd), Is.LessThan(2.5 * fit.PdSe), $"pd {fit.Pd} ± {fit.PdSe}");
        Assert.That(Math.Abs(fit.Rho - rho), Is.LessThan(2.5 * fit.RhoSe), $"rho {fit.Rho} ± {fit.RhoSe}");
        // The standard errors are those of a long history: a few percent of the values, not orders of magnitude off.
        Assert.That(fit.PdSe / pd, Is.InRange(0.01, 0.2));
        Assert.That(fit.RhoSe / rho, Is.InRange(0.03, 0.3));
    }

    [Test]
    public void StandardErrors_ManyHistories_MatchTheSpreadOfTheEstimates()
    {
        // 40 histories of 60 years: the sd of the 40 estimates of ρ should be near the mean reported SE (a ratio within
        // 0.6–1.6 allows for the sampling error of an sd from 40 values and the small-sample skew of ρ̂).
        var fits = Enumerable.Range(0, 40).Select(k => VasicekFit.Fit("all", FitData.Defaults(0.03, 0.12, 60, 1000, 500 + (ulong)k))).ToList();
        double mean = fits.Average(f => f.Rho);
        double sd = Math.Sqrt(fits.Sum(f => (f.Rho - mean) * (f.Rho - mean)) / (fits.Count - 1));
        Assert.That(sd / fits.Average(f => f.RhoSe), Is.InRange(0.6, 1.6));
        double pdMean = fits.Average(f => f.Pd);
        double pdSd = Math.Sqrt(fits.Sum(f => (f.Pd - pdMean) * (f.Pd - pdMean)) / (fits.Count - 1));
        Assert.That(pdSd / fits.Average(f => f.PdSe), Is.InRange(0.6, 1.6));
    }

    [Test]
    public void Fit_NoCorrelation_RhoNearZeroAndPdThePooledRate()
    {
        var fit = VasicekFit.Fit("all", FitData.Defaults(0.04, 0.0, 50, 1000, 9));
        Assert.That(fit.Rho, Is.LessThan(0.01));
        Assert.That(fit.Pd, Is.EqualTo(fit.PooledRate).Within(3 * fit.PdSe));
    }

    [Test]
    public void FitAll_TooFewYearsOrNoDefaults_ReportsEveryGradeAtOnce()
    {
        var rows = FitData.Defaults(0.02, 0.1, 3, 100, 1, "A").Concat(FitData.Defaults(0.02, 0.1, 8, 1000, 2, "B"))
            .Concat(Enumerable.Range(0, 6).Select(t => new DefaultRow(2000 + t, 50, 0, "C", t))).ToList();
        var (fits, errors) = VasicekFit.FitAll("d.csv", rows);
        Assert.That(fits, Is.Empty);
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("grade 'A' has 3 year(s); at least 5 are needed"));
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("cannot fit grade 'C': no year has a default"));
        Assert.That(errors, Has.Count.EqualTo(2));
    }
}
