using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Simulator.Core.Engine;
using Simulator.Reporting;
using Simulator.Reporting.Html;
using Simulator.Tests.Support;
using static Simulator.Tests.Reporting.HtmlTestSupport;
using Simulator.Core.Funds;

namespace Simulator.Tests.Reporting;

/// <summary>report.html: the figures a fund manager reads must be the ones in summary.json, and the page must stand alone.</summary>
public class HtmlReportTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string Combined = """
        { "name": "html", "title": "武汉容错 <b>html</b> test", "description": "Funds & guarantees on one factor.",
          "simulation": { "trials": 3000, "seed": 5 },
          "factors": [ { "name": "macro", "persistence": 0.5, "description": "cycle" } ],
          "stresses": [ { "use": "macro-downturn", "fromYear": 2 } ],
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 2e8, "deals": 20, "check": { "lognormal": { "median": 8e6, "sigma": 0.5 } },
                       "exposure": { "macro": 0.5 }, "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.06 }, "concession": 0.5 },
                     { "name": "angel-b", "type": "angel", "commitment": 2e8, "deals": 20, "check": { "uniform": [5e6, 1.5e7] }, "exposure": { "macro": 0.4 } },
                     { "name": "direct", "type": "direct", "commitment": 5e7, "deals": 10, "check": 5e6, "governmentShare": 1 } ],
          "guarantees": [ { "name": "sme", "loans": { "perYear": 100, "years": 3, "amount": { "lognormal": { "median": 3e6, "sigma": 0.8 } }, "maxPerBorrower": 3e7,
                                                      "termYears": 2, "pd": 0.05, "lgd": { "beta": { "mean": 0.6, "sd": 0.2 } }, "exposure": { "macro": 0.35 } },
                            "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                            "guarantor": { "capital": 1e8, "feeRate": 0.008 }, "government": { "budget": 1e7, "capRate": 0.05 } } ],
          "report": { "lossRatios": [0.5], "exceedance": [5e7] } }
        """;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-html");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private (SimulationResult Result, IReadOnlyList<string> Plots, string Folder, string Html) Write(string json, string folderName = "r")
    {
        string folder = Path.Combine(_temp.Path, folderName);
        var (result, comparison, plots) = RunInto(TestScenarios.Load(json), folder);
        string path = ScenarioReport.Write(result, comparison, plots, folder);
        Assert.That(path, Is.EqualTo(Path.Combine(folder, "report.html")));
        return (result, plots, folder, File.ReadAllText(path));
    }

    // The documented formats, written out independently of the report's code: probabilities in percent with two
    // decimals, loss ratios with one, more where two significant digits need them; rounded half away from zero from
    // the shortest text that reads back as the double (the CSV's number).
    private static string? Pct(double x, int decimals)
    {
        decimal percent = decimal.Parse(x.ToString("R", Invariant), NumberStyles.Float, Invariant) * 100;
        // |percent| < 10^(1 − k) needs k + 1 decimals for two significant digits.
        for (int k = 0; percent != 0 && Math.Abs(percent) < (decimal)Math.Pow(10, 1 - k); k++) decimals = Math.Max(decimals, k + 1);
        return Math.Round(percent, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, Invariant) + "%";
    }

    private static string Million(double x) => (x / 1e6).ToString("N1", Invariant);

    private static void AssertCell(HtmlCell cell, double expected, string? text, string what)
    {
        Assert.That(cell.Value, Is.Not.Null, $"{what}: no data-v");
        Assert.That(double.Parse(cell.Value!, Invariant), Is.EqualTo(expected), $"{what}: value");
        if (text is not null) Assert.That(cell.Text, Is.EqualTo(text), $"{what}: text");
    }

    private static double D(JsonElement e) => e.GetDouble();

    [Test]
    public void Write_FundsAndProgramme_KeyFiguresMatchSummaryJson()
    {
        var (_, _, folder, html) = Write(Combined);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        foreach (var fund in summary.RootElement.GetProperty("funds").EnumerateArray())
        {
            string name = fund.GetProperty("name").GetString()!;
            var row = Row(html, "key-funds", name);
            var breach = fund.GetProperty("breach");
            var ci = breach.GetProperty("ci95").EnumerateArray().Select(D).ToArray();
            AssertCell(row[2], D(fund.GetProperty("tolerance")), null, $"{name} tolerance");
            AssertCell(row[3], D(breach.GetProperty("probability")), Pct(D(breach.GetProperty("probability")), 2), $"{name} P(breach)");
            if (Pct(ci[0], 2) is { } low && Pct(ci[1], 2) is { } high) Assert.That(row[4].Text, Is.EqualTo($"{low} – {high}"), $"{name} interval");
            AssertCell(row[5], D(fund.GetProperty("lossRatio").GetProperty("mean")), Pct(D(fund.GetProperty("lossRatio").GetProperty("mean")), 1), $"{name} mean loss ratio");
            AssertCell(row[6], D(fund.GetProperty("lossRatio").GetProperty("p99")), Pct(D(fund.GetProperty("lossRatio").GetProperty("p99")), 1), $"{name} p99 loss ratio");
        }
        var programme = summary.RootElement.GetProperty("programme");
        var p = Row(html, "key-funds", "programme");
        AssertCell(p[2], D(programme.GetProperty("tolerance").GetProperty("mean")), null, "programme tolerance");
        AssertCell(p[3], D(programme.GetProperty("breach").GetProperty("probability")), Pct(D(programme.GetProperty("breach").GetProperty("probability")), 2), "programme P(breach)");
        AssertCell(p[5], D(programme.GetProperty("lossRatio").GetProperty("mean")), Pct(D(programme.GetProperty("lossRatio").GetProperty("mean")), 1), "programme mean");
        AssertCell(p[6], D(programme.GetProperty("lossRatio").GetProperty("p99")), Pct(D(programme.GetProperty("lossRatio").GetProperty("p99")), 1), "programme p99");
    }

    [Test]
    public void Write_Guarantees_KeyFiguresMatchSummaryJson()
    {
        var (_, _, folder, html) = Write(Combined);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        var g = summary.RootElement.GetProperty("guarantees")[0];
        var row = Row(html, "key-guarantees", "sme");
        var loss = g.GetProperty("loss");
        AssertCell(row[1], D(loss.GetProperty("mean")), Million(D(loss.GetProperty("mean"))), "mean loss");
        AssertCell(row[2], D(loss.GetProperty("p99")), Million(D(loss.GetProperty("p99"))), "p99 loss");
        AssertCell(row[3], D(loss.GetProperty("es99")), Million(D(loss.GetProperty("es99"))), "es99 loss");
        double cost = D(g.GetProperty("governmentCost").GetProperty("mean"));
        AssertCell(row[4], cost, Million(cost), "government cost");
        foreach (var (column, field) in new[] { (5, "governmentExhausted"), (6, "guarantorInsolvent"), (7, "suspended") })
        {
            double x = D(g.GetProperty(field).GetProperty("probability"));
            AssertCell(row[column], x, Pct(x, 2), field);
        }
        double leverage = D(g.GetProperty("fiscalLeverage"));
        AssertCell(row[8], leverage, leverage.ToString("N1", Invariant) + "×", "fiscal leverage");
    }

    [Test]
    public void Write_Tables_MatchFundsCsvAndGuaranteesCsv()
    {
        var (_, _, folder, html) = Write(Combined);
        var funds = File.ReadAllLines(Path.Combine(folder, "funds.csv")).Select(l => l.Split(',')).ToList();
        var header = funds[0].ToList();
        foreach (var line in funds.Skip(1))
        {
            var lossRow = Row(html, "funds-loss", line[0]);
            string[] loss = ["mean", "sd", "p50", "p90", "p95", "p99", "p999", "es99"];
            for (int k = 0; k < loss.Length; k++)
                Assert.That(lossRow[2 + k].Value, Is.EqualTo(line[header.IndexOf($"lossRatio.{loss[k]}")]), $"{line[0]} lossRatio.{loss[k]}");
            var breachRow = Row(html, "funds-breach", line[0]);
            Assert.That(breachRow[1].Value, Is.EqualTo(line[header.IndexOf("breach.probability")]));
            Assert.That(breachRow[2].Value, Is.EqualTo(line[header.IndexOf("breach.standardError")]));
            Assert.That(breachRow[6].Value, Is.EqualTo(line[header.IndexOf("invested.mean")]));
            if (line[0] == "programme") continue;
            var multiple = Row(html, "funds-multiple", line[0]);
            Assert.That(multiple[1].Value ?? "", Is.EqualTo(line[header.IndexOf("netMultiple.privateLp.mean")]), $"{line[0]} private multiple");
            Assert.That(multiple[5].Value ?? "", Is.EqualTo(line[header.IndexOf("netMultiple.government.mean")]), $"{line[0]} government multiple");
            var irr = Row(html, "funds-irr", line[0]);
            Assert.That(irr[8].Value ?? "", Is.EqualTo(line[header.IndexOf("netIrr.government.p50")]), $"{line[0]} government IRR p50");
            Assert.That(irr[5].Value ?? "", Is.EqualTo(line[header.IndexOf("netIrr.privateLp.undefinedShare")]), $"{line[0]} private share without an IRR");
            Assert.That(irr[10].Value ?? "", Is.EqualTo(line[header.IndexOf("netIrr.government.undefinedShare")]), $"{line[0]} government share without an IRR");
        }
        Assert.That(Row(html, "funds-multiple", "direct")[1].Text, Is.EqualTo("—"), "a fund without private LPs shows a dash, not 0");

        var guarantees = File.ReadAllLines(Path.Combine(folder, "guarantees.csv")).Select(l => l.Split(',')).ToList();
        var gh = guarantees[0].ToList();
        var volume = Row(html, "guarantees-volume", "sme");
        Assert.That(volume[1].Value, Is.EqualTo(guarantees[1][gh.IndexOf("guaranteedAmount.mean")]));
        Assert.That(volume[4].Value, Is.EqualTo(guarantees[1][gh.IndexOf("governmentCost.mean")]));
        Assert.That(volume[6].Value, Is.EqualTo(guarantees[1][gh.IndexOf("fiscalLeverage")]));
        var parties = Rows(html, "guarantees-parties");
        Assert.That(parties.Select(r => r[1].Text), Is.EqualTo(new[] { "guarantor", "re-guarantee", "bank", "government pool" }));
        Assert.That(parties[3][3].Value, Is.EqualTo(guarantees[1][gh.IndexOf("government.mean")]));
        Assert.That(html, Does.Contain("Probability that the loss ratio exceeds").And.Contain("Probability that the credit loss exceeds"));
    }

    [Test]
    public void Write_EveryPlot_EmbeddedAsDataUriInOrderWithCaption()
    {
        var (_, plots, folder, html) = Write(Combined);
        Assert.That(plots, Has.Count.EqualTo(3 + 2 + 4), "3 histograms, exceedance, breach, 4 guarantee charts");
        var images = Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(images, Is.EqualTo(plots.Select(p => Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, p))))),
            "every plot embedded once, in the order given");
        var captions = Regex.Matches(html, "<figcaption>(.*?)</figcaption>").Select(m => Text(m.Groups[1].Value)).ToList();
        Assert.That(captions, Has.Count.EqualTo(plots.Count));
        Assert.That(captions, Has.All.Length.GreaterThan(60), "each chart says how to read it");
        Assert.That(captions[0], Does.Contain("Red line: the tolerance (80%); trials to its right breach it"));
        Assert.That(html.IndexOf("id=\"key-figures\"", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<img", StringComparison.Ordinal)), "key figures come first");
    }

    [Test]
    public void Write_Page_SelfContainedUtf8WithCjkFontsAndChecks()
    {
        var (_, _, folder, html) = Write(Combined);
        var bytes = File.ReadAllBytes(Path.Combine(folder, "report.html"));
        Assert.That(bytes.Take(3), Is.Not.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "no byte-order mark");
        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"zh\">"), "Chinese title: lang zh");
        Assert.That(html, Does.Contain("<meta charset=\"utf-8\">"));
        Assert.That(html, Does.Contain("\"Noto Sans CJK SC\"").And.Contain("\"Microsoft YaHei\"").And.Contain("\"PingFang SC\""));
        Assert.That(html, Does.Contain("武汉容错"), "Chinese stays readable text, not entities");
        Assert.That(html, Does.Not.Contain("\r"));
        Assert.That(Regex.IsMatch(html, @"(src|href)=""(?!data:|#)"), Is.False, "no reference to another file or the network");
        Assert.That(html, Does.Not.Contain("<link").And.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("@import"));
        Assert.That(html, Does.Contain("default-src 'none'"), "a content-security policy forbids network requests");
        Assert.That(html, Does.Contain("data-broken-images").And.Contain("data-script-errors"), "the page records its own problems for a headless check");
    }

    [Test]
    public void Write_EnglishTitle_PageIsEnglish()
    {
        var (_, _, _, html) = Write("""
            { "name": "en", "title": "Plain title", "simulation": { "trials": 500, "seed": 1 },
              "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }
            """);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"en\">"));
    }

    [Test]
    public void Write_TitleAndDescriptionWithMarkup_AreEncoded()
    {
        var (_, _, _, html) = Write("""
            { "name": "xss", "title": "<script>alert('t')</script> 武汉", "description": "<img src=x onerror=alert(1)> & \"q\"",
              "simulation": { "trials": 500, "seed": 1 },
              "factors": [ { "name": "macro", "description": "</td><script>alert(2)</script>" } ],
              "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.3 } } ] }
            """);
        Assert.That(html, Does.Not.Contain("<script>alert").And.Not.Contain("<img src=x"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; 武汉"));
        Assert.That(html, Does.Contain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"));
        Assert.That(Regex.Matches(html, "<script>").Count, Is.EqualTo(1), "only the page's own check script");
    }

    [Test]
    public void Write_SameScenarioTwice_IdenticalBytes()
    {
        var first = Write(Combined, "a");
        var second = Write(Combined, "b");
        Assert.That(File.ReadAllBytes(Path.Combine(second.Folder, "report.html")), Is.EqualTo(File.ReadAllBytes(Path.Combine(first.Folder, "report.html"))));
        Assert.That(first.Html, Does.Not.Contain(_temp.Path), "no local paths in the page");
    }

    [Test]
    public void Write_MissingPlotFile_ShowsNoteInsteadOfFailing()
    {
        var (result, _, folder, _) = Write(Combined);
        ScenarioReport.Write(result, null, ["breach.png", "lossratio-gone.png"], folder);
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.That(html, Does.Contain("Chart file lossratio-gone.png was not found."));
        Assert.That(Regex.Matches(html, "<img ").Count, Is.EqualTo(1));
    }

    [Test]
    public void Write_Inputs_ShowSpecAndMethodNote()
    {
        var (result, _, _, html) = Write(Combined);
        Assert.That(Row(html, "funds-inputs", "Commitment (million CNY)").Skip(1).Select(c => c.Text), Is.EqualTo(new[] { "200.0", "200.0", "50.0" }));
        Assert.That(Row(html, "funds-inputs", "Check (million CNY)").Skip(1).Select(c => c.Text),
            Is.EqualTo(new[] { "lognormal, median 8.0, σ 0.5", "uniform 5.0 – 15.0", "5.0" }));
        Assert.That(Row(html, "funds-inputs", "Tolerance").Skip(1).Select(c => c.Text), Is.EqualTo(new[] { "80%", "60%", "100% per project" }));
        Assert.That(Row(html, "outcomes-inputs", "Write-off").Count, Is.EqualTo(3), "the seed and angel presets used by the funds");
        Assert.That(Row(html, "guarantees-inputs", "Government pool").Skip(1).Single().Text, Is.EqualTo("20%"));
        Assert.That(Row(html, "guarantees-inputs", "Budget (million CNY)").Skip(1).Single().Text, Is.EqualTo("10.0"));
        Assert.That(html, Does.Contain("macro-downturn"), "stresses are listed");
        string method = Text(Regex.Match(html, "<section id=\"method\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value);
        Assert.That(method, Does.Contain("Trials: 3,000").And.Contain("seed 5").And.Contain($"Program version: {ProgramInfo.Version}")
            .And.Contain("Precision target: none").And.Contain("Importance sampling: not used"));
        Assert.That(result.Scenario.Variants, Is.Empty);
        Assert.That(method, Does.Contain("no variants"));
    }

    [Test]
    public void Write_VariantsAndSensitivity_DifferencesTornadoAndSensitivityTable()
    {
        var scenario = TestScenarios.Load("""
            { "name": "cmp", "title": "对比 comparison", "simulation": { "trials": 2000, "seed": 3 },
              "factors": [ { "name": "macro", "persistence": 0.5 } ],
              "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6, "exposure": { "macro": 0.5 } },
                         { "name": "angel-b", "type": "angel", "commitment": 1e8, "deals": 20, "check": 1e6, "exposure": { "macro": 0.5 } } ],
              "variants": [ { "name": "strict", "description": "tighter <rules>", "set": { "policy.tolerance.seed": 0.6 } } ],
              "sensitivity": { "output": "programme.breachProbability",
                               "inputs": [ { "path": "policy.tolerance.angel", "delta": 0.1 }, { "path": "funds[seed-a].exposure.macro", "delta": 0.2 } ] } }
            """);
        string folder = Path.Combine(_temp.Path, "cmp");
        var (result, comparison, plots) = RunInto(scenario, folder);
        Assert.That(comparison, Is.Not.Null);
        // The comparison charts may not exist yet; stand-ins make sure they land in the comparison section.
        File.Copy(Path.Combine(folder, "breach.png"), Path.Combine(folder, "comparison.png"), true);
        File.Copy(Path.Combine(folder, "exceedance.png"), Path.Combine(folder, "tornado.png"), true);
        var all = plots.Where(p => p is not "comparison.png" and not "tornado.png").Concat(["comparison.png", "tornado.png"]).ToList();
        ScenarioReport.Write(result, comparison, all, folder);
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));

        var section = Regex.Match(html, "<section id=\"comparison\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(section, Does.Contain("id=\"plot-comparison\"").And.Contain("id=\"plot-tornado\""));
        Assert.That(section.IndexOf("id=\"plot-tornado\"", StringComparison.Ordinal), Is.GreaterThan(section.IndexOf("<h3>Sensitivity of", StringComparison.Ordinal)),
            "the tornado sits with its table");
        Assert.That(Regex.Match(html, "<section id=\"charts\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value, Does.Not.Contain("plot-tornado"));

        Assert.That(Rows(html, "variants").Select(r => r[0].Text), Is.EqualTo(new[] { "strict" }), "sensitivity runs are not listed as variants");
        Assert.That(Row(html, "variants", "strict")[3].Text, Is.EqualTo("tighter <rules>"));
        var strict = comparison!.Find("strict")!;
        var figure = strict.Figures.Single(f => f.Figure.Name == "seed-a.breachProbability");
        var cells = Row(html, "compare-seed-a", "strict");
        Assert.That(double.Parse(cells[1].Value!, Invariant), Is.EqualTo(figure.Estimate.Value));
        Assert.That(double.Parse(cells[2].Value!, Invariant), Is.EqualTo(figure.Difference.Value));
        Assert.That(cells[2].Text, Is.EqualTo(string.Create(Invariant, $"+{figure.Difference.Value * 100:F2} ± {figure.Difference.StandardError * 100:F2} pt")));
        Assert.That(cells[2].Class, Does.Contain("sig"), "a tighter tolerance breaches far more often: more than two standard errors");
        Assert.That(Row(html, "compare-seed-a", "base")[2].Text, Is.EqualTo("—"));

        var sensitivity = Rows(html, "sensitivity");
        Assert.That(sensitivity.Select(r => r[0].Text), Is.EquivalentTo(new[] { "policy.tolerance.angel", "funds[seed-a].exposure.macro" }));
        var swings = sensitivity.Select(r => Math.Max(Math.Abs(double.Parse(r[6].Value!, Invariant)), Math.Abs(double.Parse(r[7].Value!, Invariant)))).ToList();
        Assert.That(swings, Is.Ordered.Descending, "largest swing first, as on a tornado");
        Assert.That(html, Does.Contain("<details>").And.Contain("sensitivity-runs-seed-a"), "every figure of the sensitivity runs, collapsed");
        Assert.That(html, Does.Contain("every variant (5) used the base&#39;s random numbers"));

        // The answer first (issue 18, item 14): the key figures open with what the variants change, and the chart's
        // heading is not the section's.
        string keyFigures = Regex.Match(html, "<section id=\"key-figures\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.That(keyFigures.IndexOf("id=\"key-variants\"", StringComparison.Ordinal), Is.GreaterThan(0)
            .And.LessThan(keyFigures.IndexOf("id=\"key-funds\"", StringComparison.Ordinal)));
        Assert.That(Rows(html, "key-variants").Select(r => r[0].Text), Is.EqualTo(new[] { "base", "strict" }));
        var programme = strict.Figures.Single(f => f.Figure.Name == "programme.breachProbability");
        Assert.That(Row(html, "key-variants", "strict")[1].Text, Is.EqualTo(
            $"{ComparisonSection.FormatValue(programme.Figure, programme.Estimate.Value)} ({ComparisonSection.FormatDifference(programme.Figure, programme.Difference.Value, programme.Difference.StandardError)})"));
        Assert.That(Text(keyFigures), Does.Contain("Largest change in the programme breach probability").And.Contain("Of the inputs moved one at a time"));
        Assert.That(Regex.Matches(html, "<h[23]>Variants compared</h[23]>"), Has.Count.EqualTo(1));
        string method = Text(Regex.Match(html, "<section id=\"method\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value);
        Assert.That(method, Does.Contain("Exact figures: summary.json, funds.csv and trials.csv (one row per trial) in the same folder; comparison.csv, sensitivity.csv and each variant"),
            "the files this folder has: funds but no guarantees");
    }

    [Test]
    public void Write_OneFund_NoProgrammeRowRepeatingTheFund()
    {
        var (_, _, folder, html) = Write("""
            { "name": "one", "simulation": { "trials": 1000, "seed": 3 },
              "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": 1e6, "pd": 0.05 },
                                "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 2e6, "shortfallTo": "bank" } } ],
              "funds": [ { "name": "solo", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6 } ] }
            """);
        Assert.That(Rows(html, "key-funds").Select(r => r[0].Text), Is.EqualTo(new[] { "solo" }));
        Assert.That(Rows(html, "funds-loss").Select(r => r[0].Text), Is.EqualTo(new[] { "solo" }));
        Assert.That(Text(html), Does.Contain("With one fund, the programme's life-cycle evaluation is the fund's own").And.Not.Contain("less often than its riskiest fund"));
        Assert.That(Text(html), Does.Contain("Breach probability, solo"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "funds.csv")), Does.Contain("\nprogramme,programme,"), "funds.csv keeps its programme row");
    }

    [Test]
    public void Write_GuaranteesOnly_MethodNoteListsTheFilesTheFolderHas()
    {
        var (_, _, _, html) = Write("""
            { "name": "g", "simulation": { "trials": 500, "seed": 3 },
              "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": 1e6, "pd": 0.05 },
                                "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 2e6, "shortfallTo": "bank" } } ] }
            """);
        string method = Text(Regex.Match(html, "<section id=\"method\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value);
        Assert.That(method, Does.Contain("Exact figures: summary.json, guarantees.csv and trials.csv (one row per trial) in the same folder."));
        Assert.That(method, Does.Not.Contain("funds.csv"));
    }

    [Test]
    public void Write_TwoPathSweep_GridOfHeadlineFigures()
    {
        var (_, _, _, html) = Write("""
            { "name": "sweep", "simulation": { "trials": 1000, "seed": 3 },
              "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6 },
                         { "name": "angel-b", "type": "angel", "commitment": 1e8, "deals": 20, "check": 1e6 } ],
              "sweep": { "policy.tolerance.seed": [0.6, 0.8], "policy.tolerance.angel": [0.5, 0.6, 0.7] } }
            """);
        var grid = Rows(html, "sweep-seed-a.breachProbability");
        Assert.That(grid.Select(r => r[0].Text), Is.EqualTo(new[] { "0.6", "0.8" }));
        Assert.That(grid.Select(r => r.Count), Has.All.EqualTo(4));
        var seed = grid.Select(r => double.Parse(r[1].Value!, Invariant)).ToList();
        Assert.That(seed[0], Is.GreaterThanOrEqualTo(seed[1]), "a higher seed tolerance never breaches more often");
        var angel = Rows(html, "sweep-angel-b.breachProbability")[0].Skip(1).Select(c => double.Parse(c.Value!, Invariant)).ToList();
        Assert.That(angel, Is.Ordered.Descending);
        Assert.That(html, Does.Contain("sweep-programme.breachProbability"));
    }

    [Test]
    public void Write_PrecisionTarget_MethodNoteAndConvergenceChart()
    {
        var (result, plots, _, html) = Write("""
            { "name": "prec", "title": "precision", "simulation": { "trials": 40000, "seed": 4, "precision": { "relativeError": 0.2, "checkEvery": 2048 } },
              "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }
            """);
        Assert.That(result.Precision, Is.Not.Null);
        string method = Text(Regex.Match(html, "<section id=\"method\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value);
        Assert.That(method, Does.Contain("Precision target: relative standard error at most 20%").And.Contain("checked every 2,048 trials"));
        Assert.That(method, Does.Contain(result.Precision!.Met
            ? $"met after {result.Trials.ToString("N0", Invariant)} of at most 40,000 trials"
            : "NOT met within the budget of 40,000 trials"));
        var simulation = Rows(html, "simulation")[0];
        Assert.That(simulation[0].Text, Is.EqualTo(result.Trials.ToString("N0", Invariant)), "trials run, not the budget");
        Assert.That(simulation[1].Text, Is.EqualTo("40,000"));
        Assert.That(plots, Does.Contain("convergence.png"));
        Assert.That(html, Does.Contain("id=\"plot-convergence\""));
        Assert.That(Regex.Match(html, "<figure id=\"plot-convergence\">.*?<figcaption>(.*?)</figcaption>", RegexOptions.Singleline).Groups[1].Value,
            Does.Contain("precision target"));
    }

    /// <summary>The method note of <see cref="Combined"/>'s report as if it had been importance-sampled over <paramref name="years"/> years.</summary>
    private string ShiftedMethodNote(int years)
    {
        var (result, plots, folder, _) = Write(Combined);
        var shifted = result with
        {
            Scenario = result.Scenario with { ImportanceSampling = new Simulator.Core.Statistics.ImportanceSamplingSettings(false, [-1.5], years) },
        };
        ScenarioReport.Write(shifted, null, plots, folder);
        string html = File.ReadAllText(Path.Combine(folder, "report.html"));
        return Text(Regex.Match(html, "<section id=\"method\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value);
    }

    [Test]
    public void Write_ImportanceSampling_MethodNoteGivesTheShift()
    {
        string method = ShiftedMethodNote(3);
        Assert.That(method, Does.Contain("Importance sampling: used; the factors' yearly innovations in years 1–3 were drawn shifted (macro -1.5 sd, as set in the file)"));
        Assert.That(method, Does.Not.Contain("not used"));
        // Wilson intervals and the ⌈p n⌉-th trial describe equal weights only.
        Assert.That(method, Does.Not.Contain("Wilson").And.Not.Contain("⌈p n⌉"));
        Assert.That(method, Does.Contain("divided by the sum of all trials' ratios").And.Contain("delta-method standard errors")
            .And.Contain("counts of trials (e.g. breaching trials) are sampled trials, not estimates"));
    }

    [Test]
    public void Write_ImportanceSamplingOfOneYear_SaysInYearOne() =>
        Assert.That(ShiftedMethodNote(1), Does.Contain("yearly innovations in year 1 were drawn shifted").And.Not.Contain("years 1–1"));

    [Test]
    public void Write_LossFigures_CarryStandardErrorsAsTooltips()
    {
        var (result, _, _, html) = Write(Combined);
        var seed = result.Funds[0];
        var row = Row(html, "funds-loss", "seed-a");
        Assert.That(System.Net.WebUtility.HtmlDecode(Regex.Match(html, $"data-v=\"{Regex.Escape(Formats.Number(seed.LossRatio.Mean))}\" title=\"([^\"]*)\"").Groups[1].Value),
            Is.EqualTo($"± {Pct(seed.LossRatio.StandardErrors.Mean, 1)} (standard error)"));
        Assert.That(row, Has.Count.EqualTo(10));
        Assert.That(html, Does.Contain("Hover over a figure for its standard error"));
    }

    [Test]
    public void HasCjk_ChineseOrLatinTitle_DecidesThePageLanguage()
    {
        Assert.That(HtmlText.HasCjk("武汉 test"), Is.True);
        Assert.That(HtmlText.HasCjk("Wuhan – “quoted”"), Is.False);
    }
}
