using ScottPlot;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Pays the first-use costs of drawing charts ahead of time, on a background thread: listing the installed font
/// families (ScottPlot's defaults, <see cref="PlotFonts"/>, <see cref="CjkFont"/>), opening the typefaces, loading
/// Skia's rasteriser and PNG encoder. Paid by the first charts of a run instead, on every thread that draws one,
/// they delayed a run's results by about a tenth of a second on two cores. A caller starts this where a core is idle (the command line
/// while it reads and checks the scenario files). Charts drawn after or during it are byte-for-byte the same as
/// without it: it only fills caches that hold the same fonts either way.
/// </summary>
public static class PlotWarmUp
{
    /// <summary>
    /// Starts the warm-up on the thread pool; the task never faults (a machine that cannot draw charts reports it
    /// when a run draws its own). Wait for it before the process exits, so native font code is not cut off midway.
    /// </summary>
    public static Task Start() => Task.Run(Run);

    private static void Run()
    {
        try
        {
            // Regular and bold (titles) in the Latin face, and the CJK face only if one exists: Chinese text without
            // one would set PlotFonts' missing-font warning, which a run must set only for its own titles.
            string chinese = CjkFont.Family is null ? "" : " 武汉";
            using var plot = PlotStyle.Create("Warm-up 0.5%" + chinese, "x", "y");
            var bars = plot.Add.Bars(new double[] { 1, 2 });
            bars.LegendText = "Trials";
            plot.Add.Text("↑ 1%", 0, 1);
            plot.ShowLegend(Alignment.UpperRight);
            PlotFonts.Apply(plot);
            using var surface = PngFile.CreateSurface(160, 120);
            plot.Render(surface.Canvas, 160, 120);
            using var png = PngFile.Encode(surface);
        }
        catch (Exception)
        {
            // Nothing is lost: the same work is done, and any error raised, when the first chart is drawn.
        }
    }
}
