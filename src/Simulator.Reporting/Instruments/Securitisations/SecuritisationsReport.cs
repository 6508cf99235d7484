using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Securitisations;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.Securitisations;

/// <summary>The securitisations' report: "securitisations" in summary.json, securitisations.csv, the tranche chart, the console table.</summary>
internal sealed class SecuritisationsReport : IInstrumentReport
{
    public string Kind => SecuritisationsInstrument.KindName;

    public string Noun => "securitisations";

    public bool HasItems(IInstrumentResult result) => ((SecuritisationsResult)result).Deals.Count > 0;

    /// <summary>Most rows of a pool that get a PD slider each: a pool is written in a few rows of alike loans, and one written
    /// loan by loan would fill the page with sliders.</summary>
    private const int PdRows = 4;

    /// <summary>
    /// A deal's sliders: the senior tranche's share and coupon (the structure the originator negotiates), whether excess
    /// spread is trapped, the shortfall guarantor's capital (差额支付: how far the credit enhancement goes), the annual PD
    /// of each of the pool's first rows and the pool's factor loadings.
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var deals = ((SecuritisationsResult)result).Deals;
        if (deals.Count == 0) yield break;
        var specs = run.Scenario.Spec().Securitisations ?? [];
        var factors = run.Scenario.Economy.Factors;
        for (int i = 0; i < deals.Count && i < specs.Count; i++)
        {
            var deal = deals[i].Deal;
            var spec = specs[i];
            string at = WhatIfPaths.Item("securitisations", deal.Name, i);
            string name = deal.Name;
            // Below half the pool a "senior" tranche is no longer the deal anyone structures; the format takes 0 to 1.
            yield return new WhatIfControl(at + ".senior.share", $"{name}: senior tranche's share of the pool",
                Math.Min(0.5, deal.SeniorShare), 1, 0.01, deal.SeniorShare, "share") { Group = name };
            yield return new WhatIfControl(at + ".senior.coupon", $"{name}: senior coupon",
                0, Math.Min(1, Math.Max(0.1, 2 * deal.SeniorCoupon)), 0.001, deal.SeniorCoupon, "share") { Group = name };
            yield return WhatIfControl.Choice(at + ".excessSpread", $"{name}: excess spread", name, ExcessSpreadRules,
                deal.TrapExcess ? "trapped" : "released");
            // From no guarantor at all to twice the base's (a fifth of the pool where the file has none).
            double capitalMax = deal.GuarantorCapital > 0 ? 2 * deal.GuarantorCapital : 0.2 * deal.PoolAmount;
            yield return new WhatIfControl(at + ".shortfallGuarantor.capital", $"{name}: shortfall guarantor's capital",
                0, capitalMax, capitalMax / 60, deal.GuarantorCapital, "money") { Group = name };
            var rows = spec.Loans ?? [];
            for (int r = 0; r < rows.Count && r < PdRows; r++)
            {
                double pd = rows[r].Pd ?? 0;
                string row = rows.Count == 1 ? "" : $", row {(r + 1).ToString(CultureInfo.InvariantCulture)} ({(rows[r].Count ?? 1).ToString(CultureInfo.InvariantCulture)} loans)";
                yield return new WhatIfControl($"{at}.loans[{r.ToString(CultureInfo.InvariantCulture)}].pd", $"{name}: annual PD{row}",
                    0, Math.Min(1, Math.Max(0.1, 3 * pd)), 0.001, pd, "share") { Group = name };
            }
            for (int k = 0; k < factors.Count && k < deal.Loadings.Count; k++)
                yield return WhatIfControl.Loading($"{at}.exposure.{factors[k].Name}", name, factors[k].Name, deal.Loadings, k);
        }
    }

    /// <summary>The names of "excessSpread", as the format writes them.</summary>
    private static readonly string[] ExcessSpreadRules = ["trapped", "released"];

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        // Nothing without deals: the summaries of scenarios without them stay as they were.
        if (!HasItems(result)) return;
        w.WriteStartArray("securitisations");
        foreach (var d in ((SecuritisationsResult)result).Deals)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Deal.Name);
            w.WriteNumber("loans", d.Deal.Loans.Count);
            SummaryJsonWriter.WriteNumbers(w, "tranches", ("senior", d.Deal.SeniorAmount), ("subordinate", d.Deal.SubordinateAmount));
            w.WriteStartObject("senior");
            w.WritePropertyName("default");
            SummaryJsonWriter.WriteProbability(w, d.SeniorDefault);
            SummaryJsonWriter.WriteNumber(w, "annualisedDefault", TrancheGrade.Annualised(d.SeniorDefault.Probability, d.Deal.Years));
            w.WriteString("grade", d.Grade);
            w.WritePropertyName("loss");
            SummaryJsonWriter.WriteLoss(w, d.SeniorLoss);
            w.WriteEndObject();
            w.WriteStartObject("subordinate");
            w.WritePropertyName("loss");
            SummaryJsonWriter.WriteLoss(w, d.SubordinateLoss);
            w.WriteEndObject();
            w.WriteStartObject("shortfallGuarantor");
            SummaryJsonWriter.WriteNumber(w, "capital", d.Deal.GuarantorCapital);
            w.WritePropertyName("paid");
            SummaryJsonWriter.WriteLoss(w, d.ShortfallPaid);
            w.WritePropertyName("insolvent");
            SummaryJsonWriter.WriteProbability(w, d.GuarantorInsolvent);
            w.WriteEndObject();
            w.WritePropertyName("poolLoss");
            SummaryJsonWriter.WriteLoss(w, d.PoolLoss);
            SummaryJsonWriter.WriteNumber(w, "meanDefaults", d.MeanDefaults);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        if (HasItems(result)) CsvTable.Write(Path.Combine(folder, SecuritisationsCsv.FileName), new SecuritisationsCsv(), ((SecuritisationsResult)result).Deals);
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [SecuritisationsCsv.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The deal's name (one row per securitisation, in file order)",
        ["pool"] = "The pool's principal (CNY)",
        ["senior.amount"] = "The senior tranche's principal (CNY)",
        ["subordinate.amount"] = "The subordinate tranche's principal (CNY)",
        ["senior.default"] = "Senior default: the senior tranche lost anything over the deal",
        ["senior.grade"] = "An indicative grade of the senior tranche from its annualised default probability (not a rating agency's)",
        ["senior.loss"] = "The senior tranche's loss (CNY)",
        ["subordinate.loss"] = "The subordinate tranche's loss (CNY)",
        ["shortfallPaid"] = "What the shortfall guarantor paid (CNY)",
        ["guarantorInsolvent"] = "The shortfall guarantor became insolvent",
        ["poolLoss"] = "The pool's credit loss (CNY)",
        ["defaults"] = "Number of loans of the pool that defaulted",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => TranchePlots.Files(run, (SecuritisationsResult)result);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (SecuritisationsResult)result;
        if (r.Deals.Count == 0) return;
        int width = Math.Max(14, r.Deals.Max(d => d.Deal.Name.Length) + 2);
        w.WriteLine($"  {"securitisation".PadRight(width)}{"pool",10}{"senior PD",11}{"grade",7}{"sen. EL",10}{"sub. EL",10}{"sub. p99",10}{"guar. paid",12}{"P(insolv.)",12}");
        foreach (var d in r.Deals)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {d.Deal.Name.PadRight(width)}{FigureText.Money(d.Deal.PoolAmount),10}{FigureText.Probability(d.SeniorDefault.Probability),11}{d.Grade,7}{FigureText.Money(d.SeniorLoss.Mean),10}{FigureText.Money(d.SubordinateLoss.Mean),10}{FigureText.Money(d.SubordinateLoss.P99),10}{FigureText.Money(d.ShortfallPaid.Mean),12}{FigureText.Probability(d.GuarantorInsolvent.Probability),12}"));
        }
        w.WriteLine("  (amounts in million CNY; EL = expected loss; grade from the senior tranche's annualised PD, docs/model.md)");
    }

    public string Inputs(SimulationResult run)
    {
        if (run.Scenario.Spec().Securitisations is not { Count: > 0 } deals) return "";
        var t = Parameters("securitisations-inputs", deals.Select(d => d.Name ?? "").ToList());
        InputTables.Row(t, "Loans", deals.Select(d => Cell.Text(string.Join("; ", (d.Loans ?? []).Select(l =>
            $"{l.Count ?? 1} × {FigureText.Money(l.Amount ?? 0)} M at {FigureText.Percent(l.Rate ?? 0, 2)}, PD {FigureText.Probability(l.Pd ?? 0)}, LGD {FigureText.Tolerance(l.Lgd ?? 1)}, {l.TermYears ?? 1} y")), "long")));
        InputTables.Row(t, "Exposure (factor loadings)", deals.Select(d => Cell.Text(Exposure(d.Exposure))));
        InputTables.Row(t, "Senior share of the pool", deals.Select(d => Fraction(d.Senior?.Share ?? 0)));
        InputTables.Row(t, "Senior coupon", deals.Select(d => Rate(d.Senior?.Coupon)));
        InputTables.Row(t, "Subordinate coupon", deals.Select(d => Rate(d.Subordinate?.Coupon)));
        InputTables.Row(t, "Excess spread", deals.Select(d => Cell.Text(d.ExcessSpread == Core.Securitisations.Format.ExcessSpread.Released ? "released" : "trapped")));
        InputTables.Row(t, "Shortfall guarantor capital (million CNY)", deals.Select(d => d.ShortfallGuarantor is { } g ? Cell.Money(g.Capital ?? 0) : Cell.Text("none")));
        return "<h3>Securitisations</h3>\n" + t.Render();
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var r = (SecuritisationsResult)result;
        if (r.Deals.Count == 0) return "";
        var t = new HtmlTable(new Column("Deal"), new Column("Senior PD", true, "Probability that the senior tranche loses anything"),
            new Column("Grade", false, "Rating-like grade from the senior tranche's annualised PD (docs/model.md)"),
            new Column("Senior expected loss", true, "million CNY"), new Column("Subordinate expected loss", true, "million CNY"),
            new Column("Subordinate p99", true), new Column("Guarantor paid, mean", true), new Column("P(guarantor insolvent)", true)) { Id = "key-securitisations" };
        foreach (var d in r.Deals)
        {
            t.Row([Cell.Text(d.Deal.Name, "name"), ResultTables.WithError(Cell.Probability(d.SeniorDefault.Probability), d.SeniorDefault.StandardError, Cell.Probability),
                Cell.Text(d.Grade), ResultTables.WithError(Cell.Money(d.SeniorLoss.Mean), d.SeniorLoss.StandardErrors.Mean, Cell.Money),
                ResultTables.WithError(Cell.Money(d.SubordinateLoss.Mean), d.SubordinateLoss.StandardErrors.Mean, Cell.Money),
                ResultTables.WithError(Cell.Money(d.SubordinateLoss.P99), d.SubordinateLoss.StandardErrors.P99, Cell.Money),
                ResultTables.WithError(Cell.Money(d.ShortfallPaid.Mean), d.ShortfallPaid.StandardErrors.Mean, Cell.Money),
                ResultTables.WithError(Cell.Probability(d.GuarantorInsolvent.Probability), d.GuarantorInsolvent.StandardError, Cell.Probability)]);
        }
        return "<h3>Securitisations</h3>\n" + t.Render();
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
        foreach (var d in ((SecuritisationsResult)result).Deals.Take(2))
            cards.Add(($"Senior tranche, {d.Deal.Name}", d.Grade, $"PD {FigureText.Probability(d.SeniorDefault.Probability)}; guarantor insolvent in {FigureText.Probability(d.GuarantorInsolvent.Probability)} of trials"));
    }

    public string Tables(SimulationResult run, IInstrumentResult result)
    {
        var r = (SecuritisationsResult)result;
        if (r.Deals.Count == 0) return "";
        var sb = new StringBuilder("<h3>Securitisations: losses by layer (million CNY)</h3>\n");
        sb.Append(Bonds.LayerTable.Render("securitisations-layers", "Deal", r.Deals.SelectMany(d => new[]
        {
            (d.Deal.Name, "pool credit loss", d.PoolLoss), (d.Deal.Name, "senior tranche", d.SeniorLoss),
            (d.Deal.Name, "subordinate tranche", d.SubordinateLoss), (d.Deal.Name, "shortfall guarantor paid", d.ShortfallPaid),
        })));
        sb.Append("<p class=\"note\">Grades: AAA up to 0.01% annualised senior PD, AA 0.05%, A 0.15%, BBB 0.5%, BB 2%, B 8%, CCC above (docs/model.md).</p>\n");
        return sb.ToString();
    }

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => TranchePlots.Describe(file, name);
}

