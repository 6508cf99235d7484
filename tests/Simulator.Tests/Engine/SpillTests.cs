using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Core.Instruments;

namespace Simulator.Tests.Engine;

/// <summary>
/// Runs whose per-trial series spill to temporary files (a zero memory budget, small selection windows) give
/// byte-identical result files to runs that keep everything in memory, and leave no temporary file behind after
/// success, failure or cancellation.
/// </summary>
public class SpillTests
{
    private static string Scenario(int trials, string sampling = "false", string precision = "") => $$"""
        { "name": "spill", "simulation": { "trials": {{trials}}, "seed": 17, "importanceSampling": {{sampling}} {{precision}} },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
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
          "report": { "lossRatios": [0.5], "exceedance": [2e6] },
          "variants": [ { "name": "tight", "set": { "policy.tolerance.seed": 0.6, "guarantees[g].government.budget": 3e5 } } ] }
        """;

    /// <summary>The result files of a run, as text.</summary>
    private static Dictionary<string, string> Files(SimulationResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        SummaryJsonWriter.Write(result, Path.Combine(folder, "summary.json"));
        FundsCsvWriter.Write(result, Path.Combine(folder, "funds.csv"));
        GuaranteesCsvWriter.Write(result, Path.Combine(folder, "guarantees.csv"));
        return new[] { "summary.json", "funds.csv", "guarantees.csv" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f)));
    }

    private static (SimulationResult Result, Dictionary<string, string> Files, IReadOnlyList<FigureComparison> Comparison) Run(Scenario s, SeriesBudget budget, bool small, string folder)
    {
        int window = SeriesOrder.WindowCapacity, collect = SeriesOrder.CollectCapacity;
        try
        {
            if (small)
            {
                SeriesOrder.WindowCapacity = 5_000;
                SeriesOrder.CollectCapacity = 2_000;
            }
            using var baseCapture = new KeyFigureCapture(s, budget);
            var result = new SimulationEngine().Run(s, new RunOptions(2) { Memory = budget }, [baseCapture]);
            using var variantCapture = new KeyFigureCapture(s.Variants[0].Scenario, budget);
            var variant = s.Variants[0].Scenario.WithRunSettings((int)result.Trials, null) with { Precision = null, ImportanceSampling = result.Scenario.ImportanceSampling };
            new SimulationEngine().Run(variant, new RunOptions(2) { Memory = budget }, [variantCapture]);
            var comparison = PairedComparison.Compare(baseCapture, variantCapture);
            return (result, Files(result, folder), comparison);
        }
        finally
        {
            SeriesOrder.WindowCapacity = window;
            SeriesOrder.CollectCapacity = collect;
        }
    }

    [TestCase(70_000, "false", "", TestName = "Run_SpilledSeries_ResultFilesByteIdentical(plain, 70,000 trials)")]
    [TestCase(30_000, "{ \"shift\": { \"macro\": -1 } }", "", TestName = "Run_SpilledSeries_ResultFilesByteIdentical(importance sampling)")]
    [TestCase(60_000, "false", ", \"precision\": { \"relativeError\": 0.03, \"checkEvery\": 4096 }", TestName = "Run_SpilledSeries_ResultFilesByteIdentical(precision target)")]
    [Category("Slow")]
    public void Run_SpilledSeries_ResultFilesByteIdentical(int trials, string sampling, string precision)
    {
        var s = TestScenarios.Load(Scenario(trials, sampling, precision));
        using var temp = new TempDirectory("simulator-spill");
        var memory = new SeriesBudget(1L << 32, temp.Path);
        var spill = new SeriesBudget(0, temp.Path);
        var a = Run(s, memory, small: false, Path.Combine(temp.Path, "memory"));
        var b = Run(s, spill, small: true, Path.Combine(temp.Path, "spill"));
        Assert.That(memory.SpilledSeries, Is.Zero, "the large budget keeps every series in memory");
        Assert.That(spill.SpilledSeries, Is.GreaterThan(10), "the zero budget spills every series");
        Assert.That(spill.OpenFiles + memory.OpenFiles, Is.Zero, "every temporary file is closed");
        foreach (var (file, text) in a.Files) Assert.That(b.Files[file], Is.EqualTo(text), $"{file} differs when series spill");
        Assert.That(b.Comparison.Select(c => (c.Figure.Name, c.Estimate.Value, c.Difference.Value, c.Difference.StandardError, c.Estimate.StandardError)),
            Is.EqualTo(a.Comparison.Select(c => (c.Figure.Name, c.Estimate.Value, c.Difference.Value, c.Difference.StandardError, c.Estimate.StandardError))), "paired comparisons differ when series spill");
        Assert.That(a.Comparison.Where(c => c.Figure.Kind == FigureKind.Quantile99).Select(c => c.Difference.StandardError), Has.Some.GreaterThan(0));
        if (precision.Length > 0) Assert.That(a.Result.Precision!.History, Has.Count.GreaterThan(1));
        // The distributions behind the charts: exact counts at the charts' points either way.
        var (x, y) = (a.Result.Funds[0].LossRatios, b.Result.Funds[0].LossRatios);
        Assert.That(y.IsExact, Is.EqualTo(trials <= TrialDistribution.ExactLimit));
        foreach (double p in TrialDistribution.LossRatioGrid()) Assert.That(y.CountAbove(p), Is.EqualTo(x.CountAbove(p)));
        Assert.That(b.Result.Guarantees[0].Losses.Max, Is.EqualTo(a.Result.Guarantees[0].Losses.Max));
    }

    private sealed class FailingSink(int afterRows, Action fail) : ITrialSink
    {
        private long _rows;

        public void Begin(TrialLayout layout) { }

        public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
        {
            _rows += rows.Length / columns;
            if (_rows >= afterRows) fail();
        }

        public void Complete() { }
    }

    /// <summary>Temporary files of this process that point into <paramref name="folder"/> (Linux: open descriptors,
    /// including files already unlinked; elsewhere: the folder's entries).</summary>
    private static List<string> OpenTemporaryFiles(string folder)
    {
        var found = Directory.GetFiles(folder, "*.series", SearchOption.AllDirectories).ToList();
        if (OperatingSystem.IsLinux())
        {
            foreach (var fd in Directory.GetFiles("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(folder, StringComparison.Ordinal)) found.Add(target);
                }
                catch (IOException)
                {
                    // A descriptor closed while listing.
                }
            }
        }
        return found;
    }

    [Test]
    public void TemporaryFiles_RemovedAfterSuccessFailureAndCancellation()
    {
        var s = TestScenarios.Load(Scenario(20_000));
        using var temp = new TempDirectory("simulator-spill-files");
        var budget = new SeriesBudget(0, temp.Path);

        // Success: the engine's series go with the run; a capture's stay until it is disposed.
        var capture = new KeyFigureCapture(s, budget);
        new SimulationEngine().Run(s, new RunOptions(2) { Memory = budget }, [capture]);
        Assert.That(budget.OpenFiles, Is.GreaterThan(0), "the capture keeps its series for the comparisons");
        Assert.That(OpenTemporaryFiles(temp.Path), Is.Not.Empty);
        capture.Dispose();
        Assert.That(budget.OpenFiles, Is.Zero);
        Assert.That(OpenTemporaryFiles(temp.Path), Is.Empty);

        // Failure in a sink part-way through.
        int spilled = budget.SpilledSeries;
        Assert.Throws<InvalidOperationException>(() => new SimulationEngine().Run(s, new RunOptions(2) { Memory = budget },
            [new FailingSink(10_000, () => throw new InvalidOperationException("disk full"))]));
        Assert.That(budget.SpilledSeries, Is.GreaterThan(spilled));
        Assert.That(budget.OpenFiles, Is.Zero);
        Assert.That(OpenTemporaryFiles(temp.Path), Is.Empty);

        // Cancellation part-way through.
        using var cancel = new CancellationTokenSource();
        Assert.That(() => new SimulationEngine().Run(s, new RunOptions(2) { Memory = budget }, [new FailingSink(10_000, cancel.Cancel)], cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(budget.OpenFiles, Is.Zero);
        Assert.That(OpenTemporaryFiles(temp.Path), Is.Empty);
        Assert.That(budget.InUse, Is.Zero);
    }
}
