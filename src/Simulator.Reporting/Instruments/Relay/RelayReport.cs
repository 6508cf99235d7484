using System.Globalization;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Relay;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.Relay;

/// <summary>
/// The relay buyers' report: "relay" in summary.json, relay.csv, a chart per relay, key figures and inputs in
/// report.html, a console table. Nothing at all when the scenario has none.
/// </summary>
internal sealed class RelayReport : IInstrumentReport
{
    public string Kind => RelayInstrument.KindName;

    public string Noun => "relay buyers";

    public bool HasItems(IInstrumentResult result) => ((RelayResult)result).Items.Count > 0;

    /// <summary>
    /// A relay buyer's sliders: its budget (the share of the relay fund's new investment, or its vehicle's capital), the
    /// price rule and the discount on the mark, which projects are offered (years held, smallest mark), how much the
    /// interim mark reveals, and the relay tranche's tolerance where the file gives one (else it is the sellers').
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var items = ((RelayResult)result).Items;
        for (int i = 0; i < items.Count; i++)
        {
            var relay = items[i].Relay;
            string at = WhatIfPaths.Item("relay", relay.Name, i);
            string name = relay.Name;
            if (relay.Vehicle is { } vehicle)
                yield return WhatIfControl.Amount(at + ".vehicle.capital", $"{name}: relay vehicle's capital", name, vehicle.Capital);
            else
                yield return new WhatIfControl(at + ".budgetShare", $"{name}: budget (share of {relay.Fund}'s new investment)",
                    0, Math.Min(1, Math.Max(0.3, 2 * relay.BudgetShare)), 0.01, relay.BudgetShare, "share") { Group = name };
            yield return WhatIfControl.Choice(at + ".price.rule", $"{name}: price rule", name, PriceRules,
                relay.Rule == PriceRule.Cost ? "cost" : "mark");
            yield return new WhatIfControl(at + ".price.discount", $"{name}: discount on the mark (mark rule)",
                0, 1, 0.01, relay.Discount, "share") { Group = name };
            yield return new WhatIfControl(at + ".offer.afterYears", $"{name}: years held before a project is offered",
                1, Math.Max(10, relay.AfterYears), 1, relay.AfterYears, "number") { Group = name };
            yield return new WhatIfControl(at + ".offer.minMark", $"{name}: smallest mark offered (expected multiple)",
                0, Math.Max(3, 2 * relay.MinMark), 0.05, relay.MinMark, "number") { Group = name };
            yield return new WhatIfControl(at + ".information", $"{name}: information at the offer (ρ, share of a project's variance revealed)",
                0, 1, 0.05, relay.Information, "share") { Group = name };
            if (relay.Tolerance is { } tolerance)
                yield return new WhatIfControl(at + ".tolerance", $"{name}: relay tranche's loss tolerance", 0, 1, 0.01, tolerance, "share") { Group = name };
        }
    }

    /// <summary>The names of "price.rule", as the format writes them.</summary>
    private static readonly string[] PriceRules = ["cost", "mark"];

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (RelayResult)result;
        if (r.Items.Count == 0) return;
        w.WriteStartArray("relay");
        foreach (var item in r.Items)
        {
            w.WriteStartObject();
            w.WriteString("name", item.Relay.Name);
            w.WritePropertyName("tranche");
            w.WriteStartObject();
            w.WritePropertyName("lossRatio");
            SummaryJsonWriter.WriteLoss(w, item.TrancheLossRatio);
            w.WritePropertyName("breach");
            SummaryJsonWriter.WriteProbability(w, item.TrancheBreach);
            SummaryJsonWriter.WriteNumber(w, "meanCost", item.MeanCost);
            SummaryJsonWriter.WriteNumber(w, "meanProceeds", item.MeanProceeds);
            SummaryJsonWriter.WriteNumber(w, "meanDeals", item.MeanDeals);
            w.WriteEndObject();
            SummaryJsonWriter.WriteNumber(w, "meanBudget", item.MeanBudget);
            SummaryJsonWriter.WriteNumber(w, "meanSpent", item.MeanSpent);
            w.WritePropertyName("budgetBinds");
            SummaryJsonWriter.WriteProbability(w, item.BudgetBinds);
            SummaryJsonWriter.WriteNumber(w, "meanUnmetDemand", item.MeanUnmetDemand);
            SummaryJsonWriter.WriteNumber(w, "meanLossMoved", item.MeanLossMoved);
            w.WriteStartArray("sellers");
            foreach (var s in item.Sellers)
            {
                w.WriteStartObject();
                WriteBook(w, s.Fund, s.Breach, s.BreachWithRelay, s.MeanLossRatio, s.MeanLossRatioWithRelay);
                SummaryJsonWriter.WriteNumber(w, "meanIrr", s.Irr?.Mean ?? double.NaN);
                SummaryJsonWriter.WriteNumber(w, "meanIrrWithRelay", s.IrrWithRelay?.Mean ?? double.NaN);
                SummaryJsonWriter.WriteNumber(w, "meanSold", s.MeanSold);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (item.Fund is { } f)
            {
                w.WritePropertyName("relayFund");
                w.WriteStartObject();
                WriteBook(w, f.Fund, f.Breach, f.BreachWithRelay, f.MeanLossRatio, f.MeanLossRatioWithRelay);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A fund's book without and with the relay deals (a seller's or the relay fund's), in summary.json.</summary>
    private static void WriteBook(Utf8JsonWriter w, string fund, ProbabilityEstimate breach, ProbabilityEstimate breachWith, double loss, double lossWith)
    {
        w.WriteString("fund", fund);
        w.WritePropertyName("breach");
        SummaryJsonWriter.WriteProbability(w, breach);
        w.WritePropertyName("breachWithRelay");
        SummaryJsonWriter.WriteProbability(w, breachWith);
        SummaryJsonWriter.WriteNumber(w, "meanLossRatio", loss);
        SummaryJsonWriter.WriteNumber(w, "meanLossRatioWithRelay", lossWith);
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        if (HasItems(result)) CsvTable.Write(Path.Combine(folder, RelayCsv.FileName), new RelayCsv(), RelayCsv.Rows((RelayResult)result));
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [RelayCsv.FileName] : [];

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => RelayPlots.Files(run, (RelayResult)result);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (RelayResult)result;
        if (r.Items.Count == 0) return;
        int width = Math.Max(16, r.Items.SelectMany(i => i.Sellers.Select(s => s.Fund.Length + 2).Append(i.Relay.Name.Length)).Max() + 4);
        w.WriteLine($"  {"relay / seller".PadRight(width)}{"P(breach)",11}{"with relay",12}{"IRR",9}{"with relay",12}{"sold",7}");
        foreach (var item in r.Items)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(item.Relay.Name + " tranche").PadRight(width)}{FigureText.Probability(item.TrancheBreach.Probability),11}{"",12}{"",9}{"",12}{FigureText.Count(item.MeanDeals),7}"));
            foreach (var s in item.Sellers)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {("  " + s.Fund).PadRight(width)}{FigureText.Probability(s.Breach.Probability),11}{FigureText.Probability(s.BreachWithRelay.Probability),12}{FigureText.Percent(s.Irr?.Mean ?? double.NaN, 1),9}{FigureText.Percent(s.IrrWithRelay?.Mean ?? double.NaN, 1),12}{FigureText.Count(s.MeanSold),7}"));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {item.Relay.Name}: P(budget binds) {FigureText.Probability(item.BudgetBinds.Probability)}, unmet demand {FigureText.Money(item.MeanUnmetDemand)}, loss moved to the relay {FigureText.Money(item.MeanLossMoved)} (million CNY, means)"));
            if (item.Fund is { } f)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {item.Relay.Name}: relay fund {f.Fund} P(breach) {FigureText.Probability(f.Breach.Probability)}, with its relay deals {FigureText.Probability(f.BreachWithRelay.Probability)}"));
        }
    }

    public string Inputs(SimulationResult run)
    {
        var items = run.Get<RelayResult>()?.Items ?? [];
        if (items.Count == 0) return "";
        var relays = items.Select(i => i.Relay).ToList();
        var t = Parameters("relay-inputs", [.. relays.Select(r => r.Name)]);
        Row(t, "Relay fund", relays.Select(r => Cell.Text(r.Fund ?? $"own vehicle: {FigureText.Money(r.Vehicle!.Capital)} M CNY over years {r.Vehicle.StartYear}–{r.Vehicle.StartYear + r.Vehicle.InvestmentYears - 1}")));
        Row(t, "Sellers", relays.Select(r => Cell.Text(string.Join(", ", r.Sellers.Select(s => s.Fund)), "long")));
        Row(t, "Budget (share of yearly new investment)", relays.Select(r => Fraction(r.BudgetShare)));
        Row(t, "Information revealed by the offer date (ρ)", relays.Select(r => Fraction(r.Information)));
        Row(t, "Offered after (years held)", relays.Select(r => Whole(r.AfterYears)));
        Row(t, "Smallest mark offered", relays.Select(r => Cell.Number(FigureText.Multiple(r.MinMark), r.MinMark)));
        Row(t, "Price", relays.Select(r => Cell.Text(r.Rule == PriceRule.Cost ? "cost" : $"mark × (1 − {FigureText.Tolerance(r.Discount)})")));
        Row(t, "Tranche tolerance", relays.Select(r => Cell.Text(r.Tolerance is { } x ? FigureText.Tolerance(x) : "the sellers' (weighted by price)")));
        return "<h3>Relay buyers</h3>\n" + t.Render();
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var r = (RelayResult)result;
        if (r.Items.Count == 0) return "";
        var t = new HtmlTable(new Column("Relay"), new Column("Tranche P(breach)", true, "Probability that the relay deals' loss ratio on their cost exceeds the seed/angel tolerance"),
            new Column("Tranche mean loss", true), new Column("Tranche p99 loss", true), new Column("Deals", true, "Mean projects bought"),
            new Column("Spent / budget (million CNY)", true), new Column("P(budget binds)", true, "Probability that in some year an offer did not fit in the budget left"),
            new Column("Unmet demand (million CNY)", true), new Column("Loss moved to the relay (million CNY)", true, "Mean of Σ (price − outcome) over the deals; negative: the relay gains")) { Id = "key-relay" };
        var sellers = new HtmlTable(new Column("Relay"), new Column("Seller"), new Column("P(breach)", true), new Column("with relay", true),
            new Column("Mean loss ratio", true), new Column("with relay", true), new Column("Mean gross IRR", true), new Column("with relay", true),
            new Column("Projects sold", true)) { Id = "key-relay-sellers" };
        foreach (var i in r.Items)
        {
            t.Row([Cell.Text(i.Relay.Name, "name"),
                ResultTables.WithError(Cell.Probability(i.TrancheBreach.Probability), i.TrancheBreach.StandardError, Cell.Probability),
                Cell.Ratio(i.TrancheLossRatio.Mean), Cell.Ratio(i.TrancheLossRatio.P99), Cell.Number(FigureText.Count(i.MeanDeals), i.MeanDeals),
                Cell.Text($"{FigureText.Money(i.MeanSpent)} / {FigureText.Money(i.MeanBudget)}"),
                ResultTables.WithError(Cell.Probability(i.BudgetBinds.Probability), i.BudgetBinds.StandardError, Cell.Probability),
                Cell.Money(i.MeanUnmetDemand), Cell.Money(i.MeanLossMoved)]);
            foreach (var s in i.Sellers)
                sellers.Row([Cell.Text(i.Relay.Name, "name"), Cell.Text(s.Fund, "name"),
                    ResultTables.WithError(Cell.Probability(s.Breach.Probability), s.Breach.StandardError, Cell.Probability),
                    ResultTables.WithError(Cell.Probability(s.BreachWithRelay.Probability), s.BreachWithRelay.StandardError, Cell.Probability),
                    Cell.Ratio(s.MeanLossRatio), Cell.Ratio(s.MeanLossRatioWithRelay),
                    Rate(s.Irr?.Mean ?? double.NaN), Rate(s.IrrWithRelay?.Mean ?? double.NaN), Cell.Number(FigureText.Count(s.MeanSold), s.MeanSold)]);
        }
        var funds = new HtmlTable(new Column("Relay"), new Column("Relay fund"), new Column("P(breach)", true),
            new Column("with its relay deals", true, "Its tolerance on its own checks plus the tranche's on the prices paid"),
            new Column("Mean loss ratio", true), new Column("with its relay deals", true)) { Id = "key-relay-funds" };
        foreach (var i in r.Items)
            if (i.Fund is { } f)
                funds.Row([Cell.Text(i.Relay.Name, "name"), Cell.Text(f.Fund, "name"),
                    ResultTables.WithError(Cell.Probability(f.Breach.Probability), f.Breach.StandardError, Cell.Probability),
                    ResultTables.WithError(Cell.Probability(f.BreachWithRelay.Probability), f.BreachWithRelay.StandardError, Cell.Probability),
                    Cell.Ratio(f.MeanLossRatio), Cell.Ratio(f.MeanLossRatioWithRelay)]);
        return "<h3>Relay buyers</h3>\n" + t.Render() + sellers.Render() + (r.Items.Any(i => i.Fund is not null) ? funds.Render() : "")
            + "<p class=\"note\">Sellers' figures with and without relay come from the same trials; their loss ratios and IRRs are gross, on their projects' checks and outcomes (a relay deal books its price at the offer date instead of the outcome). The relay tranche is judged under the sellers' seed/angel tolerance.</p>\n";
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
    }

    public string Tables(SimulationResult run, IInstrumentResult result) => "";

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => RelayPlots.Describe(file, name);
}

