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

    /// <summary>With fewer checkpoints than this, the lines between them are drawn faint and dotted: they only join points.</summary>
    internal const int FewCheckpoints = 5;

    /// <summary>
    /// The watched figures that can be drawn, grouped where their running estimates and errors coincide at every
    /// checkpoint (a single fund and its programme): drawn apart, the later curve would hide the earlier.
    /// </summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Series(PrecisionReport precision)
    {
        var groups = new List<List<string>>();
        var histories = new List<(double Estimate, double Error)[]>();
        foreach (var figure in precision.History[^1].Figures.Where(f => f.Estimable))
        {
            var history = precision.History.Select(c => c.Figures.First(f => f.Name == figure.Name)).Select(f => (f.Estimate, f.StandardError)).ToArray();
            int same = histories.FindIndex(h => h.SequenceEqual(history));
            if (same >= 0)
            {
                groups[same].Add(figure.Name);
                continue;
            }
            groups.Add([figure.Name]);
            histories.Add(history);
        }
        return groups;
    }

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
        bool few = xs.Length < FewCheckpoints;
        int series = 0;
        foreach (var names in Series(precision))
        {
            var color = PlotStyle.SeriesColor(series);
            var figure = last.Figures.First(f => f.Name == names[0]);
            double final = figure.Estimate;
            var points = precision.History.Select(c => c.Figures.First(f => f.Name == figure.Name)).ToList();
            double[] ys = [.. points.Select(p => p.Estimate / final)];
            double[] lo = [.. points.Select(p => (p.Estimate - 1.96 * p.StandardError) / final)];
            double[] hi = [.. points.Select(p => (p.Estimate + 1.96 * p.StandardError) / final)];
            if (few)
            {
                // A handful of checkpoints: the 95% interval of each as a whisker, not a band that suggests a course between them.
                var whiskers = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, [.. ys.Select((y, i) => hi[i] - y)], [.. ys.Select((y, i) => y - lo[i])])
                {
                    Color = color.WithAlpha(0.7),
                    LineWidth = 1.5f,
                    CapSize = 6,
                };
                plot.Add.Plottable(whiskers);
            }
            else if (xs.Length > 1)
            {
                var band = plot.Add.FillY(xs, lo, hi);
                band.FillColor = color.WithAlpha(0.12);
                band.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = few ? 1 : 2;
            line.MarkerSize = few ? 9 : 4;
            line.LinePattern = few ? LinePattern.Dotted : PlotStyle.SeriesPattern(series);
            line.LegendText = $"{string.Join(" = ", names)}: {FigureText.Ratio(figure.RelativeError)} rel. s.e. at the end";
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
        if (few)
        {
            plot.Legend.ManualItems.Add(GuaranteeText.Note(
                $"{xs.Length} checkpoint{(xs.Length == 1 ? "" : "s")}, every {FigureText.Integer(precision.Target.CheckEvery)} trials; whiskers: 95% intervals; dotted lines only join the points"));
        }
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = precision.Met
                ? $"Target met after {FigureText.Integer(last.Trials)} trials"
                : $"Target NOT met within {FigureText.Integer(precision.MaxTrials)} trials",
        });
        // Below the chart: inside, it covered the last checkpoints, where the curves end up.
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Vertical;
        int items = plot.Legend.ManualItems.Count + series + 1;
        PlotStyle.Save(plot, path, PlotStyle.Width, PlotStyle.Height + items * 21 + 16);
    }
}
