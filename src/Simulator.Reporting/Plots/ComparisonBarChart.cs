using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Each variant's difference from the base as horizontal bars with 95% whiskers of the paired difference: one panel
/// per headline measure (breach probabilities of the funds and the programme, government cost and fiscal leverage
/// of each scheme, the funds' net IRR to private LPs), variants top to bottom in run order. Bars whose interval includes zero are drawn pale, so a
/// reader sees at once which changes are Monte Carlo noise.
/// </summary>
internal static class ComparisonBarChart
{
    /// <summary>Writes the chart of <paramref name="variants"/> (a subset of the result's, in run order).</summary>
    internal static void Write(ComparisonResult result, IReadOnlyList<VariantOutcome> variants, string path, string? note = null)
    {
        var measures = new (Func<KeyFigure, bool> Select, string Topic)[]
        {
            (ComparisonFigures.IsBreach, "breach probability"),
            (ComparisonFigures.IsGovernmentCost, "government cost"),
            (ComparisonFigures.IsLeverage, "fiscal leverage"),
            // What a stress that only shifts exits in time moves (the multiples and the government's figures are in the tables).
            (ComparisonFigures.IsPrivateIrr, "net IRR to private LPs"),
        };
        int width = Width(variants);
        var panels = new List<ComparisonCanvas.Panel>();
        foreach (var (select, topic) in measures)
        {
            var indices = result.BaseFigures.Select((f, i) => (f, i)).Where(x => select(x.f.Figure)).Select(x => x.i).ToList();
            if (indices.Count == 0) continue;
            string title = panels.Count == 0 ? $"{result.Base.Title} — variants vs. base: {topic}" : $"Variants vs. base: {topic}";
            var panel = Panel(result, variants, indices, title, panels.Count == 0 ? note : null, width);
            panels.Add(panel);
        }
        if (panels.Count == 0) panels.Add(Empty(result));
        ComparisonCanvas.Save(panels, path, width);
        foreach (var p in panels) p.Plot.Dispose();
    }

    /// <summary>Pixels per variant row and per bar within it.</summary>
    private const int BarPixels = 17, GroupPadding = 14, MinGroupPixels = 34;

    /// <summary>Wider images for long variant names, so the bars keep their room.</summary>
    private static int Width(IReadOnlyList<VariantOutcome> variants)
    {
        int longest = variants.SelectMany(v => TickLabel(v.Variant).Split('\n')).Select(l => l.Length).DefaultIfEmpty(0).Max();
        return Math.Max(PlotStyle.Width, (int)(longest * 7.3) + 700);
    }

