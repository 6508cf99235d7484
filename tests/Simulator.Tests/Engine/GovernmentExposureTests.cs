using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Tests.Support;

namespace Simulator.Tests.Engine;

/// <summary>The government's whole exposure: each item's net cost, and their sum per trial across instruments.</summary>
public class GovernmentExposureTests
{
    // A fund whose every project is written off, without fees: the government pays its half of the ten checks and
    // receives nothing, so its net cost is 0.5 × 10 × 1,000,000 in every trial.
    private const string DeadFund = """
        { "name": "dead-fund", "type": "seed", "commitment": 1e7, "governmentShare": 0.5, "deals": 10, "check": 1e6,
          "outcomes": "dead", "fees": { "management": 0, "carry": 0, "hurdle": 0 } }
        """;

    private const string Outcomes = """ "outcomes": { "dead": { "writeOff": 1.0 } } """;

    private const string Scheme = """
        { "name": "pool", "loans": { "perYear": 200, "years": 2, "amount": 1e6, "pd": 0.05, "lgd": 0.5, "exposure": { "macro": 0.3 } },
          "shares": { "guarantor": 0, "reGuarantee": 0.3, "bank": 0.5, "government": 0.2 } }
        """;

    [Test]
    public void NetCost_FundWrittenOffWithoutFees_IsTheGovernmentsShareOfTheChecks()
    {
        var r = TestScenarios.Run($$"""{ "name": "dead", "simulation": { "trials": 2000 }, {{Outcomes}}, "funds": [ {{DeadFund}} ] }""");
        var g = r.Government!;
        Assert.That(g.Parts.Single().Item, Is.EqualTo("dead-fund"));
        Assert.That(g.Parts.Single().Mean, Is.EqualTo(5e6).Within(1e-6));
        Assert.That(g.Parts.Single().StandardError, Is.EqualTo(0).Within(1e-6));
        Assert.That(g.NetCost.Mean, Is.EqualTo(5e6).Within(1e-6));
        Assert.That(g.NetCost.P99, Is.EqualTo(5e6).Within(1e-6));
    }

    [Test]
    public void NetCost_FundAndScheme_AddsThePoolsPaymentsToTheFundsCostTrialByTrial()
    {
        var r = TestScenarios.Run($$"""
            { "name": "both", "simulation": { "trials": 4000, "seed": 3 }, "factors": [ { "name": "macro" } ], {{Outcomes}},
              "funds": [ {{DeadFund}} ], "guarantees": [ {{Scheme}} ] }
            """);
        var g = r.Government!;
        var pool = r.Guarantees.Single().Government;
        Assert.That(g.Parts.Select(p => (p.Kind, p.Item)), Is.EqualTo(new[] { ("funds", "dead-fund"), ("guarantees", "pool") }));
        Assert.That(g.Parts[1].Mean, Is.EqualTo(pool.Mean).Within(1e-9 * pool.Mean));
        Assert.That(g.Parts[1].StandardError, Is.EqualTo(pool.StandardErrors.Mean).Within(1e-9 * pool.Mean));
        // The fund's cost is constant, so the total's distribution is the pool's shifted by it.
        Assert.That(g.NetCost.Mean, Is.EqualTo(5e6 + pool.Mean).Within(1e-6 * pool.Mean));
        Assert.That(g.NetCost.P99, Is.EqualTo(5e6 + pool.P99).Within(1e-6));
    }

    [Test]
    public void Parts_SchemeOnly_HoldOnlyTheScheme()
    {
        var r = TestScenarios.Run($$"""{ "name": "pool-only", "simulation": { "trials": 500 }, "factors": [ { "name": "macro" } ], "guarantees": [ {{Scheme}} ] }""");
        Assert.That(r.Government!.Parts.Single().Kind, Is.EqualTo("guarantees"));
        Assert.That(r.Funds, Is.Empty);
    }
}
