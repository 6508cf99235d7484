using System.Globalization;
using System.Text.RegularExpressions;
using Simulator.Reporting.Html;
using Simulator.Tests.Support;
using static Simulator.Tests.Reporting.HtmlTestSupport;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Reporting;

/// <summary>index.html: one row per scenario file of a batch, with working links and the errors of invalid files.</summary>
public class HtmlBatchIndexTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string Funds = """
        { "name": "funds", "title": "基金 funds", "simulation": { "trials": 1500, "seed": 2 },
          "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.5 } },
                     { "name": "angel-b", "type": "angel", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.5 } } ] }
        """;

    private const string Guarantees = """
        { "name": "loans", "title": "Loans", "simulation": { "trials": 1500, "seed": 2 },
          "guarantees": [ { "name": "a", "loans": { "perYear": 50, "years": 2, "amount": 1e6, "pd": 0.05 }, "shares": { "bank": 0.5, "government": 0.5 } },
                          { "name": "b", "loans": { "perYear": 50, "years": 2, "amount": 1e6, "pd": 0.03 }, "shares": { "bank": 0.8, "government": 0.2 } } ] }
        """;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-index");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Two scenarios run with their reports, one invalid file and one failure, as a batch would list them.</summary>
    private List<BatchEntry> Batch()
    {
        var entries = new List<BatchEntry>();
        foreach (var (file, json) in new[] { ("funds.json", Funds), ("loans.json", Guarantees) })
        {
            var scenario = TestScenarios.Load(json);
            string folder = Path.Combine(_temp.Path, scenario.Name);
            var (result, comparison, plots) = RunInto(scenario, folder);
            ScenarioReport.Write(result, comparison, plots, folder);
            entries.Add(BatchEntry.Ok(file, result, comparison));
        }
        entries.Add(BatchEntry.Invalid("bad.json", ["bad.json:3:7: error at $.funds[0].deals: must be at least 1 <got 0>", "bad.json:4:1: error at $.name: required"]));
        entries.Add(BatchEntry.Failed("boom.json", "boom", "failed while running: InvalidOperationException: <boom> & more"));
        return entries;
    }

    [Test]
    public void Write_EntriesOfEveryStatus_OneRowPerEntryInOrder()
    {
        var entries = Batch();
        string path = BatchIndex.Write(entries, _temp.Path);
        Assert.That(path, Is.EqualTo(Path.Combine(_temp.Path, "index.html")));
        string html = File.ReadAllText(path);
        var rows = Rows(html, "batch");
        Assert.That(rows, Has.Count.EqualTo(4));
        Assert.That(rows.Select(r => r[0].Value), Is.EqualTo(new[] { "funds", "loans", "bad.json", "boom" }));
        Assert.That(rows.Select(r => r[2].Value), Is.EqualTo(new[] { "ok", "ok", "invalid", "failed" }));
        Assert.That(rows[0][0].Text, Is.EqualTo("funds funds.json"), "name and file");
        Assert.That(rows[0][1].Text, Is.EqualTo("基金 funds"));
        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"zh\">"));
    }

    [Test]
    public void Write_HeadlineFigures_MatchResults()
    {
        var entries = Batch();
        string html = File.ReadAllText(BatchIndex.Write(entries, _temp.Path));
        var funds = Rows(html, "batch")[0];
        Assert.That(double.Parse(funds[3].Value!, Invariant), Is.EqualTo(entries[0].ProgrammeBreach));
        Assert.That(double.Parse(funds[4].Value!, Invariant), Is.EqualTo(entries[0].WorstFundBreach));
        Assert.That(funds[5].Text, Is.EqualTo(entries[0].WorstFund));
        Assert.That(funds[6].Value, Is.Null, "no guarantees: blank");
        Assert.That(funds[7].Text, Is.EqualTo("1,500"));
        var loans = Rows(html, "batch")[1];
        Assert.That(loans[3].Value, Is.Null, "no funds: blank");
        Assert.That(double.Parse(loans[6].Value!, Invariant), Is.EqualTo(entries[1].GovernmentCost));
        Assert.That(loans[6].Text, Is.EqualTo((entries[1].GovernmentCost!.Value / 1e6).ToString("N1", Invariant)));
    }

    [Test]
    public void Ok_FundsAndGuarantees_WorstFundAndTotalGovernmentCost()
    {
        var funds = TestScenarios.Run(Funds);
        var entry = BatchEntry.Ok("funds.json", funds);
        Assert.That(entry.WorstFundBreach, Is.EqualTo(funds.Funds.Max(f => f.Breach.Probability)));
        Assert.That(entry.WorstFund, Is.EqualTo(funds.Funds.MaxBy(f => f.Breach.Probability)!.Fund.Name));
        Assert.That(entry.ProgrammeBreach, Is.EqualTo(funds.Programme!.Breach.Probability));
        Assert.That(entry.GovernmentCost, Is.Null);
        Assert.That(entry.ReportLink, Is.EqualTo("funds/report.html"));
        var loans = TestScenarios.Run(Guarantees);
        var g = BatchEntry.Ok("loans.json", loans);
        Assert.That(g.GovernmentCost, Is.EqualTo(loans.Guarantees.Sum(x => x.Government.Mean)));
        Assert.That(g.ProgrammeBreach, Is.Null);
        Assert.That(g.WorstFundBreach, Is.Null);
        Assert.That(BatchEntry.Invalid("x.json", ["e"]).ReportLink, Is.Null);
        Assert.That(BatchEntry.Failed("x.json", "x", "m").ReportLink, Is.Null);
    }

    [Test]
    public void Write_InvalidAndFailedEntries_ShowEveryMessageEncoded()
    {
        string html = File.ReadAllText(BatchIndex.Write(Batch(), _temp.Path));
        var rows = Rows(html, "batch");
        Assert.That(rows[2][2].Text, Is.EqualTo("invalid bad.json:3:7: error at $.funds[0].deals: must be at least 1 <got 0> bad.json:4:1: error at $.name: required"));
        Assert.That(rows[2][2].Inner, Does.Contain("&lt;got 0&gt;"));
        Assert.That(rows[3][2].Text, Is.EqualTo("failed failed while running: InvalidOperationException: <boom> & more"));
        Assert.That(html, Does.Not.Contain("<boom>"));
    }

    [Test]
    public void Write_OkEntries_LinksPointAtExistingReports()
    {
        var entries = Batch();
        string html = File.ReadAllText(BatchIndex.Write(entries, _temp.Path));
        var links = Regex.Matches(html, "href=\"([^\"#]+)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.That(links, Is.EqualTo(new[] { "funds/report.html", "loans/report.html" }), "one link per ok row, none for invalid or failed ones");
        foreach (var link in links)
            Assert.That(File.Exists(Path.Combine(_temp.Path, Uri.UnescapeDataString(link))), Is.True, $"{link} does not exist");
    }

    [Test]
    public void Write_Page_SortableSelfContained()
    {
        string html = File.ReadAllText(BatchIndex.Write(Batch(), _temp.Path));
        Assert.That(html, Does.Contain("<table id=\"batch\" class=\"sortable\">"));
        Assert.That(Regex.Matches(html, "<script>").Count, Is.EqualTo(2), "the check script and the sort script");
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("<link"));
        Assert.That(html, Does.Contain("\"Noto Sans CJK SC\""));
    }

    [Test]
    public void Write_SameEntries_IdenticalBytes()
    {
        var entries = Batch();
        string a = Path.Combine(_temp.Path, "a"), b = Path.Combine(_temp.Path, "b");
        BatchIndex.Write(entries, a);
        BatchIndex.Write(entries, b);
        Assert.That(File.ReadAllBytes(Path.Combine(b, "index.html")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "index.html"))));
    }
    [Test]
    public void SaveLoad_OkEntry_SameRowMarkedEarlier()
    {
        var entry = BatchEntry.Ok("dir/funds.json", TestScenarios.Run(Funds));
        string folder = Path.Combine(_temp.Path, "funds");
        Directory.CreateDirectory(folder);
        entry.Save(folder);
        var loaded = BatchEntry.Load(folder);
        Assert.That(loaded! with { Messages = entry.Messages }, Is.EqualTo(entry with { Earlier = true }), "every figure reads back exactly");
        Assert.That(loaded.Messages, Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(folder, BatchEntry.FileName)), Does.Contain("\"title\": \"基金 funds\"").And.Contain("\"governmentCost\": null"));
    }

    [Test]
    public void Write_ResultFoldersOfEarlierRuns_ListedAfterTheBatchInNameOrder()
    {
        var entries = Batch(); // funds and loans, written this time
        var earlier = BatchEntry.Ok("old/zeta.json", TestScenarios.Run(Funds)) with { Name = "zeta", Title = "Zeta" };
        _temp.Write(Path.Combine("zeta", "summary.json"), "{}");
        earlier.Save(Path.Combine(_temp.Path, "zeta"));
        _temp.Write(Path.Combine("alpha", "summary.json"), "{}"); // written before index-entry.json existed
        _temp.Write(Path.Combine("plots", "a.png"), "not a result folder");
        _temp.Write(Path.Combine(".zz.partial-x", "summary.json"), "{}");
        string html = File.ReadAllText(BatchIndex.Write(entries, _temp.Path));
        var rows = Rows(html, "batch");
        Assert.That(rows.Select(r => r[0].Value), Is.EqualTo(new[] { "funds", "loans", "bad.json", "boom", "alpha", "zeta" }));
        Assert.That(rows[5][0].Text, Is.EqualTo("zeta old/zeta.json (earlier run)"));
        Assert.That(rows[5][1].Text, Is.EqualTo("Zeta"));
        Assert.That(double.Parse(rows[5][3].Value!, Invariant), Is.EqualTo(earlier.ProgrammeBreach));
        Assert.That(rows[4][0].Text, Is.EqualTo("alpha earlier run; figures not recorded (written by an older version)"));
        Assert.That(rows[4][2].Value, Is.EqualTo("ok"));
        Assert.That(html, Does.Contain("href=\"alpha/report.html\"").And.Contain("href=\"zeta/report.html\""));
        Assert.That(html, Does.Contain("4 scenario files: 2 ran, 1 invalid, 1 failed. Also listed: 2 result folders of earlier runs in this folder."));
    }

    [Test]
    public void Write_FailedThisTimeWithEarlierFolder_BothListed()
    {
        _temp.Write(Path.Combine("boom", "summary.json"), "{}");
        BatchEntry.Ok("boom.json", TestScenarios.Run(Funds)).Save(Path.Combine(_temp.Path, "boom"));
        var rows = Rows(File.ReadAllText(BatchIndex.Write([BatchEntry.Failed("boom.json", "boom", "failed while running: x")], _temp.Path)), "batch");
        Assert.That(rows.Select(r => r[2].Value), Is.EqualTo(new[] { "failed", "ok" }), "the earlier results are still there, and listed");
    }

    [Test]
    public void Write_Twice_NoTemporaryFileLeft()
    {
        BatchIndex.Write(Batch(), _temp.Path);
        BatchIndex.Write(Batch(), _temp.Path);
        Assert.That(Directory.GetFiles(_temp.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "index.html" }));
    }
}
