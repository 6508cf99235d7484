using ScottPlot;
using ScottPlot.TickGenerators;

namespace Simulator.Reporting.Plots;

/// <summary>Tick layouts for loss-ratio axes (shares shown as percent) and log-probability axes.</summary>
internal static class PercentAxis
{
    /// <summary>Ticks every 10% from 0% to 100%, minor ticks every 2% to match the histogram bins.</summary>
    internal static void SetShareTicks(IAxis axis)
    {
        var ticks = new NumericManual();
        for (int i = 0; i <= 50; i++)
        {
            double x = i / 50.0;
            if (i % 5 == 0) ticks.AddMajor(x, PlotText.TickPercent(x));
            else ticks.AddMinor(x);
        }
        axis.TickGenerator = ticks;
    }

    /// <summary>
    /// Labels an axis that carries log10 of a probability, from 10^<paramref name="lowest"/> to 1: a major tick at
    /// every power of ten, read as percent (100%, 10%, …, 0.001%), minor ticks at 2…9 times them. ScottPlot 5 has
    /// no log axis, so the data are plotted as log10 values and only the labels are transformed. The ticks are
    /// listed rather than generated so the bottom decade keeps its label, which the automatic generator drops.
    /// </summary>
    internal static void SetLogProbabilityTicks(IAxis axis, int lowest)
    {
        var ticks = new NumericManual();
        for (int e = lowest; e <= 0; e++)
        {
            ticks.AddMajor(e, PowerOfTenPercent(e));
            if (e == 0) break;
            for (int k = 2; k <= 9; k++) ticks.AddMinor(e + Math.Log10(k));
        }
        axis.TickGenerator = ticks;
    }

    /// <summary>10^<paramref name="exponent"/> as a percent written out in full (0.001%), since fund managers
    /// read percentages more readily than powers of ten.</summary>
    internal static string PowerOfTenPercent(int exponent) => exponent >= -2
        ? "1" + new string('0', exponent + 2) + "%"
        : "0." + new string('0', -exponent - 3) + "1%";
}
