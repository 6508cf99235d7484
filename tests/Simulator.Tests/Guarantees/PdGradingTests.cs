using System.Globalization;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Guarantees;

/// <summary>
/// The opt-in grading of a tape's PDs (<c>pdGrading</c>, docs/model.md §7 "PD grading"): a tape already in grades is
/// unchanged, every PD moves by at most the allowance, the expected loss is kept, the mean loss moves by at most the
/// reported bound, the graded losses lie between those of the tape with every PD scaled by 1 ∓ the allowance in every
/// trial, and bad settings are refused with path, value and what is allowed.
/// </summary>
public class PdGradingTests
{
    private TempDirectory _temp = null!;

    private string _dir => _temp.Path;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-grading");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A tape of <paramref name="n"/> loans: amount, PD, LGD, term and start from the given functions of the row, rho 0.2.</summary>
    private string Tape(string name, int n, Func<int, double> pd, Func<int, int>? term = null, Func<int, int>? start = null)
    {
        var rows = Enumerable.Range(0, n).Select(i =>
            $"L{i},{F(1e5 + 1e4 * (i * 7 % 101))},{F(pd(i))},{F(0.2 + 0.4 * (i * 13 % 17) / 16.0)},{(term ?? (_ => 1))(i)},{(start ?? (_ => 1))(i)},0.2");
        File.WriteAllLines(Path.Combine(_dir, name), rows.Prepend("id,amount,pd,lgd,termYears,startYear,rho"));
        return name;
    }

    /// <summary>PDs of a model's continuous output: log-uniform from 0.05% to 15%, from a fixed stream.</summary>
    private static Func<int, double> ContinuousPds(ulong seed)
    {
        var stream = new Xoshiro256(seed);
        var pds = new double[20_000];
        for (int i = 0; i < pds.Length; i++) pds[i] = 0.0005 * Math.Pow(300, stream.NextOpenUnit());
        return i => pds[i];
    }

    private Scenario Load(string tape, string grading = "", int trials = 4000)
    {
        var load = ScenarioLoader.Parse($$"""
            { "name": "grading", "simulation": { "trials": {{trials}}, "seed": 3 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loanTape": "{{tape}}", {{grading}} "shares": { "bank": 0.5, "government": 0.5 } } ] }
            """, Path.Combine(_dir, "grading.json"), _dir);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        return load.Scenario!;
    }

    private static string Grading(double maxRelativeError) => $$"""
        "pdGrading": { "maxRelativeError": {{F(maxRelativeError)}} },
        """;

    /// <summary>Every trial's total credit loss of scheme g.</summary>
    private sealed class LossSink : ITrialSink
    {
        private int _column, _columns;
        public List<double> Loss { get; } = [];
        public void Begin(TrialLayout layout) => (_column, _columns) = (layout.IndexOf("g.loss"), layout.CsvCount);
        public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
        {
            for (int r = 0; r < rows.Length; r += columns) Loss.Add(rows[r + _column]);
        }
        public void Complete() { }
    }

    private static (SimulationResult Result, List<double> Loss, List<double> Rows) Run(Scenario scenario)
    {
        var loss = new LossSink();
        var rows = new MemorySink();
        var result = TestScenarios.Run(scenario, 2, loss, rows);
        return (result, loss.Loss, rows.Values);
    }

    [Test]
    public void Grade_TapeAlreadyInGradesTinyAllowance_ResultsByteIdentical()
    {
        // Five grades, terms of 1-3 years over 3 start years: with an allowance below the grades' spacing every grade keeps
        // its PD bit for bit and the classes their order, so every trial's row is the exact tape's.
        double[] grid = [0.001, 0.004, 0.013, 0.04, 0.12];
        string tape = Tape("grid.csv", 600, i => grid[i * 3 % 5], i => 1 + i % 3, i => 1 + i * 5 % 3);
        var exact = Run(Load(tape));
        var gradedScenario = Load(tape, Grading(1e-6));
        var graded = Run(gradedScenario);
        var summary = gradedScenario.Guarantees[0].PdGrading!;
        Assert.Multiple(() =>
        {
            Assert.That(summary.DistinctPds, Is.EqualTo(5));
            Assert.That(summary.Grades, Is.EqualTo(5));
            Assert.That(summary.RealisedMaxRelativeChange, Is.Zero);
            Assert.That(summary.MeanLossBound, Is.Zero);
            Assert.That(summary.ExpectedLossGraded, Is.EqualTo(summary.ExpectedLossExact));
            Assert.That(graded.Rows, Is.EqualTo(exact.Rows), "every trial's row");
            Assert.That(graded.Result.Guarantees[0].Loss with { Exceedance = Array.Empty<Simulator.Core.Statistics.ExceedancePoint>() }, Is.EqualTo(exact.Result.Guarantees[0].Loss with { Exceedance = Array.Empty<Simulator.Core.Statistics.ExceedancePoint>() }), "the loss figures");
        });
        Assert.That(exact.Loss.Sum(), Is.GreaterThan(0), "the tape has losses to compare");
    }

