using System.Globalization;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Floor;
using Simulator.Core.Instruments;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.Floor;

/// <summary>
/// The floors' report: "floor" in summary.json, floor.csv (a row per floor and year), a chart per floor, key figures and
/// inputs in report.html, a console line. Nothing at all when the scenario has none.
/// </summary>
internal sealed class FloorReport : IInstrumentReport
{
    public string Kind => FloorInstrument.KindName;

    public string Noun => "floors";

    public bool HasItems(IInstrumentResult result) => ((FloorResult)result).Items.Count > 0;

    /// <remarks>A floor's one number is its share; which funds it counts is a list, not a slider.</remarks>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var items = ((FloorResult)result).Items;
        for (int i = 0; i < items.Count; i++)
        {
            var f = items[i].Floor;
            yield return new WhatIfControl(WhatIfPaths.Item("floor", f.Name, i) + ".share", $"{f.Name}: smallest share of a year's new investment in seed, angel and direct",
                0, 1, 0.01, f.Share, "share") { Group = f.Name };
        }
    }

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (FloorResult)result;
        if (r.Items.Count == 0) return;
        w.WriteStartArray("floor");
        foreach (var f in r.Items)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Floor.Name);
            w.WriteNumber("share", f.Floor.Share);
            w.WritePropertyName("metEveryYear");
            SummaryJsonWriter.WriteProbability(w, f.MetEveryYear);
            SummaryJsonWriter.WriteNumber(w, "meanFailedYears", f.MeanFailedYears);
            w.WriteStartArray("failingYears");
            foreach (var y in f.FailingYears) w.WriteNumberValue(y.Year);
            w.WriteEndArray();
            w.WriteStartArray("years");
            foreach (var y in f.Years.Where(y => y.HasInvestment))
            {
                w.WriteStartObject();
                w.WriteNumber("year", y.Year);
                SummaryJsonWriter.WriteNumber(w, "meanEligible", y.MeanEligible);
                SummaryJsonWriter.WriteNumber(w, "meanTotal", y.MeanTotal);
                w.WritePropertyName("met");
                SummaryJsonWriter.WriteProbability(w, y.Met);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        if (HasItems(result)) CsvTable.Write(Path.Combine(folder, FloorCsv.FileName), new FloorCsv(), FloorCsv.Rows((FloorResult)result));
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [FloorCsv.FileName] : [];

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => FloorPlots.Files(run, (FloorResult)result);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        foreach (var f in ((FloorResult)result).Items)
        {
            var failing = f.FailingYears.ToList();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  floor {f.Floor.Name}: at least {FigureText.Tolerance(f.Floor.Share)} of each year's new investment in seed/angel funds and direct projects; met in every year with probability {FigureText.Probability(f.MetEveryYear.Probability)}"));
            w.WriteLine(failing.Count == 0 ? "    it never fails" : "    fails in " + string.Join(", ", failing.Select(y =>
                string.Create(CultureInfo.InvariantCulture, $"year {y.Year} ({FigureText.Probability(1 - y.Met.Probability)})"))));
        }
    }

    public string Inputs(SimulationResult run)
    {
        var items = run.Get<FloorResult>()?.Items ?? [];
        if (items.Count == 0) return "";
        var t = Parameters("floor-inputs", [.. items.Select(f => f.Floor.Name)]);
        Row(t, "Smallest share of a year's new investment", items.Select(f => Fraction(f.Floor.Share)));
        Row(t, "Funds counted", items.Select(f => Cell.Text(string.Join(", ", f.Floor.Funds), "long")));
        return "<h3>Floors</h3>\n" + t.Render();
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var r = (FloorResult)result;
        if (r.Items.Count == 0) return "";
        var t = new HtmlTable(new Column("Floor"), new Column("Share", true), new Column("P(met in every year)", true),
            new Column("Mean years failed", true), new Column("Years in which it fails (P(fail))")) { Id = "key-floor" };
        foreach (var f in r.Items)
            t.Row([Cell.Text(f.Floor.Name, "name"), Fraction(f.Floor.Share),
                ResultTables.WithError(Cell.Probability(f.MetEveryYear.Probability), f.MetEveryYear.StandardError, Cell.Probability),
                Cell.Number(FigureText.Count(f.MeanFailedYears), f.MeanFailedYears),
                Cell.Text(string.Join(", ", f.FailingYears.Select(y => $"{y.Year} ({FigureText.Probability(1 - y.Met.Probability)})")) is { Length: > 0 } s ? s : "none")]);
        return "<h3>Floors</h3>\n" + t.Render()
            + "<p class=\"note\">A year's new investment is the checks of the counted funds' projects made in that year; a year meets the floor when the checks of seed, angel and direct funds are at least the share of them. Project counts per year follow each fund's schedule; check sizes are random.</p>\n";
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
    }

    public string Tables(SimulationResult run, IInstrumentResult result)
    {
        var r = (FloorResult)result;
        if (r.Items.Count == 0) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var f in r.Items)
        {
            sb.Append("<h3>New investment by year — ").Append(HtmlText.Encode(f.Floor.Name)).Append("</h3>\n");
            var t = new HtmlTable(new Column("Year", true), new Column("Seed/angel/direct (million CNY)", true), new Column("All counted funds (million CNY)", true),
                new Column("Share", true), new Column("P(met)", true), new Column("± SE", true));
            foreach (var y in f.Years.Where(y => y.HasInvestment))
                t.Row([Whole(y.Year), Cell.Money(y.MeanEligible), Cell.Money(y.MeanTotal), Cell.Ratio(y.MeanEligible / y.MeanTotal),
                    Cell.Probability(y.Met.Probability), Cell.Probability(y.Met.StandardError)]);
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => FloorPlots.Describe(file, name);
}

/// <summary>floor.csv: one row per floor and year with any investment.</summary>
internal sealed class FloorCsv : SummaryMap<FloorCsv.Line>
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "floor.csv";

    /// <summary>A row: a floor and one of its years.</summary>
    internal sealed record Line(FloorItemResult Floor, FloorYearResult Year);

    public static IEnumerable<Line> Rows(FloorResult r) => r.Items.SelectMany(f => f.Years.Where(y => y.HasInvestment).Select(y => new Line(f, y)));

    public FloorCsv()
    {
        Text("floor", x => x.Floor.Floor.Name);
        Number("share", x => x.Floor.Floor.Share);
        Number("year", x => x.Year.Year);
        Number("meanEligible", x => x.Year.MeanEligible);
        Number("meanTotal", x => x.Year.MeanTotal);
        Number("met", x => x.Year.Met.Probability);
        Number("met.se", x => x.Year.Met.StandardError);
        Number("metEveryYear", x => x.Floor.MetEveryYear.Probability);
        Number("metEveryYear.se", x => x.Floor.MetEveryYear.StandardError);
    }
}
