using Simulator.Core.Engine;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The PNG charts of a run, written next to summary.json so a fund manager can read the results without the
/// numbers: one loss-ratio histogram per fund, the exceedance curves of all funds and the programme, and the
/// breach probabilities.
/// </summary>
public static class ResultPlots
{
    /// <summary>
    /// Null unless a chart had Chinese text but no font on the machine could draw it; then it says how to install
    /// one. The charts are still written (with boxes), so callers should show this once rather than fail.
    /// </summary>
    public static string? MissingCjkFontWarning => PlotFonts.MissingWarning;

    /// <summary>
    /// Writes every plot of a run into <paramref name="directory"/> (created if missing) and returns the file
    /// names written, relative to it, in a fixed order: each instrument's charts in scenario order (the funds'
    /// histograms, exceedance and breach charts, then the guarantee schemes' charts), then the convergence chart. The charts are
    /// drawn side by side on up to <paramref name="threads"/> threads (0: all cores); neither the files' bytes nor
    /// the order of the list depend on the number.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string directory, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        return PlotBatch.Write(Files(result), directory, threads);
    }

    /// <summary>The charts of <paramref name="result"/>, in the order <see cref="WriteAll"/> lists them.</summary>
    private static List<PlotFile> Files(SimulationResult result)
    {
        var files = Instruments.InstrumentReports.Of(result).SelectMany(x => x.Report.Plots(result, x.Result)).ToList();
        if (ConvergenceChart.Applies(result)) files.Add(new PlotFile(ConvergenceChart.FileName, path => ConvergenceChart.Write(result, path)));
        return files;
    }
}
