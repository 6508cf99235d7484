using Simulator.Core.Funds;
using Simulator.Core.FundOfFunds;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Format;

/// <summary>Named rule sets (policy.rules): resolution per fund type and category, overrides, variants, bad names.</summary>
public class PolicyRulesTests
{
    // One fund of every type and category, and a fund-of-funds without a tolerance of its own.
    private static string Scenario(string policy, string variants = "") => $$"""
        { "name": "rules", "simulation": { "trials": 16, "seed": 1 }, {{policy}}
          "funds": [
            { "name": "seed", "type": "seed", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "angel", "type": "angel", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "venture", "type": "venture", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "industry", "type": "industry", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "buyout", "type": "buyout", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "direct", "type": "direct", "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "future-seed", "type": "seed", "futureIndustry": true, "commitment": 1e8, "deals": 4, "check": 1e6 },
            { "name": "future-industry", "type": "industry", "futureIndustry": true, "commitment": 1e8, "deals": 4, "check": 1e6 } ],
          "fundOfFunds": [ { "name": "fof", "commitments": [ { "fund": "seed", "share": 0.5 } ] } ] {{variants}} }
        """;

    private static double[] Tolerances(Scenario s) =>
        [.. s.Funds.Select(f => f.Tolerance), s.Get<FundsOfFundsInstrument>()!.FundsOfFunds[0].Tolerance];

    // seed, angel, venture, industry, buyout, direct (per project), future-industry seed, future-industry industry; fund-of-funds.
    [TestCase(null, new[] { 0.8, 0.6, 0.6, 0.6, 0.6, 1.0, 0.8, 0.6, 0.6 })]
    [TestCase("wuhan-2025", new[] { 0.8, 0.6, 0.6, 0.6, 0.6, 1.0, 0.8, 0.6, 0.6 })]
    [TestCase("sichuan-2025", new[] { 0.8, 0.6, 0.6, 0.6, 0.6, 1.0, 0.8, 0.8, 0.6 })]
    [TestCase("huangpu-2025", new[] { 0.5, 0.4, 0.3, 0.3, 0.3, 1.0, 0.5, 0.3, 0.4 })]
    [TestCase("anhui-2026", new[] { 0.8, 0.6, 0.6, 0.6, 0.6, 1.0, 0.8, 0.6, 0.8 })]
    public void Build_RuleSet_GivesEachFundTypeItsTolerance(string? rules, double[] expected)
    {
        var s = TestScenarios.Load(Scenario(rules is null ? "" : $$"""
            "policy": { "rules": "{{rules}}" },
            """));
        Assert.That(Tolerances(s), Is.EqualTo(expected));
    }

    [Test]
    public void Build_FieldWritten_WinsOverTheRuleSetAndItsStandIns()
    {
        // Huangpu gives no fund-of-funds figure: it follows angel, here the written 0.45; industry is written, and buyout,
        // which Huangpu gives (0.3), keeps the set's.
        var s = TestScenarios.Load(Scenario("""
            "policy": { "rules": "huangpu-2025", "tolerance": { "angel": 0.45, "industry": 0.35 } },
            """));
        Assert.That(Tolerances(s), Is.EqualTo(new[] { 0.5, 0.45, 0.3, 0.35, 0.3, 1.0, 0.5, 0.35, 0.45 }));
    }

    [Test]
    public void Fill_RuleSet_WritesTheResolvedTolerances()
    {
        var policy = TestScenarios.Load(Scenario("""
            "policy": { "rules": "sichuan-2025", "tolerance": { "seed": 0.7 } },
            """)).Spec().Policy!;
        Assert.That(policy.Rules, Is.EqualTo("sichuan-2025"));
        var t = policy.Tolerance!;
        Assert.That(new[] { t.Seed, t.Angel, t.Venture, t.DirectProject, t.Industry, t.Buyout, t.FutureIndustry, t.FundOfFunds },
            Is.EqualTo(new double?[] { 0.7, 0.6, 0.6, 1.0, 0.6, 0.6, 0.8, 0.6 }));
    }

