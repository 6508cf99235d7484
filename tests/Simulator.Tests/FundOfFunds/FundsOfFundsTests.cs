using Simulator.Core.Funds;
using Simulator.Core.FundOfFunds;
using Simulator.Tests.Support;

namespace Simulator.Tests.FundOfFunds;

/// <summary>The fund-of-funds against a hand-worked waterfall, identities with its sub-funds, and its validation.</summary>
public class FundsOfFundsTests
{
    // One sub-fund: one project of 100 returning 2× in fund year 3 (exit 2 years after investment), carry 20%, no
    // management fee, all government LPs. Its LPs pay 100 in year 1 (the sub-fund starts in simulated year 2) and get
    // 100 + 0.8·100 = 180 in fund year 3, i.e. simulated year 4.
    private static string HandWorked(string fof) => $$"""
        { "name": "fof", "simulation": { "trials": 64, "seed": 1 },
          "outcomes": { "sure": { "writeOff": 0, "success": { "fixed": 2.0 }, "exitYears": { "success": 2 } } },
          "funds": [ { "name": "sub", "type": "seed", "commitment": 100, "governmentShare": 1, "deals": 1, "check": 100, "investmentYears": 1,
                       "lifeYears": 4, "startYear": 2, "outcomes": "sure", "fees": { "carry": 0.2 } } ],
          "fundOfFunds": [ {{fof}} ] }
        """;

    [Test]
    public void Waterfall_HandWorkedCase_MatchesEveryFigure()
    {
        // The fund-of-funds holds half the sub-fund: it pays 50 in simulated year 2 and receives 90 in year 4. Its
        // management fee of 1% on capital not yet returned: 0.5 in each of years 2, 3, 4 (the 90 arrives at the end of
        // year 4). Paid in: 51.5. Its waterfall: 51.5 back, then carry 10% of the profit 38.5 (no hurdle, so the
        // catch-up is nil): 3.85 to its GP, 86.15 to its LPs. Net multiple 86.15/51.5; gross multiple 2; fee drag
        // 2 − 86.15/51.5. Government share 0.6, concession 0.5: the government pays 30.9, gets 0.6·86.15 = 51.69 gross,
        // cedes half its profit 20.79 (10.395), so it nets 41.295. Its cost at this level, −10.395, less the stake's
        // cost as the sub-fund counts it, 50 − 90: the layer adds 29.605 to the government's cost.
        var run = TestScenarios.Run(HandWorked("""
            { "name": "mother", "commitments": [ { "fund": "sub", "share": 0.5 } ], "governmentShare": 0.6,
              "fees": { "management": 0.01, "carry": 0.1 }, "concession": 0.5, "tolerance": 0.2 }
            """));
        var f = run.Get<FundsOfFundsResult>()!.Items[0];
        Assert.That(f.MeanPaidIn, Is.EqualTo(51.5).Within(1e-9));
        Assert.That(f.MeanDistributed, Is.EqualTo(86.15).Within(1e-9));
        Assert.That(f.NetMultiple, Is.EqualTo(86.15 / 51.5).Within(1e-12));
        Assert.That(f.GrossMultiple, Is.EqualTo(2).Within(1e-12));
        Assert.That(f.FeeDrag, Is.EqualTo(2 - 86.15 / 51.5).Within(1e-12));
        Assert.That(f.GovernmentLookThrough, Is.EqualTo(30).Within(1e-9));
        Assert.That(f.LookThroughLossRatio, Is.Zero);
        Assert.That(f.LossRatio.Mean, Is.Zero);
        Assert.That(f.Breach.Probability, Is.Zero);
        var government = run.Government!.Parts.Single(i => i.Item == "mother");
        Assert.That(government.Mean, Is.EqualTo(29.605).Within(1e-9));
    }

    [Test]
    public void Waterfall_HandWorkedManagerShare_SplitsTheConcessionAtThisLevel()
    {
        // As above, with half of what the government cedes going to the fund-of-funds' manager: of the 10.395 ceded,
        // 5.1975 to the manager and 5.1975 to its social LPs; its LPs are paid 86.15 − 5.1975 in all. The sub-fund has
        // no private LPs and no manager's part: nothing is ceded there.
        var run = TestScenarios.Run(HandWorked("""
            { "name": "mother", "commitments": [ { "fund": "sub", "share": 0.5 } ], "governmentShare": 0.6,
              "fees": { "management": 0.01, "carry": 0.1 }, "concession": 0.5, "concessionToManager": 0.5, "tolerance": 0.2 }
            """));
        var f = run.Get<FundsOfFundsResult>()!.Items[0];
        Assert.That(f.MeanConcession!.Value.Manager, Is.EqualTo(5.1975).Within(1e-9));
        Assert.That(f.MeanConcession!.Value.SocialLps, Is.EqualTo(5.1975).Within(1e-9));
        Assert.That(f.MeanDistributed, Is.EqualTo(86.15 - 5.1975).Within(1e-9));
        Assert.That(f.MeanPaidIn, Is.EqualTo(51.5).Within(1e-9));
    }

