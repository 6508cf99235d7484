using System.Text.Json;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary><c>simulator solve</c> and a file's "solve" block: result files, the console table, and bad input refused with
/// exit code 2 and a message naming what is wrong.</summary>
public class SolveCommandTests
{
    internal const string Pool = """
        { "name": "solve-cli", "simulation": { "trials": 1000, "seed": 4 },
          "guarantees": [ { "name": "pool",
              "loans": { "perYear": 2000, "years": 1, "amount": 1, "termYears": 1, "pd": 0.02, "lgd": 1 },
              "shares": { "government": 1 }, "government": { "budget": 40, "shortfallTo": "bank" } } ] }
        """;

    private static readonly string[] Options =
        ["--vary", "guarantees[pool].government.budget", "--target", "pool.exhaustionProbability <= 5%", "--range", "20,80", "--trials", "1000"];

    [Test]
    public void Solve_Options_WritesSolveFilesBesideTheBaseResults()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool);
        string output = Path.Combine(temp.Path, "out");
        var (code, stdout, stderr) = CliRunner.Run(["solve", file, .. Options, "--out", output]);
        Assert.That(code, Is.EqualTo(0), stderr);
        string folder = Path.Combine(output, "solve-cli");
        Assert.That(File.Exists(Path.Combine(folder, "summary.json")), Is.True);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "solve.json")));
        var root = json.RootElement;
        Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("solved"));
        double solution = root.GetProperty("solution").GetDouble();
        Assert.That(solution, Is.InRange(20.0, 80.0));
        var interval = root.GetProperty("interval95");
        Assert.That(interval[0].GetDouble(), Is.LessThan(solution));
        Assert.That(interval[1].GetDouble(), Is.GreaterThan(solution));
        var csv = File.ReadAllLines(Path.Combine(folder, "solve.csv"));
        Assert.That(csv[0], Is.EqualTo("evaluation,step,value,figure,standardError,meetsTarget"));
        Assert.That(csv, Has.Length.EqualTo(root.GetProperty("evaluations").GetArrayLength() + 1));
        Assert.That(stdout, Does.Contain("the smallest guarantees[pool].government.budget with pool.exhaustionProbability <= 0.05:"));
        // scenario.json is the base as run, without the solve: running it again reproduces the base alone.
        Assert.That(File.ReadAllText(Path.Combine(folder, "scenario.json")), Does.Not.Contain("\"solve\""));
    }

    [Test]
    public void Run_FileWithSolveBlock_SolvesAsPartOfTheRun()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool.TrimEnd()[..^1] + """, "solve": { "vary": "guarantees[pool].government.budget", "target": "pool.exhaustionProbability <= 0.05", "range": [20, 80] } }""");
        string output = Path.Combine(temp.Path, "out");
        var (code, _, stderr) = CliRunner.Run("run", file, "--out", output, "--quiet");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(File.Exists(Path.Combine(output, "solve-cli", "solve.csv")), Is.True);
    }

    [Test]
    public void Solve_UnreachableTarget_ExitCode2WithBothEnds()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool);
        var (code, _, stderr) = CliRunner.Run("solve", file, "--vary", "guarantees[pool].government.budget", "--target", "pool.exhaustionProbability <= 5%",
            "--range", "10,20", "--out", Path.Combine(temp.Path, "out"), "--quiet");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("error at $.solve: the target pool.exhaustionProbability <= 0.05 cannot be reached in the range [10, 20]")
            .And.Contain("neither meets"));
    }

    [TestCase("--vary", "guarantees[poool].government.budget", "--vary 'guarantees[poool].government.budget': 'guarantees' has no item named 'poool'")]
    [TestCase("--vary", "guarantees[pool].loans.type", "--vary 'guarantees[pool].loans.type'")]
    [TestCase("--target", "pool.exhaustionProb <= 5%", "--target 'pool.exhaustionProb <= 5%': unknown figure 'pool.exhaustionProb'")]
    [TestCase("--target", "pool.exhaustionProbability < 5%", "is not of the form \"<key-figure> <= value\"")]
    [TestCase("--range", "80,20", "--range '80,20': the range [80, 20] is empty; give [lo, hi] with lo < hi")]
    [TestCase("--range", "20", "--range: value '20' is not a range; give lo,hi")]
    [TestCase("--range", "-5,20", "--range '-5,20': variant 'solve-low' sets guarantees[pool].government.budget: value -5 is out of range")]
    public void Solve_BadOption_ExitCode2WithMessage(string option, string value, string message)
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool);
        var args = Options.ToList();
        args[args.IndexOf(option) + 1] = value;
        string output = Path.Combine(temp.Path, "out");
        var (code, _, stderr) = CliRunner.Run(["solve", file, .. args, "--out", output]);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(output, "solve-cli")), Is.False, "bad input leaves no result folder");
    }

    [Test]
    public void Solve_NoBlockNoOptions_ExitCode2()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool);
        var (code, _, stderr) = CliRunner.Run("solve", file, "--out", Path.Combine(temp.Path, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("has no \"solve\" block"));
    }

    [Test]
    public void Validate_BadSolveBlock_ReportsEachFieldWithItsLine()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("pool.json", Pool.TrimEnd()[..^1] + """
            ,
              "solve": { "vary": "guarantees[pool].government.budgte", "target": "pool.meanLoss <= 1e9", "range": [1, 2, 3] } }
            """);
        var (code, _, stderr) = CliRunner.Run("validate", file);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("error at $.solve.range: the range has 3 number(s); give two"));
    }
}
