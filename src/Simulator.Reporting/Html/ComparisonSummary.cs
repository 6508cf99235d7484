using System.Text;
using Simulator.Core.Comparison;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Html;

/// <summary>
/// The answer to the question a run with variants asks, at the top of the report next to the base's key figures:
/// a card with the largest change, each named variant's headline figures against the base, the range a sweep
/// spans and the input a sensitivity analysis finds most important. The full tables and charts stay in the
/// section "Variants compared" further down.
/// </summary>
internal static class ComparisonSummary
{
    /// <summary>
    /// The figures a reader compares first: the programme's breach probability (without a programme, up to three
    /// funds'), then each scheme's government cost; at most four, so the table stays narrow.
    /// </summary>
    internal static IReadOnlyList<FigureComparison> Headline(ComparisonResult c)
    {
        var figures = c.BaseFigures;
        var list = new List<FigureComparison>();
        var programme = figures.FirstOrDefault(f => f.Figure.Name == ComparisonFigures.ProgrammeBreach);
        if (programme is not null) list.Add(programme);
        else list.AddRange(figures.Where(f => ComparisonFigures.IsBreach(f.Figure)).Take(3));
        list.AddRange(figures.Where(f => ComparisonFigures.IsGovernmentCost(f.Figure)));
        if (list.Count == 0) list.AddRange(figures.Take(1));
        return list.Take(4).ToList();
    }

    /// <summary>Adds a card with the comparison's main result: the largest change, a sweep's range or the widest swing.</summary>
    internal static void AddCard(ComparisonResult c, List<(string Label, string Value, string Detail)> cards)
    {
        var headline = Headline(c);
        if (headline.Count == 0) return;
        var first = headline[0];
        var named = Named(c);
        if (named.Count > 0)
        {
            // The variant that moves the first headline figure most.
            var best = named.Select(v => (Variant: v, Figure: ComparisonResult.Figure(v, first.Figure.Name)))
                .Where(x => x.Figure is { } f && double.IsFinite(f.Difference.Value) && f.Difference.Value != 0)
                .OrderByDescending(x => Math.Abs(x.Figure!.Difference.Value))
                .FirstOrDefault();
            if (best.Figure is { } f)
            {
                cards.Add(($"Largest change in the {Describe(f.Figure)}", WithUnit(f.Figure, FigureText.Difference(f.Figure.Unit, f.Difference.Value)),
                    $"{best.Variant.Variant.Name}: {ComparisonSection.FormatValue(f.Figure, first.Estimate.Value)} → {ComparisonSection.FormatValue(f.Figure, f.Estimate.Value)} "
                    + $"(± {FigureText.Spread(f.Figure.Unit, f.Difference.StandardError)})"));
            }
            else
            {
                cards.Add(($"Variants: the {Describe(first.Figure)}", "no change", $"in any of the {named.Count} variant(s)"));
            }
            return;
        }
        if (Swept(c) is { Count: > 0 } swept && Range(swept, first) is { } range)
        {
            cards.Add(($"Over the sweep: {Describe(first.Figure)}", $"{ComparisonSection.FormatValue(first.Figure, range.Low.Estimate.Value)} – {ComparisonSection.FormatValue(first.Figure, range.High.Estimate.Value)}",
                $"{swept.Count} combinations; base {ComparisonSection.FormatValue(first.Figure, first.Estimate.Value)}"));
            return;
        }
        if (Widest(c) is { } widest)
        {
            cards.Add(($"Widest swing of the {Describe(widest.Output)}", WithUnit(widest.Output, FigureText.Difference(widest.Output.Unit, widest.Swing.Difference.Value)),
                $"{widest.Input.Path} moved {(widest.Up ? "up" : "down")} to {HtmlText.Plain(widest.Up ? widest.Input.High : widest.Input.Low)}"));
        }
    }

    /// <summary>The summary under the cards (HTML; empty without variants).</summary>
    internal static string Render(ComparisonResult c)
    {
        if (c.Variants.Count == 0) return "";
        var sb = new StringBuilder("<h3>Variants at a glance</h3>\n");
        var headline = Headline(c);
        var named = Named(c);
        if (named.Count > 0 && headline.Count > 0)
        {
            var columns = new List<Column> { new("Variant") };
            columns.AddRange(headline.Select(h => new Column($"{h.Figure.Item} {ComparisonSection.FigureLabel(h.Figure)}", true, "Value in the variant (difference from the base ± paired standard error)")));
            columns.Add(new Column("Largest other change", false, "Of the other key figures beyond Monte Carlo noise, the one that moved most relative to its base value"));
            var t = new HtmlTable([.. columns]) { Id = "key-variants" };
            t.Row([Cell.Text("base", "name"), .. headline.Select(h => Cell.Number(ComparisonSection.FormatValue(h.Figure, h.Estimate.Value), h.Estimate.Value)), Cell.Text("—", "muted")], "total");
            foreach (var v in named)
            {
                var cells = new List<Cell> { Cell.Text(v.Variant.Name, "name") };
                foreach (var h in headline)
                {
                    var x = ComparisonResult.Figure(v, h.Figure.Name);
                    cells.Add(x is null ? Cell.Blank : Cell.Number($"{ComparisonSection.FormatValue(x.Figure, x.Estimate.Value)} ({ComparisonSection.FormatDifference(x.Figure, x.Difference.Value, x.Difference.StandardError)})",
                        x.Estimate.Value, Significant(x) ? "sig" : null));
                }
                var other = v.Figures.Where(f => headline.All(h => h.Figure.Name != f.Figure.Name) && Significant(f))
                    .OrderByDescending(f => Relative(f, c)).FirstOrDefault();
                cells.Add(other is null ? Cell.Text("none beyond Monte Carlo noise", "muted")
                    : Cell.Text($"{Describe(other.Figure)} {ComparisonSection.FormatDifference(other.Figure, other.Difference.Value, other.Difference.StandardError)}", "wrap"));
                t.Row(cells);
            }
            sb.Append(t.Render());
        }
        if (Swept(c) is { Count: > 0 } swept && headline.Count > 0 && Range(swept, headline[0]) is { } range)
        {
            var f = headline[0].Figure;
            sb.Append("<p>Over the sweep's ").Append(swept.Count).Append(" combinations, ").Append(HtmlText.Encode(Describe(f))).Append(" runs from ")
                .Append(HtmlText.Encode($"{ComparisonSection.FormatValue(f, range.Low.Estimate.Value)} ({range.LowName}) to {ComparisonSection.FormatValue(f, range.High.Estimate.Value)} ({range.HighName})"))
                .Append("; the base: ").Append(HtmlText.Encode(ComparisonSection.FormatValue(f, headline[0].Estimate.Value))).Append(".</p>\n");
        }
        if (Widest(c) is { } widest)
        {
            sb.Append("<p>").Append(HtmlText.Encode($"Of the inputs moved one at a time, {widest.Input.Path} moves the {Describe(widest.Output)} most: "
                + $"{FigureText.Difference(widest.Output.Unit, widest.Low?.Difference.Value ?? double.NaN)} when moved down, {FigureText.Difference(widest.Output.Unit, widest.High?.Difference.Value ?? double.NaN)} when moved up."))
                .Append("</p>\n");
        }
        sb.Append("<p class=\"note\">Every variant ran on the base's random numbers, so a difference is the effect of its settings; ± is the paired standard error, "
            + "and <b>bold</b> differences exceed twice it. All key figures, the charts and each variant's settings: <a href=\"#comparison\">Variants compared</a>.</p>\n");
        return sb.ToString();
    }

