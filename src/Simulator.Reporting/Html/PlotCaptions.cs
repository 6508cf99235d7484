using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Html;

/// <summary>What a plot is and how to read it, from its file name (the names ResultPlots and ComparisonPlots write).</summary>
/// <param name="File">File name, relative to the result folder.</param>
/// <param name="Heading">Short heading above the chart.</param>
/// <param name="Caption">One line telling a reader how to read it.</param>
/// <param name="IsComparison">Whether it belongs to the comparison section (comparison*.png, tornado*.png).</param>
internal sealed record PlotInfo(string File, string Heading, string Caption, bool IsComparison);

/// <summary>
/// Captions of the charts. A chart without a reading guide gets misread (a log axis, a cut-off bar, a mean
/// against a percentile), so every chart gets one line saying what the marks mean.
/// </summary>
internal static class PlotCaptions
{
    /// <summary>The heading and caption of <paramref name="file"/>.</summary>
    public static PlotInfo Describe(string file, SimulationResult result, ComparisonResult? comparison)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result))
            if (report.Describe(file, name, result, instrument) is { } described) return described;
        if (name == "convergence")
        {
            int checkpoints = result.Precision?.History.Count ?? 0;
            return new PlotInfo(file, "Convergence", checkpoints < Plots.ConvergenceChart.FewCheckpoints
                ? $"Each point: a watched figure's estimate at one of the {checkpoints} checkpoints divided by its final value, with its 95% interval; " +
                  "the dotted lines only join the points. The band around 1 is the precision target, and a run stops once every interval has narrowed into it."
                : "Each curve: a watched figure's running estimate divided by its final value as trials were added, shaded with its 95% band; " +
                  "the band around 1 is the precision target, and a run stops once every curve's band has narrowed into it.", false);
        }
        if (name.StartsWith("tornado", StringComparison.Ordinal))
        {
            string output = comparison?.Base.Sensitivity?.Output ?? "the output";
            return new PlotInfo(file, "Sensitivity (tornado)",
                $"Each bar: how far {output} moves from its base value when one input is moved down and up by its step, all else unchanged; " +
                "the longest bars, on top, are the inputs that matter most. Exact swings with their standard errors are in the table below.", true);
        }
        if (name.StartsWith("comparison", StringComparison.Ordinal))
        {
            // Not "Variants compared", the heading of the section the chart stands in.
            string heading = comparison is null ? "Changes from the base" : Plots.ComparisonPlots.ChartOf(comparison) switch
            {
                Plots.ComparisonChart.HeatMap => "The headline figure over the sweep grid",
                Plots.ComparisonChart.Lines => "Key figures against the swept value",
                _ => "Each variant's change from the base",
            };
            return new PlotInfo(file, heading,
                "Key figures of the base and of each variant, all run on the same random numbers, so the differences between them are the effect of the settings, " +
                "not noise; exact differences ± paired standard errors are in the table below.", true);
        }
        return new PlotInfo(file, name, "Chart written with the results; see the tables for the exact figures.", false);
    }
}
