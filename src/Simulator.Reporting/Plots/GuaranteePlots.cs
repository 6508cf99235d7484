using Simulator.Core.Engine;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The guarantee schemes' charts: per scheme, the credit-loss distribution, who pays, the guarantor's capital by
/// year (only with a guarantor) and the pool-exhaustion and insolvency probabilities by year.
/// </summary>
internal static class GuaranteePlots
{
    /// <summary>
    /// Writes each scheme's charts into <paramref name="directory"/> (which must exist) and returns the file names,
    /// relative to it: schemes in file order, and per scheme loss-, parties-, capital- (skipped without a
    /// guarantor), exhaustion-&lt;name&gt;.png.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string title = result.Scenario.Title;
        var written = new List<string>(result.Guarantees.Count * 4);
        foreach (var g in result.Guarantees)
        {
            Write(GuaranteeLossHistogram.FileName(g), path => GuaranteeLossHistogram.Write(g, title, path));
            Write(GuaranteePartiesChart.FileName(g), path => GuaranteePartiesChart.Write(g, title, path));
            if (GuaranteeCapitalChart.Applies(g))
                Write(GuaranteeCapitalChart.FileName(g), path => GuaranteeCapitalChart.Write(g, title, path));
            Write(GuaranteeExhaustionChart.FileName(g), path => GuaranteeExhaustionChart.Write(g, title, path));
        }
        return written;

        void Write(string name, Action<string> write)
        {
            write(Path.Combine(directory, name));
            written.Add(name);
        }
    }
}
