using Simulator.Core.Scenarios;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Scenarios;

public class StressLibraryTests
{
    private static string Scenario(string stresses, int trials = 20_000) => $$"""
        { "name": "lib", "simulation": { "trials": {{trials}}, "seed": 5 },
          "factors": [ { "name": "macro" }, { "name": "ai" } ],
          "stresses": [ {{stresses}} ],
          "outcomes": { "coin": { "writeOff": 0.5, "success": 2.0, "exposureYears": 1, "exitYears": { "success": 3, "writeOff": 1 } } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 10,
                       "outcomes": "coin", "exposure": { "macro": 0.5 }, "tolerance": 0.5 } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 100, "years": 1, "amount": 1, "pd": 0.1 }, "shares": { "bank": 1 } } ] }
        """;

    [Test]
    public void MacroDownturn_ExpandsToTwoYearShiftOfMacro()
    {
        var s = TestScenarios.Load(Scenario("""{ "use": "macro-downturn" }""", 10));
        var stress = s.Economy.Stresses.Single();
        Assert.That((stress.Factor, stress.FromYear, stress.ToYear, stress.Shift), Is.EqualTo((0, 1, 2, -1.5)));
        Assert.That(s.Spec().Stresses!.Single().Years, Is.EqualTo(2), "defaults are filled in for variants to change");
    }

    [Test]
    public void WriteOffsUp_TakesPointsFromOtherBands()
    {
        var s = TestScenarios.Load(Scenario("""{ "use": "write-offs-up", "points": 0.2 }""", 10));
        Assert.That(s.Funds[0].Outcomes.WriteOff, Is.EqualTo(0.7).Within(1e-12));
        var r = TestScenarios.Run(Scenario("""{ "use": "write-offs-up", "points": 0.2 }"""));
        // 20 coins with success probability 0.3 and multiple 2, loading 0.5 on macro: loss ratio > 0.5 iff fewer
        // than 5 successes; conditional on the factor, the count is binomial.
        double threshold = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.7), c = Math.Sqrt(0.75);
        double exact = Exact.NormalExpectation(z => Exact.BinomialCdf(1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, (threshold - 0.5 * z) / c), 20, 4));
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "breach with write-offs up");
    }

    [Test]
    public void ExitsDelayed_PullsIrrTowardsZeroButKeepsLossRatio()
    {
        var calm = TestScenarios.Run(Scenario("", 5000));
        var late = TestScenarios.Run(Scenario("""{ "use": "exits-delayed", "years": 3 }""", 5000));
        Assert.That(late.Funds[0].LossRatio.Mean, Is.EqualTo(calm.Funds[0].LossRatio.Mean));
        // Same money, later: winners' IRRs fall and losers' rise towards zero.
        Assert.That(late.Funds[0].NetIrrGovernment!.P95, Is.LessThan(calm.Funds[0].NetIrrGovernment!.P95 - 0.005));
        Assert.That(late.Funds[0].NetIrrGovernment!.P5, Is.GreaterThan(calm.Funds[0].NetIrrGovernment!.P5 + 0.005));
        Assert.That(late.Funds[0].NetMultipleGovernment!.Mean, Is.EqualTo(calm.Funds[0].NetMultipleGovernment!.Mean).Within(1e-6), "no fees: same money, later");
    }

    [Test]
    public void DefaultRatesUp_MultipliesPd()
    {
        var r = TestScenarios.Run(Scenario("""{ "use": "default-rates-up", "multiplier": 2 }"""));
        Exact.WithinStandardErrors(r.Guarantees[0].MeanDefaults, 20, Math.Sqrt(100 * 0.2 * 0.8 / r.Trials), what: "defaults at pd 0.2");
        Assert.That(r.Funds[0].LossRatio.Mean, Is.EqualTo(TestScenarios.Run(Scenario("")).Funds[0].LossRatio.Mean), "funds are untouched");
    }

    [Test]
    public void SectorCrash_HitsOnlyItemsOnThatFactor()
    {
        var calm = TestScenarios.Run(Scenario("", 5000));
        var crash = TestScenarios.Run(Scenario("""{ "use": "sector-crash", "factor": "ai" }""", 5000));
        Assert.That(crash.Funds[0].Breach.Count, Is.EqualTo(calm.Funds[0].Breach.Count), "the fund has no AI exposure");
        var macroCrash = TestScenarios.Run(Scenario("""{ "use": "sector-crash", "factor": "macro" }""", 5000));
        Assert.That(macroCrash.Funds[0].Breach.Probability, Is.GreaterThan(calm.Funds[0].Breach.Probability + 0.05));
    }

    [Test]
    public void Validate_BadLibraryEntries_ReportedWithPaths()
    {
        var errors = TestScenarios.Errors(Scenario("""
            { "use": "macro-downtrun" }, { "use": "sector-crash" }, { "use": "exits-delayed", "shift": -1 },
            { "use": "write-offs-up", "funds": ["nope"] }, { "factor": "macro", "fromYear": 1 }
            """));
        var byPath = errors.ToLookup(e => e.Path);
        Assert.Multiple(() =>
        {
            Assert.That(byPath["$.stresses[0].use"].Single().Message, Does.Contain("did you mean 'macro-downturn'"));
            Assert.That(byPath["$.stresses[1]"].Single().Message, Does.Contain("names the sector's factor"));
            Assert.That(byPath["$.stresses[2].shift"].Single().Message, Does.Contain("does not apply"));
            Assert.That(byPath["$.stresses[3].funds[0]"].Single().Message, Does.Contain("unknown fund 'nope'"));
            Assert.That(byPath["$.stresses[4]"].Single().Message, Does.Contain("missing required field 'shift'"));
        });
    }
}
