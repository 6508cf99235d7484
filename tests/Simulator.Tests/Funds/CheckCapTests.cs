using MathNet.Numerics.Distributions;
using Simulator.Core.Distributions;
using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>check.cap: a limit on a single project's investment caps every check at it.</summary>
public class CheckCapTests
{
    private static string Fund(string check, int trials = 4000) => $$"""
        { "name": "cap", "simulation": { "trials": {{trials}}, "seed": 5 },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": 25, "check": {{check}} } ] }
        """;

    [Test]
    public void Invested_FixedCheckAboveTheCap_IsDealsTimesTheCap()
    {
        var r = TestScenarios.Run(Fund("""{ "fixed": 8e6, "cap": 5e6 }"""));
        Assert.That(r.Funds[0].MeanInvested, Is.EqualTo(25 * 5e6));
    }

    [Test]
    public void Invested_CapAboveTheSupport_ChangesNothing()
    {
        var plain = TestScenarios.Run(Fund("""{ "uniform": [1e6, 3e6] }"""));
        var capped = TestScenarios.Run(Fund("""{ "uniform": [1e6, 3e6], "cap": 3e6 }"""));
        Assert.That(capped.Funds[0].MeanInvested, Is.EqualTo(plain.Funds[0].MeanInvested));
        Assert.That(capped.Funds[0].LossRatio.Mean, Is.EqualTo(plain.Funds[0].LossRatio.Mean));
    }

    // E[min(X, c)] of a lognormal with median m and log-sd s: m·e^{s²/2}·Φ((ln(c/m) − s²)/s) + c·(1 − Φ(ln(c/m)/s)).
    private static double LogNormalCappedMean(double m, double s, double c)
    {
        double z = Math.Log(c / m) / s;
        return m * Math.Exp(s * s / 2) * Normal.CDF(0, 1, z - s) + c * (1 - Normal.CDF(0, 1, z));
    }

    [Test]
    public void Mean_CappedLogNormal_MatchesTheClosedForm()
    {
        var law = new CappedDistribution(new LogNormalDistribution(6e6, 0.8), 1e7);
        Assert.That(law.Mean, Is.EqualTo(LogNormalCappedMean(6e6, 0.8, 1e7)).Within(1e-6 * 1e7));
        Assert.That(law.SupportMax, Is.EqualTo(1e7));
        Assert.That(law.Quantile(0.999), Is.EqualTo(1e7));
        Assert.That(law.Quantile(0.5), Is.EqualTo(6e6).Within(1e-6));
    }

    [Test]
    public void Invested_CappedLogNormalCheck_MatchesTheCappedMean()
    {
        var r = TestScenarios.Run(Fund("""{ "lognormal": { "median": 6e6, "sigma": 0.8 }, "cap": 1e7 }""", trials: 20_000));
        double mean = LogNormalCappedMean(6e6, 0.8, 1e7);
        // The sum of 25 independent capped checks: its sd is 5 × the checks' sd (bounded by the cap's half-range).
        double sd = 5 * Math.Sqrt(new CappedDistribution(new LogNormalDistribution(6e6, 0.8), 1e7).SecondMomentForTests() - mean * mean);
        Exact.WithinStandardErrors(r.Funds[0].MeanInvested, 25 * mean, sd / Math.Sqrt(r.Trials), what: "mean invested");
    }

    [Test]
    public void Fill_Cap_IsWrittenBesideTheLaw()
    {
        var spec = TestScenarios.Load(Fund("""{ "lognormal": { "median": 6e6, "sigma": 0.8 }, "cap": 1e7 }""")).Spec();
        Assert.That(spec.Funds![0].Check!.Cap, Is.EqualTo(1e7));
    }

    [TestCase("""{ "fixed": 1e6, "cap": 0 }""", "$.funds[0].check.cap", "a cap is greater than 0")]
    [TestCase("""{ "fixed": 1e6, "cap": "big" }""", "$.funds[0].check.cap", "expected a finite number")]
    [TestCase("""{ "fixed": 1e6, "uniform": [1, 2], "cap": 5 }""", "$.funds[0].check", "exactly one key")]
    public void Validate_BadCap_NamesPath(string check, string path, string message)
    {
        var errors = TestScenarios.Errors(Fund(check));
        Assert.That(errors.Single(e => e.Path == path).Message, Does.Contain(message));
    }
}

internal static class CappedMoments
{
    /// <summary>E[min(X, cap)²] by the midpoint rule on the quantile function (test helper).</summary>
    public static double SecondMomentForTests(this CappedDistribution law)
    {
        const int n = 1 << 18;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double x = law.Quantile((i + 0.5) / n);
            sum += x * x;
        }
        return sum / n;
    }
}
