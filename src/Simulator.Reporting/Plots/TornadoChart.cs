using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Comparison;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The tornado of a sensitivity analysis: per input, how far the output moves from the base when the input is
/// moved down and up, the inputs with the widest swing on top, so a policy designer sees which assumption the
/// output hangs on. Whiskers are 95% intervals of the paired differences (same random numbers as the base).
/// </summary>
internal static class TornadoChart
{
    /// <summary>File name of the chart.</summary>
    internal const string FileName = "tornado.png";

    /// <summary>Colour of the "input decreased" bars.</summary>
    private static readonly Color DownColor = Color.FromHex("#1F77B4");

    /// <summary>Colour of the "input increased" bars.</summary>
    private static readonly Color UpColor = Color.FromHex("#FF7F0E");

    private sealed record Row(SensitivityInput Input, FigureComparison? Low, FigureComparison? High)
    {
        public double Swing => Math.Abs(Finite(High?.Difference.Value) - Finite(Low?.Difference.Value));

        private static double Finite(double? x) => x is { } v && double.IsFinite(v) ? v : 0;
    }

    /// <summary>Writes the chart for the result's sensitivity plan to <paramref name="path"/>.</summary>
    internal static void Write(ComparisonResult result, string path)
    {
        var plan = result.Base.Sensitivity!;
        var baseFigure = result.BaseFigures.First(f => f.Figure.Name == plan.Output);
        var figure = baseFigure.Figure;
        double scale = ComparisonFigures.Scale(figure);

        // Largest swing on top; ties keep the file's order (OrderBy is stable).
        var rows = plan.Inputs
            .Select(i => new Row(i, Lookup(result, i.DownVariant, plan.Output), Lookup(result, i.UpVariant, plan.Output)))
            .OrderByDescending(r => r.Swing)
            .ToList();
        int n = Math.Max(1, rows.Count);

        string xLabel = $"Change in {ComparisonFigures.Describe(figure)} from the base ({ComparisonFigures.DiffUnit(figure)})";
        using var plot = PlotStyle.Create($"{result.Base.Title} — sensitivity of {plan.Output}", xLabel, "Input (low → high value)");

        const double size = 0.62;
        double lo = 0, hi = 0;
        var labels = new List<(double X, double Y, string Text, bool Right)>();
        var bars = new List<Bar>();
        var errX = new List<double>();
        var errY = new List<double>();
        var errE = new List<double>();
        for (int r = 0; r < rows.Count; r++)
        {
            double y = n - 1 - r;
            var ends = new[] { (rows[r].Low, DownColor), (rows[r].High, UpColor) }
                .Select(e => (Comparison: e.Item1, Color: e.Item2, Diff: e.Item1 is { } c && double.IsFinite(c.Difference.Value) ? c.Difference.Value * scale : double.NaN))
                .ToList();
            if (ends.All(e => e.Diff == 0 && e.Comparison!.Difference.StandardError == 0))
            {
                labels.Add((0, y, "no change either way", true));
                continue;
            }
            // The longer bar first, so a shorter one pointing the same way is drawn over it and stays visible.
            foreach (var end in ends.OrderByDescending(e => double.IsFinite(e.Diff) ? Math.Abs(e.Diff) : -1))
            {
                if (!double.IsFinite(end.Diff))
                {
                    labels.Add((0, y + (end.Color == DownColor ? 0.17 : -0.17), end.Color == DownColor ? "low: n/a" : "high: n/a", true));
                    continue;
                }
                double d = end.Diff;
                double e = end.Comparison!.Difference.StandardError is var s && double.IsFinite(s) ? ComparisonFigures.Z95 * s * Math.Abs(scale) : 0;
                bars.Add(new Bar { Position = y, Value = d, ValueBase = 0, Size = size, FillColor = end.Color, LineWidth = 0 });
                if (e > 0)
                {
                    errX.Add(d);
                    errY.Add(y);
                    errE.Add(e);
                }
                lo = Math.Min(lo, d - e);
                hi = Math.Max(hi, d + e);
                string text = d == 0 && e == 0 ? "no change" : ComparisonFigures.DiffLabel(figure, end.Comparison.Difference.Value);
                labels.Add((d >= 0 ? d + e : d - e, y, text, d >= 0));
            }
        }
        // Two labels on the same side of one row (both moves push the output the same way) would overlap.
        labels = Separate(labels);

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        if (errX.Count > 0)
        {
            plot.Add.Plottable(new ScottPlot.Plottables.ErrorBar(errX, errY, errE, errE, null, null)
            {
                Color = Colors.Black.WithAlpha(0.8),
                LineWidth = 1.3f,
                CapSize = 6,
            });
        }

        double span = hi - lo;
        if (span <= 0)
        {
            lo = -1;
            hi = 1;
            span = 2;
        }
        double left = lo - span * 0.04, right = hi + span * 0.04;
        foreach (var (x, y, text, toRight) in labels)
        {
            var label = plot.Add.Text(text, x, y);
            label.LabelAlignment = toRight ? Alignment.MiddleLeft : Alignment.MiddleRight;
            label.OffsetX = toRight ? 4 : -4;
            label.LabelFontSize = 12;
        }

        var zero = plot.Add.VerticalLine(0, 2, Colors.Black);
        zero.ExcludeFromLegend = true;
        // The base's value at the top of its line, so the axis of differences can be read as levels too.
        double topY = n - 0.5 + 0.55;
        var baseLabel = plot.Add.Text($"base: {ComparisonFigures.ValueLabel(figure, baseFigure.Estimate.Value)}", 0, topY);
        baseLabel.LabelAlignment = Alignment.MiddleCenter;
        baseLabel.LabelFontSize = 13;
        baseLabel.LabelBold = true;
        baseLabel.LabelBackgroundColor = Colors.White;

        var ticks = new NumericManual();
        for (int r = 0; r < rows.Count; r++) ticks.AddMajor(n - 1 - r, InputLabel(rows[r].Input));
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = ComparisonFigures.DiffTick, TickDensity = 0.6 };
        plot.Axes.SetLimits(left, right, -0.6, n - 0.5 + 1.0);
        plot.HideGrid();
        plot.Grid.XAxisStyle.IsVisible = true;

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "input decreased", FillColor = DownColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "input increased", FillColor = UpColor });
        plot.Legend.ManualItems.Add(ComparisonBarChart.WhiskerItem());
        // Below the axis, in one line: inside, it would cover the bottom rows' labels whichever corner it took.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;

        int longest = rows.Select(r => InputLabel(r.Input).Length).DefaultIfEmpty(0).Max();
        int width = Math.Max(PlotStyle.Width, (int)(longest * 7.3) + 760);
        int height = Math.Max(PlotStyle.Height, PlotStyle.FrameHeight + 40 + (n + 1) * 56) + 30;
        ComparisonCanvas.FitLabels(plot, width, height, left, right, -0.6, n - 0.5 + 1.0, labels.Select(l => (l.X, l.Text, l.Right)), 12);
        PlotStyle.Save(plot, path, width, height);
    }

    /// <summary>"funds[seed-a].exposure.macro  0.35 → 0.55".</summary>
    internal static string InputLabel(SensitivityInput input) =>
        $"{input.Path}  {ComparisonFigures.Raw(input.Low)} → {ComparisonFigures.Raw(input.High)}";

    private static FigureComparison? Lookup(ComparisonResult result, string variant, string output) =>
        result.Find(variant) is { } outcome ? ComparisonResult.Figure(outcome, output) : null;

    /// <summary>Where both labels of a row fall on the same side, moves them apart vertically.</summary>
    private static List<(double X, double Y, string Text, bool Right)> Separate(List<(double X, double Y, string Text, bool Right)> labels)
    {
        var result = new List<(double X, double Y, string Text, bool Right)>(labels);
        for (int i = 0; i < result.Count; i++)
        {
            for (int j = i + 1; j < result.Count; j++)
            {
                if (result[i].Y == result[j].Y && result[i].Right == result[j].Right)
                {
                    result[i] = result[i] with { Y = result[i].Y + 0.17 };
                    result[j] = result[j] with { Y = result[j].Y - 0.17 };
                }
            }
        }
        return result;
    }
}