    [TestCase(0.001)]
    [TestCase(0.01)]
    [TestCase(0.1)]
    [TestCase(0.5)]
    [TestCase(0.95)]
    public void Grade_ContinuousPds_EveryPdWithinAllowanceAndExpectedLossKept(double allowance)
    {
        var pd = ContinuousPds(11);
        const int n = 5000;
        Tape("continuous.csv", n, pd, i => 1 + i % 4);
        var scenario = Load("continuous.csv", Grading(allowance));
        var g = scenario.Guarantees[0];
        var book = (TapeBook)g.Book;
        var s = g.PdGrading!;
        double realised = 0, bound = 0, expected = 0;
        for (int i = 0; i < n; i++)
        {
            // Loans are in issue order (all start in year 1: file order), so row i is loan i.
            double p = pd(i), q = book.Classes[book.ClassOf[i]].Pd;
            realised = Math.Max(realised, Math.Abs(q - p) / p);
            bound += book.Amount[i] * book.LgdValues[i] * book.TermYears[i] * Math.Abs(q - p);
            expected += book.Amount[i] * book.LgdValues[i] * p;
        }
        Assert.Multiple(() =>
        {
            Assert.That(realised, Is.LessThanOrEqualTo(allowance), "every loan's PD moved by at most the allowance");
            Assert.That(s.RealisedMaxRelativeChange, Is.EqualTo(realised));
            Assert.That(s.DistinctPds, Is.EqualTo(n));
            Assert.That(s.Grades, Is.LessThan(n), "grading merges");
            // Geometric cells of ratio (1 + e)/(1 − e) cover 0.05%..15% in ln 300 / ln((1 + e)/(1 − e)) grades; a greedy cut needs at most twice that.
            Assert.That(s.Grades, Is.LessThanOrEqualTo(2 * Math.Log(300) / Math.Log((1 + allowance) / (1 - allowance)) + 2));
            Assert.That(s.ExpectedLossExact, Is.EqualTo(expected).Within(1e-12 * expected));
            Assert.That(s.ExpectedLossGraded, Is.EqualTo(expected).Within(1e-12 * expected), "amount × LGD weights keep Σ amount × LGD × PD");
            Assert.That(s.MeanLossBound, Is.EqualTo(bound).Within(1e-9 * bound));
            Assert.That(s.MeanLossBound, Is.LessThanOrEqualTo(allowance * 4 * expected), "bound ≤ e × Σ amount × LGD × term × PD ≤ e × 4 × expected loss");
        });
    }

