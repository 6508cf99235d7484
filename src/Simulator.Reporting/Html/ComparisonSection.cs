using System.Globalization;
using System.Text;
using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Html;

/// <summary>
/// The variants against the base: what each changes, then one table per fund, programme or scheme with each key
/// figure's value and its difference from the base ± the paired standard error (comparison.csv), then the tornado
/// and its table (sensitivity.csv). Grouping by item keeps the tables a few columns wide however many figures
/// the scenario has.
/// </summary>
internal static class ComparisonSection
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The section's content; <paramref name="plots"/> are the comparison charts, drawn by <paramref name="figure"/>.</summary>
    public static string Render(ComparisonResult c, IReadOnlyList<PlotInfo> plots, Func<PlotInfo, string> figure)
    {
        // Sensitivity runs move one input at a time; listed with the named variants they would bury them, so they
        // get the sensitivity table (and a collapsed table of all their figures) instead.
        // A sweep's variants read best as a grid of values, so they get their own tables too.
        var named = c.Variants.Where(v => v.Variant.Origin == VariantOrigin.Variant || (v.Variant.Origin == VariantOrigin.Sweep && c.Base.Sweep is null)).ToList();
        var swept = c.Base.Sweep is null ? [] : c.Variants.Where(v => v.Variant.Origin == VariantOrigin.Sweep).ToList();
        var sensitivity = c.Variants.Where(v => IsSensitivity(v.Variant.Origin)).ToList();
        var sb = new StringBuilder();
        var counts = new List<string>();
        if (named.Count > 0) counts.Add(Plural(named.Count, "variant"));
        if (swept.Count > 0) counts.Add(Plural(swept.Count, "sweep combination"));
        if (sensitivity.Count > 0) counts.Add(Plural(sensitivity.Count, "sensitivity run"));
        sb.Append("<p>").Append(string.Join(" and ", counts));
        sb.Append(" of the base scenario, each run on the base's random numbers: a difference from the base is the effect of the changed settings, "
            + "not sampling noise. ± is the paired standard error of the difference; <b>bold</b> differences exceed twice their standard error.</p>\n");

        // Comparison charts first, the tornado next to its table below.
        var tornado = new List<string>();
        foreach (var p in plots)
        {
            if (Path.GetFileName(p.File).StartsWith("tornado", StringComparison.Ordinal)) tornado.Add(figure(p));
            else sb.Append(figure(p));
        }

        if (named.Count > 0)
        {
            sb.Append("<h3>Variants</h3>\n");
            var descriptions = (c.Base.Spec().Variants ?? []).Where(v => v.Name is not null).GroupBy(v => v.Name!).ToDictionary(g => g.Key, g => g.First().Description);
            var variants = new HtmlTable(new Column("Variant"), new Column("From"), new Column("Changes"), new Column("Description")) { Id = "variants" };
            foreach (var v in named)
            {
                variants.Row([Cell.Text(v.Variant.Name, "name"), Cell.Text(Origin(v.Variant.Origin)),
                    Cell.Markup(string.Join("<br>", v.Variant.Settings.Select(s => "<code>" + HtmlText.Encode(s.Path) + "</code> = " + HtmlText.Encode(SettingText(s))))),
                    Cell.Text(descriptions.GetValueOrDefault(v.Variant.Name), "wrap")]);
            }
            sb.Append(variants.Render());
            sb.Append(FigureTables(c, named, "compare-"));
        }

        if (swept.Count > 0)
        {
            sb.Append(SweepTables(c, c.Base.Sweep!, swept));
            sb.Append("<details>\n<summary>Every key figure of the ").Append(Plural(swept.Count, "sweep combination")).Append("</summary>\n")
                .Append(FigureTables(c, swept, "sweep-runs-")).Append("</details>\n");
        }

        if (c.Base.Sensitivity is { } plan) sb.Append(Sensitivity(c, plan, tornado));
        else foreach (var f in tornado) sb.Append(f);

        if (sensitivity.Count > 0)
        {
            sb.Append("<details>\n<summary>Every key figure of the ").Append(Plural(sensitivity.Count, "sensitivity run")).Append("</summary>\n")
                .Append(FigureTables(c, sensitivity, "sensitivity-runs-")).Append("</details>\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// One table per fund, programme or scheme, one more per fund for its LPs' returns, and one more for the
    /// probabilities of an item with more than five other figures (a scheme with a guarantor, a book of firms), so that
    /// tables stay narrow enough to read without scrolling: the base row, then each variant's values and differences.
    /// </summary>
    private static string FigureTables(ComparisonResult c, IReadOnlyList<VariantOutcome> outcomes, string idPrefix)
    {
        var sb = new StringBuilder();
        static bool IsReturn(KeyFigure f) => f.Unit is FigureUnit.Multiple or FigureUnit.Rate;
        var wide = c.BaseFigures.Where(f => !IsReturn(f.Figure)).GroupBy(f => f.Figure.Item).Where(g => g.Count() > 5).Select(g => g.Key).ToHashSet();
        string Part(KeyFigure f) => IsReturn(f) ? "returns" : wide.Contains(f.Item) && f.Unit == FigureUnit.Probability ? "probabilities" : "";
        foreach (var group in c.BaseFigures.Select((f, i) => (f, i)).GroupBy(x => (x.f.Figure.Item, Part: Part(x.f.Figure))))
        {
            var items = group.ToList();
            string item = group.Key.Item;
            string heading = group.Key.Part switch { "returns" => item + ": returns to the LPs", "probabilities" => item + ": probabilities", _ => item };
            sb.Append("<h3>").Append(HtmlText.Encode(heading)).Append("</h3>\n");
            var columns = new List<Column> { new("Variant") };
            foreach (var _ in items)
            {
                columns.Add(new Column("Value", true));
                columns.Add(new Column("Difference ± SE", true, "Variant minus base ± paired standard error"));
            }
            var t = new HtmlTable([.. columns]) { Id = idPrefix + item + (group.Key.Part.Length > 0 ? "-" + group.Key.Part : "") };
            t.Group("", 1);
            foreach (var (f, _) in items) t.Group(FigureLabel(f.Figure), 2);
            var baseRow = new List<Cell> { Cell.Text("base", "name") };
            foreach (var (f, _) in items) baseRow.AddRange([Value(f.Figure, f.Estimate.Value), Cell.Text("—", "muted")]);
            t.Row(baseRow, "total");
            foreach (var v in outcomes)
            {
                var row = new List<Cell> { Cell.Text(v.Variant.Name, "name") };
                foreach (var (f, i) in items)
                {
                    var x = ComparisonResult.Figure(v, f.Figure.Name) ?? (i < v.Figures.Count ? v.Figures[i] : null);
                    if (x is null) row.AddRange([Cell.Blank, Cell.Blank]);
                    else row.AddRange([Value(x.Figure, x.Estimate.Value), Difference(x.Figure, x.Difference.Value, x.Difference.StandardError)]);
                }
                t.Row(row);
            }
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    /// <summary>
    /// The sweep as grids of its headline figures (breach and exhaustion probabilities, government cost): one path
    /// gives a table of its values against the figures, two paths a matrix per figure, the way tolerance settings
    /// are compared. With more paths the combinations stay in the collapsed tables only.
    /// </summary>
    private static string SweepTables(ComparisonResult c, SweepPlan plan, IReadOnlyList<VariantOutcome> swept)
    {
        if (plan.Paths.Count is < 1 or > 2) return "";
        var headline = c.BaseFigures.Where(f => f.Figure.Unit == FigureUnit.Probability || f.Figure.Name.EndsWith(".governmentCost", StringComparison.Ordinal)).ToList();
        if (headline.Count == 0) headline = c.BaseFigures.ToList();

        // Each combination's position in the grid, from its settings (the values as the sweep wrote them).
        VariantOutcome? At(params int[] index)
        {
            foreach (var v in swept)
            {
                bool all = true;
                for (int k = 0; k < plan.Paths.Count && all; k++)
                    all = v.Variant.Settings.Any(x => x.Path == plan.Paths[k] && x.Value == plan.Values[k][index[k]]);
                if (all) return v;
            }
            return null;
        }
        string ValueText(int k, int i) => plan.Numbers[k][i] is { } n ? HtmlText.Plain(n) : plan.Values[k][i];
        Cell FigureCell(VariantOutcome? v, FigureComparison baseFigure)
        {
            var x = v is null ? null : ComparisonResult.Figure(v, baseFigure.Figure.Name);
            if (x is null) return Cell.Blank;
            return Cell.Number(FormatValue(x.Figure, x.Estimate.Value), x.Estimate.Value, title: $"{v!.Variant.Name}: {FormatDifference(x.Figure, x.Difference.Value, x.Difference.StandardError)} from the base");
        }

        var sb = new StringBuilder();
        sb.Append("<h3>Sweep</h3>\n<p class=\"note\">Base values: ")
            .Append(string.Join("; ", headline.Select(f => HtmlText.Encode($"{f.Figure.Item} {FigureLabel(f.Figure)} {FormatValue(f.Figure, f.Estimate.Value)}"))))
            .Append(". Hover over a value for its difference from the base ± paired standard error.</p>\n");
        if (plan.Paths.Count == 1)
        {
            var t = new HtmlTable([new Column(plan.Paths[0], true), .. headline.Select(f => new Column($"{f.Figure.Item} {FigureLabel(f.Figure)}", true))]) { Id = "sweep" };
            for (int i = 0; i < plan.Values[0].Count; i++)
            {
                var v = At(i);
                t.Row([Cell.Number(ValueText(0, i), plan.Numbers[0][i] ?? double.NaN, "name"), .. headline.Select(f => FigureCell(v, f))]);
            }
            sb.Append(t.Render());
            return sb.ToString();
        }
        foreach (var f in headline)
        {
            sb.Append("<h4>").Append(HtmlText.Encode($"{f.Figure.Item} {FigureLabel(f.Figure)}")).Append("</h4>\n");
            var t = new HtmlTable([new Column(plan.Paths[0] + " \u2193 / " + plan.Paths[1] + " \u2192"), .. plan.Values[1].Select((_, j) => new Column(ValueText(1, j), true))])
            {
                Id = "sweep-" + f.Figure.Name, Class = "grid",
            };
            for (int i = 0; i < plan.Values[0].Count; i++)
                t.Row([Cell.Number(ValueText(0, i), plan.Numbers[0][i] ?? double.NaN, "name"), .. plan.Values[1].Select((_, j) => FigureCell(At(i, j), f))]);
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    private static bool IsSensitivity(VariantOrigin origin) => origin is VariantOrigin.SensitivityDown or VariantOrigin.SensitivityUp;

    private static string Plural(int n, string noun) => $"{n.ToString(Invariant)} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>A setting's value as written, except computed numbers (0.7000000000000001) which are rounded for reading.</summary>
    private static string SettingText(VariantSetting s) =>
        s.Number is { } n && !s.Value.Contains('e', StringComparison.OrdinalIgnoreCase) ? HtmlText.Plain(n) : s.Value;

    private static string Sensitivity(ComparisonResult c, SensitivityPlan plan, List<string> tornado)
    {
        var sb = new StringBuilder();
        var output = c.BaseFigures.FirstOrDefault(f => f.Figure.Name == plan.Output)?.Figure;
        sb.Append("<h3>Sensitivity of ").Append(HtmlText.Encode(output is null ? plan.Output : $"{output.Item} {FigureLabel(output)}"))
            .Append(" <code>").Append(HtmlText.Encode(plan.Output)).Append("</code></h3>\n");
        foreach (var f in tornado) sb.Append(f);
        var baseFigure = c.BaseFigures.FirstOrDefault(f => f.Figure.Name == plan.Output);
        if (baseFigure is null)
        {
            sb.Append("<p class=\"note\">The output ").Append(HtmlText.Encode(plan.Output)).Append(" is not among the key figures of this run.</p>\n");
            return sb.ToString();
        }
        sb.Append("<p class=\"note\">Base value ").Append(HtmlText.Encode(FormatValue(baseFigure.Figure, baseFigure.Estimate.Value)))
            .Append(". Each input is moved down and up by its step, the others kept at their base values; rows are sorted by the larger of the two swings.</p>\n");
        var rows = plan.Inputs.Select(input =>
        {
            var low = c.Find(input.DownVariant) is { } d ? ComparisonResult.Figure(d, plan.Output) : null;
            var high = c.Find(input.UpVariant) is { } u ? ComparisonResult.Figure(u, plan.Output) : null;
            double swing = Math.Max(Abs(low?.Difference.Value), Abs(high?.Difference.Value));
            return (input, low, high, swing);
        }).OrderByDescending(r => r.swing).ToList();

        var t = new HtmlTable(new Column("Input"), new Column("Base value", true), new Column("Moved down to", true), new Column("Moved up to", true),
            new Column("Output at low", true), new Column("Output at high", true), new Column("Swing down ± SE", true), new Column("Swing up ± SE", true)) { Id = "sensitivity" };
        foreach (var (input, low, high, _) in rows)
        {
            t.Row([
                Cell.Markup("<code>" + HtmlText.Encode(input.Path) + "</code>"),
                Cell.Number(HtmlText.Plain(input.BaseValue), input.BaseValue), Cell.Number(HtmlText.Plain(input.Low), input.Low), Cell.Number(HtmlText.Plain(input.High), input.High),
                low is null ? Cell.Blank : Value(low.Figure, low.Estimate.Value), high is null ? Cell.Blank : Value(high.Figure, high.Estimate.Value),
                low is null ? Cell.Blank : Difference(low.Figure, low.Difference.Value, low.Difference.StandardError),
                high is null ? Cell.Blank : Difference(high.Figure, high.Difference.Value, high.Difference.StandardError),
            ]);
        }
        sb.Append(t.Render());
        return sb.ToString();
    }

    private static double Abs(double? x) => x is { } v && double.IsFinite(v) ? Math.Abs(v) : 0;

    private static string Origin(VariantOrigin origin) => origin switch
    {
        VariantOrigin.Sweep => "sweep",
        VariantOrigin.SensitivityDown => "sensitivity, down",
        VariantOrigin.SensitivityUp => "sensitivity, up",
        _ => "variant",
    };

    /// <summary>A readable name of a key figure (the comparison.csv column name is kept as a tooltip).</summary>
    internal static string FigureLabel(KeyFigure f)
    {
        string suffix = f.Name.Length > f.Item.Length + 1 && f.Name.StartsWith(f.Item + ".", StringComparison.Ordinal) ? f.Name[(f.Item.Length + 1)..] : f.Name;
        return suffix switch
        {
            "breachProbability" => "P(breach)",
            "p99LossRatio" => "p99 loss ratio",
            "meanLoss" => "Mean loss (million CNY)",
            "p99Loss" => "p99 loss (million CNY)",
            "governmentCost" => "Government cost (million CNY)",
            "exhaustionProbability" => "P(pool exhausted)",
            "insolvencyProbability" => "P(guarantor insolvent)",
            "fiscalLeverage" => "Fiscal leverage",
            "netMultiplePrivateLp" => "Net multiple, private LPs",
            "netIrrPrivateLp" => "Net IRR, private LPs",
            "netMultipleGovernment" => "Net multiple, government",
            "netIrrGovernment" => "Net IRR, government",
            _ => suffix,
        };
    }

    /// <summary>A figure's value in its unit.</summary>
    internal static string FormatValue(KeyFigure f, double x) => FigureText.Value(f.Unit, x);

    private static Cell Value(KeyFigure f, double x) => Cell.Number(FormatValue(f, x), x);

    /// <summary>
    /// "+0.52 ± 0.10 pt": probabilities and ratios in percentage points, amounts in million CNY. Bold when the
    /// difference exceeds twice its standard error (or is exact: a zero standard error with a non-zero difference).
    /// </summary>
    internal static string FormatDifference(KeyFigure f, double diff, double se) => FigureText.Difference(f.Unit, diff, se);

    private static Cell Difference(KeyFigure f, double diff, double se)
    {
        bool significant = double.IsFinite(diff) && diff != 0 && (se == 0 || double.IsFinite(se) && Math.Abs(diff) > 2 * se);
        return Cell.Number(FormatDifference(f, diff, se), diff, significant ? "sig" : null);
    }
}
