namespace Simulator.Core.Statistics;

/// <summary>
/// The bins of a scheme's credit-loss histogram: a nice width (1, 2, 2.5 or 5 times a power of ten, in CNY) from 0 to
/// past the tail — to the largest loss when the tail is compact, otherwise to a little beyond max(p99.9, ES99), the rest
/// counted in a note. Computed here rather than by the chart alone because the engine keeps exact counts at the
/// bin edges when a run is too large to keep every loss (<see cref="TrialDistribution"/>).
/// </summary>
public static class LossBins
{
    /// <summary>Aim for about this many bins, as in the fund histogram; a nice bin width gives 25 to 60.</summary>
    public const int TargetBins = 50;

    /// <summary>More bins than this get too thin to read at 1000 px.</summary>
    public const int MaxBins = 60;

    /// <summary>One million CNY, the width of the axis when every trial lost nothing.</summary>
    private const double Million = 1e6;

    /// <summary>Bin width (CNY) and count for a loss distribution with the given largest value and tail figures.</summary>
    public static (double Width, int Count) For(double largest, double p99, double p999, double es99)
    {
        double max = double.IsNaN(largest) ? 0 : Math.Max(0, largest);
        // Every trial lost nothing: one thin bar at 0 on a 0–1 million axis, rather than a bar as wide as the axis.
        if (max <= 0) return (Million / TargetBins, TargetBins);
        double tail = Math.Max(Math.Max(p999, es99), p99);
        double range = max <= 1.3 * tail || tail <= 0 ? max : tail * 1.1;
        double width = NiceWidth(range);
        int count = Math.Max(1, (int)Math.Ceiling(range / width - 1e-9));
        // The largest loss on, or by rounding just past, the right edge would drop out; one more bin keeps it.
        if (range >= max && count * width <= max) count++;
        return (width, count);
    }

    /// <summary>The bin edges 0, width, 2·width, …, count·width.</summary>
    public static IEnumerable<double> Edges(double width, int count) => Enumerable.Range(0, count + 1).Select(k => k * width);

    /// <summary>
    /// The width of 1, 2, 2.5 or 5 times a power of ten whose bin count is nearest <see cref="TargetBins"/>
    /// without passing <see cref="MaxBins"/>: nice widths put bin edges on round amounts, which the ticks share.
    /// </summary>
    private static double NiceWidth(double range)
    {
        double best = double.NaN, bestDistance = double.PositiveInfinity;
        int decade = (int)Math.Floor(Math.Log10(range / TargetBins));
        for (int e = decade - 1; e <= decade + 1; e++)
        {
            foreach (double m in (double[])[1, 2, 2.5, 5])
            {
                double width = m * Math.Pow(10, e);
                double count = Math.Ceiling(range / width - 1e-9);
                double distance = Math.Abs(Math.Log(count / TargetBins));
                if (count <= MaxBins && distance < bestDistance)
                {
                    best = width;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }
}
