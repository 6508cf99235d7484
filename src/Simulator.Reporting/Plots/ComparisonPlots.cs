using Simulator.Core.Comparison;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The charts comparing variants with the base, all from the paired differences of comparison.csv (variants ran on
/// the base's random numbers): comparison.png and, with a sensitivity analysis, tornado.png.
/// </summary>
/// <remarks>
/// comparison.png depends on what the scenario asks: a sweep over one numeric path is drawn as lines against the
/// swept value with 95% bands; a sweep over two paths as a heat map of the headline figure over the grid; anything
/// else (named variants, larger or non-numeric sweeps) as horizontal bars of each variant's difference from the
/// base with 95% intervals. The sensitivity variants are left to the tornado unless they are the only variants.
/// </remarks>
public static class ComparisonPlots
{
    /// <summary>File name of the variant comparison chart.</summary>
    public const string ComparisonFile = "comparison.png";

    /// <summary>File name of the sensitivity chart.</summary>
    public const string TornadoFile = TornadoChart.FileName;

    /// <summary>
    /// Writes comparison.png, and tornado.png when <c>result.Base.Sensitivity</c> is not null, into
    /// <paramref name="directory"/> (created if missing); returns the file names in that order. The two are drawn side
    /// by side on up to <paramref name="threads"/> threads (0: all cores), which changes neither bytes nor order.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(ComparisonResult result, string directory, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);

        var files = new List<PlotFile> { new(ComparisonFile, path => WriteComparison(result, path)) };
        if (result.Base.Sensitivity is { Inputs.Count: > 0 } && result.BaseFigures.Any(f => f.Figure.Name == result.Base.Sensitivity.Output))
            files.Add(new PlotFile(TornadoFile, path => TornadoChart.Write(result, path)));
        return PlotBatch.Write(files, directory, threads);
    }

    /// <summary>What comparison.png of <paramref name="result"/> shows.</summary>
    internal static ComparisonChart ChartOf(ComparisonResult result)
    {
        var plan = result.Base.Sweep;
        int sweep = result.Variants.Count(v => v.Variant.Origin == VariantOrigin.Sweep);
        bool gridComplete = plan is not null && plan.Paths.Count > 0 && sweep == plan.Values.Aggregate(1, (n, v) => n * v.Count);
        if (gridComplete && plan!.Paths.Count == 1 && plan.Numbers[0].All(x => x is not null)) return ComparisonChart.Lines;
        if (gridComplete && plan!.Paths.Count == 2) return ComparisonChart.HeatMap;
        return ComparisonChart.Bars;
    }

    private static void WriteComparison(ComparisonResult result, string path)
    {
        var sweep = result.Variants.Where(v => v.Variant.Origin == VariantOrigin.Sweep).ToList();
        var named = result.Variants.Where(v => v.Variant.Origin == VariantOrigin.Variant).ToList();
        string? othersNote = named.Count > 0
            ? $"{named.Count} named variant(s) not shown here; see comparison.csv"
            : null;

        switch (ChartOf(result))
        {
            case ComparisonChart.Lines:
                SweepLineChart.Write(result, sweep, result.Base.Sweep!.Numbers[0].Select(x => x!.Value).ToList(), path, othersNote);
                return;
            case ComparisonChart.HeatMap:
                SweepHeatMap.Write(result, sweep, path, othersNote);
                return;
        }

        var shown = result.Variants.Where(v => v.Variant.Origin is VariantOrigin.Variant or VariantOrigin.Sweep).ToList();
        string? note = null;
        if (shown.Count == 0 && result.Variants.Count > 0)
        {
            // Only a sensitivity analysis: its variants are all there is to compare; the tornado ranks them.
            shown = result.Variants.ToList();
            note = "sensitivity variants; tornado.png ranks them";
        }
        ComparisonBarChart.Write(result, shown, path, note);
    }
}

/// <summary>The kinds of comparison.png.</summary>
internal enum ComparisonChart
{
    /// <summary>Each variant's difference from the base as bars.</summary>
    Bars,
    /// <summary>A one-path sweep: key figures against the swept value.</summary>
    Lines,
    /// <summary>A two-path sweep: a heat map of the headline figure over the grid.</summary>
    HeatMap,
}
