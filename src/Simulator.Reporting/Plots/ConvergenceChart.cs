using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// How the watched figures settled as trials were added under a precision target: each figure's running estimate
/// divided by its final value, with its 95% band, against trials. Curves that sit inside the target band around 1
/// are as precise as asked; a figure still wandering explains why a run did not stop earlier.
/// </summary>
internal static class ConvergenceChart
{
    /// <summary>File name of the chart.</summary>
    internal const string FileName = "convergence.png";

    /// <summary>Whether <paramref name="result"/> has the chart: it ran under a precision target and checked it.</summary>
    internal static bool Applies(SimulationResult result) => result.Precision is { History.Count: > 0 };

    /// <summary>Writes the chart of a result it <see cref="Applies"/> to, to <paramref name="path"/>.</summary>
    internal static void Write(SimulationResult result, string path)
    {
        var precision = result.Precision!;
        var last = precision.History[^1];
        using var plot = PlotStyle.Create(
            $"{result.Scenario.Title} — convergence under a {FigureText.Tolerance(precision.Target.RelativeError)} precision target",
            "Trials",
            "Running estimate / final estimate");
        double[] xs = [.. precision.History.Select(c => (double)c.Trials)];
        int series = 0;
        foreach (var figure in last.Figures.Where(f => f.Estimable))
        {
            var color = PlotStyle.SeriesColor(series);
            double final = figure.Estimate;
            var points = precision.History.Select(c => c.Figures.First(f => f.Name == figure.Name)).ToList();
            double[] ys = [.. points.Select(p => p.Estimate / final)];
            double[] lo = [.. points.Select(p => (p.Estimate - 1.96 * p.StandardError) / final)];
            double[] hi = [.. points.Select(p => (p.Estimate + 1.96 * p.StandardError) / final)];
            if (xs.Length > 1)
            {
                var band = plot.Add.FillY(xs, lo, hi);
                band.FillColor = color.WithAlpha(0.12);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 1 ? 4 : 8;
            line.LinePattern = PlotStyle.SeriesPattern(series);
            line.LegendText = $"{figure.Name}: {FigureText.Ratio(figure.RelativeError)} rel. s.e. at the end";
            series++;
        }
        double t = 1.96 * precision.Target.RelativeError;
        foreach (double y in new[] { 1 - t, 1 + t })
        {
            var target = plot.Add.HorizontalLine(y, 1.5f, PlotStyle.ToleranceColor, LinePattern.Dashed);
            if (y < 1) target.LegendText = $"95% band of the target ({FigureText.Tolerance(precision.Target.RelativeError)} relative standard error)";
        }
        var unestimable = last.Figures.Where(f => !f.Estimable).Select(f => f.Name).ToList();
        if (unestimable.Count > 0) plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"No event yet, not watched: {string.Join(", ", unestimable)}" });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = precision.Met
                ? $"Target met after {FigureText.Integer(last.Trials)} trials"
                : $"Target NOT met within {FigureText.Integer(precision.MaxTrials)} trials",
        });
        plot.Legend.Alignment = Alignment.UpperRight;
        PlotStyle.Save(plot, path);
    }
}
