using System.Text;
using System.Text.Json.Nodes;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>A what-if setting is a variant run later: the same figures, errors and messages as the batch run of that variant.</summary>
public class WhatIfTests
{
    /// <summary>Funds and a guarantee scheme on one factor, with a variant of its own (left out of a what-if).</summary>
    internal const string Scenario = """
        // a comment, as users write them
        { "name": "what-if-test", "title": "股贷联动 what-if", "simulation": { "trials": 2500, "seed": 5 },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 } },
                     { "name": "angel-b", "type": "angel", "commitment": 1e8, "deals": 10, "check": 8e6, "exposure": { "macro": 0.4 } } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 50, "years": 2, "amount": 1e6, "pd": 0.04, "lgd": 0.5, "exposure": { "macro": 0.3 } },
                            "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                            "guarantor": { "capital": 2e7 }, "government": { "budget": 5e6, "capRate": 0.05 } } ],
          "variants": [ { "name": "own", "set": { "funds[seed-a].tolerance": 0.5 } } ] }
        """;

    internal static List<KeyValuePair<string, JsonNode?>> Set(params (string Path, double Value)[] settings) =>
        settings.Select(s => KeyValuePair.Create(s.Path, (JsonNode?)JsonValue.Create(s.Value))).ToList();

    internal static WhatIf Start(string file, int trials)
    {
        var loaded = ScenarioLoader.Load(file);
        Assert.That(loaded.Errors, Is.Empty);
        return WhatIf.Start(new SimulationEngine(), loaded.Scenario!, File.ReadAllBytes(file), trials, new RunOptions(2));
    }

    /// <summary>The batch run of <paramref name="set"/> as the one variant of the file, named "what-if".</summary>
    internal static StudyResult Batch(WhatIf whatIf, string folder, List<KeyValuePair<string, JsonNode?>> set, int trials)
    {
        string file = Path.Combine(folder, "batch.json");
        File.WriteAllText(file, whatIf.WithVariant(set).ToJsonString());
        var loaded = ScenarioLoader.Load(file);
        Assert.That(loaded.Errors, Is.Empty);
        return new Study(new SimulationEngine()).Run(loaded.Scenario!.WithRunSettings(trials, null), new RunOptions(2), new NullObserver());
    }

    internal static string Summary(SimulationResult result)
    {
        using var stream = new MemoryStream();
        SummaryJsonWriter.Write(result, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Test]
    public void ReuseNote_SchemesRecorded_SaysWhatMovesWithoutNewTrialsAndTheMemory()
    {
        using var temp = new TempDirectory();
        using var whatIf = Start(temp.Write("s.json", Scenario), 400);
        // 400 trials of the funds' and the scheme's columns: well under a megabyte, shown rounded; the recording takes its
        // memory in chunks of half a megabyte per thread.
        Assert.That(whatIf.ReuseNote, Does.Match(@"^kept the base's rows \(0 MB\) and its recorded trials \([0-9] MB of at most [0-9,]+ MB\): tolerances and schemes' shares, caps and budgets move without new trials$"));
    }

    [Test]
    public void ReuseNote_NoFund_SaysOnlyTheSchemesSettingsMoveWithoutNewTrials()
    {
        using var temp = new TempDirectory();
        string schemes = Scenario.Replace(Scenario[Scenario.IndexOf("\"funds\"", StringComparison.Ordinal)..Scenario.IndexOf("\"guarantees\"", StringComparison.Ordinal)], "", StringComparison.Ordinal)
            .Replace("\"variants\": [ { \"name\": \"own\", \"set\": { \"funds[seed-a].tolerance\": 0.5 } } ]", "\"variants\": []", StringComparison.Ordinal);
        using var whatIf = Start(temp.Write("s.json", schemes), 400);
        Assert.That(whatIf.ReuseNote, Does.Match(@"^kept the base's rows \(0 MB\) and its recorded trials \([0-9] MB of at most [0-9,]+ MB\): schemes' shares, caps and budgets move without new trials$"));
    }

    [Test]
    public void ReuseNote_DirectProgramme_SaysItsToleranceMovesWithoutNewTrials()
    {
        using var temp = new TempDirectory();
        string funds = Scenario[..Scenario.IndexOf("\"guarantees\"", StringComparison.Ordinal)].Replace("} } ],", "} },\n"
            + "  { \"name\": \"direct\", \"type\": \"direct\", \"commitment\": 5e7, \"deals\": 10, \"check\": 4e6, \"outcomes\": \"seed\" } ],", StringComparison.Ordinal)
            + "\"variants\": [] }";
        using var whatIf = Start(temp.Write("s.json", funds), 400);
        Assert.That(whatIf.ReuseNote, Does.Match(@"^kept the base's rows \(0 MB\) and its recorded trials \([0-9] MB of at most [0-9,]+ MB\): tolerances and a direct programme's per-project tolerance move without new trials$"));
    }

    [Test]
    public void ReuseNote_NoScheme_SaysOnlyTolerancesMoveWithoutNewTrials()
    {
        using var temp = new TempDirectory();
        string funds = Scenario[..Scenario.IndexOf("\"guarantees\"", StringComparison.Ordinal)] + "\"variants\": [] }";
        using var whatIf = Start(temp.Write("s.json", funds), 400);
        Assert.That(whatIf.ReuseNote, Is.EqualTo("kept the base's rows (0 MB): tolerances move without new trials"));
    }

    [Test]
    public void Evaluate_Setting_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", Scenario);
        using var whatIf = Start(file, 2000);
        var set = Set(("funds[angel-b].tolerance", 0.7), ("guarantees[g].government.capRate", 0.03));
        var (outcome, errors) = whatIf.Evaluate(set);
        Assert.That(errors, Is.Empty);

        var batch = Batch(whatIf, temp.Path, set, 2000);
        Assert.That(Summary(outcome!.Result), Is.EqualTo(Summary(batch.Variants[0])));
        Assert.That(Summary(whatIf.Base), Is.EqualTo(Summary(batch.Base)));
        var expected = batch.Comparison!.Find(WhatIf.VariantName)!.Figures;
        Assert.That(outcome.Figures.Select(f => (f.Figure.Name, f.Estimate, f.Difference)),
            Is.EqualTo(expected.Select(f => (f.Figure.Name, f.Estimate, f.Difference))));
        // The setting did move something: a looser angel tolerance breaches less often.
        var angel = outcome.Figures.Single(f => f.Figure.Name == "angel-b.breachProbability");
        Assert.That(angel.Difference.Value, Is.LessThan(0));
    }

