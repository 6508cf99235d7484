using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Plots;

/// <summary>
/// A two-path sweep as a heat map of one headline figure over the grid (the programme's breach probability, or
/// without funds the first scheme's government cost): the first path across, the second up, every cell written
/// with its value and 95% interval so the map can be read without the colour bar; the base's cell is outlined.
/// </summary>
internal static class SweepHeatMap
{
    /// <summary>The figure the map shows: programme breach, else the first fund's breach, else the first scheme's government cost.</summary>
    internal static int FigureIndex(ComparisonResult result)
    {
        var figures = result.BaseFigures.Select(f => f.Figure).ToList();
        int i = figures.FindIndex(f => f.Name == ComparisonFigures.ProgrammeBreach);
        if (i < 0) i = figures.FindIndex(ComparisonFigures.IsBreach);
        if (i < 0) i = figures.FindIndex(ComparisonFigures.IsGovernmentCost);
        return Math.Max(0, i);
    }

    /// <summary>Writes the map; <paramref name="sweep"/> holds the sweep's variants in row-major grid order.</summary>
    internal static void Write(ComparisonResult result, IReadOnlyList<VariantOutcome> sweep, string path, string? note)
    {
        var plan = result.Base.Sweep!;
        int nx = plan.Values[0].Count, ny = plan.Values[1].Count;
        int index = FigureIndex(result);
        var baseFigure = result.BaseFigures[index];
        var figure = baseFigure.Figure;
        double scale = ComparisonFigures.Scale(figure);

        var (xLabel, xTicks, xBase) = Axis(result, plan, 0);
        var (yLabel, yTicks, yBase) = Axis(result, plan, 1);
        if (xBase is null || yBase is null)
            xLabel += "   (the base scenario lies off this grid)";

        // Capitalised only where the first word is not a fund's or scheme's name, which is spelt as in the file.
        string measure = figure.Item == "programme" ? "Programme " + ComparisonFigures.MeasureWords(figure) : ComparisonFigures.Describe(figure);
        using var plot = PlotStyle.Create($"{result.Base.Title} — {ComparisonFigures.Describe(figure)} over the sweep grid", xLabel, yLabel);

        // z[i, j]: the cell of the first path's i-th and the second path's j-th value (variants run row-major).
        // The cells' figures as computed, for their labels, and scaled to the drawn unit, for the colours.
        var cells = new FigureComparison[nx, ny];
        var z = new double[nx, ny];
        for (int i = 0; i < nx; i++)
        {
            for (int j = 0; j < ny; j++)
            {
                var f = cells[i, j] = sweep[i * ny + j].Figures[index];
                z[i, j] = double.IsFinite(f.Estimate.Value) ? f.Estimate.Value * scale : double.NaN;
            }
        }
        var finite = z.Cast<double>().Where(double.IsFinite).ToList();
        double min = finite.DefaultIfEmpty(0).Min(), max = finite.DefaultIfEmpty(1).Max();
        if (max <= min) max = min + (Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1);

        // Cells drawn as rectangles centred on the grid indices: ScottPlot's Heatmap bitmap does not land on the
        // cell boundaries for every grid size, which would put values over the wrong colour.
        var colors = new ColorScale(new ScottPlot.Colormaps.Amp(), new ScottPlot.Range(min, max));
        Color CellColor(double v) => double.IsFinite(v) ? colors.Colormap.GetColor((v - min) / (max - min)) : Colors.LightGray;
        for (int i = 0; i < nx; i++)
        {
            for (int j = 0; j < ny; j++)
            {
                var cell = plot.Add.Rectangle(i - 0.5, i + 0.5, j - 0.5, j + 0.5);
                cell.FillColor = CellColor(z[i, j]);
                cell.LineColor = Colors.White;
                cell.LineWidth = 1;
            }
        }

        var colorBar = plot.Add.ColorBar(colors);
        colorBar.Label = $"{measure} ({ComparisonFigures.ValueUnit(figure)})";
        colorBar.LabelStyle.FontSize = 15;
        colorBar.LabelStyle.Bold = true;
        ComparisonCanvas.UseLatin(colorBar.LabelStyle);
        colorBar.Axis.TickLabelStyle.FontSize = 13;
        ComparisonCanvas.UseLatin(colorBar.Axis.TickLabelStyle);
        colorBar.Axis.TickGenerator = ComparisonFigures.IsShare(figure)
            ? new NumericAutomatic { LabelFormatter = ComparisonFigures.PercentTick }
            : GuaranteeText.MoneyTicks();

        int width = Math.Max(PlotStyle.Width, 260 + nx * 90);
        int height = Math.Max(PlotStyle.Height, PlotStyle.FrameHeight + 20 + ny * 52);
        double cellPixels = (height - PlotStyle.FrameHeight) / (double)ny;
        for (int i = 0; i < nx; i++)
        {
            for (int j = 0; j < ny; j++)
            {
                double v = z[i, j], e = ComparisonFigures.Z95 * cells[i, j].Estimate.StandardError;
                var textColor = double.IsFinite(v) && Luminance(CellColor(v)) < 0.5 ? Colors.White : Colors.Black;
                var value = plot.Add.Text(double.IsFinite(v) ? ComparisonFigures.ValueLabel(figure, cells[i, j].Estimate.Value) : FigureText.NotAvailable, i, j);
                value.LabelAlignment = Alignment.MiddleCenter;
                value.LabelFontSize = nx > 8 ? 12 : 14;
                value.LabelBold = true;
                value.LabelFontColor = textColor;
                if (cellPixels >= 44 && double.IsFinite(e) && double.IsFinite(v))
                {
                    value.OffsetY = -8;
                    var ci = plot.Add.Text(ComparisonFigures.SpreadLabel(figure, e), i, j);
                    ci.LabelAlignment = Alignment.MiddleCenter;
                    ci.OffsetY = 10;
                    ci.LabelFontSize = 11;
                    ci.LabelFontColor = textColor;
                }
            }
        }

        if (xBase is { } bi && yBase is { } bj)
        {
            var outline = plot.Add.Rectangle(bi - 0.5, bi + 0.5, bj - 0.5, bj + 0.5);
            outline.FillColor = Colors.Transparent;
            outline.LineColor = Colors.Black;
            outline.LineWidth = 3;
            var label = plot.Add.Text("base", bi - 0.5, bj + 0.5);
            label.LabelAlignment = Alignment.UpperLeft;
            label.OffsetX = 4;
            label.OffsetY = 3;
            label.LabelFontSize = 11;
            label.LabelBold = true;
            double v = z[bi, bj];
            label.LabelFontColor = double.IsFinite(v) && Luminance(CellColor(v)) < 0.5 ? Colors.White : Colors.Black;
        }

        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.5, nx - 0.5, -0.5, ny - 0.5);
        plot.HideGrid();

