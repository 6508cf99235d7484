using Simulator.Core.Engine;
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

    private sealed class Quiet : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result)
        {
        }
    }
}