/// <summary>relay.csv: one row per relay and seller, with the relay's figures on each of its rows.</summary>
internal sealed class RelayCsv : SummaryMap<RelayCsv.Line>
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "relay.csv";

    /// <summary>A row: a relay and one of its sellers.</summary>
    internal sealed record Line(RelayItemResult Relay, RelaySellerResult Seller);

    public static IEnumerable<Line> Rows(RelayResult r) => r.Items.SelectMany(i => i.Sellers.Select(s => new Line(i, s)));

    public RelayCsv()
    {
        Text("relay", x => x.Relay.Relay.Name);
        Text("seller", x => x.Seller.Fund);
        Number("seller.breach", x => x.Seller.Breach.Probability);
        Number("seller.breach.se", x => x.Seller.Breach.StandardError);
        Number("seller.breachWithRelay", x => x.Seller.BreachWithRelay.Probability);
        Number("seller.breachWithRelay.se", x => x.Seller.BreachWithRelay.StandardError);
        Number("seller.meanLossRatio", x => x.Seller.MeanLossRatio);
        Number("seller.meanLossRatioWithRelay", x => x.Seller.MeanLossRatioWithRelay);
        Finite("seller.meanIrr", x => x.Seller.Irr?.Mean ?? double.NaN);
        Finite("seller.meanIrrWithRelay", x => x.Seller.IrrWithRelay?.Mean ?? double.NaN);
        Number("seller.meanSold", x => x.Seller.MeanSold);
        Number("tranche.breach", x => x.Relay.TrancheBreach.Probability);
        Number("tranche.breach.se", x => x.Relay.TrancheBreach.StandardError);
        LossColumns("tranche.lossRatio", x => x.Relay.TrancheLossRatio);
        Number("meanDeals", x => x.Relay.MeanDeals);
        Number("meanBudget", x => x.Relay.MeanBudget);
        Number("meanSpent", x => x.Relay.MeanSpent);
        Number("budgetBinds", x => x.Relay.BudgetBinds.Probability);
        Number("budgetBinds.se", x => x.Relay.BudgetBinds.StandardError);
        Number("meanUnmetDemand", x => x.Relay.MeanUnmetDemand);
        Number("meanLossMoved", x => x.Relay.MeanLossMoved);
        // The relay fund's own book with and without its deals; empty for a vehicle of its own.
        Text("relayFund", x => x.Relay.Fund?.Fund ?? "");
        Number("relayFund.breach", x => x.Relay.Fund?.Breach.Probability ?? double.NaN);
        Number("relayFund.breach.se", x => x.Relay.Fund?.Breach.StandardError ?? double.NaN);
        Number("relayFund.breachWithRelay", x => x.Relay.Fund?.BreachWithRelay.Probability ?? double.NaN);
        Number("relayFund.breachWithRelay.se", x => x.Relay.Fund?.BreachWithRelay.StandardError ?? double.NaN);
        Number("relayFund.meanLossRatio", x => x.Relay.Fund?.MeanLossRatio ?? double.NaN);
        Number("relayFund.meanLossRatioWithRelay", x => x.Relay.Fund?.MeanLossRatioWithRelay ?? double.NaN);
    }
}