/// <summary>securitisations.csv: one row per deal with the headline figures of summary.json.</summary>
internal sealed class SecuritisationsCsv : SummaryMap<SecuritisationResult>
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "securitisations.csv";

    private static readonly (string Name, Func<SecuritisationResult, LossSummary> Loss)[] Losses =
        [("senior.loss", d => d.SeniorLoss), ("subordinate.loss", d => d.SubordinateLoss), ("shortfallPaid", d => d.ShortfallPaid), ("poolLoss", d => d.PoolLoss)];

    public SecuritisationsCsv()
    {
        Text("name", d => d.Deal.Name);
        Number("pool", d => d.Deal.PoolAmount);
        Number("senior.amount", d => d.Deal.SeniorAmount);
        Number("subordinate.amount", d => d.Deal.SubordinateAmount);
        Number("senior.default.probability", d => d.SeniorDefault.Probability);
        Number("senior.default.standardError", d => d.SeniorDefault.StandardError);
        Text("senior.grade", d => d.Grade);
        foreach (var (name, loss) in Losses.Take(3)) LossColumns(name, loss);
        Number("guarantorInsolvent.probability", d => d.GuarantorInsolvent.Probability);
        Number("guarantorInsolvent.standardError", d => d.GuarantorInsolvent.StandardError);
        LossColumns("poolLoss", d => d.PoolLoss);
        Number("defaults.mean", d => d.MeanDefaults);
        foreach (var (name, loss) in Losses) LossErrorColumns(name, loss);
    }
}
