using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Instruments;
using Simulator.Core.Studies;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Solve;

/// <summary>
/// solve.png: the figure at every evaluation of a solve against the varied field, with its 95% interval, the target
/// line and the solution with its own 95% interval. The whole range on top; below it, when the search narrowed to a
/// small part of the range, the same near the solution, where the evaluations crowd and the step of a probability
/// on finitely many trials shows.
/// </summary>
internal static class SolveChart
{
    /// <summary>The chart's file name in a result folder.</summary>
    public const string FileName = "solve.png";

    /// <summary>Height of each of two panels; one panel takes the usual chart height.</summary>
    private const int PanelHeight = 470;

    /// <summary>Fixed side margins, so the data areas of the two panels line up; the top one's title (a scenario's long title)
    /// may take two lines.</summary>
    private static readonly PixelPadding Margins = new(105, 30, 62, 50), TopMargins = new(105, 30, 62, 78);

    private static readonly Color MeetsColor = Color.FromHex("#2CA02C");
    private static readonly Color MissesColor = Color.FromHex("#FF7F0E");
    private static readonly Color SolutionColor = Color.FromHex("#222222");

    /// <summary>Writes the chart of <paramref name="result"/> into <paramref name="path"/>.</summary>
    /// <param name="result">The solve.</param>
    /// <param name="title">The scenario's title (may hold Chinese).</param>
    /// <param name="figure">The target's key figure, for its unit; null draws the figure as it is.</param>
    /// <param name="path">The PNG to write.</param>
    internal static void Write(SolveResult result, string title, KeyFigure? figure, string path)
    {
        var plan = result.Plan;
        var axis = SolveText.Axis(plan, result);
        var zoom = Zoom(result);
        int height = zoom is null ? PlotStyle.Height : PanelHeight;
        string heading = $"{title} — solving for {ComparisonFigures.Leaf(plan.Path)}";
        var panels = new List<ComparisonCanvas.Panel> { new(Panel(result, figure, axis, heading, plan.Low, plan.High, height, true), height) };
        if (zoom is { } z)
            panels.Add(new(Panel(result, figure, axis, "Near the solution (the same evaluations, enlarged)", z.Low, z.High, height, false), height));
        ComparisonCanvas.Save(panels, path);
        foreach (var p in panels) p.Plot.Dispose();
    }

    /// <summary>
    /// The window of the lower panel: four half-widths of the solution's interval either side, widened to hold the final
    /// bracket; none when unreachable, or when that window is more than a third of the range (the upper panel shows it).
    /// </summary>
    internal static (double Low, double High)? Zoom(SolveResult result)
    {
        if (result.Status != SolveStatus.Solved) return null;
        var plan = result.Plan;
        double half = double.IsFinite(result.High95) && double.IsFinite(result.Low95) ? (result.High95 - result.Low95) / 2 : 0;
        double low = Math.Min(result.Solution - 4 * half, result.Bracket.Low), high = Math.Max(result.Solution + 4 * half, result.Bracket.High);
        if (high - low <= 0) (low, high) = (result.Bracket.Low, result.Bracket.High);
        low = Math.Max(plan.Low, low);
        high = Math.Min(plan.High, high);
        if (!(high > low) || high - low > (plan.High - plan.Low) / 3) return null;
        return (low, high);
    }

    private static Plot Panel(SolveResult result, KeyFigure? figure, ComparisonFigures.PathAxis axis, string heading, double xLow, double xHigh, int height, bool whole)
    {
        var plan = result.Plan;
        double scale = figure is null ? 1 : ComparisonFigures.Scale(figure);
        string yLabel = figure is null ? plan.Target.Figure : $"{plan.Target.Figure} ({ComparisonFigures.ValueUnit(figure)})";
        var plot = PlotStyle.Create(heading, axis.Label, yLabel);
        plot.Layout.Fixed(whole ? TopMargins : Margins);
        var entries = new List<string>();
        var points = new List<Coordinates>();

        // Only what falls inside the panel: a point outside the window would stretch the lower panel's y axis.
        var shown = result.Evaluations.Where(e => e.Value >= xLow && e.Value <= xHigh && double.IsFinite(e.Figure)).OrderBy(e => e.Value).ToList();
        double[] xs = [.. shown.Select(e => e.Value)];
        double[] ys = [.. shown.Select(e => e.Figure * scale)];
        double[] errors = [.. shown.Select(e => double.IsFinite(e.StandardError) ? SolveText.Z95 * e.StandardError * scale : 0)];

        double target = plan.Target.Value * scale;
        double solutionY = result.Status == SolveStatus.Solved ? result.Figure * scale : double.NaN;
        if (result.Status == SolveStatus.Solved)
        {
            var span = plot.Add.HorizontalSpan(Math.Max(xLow, result.Low95), Math.Min(xHigh, result.High95));
            span.FillColor = SolutionColor.WithAlpha(0.12);
            span.LineWidth = 0;
            span.LegendText = $"solution's 95% interval: {SolveText.Field(axis, result.Low95)} to {SolveText.Field(axis, result.High95)}";
            entries.Add(span.LegendText);
        }

        var goal = plot.Add.HorizontalLine(target, 2, PlotStyle.ToleranceColor, LinePattern.Dashed);
        goal.LegendText = $"target: {plan.Target.Figure.Split('.')[^1]} {SolveText.Relation(plan)} {SolveText.Figure(figure, plan.Target.Value)}";
        entries.Add(goal.LegendText);

        if (shown.Count > 0)
        {
            if (shown.Count > 1)
            {
                var line = plot.Add.Scatter(xs, ys, Colors.Gray);
                line.LineWidth = 1.5f;
                line.MarkerSize = 0;
            }
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, errors, errors) { Color = Colors.Black, LineWidth = 1.2f, CapSize = 6 };
            bars.LegendText = "figure ± 1.96 SE (its 95% interval)";
            plot.Add.Plottable(bars);
            entries.Add(bars.LegendText);
            AddMarkers(plot, shown.Where(e => e.Meets).ToList(), scale, MeetsColor, MarkerShape.FilledCircle, "evaluation that meets the target", entries);
            AddMarkers(plot, shown.Where(e => !e.Meets).ToList(), scale, MissesColor, MarkerShape.FilledSquare, "evaluation that does not", entries);
            for (int i = 0; i < xs.Length; i++)
            {
                points.Add(new Coordinates(xs[i], ys[i] + errors[i]));
                points.Add(new Coordinates(xs[i], ys[i] - errors[i]));
            }
        }

