using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Core.Studies;
using Simulator.Reporting.Numbers;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>
/// Tables of a variant against the base in the docs are what the example gives, at its trials and seed. A table is
/// marked by a comment naming the scenario and the variant, <c>&lt;!-- comparison: scenarios/x.json variant --&gt;</c>,
/// and has the columns figure | base | variant | difference ± paired SE; a row's figure is the comparison's figure
/// written in words ("ai-seed breach probability" for ai-seed.breachProbability). Rows whose base cell is empty are
/// comments. Under UPDATE_DOCS=1 the cells are rewritten from the run.
/// </summary>
public partial class DocumentedTablesTests
{
    private static string Root => TestScenarios.RepositoryRoot;

    [GeneratedRegex(@"<!-- comparison: (?<file>\S+) (?<variant>\S+) -->\n\n(?<table>(?:\|[^\n]*\n)+)")]
    private static partial Regex MarkedTable();

    /// <summary>"ai-seed breach probability" for ai-seed.breachProbability.</summary>
    internal static string Words(string figure)
    {
        int dot = figure.LastIndexOf('.');
        string name = Regex.Replace(figure[(dot + 1)..], "(?<=[a-z0-9])([A-Z])", " $1").ToLowerInvariant();
        return $"{figure[..dot]} {name}";
    }

    private static string Cell(FigureUnit unit, double value) =>
        FigureText.Value(unit, value) + (unit == FigureUnit.Money ? " M" : "");

    private static string DifferenceCell(FigureUnit unit, Estimate d) =>
        FigureText.Difference(unit, d.Value, d.StandardError) + (unit == FigureUnit.Money ? " M" : "");

    [Test]
    [Category("Slow")]
    [TestCase("docs/stress-library.md")]
    [TestCase("docs/variants.md")]
    public void Doc_ComparisonTables_AreWhatTheExampleGives(string docPath)
    {
        string path = Path.Combine(Root, docPath);
        string doc = File.ReadAllText(path);
        var tables = MarkedTable().Matches(doc);
        Assert.That(tables, Is.Not.Empty, $"{docPath}: no table marked <!-- comparison: ... -->");
        // Each scenario runs once, with only the variants the document shows: a variant's paired comparison depends on
        // the base and that variant alone (common random numbers), so the figures are those of the whole study.
        var shown = tables.GroupBy(t => t.Groups["file"].Value).ToDictionary(g => g.Key, g => g.Select(t => t.Groups["variant"].Value).ToHashSet(StringComparer.Ordinal));
        var comparisons = new Dictionary<string, ComparisonResult>(StringComparer.Ordinal);
        var problems = new List<string>();
        var updated = new StringBuilder(doc);
        foreach (Match table in tables.Reverse())
        {
            string file = table.Groups["file"].Value, variant = table.Groups["variant"].Value;
            if (!comparisons.TryGetValue(file, out var comparison))
            {
                var load = ScenarioLoader.Load(Path.Combine(Root, file));
                Assert.That(load.Errors, Is.Empty, file);
                var scenario = load.Scenario! with { Variants = [.. load.Scenario!.Variants.Where(v => shown[file].Contains(v.Name))], Sweep = null, Sensitivity = null };
                comparisons[file] = comparison = new Study(new SimulationEngine()).Run(scenario, new RunOptions(2), new NoObserver()).Comparison!;
            }
            var outcome = comparison.Variants.FirstOrDefault(v => v.Variant.Name == variant);
            Assert.That(outcome, Is.Not.Null, $"{docPath}: {file} has no variant {variant}");
            var rows = table.Groups["table"].Value.TrimEnd('\n').Split('\n');
            var rewritten = new List<string>(rows[..2]);
            int checkedRows = 0;
            foreach (string row in rows[2..])
            {
                var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length != 4 || cells[1].Length == 0)
                {
                    rewritten.Add(row);
                    continue;
                }
                int k = comparison.BaseFigures.ToList().FindIndex(f => Words(f.Figure.Name) == cells[0]);
                if (k < 0)
                {
                    problems.Add($"{docPath}, table of {variant}: no figure reads '{cells[0]}'; figures: {string.Join(", ", comparison.BaseFigures.Select(f => Words(f.Figure.Name)))}");
                    rewritten.Add(row);
                    continue;
                }
                var unit = comparison.BaseFigures[k].Figure.Unit;
                string[] expected = [cells[0], Cell(unit, comparison.BaseFigures[k].Estimate.Value), Cell(unit, outcome!.Figures[k].Estimate.Value), DifferenceCell(unit, outcome.Figures[k].Difference)];
                for (int c = 1; c < 4; c++)
                    if (cells[c] != expected[c]) problems.Add($"{docPath}, table of {variant}, '{cells[0]}': the doc says '{cells[c]}', the run gives '{expected[c]}'");
                rewritten.Add($"| {string.Join(" | ", expected)} |");
                checkedRows++;
            }
            Assert.That(checkedRows, Is.GreaterThan(0), $"{docPath}: the table of {variant} has no figure rows");
            var group = table.Groups["table"];
            updated.Remove(group.Index, group.Length).Insert(group.Index, string.Join("\n", rewritten) + "\n");
        }
        if (problems.Count > 0 && Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, updated.ToString());
            Assert.Warn($"{docPath} rewritten from the run: review the diff");
            return;
        }
        Assert.That(problems, Is.Empty, () => string.Join("\n", problems) + "\n(run with UPDATE_DOCS=1 to rewrite the tables, then review the diff)");
    }

    [TestCase("ai-seed.breachProbability", "ai-seed breach probability")]
    [TestCase("tech-sme.exhaustionProbability", "tech-sme exhaustion probability")]
    [TestCase("programme.p99LossRatio", "programme p99 loss ratio")]
    public void Words_FigureName_ReadsAsTheDocsWriteIt(string figure, string words) => Assert.That(Words(figure), Is.EqualTo(words));

    private sealed class NoObserver : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result) { }
    }
}
