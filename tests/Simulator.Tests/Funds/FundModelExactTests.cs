using MathNet.Numerics.Distributions;
using Simulator.Core.Economy;
using Simulator.Tests.Support;
using Simulator.Core.Funds;

namespace Simulator.Tests.Funds;

/// <summary>
/// The fund model against exact results of the same model: binomial counts of successes for independent
/// projects, one-dimensional integrals over the factor for correlated ones (with stresses and AR(1) windows).
/// Tolerances are four Monte Carlo standard errors at the exact probability; seeds are fixed.
/// </summary>
public class FundModelExactTests
{
    // A "coin" model: write-off with probability q, else a fixed multiple of 2. With n deals of equal size,
    // K successes give loss ratio max(0, 1 − 2K/n), so the fund breaches tolerance τ iff K < n(1 − τ)/2.
    private static string CoinScenario(int deals, double writeOff, double tolerance, string exposure = "", string factors = "", string stresses = "", int trials = 200_000, int exposureYears = 1) => $$"""
        { "name": "coin", "simulation": { "trials": {{trials}}, "seed": 42 },
          "factors": [ {{factors}} ], "stresses": [ {{stresses}} ],
          "outcomes": { "coin": { "writeOff": {{writeOff}}, "success": { "fixed": 2.0 }, "exposureYears": {{exposureYears}} } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": {{deals}}, "check": 1e6,
                       "investmentYears": 1, "lifeYears": 10, "outcomes": "coin", "tolerance": {{tolerance}},
                       "exposure": { {{exposure}} } } ] }
        """;

    private static int BreachBelow(int deals, double tolerance) => (int)Math.Ceiling(deals * (1 - tolerance) / 2) - 1;

