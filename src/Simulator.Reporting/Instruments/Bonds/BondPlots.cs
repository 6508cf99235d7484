using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Bonds;
using Simulator.Core.Engine;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Instruments.Bonds;

/// <summary>The bonds' charts: per bond, its default probability by year and who bears its loss.</summary>
internal static class BondPlots
{
    private const string DefaultPrefix = "bond-default-", LossPrefix = "bond-loss-";

    internal static IEnumerable<PlotFile> Files(SimulationResult run, BondsResult result)
    {
        string title = run.Scenario.Title;
        foreach (var b in result.Bonds)
        {
            yield return new PlotFile($"{DefaultPrefix}{b.Bond.Name}.png", path => WriteDefaults(b, title, path));
            yield return new PlotFile($"{LossPrefix}{b.Bond.Name}.png", path => WriteLayers(b, title, path));
        }
    }

    internal static PlotInfo? Describe(string file, string name)
    {
        if (name.StartsWith(DefaultPrefix, StringComparison.Ordinal))
            return new PlotInfo(file, $"Bond defaults by year — {name[DefaultPrefix.Length..]}",
                "Bars: probability that the bond defaults in each year of its term (% of trials), with 95% intervals; line: probability that it has defaulted by the end of the year. " +
                "A default is the first payment the issuer's cash (reserve, other income and its share of the funds' exit proceeds) cannot meet.", false);
        if (name.StartsWith(LossPrefix, StringComparison.Ordinal))
            return new PlotInfo(file, $"Who bears the bond's loss — {name[LossPrefix.Length..]}",
                "Stacked bars: the loss (unpaid claim less recovery) borne by the central bank's tool, the local guarantor and the bondholders, " +
                "in an average trial (left) and averaged over the worst 1% of trials by loss (ES99, right), million CNY.", false);
        return null;
    }

    private static void WriteDefaults(BondResult b, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {b.Bond.Name}: default probability by year", "Year", "Probability (% of trials)");
        int n = b.DefaultInYear.Count;
        double[] xs = [.. Enumerable.Range(b.Bond.IssueYear, n).Select(t => (double)t)];
        var bars = plot.Add.Bars(xs, [.. b.DefaultInYear.Select(p => p.Probability * 100)]);
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = PlotStyle.SeriesColor(0).WithAlpha(0.75);
            bar.Size = 0.6;
        }
        bars.LegendText = "Defaults in the year";
        var errors = plot.Add.ErrorBar(xs, [.. b.DefaultInYear.Select(p => p.Probability * 100)],
            [.. b.DefaultInYear.Select(p => ProbabilityEstimateZ * p.StandardError * 100)]);
        errors.LineWidth = 1.5f;
        errors.Color = Colors.Black;
        var line = plot.Add.Scatter(xs, [.. b.DefaultByYear.Select(p => p.Probability * 100)], PlotStyle.ToleranceColor);
        line.LineWidth = 2.5f;
        line.MarkerSize = 8;
        line.LegendText = $"Defaulted by the end of the year ({FigureText.Probability(b.Default.Probability)} over the term)";
        double top = Math.Max(1, b.DefaultByYear.Select(p => p.Probability * 100).DefaultIfEmpty(0).Max()) * 1.25;
        plot.Axes.SetLimits(xs[0] - 0.6, xs[^1] + 0.6, 0, Math.Min(110, top));
        var ticks = new NumericManual();
        foreach (double x in xs) ticks.AddMajor(x, ((int)x).ToString(System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }

    private const double ProbabilityEstimateZ = 1.959963984540054;

    private static void WriteLayers(BondResult b, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {b.Bond.Name}: who bears the loss", "", $"Loss borne ({FigureText.MoneyUnit})");
        (string Name, Core.Statistics.LossSummary Loss, ScottPlot.Color Color)[] layers =
        [
            ("Bondholders", b.Bondholders, PlotStyle.SeriesColor(0)),
            ("Local guarantor", b.LocalGuarantor, PlotStyle.SeriesColor(1)),
            ($"Central bank tool ({FigureText.Percent(b.Bond.ToolShare, 0)} of any loss)", b.Tool, PlotStyle.SeriesColor(2)),
        ];
        var bases = new double[2];
        foreach (var (name, loss, color) in layers)
        {
            double[] values = [loss.Mean / FigureText.Million, loss.Es99 / FigureText.Million];
            var bars = new List<Bar>();
            for (int c = 0; c < 2; c++)
            {
                bars.Add(new Bar { Position = c, ValueBase = bases[c], Value = bases[c] + values[c], Size = 0.5, FillColor = color, LineColor = Colors.White, LineWidth = 1 });
                bases[c] += values[c];
            }
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{name}: mean {FigureText.Money(loss.Mean)}, ES99 {FigureText.Money(loss.Es99)}", FillColor = color });
        }
        var ticks = new NumericManual();
        ticks.AddMajor(0, "Average trial (expected loss)");
        ticks.AddMajor(1, "Worst 1% of trials (ES99)");
        plot.Axes.Bottom.TickGenerator = ticks;
        double top = Math.Max(bases.Max(), 1e-9) * 1.35;
        plot.Axes.SetLimits(-0.6, 1.6, 0, top);
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }
}
