using System.Text.RegularExpressions;
using Simulator.Cli;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Reporting.Html;
using Simulator.Reporting.Instruments;
using Simulator.Reporting.Plots;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using static Simulator.Tests.Reporting.HtmlTestSupport;

namespace Simulator.Tests.Reporting;

/// <summary>
/// One figure reads the same in a chart's label, in the report's table and on the console (issue 18, item 13). The
/// two cases of the issue, at the examples' own trials and seeds: the tolerance sweep's programme breach probability,
/// 0.02675 (2.68% on the heat map, 2.67% in the table), and the tornado's −1.01 against the table's −1.00.
/// </summary>
public class FigureConsistencyTests
{
    private static readonly Regex LeadingNumber = new(@"^[+-]?[0-9][0-9,]*(\.[0-9]+)?%?");

    private static string Number(string text)
    {
        var m = LeadingNumber.Match(text.Trim());
        Assert.That(m.Success, Is.True, $"no number at the start of '{text}'");
        return m.Value;
    }

    [Test]
    public void ProgrammeBreach_TolerancesSweepBase_ReadsTheSameOnHeatMapTableAndConsole()
    {
        // The base alone: the sweep's 25 variants do not change it and take longest to expand.
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "tolerance-sweep.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        file.Remove("sweep");
        var result = TestScenarios.Run(TestScenarios.Load(file.ToJsonString()));
        double p = result.Programme!.Breach.Probability;
        Assert.That(p, Is.EqualTo(0.02675), "the case of the issue: 1,070 breaches in 40,000 trials");
        var figure = KeyFigures.For(new TrialLayout(result.Scenario)).Single(f => f.Figure.Name == "programme.breachProbability").Figure;

        string heatMap = ComparisonFigures.ValueLabel(figure, p);
        string table = Row(ScenarioReport.Render(result, null, [], Path.GetTempPath()), "key-funds", "programme")[3].Text;
        var console = new StringWriter();
        ConsoleTables.Write(console, result);
        string consoleCell = console.ToString().Split('\n').Single(l => l.StartsWith("  programme", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[5];

        Assert.That(heatMap, Is.EqualTo("2.68%"));
        Assert.That(table, Is.EqualTo(heatMap), "report table");
        Assert.That(consoleCell, Is.EqualTo(heatMap), "console");
    }

    [Test]
    public void SensitivitySwing_AllocationShiftMacroDown_ReadsTheSameOnTornadoTableAndConsole()
    {
        var scenario = Example("allocation-shift.json", 40_000);
        var variant = scenario.Variants.Single(v => v.Name == "sens-1-macro-down");
        var engine = new SimulationEngine();
        using var baseCapture = new KeyFigureCapture(scenario);
        using var variantCapture = new KeyFigureCapture(variant.Scenario);
        engine.Run(scenario, new RunOptions(2), [baseCapture]);
        engine.Run(variant.Scenario, new RunOptions(2), [variantCapture]);
        var comparison = new ComparisonResult(scenario, PairedComparison.Compare(baseCapture, baseCapture),
            [new VariantOutcome(variant, PairedComparison.Compare(baseCapture, variantCapture))]);
        var swing = ComparisonResult.Figure(comparison.Variants[0], "programme.breachProbability")!;

        string tornado = ComparisonFigures.DiffLabel(swing.Figure, swing.Difference.Value);
        string table = ComparisonSection.FormatDifference(swing.Figure, swing.Difference.Value, swing.Difference.StandardError);
        var console = new StringWriter();
        ConsoleSummary.PrintComparison(console, comparison);
        string row = console.ToString().Split('\n').Single(l => l.StartsWith("  sens-1-macro-down", StringComparison.Ordinal));
        var cells = Regex.Matches(row, @"[+-]?[0-9.]+ ± [0-9.]+ pt").Select(m => m.Value).ToList();

        Assert.That(Number(tornado), Is.EqualTo(Number(table)), "tornado label against the report's table");
        Assert.That(cells, Has.Count.EqualTo(3), row);
        Assert.That(cells[2], Is.EqualTo(table), "console against the report's table");
    }
}
