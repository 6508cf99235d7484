using System.Text;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Html;

/// <summary>
/// index.html at the output root: one row per scenario file of a batch with how it ended, its headline figures
/// and a link to its report, then one row per result folder of earlier runs in the same output root; click a
/// column header to sort. Written after the batch, so a user who ran a folder of scenarios (or one scenario at a
/// time, or a Slurm array of them) opens one page instead of a dozen folders.
/// </summary>
public static class BatchIndex
{
    /// <summary>File name of the index inside the output root.</summary>
    public const string FileName = "index.html";

    /// <summary>
    /// Writes <c>&lt;outputRoot&gt;/index.html</c> (creating the folder) and returns its path. Besides
    /// <paramref name="entries"/> it lists every other result folder below <paramref name="outputRoot"/> (a folder
    /// with summary.json that is not an ok entry of this batch), from its index-entry.json, after the batch's rows
    /// in name order. The page replaces the earlier one in one step, so that runs finishing at the same time into
    /// the same output root never leave it half-written.
    /// </summary>
    /// <param name="entries">One entry per scenario file, in the order to list them.</param>
    /// <param name="outputRoot">The batch's output root; reports are linked as <c>&lt;name&gt;/report.html</c> below it.</param>
    public static string Write(IReadOnlyList<BatchEntry> entries, string outputRoot)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrEmpty(outputRoot);
        Directory.CreateDirectory(outputRoot);
        string path = Path.Combine(outputRoot, FileName);
        string work = Path.Combine(outputRoot, Output.Leftovers.NameFor(FileName, Output.Leftovers.Partial));
        try
        {
            HtmlPage.Write(work, Render([.. entries, .. EarlierFolders(entries, outputRoot)]));
            File.Move(work, path, overwrite: true);
        }
        finally
        {
            File.Delete(work); // nothing when moved
        }
        return path;
    }

    /// <summary>Rows of the result folders below <paramref name="outputRoot"/> that <paramref name="entries"/> did not
    /// write, in ordinal name order.</summary>
    internal static IEnumerable<BatchEntry> EarlierFolders(IReadOnlyList<BatchEntry> entries, string outputRoot)
    {
        var written = entries.Where(e => e.Status == BatchStatus.Ok && e.Name is not null).Select(e => e.Name!).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateDirectories(outputRoot)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && !written.Contains(Path.GetFileName(d)) && File.Exists(Path.Combine(d, "summary.json")))
            .Order(StringComparer.Ordinal)
            .Select(BatchEntry.Load)
            .OfType<BatchEntry>()
            .ToList();
    }

    /// <summary>The page's HTML (what <see cref="Write"/> writes).</summary>
    internal static string Render(IReadOnlyList<BatchEntry> entries)
    {
        var batch = entries.Where(e => !e.Earlier).ToList();
        int ok = batch.Count(e => e.Status == BatchStatus.Ok), invalid = batch.Count(e => e.Status == BatchStatus.Invalid);
        int failed = batch.Count(e => e.Status == BatchStatus.Failed), earlier = entries.Count - batch.Count;
        var body = new StringBuilder();
        body.Append("<header>\n<h1>Simulation batch</h1>\n<p class=\"lede\">")
            .Append(Plural(batch.Count, "scenario file")).Append(": ").Append(ok).Append(" ran, ")
            .Append(invalid).Append(" invalid, ").Append(failed).Append(" failed.")
            .Append(earlier > 0 ? $" Also listed: {Plural(earlier, "result folder")} of earlier runs in this folder." : "").Append("</p>\n")
            .Append("<p class=\"meta\">").Append(HtmlText.Encode(ProgramInfo.NameAndVersion))
            .Append(" · click a scenario to open its report, a column header to sort · amounts in million CNY</p>\n</header>\n");

        // The name links to the report and comes first, with the file under it: with a dozen columns, a link at
        // the far right ends up scrolled out of view on a laptop screen.
        // The solve column only when a scenario of the page has a "solve" block, so that every other index is as before.
        bool solves = entries.Any(e => e.Solve is not null);
        var columns = new List<Column>
        {
            new("Scenario (file)", false, "Click a name to open the scenario's report"), new("Title"), new("Status"),
            new("Programme P(breach)", true, "Probability that the pooled programme breaches its invested-weighted tolerance"),
            new("Worst fund P(breach)", true, "Highest breach probability of a single fund"),
            new("Worst fund"),
            new("Gov. cost (M CNY)", true, "Mean government cost of all guarantee schemes, million CNY"),
            new("Trials", true), new("Variants", true, "Runs besides the base on the same random numbers: variants, sweep combinations and sensitivity runs"),
        };
        if (solves) columns.Add(new Column("Solved for", false, "The answer of the scenario's \"solve\" block with its 95% interval (its report's section has the detail)"));
        var t = new HtmlTable([.. columns]) { Class = "sortable", Id = "batch" };
        foreach (var e in entries)
        {
            string? link = e.ReportLink;
            string name = link is null ? HtmlText.Encode(e.Name) : $"<a class=\"report\" href=\"{HtmlText.Encode(link)}\">{HtmlText.Encode(e.Name)}</a>";
            Cell[] cells = [
                new Cell($"{name}<div class=\"file\">{HtmlText.Encode(FileNote(e))}</div>", e.Name ?? e.File, Class: "scenario"),
                Cell.Text(e.Title, "title"), Status(e),
                e.ProgrammeBreach is { } pb ? Cell.Probability(pb) : Cell.Blank,
                e.WorstFundBreach is { } wb ? Cell.Probability(wb) : Cell.Blank,
                Cell.Text(e.WorstFund, "nowrap"),
                e.GovernmentCost is { } gc ? Cell.Money(gc) : Cell.Blank,
                e.Trials is { } trials ? Cell.Number(FigureText.Integer(trials), trials) : Cell.Blank,
                e.Status == BatchStatus.Ok ? Cell.Number(e.Variants.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Variants) : Cell.Blank,
            ];
            t.Row(solves ? [.. cells, Cell.Text(e.Solve)] : cells);
        }
        body.Append(t.Render());
        body.Append("<p class=\"note\">Each report is one self-contained file (charts embedded) that can be forwarded on its own. "
            + "Invalid files were not run; fix the errors shown (file:line: error at path) and run them again.</p>\n");

        string language = entries.Any(e => HtmlText.HasCjk(e.Title)) ? "zh" : "en";
        return HtmlPage.Render(language, "Simulation batch — index", body.ToString(), sortable: true, wide: true);
    }

    // Under the name: the scenario file, and for a folder of an earlier run that it is one.
    private static string FileNote(BatchEntry e) => !e.Earlier ? e.File
        : !e.Recorded ? "earlier run; figures not recorded (written by an older version)"
        : e.File.Length > 0 ? $"{e.File} (earlier run)" : "earlier run";

    private static Cell Status(BatchEntry e)
    {
        string label = e.Status switch { BatchStatus.Ok => "ok", BatchStatus.Invalid => "invalid", _ => "failed" };
        var sb = new StringBuilder();
        sb.Append("<span class=\"status-").Append(label).Append("\">").Append(label).Append("</span>");
        if (e.Messages.Count > 0)
        {
            sb.Append("<ul class=\"errors\">");
            foreach (var m in e.Messages) sb.Append("<li>").Append(HtmlText.Encode(m)).Append("</li>");
            sb.Append("</ul>");
        }
        // data-v keeps the sort on the status word, not on the messages under it.
        return new Cell(sb.ToString(), label, false, e.Messages.Count > 0 ? "messages" : null);
    }

    private static string Plural(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
