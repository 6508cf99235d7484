using System.Globalization;
using System.Text;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Scenarios;
using Simulator.Core.Funds;
using Simulator.Reporting.Numbers;
using Simulator.Core.Format;
using Simulator.Core.Guarantees.Format;
using Simulator.Reporting.Instruments;

namespace Simulator.Reporting.Html;

/// <summary>
/// The scenario's inputs as readable tables, from the spec with its defaults filled in (what scenario.json holds),
/// so a reader of a forwarded report can see what was assumed without opening the JSON. Fields whose defaults
/// follow other fields (a fund's investment period, outcome model, tolerance) are taken from the model as run.
/// </summary>
internal static class InputTables
{
    internal static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The HTML of the inputs section's content.</summary>
    public static string Render(SimulationResult result)
    {
        var scenario = result.Scenario;
        var spec = scenario.Spec();
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

        // Only when not the defaults, so the reports of files without them are unchanged.
        if (!scenario.Economy.Copula.IsGaussian)
            sb.Append("<p class=\"note\">Copula: Student t with ν = ").Append(HtmlText.Plain(scenario.Economy.Copula.DegreesOfFreedom))
              .Append(" degrees of freedom, one χ² mixing draw per trial shared by every factor and item (fatter joint tails, the same marginals; docs/model.md §3b).</p>\n");
        if (scenario.Economy.Randomised)
            sb.Append("<p class=\"note\">Factor draws: ").Append(scenario.Economy.Sobol ? "scrambled Sobol points" : "Latin hypercubes")
              .Append(" in 16 independent randomisations. Every standard error, ± and 95% interval in this report is the spread of the 16 randomisations' own estimates divided by 4, not plain sampling's formula, which would overstate it; summary.json's quasiRandom block compares the two (docs/precision.md).</p>\n");

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

        // Each kind's own tables, in the scenario's order of kinds; the outcome models they share follow.
        foreach (var (kind, _) in Instruments.InstrumentReports.Of(result)) sb.Append(kind.Inputs(result));

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


        if (spec.Report is { } report && ((report.LossRatios?.Count ?? 0) > 0 || (report.Exceedance?.Count ?? 0) > 0))
        {
            sb.Append("<h3>Extra report thresholds</h3>\n<p>");
            if (report.LossRatios is { Count: > 0 } lr) sb.Append("Loss ratios: ").Append(HtmlText.Encode(string.Join(", ", lr.Select(FigureText.Tolerance)))).Append(". ");
            if (report.Exceedance is { Count: > 0 } ex) sb.Append("Credit losses (million CNY): ").Append(HtmlText.Encode(string.Join(", ", ex.Select(FigureText.Money)))).Append('.');
            sb.Append("</p>\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A table with one column per fund, model or scheme and one row per parameter: a handful of items against a
    /// dozen parameters reads down a column instead of scrolling sideways.
    /// </summary>
    internal static HtmlTable Parameters(string id, IReadOnlyList<string> names) =>
        new([new Column(""), .. names.Select(n => new Column(n, true))]) { Id = id, Class = "parameters" };

    internal static void Row(HtmlTable t, string label, IEnumerable<Cell> values) => t.Row([new Cell(HtmlText.Encode(label), Class: "param"), .. values]);

    internal static Cell Fraction(double x) => Cell.Number(FigureText.Tolerance(x), x);

    internal static Cell Whole(int x) => Cell.Number(x.ToString(Invariant), x);

    internal static Cell Exit(DistributionSpec? d) => d is null ? Cell.Text("fund's last year") : Cell.Text(DistributionText(d, false));

    internal static string Range<T>(T low, T high, Func<T, string> format) where T : IEquatable<T> =>
        low.Equals(high) ? format(low) : $"per loan, {format(low)} – {format(high)}";

    internal static Cell Tol(double? x) => Cell.Number(FigureText.Tolerance(x ?? double.NaN), x ?? double.NaN);

    internal static Cell Rate(double? x) => Cell.Number(FigureText.Percent(x ?? 0, 2), x ?? 0);

    internal static string Exposure(Dictionary<string, double>? exposure) =>
        exposure is null || exposure.Count == 0 ? "none" : string.Join(", ", exposure.Select(e => $"{e.Key} {HtmlText.Plain(e.Value)}"));

    /// <summary>A distribution in a numeric column: a constant as a number, otherwise its description.</summary>
    internal static Cell Distribution(DistributionSpec? d, bool money)
    {
        if (d is null) return Cell.Blank;
        if (d.Kind == DistributionKind.Fixed && d.Cap is null) return Cell.Number(money ? FigureText.Money(d.Parameters[0]) : HtmlText.Plain(d.Parameters[0]), d.Parameters[0]);
        return Cell.Text(DistributionText(d, money));
    }

    /// <summary>A distribution in words; amounts (medians, bounds, values) in million CNY when <paramref name="money"/>.</summary>
    internal static string DistributionText(DistributionSpec d, bool money)
    {
        string V(double x) => money ? FigureText.Money(x) : HtmlText.Plain(x);
        var p = d.Parameters;
        // A cap (check.cap) is shown after the law: every draw above it is the cap.
        string cap = d.Cap is { } c ? $", capped at {V(c)}" : "";
        return d.Kind switch
        {
            DistributionKind.Fixed => V(p[0]),
            DistributionKind.Uniform => $"uniform {V(p[0])} – {V(p[1])}",
            DistributionKind.LogNormal => $"lognormal, median {V(p[0])}, σ {HtmlText.Plain(p[1])}",
            DistributionKind.Pareto => $"Pareto, min {V(p[0])}, α {HtmlText.Plain(p[1])}",
            DistributionKind.Beta => $"beta, mean {V(p[0])}, sd {HtmlText.Plain(p[1])}",
            _ => "table: " + string.Join(", ", (d.Table ?? []).Select(e => $"{V(e.Value)} ({FigureText.Percent(e.Probability, 1)})")),
        } + cap;
    }
}
