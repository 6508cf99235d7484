using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Relay;
using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Relay;

/// <summary>Variants of a scenario with a relay and a floor reuse the base's rows only where that is exact.</summary>
public class RelayReuseTests
{
    private const string Json = """
        { "name": "relay-reuse", "simulation": { "trials": 2000, "seed": 8 },
          "policy": { "tolerance": { "seed": 0.8, "angel": 0.6 } },
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 20, "check": { "uniform": [2e6, 8e6] }, "investmentYears": 2 },
                     { "name": "v", "type": "venture", "startYear": 2, "commitment": 1e9, "deals": 20, "check": 2e7, "investmentYears": 4 } ],
          "relay": [ { "name": "r", "fund": "v", "sellers": ["s"], "budgetShare": 0.1, "offer": { "afterYears": 2 } } ],
          "floor": [ { "name": "f", "share": 0.2 } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": 1e6, "pd": 0.04, "lgd": 0.5 },
                            "shares": { "bank": 0.5, "government": 0.5 }, "government": { "shortfallTo": "bank" } } ],
          "variants": [ { "name": "fund-tolerance", "set": { "funds[s].tolerance": 0.5 } },
                        { "name": "policy", "set": { "policy.tolerance.seed": 0.4 } },
                        { "name": "budget", "set": { "relay[r].budgetShare": 0.3 } },
                        { "name": "floor", "set": { "floor[f].share": 0.5 } },
                        { "name": "pd", "set": { "guarantees[g].loans.pd": 0.05 } } ] }
        """;