    [Test]
    public void LossRatio_HandWorkedLoss_JudgedOnPaidIn()
    {
        // The same with a write-off: the sub-fund returns nothing; the fund-of-funds paid 50 + 3 × 1% × 50 and lost it all
        // (loss ratio 1, a breach of 0.2); the government's cost at this level is the layer's fees only.
        string json = HandWorked("""
            { "name": "mother", "commitments": [ { "fund": "sub", "share": 0.5 } ], "fees": { "management": 0.01 }, "tolerance": 0.2 }
            """).Replace("\"writeOff\": 0,", "\"writeOff\": 1,");
        var run = TestScenarios.Run(json);
        var f = run.Get<FundsOfFundsResult>()!.Items[0];
        Assert.That(f.MeanPaidIn, Is.EqualTo(50 + 4 * 0.5).Within(1e-9), "a fee in each of the sub-fund's four years: nothing is ever returned");
        Assert.That(f.LossRatio.Mean, Is.EqualTo(1));
        Assert.That(f.Breach.Probability, Is.EqualTo(1));
        Assert.That(f.LookThroughLossRatio, Is.EqualTo(1));
        Assert.That(run.Government!.Parts.Single(i => i.Item == "mother").Mean, Is.EqualTo(2).Within(1e-9));
    }

    [Test]
    public void LossRatio_NoFeesAtEitherLevel_EqualsTheSubFundsPooledLossRatio()
    {
        // Without fees, carry or concession anywhere, paid-in is the invested amount and distributions are the
        // proceeds, so a fund-of-funds of equal shares in two funds has their pooled loss ratio in every trial.
        var run = TestScenarios.Run("""
            { "name": "same", "simulation": { "trials": 4000, "seed": 4 },
              "funds": [ { "name": "a", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "governmentShare": 1 },
                         { "name": "b", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "governmentShare": 0.4, "startYear": 3 } ],
              "fundOfFunds": [ { "name": "m", "commitments": [ { "fund": "a", "share": 0.3 }, { "fund": "b", "share": 0.3 } ], "tolerance": 0.7 } ] }
            """);
        var fof = run.Get<FundsOfFundsResult>()!.Items[0];
        var programme = run.Programme!;
        Assert.That(fof.LossRatio.Mean, Is.EqualTo(programme.LossRatio.Mean).Within(1e-12));
        Assert.That(fof.LossRatio.P99, Is.EqualTo(programme.LossRatio.P99).Within(1e-12));
        Assert.That(fof.FeeDrag, Is.EqualTo(0).Within(1e-12));
    }

    [TestCase("""{ "fund": "sbu", "share": 0.5 }""", "$.fundOfFunds[0].commitments[0].fund", "unknown fund 'sbu' (did you mean 'sub'?)")]
    [TestCase("""{ "fund": "mother", "share": 0.5 }""", "$.fundOfFunds[0].commitments[0].fund", "is this fund-of-funds itself")]
    [TestCase("""{ "fund": "sub", "share": 1.5 }""", "$.fundOfFunds[0].commitments[0].share", "1.5")]
    public void Validate_BadCommitment_NamesPathAndValue(string commitment, string path, string message)
    {
        var errors = TestScenarios.Errors(HandWorked($$"""{ "name": "mother", "commitments": [ {{commitment}} ] }"""));
        Assert.That(errors.Select(e => e.Path), Does.Contain(path));
        Assert.That(errors.Single(e => e.Path == path).Message, Does.Contain(message));
    }

    [Test]
    public void Validate_SharesOfOneFundAboveOne_Refused()
    {
        var errors = TestScenarios.Errors(HandWorked("""
            { "name": "m1", "commitments": [ { "fund": "sub", "share": 0.7 } ] }, { "name": "m2", "commitments": [ { "fund": "sub", "share": 0.5 } ] }
            """));
        Assert.That(errors.Single(e => e.Path == "$.fundOfFunds").Message, Does.Contain("sum to 1.2"));
    }

    [Test]
    public void Outputs_LengthOfFundsByYearVectors_IsWhatFundsOfFundsRead()
    {
        Assert.That(FundsOfFundsInstrument.Years, Is.EqualTo(FundsInstrument.OutputYears));
        // The funds publish these for a fund-of-funds (and their proceeds by year for bonds).
        Assert.That(FundsInstrument.FundOutputs, Is.SupersetOf(new[] { FundsOfFundsInstrument.PaidInOutput, FundsOfFundsInstrument.ReceivedOutput, FundsOfFundsInstrument.GrossOutput }));
    }
}