    /// <summary>"programme breach probability", "tech-sme government cost".</summary>
    private static string Describe(Core.Instruments.KeyFigure f) => ComparisonFigures.Describe(f);

    private static bool Significant(FigureComparison f) =>
        double.IsFinite(f.Difference.Value) && f.Difference.Value != 0 && (f.Difference.StandardError == 0 || double.IsFinite(f.Difference.StandardError) && Math.Abs(f.Difference.Value) > 2 * f.Difference.StandardError);

    /// <summary>|difference| relative to the base's value; a figure that was zero in the base and moved counts as the largest.</summary>
    private static double Relative(FigureComparison f, ComparisonResult c)
    {
        double baseValue = c.BaseFigures.FirstOrDefault(b => b.Figure.Name == f.Figure.Name)?.Estimate.Value ?? double.NaN;
        return !double.IsFinite(baseValue) ? 0 : baseValue == 0 ? double.MaxValue : Math.Abs(f.Difference.Value / baseValue);
    }

    /// <summary>An amount with its unit, which a card (unlike a table's column) has nowhere else.</summary>
    private static string WithUnit(Core.Instruments.KeyFigure f, string text) => f.Unit == Core.Instruments.FigureUnit.Money ? text + " M CNY" : text;

    /// <summary>The variants listed one by one: named ones, and a sweep's combinations when they are not a grid.</summary>
    private static List<VariantOutcome> Named(ComparisonResult c) =>
        c.Variants.Where(v => v.Variant.Origin == VariantOrigin.Variant || (v.Variant.Origin == VariantOrigin.Sweep && c.Base.Sweep is null)).ToList();

    private static List<VariantOutcome> Swept(ComparisonResult c) =>
        c.Base.Sweep is null ? [] : c.Variants.Where(v => v.Variant.Origin == VariantOrigin.Sweep).ToList();

    /// <summary>The lowest and highest value of a figure over a sweep, with the combinations that give them.</summary>
    private static (FigureComparison Low, string LowName, FigureComparison High, string HighName)? Range(List<VariantOutcome> swept, FigureComparison figure)
    {
        var values = swept.Select(v => (v.Variant.Name, Figure: ComparisonResult.Figure(v, figure.Figure.Name)))
            .Where(x => x.Figure is { } f && double.IsFinite(f.Estimate.Value)).ToList();
        if (values.Count == 0) return null;
        var low = values.MinBy(x => x.Figure!.Estimate.Value);
        var high = values.MaxBy(x => x.Figure!.Estimate.Value);
        return (low.Figure!, low.Name, high.Figure!, high.Name);
    }

    /// <summary>The sensitivity input with the widest swing of the output, and its two ends.</summary>
    private static (SensitivityInput Input, Core.Instruments.KeyFigure Output, FigureComparison? Low, FigureComparison? High, FigureComparison Swing, bool Up)? Widest(ComparisonResult c)
    {
        if (c.Base.Sensitivity is not { } plan) return null;
        var output = c.BaseFigures.FirstOrDefault(f => f.Figure.Name == plan.Output)?.Figure;
        if (output is null) return null;
        (SensitivityInput, Core.Instruments.KeyFigure, FigureComparison?, FigureComparison?, FigureComparison, bool)? widest = null;
        double largest = -1;
        foreach (var input in plan.Inputs)
        {
            var low = c.Find(input.DownVariant) is { } d ? ComparisonResult.Figure(d, plan.Output) : null;
            var high = c.Find(input.UpVariant) is { } u ? ComparisonResult.Figure(u, plan.Output) : null;
            foreach (var (end, up) in new[] { (low, false), (high, true) })
            {
                if (end is null || !double.IsFinite(end.Difference.Value) || Math.Abs(end.Difference.Value) <= largest) continue;
                largest = Math.Abs(end.Difference.Value);
                widest = (input, output, low, high, end, up);
            }
        }
        return widest;
    }
}
