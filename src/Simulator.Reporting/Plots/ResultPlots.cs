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
    /// names written, relative to it, in a fixed order: the funds' histograms in file order, then the exceedance
    /// chart, then the breach chart.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);

        var written = new List<string>(result.Funds.Count + 2);
        foreach (var fund in result.Funds)
        {
            string name = LossRatioHistogram.FileName(fund);
            LossRatioHistogram.Write(fund, result.Scenario.Title, Path.Combine(directory, name));
            written.Add(name);
        }
        if (result.Programme is not null)
        {
            ExceedanceChart.Write(result, Path.Combine(directory, ExceedanceChart.FileName));
            written.Add(ExceedanceChart.FileName);
            BreachChart.Write(result, Path.Combine(directory, BreachChart.FileName));
            written.Add(BreachChart.FileName);
        }
        written.AddRange(GuaranteePlots.WriteAll(result, directory));
        if (ConvergenceChart.Write(result, directory) is { } convergence) written.Add(convergence);
        return written;
    }
}
