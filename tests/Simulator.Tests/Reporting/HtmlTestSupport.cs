using System.Net;
using System.Text.RegularExpressions;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Reporting;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

/// <summary>One cell of a table read back from a page: its attributes' data-v and class, and its visible text.</summary>
internal sealed record HtmlCell(string? Value, string Class, string Text, string Inner);

/// <summary>Runs scenarios into result folders the way BatchRunner does, and reads the pages back.</summary>
internal static partial class HtmlTestSupport
{
    /// <summary>
    /// Runs <paramref name="scenario"/> and its variants into <paramref name="folder"/> as BatchRunner does: inputs,
    /// trials.csv, summary and plots for the base, each variant's run on the same random numbers, the comparison
    /// files. Returns what ScenarioReport.Write takes.
    /// </summary>
    public static (SimulationResult Result, ComparisonResult? Comparison, IReadOnlyList<string> Plots) RunInto(Scenario scenario, string folder)
    {
        Directory.CreateDirectory(folder);
        var engine = new SimulationEngine();
        using var capture = scenario.Variants.Count > 0 ? new KeyFigureCapture(scenario) : null;
        ResultWriter.WriteInputs(scenario, folder);
        SimulationResult result;
        using (var trials = ResultWriter.TrialsSink(folder))
        {
            ITrialSink[] sinks = capture is null ? [trials] : [trials, capture];
            result = engine.Run(scenario, new RunOptions(2), sinks);
        }
        var plots = ResultWriter.WriteAll(result, folder).ToList();
        ComparisonResult? comparison = null;
        if (capture is not null)
        {
            var outcomes = new List<VariantOutcome>();
            foreach (var variant in scenario.Variants)
            {
                // As BatchRunner: variants run exactly the base's trials (a precision target may have stopped it early).
                var variantScenario = variant.Scenario.WithRunSettings((int)result.Trials, null) with { Precision = null };
                using var variantCapture = new KeyFigureCapture(variantScenario);
                engine.Run(variantScenario, new RunOptions(2), [variantCapture]);
                outcomes.Add(new VariantOutcome(variant, PairedComparison.Compare(capture, variantCapture)));
            }
            comparison = new ComparisonResult(scenario, PairedComparison.Compare(capture, capture), outcomes);
            plots.AddRange(ResultWriter.WriteComparison(comparison, folder));
        }
        return (result, comparison, plots);
    }

    /// <summary>Loads an example scenario from scenarios/ with fewer trials.</summary>
    public static Scenario Example(string file, int trials)
    {
        var load = ScenarioLoader.Load(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", file));
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        return load.Scenario!.WithRunSettings(trials, null);
    }

    /// <summary>The body rows of the table with id <paramref name="id"/> (section rows left out).</summary>
    public static IReadOnlyList<IReadOnlyList<HtmlCell>> Rows(string html, string id)
    {
        var table = Regex.Match(html, $"<table id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</table>", RegexOptions.Singleline);
        Assert.That(table.Success, Is.True, $"no table with id {id}");
        var body = Regex.Match(table.Groups[1].Value, "<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
        return RowPattern().Matches(body)
            .Select(r => (IReadOnlyList<HtmlCell>)CellPattern().Matches(r.Groups[1].Value).Select(c =>
            {
                string attributes = c.Groups[1].Value;
                var value = Regex.Match(attributes, "data-v=\"([^\"]*)\"");
                var cls = Regex.Match(attributes, "class=\"([^\"]*)\"");
                return new HtmlCell(value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : null, cls.Groups[1].Value, Text(c.Groups[2].Value), c.Groups[2].Value);
            }).ToList())
            .Where(r => r.Count > 0)
            .ToList();
    }

    /// <summary>The row whose first cell reads <paramref name="name"/>.</summary>
    public static IReadOnlyList<HtmlCell> Row(string html, string id, string name)
    {
        var row = Rows(html, id).FirstOrDefault(r => r[0].Text == name);
        Assert.That(row, Is.Not.Null, $"table {id} has no row {name}");
        return row!;
    }

    /// <summary>Visible text of an HTML fragment: tags removed, entities decoded, white space collapsed.</summary>
    public static string Text(string fragment) =>
        Regex.Replace(WebUtility.HtmlDecode(Regex.Replace(fragment, "<[^>]+>", " ")), @"\s+", " ").Trim();

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td([^>]*)>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();
}
