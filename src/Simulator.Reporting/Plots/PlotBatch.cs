using System.Runtime.ExceptionServices;

namespace Simulator.Reporting.Plots;

/// <summary>A chart to write: its file name and how to draw it into a given path.</summary>
/// <param name="Name">File name, relative to the folder the batch writes into.</param>
/// <param name="Write">Draws the chart and saves it as a PNG at the path it is given.</param>
/// <param name="Large">Whether the chart takes several ordinary charts' time (it draws every fund, or a larger
/// image): such charts are started first, so the batch does not end waiting for one of them alone.</param>
internal sealed record PlotFile(string Name, Action<string> Write, bool Large = false);

/// <summary>
/// Writes independent charts on several cores. Each chart is its own ScottPlot <c>Plot</c> on its own Skia surface;
/// what they share (ScottPlot's typeface cache, a concurrent dictionary; Skia's font manager and glyph cache, which
/// lock; <see cref="PlotFonts"/> and <see cref="CjkFont"/>, lazily initialised once) is safe from several threads,
/// and a chart's bytes do not depend on which thread drew it or what was drawn before. Rendering and PNG encoding are
/// single-threaded inside Skia, so drawing charts side by side is what puts a run's idle cores to work.
/// </summary>
internal static class PlotBatch
{
    /// <summary>
    /// Writes every chart of <paramref name="plots"/> into <paramref name="directory"/> on up to
    /// <paramref name="threads"/> threads (0: all cores) and returns their names in the order given, however the
    /// work was scheduled. If charts fail, the exception of the first failing one in that order is thrown, so the
    /// error a user sees does not depend on timing.
    /// </summary>
    internal static IReadOnlyList<string> Write(IReadOnlyList<PlotFile> plots, string directory, int threads = 0)
    {
        var errors = new Exception?[plots.Count];
        // Large charts first, the rest in list order; each thread takes the next chart when it is done with one
        // (rather than a range), since costs differ: a programme's exceedance chart takes three histograms' time.
        int[] order = [.. Enumerable.Range(0, plots.Count).OrderBy(i => plots[i].Large ? 0 : 1)];
        int next = -1;
        void Work()
        {
            for (int k = Interlocked.Increment(ref next); k < order.Length; k = Interlocked.Increment(ref next))
            {
                int i = order[k];
                try
                {
                    plots[i].Write(Path.Combine(directory, plots[i].Name));
                }
                catch (Exception e)
                {
                    errors[i] = e;
                }
            }
        }

        int workers = Math.Min(plots.Count, threads > 0 ? threads : Environment.ProcessorCount);
        if (workers <= 1)
        {
            Work();
        }
        else
        {
            // The calling thread draws too, so a batch of two charts needs one pool thread, not two.
            var helpers = Enumerable.Range(0, workers - 1).Select(_ => Task.Run(Work)).ToArray();
            Work();
            Task.WaitAll(helpers);
        }
        if (errors.FirstOrDefault(e => e is not null) is { } error) ExceptionDispatchInfo.Throw(error);
        return plots.Select(p => p.Name).ToList();
    }
}
