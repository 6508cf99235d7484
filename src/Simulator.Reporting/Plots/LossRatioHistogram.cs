using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Funds;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// One fund's loss-ratio distribution with its tolerance, so a manager sees at a glance how much of the mass lies
/// beyond the line the rules draw.
/// </summary>
internal static class LossRatioHistogram
{
    /// <summary>50 bins of two percentage points each: fine enough to show the shape, coarse enough that 10,000
    /// trials give smooth bars.</summary>
    internal const int Bins = 50;

    /// <summary>File name of a fund's histogram.</summary>
    internal static string FileName(FundResult fund) => $"lossratio-{fund.Fund.Name}.png";

    /// <summary>Writes the histogram of <paramref name="fund"/> to <paramref name="path"/>.</summary>
    internal static void Write(FundResult fund, string scenarioTitle, string path)
    {
        var f = fund.Fund;
        using var plot = PlotStyle.Create(
            $"{scenarioTitle} — {f.Name} ({PlotText.TypeName(f.Type)}): loss-ratio distribution",
            "Loss ratio (share of amount invested)",
            "Share of trials (%)");

        double[] shares = BinShares(fund.LossRatios);
        const double width = 1.0 / Bins;
        var bars = Enumerable.Range(0, Bins)
            .Select(i => new Bar
            {
                Position = (i + 0.5) * width,
                Value = shares[i],
                Size = width,
                FillColor = PlotStyle.SeriesColor(0).WithAlpha(0.75),
                LineWidth = 0.5f,
                LineColor = Colors.White,
            })
            .ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = $"Trials per {FigureText.Tolerance(width)}-wide bin ({FigureText.Integer(fund.LossRatios.Count)} trials)";

        var mean = plot.Add.VerticalLine(fund.LossRatio.Mean, 1.5f, Colors.Black);
        mean.LinePattern = LinePattern.Dashed;
        mean.LegendText = $"Mean {FigureText.Ratio(fund.LossRatio.Mean)}";

        var p99 = plot.Add.VerticalLine(fund.LossRatio.P99, 1.5f, Colors.DimGray);
        p99.LinePattern = LinePattern.Dotted;
        p99.LegendText = $"99th percentile {FigureText.Ratio(fund.LossRatio.P99)} (99 trials in 100 lose no more)";

        // Drawn last so it sits on top of the mean or p99 when they coincide.
        var tolerance = plot.Add.VerticalLine(f.Tolerance, 2.5f, PlotStyle.ToleranceColor);
        tolerance.LegendText = ToleranceLegend(fund);

        double yTop = AxisTop(shares);
        plot.Axes.SetLimits(-0.01, 1.01, 0, yTop);
        PlotStyle.LabelCutBars(plot, shares, 1.0 / Bins, yTop);
        PercentAxis.SetShareTicks(plot.Axes.Bottom);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = PlotText.PercentTick };
        plot.ShowLegend(QuieterTopCorner(shares, yTop));
        PlotStyle.Save(plot, path);
    }

    /// <summary>Share of trials (in %) per bin; a loss ratio of exactly 100% falls in the last bin. Under importance
    /// sampling each trial counts with its likelihood-ratio weight. The bin edges are points of the loss-ratio grid, where
    /// large runs keep exact counts.</summary>
    internal static double[] BinShares(Core.Statistics.TrialDistribution lossRatios) =>
        lossRatios.Shares(Bins, x => Math.Min((int)Math.Floor(Math.Clamp(x, 0, 1) * Bins), Bins - 1));

    private static string ToleranceLegend(FundResult fund)
    {
        var b = fund.Breach;
        string probability = PlotText.ProbabilityWithInterval(b.Probability, b.Ci95Low, b.Ci95High);
        // A direct programme breaches project by project, not on the pooled ratio plotted here; say so.
        return fund.Fund.Type == FundType.Direct
            ? $"Per-project tolerance {FigureText.Tolerance(fund.Fund.Tolerance)} — P(any project loses more) {probability}"
            : $"Tolerance {FigureText.Tolerance(fund.Fund.Tolerance)} — breach probability {probability}";
    }

    /// <summary>
    /// Top of the y axis, with head room for the legend. One bin often dwarfs the rest (many trials lose nothing,
    /// or everything); scaling to it would flatten the shape that matters, so such a bin is cut off and labelled.
    /// </summary>
    private static double AxisTop(double[] shares)
    {
        var descending = shares.OrderDescending().ToArray();
        double first = descending[0], second = descending[1];
        if (first <= 0) return 1;
        return second > 0 && first > CutRatio * second ? second * 1.8 : first * 1.45;
    }

    /// <summary>A bin this many times taller than the next tallest is cut off.</summary>
    private const double CutRatio = 4;

    // The legend goes in whichever top corner has the lower bars beneath it.
    private static Alignment QuieterTopCorner(double[] shares, double yTop)
    {
        double left = shares.Take(Bins / 2).Max();
        double right = shares.Skip(Bins / 2).Max();
        return Math.Min(right, yTop) <= Math.Min(left, yTop) ? Alignment.UpperRight : Alignment.UpperLeft;
    }
}
