using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Guarantees;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// One scheme's credit-loss distribution over the whole programme, with the mean, the 99th percentile and the
/// expected shortfall marked: the figures a policy designer sizes a risk-compensation pool against.
/// </summary>
internal static class GuaranteeLossHistogram
{
    /// <summary>File name of a scheme's histogram.</summary>
    internal static string FileName(GuaranteeResult g) => $"loss-{g.Guarantee.Name}.png";

    /// <summary>A bin this many times taller than the next tallest is cut off (as in the fund histogram).</summary>
    private const double CutRatio = 4;

    /// <summary>Writes the histogram of <paramref name="g"/> to <paramref name="path"/>.</summary>
    internal static void Write(GuaranteeResult g, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create(
            $"{scenarioTitle} — {g.Guarantee.Name}: credit-loss distribution",
            $"Credit loss over the programme ({FigureText.MoneyUnit})",
            "Share of trials (%)");

        var losses = g.Losses;
        long n = losses.Count;
        var bins = Binning.For(g);
        double[] shares = bins.Shares(losses);
        double width = bins.Width / FigureText.Million;

        var bars = Enumerable.Range(0, bins.Count)
            .Select(i => new Bar
            {
                Position = (i + 0.5) * width,
                Value = shares[i],
                Size = width,
                FillColor = PlotStyle.SeriesColor(0).WithAlpha(0.75),
                LineWidth = bins.Count > 40 ? 0.5f : 1f,
                LineColor = Colors.White,
            })
            .ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.LegendText = $"Share of trials per bin of {GuaranteeText.MoneyTick(width)} {FigureText.MoneyUnit} ({FigureText.Integer(n)} trials)";

        var mean = plot.Add.VerticalLine(g.Loss.Mean / FigureText.Million, 1.5f, Colors.Black);
        mean.LinePattern = LinePattern.Dashed;
        mean.LegendText = $"Mean {FigureText.MoneyWithUnit(g.Loss.Mean)}";

        var p99 = plot.Add.VerticalLine(g.Loss.P99 / FigureText.Million, 1.5f, Colors.DimGray);
        p99.LinePattern = LinePattern.Dotted;
        p99.LegendText = $"99th percentile {FigureText.MoneyWithUnit(g.Loss.P99)} (99 trials in 100 lose no more)";

        // Drawn last so it sits on top when it nearly coincides with the p99 (few defaults, heavy ties).
        var es99 = plot.Add.VerticalLine(g.Loss.Es99 / FigureText.Million, 2.5f, GuaranteeText.DangerColor);
        es99.LegendText = $"Expected shortfall 99% {FigureText.MoneyWithUnit(g.Loss.Es99)} (mean of the worst 1% of trials)";

        var entries = new List<string> { barPlot.LegendText, mean.LegendText, p99.LegendText, es99.LegendText };
        var notes = Notes(bins, losses);
        foreach (string note in notes)
        {
            plot.Legend.ManualItems.Add(GuaranteeText.Note(note));
            entries.Add(note);
        }

        double right = bins.Count * width;
        var legendCorner = QuieterTopCorner(shares);
        double yTop = AxisTop(shares, legendCorner, GuaranteeText.LegendShare(entries));
        plot.Axes.SetLimits(-0.01 * right, 1.01 * right, 0, yTop);
        PlotStyle.LabelCutBars(plot, shares, width, yTop);
        plot.Axes.Bottom.TickGenerator = GuaranteeText.MoneyTicks();
        plot.Axes.Left.TickGenerator = GuaranteeText.PercentTicks(Math.Min(yTop, 100));
        plot.ShowLegend(legendCorner);
        PlotStyle.Save(plot, path);
    }

