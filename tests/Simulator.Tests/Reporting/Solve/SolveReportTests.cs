using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Simulator.Reporting.Numbers;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Solve;

/// <summary>
/// A scenario's "solve" block in report.html and index.html: the question, the answer with its interval, the status, the
/// evaluations table and solve.png, every number the one solve.json holds; an unreachable target shows the figure at both
/// ends; a merge of shards says the solve was not run and gives the command that runs it, and that command does.
/// </summary>
public class SolveReportTests
{
    // SolveCommandTests' pool: P(exhausted) falls from 1 to 0 as the budget rises from 20 to 80 (expected loss 40).
    private const string Plain = Cli.SolveCommandTests.Pool;

    private static string Pool(string range) => Plain.TrimEnd()[..^1]
        + $$""", "solve": { "vary": "guarantees[pool].government.budget", "target": "pool.exhaustionProbability <= 5%", "range": [{{range}}] } }""";

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-solve-report");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string File(string range) => _temp.Write("pool.json", Pool(range));

    private static JsonElement Solve(string folder) => JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(folder, "solve.json"))).RootElement;

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    [Test]
    public void Run_SolveBlock_ReportShowsQuestionAnswerAndEveryEvaluationFromSolveJson()
    {
        string output = Path.Combine(_temp.Path, "out");
        var (code, _, stderr) = CliRunner.Run("run", File("20, 80"), "--out", output, "--quiet");
        Assert.That(code, Is.EqualTo(0), stderr);
        string folder = Path.Combine(output, "solve-cli");
        var solve = Solve(folder);
        string html = System.IO.File.ReadAllText(Path.Combine(folder, "report.html"));

        Assert.That(html, Does.Contain("<a href=\"#solve\">Solve</a>"));
        Assert.That(html, Does.Contain("<section id=\"solve\">\n<h2>Solved for a setting</h2>"));
        Assert.That(html, Does.Contain("<b>Question:</b> the smallest guarantees[pool].government.budget in [20, 80] with pool.exhaustionProbability ≤ 5.00%"));
        // The answer as the solver gave it (the budget is a plain number here: below 10,000 it is shown as written).
        double solution = solve.GetProperty("solution").GetDouble(), low = solve.GetProperty("interval95")[0].GetDouble(), high = solve.GetProperty("interval95")[1].GetDouble();
        Assert.That(html, Does.Contain($"is <b>{solution.ToString("0.####", CultureInfo.InvariantCulture)}</b>, 95% interval {low.ToString("0.####", CultureInfo.InvariantCulture)} to {high.ToString("0.####", CultureInfo.InvariantCulture)}"));
        Assert.That(html, Does.Contain("Status: reached.").And.Contain("Monotone: across all"));
        Assert.That(solve.GetProperty("monotone").GetBoolean(), Is.True, "a pool's P(exhausted) falls with its budget on common random numbers");

        // The evaluations table: one row per evaluation of solve.json, in the field's order, each value its double.
        var rows = HtmlTestSupport.Rows(html, "solve-evaluations");
        var evaluations = solve.GetProperty("evaluations").EnumerateArray().OrderBy(e => e.GetProperty("value").GetDouble()).ToList();
        Assert.That(rows, Has.Count.EqualTo(evaluations.Count));
        for (int i = 0; i < rows.Count; i++)
        {
            var e = evaluations[i];
            Assert.That(rows[i][0].Value, Is.EqualTo(Number(e.GetProperty("evaluation").GetInt32())));
            Assert.That(rows[i][2].Value, Is.EqualTo(Number(e.GetProperty("value").GetDouble())));
            Assert.That(rows[i][3].Value, Is.EqualTo(Number(e.GetProperty("figure").GetDouble())));
            Assert.That(rows[i][4].Value, Is.EqualTo(Number(e.GetProperty("standardError").GetDouble())));
            Assert.That(rows[i][5].Text, Is.EqualTo(e.GetProperty("meetsTarget").GetBoolean() ? "yes" : "no"));
        }
        // The chart, written beside solve.json and embedded in the section (not among the instrument's charts).
        // Two panels: the whole range, and the window around the solution (its interval is a small part of the range).
        Assert.That(PngSize(Path.Combine(folder, "solve.png")), Is.EqualTo((1000, 940)));
        double half = (high - low) / 2;
        Assert.That(8 * half, Is.LessThan(60.0 / 3), "the window the lower panel enlarges");
        string section = Regex.Match(html, "<section id=\"solve\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(section, Does.Contain("<figure id=\"plot-solve\">").And.Contain("data:image/png;base64,"));
        // The headline card comes first.
        Assert.That(html.IndexOf("Solved: budget for pool.exhaustionProbability ≤ 5.00%", StringComparison.Ordinal), Is.GreaterThan(0)
            .And.LessThan(html.IndexOf("<div class=\"card\">", StringComparison.Ordinal) + 200));

        // index.html lists the answer in a column of its own.
        string index = System.IO.File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.That(index, Does.Contain("Solved for"));
        Assert.That(index, Does.Contain($"budget = {solution.ToString("0.####", CultureInfo.InvariantCulture)} (95%: "));
    }

    [Test]
    public void Run_UnreachableTarget_ReportSaysNoneWithTheFigureAtBothEnds()
    {
        string output = Path.Combine(_temp.Path, "out");
        var (code, _, _) = CliRunner.Run("run", File("10, 20"), "--out", output, "--quiet");
        Assert.That(code, Is.EqualTo(2), "an unreachable target is an error of the input");
        string folder = Path.Combine(output, "solve-cli");
        var solve = Solve(folder);
        Assert.That(solve.GetProperty("status").GetString(), Is.EqualTo("unreachable"));
        string html = System.IO.File.ReadAllText(Path.Combine(folder, "report.html"));
        var ends = solve.GetProperty("evaluations").EnumerateArray().Where(e => e.GetProperty("step").GetString() == "end")
            .OrderBy(e => e.GetProperty("value").GetDouble()).ToList();
        Assert.That(ends, Has.Count.EqualTo(2));
        static string Text(JsonElement e) => $"{FigureText.Probability(e.GetProperty("figure").GetDouble())} ± {FigureText.Probability(e.GetProperty("standardError").GetDouble())}"
            + $" at {e.GetProperty("value").GetDouble().ToString(CultureInfo.InvariantCulture)}";
        Assert.That(html, Does.Contain("<b>Answer: none in the range.</b>"));
        Assert.That(System.Net.WebUtility.HtmlDecode(html), Does.Contain($"pool.exhaustionProbability is {Text(ends[0])} and {Text(ends[1])}: neither meets the target."));
        Assert.That(html, Does.Contain("Status: unreachable in [10, 20]"));
        Assert.That(HtmlTestSupport.Rows(html, "solve-evaluations"), Has.Count.EqualTo(solve.GetProperty("evaluations").GetArrayLength()));
        // No solution, nothing to enlarge: one panel of the usual size.
        Assert.That(PngSize(Path.Combine(folder, "solve.png")), Is.EqualTo((1000, 600)));
    }

    /// <summary>Width and height from a PNG's header chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.That(bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8), Is.True, $"{path} is not a PNG");
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Test]
    public void Merge_SolveBlock_SaysNotRunWithACommandThatRunsIt()
    {
        string file = File("20, 80");
        string shards = Path.Combine(_temp.Path, "shards"), merged = Path.Combine(_temp.Path, "merged");
        for (int k = 1; k <= 2; k++)
        {
            var shard = CliRunner.Run("run", file, "--shard", $"{k}/2", "--out", shards, "--quiet");
            Assert.That(shard.Code, Is.EqualTo(0), shard.Err);
            Assert.That(shard.Err, Does.Contain("note: solve-cli: the \"solve\" block is not run on shards")
                .And.Contain($"After the merge, run it on one machine with: simulator solve {file} --trials 1000 --seed 4 --out OUT (OUT: the merge's --out)"));
        }
        var merge = CliRunner.Run("merge", Path.Combine(shards, "*"), "--out", merged, "--quiet");
        Assert.That(merge.Code, Is.EqualTo(0), merge.Err);
        string command = $"simulator solve {file} --trials 1000 --seed 4 --out {merged}";
        Assert.That(merge.Err, Does.Contain("note: solve-cli: The \"solve\" block is not run on shards").And.Contain($"Run it on one machine with: {command}"));
        string folder = Path.Combine(merged, "solve-cli");
        Assert.That(System.IO.File.Exists(Path.Combine(folder, "solve.json")), Is.False);
        string html = System.IO.File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.That(html, Does.Contain("<b>Not run:</b> The &quot;solve&quot; block is not run on shards"));
        Assert.That(html, Does.Contain($"<pre><code>{System.Net.WebUtility.HtmlEncode(command)}</code></pre>"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(merged, "index.html")), Does.Contain("budget: not run (shards)"));

        // The command as printed runs the solve on the merged base: the same summary.json, with the solve's files beside it.
        byte[] mergedSummary = System.IO.File.ReadAllBytes(Path.Combine(folder, "summary.json"));
        string[] words = command.Split(' ');
        Assert.That(words[0], Is.EqualTo("simulator"));
        var solve = CliRunner.Run([.. words.Skip(1), "--quiet"]);
        Assert.That(solve.Code, Is.EqualTo(0), solve.Err);
        Assert.That(System.IO.File.ReadAllBytes(Path.Combine(folder, "summary.json")), Is.EqualTo(mergedSummary));
        Assert.That(Solve(folder).GetProperty("status").GetString(), Is.EqualTo("solved"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(folder, "report.html")), Does.Contain("<b>Answer:</b>"));
    }

    [Test]
    public void Index_NoSolveBlock_HasNoSolveColumn()
    {
        string output = Path.Combine(_temp.Path, "out");
        string file = _temp.Write("plain.json", Plain);
        var (code, _, stderr) = CliRunner.Run("run", file, "--out", output, "--quiet");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(System.IO.File.ReadAllText(Path.Combine(output, "index.html")), Does.Not.Contain("Solved for"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(output, "solve-cli", "report.html")), Does.Not.Contain("id=\"solve\""));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(output, "solve-cli", "index-entry.json")), Does.Not.Contain("solve\":"));
    }
}