    // A direct programme's tolerance judges each project: the what-if rewrites its columns from the projects' losses the
    // base recorded, and gets what new trials of the setting give, to the last bit of summary.json.
    [TestCase("funds[direct].tolerance", 0.8)]
    [TestCase("policy.tolerance.directProject", 0.5)]
    public void Evaluate_DirectProgrammeTolerance_EqualsNewTrialsOfTheSetting(string path, double value)
    {
        using var temp = new TempDirectory();
        string funds = Scenario[..Scenario.IndexOf("\"guarantees\"", StringComparison.Ordinal)].Replace("} } ],", "} },\n"
            + "  { \"name\": \"direct\", \"type\": \"direct\", \"commitment\": 5e7, \"deals\": 10, \"check\": 4e6, \"outcomes\": \"seed\",\n"
            + "    \"exposure\": { \"macro\": 0.4 }, \"exemption\": { \"probability\": 0.3 } } ],", StringComparison.Ordinal)
            + "\"variants\": [] }";
        string file = temp.Write("s.json", funds);
        using var whatIf = Start(file, 1500);
        var set = Set((path, value));
        var (outcome, errors) = whatIf.Evaluate(set);
        Assert.That(errors, Is.Empty);

        File.WriteAllText(Path.Combine(temp.Path, "variant.json"), whatIf.WithVariant(set).ToJsonString());
        var loaded = ScenarioLoader.Load(Path.Combine(temp.Path, "variant.json"));
        var alone = new SimulationEngine().Run(Study.Paired(loaded.Scenario!.Variants[0], 1500, null), new RunOptions(2), []);
        Assert.That(Summary(outcome!.Result), Is.EqualTo(Summary(alone)));
        // The move did something: the direct programme breaches where it never did at the policy's 100%.
        var direct = outcome.Figures.Single(f => f.Figure.Name == "direct.breachProbability");
        Assert.That(direct.Difference.Value, Is.GreaterThan(0));
    }

    [Test]
    public void Evaluate_OutOfRangeValue_GivesTheMessageOfTheSameVariantInAFile()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", Scenario);
        using var whatIf = Start(file, 1000);
        var set = Set(("funds[angel-b].tolerance", 1.5));
        var (outcome, errors) = whatIf.Evaluate(set);
        Assert.That(outcome, Is.Null);

        File.WriteAllText(Path.Combine(temp.Path, "batch.json"), whatIf.WithVariant(set).ToJsonString());
        var cli = ScenarioLoader.Load(Path.Combine(temp.Path, "batch.json")).Errors;
        Assert.That(errors.Select(e => (e.Path, e.Message)), Is.EqualTo(cli.Select(e => ((string?)"funds[angel-b].tolerance", e.Message))));
        Assert.That(errors[0].Message, Does.Contain("1.5").And.Contain("from 0 to 1"));
    }

    [Test]
    public void Evaluate_UnknownItem_NamesThePathAndTheItemsThere()
    {
        using var temp = new TempDirectory();
        using var whatIf = Start(temp.Write("s.json", Scenario), 1000);
        var (_, errors) = whatIf.Evaluate(Set(("funds[seed-x].tolerance", 0.5)));
        Assert.That(errors.Single().Path, Is.EqualTo("funds[seed-x].tolerance"));
        Assert.That(errors.Single().Message, Does.Contain("no item named 'seed-x'").And.Contain("seed-a, angel-b"));
    }

    [Test]
    public void Evaluate_EmptySetting_IsTheBaseWithNoDifferences()
    {
        using var temp = new TempDirectory();
        using var whatIf = Start(temp.Write("s.json", Scenario), 1000);
        var (outcome, errors) = whatIf.Evaluate([]);
        Assert.That(errors, Is.Empty);
        Assert.That(outcome!.Result, Is.SameAs(whatIf.Base));
        Assert.That(outcome.Figures.Select(f => f.Difference.Value), Is.All.EqualTo(0.0));
    }

    [Test]
    public void WithVariant_FileWithItsOwnStudy_KeepsOnlyTheSetting()
    {
        using var temp = new TempDirectory();
        using var whatIf = Start(temp.Write("s.json", Scenario), 1000);
        var node = whatIf.WithVariant(Set(("funds[seed-a].tolerance", 0.7)), "tight");
        var variants = node["variants"]!.AsArray();
        Assert.That(variants.Select(v => v!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "tight" }));
        Assert.That(node["name"]!.GetValue<string>(), Is.EqualTo("what-if-test"), "the same name keeps the same random numbers");
    }

    private sealed class NullObserver : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result) { }
    }
}
