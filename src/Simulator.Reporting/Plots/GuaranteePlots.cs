using Simulator.Core.Engine;

namespace Simulator.Reporting.Plots;

/// <summary>The guarantee schemes' charts (placeholder until the charts are written).</summary>
internal static class GuaranteePlots
{
    /// <summary>Writes each scheme's charts; returns the file names.</summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string directory) => [];
}