    [Test]
    public void Run_RelayAndFloorVariants_SameResultsAsNewTrials()
    {
        var scenario = TestScenarios.Load(Json);
        var study = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), new Quiet());
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            var full = new SimulationEngine().Run(Study.Paired(scenario.Variants[k], scenario.Trials, null), new RunOptions(2), []);
            Assert.That(WhatIfTests.Summary(study.Variants[k]), Is.EqualTo(WhatIfTests.Summary(full)), scenario.Variants[k].Name);
        }
        // The seller's tolerance reaches the relay: a stricter one makes the seller breach more often, with or without relay.
        var seller = study.Variants[0].Get<RelayResult>()!.Items[0].Sellers[0];
        Assert.That(seller.Breach.Probability, Is.GreaterThan(study.Base.Get<RelayResult>()!.Items[0].Sellers[0].Breach.Probability));
    }

    private const string ToleranceJson = """
        { "name": "relay-tolerance", "simulation": { "trials": 1500, "seed": 21 },
          "policy": { "tolerance": { "seed": 0.6, "angel": 0.5, "venture": 0.3 } },
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 20, "check": { "uniform": [2e6, 8e6] }, "investmentYears": 2 },
                     { "name": "a", "type": "angel", "commitment": 2e8, "deals": 15, "check": { "uniform": [5e6, 1.5e7] }, "investmentYears": 2, "tolerance": 0.45 },
                     { "name": "v", "type": "venture", "commitment": 1e9, "deals": 20, "check": 2e7, "investmentYears": 5 } ],
          "relay": [ { "name": "r", "fund": "v", "sellers": ["s", "a"], "budgetShare": 0.2, "offer": { "afterYears": 2, "minMark": 0.8 } },
                     { "name": "own", "vehicle": { "capital": 5e7, "startYear": 1, "investmentYears": 6 }, "sellers": ["a"], "offer": { "afterYears": 2 }, "tolerance": 0.2 } ],
          "floor": [ { "name": "f", "share": 0.2 } ],
          "variants": [ { "name": "seller", "set": { "funds[s].tolerance": 0.35 } },
                        { "name": "policy", "set": { "policy.tolerance.seed": 0.4, "policy.tolerance.angel": 0.7 } },
                        { "name": "relay-fund", "set": { "funds[v].tolerance": 0.15 } },
                        { "name": "venture", "set": { "policy.tolerance.venture": 0.1 } },
                        { "name": "own", "set": { "relay[r].tolerance": 0.02 } },
                        { "name": "rules", "set": { "policy.rules": "sichuan-2025" } } ] }
        """;

    [Test]
    public void For_ToleranceVariants_RethresholdFundsRelayAndFloorEvaluateNothing()
    {
        var scenario = TestScenarios.Load(ToleranceJson);
        var kinds = scenario.Instruments().Select(i => i.Kind).ToList();
        int funds = kinds.IndexOf("funds"), relay = kinds.IndexOf(RelayInstrument.KindName), floor = kinds.IndexOf("floor");
        string Steps(string name)
        {
            var plan = Reuse.For(scenario, scenario.Variants.Single(v => v.Name == name).Scenario);
            return plan is null ? "new trials" : $"funds {plan.Steps[funds]}, relay {plan.Steps[relay]}, floor {plan.Steps[floor]}, evaluates {plan.Evaluates}";
        }
        Assert.Multiple(() =>
        {
            // A fund's own tolerance is in the floor's section (funds) too; the policy's is not.
            Assert.That(Steps("seller"), Is.EqualTo("funds Rethreshold, relay Rethreshold, floor Rethreshold, evaluates False"));
            Assert.That(Steps("relay-fund"), Is.EqualTo("funds Rethreshold, relay Rethreshold, floor Rethreshold, evaluates False"));
            Assert.That(Steps("policy"), Is.EqualTo("funds Rethreshold, relay Rethreshold, floor Keep, evaluates False"));
            Assert.That(Steps("venture"), Is.EqualTo("funds Rethreshold, relay Rethreshold, floor Keep, evaluates False"));
            Assert.That(Steps("rules"), Is.EqualTo("funds Rethreshold, relay Rethreshold, floor Keep, evaluates False"));
            Assert.That(Steps("own"), Is.EqualTo("funds Keep, relay Rethreshold, floor Keep, evaluates False"));
        });
    }

    [TestCase("policy.tolerance.seed", "0.5")]
    [TestCase("policy.tolerance.venture", "0.1")]
    [TestCase("policy.rules", "\"sichuan-2025\"")]
    [TestCase("funds[seed-2025].tolerance", "0.3")]
    [TestCase("funds[wuhan-vc].tolerance", "0.1")]
    public void For_WuhanRelayFloorToleranceMove_EvaluatesNothing(string path, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "wuhan-relay-floor.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        node["variants"] = System.Text.Json.Nodes.JsonNode.Parse($$"""[ { "name": "move", "set": { "{{path}}": {{value}} } } ]""");
        var scenario = TestScenarios.Load(node.ToJsonString());
        var plan = Reuse.For(scenario, scenario.Variants[0].Scenario)!;
        var kinds = scenario.Instruments().Select(i => i.Kind).ToList();
        string steps = string.Join(", ", kinds.Select((k, i) => $"{k} {plan.Steps[i]}"));
        Assert.That(plan.Evaluates, Is.False, steps);
        Assert.That(plan.Steps[kinds.IndexOf(RelayInstrument.KindName)], Is.EqualTo(ReuseStep.Rethreshold), steps);
        Assert.That(plan.Steps[kinds.IndexOf("floor")], Is.Not.EqualTo(ReuseStep.Evaluate), steps);
    }

    [Test]
    public void Build_Relay_TakesTheFundsTolerances()
    {
        var scenario = TestScenarios.Load(ToleranceJson);
        foreach (var v in scenario.Variants.Select(v => v.Scenario).Prepend(scenario))
        {
            var fundTolerance = v.Get<FundsInstrument>()!.Funds.ToDictionary(f => f.Name, f => f.Tolerance);
            var r = v.Get<RelayInstrument>()!.Relays[0];
            Assert.That(r.Sellers.Select(s => s.Tolerance), Is.EqualTo(r.Sellers.Select(s => fundTolerance[s.Fund])), v.VariantName ?? "base");
            Assert.That(r.FundTolerance, Is.EqualTo(fundTolerance["v"]), v.VariantName ?? "base");
        }
    }

    [Test]
    public void Run_ToleranceVariants_SameResultFilesAsNewTrials()
    {
        using var temp = new TempDirectory();
        var scenario = TestScenarios.Load(ToleranceJson);
        var study = ReuseTests.AssertVariantsAsNewTrials(scenario, temp.Path);
        // The moves reach the relay's breaches: a stricter seller tolerance, the seller's with and without relay and the
        // tranche's (weighted by price); a stricter relay fund's, the fund's; a stricter tolerance of its own, the tranche's.
        RelayItemResult Relay(SimulationResult result, int i) => result.Get<RelayResult>()!.Items[i];
        var b = study.Base;
        Assert.Multiple(() =>
        {
            Assert.That(Relay(study.Variants[0], 0).Sellers[0].BreachWithRelay.Probability, Is.GreaterThan(Relay(b, 0).Sellers[0].BreachWithRelay.Probability));
            Assert.That(Relay(study.Variants[0], 0).TrancheBreach.Probability, Is.GreaterThan(Relay(b, 0).TrancheBreach.Probability));
            Assert.That(Relay(study.Variants[2], 0).Fund!.BreachWithRelay.Probability, Is.GreaterThan(Relay(b, 0).Fund!.BreachWithRelay.Probability));
            Assert.That(Relay(study.Variants[4], 0).TrancheBreach.Probability, Is.GreaterThan(Relay(b, 0).TrancheBreach.Probability));
        });
    }

    private sealed class Quiet : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result)
        {
        }
    }
}
