using Simulator.Reporting.Plots;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Reporting;

public class ResultPlotsTests
{
    private const string Json = """
        { "name": "p", "title": "武汉 plots", "simulation": { "trials": 2000, "seed": 1 },
          "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.5 } },
                     { "name": "never", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "tolerance": 1.0 },
                     { "name": "always", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "tolerance": 0.0, "outcomes": "zero" } ],
          "outcomes": { "zero": { "writeOff": 1 } } }
        """;

    [Test]
    public void WriteAll_EdgeProbabilities_WritesEveryPlotAsPng()
    {
        using var temp = new TempDirectory("simulator-plots");
        string dir = Path.Combine(temp.Path, "plots");
        {
            var result = TestScenarios.Run(Json);
            Assert.That(result.Funds[1].Breach.Probability, Is.Zero);
            Assert.That(result.Funds[2].Breach.Probability, Is.EqualTo(1));
            var files = ResultPlots.WriteAll(result, dir);
            Assert.That(files, Is.EqualTo(new[] { "lossratio-s.png", "lossratio-never.png", "lossratio-always.png", "exceedance.png", "breach.png" }));
            foreach (var f in files)
            {
                var bytes = File.ReadAllBytes(Path.Combine(dir, f));
                Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), f);
                Assert.That(bytes.Length, Is.GreaterThan(10_000), $"{f} looks empty");
            }
        }
    }

    [Test]
    public void WriteAll_Guarantees_WritesFourChartsPerSchemeAndSkipsCapitalWithoutGuarantor()
    {
        using var temp = new TempDirectory("simulator-gplots");
        var result = TestScenarios.Run("""
            { "name": "g", "title": "担保 plots", "simulation": { "trials": 2000, "seed": 2 }, "factors": [ { "name": "macro" } ],
              "guarantees": [
                { "name": "with", "loans": { "perYear": 50, "years": 3, "amount": 1e6, "termYears": 2, "pd": 0.05, "lgd": 0.6, "exposure": { "macro": 0.4 } },
                  "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 }, "guarantor": { "capital": 1e7 },
                  "government": { "budget": 1e6 } },
                { "name": "pool", "loans": { "perYear": 50, "years": 3, "amount": 1e6, "pd": 0.05 },
                  "shares": { "bank": 0.4, "government": 0.6 }, "government": { "budget": 2e6, "shortfallTo": "bank" } } ] }
            """);
        var files = ResultPlots.WriteAll(result, temp.Path);
        Assert.That(files, Is.EqualTo(new[]
        {
            "loss-with.png", "parties-with.png", "capital-with.png", "exhaustion-with.png",
            "loss-pool.png", "parties-pool.png", "exhaustion-pool.png",
        }));
        foreach (var f in files) Assert.That(new FileInfo(Path.Combine(temp.Path, f)).Length, Is.GreaterThan(10_000), f);
    }

    [Test]
    public void WriteAll_ParallelOrOneAtATime_SameFilesInTheSameOrderWithTheSameBytes()
    {
        // Every kind of chart: funds with a programme, a scheme with a guarantor, a precision target; Chinese text
        // so both font families and the CJK baseline correction are used from several threads at once.
        var result = TestScenarios.Run("""
            { "name": "par", "title": "武汉 parallel", "simulation": { "trials": 20000, "seed": 7, "precision": { "relativeError": 0.5, "checkEvery": 4096 } },
              "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "seed", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.5 } },
                         { "name": "angel", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6 },
                         { "name": "direct", "type": "direct", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
              "guarantees": [
                { "name": "scheme", "loans": { "perYear": 50, "years": 3, "amount": 1e6, "termYears": 2, "pd": 0.05, "lgd": 0.6, "exposure": { "macro": 0.4 } },
                  "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 }, "guarantor": { "capital": 1e7 },
                  "government": { "budget": 1e6 } } ] }
            """);
        using var temp = new TempDirectory("simulator-parallel");
        string serial = Path.Combine(temp.Path, "serial"), parallel = Path.Combine(temp.Path, "parallel");

        var one = ResultPlots.WriteAll(result, serial, threads: 1);
        // While the warm-up draws too: it shares the font caches with the charts and must not change them.
        var warmUp = PlotWarmUp.Start();
        var many = ResultPlots.WriteAll(result, parallel, threads: 4);
        Assert.That(warmUp.Wait(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(warmUp.IsCompletedSuccessfully, Is.True, "the warm-up never faults");

        Assert.That(one, Is.EqualTo(new[]
        {
            "lossratio-seed.png", "lossratio-angel.png", "lossratio-direct.png", "exceedance.png", "breach.png",
            "loss-scheme.png", "parties-scheme.png", "capital-scheme.png", "exhaustion-scheme.png", "convergence.png",
        }));
        Assert.That(many, Is.EqualTo(one));
        Assert.That(Directory.GetFiles(parallel).Length, Is.EqualTo(one.Count));
        foreach (string f in one)
            Assert.That(File.ReadAllBytes(Path.Combine(parallel, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(serial, f))), f);
    }

    [Test]
    public void ComparisonPlots_ParallelOrOneAtATime_SameBytes()
    {
        using var temp = new TempDirectory("simulator-parallel");
        // Named variants and a sensitivity analysis: a stacked comparison chart and a tornado.
        var (_, comparison, _) = HtmlTestSupport.RunInto(HtmlTestSupport.Example("allocation-shift.json", 2000), Path.Combine(temp.Path, "run"));
        string serial = Path.Combine(temp.Path, "serial"), parallel = Path.Combine(temp.Path, "parallel");

        var one = ComparisonPlots.WriteAll(comparison!, serial, threads: 1);
        var many = ComparisonPlots.WriteAll(comparison!, parallel, threads: 2);

        Assert.That(one, Is.EqualTo(new[] { ComparisonPlots.ComparisonFile, ComparisonPlots.TornadoFile }));
        Assert.That(many, Is.EqualTo(one));
        foreach (string f in one)
            Assert.That(File.ReadAllBytes(Path.Combine(parallel, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(serial, f))), f);
    }

    [Test]
    public void PartiesLegend_PoolWithBudgetAndCap_NamesTheBudgetsUnit()
    {
        var result = TestScenarios.Run("""
            { "name": "g", "simulation": { "trials": 100, "seed": 2 },
              "guarantees": [ { "name": "s", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.05 },
                                "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 5e7, "capRate": 0.05, "shortfallTo": "bank" } } ] }
            """);
        var (_, notes) = GuaranteePartiesChart.LegendEntries(result.Guarantees[0].Guarantee);
        Assert.That(notes[0], Is.EqualTo("Pool limit: budget 50.0 million CNY, cap 5% of amount guaranteed"));
    }

    [Test]
    public void ConvergenceSeries_OneFundAndItsProgramme_DrawnAsOneCurve()
    {
        // A single fund and its programme have the same running estimates: drawn apart, one curve hid the other.
        var result = TestScenarios.Run("""
            { "name": "p", "simulation": { "trials": 40000, "seed": 4, "precision": { "relativeError": 0.03, "checkEvery": 8192 } },
              "funds": [ { "name": "solo", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }
            """);
        var series = ConvergenceChart.Series(result.Precision!);
        Assert.That(series, Is.EqualTo(new[]
        {
            new[] { "solo.breachProbability", "programme.breachProbability" },
            new[] { "solo.p99LossRatio", "programme.p99LossRatio" },
        }));
    }

    [Test]
    public void ExhaustionChart_OneYearBook_IsAFigureNotAPlotOfOnePoint()
    {
        using var temp = new TempDirectory("simulator-oneyear");
        var result = TestScenarios.Run("""
            { "name": "y", "simulation": { "trials": 2000, "seed": 3 },
              "guarantees": [ { "name": "short", "loans": { "perYear": 100, "years": 1, "amount": 1e6, "termYears": 1, "pd": 0.05 },
                                "shares": { "guarantor": 0.5, "government": 0.5 }, "guarantor": { "capital": 2e7 }, "government": { "budget": 1e6 } } ] }
            """);
        Assert.That(GuaranteeExhaustionChart.IsSingleYear(result.Guarantees[0]), Is.True);
        ResultPlots.WriteAll(result, temp.Path);
        using var codec = SkiaSharp.SKCodec.Create(Path.Combine(temp.Path, "exhaustion-short.png"));
        Assert.That(codec.Info.Height, Is.EqualTo(GuaranteeExhaustionChart.SingleYearHeight));
        var caption = Simulator.Reporting.Html.PlotCaptions.Describe("exhaustion-short.png", result, null);
        Assert.That(caption.Caption, Does.Contain("runs a single year"));
    }
}
