using Simulator.Core.Floor;
using Simulator.Tests.Support;

namespace Simulator.Tests.Floor;

/// <summary>The 20% floor against a hand-worked deterministic case.</summary>
public class FloorTests
{
    // A seed fund invests 2 × 10 in each of years 1 and 2; a venture fund (startYear 2) 50 in each of years 2 and 3.
    // Seed/angel share: year 1 20/20 = 100%, year 2 20/70 = 28.6%, year 3 0/50 = 0%.
    private static string Scenario(double share) => $$"""
        { "name": "floor-hand", "simulation": { "trials": 32, "seed": 2 },
          "funds": [
            { "name": "s", "type": "seed", "commitment": 100, "deals": 4, "check": 10, "investmentYears": 2, "lifeYears": 5 },
            { "name": "v", "type": "venture", "startYear": 2, "commitment": 100, "deals": 2, "check": 50, "investmentYears": 2, "lifeYears": 5 } ],
          "floor": [ { "name": "f", "share": {{share.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } ] }
        """;

    [Test]
    public void Floor_TwentyPercent_FailsOnlyInTheYearWithoutSeedInvestment()
    {
        var f = TestScenarios.Run(Scenario(0.2)).Get<FloorResult>()!.Items[0];
        Assert.That(f.Floor.Years, Is.EqualTo(6), "the counted funds' last year: 2 − 1 + 5");
        Assert.That(f.MetEveryYear.Probability, Is.Zero);
        Assert.That(f.MeanFailedYears, Is.EqualTo(1));
        Assert.That(f.FailingYears.Select(y => y.Year), Is.EqualTo(new[] { 3 }));
        Assert.That(f.Years[0].MeanEligible, Is.EqualTo(20));
        Assert.That(f.Years[1].MeanEligible, Is.EqualTo(20));
        Assert.That(f.Years[1].MeanTotal, Is.EqualTo(70));
        Assert.That(f.Years[2].MeanTotal, Is.EqualTo(50));
        Assert.That(f.Years.Skip(3).All(y => !y.HasInvestment && y.Met.Probability == 1), "years without investment meet it");
    }

    [Test]
    public void Floor_ThirtyPercent_AlsoFailsInYearTwo()
    {
        var f = TestScenarios.Run(Scenario(0.3)).Get<FloorResult>()!.Items[0];
        Assert.That(f.FailingYears.Select(y => y.Year), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(f.MeanFailedYears, Is.EqualTo(2));
    }

    [Test]
    public void Floor_ExactlyTheShare_IsMet()
    {
        var f = TestScenarios.Run(Scenario(20.0 / 70)).Get<FloorResult>()!.Items[0];
        Assert.That(f.FailingYears.Select(y => y.Year), Is.EqualTo(new[] { 3 }));
    }

    [Test]
    public void Floor_RandomChecks_YearMetProbabilityIsExact()
    {
        // With checks uniform on [5, 25] the seed fund's year-2 investment S is the sum of two: triangular on [10, 50].
        // Year 2 meets 30% when S ≥ 0.3·(S + 50), i.e. S ≥ 150/7: P = 1 − (150/7 − 10)²/(2·20²).
        string json = Scenario(0.3).Replace("\"check\": 10,", "\"check\": { \"uniform\": [5, 25] },").Replace("\"trials\": 32", "\"trials\": 20000");
        var f = TestScenarios.Run(json).Get<FloorResult>()!.Items[0];
        double exact = 1 - Math.Pow(150.0 / 7 - 10, 2) / (2 * 20 * 20);
        Exact.WithinStandardErrors(f.Years[1].Met.Probability, exact, Exact.ProbabilityStandardError(exact, 20000), what: "P(year 2 met)");
        Assert.That(f.Years[0].Met.Probability, Is.EqualTo(1));
        Assert.That(f.MetEveryYear.Probability, Is.Zero, "year 3 never meets it");
    }
}
