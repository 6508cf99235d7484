using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>The policy's exemption: it applies to every fund without one of its own, exactly as a fund's own would.</summary>
public class PolicyExemptionTests
{
    // Coin projects (write-off 0.7, else 2×), 20 equal checks, tolerance 0.6: breach iff fewer than 4 succeed.
    private static string Coin(string policy, string ownOfF = "", string ownOfG = "") => $$"""
        { "name": "exempt", "simulation": { "trials": 20000, "seed": 8 }, {{policy}}
          "outcomes": { "coin": { "writeOff": 0.7, "success": { "fixed": 2.0 }, "exposureYears": 1 } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 5,
                       "outcomes": "coin", "tolerance": 0.6 {{ownOfF}} },
                     { "name": "g", "type": "angel", "commitment": 1e9, "deals": 10, "check": 1e6, "investmentYears": 2, "outcomes": "coin", "tolerance": 0.6 {{ownOfG}} } ] }
        """;

    [Test]
    public void Run_PolicyExemption_EqualsTheSameExemptionOnEveryFund()
    {
        const string exemption = """{ "probability": 0.5, "diligenceFailure": 0.2 }""";
        var policy = TestScenarios.Run(Coin($$""" "policy": { "exemption": {{exemption}} }, """));
        var own = TestScenarios.Run(Coin("", $$""", "exemption": {{exemption}}""", $$""", "exemption": {{exemption}}"""));
        for (int f = 0; f < 2; f++)
        {
            Assert.That(policy.Funds[f].Breach.Count, Is.EqualTo(own.Funds[f].Breach.Count));
            Assert.That(policy.Funds[f].BreachBeforeExemption!.Count, Is.EqualTo(own.Funds[f].BreachBeforeExemption!.Count));
            Assert.That(policy.Funds[f].MeanExcusedLoss, Is.EqualTo(own.Funds[f].MeanExcusedLoss));
        }
        Assert.That(policy.Programme!.Breach.Count, Is.EqualTo(own.Programme!.Breach.Count));
    }

    [Test]
    public void Run_FundWithItsOwnExemption_KeepsIt()
    {
        // The policy excuses everything; fund g's own exemption (probability 0) excuses nothing, so g keeps its plain breach.
        var plain = TestScenarios.Run(Coin(""));
        var r = TestScenarios.Run(Coin(""" "policy": { "exemption": { "probability": 1 } }, """, ownOfG: """, "exemption": { "probability": 0 }"""));
        Assert.That(r.Funds[0].Breach.Count, Is.Zero);
        Assert.That(r.Funds[0].BreachBeforeExemption!.Count, Is.EqualTo(plain.Funds[0].Breach.Count));
        Assert.That(r.Funds[1].Breach.Count, Is.EqualTo(plain.Funds[1].Breach.Count));
        Assert.That(r.Funds[1].MeanExcusedLoss, Is.Zero);
    }

    [Test]
    public void Run_PolicyExemptionProbabilityZero_GivesTheFiguresOfNone()
    {
        var plain = TestScenarios.Run(Coin(""));
        var zero = TestScenarios.Run(Coin(""" "policy": { "exemption": { "probability": 0 } }, """));
        for (int f = 0; f < 2; f++)
        {
            Assert.That(zero.Funds[f].Breach.Count, Is.EqualTo(plain.Funds[f].Breach.Count));
            Assert.That(zero.Funds[f].LossRatio.Mean, Is.EqualTo(plain.Funds[f].LossRatio.Mean));
            Assert.That(zero.Funds[f].NetIrrGovernment!.Mean, Is.EqualTo(plain.Funds[f].NetIrrGovernment!.Mean));
        }
        Assert.That(zero.Programme!.Breach.Count, Is.EqualTo(plain.Programme!.Breach.Count));
    }

    [Test]
    public void Breach_PolicyExemptionProbabilityOne_IsZeroForEveryFundAndTheProgramme()
    {
        var r = TestScenarios.Run(Coin(""" "policy": { "exemption": { "probability": 1 } }, """));
        Assert.That(r.Funds.Select(f => f.Breach.Count), Is.All.Zero);
        Assert.That(r.Programme!.Breach.Count, Is.Zero);
        // Every written-off check is excused: E = deals · 0.7 · 1e6 for each fund.
        Exact.WithinStandardErrors(r.Funds[0].MeanExcusedLoss!.Value, 14e6, Math.Sqrt(20 * 0.21) * 1e6 / Math.Sqrt(r.Trials), what: "mean excused loss");
        Exact.WithinStandardErrors(r.Funds[1].MeanExcusedLoss!.Value, 7e6, Math.Sqrt(10 * 0.21) * 1e6 / Math.Sqrt(r.Trials), what: "mean excused loss");
    }

    [Test]
    public void Breach_DirectDiligenceFailures_LoseThePerProjectTolerance()
    {
        // A direct programme of 10 projects, each written off with 0.1 or else returning 0.5× (a loss of 50% < 100%):
        // with tolerance 1 only nothing breaches; with every project failing diligence (no tolerance, no excuse), every
        // loss breaches, so the programme breaches in every trial.
        string json = """
            { "name": "direct", "simulation": { "trials": 2000, "seed": 3 }, "policy": { "exemption": { "probability": 1, "diligenceFailure": DF } },
              "outcomes": { "half": { "writeOff": 0.1, "partial": { "probability": 0.9, "multiple": 0.5 } } },
              "funds": [ { "name": "d", "type": "direct", "commitment": 1e8, "deals": 10, "check": 1e6, "investmentYears": 1, "outcomes": "half" } ] }
            """;
        var passed = TestScenarios.Run(json.Replace("DF", "0"));
        var failed = TestScenarios.Run(json.Replace("DF", "1"));
        Assert.That(passed.Funds[0].Breach.Count, Is.Zero);
        Assert.That(failed.Funds[0].Breach.Probability, Is.EqualTo(1));
        Assert.That(failed.Funds[0].MeanExcusedLoss, Is.Zero);
    }
}