        string ciNote = "in each cell: the value and ± the half-width of its 95% confidence interval";
        var footer = new List<LegendItem> { GuaranteeText.Note(ciNote) };
        if (note is not null) footer.Add(GuaranteeText.Note(note));
        plot.Legend.ManualItems.AddRange(footer);
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.FontSize = 12;
        height += 24 * footer.Count;
        PlotStyle.Save(plot, path, width, height);
    }

    /// <summary>An axis of the grid: its label, ticks at the cell centres, and the cell of the base's value (null if off the grid).</summary>
    private static (string Label, NumericManual Ticks, int? BaseCell) Axis(ComparisonResult result, SweepPlan plan, int k)
    {
        string swept = plan.Paths[k];
        var numbers = plan.Numbers[k];
        var ticks = new NumericManual();
        if (numbers.All(n => n is not null))
        {
            var values = numbers.Select(n => n!.Value).ToList();
            var axis = ComparisonFigures.AxisFor(swept, values);
            for (int i = 0; i < values.Count; i++) ticks.AddMajor(i, axis.Format(values[i]));
            double? baseValue = ComparisonFigures.BaseNumber(result.Base, swept);
            int cell = baseValue is { } b ? values.FindIndex(v => Math.Abs(v - b) <= 1e-12 * Math.Max(1, Math.Abs(b))) : -1;
            return (axis.Label, ticks, cell >= 0 ? cell : null);
        }
        for (int i = 0; i < plan.Values[k].Count; i++) ticks.AddMajor(i, plan.Values[k][i].Trim('"'));
        return (swept, ticks, null);
    }

    /// <summary>The colour scale of the cells, for the colour bar.</summary>
    private sealed class ColorScale(IColormap colormap, ScottPlot.Range range) : IHasColorAxis
    {
        public IColormap Colormap { get; } = colormap;

        public ScottPlot.Range GetRange() => range;
    }

    private static double Luminance(Color c) => (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue) / 255.0;
}
