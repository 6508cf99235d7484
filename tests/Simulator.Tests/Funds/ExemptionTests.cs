using MathNet.Numerics.Distributions;
using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>The due-diligence exemption: invariances and exact laws of excused losses.</summary>
public class ExemptionTests
{
    // Coin projects (write-off 0.7, else 2×), 20 equal checks, tolerance 0.6: breach iff fewer than 4 succeed.
    private static string Coin(string exemption, string type = "seed", string exposure = "", int trials = 100_000) => $$"""
        { "name": "exempt", "simulation": { "trials": {{trials}}, "seed": 8 }, "factors": [ { "name": "macro" } ],
          "outcomes": { "coin": { "writeOff": 0.7, "success": { "fixed": 2.0 }, "exposureYears": 1 } },
          "funds": [ { "name": "f", "type": "{{type}}", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 5,
                       "outcomes": "coin", "tolerance": 0.6, "exposure": { {{exposure}} } {{exemption}} },
                     { "name": "g", "type": "angel", "commitment": 1e9, "deals": 10, "check": 1e6, "investmentYears": 2, "outcomes": "coin" } ] }
        """;

    [Test]
    public void Run_ProbabilityZero_GivesTheSameFiguresAsNoExemption()
    {
        var plain = TestScenarios.Run(Coin("", trials: 20_000));
        var zero = TestScenarios.Run(Coin(""", "exemption": { "probability": 0 }""", trials: 20_000));
        for (int f = 0; f < 2; f++)
        {
            Assert.That(zero.Funds[f].Breach.Count, Is.EqualTo(plain.Funds[f].Breach.Count));
            Assert.That(zero.Funds[f].LossRatio.Mean, Is.EqualTo(plain.Funds[f].LossRatio.Mean));
            Assert.That(zero.Funds[f].LossRatio.P99, Is.EqualTo(plain.Funds[f].LossRatio.P99));
            Assert.That(zero.Funds[f].NetIrrGovernment!.Mean, Is.EqualTo(plain.Funds[f].NetIrrGovernment!.Mean));
        }
        Assert.That(zero.Programme!.LossRatio.Mean, Is.EqualTo(plain.Programme!.LossRatio.Mean));
        Assert.That(zero.Programme!.Breach.Count, Is.EqualTo(plain.Programme!.Breach.Count));
        Assert.That(zero.Funds[0].MeanExcusedLoss, Is.Zero);
        Assert.That(zero.Funds[0].BreachBeforeExemption!.Count, Is.EqualTo(plain.Funds[0].Breach.Count));
    }

    [Test]
    public void Breach_ProbabilityOne_IsZero()
    {
        var r = TestScenarios.Run(Coin(""", "exemption": { "probability": 1 }""", trials: 20_000));
        Assert.That(r.Funds[0].Breach.Count, Is.Zero);
        Assert.That(r.Funds[0].BreachBeforeExemption!.Probability, Is.GreaterThan(0.05), "the exemption must have something to excuse");
        // Every written-off check is excused: E = 20 · 0.7 · 1e6.
        Exact.WithinStandardErrors(r.Funds[0].MeanExcusedLoss!.Value, 14e6, Math.Sqrt(20 * 0.21) * 1e6 / Math.Sqrt(r.Trials), what: "mean excused loss");
    }

    [Test]
    public void Breach_IndependentExcuses_MatchesBinomialOfUnexcusedWriteOffs()
    {
        // Excused with probability 0.5, diligence failures 0.2: a project's loss counts with probability
        // 0.7·(1 − 0.8·0.5) = 0.42; the loss ratio tested is (counted write-offs − successes)/20, and with W counted
        // write-offs and K successes (independent across projects: each is success 0.3, counted loss 0.42, excused 0.28),
        // the fund breaches iff W − K > 12.
        var r = TestScenarios.Run(Coin(""", "exemption": { "probability": 0.5, "diligenceFailure": 0.2 }"""));
        double exact = 0;
        for (int k = 0; k <= 20; k++)
            for (int w = 0; w <= 20 - k; w++)
                if (w - k > 12) exact += Trinomial(20, k, w, 0.3, 0.42);
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach after exemption)");
        double before = Exact.BinomialCdf(0.3, 20, 3);
        Exact.WithinStandardErrors(r.Funds[0].BreachBeforeExemption!.Probability, before, Exact.ProbabilityStandardError(before, r.Trials), what: "P(breach before)");
        Exact.WithinStandardErrors(r.Funds[0].MeanExcusedLoss!.Value, 20 * 0.28 * 1e6, Math.Sqrt(20 * 0.28 * 0.72) * 1e6 / Math.Sqrt(r.Trials), what: "mean excused loss");
    }

    private static double Trinomial(int n, int a, int b, double pa, double pb) => Math.Exp(
        MathNet.Numerics.SpecialFunctions.FactorialLn(n) - MathNet.Numerics.SpecialFunctions.FactorialLn(a) - MathNet.Numerics.SpecialFunctions.FactorialLn(b)
        - MathNet.Numerics.SpecialFunctions.FactorialLn(n - a - b) + a * Math.Log(pa) + b * Math.Log(pb) + (n - a - b) * Math.Log(1 - pa - pb));

    [Test]
    public void Breach_FactorThreshold_ExcusesOnlyInDownturns()
    {
        // Loading 0 on a declared factor is refused, so load 0.5 and excuse only below 0: projects share the year's draw,
        // so in a trial either every loss is excused (S < 0: no breach) or none is (S ≥ 0: the plain breach given S).
        const double b = 0.5;
        var r = TestScenarios.Run(Coin(""", "exemption": { "probability": 1, "factorThreshold": 0 }""", exposure: $"\"macro\": {b}"));
        double c = Math.Sqrt(1 - b * b), threshold = Normal.InvCDF(0, 1, 0.7);
        double exact = Exact.NormalExpectation(s => s < 0 ? 0 : Exact.BinomialCdf(1 - Normal.CDF(0, 1, (threshold - b * s) / c), 20, 3));
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), z: 5, what: "P(breach)");
    }

    [Test]
    public void DirectProjects_DiligenceFailure_LoseTheHundredPercentTolerance()
    {
        // A direct programme with the 100% tolerance never breaches; a project failing due diligence (probability 0.1) is
        // judged with none, so it breaches when written off: P(some project breaches) = 1 − (1 − 0.1·0.7)^20.
        var r = TestScenarios.Run(Coin(""", "tolerance": 1.0, "exemption": { "probability": 0, "diligenceFailure": 0.1 }""", type: "direct")
            .Replace("\"tolerance\": 0.6, ", ""));
        double exact = 1 - Math.Pow(1 - 0.07, 20);
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach)");
        Assert.That(r.Funds[0].BreachBeforeExemption!.Count, Is.Zero);
    }

    [Test]
    public void Validate_FactorThresholdWithoutExposure_Refused()
    {
        var errors = TestScenarios.Errors(Coin(""", "exemption": { "probability": 0.5, "factorThreshold": -1 }"""));
        Assert.That(errors.Select(e => e.Path), Does.Contain("$.funds[0].exemption.factorThreshold"));
    }
}