    [Test]
    public void Breach_IndependentProjects_MatchesBinomial()
    {
        const int deals = 20;
        var r = TestScenarios.Run(CoinScenario(deals, 0.7, 0.6));
        double exact = Exact.BinomialCdf(0.3, deals, BreachBelow(deals, 0.6)); // K ≤ 3
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach)");
    }

    [Test]
    public void LossRatioQuantiles_IndependentProjects_EqualExactBinomialQuantiles()
    {
        const int deals = 20;
        var r = TestScenarios.Run(CoinScenario(deals, 0.7, 0.6));
        // Exact law of the loss ratio: value max(0, 1 − k/10) with probability Binomial(20, 0.3).pmf(k).
        var values = Enumerable.Range(0, deals + 1)
            .GroupBy(k => Math.Max(0, 1 - k / 10.0))
            .Select(g => (Value: g.Key, P: g.Sum(k => Binomial.PMF(0.3, deals, k))))
            .OrderBy(v => v.Value).ToList();
        double ExactQuantile(double q)
        {
            double c = 0;
            foreach (var (value, p) in values)
            {
                c += p;
                if (c >= q) return value;
            }
            return values[^1].Value;
        }
        var l = r.Funds[0].LossRatio;
        foreach (var (q, got) in new[] { (0.5, l.P50), (0.9, l.P90), (0.95, l.P95), (0.99, l.P99), (0.999, l.P999) })
        {
            Assert.That(got, Is.EqualTo(ExactQuantile(q)).Within(1e-12), $"p{q}");
        }
        double exactMean = values.Sum(v => v.Value * v.P);
        double exactSd = Math.Sqrt(values.Sum(v => v.P * (v.Value - exactMean) * (v.Value - exactMean)));
        Exact.WithinStandardErrors(l.Mean, exactMean, exactSd / Math.Sqrt(r.Trials), what: "mean loss ratio");
    }

    [TestCase(0.5, 0.0)]
    [TestCase(0.3, 0.0)]
    [TestCase(0.5, -1.5)]
    public void Breach_OneFactor_MatchesIntegralOverFactor(double loading, double stress)
    {
        const int deals = 20;
        const double q = 0.7;
        string stresses = stress == 0 ? "" : $$"""{ "factor": "macro", "fromYear": 1, "toYear": 1, "shift": {{stress}} }""";
        var r = TestScenarios.Run(CoinScenario(deals, q, 0.6, $"\"macro\": {loading}", "{ \"name\": \"macro\" }", stresses));
        double c = Math.Sqrt(1 - loading * loading), threshold = Normal.InvCDF(0, 1, q);
        double exact = Exact.NormalExpectation(s =>
        {
            double success = 1 - Normal.CDF(0, 1, (threshold - loading * s) / c);
            return Exact.BinomialCdf(success, deals, BreachBelow(deals, 0.6));
        }, mean: stress);
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach)");
    }

    [Test]
    public void Breach_Ar1WindowWithStressInsideWindow_MatchesRescaledWindowLaw()
    {
        // Window of 3 years, persistence 0.6, stress −1 in year 2 only: S = (Z1 + Z2 + Z3 − 1)/sqrt(V) with
        // V the AR(1) window variance, so S ~ N(−1/sqrt(V), 1).
        const int deals = 20;
        const double q = 0.7, b = 0.5;
        var r = TestScenarios.Run(CoinScenario(deals, q, 0.6, $"\"macro\": {b}", "{ \"name\": \"macro\", \"persistence\": 0.6 }",
            """{ "factor": "macro", "fromYear": 2, "shift": -1 }""", exposureYears: 3));
        double v = EconomyModel.WindowSumVariance(0.6, 3);
        double c = Math.Sqrt(1 - b * b), threshold = Normal.InvCDF(0, 1, q);
        double exact = Exact.NormalExpectation(s => Exact.BinomialCdf(1 - Normal.CDF(0, 1, (threshold - b * s) / c), deals, 3), mean: -1 / Math.Sqrt(v));
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach)");
    }

    [Test]
    public void Stress_OutsideExposureWindow_ChangesNothing()
    {
        string factor = "{ \"name\": \"macro\", \"persistence\": 0.5 }";
        var calm = TestScenarios.Run(CoinScenario(20, 0.7, 0.6, "\"macro\": 0.5", factor, trials: 20_000));
        var late = TestScenarios.Run(CoinScenario(20, 0.7, 0.6, "\"macro\": 0.5", factor, """{ "factor": "macro", "fromYear": 3, "toYear": 5, "shift": -3 }""", trials: 20_000));
        Assert.That(late.Funds[0].LossRatio, Is.EqualTo(calm.Funds[0].LossRatio).Using<Core.Statistics.LossSummary>((a, b) => a.Mean == b.Mean && a.P99 == b.P99));
        Assert.That(late.Funds[0].Breach.Count, Is.EqualTo(calm.Funds[0].Breach.Count));
    }

    [Test]
    public void Stress_InsideWindow_RaisesBreachProbability()
    {
        string factor = "{ \"name\": \"macro\" }";
        var calm = TestScenarios.Run(CoinScenario(20, 0.7, 0.6, "\"macro\": 0.5", factor, trials: 20_000));
        var stressed = TestScenarios.Run(CoinScenario(20, 0.7, 0.6, "\"macro\": 0.5", factor, """{ "factor": "macro", "fromYear": 1, "shift": -2 }""", trials: 20_000));
        Assert.That(stressed.Funds[0].Breach.Probability, Is.GreaterThan(calm.Funds[0].Breach.Probability + 10 * calm.Funds[0].Breach.StandardError));
    }

    [Test]
    public void Multiple_OneDrawDecidesBandAndMultiple_StressShrinksWinners()
    {
        // No write-offs; success multiple uniform on [1, 3] read at U = Φ(X), X ~ N(−2b, 1) under a −2 stress:
        // E[M] = 1 + 2·E[Φ(X)] = 1 + 2·Φ(−2b/√2).
        const double b = 0.6;
        var r = TestScenarios.Run($$"""
            { "name": "u", "simulation": { "trials": 100000, "seed": 9 }, "factors": [ { "name": "macro" } ],
              "stresses": [ { "factor": "macro", "fromYear": 1, "shift": -2 } ],
              "outcomes": { "u": { "writeOff": 0, "success": { "uniform": [1, 3] }, "exposureYears": 1 } },
              "funds": [ { "name": "f", "type": "venture", "commitment": 1e9, "deals": 1, "check": 1, "investmentYears": 1, "outcomes": "u", "exposure": { "macro": {{b}} } } ] }
            """);
        double exact = 1 + 2 * Normal.CDF(0, 1, -2 * b / Math.Sqrt(2));
        double sd = 2 / Math.Sqrt(12); // sd of M is at most that of uniform[1,3]
        Exact.WithinStandardErrors(r.Funds[0].MeanProceeds, exact, sd / Math.Sqrt(r.Trials), what: "E[multiple]");
        Assert.That(exact, Is.LessThan(1.9), "the stress must shrink winners");
    }

    [Test]
    public void DirectProjects_IndependentWriteOffs_BreachAnyProject()
    {
        var r = TestScenarios.Run("""
            { "name": "d", "simulation": { "trials": 100000, "seed": 5 },
              "policy": { "tolerance": { "directProject": 0.5 } },
              "outcomes": { "coin": { "writeOff": 0.3, "success": 2.0 } },
              "funds": [ { "name": "d", "type": "direct", "commitment": 1e8, "deals": 5, "check": 1e6, "outcomes": "coin" } ] }
            """);
        var f = r.Funds[0];
        double exact = 1 - Math.Pow(0.7, 5);
        Exact.WithinStandardErrors(f.Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(any project breaches)");
        Assert.That(f.Projects, Is.Not.Null);
        Exact.WithinStandardErrors(f.Projects!.ProjectBreachProbability, 0.3, Math.Sqrt(0.21 / 5 / r.Trials), what: "per-project breach");
        Assert.That(f.Projects.StandardError, Is.EqualTo(Math.Sqrt(0.21 / 5 / r.Trials)).Within(5).Percent, "independent projects: the binomial standard error");
        Assert.That(f.Fund.Tolerance, Is.EqualTo(0.5));
    }

    [Test]
    public void DirectProjects_DefaultTolerance_NeverBreach()
    {
        var r = TestScenarios.Run("""
            { "name": "d", "simulation": { "trials": 5000 },
              "funds": [ { "name": "d", "type": "direct", "commitment": 1e8, "deals": 5, "check": 1e6, "outcomes": "seed" } ] }
            """);
        Assert.That(r.Funds[0].Breach.Count, Is.Zero, "a 100% tolerance cannot be exceeded by a loss ratio ≤ 1");
        Assert.That(r.Funds[0].LossRatio.P999, Is.GreaterThan(0.5), "but the projects do lose money");
    }

    [Test]
    public void Programme_Tolerance_IsInvestedWeightedAverage()
    {
        var r = TestScenarios.Run("""
            { "name": "p", "simulation": { "trials": 2000 },
              "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 },
                         { "name": "a", "type": "angel", "commitment": 1e8, "deals": 30, "check": 1e6 } ] }
            """);
        Assert.That(r.Programme!.MeanTolerance, Is.EqualTo((10 * 0.8 + 30 * 0.6) / 40).Within(1e-12));
    }

    [Test]
    public void NetIrr_ReceiptsBeforeFeeCalls_UndefinedAndCountedAsSuch()
    {
        // One project of 1 million, made in year 1 of a 3-year investment period with fees of 500,000 a year: written
        // off (p = 0.5, IRR −1) or returning 2 million in year 1 itself. Then the LPs' yearly flows are +0.5, −0.5,
        // −0.5 million — receipts before fee calls, a multiple of 0.8 whose NPV root (+61.8%) is a borrowing rate:
        // undefined. So the IRR is defined only in the write-offs, and half the trials have none.
        var r = TestScenarios.Run("""
            { "name": "early", "simulation": { "trials": 4000, "seed": 2 },
              "outcomes": { "coin": { "writeOff": 0.5, "success": 2.0, "exitYears": { "success": 0 } } },
              "funds": [ { "name": "f", "type": "seed", "commitment": 2.5e7, "deals": 1, "check": 1e6, "investmentYears": 3, "lifeYears": 3,
                           "outcomes": "coin", "fees": { "management": 0.02 } } ] }
            """);
        var f = r.Funds[0];
        foreach (var irr in new[] { f.NetIrrPrivate!, f.NetIrrGovernment! })
        {
            Assert.That(irr.Mean, Is.EqualTo(-1), "only the write-offs have an IRR");
            Exact.WithinStandardErrors(irr.UndefinedShare, 0.5, Exact.ProbabilityStandardError(0.5, r.Trials), what: "share without an IRR");
            Assert.That(irr.Defined, Is.EqualTo(r.Trials - (long)Math.Round(irr.UndefinedShare * r.Trials)));
        }
    }
}