        if (result.Status == SolveStatus.Solved)
        {
            var at = plot.Add.VerticalLine(result.Solution, 2, SolutionColor);
            at.LegendText = $"solution: {SolveText.Field(axis, result.Solution)}";
            entries.Add(at.LegendText);
            var marker = plot.Add.Marker(result.Solution, solutionY, MarkerShape.OpenCircle, 16, SolutionColor);
            marker.MarkerLineWidth = 2;
            points.Add(new Coordinates(result.Solution, solutionY));
        }
        else if (whole)
        {
            string note = "target not reached anywhere in the range";
            plot.Legend.ManualItems.Add(GuaranteeText.Note(note));
            entries.Add(note);
        }
        if (!whole && shown.Count < result.Evaluations.Count)
        {
            string note = $"{shown.Count} of the {result.Evaluations.Count} evaluations lie in this window";
            plot.Legend.ManualItems.Add(GuaranteeText.Note(note));
            entries.Add(note);
        }

        // Y: every interval and the target, from zero for a figure that is never negative, with room on top for the legend.
        var lows = ys.Select((y, i) => y - errors[i]).Append(target);
        var highs = ys.Select((y, i) => y + errors[i]).Append(target);
        if (double.IsFinite(solutionY))
        {
            lows = lows.Append(solutionY);
            highs = highs.Append(solutionY);
        }
        double yMin = lows.Min(), yMax = highs.Max();
        if (whole && yMin >= 0) yMin = 0;
        double ySpan = yMax - yMin;
        if (!(ySpan > 0)) ySpan = Math.Max(Math.Abs(yMax), 1) * 0.2;
        yMin -= whole && yMin == 0 ? 0 : ySpan * 0.06;
        double xSpan = xHigh - xLow;
        double left = xLow - xSpan * 0.03, right = xHigh + xSpan * 0.03;
        // The lines a legend must not hide either: the target across the panel, and the path between the evaluations.
        for (int k = 0; k <= 40; k++) points.Add(new Coordinates(left + (right - left) * k / 40, target));
        for (int i = 1; i < xs.Length; i++)
            for (int k = 1; k < 10; k++) points.Add(new Coordinates(xs[i - 1] + (xs[i] - xs[i - 1]) * k / 10, ys[i - 1] + (ys[i] - ys[i - 1]) * k / 10));
        var share = GuaranteeText.LegendShare(entries, PlotStyle.Width, height);
        // A corner the data leave empty takes the legend as the axes are; only when there is none does the axis grow
        // on top to make room (a probability axis running far past 100% reads badly).
        var limits = new AxisLimits(left, right, yMin, yMax + ySpan * 0.08);
        Alignment[] corners = [Alignment.UpperRight, Alignment.UpperLeft, Alignment.LowerRight, Alignment.LowerLeft];
        Alignment? free = corners.Cast<Alignment?>().FirstOrDefault(c => Inside(points, limits, share.WidthShare, share.HeightShare + 0.04, c!.Value) == 0);
        if (free is null) limits = new AxisLimits(left, right, yMin, yMax + ySpan * (0.08 + share.HeightShare * 1.4));
        plot.Axes.SetLimits(limits);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = axis.Format };
        if (figure is not null && ComparisonFigures.IsShare(figure)) plot.Axes.Left.TickGenerator = GuaranteeText.PercentTicks(limits.Top - limits.Bottom);
        else if (figure?.Unit == FigureUnit.Money) plot.Axes.Left.TickGenerator = GuaranteeText.MoneyTicks();
        var corner = free ?? LegendPlacement.LeastCrowded(points, limits, share.WidthShare, share.HeightShare + 0.04, Alignment.UpperRight, Alignment.UpperLeft);
        plot.ShowLegend(corner);
        return plot;
    }

    /// <summary>How many of <paramref name="points"/> a legend box of the given shares of the axes covers in <paramref name="corner"/>.</summary>
    private static int Inside(List<Coordinates> points, AxisLimits limits, double widthShare, double heightShare, Alignment corner)
    {
        double w = limits.HorizontalSpan * widthShare, h = limits.VerticalSpan * heightShare;
        bool right = corner is Alignment.UpperRight or Alignment.LowerRight, upper = corner is Alignment.UpperRight or Alignment.UpperLeft;
        double x0 = right ? limits.Right - w : limits.Left, y0 = upper ? limits.Top - h : limits.Bottom;
        return points.Count(p => p.X >= x0 && p.X <= x0 + w && p.Y >= y0 && p.Y <= y0 + h);
    }

    private static void AddMarkers(Plot plot, List<SolveEvaluation> evaluations, double scale, Color color, MarkerShape shape, string label, List<string> entries)
    {
        if (evaluations.Count == 0) return;
        double[] xs = [.. evaluations.Select(e => e.Value)], ys = [.. evaluations.Select(e => e.Figure * scale)];
        var markers = plot.Add.Markers(xs, ys, shape, 9, color);
        markers.LegendText = label;
        entries.Add(label);
    }
}
