using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Floor;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Instruments.Floor;

/// <summary>A chart per floor: each year's share of new investment in seed/angel funds and direct projects, and P(met).</summary>
internal static class FloorPlots
{
    private const string Prefix = "floor-";

    internal static IEnumerable<PlotFile> Files(SimulationResult run, FloorResult result)
    {
        string title = run.Scenario.Title;
        foreach (var f in result.Items) yield return new PlotFile($"{Prefix}{f.Floor.Name}.png", path => Write(f, title, path));
    }

    internal static PlotInfo? Describe(string file, string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
            ? new PlotInfo(file, $"The floor year by year — {name[Prefix.Length..]}",
                "Bars: the share of the year's new investment (checks of the counted funds' projects) that went to seed and angel funds and direct projects, " +
                "mean over trials (ratio of the means); dots: the probability that the year meets the floor; red line: the floor.", false)
            : null;

    private static void Write(FloorItemResult f, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {f.Floor.Name}: new investment in seed/angel/direct by year", "Year", "Percent");
        var years = f.Years.Where(y => y.HasInvestment).ToList();
        double[] xs = [.. years.Select(y => (double)y.Year)];
        var bars = plot.Add.Bars(xs, [.. years.Select(y => 100 * y.MeanEligible / y.MeanTotal)]);
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = PlotStyle.SeriesColor(0).WithAlpha(0.75);
            bar.Size = 0.6;
        }
        bars.LegendText = "Seed/angel/direct share of new investment";
        var met = plot.Add.Scatter(xs, [.. years.Select(y => 100 * y.Met.Probability)], PlotStyle.SeriesColor(1));
        met.LineWidth = 0;
        met.MarkerSize = 10;
        met.LegendText = $"P(year meets the floor); every year: {FigureText.Probability(f.MetEveryYear.Probability)}";
        var line = plot.Add.HorizontalLine(100 * f.Floor.Share, 2, PlotStyle.ToleranceColor);
        line.LegendText = $"Floor {FigureText.Tolerance(f.Floor.Share)}";
        var ticks = new NumericManual();
        foreach (double x in xs) ticks.AddMajor(x, ((int)x).ToString(System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        // Headroom above 100% keeps the legend clear of the dots at 100% (a year that always meets the floor).
        if (xs.Length > 0) plot.Axes.SetLimits(xs[0] - 0.7, xs[^1] + 0.7, 0, 135);
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Save(plot, path);
    }
}