    /// <summary>
    /// Lines below the series in the legend: trials beyond the right edge (so the tail is not silently dropped)
    /// and trials without any loss (a spike a reader would otherwise read as "small losses").
    /// </summary>
    internal static List<string> Notes(Binning bins, TrialDistribution losses)
    {
        var notes = new List<string>();
        long n = losses.Count;
        if (n == 0) return notes;
        if (losses.Max <= 0)
        {
            notes.Add($"No trial had any credit loss ({FigureText.Integer(n)} trials)");
            return notes;
        }
        // Shares, like the bars, are weighted under importance sampling (Exceedance); the counts are sampled trials.
        long zeros = losses.CountAtMost(0);
        if (zeros > 0)
            notes.Add($"No credit loss at all in {FigureText.Probability(losses.IsWeighted ? 1 - losses.Exceedance(0) : (double)zeros / n)} of trials (inside the first bar)");
        long beyond = losses.CountAbove(bins.Upper);
        if (beyond > 0)
        {
            string share = FigureText.Probability(losses.Exceedance(bins.Upper));
            string what = losses.IsWeighted
                ? $"{share} of the weighted trials ({FigureText.Integer(beyond)} sampled {(beyond == 1 ? "trial" : "trials")})"
                : $"{FigureText.Integer(beyond)} {(beyond == 1 ? "trial" : "trials")} ({share})";
            notes.Add($"Not shown: {what} above {FigureText.Money(bins.Upper)}, largest {FigureText.Money(losses.Max)} {FigureText.MoneyUnit}");
        }
        return notes;
    }

    /// <summary>
    /// Top of the y axis: as in the fund histogram, a bin that dwarfs the rest is cut off so the shape stays
    /// visible; then raised until the bars under the legend's corner clear the legend, within reason (at most
    /// doubled, beyond which the shape would shrink more than the overlap hurts).
    /// </summary>
    private static double AxisTop(double[] shares, Alignment corner, (double WidthShare, double HeightShare) legend)
    {
        var descending = shares.OrderDescending().ToArray();
        double first = descending[0], second = descending.Length > 1 ? descending[1] : 0;
        if (first <= 0) return 1;
        bool cut = second > 0 && first > CutRatio * second;
        double top = cut ? second * 1.8 : first * 1.15;

        int covered = Math.Max(1, (int)Math.Ceiling(shares.Length * Math.Min(1, legend.WidthShare + 0.02)));
        var under = corner == Alignment.UpperRight ? shares.Skip(shares.Length - covered) : shares.Take(covered);
        double highest = Math.Min(under.Max(), top);
        double free = 1 - legend.HeightShare - 0.04;
        double needed = free > 0.2 ? highest / free : top;
        return Math.Min(Math.Max(top, needed), top * 2);
    }

    // The legend goes in whichever top corner has the lower bars beneath it; losses are right-skewed, so ties
    // go right.
    private static Alignment QuieterTopCorner(double[] shares)
    {
        int half = shares.Length / 2;
        double left = shares.Take(half).DefaultIfEmpty(0).Max();
        double right = shares.Skip(half).DefaultIfEmpty(0).Max();
        return right <= left ? Alignment.UpperRight : Alignment.UpperLeft;
    }

    /// <summary>
    /// Bins of a nice width (1, 2, 2.5 or 5 times a power of ten, in CNY) from 0 to past the tail: to the largest
    /// loss when the tail is compact, otherwise to a little beyond max(p99.9, ES99), with the rest counted in a
    /// note. A few extreme trials would otherwise squeeze the whole distribution into the first bins.
    /// </summary>
    /// <param name="Width">Bin width in CNY.</param>
    /// <param name="Count">Number of bins.</param>
    internal sealed record Binning(double Width, int Count)
    {
        /// <summary>Right edge of the last bin, in CNY.</summary>
        internal double Upper => Width * Count;

        /// <summary>The bins for a scheme's losses (<see cref="LossBins"/>; large runs keep exact counts at their edges).</summary>
        internal static Binning For(GuaranteeResult g)
        {
            var (width, count) = LossBins.For(g.Losses.Count == 0 ? 0 : g.Losses.Max, g.Loss.P99, g.Loss.P999, g.Loss.Es99);
            return new Binning(width, count);
        }

        /// <summary>Share of trials (in %) per bin (under importance sampling, of their weights); losses past the last
        /// bin are left out (see the note).</summary>
        internal double[] Shares(TrialDistribution losses) => losses.Shares(Count, x =>
        {
            int bin = (int)Math.Floor(Math.Max(0, x) / Width);
            if (bin == Count && x <= Upper) bin--; // exactly on the right edge: not beyond it, so not in the note
            return bin < Count ? bin : -1;
        });
    }
}