    [Test]
    public void Fill_NoRuleSet_WritesOnlyTheFourTolerancesOfBefore()
    {
        var t = TestScenarios.Load(Scenario("")).Spec().Policy!.Tolerance!;
        Assert.That(new[] { t.Seed, t.Angel, t.Venture, t.DirectProject }, Is.EqualTo(new double?[] { 0.8, 0.6, 0.6, 1.0 }));
        Assert.That(new[] { t.Industry, t.Buyout, t.FutureIndustry, t.FundOfFunds }, Is.All.Null);
    }

    [Test]
    public void Variant_SettingRules_SwitchesTheSetAndKeepsTheFieldsWritten()
    {
        var s = TestScenarios.Load(Scenario("""
            "policy": { "rules": "wuhan-2025", "tolerance": { "seed": 0.7 } },
            """, """
            , "variants": [ { "name": "huangpu", "set": { "policy.rules": "huangpu-2025" } },
                            { "name": "sichuan-angel", "set": { "policy.rules": "sichuan-2025", "policy.tolerance.angel": 0.65 } },
                            { "name": "angel-only", "set": { "policy.tolerance.angel": 0.5 } } ]
            """));
        Assert.That(Tolerances(s), Is.EqualTo(new[] { 0.7, 0.6, 0.6, 0.6, 0.6, 1.0, 0.7, 0.6, 0.6 }));
        Assert.That(Tolerances(s.Variants[0].Scenario), Is.EqualTo(new[] { 0.7, 0.4, 0.3, 0.3, 0.3, 1.0, 0.7, 0.3, 0.4 }));
        Assert.That(Tolerances(s.Variants[1].Scenario), Is.EqualTo(new[] { 0.7, 0.65, 0.6, 0.6, 0.6, 1.0, 0.8, 0.8, 0.6 }));
        // Without a new set, the base's resolved tolerances stand (the fund-of-funds figure was resolved from angel 0.6).
        Assert.That(Tolerances(s.Variants[2].Scenario), Is.EqualTo(new[] { 0.7, 0.5, 0.6, 0.6, 0.6, 1.0, 0.7, 0.6, 0.6 }));
    }

    [Test]
    public void Variant_RulesOnABaseWithout_TakesTheWholeSet()
    {
        var s = TestScenarios.Load(Scenario("", """
            , "variants": [ { "name": "huangpu", "set": { "policy.rules": "huangpu-2025" } } ]
            """));
        Assert.That(Tolerances(s.Variants[0].Scenario), Is.EqualTo(new[] { 0.5, 0.4, 0.3, 0.3, 0.3, 1.0, 0.5, 0.3, 0.4 }));
    }

    [Test]
    public void Validate_UnknownRuleSet_NamesPathAndAllowedNames()
    {
        var errors = TestScenarios.Errors(Scenario("""
            "policy": { "rules": "sichuan-2024" },
            """));
        var e = errors.Single(x => x.Path == "$.policy.rules");
        Assert.That(e.Message, Does.Contain("unknown rule set 'sichuan-2024'").And.Contain("did you mean 'sichuan-2025'")
            .And.Contain("wuhan-2025, sichuan-2025, huangpu-2025, anhui-2026"));
    }

    [Test]
    public void Validate_VariantWithUnknownRuleSet_NamesTheSetting()
    {
        var errors = TestScenarios.Errors(Scenario("", """
            , "variants": [ { "name": "x", "set": { "policy.rules": "shanghai" } } ]
            """));
        Assert.That(errors.Single().Path, Is.EqualTo("$.variants[0].set[\"policy.rules\"]").Or.EqualTo("$.variants[0].set.policy.rules"));
        Assert.That(errors.Single().Message, Does.Contain("unknown rule set 'shanghai'"));
    }
}