    [Test]
    public void Grade_DifferentLoadings_KeepOwnClasses()
    {
        // Two loadings on one PD grid: grading merges PDs within a set of loadings, never across.
        File.WriteAllLines(Path.Combine(_dir, "two.csv"), Enumerable.Range(0, 400)
            .Select(i => $"L{i},1e5,{F(0.02 * (1 + 1e-4 * (i / 2)))},0.5,1,1,{(i % 2 == 0 ? "0.1" : "0.3")}")
            .Prepend("id,amount,pd,lgd,termYears,startYear,rho"));
        var g = Load("two.csv", Grading(0.05)).Guarantees[0];
        var book = (TapeBook)g.Book;
        Assert.That(g.PdGrading!.ClassesBefore, Is.EqualTo(400));
        Assert.That(book.Classes, Has.Count.EqualTo(2));
        Assert.That(book.Classes.Select(c => c.Loadings[0]), Is.EquivalentTo(new[] { Math.Sqrt(0.1), Math.Sqrt(0.3) }));
        Assert.That(g.PdGrading.Grades, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void Run_GradedContinuousTape_MeanLossWithinBoundOfExactRun()
    {
        // One-year loans, nothing limits issuance: the graded tape's mean loss is the exact expected loss (the amount × LGD
        // weights keep it) and differs from the exact run's by at most the reported bound plus Monte Carlo error of the
        // paired difference (both runs draw the same numbers per loan).
        const double allowance = 0.05;
        Tape("continuous.csv", 3000, ContinuousPds(5));
        var exact = Run(Load("continuous.csv", trials: 20_000));
        var gradedScenario = Load("continuous.csv", Grading(allowance), trials: 20_000);
        var graded = Run(gradedScenario);
        var s = gradedScenario.Guarantees[0].PdGrading!;
        var diff = graded.Loss.Zip(exact.Loss, (a, b) => a - b).ToList();
        double mean = diff.Average(), se = Math.Sqrt(diff.Sum(d => (d - mean) * (d - mean)) / (diff.Count - 1) / diff.Count);
        Assert.That(diff.Any(d => d != 0), "grading changed some trials");
        Assert.That(Math.Abs(mean), Is.LessThanOrEqualTo(s.MeanLossBound + 4 * se), $"paired difference {mean} ± {se}, bound {s.MeanLossBound}");
        Assert.That(s.MeanLossBound, Is.LessThanOrEqualTo(allowance * s.ExpectedLossExact * (1 + 1e-12)), "one-year tape: bound ≤ e × expected loss");
        var loss = graded.Result.Guarantees[0].Loss;
        Exact.WithinStandardErrors(loss.Mean, s.ExpectedLossExact, loss.StandardErrors.Mean, what: "graded mean loss against the exact expected loss");
    }

    [Test]
    public void Run_GradedTape_EveryTrialBetweenPdsScaledDownAndUp()
    {
        // Defaults are monotone in each PD with the draws fixed, and the graded PD lies in [pd (1 − e), pd (1 + e)]: with no
        // limit, every trial's loss lies between those of the tapes with every PD scaled by 1 − e and 1 + e (a hair wider
        // against rounding), and so does every quantile of the loss.
        const double allowance = 0.02, hair = 1e-12;
        var pd = ContinuousPds(7);
        Tape("mid.csv", 2000, pd, i => 1 + i % 3, i => 1 + i % 2);
        Tape("low.csv", 2000, i => pd(i) * (1 - allowance) * (1 - hair), i => 1 + i % 3, i => 1 + i % 2);
        Tape("high.csv", 2000, i => pd(i) * (1 + allowance) * (1 + hair), i => 1 + i % 3, i => 1 + i % 2);
        var low = Run(Load("low.csv"));
        var high = Run(Load("high.csv"));
        var graded = Run(Load("mid.csv", Grading(allowance)));
        int inside = 0;
        for (int t = 0; t < graded.Loss.Count; t++)
        {
            if (low.Loss[t] <= graded.Loss[t] && graded.Loss[t] <= high.Loss[t]) inside++;
        }
        Assert.That(inside, Is.EqualTo(graded.Loss.Count), "trials whose graded loss lies between the scaled tapes' losses");
        Assert.That(high.Loss.Sum(), Is.GreaterThan(low.Loss.Sum()), "the scaled tapes differ");
        var (l, g, h) = (low.Result.Guarantees[0].Loss, graded.Result.Guarantees[0].Loss, high.Result.Guarantees[0].Loss);
        Assert.That(g.P99, Is.InRange(l.P99, h.P99));
        Assert.That(g.Es99, Is.InRange(l.Es99, h.Es99));
    }

    private static string Scheme(string body) => $$"""{ "name": "v", "factors": [ { "name": "macro" } ], "guarantees": [ { "name": "g", {{body}} } ] }""";

    [TestCase("-0.1")]
    [TestCase("0")]
    [TestCase("1")]
    [TestCase("1.5")]
    public void Validate_MaxRelativeErrorOutOfRange_ReportedWithPathValueAndRange(string value)
    {
        var e = TestScenarios.Errors(Scheme($$"""
            "loanTape": "none.csv", "pdGrading": { "maxRelativeError": {{value}} }, "shares": { "bank": 1 }
            """)).Single(x => x.Path == "$.guarantees[0].pdGrading.maxRelativeError");
        Assert.That(e.Message, Is.EqualTo($"value {value} is out of range; allowed: a number > 0 and < 1"));
    }

    [Test]
    public void Validate_GradingWithGeneratedLoans_Rejected()
    {
        var e = TestScenarios.Errors(Scheme("""
            "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.02 }, "pdGrading": { "maxRelativeError": 0.01 }, "shares": { "bank": 1 }
            """)).Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees[0].pdGrading"));
        Assert.That(e.Message, Does.Contain("grades the PDs of a loan tape").And.Contain("remove pdGrading"));
    }

    [Test]
    public void Validate_GradingWithoutAllowance_Required()
    {
        var e = TestScenarios.Errors(Scheme("""
            "loanTape": "none.csv", "pdGrading": { }, "shares": { "bank": 1 }
            """));
        Assert.That(e.Select(x => (x.Path, x.Message)), Has.Some.Matches<(string Path, string Message)>(x => x.Path == "$.guarantees[0].pdGrading" && x.Message.Contains("maxRelativeError")),
            () => string.Join("\n", e));
    }

    [Test]
    public void Cli_BadGrading_ExitsTwoWithFileAndPathAndLeavesNoFolder()
    {
        Tape("book.csv", 10, _ => 0.02);
        string file = Path.Combine(_dir, "bad-grading.json");
        File.WriteAllText(file, """
            { "name": "badgrading", "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "t", "loanTape": "book.csv", "pdGrading": { "maxRelativeError": -0.01 }, "shares": { "bank": 1 } },
                              { "name": "l", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.02 }, "pdGrading": { "maxRelativeError": 0.01 }, "shares": { "bank": 1 } } ] }
            """);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = CliRunner.Run("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain("bad-grading.json:3:").And.Contain("$.guarantees[0].pdGrading.maxRelativeError")
            .And.Contain("value -0.01 is out of range; allowed: a number > 0 and < 1")
            .And.Contain("$.guarantees[1].pdGrading").And.Contain("grades the PDs of a loan tape"));
        Assert.That(Directory.Exists(Path.Combine(output, "badgrading")), Is.False);
    }

    [Test]
    public void Cli_GradedTape_SummaryReportsGradingAndPlainSchemeNothing()
    {
        Tape("book.csv", 500, ContinuousPds(3));
        string file = Path.Combine(_dir, "graded.json");
        File.WriteAllText(file, """
            { "name": "graded", "simulation": { "trials": 500 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "t", "loanTape": "book.csv", "pdGrading": { "maxRelativeError": 0.01 }, "shares": { "bank": 1 } },
                              { "name": "u", "loanTape": "book.csv", "shares": { "bank": 1 } } ] }
            """);
        string output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = CliRunner.Run("run", file, "--out", output, "--trials-csv", "none", "--no-xlsx");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "graded", "summary.json")));
        var schemes = json.RootElement.GetProperty("guarantees");
        var grading = schemes[0].GetProperty("pdGrading");
        Assert.Multiple(() =>
        {
            Assert.That(grading.GetProperty("maxRelativeError").GetDouble(), Is.EqualTo(0.01));
            Assert.That(grading.GetProperty("distinctPds").GetProperty("before").GetInt32(), Is.EqualTo(500));
            Assert.That(grading.GetProperty("distinctPds").GetProperty("after").GetInt32(), Is.InRange(2, 499));
            Assert.That(grading.GetProperty("realisedMaxRelativeChange").GetDouble(), Is.InRange(0.0, 0.01));
            Assert.That(grading.GetProperty("expectedLoss").GetProperty("graded").GetDouble(),
                Is.EqualTo(grading.GetProperty("expectedLoss").GetProperty("exact").GetDouble()).Within(1e-9).Percent);
            Assert.That(grading.GetProperty("meanLossBound").GetDouble(), Is.GreaterThan(0));
            Assert.That(grading.GetProperty("rule").GetString(), Does.Contain("weighted mean"));
            Assert.That(schemes[1].TryGetProperty("pdGrading", out _), Is.False, "a scheme without pdGrading reports nothing");
            Assert.That(stdout, Does.Contain("t: PDs graded: 500 distinct PDs in"));
            Assert.That(File.ReadAllText(Path.Combine(output, "graded", "report.html")), Does.Contain("PD grading").And.Contain("exact (none)"));
        });
    }
}
