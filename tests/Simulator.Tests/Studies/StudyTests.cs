using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>The study API shared by the CLI, the server and the shards: the base and its variants on common random numbers.</summary>
public class StudyTests
{
    private const string Json = """
        { "name": "study", "simulation": { "trials": 3000, "seed": 11 }, "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 } } ],
          "variants": [ { "name": "same", "set": { "funds[seed-a].tolerance": 0.8 } },
                        { "name": "strict", "set": { "funds[seed-a].tolerance": 0.5 } } ] }
        """;

    private sealed class Recorder : IStudyObserver
    {
        public List<(string Event, int Number, int Count, string? Variant, long Trials)> Events { get; } = [];

        public RunAttachments Starting(StudyRun run)
        {
            Events.Add(("start", run.Number, run.Count, run.Variant?.Name, run.Scenario.Trials));
            return RunAttachments.None;
        }

        public void Finished(StudyRun run, SimulationResult result) => Events.Add(("finish", run.Number, run.Count, run.Variant?.Name, result.Trials));
    }

    [Test]
    public void Run_ScenarioWithVariants_RunsBaseThenEachVariantInOrderAndComparesThemPaired()
    {
        var recorder = new Recorder();
        var study = new Study(new SimulationEngine()).Run(TestScenarios.Load(Json), new RunOptions(2), recorder);
        Assert.That(recorder.Events, Is.EqualTo(new[]
        {
            ("start", 1, 3, (string?)null, 3000L), ("finish", 1, 3, null, 3000L),
            ("start", 2, 3, "same", 3000L), ("finish", 2, 3, "same", 3000L),
            ("start", 3, 3, "strict", 3000L), ("finish", 3, 3, "strict", 3000L),
        }));
        var comparison = study.Comparison!;
        // A variant that changes nothing has the base's trials, hence exactly no difference and no paired error.
        var same = comparison.Find("same")!.Figures.Single(f => f.Figure.Name == "seed-a.breachProbability");
        Assert.That((same.Difference.Value, same.Difference.StandardError), Is.EqualTo((0.0, 0.0)));
        // A stricter tolerance breaches in every trial the base breaches in and more: the difference is the share of
        // trials between the two tolerances, exactly the difference of the two runs' breach probabilities.
        var strict = comparison.Find("strict")!.Figures.Single(f => f.Figure.Name == "seed-a.breachProbability");
        double expected = study.Variants[1].Funds[0].Breach.Probability - study.Base.Funds[0].Breach.Probability;
        Assert.That(strict.Difference.Value, Is.EqualTo(expected).Within(1e-15));
        Assert.That(strict.Difference.Value, Is.GreaterThan(0));
        Assert.That(study.Base.Funds[0].LossRatio.Mean, Is.EqualTo(study.Variants[1].Funds[0].LossRatio.Mean));
    }

    [Test]
    public void Run_PrecisionTargetStopsBase_VariantsRunTheTrialsTheBaseUsed()
    {
        string json = Json.Replace("\"trials\": 3000, \"seed\": 11", "\"trials\": 200000, \"seed\": 11, \"precision\": { \"relativeError\": 0.2, \"checkEvery\": 2048 }");
        var recorder = new Recorder();
        var study = new Study(new SimulationEngine()).Run(TestScenarios.Load(json), new RunOptions(2), recorder);
        Assert.That(study.Base.Trials, Is.LessThan(200000));
        Assert.That(study.Variants.Select(v => v.Trials), Is.All.EqualTo(study.Base.Trials));
    }
}
