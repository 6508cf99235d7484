using Simulator.Core.Comparison;

namespace Simulator.Reporting.Plots;

/// <summary>The charts comparing variants (placeholder until the charts are written).</summary>
public static class ComparisonPlots
{
    /// <summary>Writes comparison.png (and tornado.png with a sensitivity analysis); returns the file names.</summary>
    public static IReadOnlyList<string> WriteAll(ComparisonResult result, string directory) => [];
}
