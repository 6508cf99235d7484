using System.Globalization;
using System.Text;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Scenarios;
using Simulator.Core.Funds;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Html;

/// <summary>
/// The scenario's inputs as readable tables, from the spec with its defaults filled in (what scenario.json holds),
/// so a reader of a forwarded report can see what was assumed without opening the JSON. Fields whose defaults
/// follow other fields (a fund's investment period, outcome model, tolerance) are taken from the model as run.
/// </summary>
internal static class InputTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The HTML of the inputs section's content.</summary>
    public static string Render(SimulationResult result)
    {
        var scenario = result.Scenario;
        var spec = scenario.Spec;
        var sb = new StringBuilder();

        sb.Append("<h3>Simulation</h3>\n");
        // Under a precision target the file's trial count is a budget; the trials run are what the figures rest on.
        var precision = result.Precision;
        sb.Append(new HtmlTable(new Column("Trials run", true), new Column("Trial budget", true), new Column("Seed", true), new Column("Horizon (years)", true),
                new Column("Precision target", true), new Column("Importance sampling"), new Column("Scenario file")) { Id = "simulation" }
            .Row([
                Cell.Number(FigureText.Integer(result.Trials), result.Trials),
                precision is null ? Cell.Text("—", "muted") : Cell.Number(FigureText.Integer(precision.MaxTrials), precision.MaxTrials),
                Cell.Number(scenario.Seed.ToString(Invariant), scenario.Seed),
                Cell.Number(scenario.HorizonYears.ToString(Invariant), scenario.HorizonYears),
                precision is null ? Cell.Text("none") : Cell.Number(FigureText.Tolerance(precision.Target.RelativeError) + " relative SE", precision.Target.RelativeError),
                Cell.Text(scenario.ImportanceSampling is null ? "not used" : scenario.ImportanceSampling.Automatic ? "automatic shift" : "shift set in the file"),
                Cell.Text(Path.GetFileName(scenario.SourceFile)),
            ])
            .Render());

        var factors = spec.Factors ?? [];
        sb.Append("<h3>Factors</h3>\n");
        if (factors.Count == 0) sb.Append("<p class=\"note\">None: every project and loan is independent of the others.</p>\n");
        else
        {
            var t = new HtmlTable(new Column("Factor"), new Column("Persistence", true, "AR(1) coefficient between consecutive years"), new Column("Description"));
            foreach (var f in factors)
                t.Row([Cell.Text(f.Name, "name"), Cell.Number(HtmlText.Plain(f.Persistence ?? 0), f.Persistence ?? 0), Cell.Text(f.Description, "wrap")]);
            sb.Append(t.Render());
        }

        var stresses = spec.Stresses ?? [];
        sb.Append("<h3>Stresses</h3>\n");
        if (stresses.Count == 0) sb.Append("<p class=\"note\">None: the base economy.</p>\n");
        else
        {
            var t = new HtmlTable(new Column("Stress"), new Column("Factor"), new Column("Years"), new Column("Shift (sd)", true),
                new Column("Write-offs up (points)", true), new Column("PD multiplier", true), new Column("Applies to"), new Column("Description"));
            foreach (var s in stresses)
            {
                string years = s.FromYear is { } from ? (s.ToYear is { } to && to != from ? $"{from}–{to}" : $"{from}")
                    : s.Years is { } y ? $"exits {y} year{(y == 1 ? "" : "s")} later" : "";
                var targets = (s.Funds ?? []).Concat(s.Guarantees ?? []).ToList();
                t.Row([Cell.Text(s.Use ?? "factor shift", "name"), Cell.Text(s.Factor), Cell.Text(years),
                    s.Shift is { } shift ? Cell.Number(HtmlText.Plain(shift), shift) : Cell.Blank,
                    s.Points is { } points ? Cell.Number(FigureText.Tolerance(points), points) : Cell.Blank,
                    s.Multiplier is { } m ? Cell.Number(HtmlText.Plain(m) + "×", m) : Cell.Blank,
                    Cell.Text(targets.Count == 0 ? "all" : string.Join(", ", targets)), Cell.Text(s.Description, "wrap")]);
            }
            sb.Append(t.Render());
        }

        if (spec.Funds is { Count: > 0 } funds)
        {
            var tol = spec.Policy?.Tolerance ?? ScenarioDefaults.Tolerance;
            sb.Append("<h3>Policy tolerances</h3>\n");
            sb.Append(new HtmlTable(new Column("Seed funds", true), new Column("Angel funds", true), new Column("Venture funds", true), new Column("Single direct project", true))
                .Row([Tol(tol.Seed), Tol(tol.Angel), Tol(tol.Venture), Tol(tol.DirectProject)]).Render());
            sb.Append("<p class=\"note\">The share of the amount invested a fund may lose over its whole life without breaching the rules; a fund's own tolerance overrides its type's.</p>\n");

            sb.Append("<h3>Funds</h3>\n");
            var run = funds.Select(f => scenario.Funds.FirstOrDefault(x => x.Name == f.Name)).ToList();
            var t = Parameters("funds-inputs", funds.Select(f => f.Name ?? "").ToList());
            Row(t, "Type", funds.Select(f => Cell.Text(f.Type?.ToString().ToLowerInvariant())));
            Row(t, "Commitment (million CNY)", funds.Select(f => Cell.Money(f.Commitment ?? double.NaN)));
            Row(t, "Government share", funds.Select(f => Fraction(f.GovernmentShare ?? 0)));
            Row(t, "Deals", funds.Select(f => Cell.Number(FigureText.Integer(f.Deals ?? 0), f.Deals ?? 0)));
            Row(t, "Check (million CNY)", funds.Select(f => Distribution(f.Check, true)));
            Row(t, "Investment years", funds.Select((f, i) => Whole(run[i]?.InvestmentYears ?? f.InvestmentYears ?? 0)));
            Row(t, "Life (years)", funds.Select(f => Whole(f.LifeYears ?? 0)));
            Row(t, "Outcome model", funds.Select(f => Cell.Text(f.Outcomes ?? ScenarioDefaults.OutcomeName(f))));
            Row(t, "Exposure (factor loadings)", funds.Select(f => Cell.Text(Exposure(f.Exposure))));
            Row(t, "Tolerance", funds.Select((f, i) =>
            {
                double tolerance = run[i]?.Tolerance ?? f.Tolerance ?? double.NaN;
                return Cell.Number(FigureText.Tolerance(tolerance) + (f.Type == FundType.Direct ? " per project" : "") + (f.Tolerance is null ? "" : " (own)"), tolerance);
            }));
            Row(t, "Management fee (a year)", funds.Select(f => Fraction(f.Fees?.Management ?? 0)));
            Row(t, "Carry", funds.Select(f => Fraction(f.Fees?.Carry ?? 0)));
            Row(t, "Hurdle", funds.Select(f => Fraction(f.Fees?.Hurdle ?? 0)));
            Row(t, "Profit concession to private LPs", funds.Select(f => Fraction(f.Concession ?? 0)));
            sb.Append(t.Render());
        }

        if (spec.Outcomes is { Count: > 0 } outcomes)
        {
            sb.Append("<h3>Outcome models</h3>\n");
            var models = outcomes.ToList();
            var t = Parameters("outcomes-inputs", models.Select(m => m.Key).ToList());
            Row(t, "Write-off", models.Select(m => Cell.Probability(m.Value.WriteOff ?? 0)));
            Row(t, "Partial loss", models.Select(m => Cell.Probability(m.Value.Partial?.Probability ?? 0)));
            Row(t, "Partial multiple", models.Select(m => m.Value.Partial?.Multiple is { } pm ? Cell.Text(DistributionText(pm, false)) : Cell.Blank));
            Row(t, "Success", models.Select(m => Cell.Probability(Math.Max(0, 1 - (m.Value.WriteOff ?? 0) - (m.Value.Partial?.Probability ?? 0)))));
            Row(t, "Success multiple", models.Select(m => m.Value.Success?.Multiple is { } sm ? Cell.Text(DistributionText(sm, false)) : Cell.Blank));
            Row(t, "Cap on the multiple", models.Select(m => m.Value.Success?.Cap is { } cap ? Cell.Number(HtmlText.Plain(cap) + "×", cap) : Cell.Text("none")));
            Row(t, "Exposure years", models.Select(m => Whole(m.Value.ExposureYears ?? ScenarioDefaults.ExposureYears)));
            Row(t, "Exit years, write-off", models.Select(m => Exit(m.Value.ExitYears?.WriteOff)));
            Row(t, "Exit years, partial loss", models.Select(m => Exit(m.Value.ExitYears?.Partial)));
            Row(t, "Exit years, success", models.Select(m => Exit(m.Value.ExitYears?.Success)));
            if (models.Any(m => !string.IsNullOrEmpty(m.Value.Description)))
                Row(t, "Description", models.Select(m => Cell.Text(m.Value.Description, "long")));
            sb.Append(t.Render());
            sb.Append("<p class=\"note\">A project is written off, loses part of its check or succeeds with these probabilities; multiples are of the check. "
                + "Exit years count from the investment year (absent: the fund's last year).</p>\n");
        }

        if (spec.Guarantees is { Count: > 0 } guarantees) sb.Append(Guarantees(scenario, guarantees));

        if (spec.Report is { } report && ((report.LossRatios?.Count ?? 0) > 0 || (report.Exceedance?.Count ?? 0) > 0))
        {
            sb.Append("<h3>Extra report thresholds</h3>\n<p>");
            if (report.LossRatios is { Count: > 0 } lr) sb.Append("Loss ratios: ").Append(HtmlText.Encode(string.Join(", ", lr.Select(FigureText.Tolerance)))).Append(". ");
            if (report.Exceedance is { Count: > 0 } ex) sb.Append("Credit losses (million CNY): ").Append(HtmlText.Encode(string.Join(", ", ex.Select(FigureText.Money)))).Append('.');
            sb.Append("</p>\n");
        }
        return sb.ToString();
    }

    private static string Guarantees(Scenario scenario, List<GuaranteeSpec> guarantees)
    {
        var sb = new StringBuilder();
        sb.Append("<h3>Guarantee schemes</h3>\n");
        var t = Parameters("guarantees-inputs", guarantees.Select(g => g.Name ?? "").ToList());
        var books = guarantees.Select(g => scenario.Guarantees.FirstOrDefault(x => x.Name == g.Name)?.Book).ToList();
        t.Section("Loans");
        Row(t, "Loans", guarantees.Select((g, i) => g.Loans is { } l
            ? Cell.Text($"{FigureText.Integer(l.PerYear ?? 0)} a year for {l.Years ?? 0} year{(l.Years == 1 ? "" : "s")}")
            : Cell.Text($"loan tape {g.LoanTape}" + (books[i] is { } b ? $" ({FigureText.Integer(b.Count)} loans)" : ""), "long")));
        // A loan tape gives these per loan; its totals and ranges say more than "per loan" alone.
        var tapes = books.Select(b => b as TapeBook).ToList();
        Row(t, "Amount (million CNY)", guarantees.Select((g, i) => g.Loans is { } l ? Distribution(l.Amount, true)
            : tapes[i] is { } tape ? Cell.Text($"per loan; total {FigureText.Money(tape.Amount.Sum())}", "long") : Cell.Text("per loan")));
        Row(t, "Max per borrower (million CNY)", guarantees.Select(g => g.Loans is { } l ? l.MaxPerBorrower is { } cap ? Cell.Money(cap) : Cell.Text("no cap") : Cell.Text("—")));
        Row(t, "Term (years)", guarantees.Select((g, i) => g.Loans is { } l ? Whole(l.TermYears ?? 1)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.TermYears.Min(), tape.TermYears.Max(), x => x.ToString(Invariant))) : Cell.Text("per loan")));
        Row(t, "Annual PD", guarantees.Select((g, i) => g.Loans is { } l ? Cell.Probability(l.Pd ?? double.NaN)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.Classes.Min(c => c.Pd), tape.Classes.Max(c => c.Pd), FigureText.Probability)) : Cell.Text("per loan")));
        Row(t, "LGD (loss given default)", guarantees.Select((g, i) => g.Loans is { } l ? Distribution(l.Lgd, false)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.LgdValues.Min(), tape.LgdValues.Max(), HtmlText.Plain)) : Cell.Text("per loan")));
        Row(t, "Exposure (factor loadings)", guarantees.Select(g => g.Loans is { } l ? Cell.Text(Exposure(l.Exposure)) : Cell.Text("per loan")));
        t.Section("Share of every default loss");
        Row(t, "Guarantor", guarantees.Select(g => Fraction(g.Shares?.Guarantor ?? 0)));
        Row(t, "Re-guarantee", guarantees.Select(g => Fraction(g.Shares?.ReGuarantee ?? 0)));
        Row(t, "Bank", guarantees.Select(g => Fraction(g.Shares?.Bank ?? 0)));
        Row(t, "Government pool", guarantees.Select(g => Fraction(g.Shares?.Government ?? 0)));
        t.Section("Government pool");
        Row(t, "Budget (million CNY)", guarantees.Select(g => g.Government?.Budget is { } budget ? Cell.Money(budget) : Cell.Text("no limit")));
        Row(t, "Cap (share of the amount guaranteed)", guarantees.Select(g => g.Government?.CapRate is { } rate ? Fraction(rate) : Cell.Text("no cap")));
        Row(t, "What it cannot pay goes to", guarantees.Select(g => Cell.Text(Shortfall(g.Government?.ShortfallTo ?? ShortfallTo.Guarantor))));
        Row(t, "Stop new loans above payout rate", guarantees.Select(g => g.SuspendAbovePayoutRate is { } rate ? Fraction(rate) : Cell.Text("never")));
        if (guarantees.Any(g => g.Guarantor is not null))
        {
            t.Section("Guarantor");
            Row(t, "Capital (million CNY)", guarantees.Select(g => g.Guarantor is { } q ? Cell.Money(q.Capital ?? 0) : Cell.Text("none")));
            Row(t, "Leverage cap", guarantees.Select(g => g.Guarantor is { } q
                ? Cell.Number(HtmlText.Plain(q.LeverageCap ?? ScenarioDefaults.LeverageCap) + "×", q.LeverageCap ?? ScenarioDefaults.LeverageCap) : Cell.Blank));
            Row(t, "Fee rate (a year)", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.FeeRate) : Cell.Blank));
            Row(t, "Cost rate (a year)", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.CostRate) : Cell.Blank));
            Row(t, "Yield on capital", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.Yield) : Cell.Blank));
        }
        if (guarantees.Any(g => !string.IsNullOrEmpty(g.Description)))
        {
            Row(t, "Description", guarantees.Select(g => Cell.Text(g.Description, "long")));
        }
        sb.Append(t.Render());
        return sb.ToString();
    }

    /// <summary>
    /// A table with one column per fund, model or scheme and one row per parameter: a handful of items against a
    /// dozen parameters reads down a column instead of scrolling sideways.
    /// </summary>
    private static HtmlTable Parameters(string id, IReadOnlyList<string> names) =>
        new([new Column(""), .. names.Select(n => new Column(n, true))]) { Id = id, Class = "parameters" };

    private static void Row(HtmlTable t, string label, IEnumerable<Cell> values) => t.Row([new Cell(HtmlText.Encode(label), Class: "param"), .. values]);

    private static Cell Fraction(double x) => Cell.Number(FigureText.Tolerance(x), x);

    private static Cell Whole(int x) => Cell.Number(x.ToString(Invariant), x);

    private static Cell Exit(DistributionSpec? d) => d is null ? Cell.Text("fund's last year") : Cell.Text(DistributionText(d, false));

    private static string Range<T>(T low, T high, Func<T, string> format) where T : IEquatable<T> =>
        low.Equals(high) ? format(low) : $"per loan, {format(low)} – {format(high)}";

    private static Cell Tol(double? x) => Cell.Number(FigureText.Tolerance(x ?? double.NaN), x ?? double.NaN);

    private static Cell Rate(double? x) => Cell.Number(FigureText.Percent(x ?? 0, 2), x ?? 0);

    private static string Shortfall(ShortfallTo to) => to switch
    {
        ShortfallTo.Bank => "bank",
        ShortfallTo.ProRata => "the others pro rata",
        _ => "guarantor",
    };

    private static string Exposure(Dictionary<string, double>? exposure) =>
        exposure is null || exposure.Count == 0 ? "none" : string.Join(", ", exposure.Select(e => $"{e.Key} {HtmlText.Plain(e.Value)}"));

    /// <summary>A distribution in a numeric column: a constant as a number, otherwise its description.</summary>
    private static Cell Distribution(DistributionSpec? d, bool money)
    {
        if (d is null) return Cell.Blank;
        if (d.Kind == DistributionKind.Fixed) return Cell.Number(money ? FigureText.Money(d.Parameters[0]) : HtmlText.Plain(d.Parameters[0]), d.Parameters[0]);
        return Cell.Text(DistributionText(d, money));
    }

    /// <summary>A distribution in words; amounts (medians, bounds, values) in million CNY when <paramref name="money"/>.</summary>
    internal static string DistributionText(DistributionSpec d, bool money)
    {
        string V(double x) => money ? FigureText.Money(x) : HtmlText.Plain(x);
        var p = d.Parameters;
        return d.Kind switch
        {
            DistributionKind.Fixed => V(p[0]),
            DistributionKind.Uniform => $"uniform {V(p[0])} – {V(p[1])}",
            DistributionKind.LogNormal => $"lognormal, median {V(p[0])}, σ {HtmlText.Plain(p[1])}",
            DistributionKind.Pareto => $"Pareto, min {V(p[0])}, α {HtmlText.Plain(p[1])}",
            DistributionKind.Beta => $"beta, mean {V(p[0])}, sd {HtmlText.Plain(p[1])}",
            _ => "table: " + string.Join(", ", (d.Table ?? []).Select(e => $"{V(e.Value)} ({FigureText.Percent(e.Probability, 1)})")),
        };
    }
}
