using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// A one-path sweep as lines against the swept value, with 95% bands: breach probabilities of the funds and the
/// programme on one panel, and with guarantee schemes their government cost and fiscal leverage on panels below,
/// all on the same x axis so a reader can follow one setting down the panels. The base scenario is marked.
/// </summary>
internal static class SweepLineChart
{
    /// <summary>Height of each panel when there are several.</summary>
    private const int PanelHeight = 430;

    /// <summary>Fixed margins, so the data areas of the panels line up under each other.</summary>
    private static readonly PixelPadding Margins = new(105, 30, 62, 50);

    /// <summary>
    /// Writes the chart. <paramref name="sweep"/> holds the sweep's variants in grid order and
    /// <paramref name="xs"/> the swept values they set.
    /// </summary>
    internal static void Write(ComparisonResult result, IReadOnlyList<VariantOutcome> sweep, IReadOnlyList<double> xs, string path, string? note)
    {
        string swept = result.Base.Sweep!.Paths[0];
        double? baseX = ComparisonFigures.BaseNumber(result.Base, swept);
        var axis = ComparisonFigures.AxisFor(swept, baseX is { } b ? xs.Append(b) : xs);

        var measures = new (Func<KeyFigure, bool> Select, string Topic, string YLabel)[]
        {
            (ComparisonFigures.IsBreach, "breach probability", "Breach probability (%)"),
            (ComparisonFigures.IsGovernmentCost, "government cost", $"Government cost ({FigureText.MoneyUnit})"),
            (ComparisonFigures.IsLeverage, "fiscal leverage", "Fiscal leverage (x)"),
        };
        var selected = measures
            .Select(m => (m.Topic, m.YLabel, Indices: result.BaseFigures.Select((f, i) => (f, i)).Where(x => m.Select(x.f.Figure)).Select(x => x.i).ToList()))
            .Where(m => m.Indices.Count > 0)
            .ToList();
        int height = selected.Count == 1 ? PlotStyle.Height : PanelHeight;
        var panels = new List<ComparisonCanvas.Panel>();
        foreach (var (topic, yLabel, indices) in selected)
        {
            string title = panels.Count == 0
                ? $"{result.Base.Title} — {topic} by swept value"
                : char.ToUpperInvariant(topic[0]) + topic[1..] + " by swept value";
            if (topic == "fiscal leverage") title += " (CNY guaranteed per CNY of government cost)";
            var plot = Panel(result, sweep, xs, baseX, axis, indices, title, yLabel, height, panels.Count == 0 ? note : null);
            panels.Add(new ComparisonCanvas.Panel(plot, height));
        }
        ComparisonCanvas.Save(panels, path);
        foreach (var p in panels) p.Plot.Dispose();
    }

