using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>Variants take from the base's rows what they leave unchanged: tolerances rewrite the rows, an instrument none of
/// whose fields moved keeps its columns and results, and only changed instruments are evaluated again, with the same bytes.</summary>
public class ReuseTests
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
                        { "name": "pd", "set": { "guarantees[g].loans.pd": 0.05 } },
                        { "name": "share", "set": { "guarantees[g].shares.bank": 0.4, "guarantees[g].shares.government": 0.6, "funds[seed-a].tolerance": 0.7 } },
                        { "name": "commitment", "set": { "funds[angel-b].commitment": 3e8 } },
                        { "name": "factor", "set": { "factors[macro].persistence": 0.5 } } ] }
        """;

    [Test]
    public void For_Variants_KeepUntouchedInstrumentsRewriteTolerancesEvaluateTheRest()
    {
        var scenario = TestScenarios.Load(Json);
        string Steps(string name) => StepsOf(scenario, name, "funds", "guarantees");
        Assert.Multiple(() =>
        {
            Assert.That(Steps("fund"), Is.EqualTo("funds Rethreshold, guarantees Keep"));
            Assert.That(Steps("policy"), Is.EqualTo("funds Rethreshold, guarantees Keep"));
            // A direct programme's tolerance applies to each project, whose multiples the row does not keep: evaluated
            // again, unless the base recorded its projects' losses.
            Assert.That(Steps("project"), Is.EqualTo("funds Evaluate, guarantees Keep"));
            Assert.That(StepsOf(scenario, "project", recorded: true, "funds", "guarantees"), Is.EqualTo("funds Rethreshold, guarantees Keep"));
            Assert.That(Reuse.For(scenario, scenario.Variants.Single(v => v.Name == "project").Scenario, recorded: true)!.UsesRecording, Is.True);
            Assert.That(Reuse.For(scenario, scenario.Variants.Single(v => v.Name == "fund").Scenario, recorded: true)!.UsesRecording, Is.False);
            Assert.That(Steps("pd"), Is.EqualTo("funds Keep, guarantees Evaluate"));
            Assert.That(Steps("share"), Is.EqualTo("funds Rethreshold, guarantees Evaluate"));
            Assert.That(Steps("commitment"), Is.EqualTo("funds Evaluate, guarantees Keep"));
            // Every instrument reads the factors: the whole variant runs anew.
            Assert.That(Steps("factor"), Is.EqualTo("new trials"));
        });
    }

    private const string FundOfFunds = """
        { "name": "fof-reuse", "simulation": { "trials": 2000, "seed": 5 },
          "policy": { "tolerance": { "seed": 0.8, "angel": 0.6 } },
          "funds": [ { "name": "a", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 },
                     { "name": "b", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
          "fundOfFunds": [ { "name": "m", "commitments": [ { "fund": "a", "share": 0.3 }, { "fund": "b", "share": 0.3 } ] } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": 1e6, "pd": 0.04, "lgd": 0.5 },
                            "shares": { "bank": 0.5, "government": 0.5 }, "government": { "shortfallTo": "bank" } } ],
          "variants": [ { "name": "angel", "set": { "policy.tolerance.angel": 0.7 } },
                        { "name": "deals", "set": { "funds[a].deals": 12 } },
                        { "name": "pd", "set": { "guarantees[g].loans.pd": 0.05 } } ] }
        """;

    [Test]
    public void For_FundOfFunds_ChangesWithThePolicyItReadsAndTheFundsItHolds()
    {
        var scenario = TestScenarios.Load(FundOfFunds);
        var kinds = scenario.Instruments().Select(i => i.Kind).ToList();
        int funds = kinds.IndexOf("funds"), fof = kinds.IndexOf("fundOfFunds"), guarantees = kinds.IndexOf("guarantees");
        Reuse Plan(string name) => Reuse.For(scenario, scenario.Variants.Single(v => v.Name == name).Scenario)!;
        Assert.Multiple(() =>
        {
            // The fund-of-funds' own tolerance defaults to the policy's (fundOfFunds, else angel) tolerance: it reads
            // "policy" too, and a move of the policy's tolerances only rewrites its breach column.
            Assert.That(Plan("angel").Steps[fof], Is.EqualTo(ReuseStep.Rethreshold));
            Assert.That(Plan("angel").Steps[guarantees], Is.EqualTo(ReuseStep.Keep));
            // It reads the funds' outputs: a fund's change reaches it; a guarantee's does not.
            Assert.That(Plan("deals").Steps[fof], Is.EqualTo(ReuseStep.Evaluate));
            Assert.That(Plan("pd").Steps[fof], Is.EqualTo(ReuseStep.Keep));
            Assert.That(Plan("pd").Evaluated[funds], Is.False);
        });
    }

    [Test]
    public void For_EvaluatedReaderOfKeptFunds_EvaluatesTheFundsForTheirOutputs()
    {
        var scenario = TestScenarios.Load(FundOfFunds.Replace("\"name\": \"pd\", \"set\": { \"guarantees[g].loans.pd\": 0.05 }",
            "\"name\": \"share\", \"set\": { \"fundOfFunds[m].commitments[0].share\": 0.4 }", StringComparison.Ordinal));
        var plan = Reuse.For(scenario, scenario.Variants.Single(v => v.Name == "share").Scenario)!;
        var kinds = scenario.Instruments().Select(i => i.Kind).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(plan.Steps[kinds.IndexOf("funds")], Is.EqualTo(ReuseStep.Keep));
            Assert.That(plan.Evaluated[kinds.IndexOf("funds")], Is.True);
            Assert.That(plan.Evaluated[kinds.IndexOf("guarantees")], Is.False);
        });
    }

    [Test]
    public void Run_FundOfFundsVariants_SameResultsAsNewTrials()
    {
        var scenario = TestScenarios.Load(FundOfFunds);
        using var temp = new TempDirectory();
        var study = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), new CsvObserver(temp.Path));
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            var full = new SimulationEngine().Run(Study.Paired(scenario.Variants[k], scenario.Trials, null), new RunOptions(2), []);
            Assert.That(WhatIfTests.Summary(study.Variants[k]), Is.EqualTo(WhatIfTests.Summary(full)), scenario.Variants[k].Name);
        }
    }

    [TestCase("")]
    [TestCase(", \"importanceSampling\": { \"shift\": { \"macro\": -1 } }")]
    public void Run_Variants_SameResultFilesAsNewTrials(string sampling)
    {
        var scenario = TestScenarios.Load(Json.Replace("\"seed\": 3 }", "\"seed\": 3" + sampling + " }", StringComparison.Ordinal));
        Assert.That(scenario.ImportanceSampling is not null, Is.EqualTo(sampling.Length > 0));
        var study = RunAgainstNewTrials(scenario);
        Assert.Multiple(() =>
        {
            // The rewritten rows did move: the looser angel tolerance breaches less often, and a direct project of the
            // programme breaches its tolerance of 90% (rewritten from the recorded project losses) where it never breaches
            // the policy's 100%.
            Assert.That(study.Variants[0].Funds[1].Breach.Probability, Is.LessThan(study.Base.Funds[1].Breach.Probability));
            Assert.That(study.Base.Funds[2].Breach.Probability, Is.Zero);
            Assert.That(study.Variants[2].Funds[2].Breach.Probability, Is.GreaterThan(0.1));
        });
    }

    [TestCase("")]
    [TestCase(", \"importanceSampling\": { \"shift\": { \"macro\": -1 } }")]
    public void Run_VariantsWithoutFileSinks_SameResultsAndFiguresAsNewTrials(string sampling)
    {
        // With no sink but the key figures' capture (the what-if server's runs), a variant's rows are rewritten a few at a
        // time in the cache and its capture keeps only the columns that differ from the base's: every result and every
        // paired figure must still be those of new trials.
        foreach (var json in new[] { Json, Exempted })
        {
            var scenario = TestScenarios.Load(json.Replace("\"seed\": 3 }", "\"seed\": 3" + sampling + " }", StringComparison.Ordinal)
                .Replace("\"seed\": 7 }", "\"seed\": 7" + sampling + " }", StringComparison.Ordinal));
            var study = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), new Quiet());
            var engine = new SimulationEngine();
            using var baseCapture = new KeyFigureCapture(study.Base.Scenario);
            engine.Run(study.Base.Scenario, new RunOptions(2), [baseCapture]);
            var baseFigures = PairedComparison.Compare(baseCapture, baseCapture);
            for (int k = 0; k < scenario.Variants.Count; k++)
            {
                var variant = Study.Paired(scenario.Variants[k], (int)study.Base.Trials, study.Base.Scenario.ImportanceSampling);
                using var capture = new KeyFigureCapture(variant);
                var full = engine.Run(variant, new RunOptions(2), [capture]);
                string name = scenario.Name + " " + scenario.Variants[k].Name;
                Assert.That(WhatIfTests.Summary(study.Variants[k]), Is.EqualTo(WhatIfTests.Summary(full)), name);
                var expected = PairedComparison.Compare(baseCapture, capture, baseFigures);
                var figures = study.Comparison!.Find(scenario.Variants[k].Name)!.Figures;
                Assert.That(figures.Select(Bits), Is.EqualTo(expected.Select(Bits)), name + ": every figure's bits");
                // The variant moved some figures (its tolerances changed breaches), so the capture did not take them all from the base.
                if (scenario.Variants[k].Name is "fund" or "policy" or "exempt-fund")
                    Assert.That(figures.Any(f => f.Difference.Value != 0), Is.True, name);
            }
        }

        static string Bits(FigureComparison f) => string.Join(" ", new[] { f.Estimate.Value, f.Estimate.StandardError, f.Difference.Value, f.Difference.StandardError }
            .Select(x => BitConverter.DoubleToInt64Bits(x).ToString(System.Globalization.CultureInfo.InvariantCulture)).Prepend(f.Figure.Name));
    }

    private sealed class Quiet : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result) { }
    }

    // Funds with an exemption (a direct programme among them), two vintages and a fund-of-funds: every column judged
    // against a tolerance (breach, breachBeforeExemption, the programme's, each vintage's and breachByVintage, the
    // fund-of-funds' breach) is rewritten from the stored row.
    private const string Exempted = """
        { "name": "rethreshold-exemption", "simulation": { "trials": 3000, "seed": 7 }, "factors": [ { "name": "macro" } ],
          "policy": { "rules": "wuhan-2025" },
          "funds": [ { "name": "seed-1", "type": "seed", "startYear": 1, "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.5 },
                       "exemption": { "probability": 0.5, "factorThreshold": -0.5 } },
                     { "name": "angel-1", "type": "angel", "startYear": 1, "commitment": 2e8, "deals": 12, "check": 1e7, "exposure": { "macro": 0.5 } },
                     { "name": "seed-2", "type": "seed", "startYear": 2, "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.5 },
                       "exemption": { "probability": 0.3 } },
                     { "name": "direct", "type": "direct", "startYear": 2, "commitment": 5e7, "deals": 10, "check": 4e6, "outcomes": "seed",
                       "exemption": { "probability": 0.3, "diligenceFailure": 0.1 } } ],
          "fundOfFunds": [ { "name": "m", "commitments": [ { "fund": "seed-1", "share": 0.3 }, { "fund": "angel-1", "share": 0.3 } ] } ],
          "variants": [ { "name": "exempt-fund", "set": { "funds[seed-1].tolerance": 0.4 } },
                        { "name": "vintage-fund", "set": { "funds[angel-1].tolerance": 0.3, "funds[seed-2].tolerance": 0.5 } },
                        { "name": "policy", "set": { "policy.tolerance.seed": 0.45, "policy.tolerance.angel": 0.35 } },
                        { "name": "rules", "set": { "policy.rules": "huangpu-2025" } },
                        { "name": "project", "set": { "funds[direct].tolerance": 0.9 } } ] }
        """;

    [Test]
    public void For_ExemptionsAndVintages_RewriteEveryToleranceADirectFundsWithTheRecording()
    {
        var scenario = TestScenarios.Load(Exempted);
        string Steps(string name) => StepsOf(scenario, name, "funds", "fundOfFunds")
            + $", evaluated {Reuse.For(scenario, scenario.Variants.Single(v => v.Name == name).Scenario)!.Evaluates}";
        Assert.Multiple(() =>
        {
            Assert.That(Steps("exempt-fund"), Is.EqualTo("funds Rethreshold, fundOfFunds Keep, evaluated False"));
            Assert.That(Steps("vintage-fund"), Is.EqualTo("funds Rethreshold, fundOfFunds Keep, evaluated False"));
            // The fund-of-funds follows the policy's angel tolerance: its breach is rewritten too.
            Assert.That(Steps("policy"), Is.EqualTo("funds Rethreshold, fundOfFunds Rethreshold, evaluated False"));
            Assert.That(Steps("rules"), Is.EqualTo("funds Rethreshold, fundOfFunds Rethreshold, evaluated False"));
            // A direct programme's tolerance applies to each project, whose multiples the row does not keep: the funds are
            // evaluated, and the fund-of-funds that reads their outputs with them, unless the base recorded the projects'
            // losses.
            Assert.That(Steps("project"), Is.EqualTo("funds Evaluate, fundOfFunds Evaluate, evaluated True"));
            Assert.That(StepsOf(scenario, "project", recorded: true, "funds", "fundOfFunds"), Is.EqualTo("funds Rethreshold, fundOfFunds Keep"));
        });
    }

    [Test]
    public void Run_ExemptionAndVintageVariants_SameResultFilesAsNewTrials()
    {
        var scenario = TestScenarios.Load(Exempted);
        var study = RunAgainstNewTrials(scenario);
        // The rewrites moved what they judge: the tighter tolerance of the exempted fund breaches more often, before and
        // after its exemption, and so do its vintage and the programme judged vintage by vintage.
        var (base0, tight) = (study.Base.Get<FundsResult>()!, study.Variants[0].Get<FundsResult>()!);
        var project = study.Variants[4].Get<FundsResult>()!;
        Assert.Multiple(() =>
        {
            // The direct programme's projects judged against 90% after its exemption (from the recorded losses): more
            // breaches than at the policy's 100%, where only the projects that failed due diligence breach (some do).
            Assert.That(base0.Funds[3].Breach.Probability, Is.GreaterThan(0));
            Assert.That(project.Funds[3].Breach.Probability, Is.GreaterThan(base0.Funds[3].Breach.Probability + 0.05));
            Assert.That(project.Funds[3].BreachBeforeExemption!.Probability, Is.GreaterThan(project.Funds[3].Breach.Probability));
            Assert.That(tight.Funds[0].Breach.Probability, Is.GreaterThan(base0.Funds[0].Breach.Probability));
            Assert.That(tight.Funds[0].BreachBeforeExemption!.Probability, Is.GreaterThan(base0.Funds[0].BreachBeforeExemption!.Probability));
            Assert.That(tight.Funds[0].BreachBeforeExemption!.Probability, Is.GreaterThan(tight.Funds[0].Breach.Probability));
            Assert.That(tight.Vintages[0].Breach.Probability, Is.GreaterThan(base0.Vintages[0].Breach.Probability));
            Assert.That(tight.BreachByVintage!.Probability, Is.GreaterThan(base0.BreachByVintage!.Probability));
        });
    }

    // The shipped example: three vintages, exemptions on every fund, a fund-of-funds holding them. A tolerance move
    // evaluates nothing; the fund-of-funds rewrites its breach when the policy moves (its tolerance follows it) and is
    // kept when a fund's does (it reads the funds' flows, which no tolerance moves; the stale tolerance in a fund's
    // `projects` header is read by no kept instrument).
    [TestCase("policy.tolerance.seed", "0.5", "Rethreshold")]
    [TestCase("policy.rules", "\"huangpu-2025\"", "Rethreshold")]
    [TestCase("funds[seed-2026].tolerance", "0.3", "Keep")]
    [TestCase("funds[angel-2025].tolerance", "0.9", "Keep")]
    public void For_WuhanVintagesFofToleranceMove_EvaluatesNothing(string path, string value, string fundOfFunds)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "wuhan-vintages-fof.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        node["variants"] = System.Text.Json.Nodes.JsonNode.Parse($$"""[ { "name": "move", "set": { "{{path}}": {{value}} } } ]""");
        var scenario = TestScenarios.Load(node.ToJsonString());
        var plan = Reuse.For(scenario, scenario.Variants[0].Scenario)!;
        Assert.Multiple(() =>
        {
            Assert.That(plan.Evaluates, Is.False);
            Assert.That(StepsOf(scenario, "move", "funds", "fundOfFunds"), Is.EqualTo($"funds Rethreshold, fundOfFunds {fundOfFunds}"));
        });
    }

    /// <summary>Each variant's steps for the kinds <paramref name="kinds"/> ("funds Rethreshold, guarantees Keep"), or "new trials".</summary>
    private static string StepsOf(Scenario scenario, string variant, params string[] kinds) => StepsOf(scenario, variant, false, kinds);

    /// <summary>As <see cref="StepsOf(Scenario, string, string[])"/>, with the base <paramref name="recorded"/> or not.</summary>
    private static string StepsOf(Scenario scenario, string variant, bool recorded, params string[] kinds)
    {
        var all = scenario.Instruments().Select(i => i.Kind).ToList();
        var plan = Reuse.For(scenario, scenario.Variants.Single(v => v.Name == variant).Scenario, recorded);
        return plan is null ? "new trials" : string.Join(", ", kinds.Select(k => $"{k} {plan.Steps[all.IndexOf(k)]}"));
    }

    /// <summary>Runs the study of <paramref name="scenario"/> (variants on the base's rows) and asserts that each variant's
    /// summary, trials.csv and every value's bits are those of the variant run alone on new trials.</summary>
    private static StudyResult RunAgainstNewTrials(Scenario scenario)
    {
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
            Assert.That(observer.Bits(variant.Name), Is.EqualTo(alone.Bits("base")), variant.Name + ": every value's bits");
        }
        return study;
    }

    /// <summary>Writes each run's trials.csv into a folder of its own.</summary>
    /// <summary>
    /// Runs <paramref name="scenario"/>'s study (its variants from the base's rows where they can) and each variant alone
    /// on new trials, in <paramref name="folder"/>, and asserts that both give the same summary, trials.csv and bits of
    /// every value. Returns the study.
    /// </summary>
    internal static StudyResult AssertVariantsAsNewTrials(Scenario scenario, string folder)
    {
        var observer = new CsvObserver(Directory.CreateDirectory(Path.Combine(folder, "study")).FullName);
        var study = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), observer);
        for (int k = 0; k < scenario.Variants.Count; k++)
        {
            var variant = scenario.Variants[k];
            var alone = new CsvObserver(Directory.CreateDirectory(Path.Combine(folder, variant.Name)).FullName);
            var full = new Study(new SimulationEngine()).Run(variant.Scenario with { Variants = [] }, new RunOptions(2), alone).Base;
            Assert.That(WhatIfTests.Summary(study.Variants[k]), Is.EqualTo(WhatIfTests.Summary(full)), variant.Name);
            Assert.That(observer.Csv(variant.Name), Is.EqualTo(alone.Csv("base")), variant.Name + ": trials.csv");
            Assert.That(observer.Bits(variant.Name), Is.EqualTo(alone.Bits("base")), variant.Name + ": every value's bits");
        }
        return study;
    }

    internal sealed class CsvObserver(string folder) : IStudyObserver
    {
        private readonly Dictionary<string, MemorySink> _rows = [];

        public string Csv(string run) => File.ReadAllText(Path.Combine(folder, run + ".csv"));

        /// <summary>Each value of the run's rows by its bits (trials.csv writes some columns as floats).</summary>
        public long[] Bits(string run) => _rows[run].Values.Select(BitConverter.DoubleToInt64Bits).ToArray();

        public RunAttachments Starting(StudyRun run)
        {
            string name = run.Variant?.Name ?? "base";
            var sink = new TrialsCsvSink(Path.Combine(folder, name + ".csv"));
            var rows = new MemorySink();
            lock (_rows) _rows[name] = rows;
            return new RunAttachments([sink, rows], null, sink);
        }

        public void Finished(StudyRun run, SimulationResult result) { }
    }
}
