using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;
using Simulator.Core.Funds;

namespace Simulator.Tests.Reporting;

/// <summary>
/// The result formats are a contract with users' scripts: these golden files pin them byte for byte for a
/// small fixed scenario. After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public class GoldenFileTests
{
    private const string Json = """
        { "name": "golden", "title": "金色 golden", "simulation": { "trials": 300, "seed": 17 },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "stresses": [ { "factor": "macro", "fromYear": 2, "shift": -0.5 } ],
          "outcomes": { "coin": { "writeOff": 0.5, "partial": { "probability": 0.2, "multiple": { "uniform": [0, 0.8] } }, "success": { "multiple": { "pareto": { "min": 1.5, "alpha": 1.5 } }, "cap": 20 },
                                  "exitYears": { "success": { "table": [[4, 0.5], [6, 0.5]] } } } },
          "funds": [ { "name": "s", "type": "seed", "commitment": 2e7, "deals": 8, "check": 1e6, "exposure": { "macro": 0.5 }, "outcomes": "coin",
                       "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 }, "concession": 0.5 },
                     { "name": "d", "type": "direct", "commitment": 1e7, "deals": 4, "check": 1e6, "tolerance": 0.9, "outcomes": "coin" } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": { "lognormal": { "median": 1e6, "sigma": 0.5 } }, "maxPerBorrower": 3e6,
                                                    "termYears": 2, "pd": 0.05, "lgd": { "beta": { "mean": 0.6, "sd": 0.2 } }, "exposure": { "macro": 0.4 } },
                            "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                            "guarantor": { "capital": 4e6, "leverageCap": 10, "feeRate": 0.01 },
                            "government": { "budget": 5e5, "capRate": 0.05, "shortfallTo": "proRata" }, "suspendAbovePayoutRate": 0.1 } ],
          "report": { "lossRatios": [0.5], "exceedance": [2e6] } }
        """;

    private static string GoldenDir => Path.Combine(TestScenarios.RepositoryRoot, "tests", "Simulator.Tests", "Reporting", "Golden");

    private static void Check(string name, string actual)
    {
        string path = Path.Combine(GoldenDir, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            Assert.Inconclusive($"golden file {name} rewritten");
        }
        Assert.That(File.Exists(path), Is.True, $"missing golden file {path}; run with UPDATE_GOLDEN=1 once");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"{name} differs from its golden file");
    }

    [TestCase("summary.json")]
    [TestCase("funds.csv")]
    [TestCase("guarantees.csv")]
    [TestCase("scenario.json")]
    [TestCase("trials.csv")]
    public void ResultFile_SmallScenario_MatchesGolden(string file)
    {
        using var temp = new TempDirectory("simulator-golden");
        string dir = temp.Path;
        var scenario = TestScenarios.Load(Json);
        using (var sink = new TrialsCsvSink(Path.Combine(dir, "trials.csv")))
        {
            var result = TestScenarios.Run(scenario, 2, sink);
            SummaryJsonWriter.Write(result, Path.Combine(dir, "summary.json"));
            FundsCsvWriter.Write(result, Path.Combine(dir, "funds.csv"));
            GuaranteesCsvWriter.Write(result, Path.Combine(dir, "guarantees.csv"));
            ScenarioJsonWriter.Write(result.Scenario, Path.Combine(dir, "scenario.json"));
        }
        string text = File.ReadAllText(Path.Combine(dir, file));
        if (file == "trials.csv") text = string.Join("\n", text.Split('\n').Take(21)) + "\n";
        Check(file + ".golden", text.Replace(Simulator.Reporting.ProgramInfo.Version, "<version>"));
    }

    [TestCase("comparison.csv")]
    [TestCase("sensitivity.csv")]
    public void ComparisonFile_VariantsAndSensitivity_MatchesGolden(string file)
    {
        // Named variants (one setting a text field, one moving the pool) and a sensitivity analysis of the
        // programme's breach probability: every column kind of comparison.csv and sensitivity.csv.
        string json = Json.TrimEnd().TrimEnd('}') + """
            ,
              "variants": [ { "name": "small-pool", "set": { "guarantees[g].government.budget": 2e5 } },
                            { "name": "bank-takes-it", "set": { "guarantees[g].government.shortfallTo": "bank" } } ],
              "sensitivity": { "output": "programme.breachProbability", "inputs": [ { "path": "funds[s].exposure.macro", "delta": 0.2 } ] } }
            """;
        using var temp = new TempDirectory("simulator-golden-comparison");
        var (_, comparison, _) = HtmlTestSupport.RunInto(TestScenarios.Load(json), temp.Path);
        Simulator.Reporting.ResultWriter.WriteComparison(comparison!, temp.Path);
        Check(file + ".golden", File.ReadAllText(Path.Combine(temp.Path, file)));
    }

    [Test]
    public void TrialsCsv_ReturnFigures_RecomputedQuantilesEqualSummary()
    {
        // The return figures' statistics come from floats; trials.csv writes those floats' shortest decimals, so a
        // user's script that takes the ⌈q·n⌉-th smallest value of a column gets summary.json's number exactly.
        using var temp = new TempDirectory("simulator-returns");
        var scenario = TestScenarios.Load(Json);
        string path = Path.Combine(temp.Path, "trials.csv");
        Simulator.Core.Engine.SimulationResult result;
        using (var sink = new TrialsCsvSink(path)) result = TestScenarios.Run(scenario, 2, sink);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var fund = result.Funds.Single(f => f.Fund.Name == "s");
        foreach (var (column, spread) in new[] { ("s.netMultiple.privateLp", fund.NetMultiplePrivate), ("s.netIrr.government", fund.NetIrrGovernment) })
        {
            int c = Array.IndexOf(header, column);
            var values = lines.Skip(1).Select(l => l.Split(',')[c]).Where(v => v.Length > 0)
                .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
            Assert.That(spread, Is.Not.Null, column);
            Assert.That(values, Has.Length.EqualTo(spread!.Defined), column);
            Assert.That(values[(int)Math.Ceiling(0.05 * values.Length) - 1], Is.EqualTo(spread.P5), column + " p5");
            Assert.That(values[(int)Math.Ceiling(0.5 * values.Length) - 1], Is.EqualTo(spread.P50), column + " p50");
            Assert.That(values[(int)Math.Ceiling(0.95 * values.Length) - 1], Is.EqualTo(spread.P95), column + " p95");
        }
    }
}
