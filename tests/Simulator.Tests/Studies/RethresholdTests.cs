using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>Variants that only move tolerances rewrite the base's rows instead of running new trials, with the same bytes.</summary>
public class RethresholdTests
{
    private const string Json = """
        { "name": "rethreshold", "simulation": { "trials": 3000, "seed": 3 }, "factors": [ { "name": "macro" } ],
          "policy": { "tolerance": { "seed": 0.8, "angel": 0.6 } },
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 } },
                     { "name": "angel-b", "type": "angel", "commitment": 2e8, "deals": 12, "check": 1e7, "exposure": { "macro": 0.4 } },
                     { "name": "direct", "type": "direct", "commitment": 5e7, "deals": 10, "check": 4e6, "outcomes": "seed" } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 40, "years": 2, "amount": 1e6, "pd": 0.04, "lgd": 0.5, "exposure": { "macro": 0.3 } },
                            "shares": { "bank": 0.5, "government": 0.5 }, "government": { "shortfallTo": "bank" } } ],
          "variants": [ { "name": "fund", "set": { "funds[angel-b].tolerance": 0.7 } },
                        { "name": "policy", "set": { "policy.tolerance.seed": 0.5, "funds[seed-a].tolerance": 0.55 } },
                        { "name": "project", "set": { "funds[direct].tolerance": 0.9 } },
                        { "name": "pd", "set": { "guarantees[g].loans.pd": 0.05 } } ] }
        """;

    [Test]
    public void For_OnlyFundTolerancesMoved_RewritesRowsElseRunsNewTrials()
    {
        var scenario = TestScenarios.Load(Json);
        string[] rewritten = scenario.Variants.Where(v => Rethreshold.For(scenario, v.Scenario) is not null).Select(v => v.Name).ToArray();
        // A direct programme's tolerance applies to each project, whose multiples the row does not keep; a PD moves losses.
        Assert.That(rewritten, Is.EqualTo(new[] { "fund", "policy" }));
    }

    [Test]
    public void Run_ToleranceVariants_SameResultFilesAsNewTrials()
    {
        var scenario = TestScenarios.Load(Json);
        using var temp = new TempDirectory();
        var observer = new CsvObserver(Directory.CreateDirectory(Path.Combine(temp.Path, "study")).FullName);
        var study = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), observer);
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            var variant = scenario.Variants[k];
            var alone = new CsvObserver(Directory.CreateDirectory(Path.Combine(temp.Path, variant.Name)).FullName);
            var full = new Study(new SimulationEngine()).Run(variant.Scenario with { Variants = [] }, new RunOptions(2), alone).Base;
            Assert.That(WhatIfTests.Summary(study.Variants[k]), Is.EqualTo(WhatIfTests.Summary(full)), variant.Name);
            Assert.That(observer.Csv(variant.Name), Is.EqualTo(alone.Csv("base")), variant.Name + ": trials.csv");
        }
        // The rewritten rows did move: the looser angel tolerance breaches less often.
        Assert.That(study.Variants[0].Funds[1].Breach.Probability, Is.LessThan(study.Base.Funds[1].Breach.Probability));
    }

    /// <summary>Writes each run's trials.csv into a folder of its own.</summary>
    private sealed class CsvObserver(string folder) : IStudyObserver
    {
        public string Csv(string run) => File.ReadAllText(Path.Combine(folder, run + ".csv"));

        public RunAttachments Starting(StudyRun run)
        {
            var sink = new TrialsCsvSink(Path.Combine(folder, (run.Variant?.Name ?? "base") + ".csv"));
            return new RunAttachments([sink], null, sink);
        }

        public void Finished(StudyRun run, SimulationResult result) { }
    }
}