    private static Plot Panel(
        ComparisonResult result, IReadOnlyList<VariantOutcome> sweep, IReadOnlyList<double> xs, double? baseX,
        ComparisonFigures.PathAxis axis, List<int> indices, string title, string yLabel, int height, string? note)
    {
        var plot = PlotStyle.Create(title, axis.Label, yLabel);
        plot.Layout.Fixed(Margins);
        var points = new List<Coordinates>();
        double top = 0, widest = 0;
        bool anyInfinite = false;
        var entries = new List<string>();

        // Sorted by the swept value, so the lines run left to right even if the file lists values otherwise.
        var order = Enumerable.Range(0, xs.Count).OrderBy(i => xs[i]).ToList();
        for (int s = 0; s < indices.Count; s++)
        {
            var baseFigure = result.BaseFigures[indices[s]];
            var figure = baseFigure.Figure;
            double scale = ComparisonFigures.Scale(figure);
            var color = ComparisonFigures.ItemColor(result.Base, figure);
            var px = new List<double>();
            var py = new List<double>();
            var low = new List<double>();
            var high = new List<double>();
            foreach (int i in order)
            {
                var f = sweep[i].Figures[indices[s]];
                if (!double.IsFinite(f.Estimate.Value))
                {
                    anyInfinite |= double.IsPositiveInfinity(f.Estimate.Value);
                    continue;
                }
                double v = f.Estimate.Value * scale, e = double.IsFinite(f.Estimate.StandardError) ? ComparisonFigures.Z95 * f.Estimate.StandardError * scale : 0;
                px.Add(xs[i]);
                py.Add(v);
                low.Add(Math.Max(0, v - e));
                high.Add(v + e);
                points.Add(new Coordinates(xs[i], v + e));
                points.Add(new Coordinates(xs[i], v));
                top = Math.Max(top, v + e);
                widest = Math.Max(widest, 2 * e);
            }
            if (px.Count == 0) continue;
            if (px.Count > 1)
            {
                var band = plot.Add.FillY(px.ToArray(), low.ToArray(), high.ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            else
            {
                var errors = new ScottPlot.Plottables.ErrorBar(px, py, null, null, [high[0] - py[0]], [py[0] - low[0]]) { Color = color, LineWidth = 1.5f, CapSize = 8 };
                plot.Add.Plottable(errors);
            }
            var line = plot.Add.Scatter(px.ToArray(), py.ToArray(), color);
            line.LineWidth = figure.Item == "programme" ? 3 : 2;
            line.LinePattern = PlotStyle.SeriesPattern(s);
            line.MarkerSize = 7;
            line.LegendText = ComparisonFigures.ItemLabel(figure);
            entries.Add(line.LegendText);

            double baseValue = baseFigure.Estimate.Value * scale;
            if (double.IsFinite(baseValue))
            {
                top = Math.Max(top, baseValue);
                if (baseX is { } bx)
                {
                    // Filled in the series' colour, so an off-grid base still shows which line it belongs to.
                    plot.Add.Marker(bx, baseValue, MarkerShape.FilledCircle, 9, color);
                    var marker = plot.Add.Marker(bx, baseValue, MarkerShape.OpenCircle, 15, Colors.Black);
                    marker.MarkerLineWidth = 2;
                    points.Add(new Coordinates(bx, baseValue));
                }
                else
                {
                    var level = plot.Add.HorizontalLine(baseValue, 1.5f, color, LinePattern.Dotted);
                    level.ExcludeFromLegend = true;
                }
            }
        }

        string bandText = widest < top * 0.03 ? "95% confidence band (shaded; thinner than the line)" : "shaded: 95% confidence band";
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = bandText, FillColor = Colors.Gray.WithAlpha(0.3) });
        entries.Add(bandText);
        string baseText = baseX is { } x0
            ? $"base scenario ({ComparisonFigures.Leaf(result.Base.Sweep!.Paths[0])} = {axis.Format(x0)})"
            : "dotted: the base scenario's value";
        if (baseX is not null)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = baseText, MarkerShape = MarkerShape.OpenCircle, MarkerSize = 12, MarkerColor = Colors.Black, MarkerLineWidth = 2, LineWidth = 0 });
        else
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = baseText, LineColor = Colors.Gray, LinePattern = LinePattern.Dotted, LineWidth = 1.5f });
        entries.Add(baseText);
        if (anyInfinite)
        {
            plot.Legend.ManualItems.Add(GuaranteeText.Note("omitted: no government cost (leverage ∞)"));
            entries.Add("omitted: no government cost (leverage ∞)");
        }
        if (note is not null)
        {
            plot.Legend.ManualItems.Add(GuaranteeText.Note(note));
            entries.Add(note);
        }

        if (baseX is { } bx2)
        {
            var marker = plot.Add.VerticalLine(bx2, 1, Colors.Gray, LinePattern.Dashed);
            marker.ExcludeFromLegend = true;
        }

        // X: the grid values as ticks, with a little room either side for the markers.
        var all = xs.Concat(baseX is { } b ? [b] : []).ToList();
        double xMin = all.Min(), xMax = all.Max(), xSpan = xMax - xMin;
        if (xSpan <= 0) xSpan = Math.Max(Math.Abs(xMin), 1) * 0.2;
        var distinct = xs.Distinct().Order().ToList();
        if (distinct.Count <= 12)
        {
            var ticks = new NumericManual();
            foreach (double x in distinct) ticks.AddMajor(x, axis.Format(x));
            if (baseX is { } bx3 && !distinct.Contains(bx3)) ticks.AddMajor(bx3, axis.Format(bx3) + "\n(base)");
            plot.Axes.Bottom.TickGenerator = ticks;
        }
        else plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = axis.Format };

        // Y from zero (all three measures are non-negative), head room on top for the legend.
        if (top <= 0) top = 1;
        var share = GuaranteeText.LegendShare(entries, PlotStyle.Width, height);
        double yMax = top * (1.08 + share.HeightShare * 1.3);
        var limits = new AxisLimits(xMin - xSpan * 0.06, xMax + xSpan * 0.06, 0, yMax);
        plot.Axes.SetLimits(limits);
        bool percent = yLabel.Contains('%');
        plot.Axes.Left.TickGenerator = percent ? GuaranteeText.PercentTicks(yMax) : GuaranteeText.MoneyTicks();
        var corner = LegendPlacement.LeastCrowded(points, limits, share.WidthShare, share.HeightShare + 0.04,
            Alignment.UpperRight, Alignment.UpperLeft);
        plot.ShowLegend(corner);
        return plot;
    }
}
