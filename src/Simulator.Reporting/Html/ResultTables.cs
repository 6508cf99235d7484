using System.Globalization;
using System.Text;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Html;

/// <summary>
/// The figures of funds.csv and guarantees.csv as tables. The CSV's thirty-odd columns are split into tables of a
/// few columns each (distribution, breach, returns; loss, who pays, risks, volumes), which fit on a screen.
/// </summary>
internal static class ResultTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The HTML of the tables section's content.</summary>
    public static string Render(SimulationResult result)
    {
        var sb = new StringBuilder();
        if (result.Funds.Count > 0) sb.Append(Funds(result));
        if (result.Guarantees.Count > 0) sb.Append(Guarantees(result));
        return sb.ToString();
    }

    private static string Funds(SimulationResult result)
    {
        var sb = new StringBuilder();
        var programme = result.Programme;

        sb.Append("<h3>Loss-ratio distribution</h3>\n");
        var loss = new HtmlTable(new Column("Fund"), new Column("Tolerance", true), new Column("Mean", true), new Column("Sd", true, "Standard deviation"),
            new Column("p50", true, "Median"), new Column("p90", true), new Column("p95", true), new Column("p99", true), new Column("p99.9", true),
            new Column("ES99", true, "Expected shortfall at 99%: mean loss ratio of the worst 1% of trials")) { Id = "funds-loss" };
        foreach (var f in result.Funds) loss.Row([Cell.Text(f.Fund.Name, "name"), Cell.Number(HtmlText.Tolerance(f.Fund.Tolerance), f.Fund.Tolerance), .. LossCells(f.LossRatio, Cell.Ratio)]);
        if (programme is not null)
            loss.Row([Cell.Text("programme", "name"), Cell.Number(HtmlText.Tolerance(programme.MeanTolerance), programme.MeanTolerance), .. LossCells(programme.LossRatio, Cell.Ratio)], "total");
        sb.Append(loss.Render());
        sb.Append("<p class=\"note\">Hover over a figure for its standard error (Monte Carlo error).</p>\n");

        sb.Append("<h3>Breach of the tolerance, money invested and returned</h3>\n");
        var breach = new HtmlTable(new Column("Fund"), new Column("P(breach)", true), new Column("Standard error", true), new Column("95% low", true),
            new Column("95% high", true), new Column("Breaching trials", true), new Column("Invested, mean (million CNY)", true),
            new Column("Proceeds, mean (million CNY)", true, "Gross proceeds of the projects")) { Id = "funds-breach" };
        foreach (var f in result.Funds)
            breach.Row([Cell.Text(f.Fund.Name, "name"), .. BreachCells(f.Breach), Cell.Money(f.MeanInvested), Cell.Money(f.MeanProceeds)]);
        if (programme is not null)
        {
            breach.Row([Cell.Text("programme", "name"), .. BreachCells(programme.Breach),
                Cell.Money(result.Funds.Sum(f => f.MeanInvested)), Cell.Money(result.Funds.Sum(f => f.MeanProceeds))], "total");
        }
        sb.Append(breach.Render());

        sb.Append("<h3>Net multiples</h3>\n");
        sb.Append(Spread(result, "funds-multiple", f => (f.NetMultiplePrivate, f.NetMultipleGovernment), HtmlText.Multiple));
        sb.Append("<p class=\"note\">What each LP gets back per yuan paid in, after fees and carry, including the government's profit concession; a dash: the fund has no such LP.</p>\n");
        sb.Append("<h3>Net IRRs</h3>\n");
        sb.Append(Spread(result, "funds-irr", f => (f.NetIrrPrivate, f.NetIrrGovernment), HtmlText.Ratio));
        sb.Append("<p class=\"note\">Annual internal rate of return of each LP's cash flows, over the trials in which it is defined.</p>\n");

        var thresholds = result.Funds.SelectMany(f => f.LossRatio.Exceedance.Select(e => e.Threshold))
            .Concat(programme?.LossRatio.Exceedance.Select(e => e.Threshold) ?? []).Distinct().Order().ToList();
        if (thresholds.Count > 0)
        {
            sb.Append("<h3>Probability that the loss ratio exceeds</h3>\n");
            var t = new HtmlTable([new Column("Fund"), .. thresholds.Select(x => new Column(HtmlText.Tolerance(x), true))]);
            foreach (var f in result.Funds) t.Row([Cell.Text(f.Fund.Name, "name"), .. ExceedanceCells(f.LossRatio, thresholds)]);
            if (programme is not null) t.Row([Cell.Text("programme", "name"), .. ExceedanceCells(programme.LossRatio, thresholds)], "total");
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    private static string Spread(SimulationResult result, string id, Func<FundResult, (SpreadSummary? Private, SpreadSummary? Government)> pick, Func<double, string> format)
    {
        var t = new HtmlTable(new Column("Fund"),
            new Column("Mean", true), new Column("p5", true), new Column("p50", true), new Column("p95", true),
            new Column("Mean", true), new Column("p5", true), new Column("p50", true), new Column("p95", true)) { Id = id };
        t.Group("", 1).Group("Private LPs", 4).Group("Government", 4);
        foreach (var f in result.Funds)
        {
            var (priv, gov) = pick(f);
            t.Row([Cell.Text(f.Fund.Name, "name"), .. SpreadCells(priv, format), .. SpreadCells(gov, format)]);
        }
        return t.Render();
    }

    private static string Guarantees(SimulationResult result)
    {
        var sb = new StringBuilder();
        sb.Append("<h3>Credit-loss distribution (million CNY)</h3>\n");
        var loss = new HtmlTable(new Column("Scheme"), new Column("Mean", true), new Column("Sd", true), new Column("p50", true), new Column("p90", true),
            new Column("p95", true), new Column("p99", true), new Column("p99.9", true), new Column("ES99", true, "Expected shortfall at 99%"),
            new Column("Worst 1%, mean", true, "Mean credit loss over the worst 1% of trials")) { Id = "guarantees-loss" };
        foreach (var g in result.Guarantees) loss.Row([Cell.Text(g.Guarantee.Name, "name"), .. LossCells(g.Loss, Cell.Money), Cell.Money(g.WorstPercentLoss)]);
        sb.Append(loss.Render());

        sb.Append("<h3>Who pays (million CNY)</h3>\n");
        var parties = new HtmlTable(new Column("Scheme"), new Column("Party"), new Column("Contract share", true), new Column("Mean", true),
            new Column("p99", true), new Column("Worst 1%, mean", true, "Mean over the worst 1% of trials by total credit loss")) { Id = "guarantees-parties" };
        foreach (var g in result.Guarantees)
        {
            var sh = g.Guarantee.Shares;
            foreach (var (party, share, paid) in new[]
            {
                ("guarantor", sh.Guarantor, g.Guarantor), ("re-guarantee", sh.ReGuarantee, g.ReGuarantee),
                ("bank", sh.Bank, g.Bank), ("government pool", sh.Government, g.Government),
            })
            {
                parties.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Text(party), Cell.Number(HtmlText.Tolerance(share), share),
                    Cell.Money(paid.Mean), Cell.Money(paid.P99), Cell.Money(paid.WorstPercentMean)]);
            }
        }
        sb.Append(parties.Render());

        sb.Append("<h3>Risks</h3>\n");
        var risks = new HtmlTable(new Column("Scheme"), new Column("Probability", true), new Column("± SE", true), new Column("Probability", true), new Column("± SE", true),
            new Column("Probability", true), new Column("± SE", true)) { Id = "guarantees-risks" };
        risks.Group("", 1).Group("Government pool exhausted", 2).Group("Guarantor insolvent", 2).Group("New loans suspended", 2);
        foreach (var g in result.Guarantees)
        {
            risks.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Probability(g.Exhausted.Probability), Cell.Probability(g.Exhausted.StandardError),
                Cell.Probability(g.Insolvent.Probability), Cell.Probability(g.Insolvent.StandardError),
                Cell.Probability(g.Suspended.Probability), Cell.Probability(g.Suspended.StandardError)]);
        }
        sb.Append(risks.Render());

        sb.Append("<h3>Volumes and government cost</h3>\n");
        var volume = new HtmlTable(new Column("Scheme"), new Column("Guaranteed, mean (million CNY)", true), new Column("Loans, mean", true),
            new Column("Defaults, mean", true), new Column("Government cost, mean (million CNY)", true), new Column("Government cost, p99 (million CNY)", true),
            new Column("Fiscal leverage", true, "Mean guaranteed amount per yuan of mean government cost")) { Id = "guarantees-volume" };
        foreach (var g in result.Guarantees)
        {
            volume.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Money(g.MeanGuaranteed), Cell.Number(HtmlText.Count(g.MeanLoans), g.MeanLoans),
                Cell.Number(HtmlText.Count(g.MeanDefaults), g.MeanDefaults), Cell.Money(g.Government.Mean), Cell.Money(g.Government.P99),
                Cell.Number(HtmlText.Leverage(g.FiscalLeverage), g.FiscalLeverage)]);
        }
        sb.Append(volume.Render());

        foreach (var g in result.Guarantees)
        {
            sb.Append("<h3>By year — ").Append(HtmlText.Encode(g.Guarantee.Name)).Append("</h3>\n");
            bool capital = g.CapitalByYear.Count > 0;
            var columns = new List<Column> { new("Year", true), new("P(pool exhausted by then)", true), new("P(guarantor insolvent by then)", true) };
            if (capital) columns.AddRange([new Column("Capital p5 (million CNY)", true), new Column("Capital p50", true), new Column("Capital p95", true)]);
            var t = new HtmlTable([.. columns]);
            for (int y = 0; y < g.ExhaustedByYear.Count; y++)
            {
                var cells = new List<Cell> { Cell.Number((y + 1).ToString(Invariant), y + 1), Cell.Probability(g.ExhaustedByYear[y]), Cell.Probability(g.InsolventByYear[y]) };
                if (capital)
                {
                    var c = y < g.CapitalByYear.Count ? g.CapitalByYear[y] : (P5: double.NaN, P50: double.NaN, P95: double.NaN);
                    cells.AddRange([Cell.Money(c.P5), Cell.Money(c.P50), Cell.Money(c.P95)]);
                }
                t.Row(cells);
            }
            sb.Append(t.Render());
        }

        var thresholds = result.Guarantees.SelectMany(g => g.Loss.Exceedance.Select(e => e.Threshold)).Distinct().Order().ToList();
        if (thresholds.Count > 0)
        {
            sb.Append("<h3>Probability that the credit loss exceeds (million CNY)</h3>\n");
            var t = new HtmlTable([new Column("Scheme"), .. thresholds.Select(x => new Column(HtmlText.Money(x), true))]);
            foreach (var g in result.Guarantees) t.Row([Cell.Text(g.Guarantee.Name, "name"), .. ExceedanceCells(g.Loss, thresholds)]);
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    /// <summary>The eight figures of a loss summary, each but the sd with its standard error as a tooltip.</summary>
    private static IEnumerable<Cell> LossCells(LossSummary l, Func<double, Cell> cell)
    {
        var se = l.StandardErrors;
        double[] values = [l.Mean, l.Sd, l.P50, l.P90, l.P95, l.P99, l.P999, l.Es99];
        double[] errors = [se.Mean, double.NaN, se.P50, se.P90, se.P95, se.P99, se.P999, se.Es99];
        return values.Select((v, i) => WithError(cell(v), errors[i], cell));
    }

    /// <summary><paramref name="c"/> with "± error (standard error)" as its tooltip, the error formatted like the value.</summary>
    internal static Cell WithError(Cell c, double error, Func<double, Cell> format) =>
        double.IsFinite(error) ? c with { Title = $"± {HtmlText.Decode(format(error).Html)} (standard error)" } : c;

    private static IEnumerable<Cell> BreachCells(ProbabilityEstimate p) =>
    [
        Cell.Probability(p.Probability), Cell.Probability(p.StandardError), Cell.Probability(p.Ci95Low), Cell.Probability(p.Ci95High),
        Cell.Number(HtmlText.Integer(p.Count), p.Count),
    ];

    private static IEnumerable<Cell> SpreadCells(SpreadSummary? s, Func<double, string> format) =>
        s is null ? Enumerable.Repeat(Cell.Text("—", "muted"), 4) : new[] { s.Mean, s.P5, s.P50, s.P95 }.Select(x => Cell.Number(format(x), x));

    private static IEnumerable<Cell> ExceedanceCells(LossSummary l, IReadOnlyList<double> thresholds) =>
        thresholds.Select(x => l.Exceedance.FirstOrDefault(e => e.Threshold == x) is { } e
            ? Cell.Number($"{HtmlText.Probability(e.Estimate.Probability)} ± {HtmlText.Probability(e.Estimate.StandardError)}", e.Estimate.Probability)
            : Cell.Blank);
}
