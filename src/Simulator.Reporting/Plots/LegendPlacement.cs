using ScottPlot;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Puts a legend in the corner of the data area that the data leave emptiest, so it never hides the tail a
/// reader is looking for; ScottPlot draws legends inside the data area and does not avoid data on its own.
/// </summary>
internal static class LegendPlacement
{
    /// <summary>
    /// The corner among <paramref name="candidates"/> (first wins ties) whose box, <paramref name="widthShare"/> ×
    /// <paramref name="heightShare"/> of the axis ranges, holds the fewest of <paramref name="points"/>.
    /// </summary>
    internal static Alignment LeastCrowded(
        IEnumerable<Coordinates> points, AxisLimits limits, double widthShare, double heightShare, params Alignment[] candidates)
    {
        var pts = points.ToList();
        double w = limits.HorizontalSpan * widthShare, h = limits.VerticalSpan * heightShare;
        Alignment best = candidates[0];
        int fewest = int.MaxValue;
        foreach (var corner in candidates)
        {
            bool right = corner is Alignment.UpperRight or Alignment.LowerRight;
            bool upper = corner is Alignment.UpperRight or Alignment.UpperLeft;
            double x0 = right ? limits.Right - w : limits.Left, y0 = upper ? limits.Top - h : limits.Bottom;
            int inside = pts.Count(p => p.X >= x0 && p.X <= x0 + w && p.Y >= y0 && p.Y <= y0 + h);
            if (inside < fewest)
            {
                fewest = inside;
                best = corner;
            }
        }
        return best;
    }
}
