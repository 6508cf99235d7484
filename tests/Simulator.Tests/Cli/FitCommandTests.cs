using System.Globalization;
using System.Text.Json;
using Simulator.Core.Scenarios;
using Simulator.Tests.Fitting;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary><c>simulator fit exits|defaults</c> end to end: exit codes, the files written, the block validating as a
/// scenario, and bad data stopping with every error and nothing written.</summary>
public class FitCommandTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-fit-cli");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string ExitsCsv()
    {
        var rows = FitData.Exits(FitData.ParetoTruth, 200, 1, "seed").Concat(FitData.Exits(FitData.LogNormalTruth, 200, 2, "venture"));
        return _temp.Write("exits.csv", "# synthetic\nmultiple,years,stage,sector\n" + string.Join("\n",
            rows.Select((r, i) => string.Create(CultureInfo.InvariantCulture, $"{r.Multiple:R},{r.Years:F2},{r.Stage},{(i % 2 == 0 ? "bio" : "soft")}"))) + "\n");
    }

    [Test]
    public void FitExits_GoodFile_WritesBlockDetailsAndCharts_BlockRunsAsScenario()
    {
        string output = Path.Combine(_temp.Path, "out");
        var (code, stdout, stderr) = CliRunner.Run("fit", "exits", ExitsCsv(), "--out", output, "--bootstrap", "200", "--seed", "7");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("fit-seed (stage seed: 200 exits").And.Contain("fit-venture (stage venture: 200 exits")
            .And.Contain("95% intervals from 200 bootstrap resamples (seed 7)").And.Contain("success Pareto alpha"));
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "exits-fit.json", "exits-seed.png", "exits-venture.png", "outcomes.json" }));
        Assert.That(new FileInfo(Path.Combine(output, "exits-seed.png")).Length, Is.GreaterThan(10_000));
        using var details = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "exits-fit.json")));
        Assert.That(details.RootElement.GetProperty("groups").GetArrayLength(), Is.EqualTo(2));
        Assert.That(details.RootElement.GetProperty("seed").GetInt64(), Is.EqualTo(7));

        string block = File.ReadAllText(Path.Combine(output, "outcomes.json")).Trim();
        string scenario = _temp.Write("fitted.json", "{ \"name\": \"fitted\", \"simulation\": { \"trials\": 2000 }, " + block[1..^1] + """
            , "funds": [ { "name": "s", "type": "seed", "commitment": 3e8, "deals": 30, "check": 1e7, "outcomes": "fit-seed" } ] }
            """);
        Assert.That(ScenarioLoader.Load(scenario).Errors, Is.Empty);
        var run = CliRunner.Run("run", scenario, "--out", Path.Combine(_temp.Path, "results"), "--quiet", "--trials-csv", "none");
        Assert.That(run.Code, Is.EqualTo(0), run.Err);
    }

    [Test]
    public void FitExits_SameSeedTwice_SameFiles_FamilyOption_Respected()
    {
        string csv = ExitsCsv();
        string a = Path.Combine(_temp.Path, "a"), b = Path.Combine(_temp.Path, "b");
        var first = CliRunner.Run("fit", "exits", csv, "--out", a, "--bootstrap", "100", "--family", "lognormal");
        Assert.That(first.Code, Is.EqualTo(0));
        // The seed stage's successes are Pareto from 1x: a lognormal fitted to them has mass below 1x, and says how much.
        Assert.That(first.Out, Does.Match(@"\d+(\.\d+)?% of this law lies below 1x"));
        Assert.That(CliRunner.Run("fit", "exits", csv, "--out", b, "--bootstrap", "100", "--family", "lognormal").Code, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Path.Combine(b, "exits-fit.json")), Is.EqualTo(File.ReadAllText(Path.Combine(a, "exits-fit.json"))));
        string block = File.ReadAllText(Path.Combine(a, "outcomes.json"));
        Assert.That(block, Does.Contain("lognormal").And.Not.Contain("pareto"));
    }

    [Test]
    public void FitExits_BadData_EveryErrorWithLine_ExitCode2_NothingWritten()
    {
        string csv = _temp.Write("bad.csv", "multiple,years\n-1,3\n2,abc\n0.5,2\n");
        string output = Path.Combine(_temp.Path, "out");
        var (code, _, stderr) = CliRunner.Run("fit", "exits", csv, "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"{csv}:2:1: error: multiple: value -1 is out of range").And.Contain($"{csv}:3:2: error: years: 'abc' is not a number")
            .And.Contain($"{csv}: cannot fit (2 errors); nothing was written"));
        Assert.That(Directory.Exists(output), Is.False);

        // Valid cells but too few rows: the same exit code, the reason named.
        (code, _, stderr) = CliRunner.Run("fit", "exits", _temp.Write("few.csv", "multiple,years\n0,1\n2,3\n0.4,2\n"), "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("too few rows to fit: the file has 3 exit(s); at least 20 are needed"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void FitExits_BadOptions_ExitCode2()
    {
        string csv = ExitsCsv();
        Assert.That(CliRunner.Run("fit", "exits", csv, "--family", "weibull").Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("fit", "exits", csv, "--bootstrap", "5").Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("fit", "exits", csv, "--seed", "-1").Code, Is.EqualTo(2));
        Assert.That(CliRunner.Run("fit", "exits", Path.Combine(_temp.Path, "missing.csv")).Code, Is.EqualTo(2));
        var (code, _, stderr) = CliRunner.Run("fit", "defaults", csv, "--factor", "bad name");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--factor: 'bad name' is not a factor name"));
    }

    [Test]
    public void FitDefaults_GradedHistory_WritesSnippetAndCharts_SnippetValidatesInAScheme()
    {
        var rows = FitData.Defaults(0.02, 0.1, 30, 1000, 1, "A").Concat(FitData.Defaults(0.05, 0.15, 30, 800, 2, "B"));
        string csv = _temp.Write("defaults.csv", "year,loans,defaults,grade\n" + string.Join("\n", rows.Select(r => $"{r.Year},{r.Loans},{r.Defaults},{r.Grade}")) + "\n");
        string output = Path.Combine(_temp.Path, "out");
        var (code, stdout, stderr) = CliRunner.Run("fit", "defaults", csv, "--out", output);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("grade A: 30 years").And.Contain("grade B: 30 years").And.Contain("snippet   \"loans\": { \"pd\": "));
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "defaults-A.png", "defaults-B.png", "defaults-fit.json" }));
        using var details = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "defaults-fit.json")));
        var loans = details.RootElement.GetProperty("grades").GetProperty("B").GetProperty("loans");
        string scheme = $$"""
            { "name": "fitted-scheme", "simulation": { "trials": 1000 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 100, "years": 3, "amount": 1e6, "pd": {{loans.GetProperty("pd").GetRawText()}},
                "exposure": {{loans.GetProperty("exposure").GetRawText()}} }, "shares": { "bank": 0.5, "government": 0.5 } } ] }
            """;
        Assert.That(ScenarioLoader.Parse(scheme).Errors, Is.Empty);
    }

    [Test]
    public void FitDefaults_DefaultsAboveLoans_ExitCode2_WithLine()
    {
        string csv = _temp.Write("d.csv", "year,loans,defaults\n2001,100,5\n2002,100,101\n2003,100,x\n");
        var (code, _, stderr) = CliRunner.Run("fit", "defaults", csv, "--out", Path.Combine(_temp.Path, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"{csv}:3:3: error: defaults: 101 defaults are more than the 100 loans").And.Contain($"{csv}:4:3: error: defaults: 'x' is not a number"));
        Assert.That(Directory.Exists(Path.Combine(_temp.Path, "out")), Is.False);
    }

    [TestCase("exits", "exits-synthetic.csv")]
    [TestCase("defaults", "defaults-synthetic.csv")]
    public void Docs_ShowTheOutputOfTheShippedSyntheticExample(string command, string file)
    {
        // docs/fitting.md quotes these runs; every indented line it quotes must be what the command prints today.
        string csv = Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "data", file);
        var (code, stdout, stderr) = CliRunner.Run("fit", command, csv, "--out", Path.Combine(_temp.Path, "out"));
        Assert.That(code, Is.EqualTo(0), stderr);
        var printed = stdout.Split('\n').Select(l => l.TrimEnd()).ToHashSet(StringComparer.Ordinal);
        // The quoted output is the fenced block that starts with the file's line; its first line names the path as given.
        string docs = File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "docs", "fitting.md"));
        var lines = docs.Split('\n').Select(l => l.TrimEnd()).ToList();
        int start = lines.FindIndex(l => l.StartsWith($"scenarios/data/{file}: ", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThan(0), "docs/fitting.md quotes the run");
        var quoted = lines.Skip(start + 1).TakeWhile(l => l != "```").Where(l => l.Length > 0).ToList();
        Assert.That(quoted, Has.Count.GreaterThan(8));
        Assert.That(quoted.Where(l => !printed.Contains(l)), Is.Empty);
    }
}
