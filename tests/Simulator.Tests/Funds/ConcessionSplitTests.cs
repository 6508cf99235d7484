using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>The concession split between the manager and the social LPs (concessionToManager), against hand-worked cases.</summary>
public class ConcessionSplitTests
{
    // One project of 100 returning 2× in the fund's last year, no fees: the LPs pay 100 and get 200. Net multiples are
    // kept in single precision (trials.csv), so they are compared to 1e-6.
    private static string Fund(double governmentShare, string split) => $$"""
        { "name": "split", "simulation": { "trials": 16, "seed": 1 },
          "outcomes": { "sure": { "writeOff": 0, "success": { "fixed": 2.0 } } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 100, "governmentShare": {{governmentShare}}, "deals": 1, "check": 100,
                       "investmentYears": 1, "lifeYears": 3, "outcomes": "sure", "concession": 0.5 {{split}} } ] }
        """;

    [Test]
    public void Waterfall_ManagerShare_SplitsTheCededProfit()
    {
        // Government 50% pays 50, gets 100 gross: profit 50, half ceded = 25: 40% (10) to the manager, 15 to the social
        // LPs, who then get 100 + 15 on their 50 (2.3×); the government keeps 75 (1.5×).
        var f = TestScenarios.Run(Fund(0.5, """, "concessionToManager": 0.4""")).Funds[0];
        Assert.That(f.MeanConcession!.Value.SocialLps, Is.EqualTo(15).Within(1e-9));
        Assert.That(f.MeanConcession!.Value.Manager, Is.EqualTo(10).Within(1e-9));
        Assert.That(f.NetMultiplePrivate!.Mean, Is.EqualTo(2.3).Within(1e-6));
        Assert.That(f.NetMultipleGovernment!.Mean, Is.EqualTo(1.5).Within(1e-6));
    }

    [Test]
    public void Waterfall_NoSocialLps_CedesOnlyTheManagersPart()
    {
        // Government 100%: profit 100, of which the concession 0.5 × the manager's part 0.4 = 20 goes to the manager.
        var f = TestScenarios.Run(Fund(1, """, "concessionToManager": 0.4""")).Funds[0];
        Assert.That(f.MeanConcession!.Value.Manager, Is.EqualTo(20).Within(1e-9));
        Assert.That(f.MeanConcession!.Value.SocialLps, Is.Zero);
        Assert.That(f.NetMultipleGovernment!.Mean, Is.EqualTo(1.8).Within(1e-6));
    }

    [Test]
    public void Waterfall_ManagerShareZero_SameFiguresAsWithoutAndReportsTheSplit()
    {
        var plain = TestScenarios.Run(Fund(0.5, "")).Funds[0];
        var zero = TestScenarios.Run(Fund(0.5, """, "concessionToManager": 0""")).Funds[0];
        Assert.That(plain.MeanConcession, Is.Null);
        Assert.That(zero.MeanConcession!.Value, Is.EqualTo((25.0, 0.0)));
        Assert.That(zero.NetMultiplePrivate!.Mean, Is.EqualTo(plain.NetMultiplePrivate!.Mean));
        Assert.That(zero.NetIrrGovernment!.Mean, Is.EqualTo(plain.NetIrrGovernment!.Mean));
    }
}
