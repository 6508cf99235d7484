using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Bonds;
using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.Bonds;

/// <summary>The bonds' report: "bonds" in summary.json, bonds.csv, the bonds' charts, the console table.</summary>
internal sealed class BondsReport : IInstrumentReport
{
    private static readonly string[] Layers = ["tool", "localGuarantor", "bondholders"];

    public string Kind => BondsInstrument.KindName;

    public string Noun => "bonds";

    public bool HasItems(IInstrumentResult result) => ((BondsResult)result).Bonds.Count > 0;

    /// <summary>
    /// Per bond: the risk-sharing tool's and the local guarantor's shares of a loss, the coupon, the face amount, the
    /// reserve, the term and the issuer's share of each source fund's proceeds.
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var bonds = ((BondsResult)result).Bonds;
        for (int i = 0; i < bonds.Count; i++)
        {
            var b = bonds[i].Bond;
            string name = b.Name, at = WhatIfPaths.Item("bonds", b.Name, i);
            // tool + localGuarantor must stay at most 1: each slider spans what the other leaves at its base value (the
            // bondholders bear the rest, so neither needs balancing).
            yield return new WhatIfControl(at + ".enhancement.tool", $"{name}: risk-sharing tool's share of a loss", WhatIfControl.GridFrom(0, b.ToolShare, 0.01), 1 - b.LocalShare, 0.01, b.ToolShare, "share") { Group = name };
            yield return new WhatIfControl(at + ".enhancement.localGuarantor", $"{name}: local guarantor's share of a loss", WhatIfControl.GridFrom(0, b.LocalShare, 0.01), 1 - b.ToolShare, 0.01, b.LocalShare, "share") { Group = name };
            yield return new WhatIfControl(at + ".coupon", $"{name}: coupon", WhatIfControl.GridFrom(0, b.Coupon, 0.0005), Math.Min(1, Math.Max(0.05, 3 * b.Coupon)), 0.0005, b.Coupon, "share") { Group = name };
            yield return WhatIfControl.Amount(at + ".amount", $"{name}: face amount", name, b.Amount);
            double reserveMax = b.Reserve > 0 ? 2 * b.Reserve : b.Amount / 4;
            yield return new WhatIfControl(at + ".reserve", $"{name}: issuer's reserve at issue", 0, reserveMax, reserveMax / 40, b.Reserve, "money") { Group = name };
            // A setting keeps the base's horizon (variants start from the filled file), so the bond must mature within it.
            int longest = Math.Min(30, Math.Max(b.TermYears, run.Scenario.HorizonYears - b.IssueYear + 1));
            yield return new WhatIfControl(at + ".termYears", $"{name}: term (years)", 1, longest, 1, b.TermYears, "number") { Group = name };
            for (int j = 0; j < b.Sources.Count; j++)
            {
                var source = b.Sources[j];
                // A fund's proceeds are shared out at most once across the bonds: the slider stops at what the other bonds leave.
                double others = bonds.Where((o, k) => k != i).Sum(o => o.Bond.Sources.Where(s => s.Fund == source.Fund).Sum(s => s.Share));
                yield return new WhatIfControl($"{at}.sources[{j.ToString(CultureInfo.InvariantCulture)}].share", $"{name}: issuer's share of {source.Fund}'s exit proceeds",
                    WhatIfControl.GridFrom(Math.Min(0.01, source.Share), source.Share, 0.01), Math.Max(source.Share, 1 - others), 0.01, source.Share, "share") { Group = name };
            }
        }
    }

    private static LossSummary Layer(BondResult b, int k) => k switch { 0 => b.Tool, 1 => b.LocalGuarantor, _ => b.Bondholders };

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        // Nothing without bonds: the summaries of scenarios without them stay as they were.
        if (!HasItems(result)) return;
        w.WriteStartArray("bonds");
        foreach (var b in ((BondsResult)result).Bonds)
        {
            w.WriteStartObject();
            w.WriteString("name", b.Bond.Name);
            w.WritePropertyName("default");
            SummaryJsonWriter.WriteProbability(w, b.Default);
            w.WritePropertyName("loss");
            SummaryJsonWriter.WriteLoss(w, b.Loss);
            w.WriteStartObject("layers");
            for (int k = 0; k < Layers.Length; k++)
            {
                w.WritePropertyName(Layers[k]);
                SummaryJsonWriter.WriteLoss(w, Layer(b, k));
            }
            w.WriteEndObject();
            SummaryJsonWriter.WriteNumbers(w, "toolCostPerYuan", ("value", b.ToolCostPerYuan.Value), ("standardError", b.ToolCostPerYuan.StandardError));
            SummaryJsonWriter.WriteNumbers(w, "breakEvenCoupon", ("value", b.BreakEvenCoupon.Value), ("standardError", b.BreakEvenCoupon.StandardError),
                ("riskFreeRate", b.Bond.RiskFreeRate));
            w.WriteStartArray("byYear");
            for (int t = 0; t < b.DefaultInYear.Count; t++)
            {
                w.WriteStartObject();
                w.WriteNumber("year", b.Bond.IssueYear + t);
                SummaryJsonWriter.WriteNumber(w, "defaultProbability", b.DefaultInYear[t].Probability);
                SummaryJsonWriter.WriteNumber(w, "defaultStandardError", b.DefaultInYear[t].StandardError);
                SummaryJsonWriter.WriteNumber(w, "defaultedByThenProbability", b.DefaultByYear[t].Probability);
                SummaryJsonWriter.WriteNumber(w, "defaultedByThenStandardError", b.DefaultByYear[t].StandardError);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        if (HasItems(result)) CsvTable.Write(Path.Combine(folder, BondsCsv.FileName), new BondsCsv(), ((BondsResult)result).Bonds);
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [BondsCsv.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The bond's name (one row per bond, in file order)",
        ["amount"] = "The bond's face amount (CNY)",
        ["coupon"] = "The bond's annual coupon rate",
        ["default"] = "Default: the issuer could not pay a coupon or the principal when due",
        ["loss"] = "Loss on the bond (CNY): what was due and not paid, after recovery",
        ["tool"] = "The share of the loss the central bank's risk-sharing tool bears (CNY; counted as the government's cost)",
        ["localGuarantor"] = "The share of the loss the local guarantor bears (CNY)",
        ["bondholders"] = "The loss the bondholders bear, the rest after the tool and the guarantor (CNY)",
        ["toolCostPerYuan"] = "E[tool payments] ÷ amount: the tool's expected cost per yuan of face amount",
        ["toolCostPerYuan.se"] = "Standard error of toolCostPerYuan (the mean's standard error over the amount)",
        ["breakEvenCoupon"] = "The coupon at which the bondholders' expected discounted receipts equal the face amount (empty above 20%)",
        ["breakEvenCoupon.se"] = "Standard error of breakEvenCoupon",
        ["riskFreeRate"] = "The risk-free rate the break-even coupon discounts at",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => BondPlots.Files(run, (BondsResult)result);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (BondsResult)result;
        if (r.Bonds.Count == 0) return;
        int width = Math.Max(12, r.Bonds.Max(b => b.Bond.Name.Length) + 2);
        w.WriteLine($"  {"bond".PadRight(width)}{"amount",12}{"P(default)",12}{"exp. loss",11}{"p99 loss",11}{"tool cost",11}{"tool/yuan",11}{"break-even",12}");
        foreach (var b in r.Bonds)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {b.Bond.Name.PadRight(width)}{FigureText.Money(b.Bond.Amount),12}{FigureText.Probability(b.Default.Probability),12}{FigureText.Money(b.Loss.Mean),11}{FigureText.Money(b.Loss.P99),11}{FigureText.Money(b.Tool.Mean),11}{FigureText.Percent(b.ToolCostPerYuan.Value, 3),11}{Coupon(b.BreakEvenCoupon.Value),12}"));
        }
        w.WriteLine("  (amounts in million CNY; break-even: the coupon at which the bondholders earn the risk-free rate in expectation)");
    }

    internal static string Coupon(double c) => double.IsNaN(c) ? $"> {FigureText.Percent(Bond.CouponGrid[^1], 1)}" : FigureText.Percent(c, 2);

    public string Inputs(SimulationResult run)
    {
        if (run.Scenario.Spec().Bonds is not { Count: > 0 } bonds) return "";
        var t = Parameters("bonds-inputs", bonds.Select(b => b.Name ?? "").ToList());
        InputTables.Row(t, "Source funds (issuer's share)", bonds.Select(b => Cell.Text(string.Join(", ",
            (b.Sources ?? []).Select(s => $"{s.Fund} ({FigureText.Tolerance(s.Share ?? 0)})")), "long")));
        InputTables.Row(t, "Amount (million CNY)", bonds.Select(b => Cell.Money(b.Amount ?? 0)));
        InputTables.Row(t, "Coupon (a year)", bonds.Select(b => Rate(b.Coupon)));
        InputTables.Row(t, "Term (years)", bonds.Select(b => Whole(b.TermYears ?? 0)));
        InputTables.Row(t, "Issue year", bonds.Select(b => Whole(b.IssueYear ?? 1)));
        InputTables.Row(t, "Amortisation", bonds.Select(b => Cell.Text(b.Amortisation == BondAmortisation.Linear ? "linear" : "bullet")));
        InputTables.Row(t, "Other income a year (million CNY)", bonds.Select(b => Cell.Money(b.OtherIncome ?? 0)));
        InputTables.Row(t, "Reserve at issue (million CNY)", bonds.Select(b => Cell.Money(b.Reserve ?? 0)));
        InputTables.Row(t, "Tool's share of a loss", bonds.Select(b => Fraction(b.Enhancement?.Tool ?? 0)));
        InputTables.Row(t, "Local guarantor's share", bonds.Select(b => Fraction(b.Enhancement?.LocalGuarantor ?? 0)));
        InputTables.Row(t, "Recovery", bonds.Select(b => Cell.Text(b.Recovery is { ValueKind: JsonValueKind.Number } r ? FigureText.Tolerance(r.GetDouble()) + " of the claim" : "from later inflows")));
        InputTables.Row(t, "Risk-free rate", bonds.Select(b => Rate(b.RiskFreeRate)));
        return "<h3>Bonds</h3>\n" + t.Render();
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var r = (BondsResult)result;
        if (r.Bonds.Count == 0) return "";
        var t = new HtmlTable(new Column("Bond"), new Column("P(default)", true, "Probability that a payment is missed within the term"),
            new Column("Expected loss", true, "Mean loss (claim less recovery), million CNY"), new Column("p99 loss", true), new Column("ES99 loss", true),
            new Column("Tool cost per yuan", true, "The central bank tool's expected payments per yuan of bonds"),
            new Column("Break-even coupon", true, "Coupon at which the bondholders' expected discounted receipts equal the face amount")) { Id = "key-bonds" };
        foreach (var b in r.Bonds)
        {
            t.Row([Cell.Text(b.Bond.Name, "name"),
                ResultTables.WithError(Cell.Probability(b.Default.Probability), b.Default.StandardError, Cell.Probability),
                ResultTables.WithError(Cell.Money(b.Loss.Mean), b.Loss.StandardErrors.Mean, Cell.Money),
                ResultTables.WithError(Cell.Money(b.Loss.P99), b.Loss.StandardErrors.P99, Cell.Money),
                ResultTables.WithError(Cell.Money(b.Loss.Es99), b.Loss.StandardErrors.Es99, Cell.Money),
                Cell.Number(FigureText.Percent(b.ToolCostPerYuan.Value, 3), b.ToolCostPerYuan.Value),
                Cell.Number(Coupon(b.BreakEvenCoupon.Value), b.BreakEvenCoupon.Value)]);
        }
        return "<h3>Bonds</h3>\n" + t.Render();
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
        foreach (var b in ((BondsResult)result).Bonds.Take(2))
            cards.Add(($"Default probability, {b.Bond.Name}", FigureText.Probability(b.Default.Probability),
                $"expected loss {FigureText.Money(b.Loss.Mean)} M CNY; break-even coupon {Coupon(b.BreakEvenCoupon.Value)}"));
    }

    public string Tables(SimulationResult run, IInstrumentResult result)
    {
        var r = (BondsResult)result;
        if (r.Bonds.Count == 0) return "";
        var sb = new StringBuilder("<h3>Who bears the bonds' losses (million CNY)</h3>\n");
        sb.Append(LayerTable.Render("bonds-layers", "Bond", r.Bonds.SelectMany(b =>
            new[] { (b.Bond.Name, "all", b.Loss) }.Concat(Layers.Select((layer, k) => (b.Bond.Name, layer, Layer(b, k)))))));
        foreach (var b in r.Bonds)
        {
            sb.Append("<h3>Defaults by year — ").Append(HtmlText.Encode(b.Bond.Name)).Append("</h3>\n");
            var t = new HtmlTable(new Column("Year", true), new Column("P(default in the year)", true), new Column("± SE", true), new Column("P(defaulted by then)", true), new Column("± SE", true));
            for (int y = 0; y < b.DefaultInYear.Count; y++)
            {
                int year = b.Bond.IssueYear + y;
                t.Row([Cell.Number(year.ToString(CultureInfo.InvariantCulture), year), Cell.Probability(b.DefaultInYear[y].Probability), Cell.Probability(b.DefaultInYear[y].StandardError),
                    Cell.Probability(b.DefaultByYear[y].Probability), Cell.Probability(b.DefaultByYear[y].StandardError)]);
            }
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => BondPlots.Describe(file, name);
}

/// <summary>bonds.csv: one row per bond with the headline figures of summary.json.</summary>
internal sealed class BondsCsv : SummaryMap<BondResult>
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "bonds.csv";

    private static readonly (string Name, Func<BondResult, LossSummary> Loss)[] Layers =
        [("loss", b => b.Loss), ("tool", b => b.Tool), ("localGuarantor", b => b.LocalGuarantor), ("bondholders", b => b.Bondholders)];

    public BondsCsv()
    {
        Text("name", b => b.Bond.Name);
        Number("amount", b => b.Bond.Amount);
        Number("coupon", b => b.Bond.Coupon);
        Number("default.probability", b => b.Default.Probability);
        Number("default.standardError", b => b.Default.StandardError);
        foreach (var (name, layer) in Layers) LossColumns(name, layer);
        Number("toolCostPerYuan", b => b.ToolCostPerYuan.Value);
        Finite("toolCostPerYuan.se", b => b.ToolCostPerYuan.StandardError);
        Finite("breakEvenCoupon", b => b.BreakEvenCoupon.Value);
        Finite("breakEvenCoupon.se", b => b.BreakEvenCoupon.StandardError);
        Number("riskFreeRate", b => b.Bond.RiskFreeRate);
        foreach (var (name, layer) in Layers) LossErrorColumns(name, layer);
    }
}
