using Simulator.Core.Engine;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The guarantee schemes' charts: per scheme, the credit-loss distribution, who pays, the guarantor's capital by
/// year (only with a guarantor) and the pool-exhaustion and insolvency probabilities by year.
/// </summary>
internal static class GuaranteePlots
{
    /// <summary>
    /// Each scheme's charts, to be written into one folder: schemes in file order, and per scheme loss-, parties-,
    /// capital- (skipped without a guarantor), exhaustion-&lt;name&gt;.png.
    /// </summary>
    internal static IEnumerable<PlotFile> Files(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string title = result.Scenario.Title;
        foreach (var g in result.Guarantees)
        {
            yield return new PlotFile(GuaranteeLossHistogram.FileName(g), path => GuaranteeLossHistogram.Write(g, title, path));
            yield return new PlotFile(GuaranteePartiesChart.FileName(g), path => GuaranteePartiesChart.Write(g, title, path));
            if (GuaranteeCapitalChart.Applies(g))
                yield return new PlotFile(GuaranteeCapitalChart.FileName(g), path => GuaranteeCapitalChart.Write(g, title, path));
            yield return new PlotFile(GuaranteeExhaustionChart.FileName(g), path => GuaranteeExhaustionChart.Write(g, title, path));
        }
    }
}