    private static ComparisonCanvas.Panel Panel(ComparisonResult result, IReadOnlyList<VariantOutcome> variants, List<int> indices, string title, string? note, int width)
    {
        var figures = indices.Select(i => result.BaseFigures[i]).ToList();
        var unitFigure = figures[0].Figure;
        string xLabel = $"Change from the base ({ComparisonFigures.DiffUnit(unitFigure)})";
        var plot = PlotStyle.Create(title, xLabel, "Variant");

        int n = Math.Max(1, variants.Count), k = figures.Count;
        double size = 0.8 / k;
        double lo = 0, hi = 0;
        bool anyFaint = false, anyMissing = false;
        var labels = new List<(double X, double Y, string Text, bool Right)>();

        for (int s = 0; s < k; s++)
        {
            var figure = figures[s].Figure;
            double scale = ComparisonFigures.Scale(figure);
            var color = ComparisonFigures.ItemColor(result.Base, figure);
            var bars = new List<Bar>();
            var xs = new List<double>();
            var ys = new List<double>();
            var errs = new List<double>();
            for (int g = 0; g < variants.Count; g++)
            {
                double y = n - 1 - g + ((k - 1) / 2.0 - s) * size;
                var f = variants[g].Figures[indices[s]];
                if (!double.IsFinite(f.Difference.Value))
                {
                    anyMissing = true;
                    labels.Add((0, y, double.IsPositiveInfinity(f.Estimate.Value) ? "∞ (no government cost)" : "n/a", true));
                    continue;
                }
                double d = f.Difference.Value * scale;
                double e = double.IsFinite(f.Difference.StandardError) ? ComparisonFigures.Z95 * f.Difference.StandardError * Math.Abs(scale) : 0;
                bool faint = Math.Abs(d) <= e && !(d == 0 && e == 0);
                anyFaint |= faint;
                bars.Add(new Bar
                {
                    Position = y, Value = d, ValueBase = 0, Size = size * 0.85, LineWidth = 0,
                    FillColor = faint ? color.WithAlpha(0.35) : color,
                });
                if (e > 0)
                {
                    xs.Add(d);
                    ys.Add(y);
                    errs.Add(e);
                }
                lo = Math.Min(lo, d - e);
                hi = Math.Max(hi, d + e);
                string text = d == 0 && e == 0 ? "no change" : ComparisonFigures.DiffLabel(figure, f.Difference.Value) + Relative(figure, f.Difference.Value, figures[s].Estimate.Value);
                labels.Add((d >= 0 ? d + e : d - e, y, text, d >= 0));
            }
            if (bars.Count > 0)
            {
                var barPlot = plot.Add.Bars(bars);
                barPlot.Horizontal = true;
                barPlot.LegendText = "";
            }
            // Legend entries by hand: a bar plot's own entry takes the first bar's colour, which may be the pale one.
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{ComparisonFigures.ItemLabel(figure)} (base {ComparisonFigures.ValueLabel(figure, figures[s].Estimate.Value)})",
                FillColor = color,
            });
            if (xs.Count > 0)
            {
                var errors = new ScottPlot.Plottables.ErrorBar(xs, ys, errs, errs, null, null)
                {
                    Color = Colors.Black.WithAlpha(0.8),
                    LineWidth = 1.2f,
                    CapSize = 5,
                };
                plot.Add.Plottable(errors);
            }
        }

        double span = hi - lo;
        if (span <= 0)
        {
            lo = -1;
            hi = 1;
            span = 2;
        }
        double left = lo - span * 0.04, right = hi + span * 0.04;
        var shown = Collapse(labels, k).ToList();
        float fontSize = k > 3 ? 11 : 12;
        foreach (var (x, y, text, r) in shown)
        {
            var label = plot.Add.Text(text, x, y);
            label.LabelAlignment = r ? Alignment.MiddleLeft : Alignment.MiddleRight;
            label.OffsetX = r ? 4 : -4;
            label.LabelFontSize = fontSize;
            label.LabelFontColor = Colors.Black;
        }

        var zero = plot.Add.VerticalLine(0, 1.5f, Colors.Black);
        zero.ExcludeFromLegend = true;
        for (int g = 0; g < n - 1; g++)
        {
            var separator = plot.Add.HorizontalLine(g + 0.5, 1, Colors.Gray.WithAlpha(0.35));
            separator.ExcludeFromLegend = true;
        }

        var ticks = new NumericManual();
        for (int g = 0; g < variants.Count; g++) ticks.AddMajor(n - 1 - g, TickLabel(variants[g].Variant));
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = ComparisonFigures.DiffTick, TickDensity = 0.6 };
        plot.Axes.SetLimits(left, right, -0.5, n - 0.5);
        plot.HideGrid();
        plot.Grid.XAxisStyle.IsVisible = true;

        plot.Legend.ManualItems.Add(WhiskerItem());
        if (anyFaint)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "pale: 95% CI includes 0 (Monte Carlo noise)", FillColor = Colors.Gray.WithAlpha(0.35) });
        if (anyMissing)
            plot.Legend.ManualItems.Add(GuaranteeText.Note("n/a: the variant lacks this figure"));
        if (note is not null) plot.Legend.ManualItems.Add(GuaranteeText.Note(note));
        // Under the axis rather than beside the bars, which keeps the full width for them and their labels.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
        int legendRows = LegendRows(plot.Legend.ManualItems.Select(i => i.LabelText), width);
        int lines = variants.Select(v => TickLabel(v.Variant).Split('\n').Length).DefaultIfEmpty(1).Max();
        int perGroup = Math.Max(Math.Max(MinGroupPixels, lines * 17 + 10), k * BarPixels + GroupPadding);
        int height = Math.Max(300, PlotStyle.FrameHeight + 20 + n * perGroup) + 22 * legendRows + 8;
        // Value labels sit beyond the whiskers; widen the axis until the longest fits.
        ComparisonCanvas.FitLabels(plot, width, height, left, right, -0.5, n - 0.5, shown.Select(l => (l.X, l.Text, l.Right)), fontSize);
        return new ComparisonCanvas.Panel(plot, height);
    }

    /// <summary>Rows a horizontal legend of <paramref name="entries"/> takes in an image <paramref name="width"/> wide.</summary>
    private static int LegendRows(IEnumerable<string> entries, int width)
    {
        int rows = 1;
        double used = 0, available = width - 60;
        foreach (string entry in entries)
        {
            double w = ComparisonCanvas.TextWidth(entry, 13) + 45;
            if (used > 0 && used + w > available)
            {
                rows++;
                used = 0;
            }
            used += w;
        }
        return rows;
    }

    /// <summary>" (-50%)": a change in money or leverage relative to the base, which percentage points need not.</summary>
    internal static string Relative(KeyFigure figure, double diff, double baseValue) =>
        ComparisonFigures.IsShare(figure) || !double.IsFinite(baseValue) || baseValue == 0 || !double.IsFinite(diff)
            ? ""
            : $" ({FigureText.SignedPercent(diff / Math.Abs(baseValue))})";

    /// <summary>The legend entry of the whiskers.</summary>
    internal static LegendItem WhiskerItem() => new()
    {
        LabelText = "whiskers: 95% confidence interval",
        LineColor = Colors.Black,
        LineWidth = 1.2f,
        MarkerShape = MarkerShape.VerticalBar,
        MarkerSize = 10,
        MarkerColor = Colors.Black,
        MarkerLineWidth = 1.2f,
    };

    /// <summary>A variant's name; a sensitivity variant's also says what it set, since its name only gives the leaf.</summary>
    private static string TickLabel(Core.Scenarios.ScenarioVariant v) =>
        v.Origin is Core.Scenarios.VariantOrigin.SensitivityDown or Core.Scenarios.VariantOrigin.SensitivityUp && v.Settings.Count == 1
            ? $"{WrapName(v.Name)}\n{v.Settings[0].Path} = {(v.Settings[0].Number is { } x ? ComparisonFigures.Raw(x) : v.Settings[0].Value)}"
            : WrapName(v.Name);

    /// <summary>One "no change" per variant rather than one per bar when none of its figures moved.</summary>
    private static IEnumerable<(double X, double Y, string Text, bool Right)> Collapse(
        List<(double X, double Y, string Text, bool Right)> labels, int k)
    {
        if (k == 1) return labels;
        int Group(double y) => (int)Math.Round(y);
        var quiet = labels.GroupBy(l => Group(l.Y)).Where(g => g.Count() == k && g.All(l => l.Text == "no change")).Select(g => g.Key).ToHashSet();
        return labels.Where(l => !quiet.Contains(Group(l.Y)))
            .Concat(quiet.Order().Select(g => (0.0, (double)g, "no change in any of these figures", true)));
    }

    private static ComparisonCanvas.Panel Empty(ComparisonResult result)
    {
        var plot = PlotStyle.Create($"{result.Base.Title} — variants compared with the base", "", "");
        var text = plot.Add.Text("No headline figure to compare (see comparison.csv)", 0, 0);
        text.LabelAlignment = Alignment.MiddleCenter;
        text.LabelFontSize = 15;
        plot.HideAxesAndGrid();
        return new ComparisonCanvas.Panel(plot, PlotStyle.Height);
    }

    /// <summary>
    /// Breaks a long variant name into lines of at most <paramref name="max"/> characters, after a '_' where it can
    /// (sweep names join their settings with '_'), else after a '-' or '.', so tick labels stay narrow.
    /// </summary>
    internal static string WrapName(string name, int max = 30)
    {
        if (name.Length <= max) return name;
        var lines = new List<string>();
        string line = "";
        foreach (string token in SplitAfter(name, '_'))
        {
            if (line.Length + token.Length <= max)
            {
                line += token;
                continue;
            }
            if (line.Length > 0) lines.Add(line);
            line = "";
            foreach (string piece in SplitAfter(token, '-', '.', ' '))
            {
                string rest = piece;
                if (line.Length + rest.Length > max && line.Length > 0)
                {
                    lines.Add(line);
                    line = "";
                }
                while (rest.Length > max)
                {
                    lines.Add(rest[..max]);
                    rest = rest[max..];
                }
                line += rest;
            }
        }
        if (line.Length > 0) lines.Add(line);
        return string.Join("\n", lines);
    }

    /// <summary>Splits <paramref name="text"/> after each of <paramref name="separators"/>, keeping them.</summary>
    private static IEnumerable<string> SplitAfter(string text, params char[] separators)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (Array.IndexOf(separators, text[i]) < 0) continue;
            yield return text[start..(i + 1)];
            start = i + 1;
        }
        if (start < text.Length) yield return text[start..];
    }
}
