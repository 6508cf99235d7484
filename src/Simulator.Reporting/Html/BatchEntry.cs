using System.Text.Json;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;

namespace Simulator.Reporting.Html;

/// <summary>How one scenario file of a batch ended.</summary>
public enum BatchStatus
{
    /// <summary>It ran and its result folder (with report.html) was written.</summary>
    Ok,
    /// <summary>It was rejected before running (validation errors).</summary>
    Invalid,
    /// <summary>It was valid but failed while running or writing its results.</summary>
    Failed,
}

/// <summary>The headline columns of a row of index.html, filled by the instruments' reports.</summary>
/// <param name="ProgrammeBreach">Programme breach probability.</param>
/// <param name="WorstFundBreach">Highest breach probability of a single fund.</param>
/// <param name="WorstFund">The fund with <paramref name="WorstFundBreach"/>.</param>
/// <param name="GovernmentCost">Mean government cost of the guarantee schemes (CNY).</param>
public sealed record BatchHeadline(double? ProgrammeBreach, double? WorstFundBreach, string? WorstFund, double? GovernmentCost);

/// <summary>One row of index.html: a scenario file of the batch, how it ended and its headline figures.</summary>
/// <param name="File">The scenario file as given on the command line (or found in a folder).</param>
/// <param name="Name">Scenario name (its result folder), when known.</param>
/// <param name="Title">Display title, when known.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Messages">Validation errors (invalid) or the failure message (failed); empty when ok.</param>
/// <param name="Trials">Trials run (ok only).</param>
/// <param name="Variants">Variants run besides the base (ok only).</param>
/// <param name="ProgrammeBreach">Programme breach probability, when the scenario has funds.</param>
/// <param name="WorstFundBreach">Highest breach probability of a single fund, when the scenario has funds.</param>
/// <param name="WorstFund">The fund with <paramref name="WorstFundBreach"/>.</param>
/// <param name="GovernmentCost">Mean government cost summed over the guarantee schemes (CNY), when it has any.</param>
public sealed record BatchEntry(
    string File, string? Name, string? Title, BatchStatus Status, IReadOnlyList<string> Messages,
    long? Trials, int Variants, double? ProgrammeBreach, double? WorstFundBreach, string? WorstFund, double? GovernmentCost)
{
    /// <summary>A scenario that ran; headline figures are taken from its base result.</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="result">The base run's result.</param>
    /// <param name="comparison">Its comparison with the variants, if any (only the number of variants is shown).</param>
    public static BatchEntry Ok(string file, SimulationResult result, ComparisonResult? comparison = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Each kind fills the columns it has figures for.
        var h = new BatchHeadline(null, null, null, null);
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) h = report.Headline(result, instrument, h);
        return new BatchEntry(file, result.Scenario.Name, result.Scenario.Title, BatchStatus.Ok, [], result.Trials,
            comparison?.Variants.Count ?? result.Scenario.Variants.Count,
            h.ProgrammeBreach, h.WorstFundBreach, h.WorstFund, h.GovernmentCost);
    }

    /// <summary>A file rejected before running, with every error message (as printed: file:line: error at path: message).</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="errors">Its errors.</param>
    /// <param name="name">Scenario name, when the file got far enough to have one (e.g. a duplicate name).</param>
    public static BatchEntry Invalid(string file, IReadOnlyList<string> errors, string? name = null) =>
        new(file, name, null, BatchStatus.Invalid, errors ?? [], null, 0, null, null, null, null);

    /// <summary>A valid scenario that failed while running or writing its results.</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="name">Scenario name, when known.</param>
    /// <param name="message">The one-line message shown to the user.</param>
    /// <param name="title">Its display title, when known.</param>
    public static BatchEntry Failed(string file, string? name, string message, string? title = null) =>
        new(file, name, title, BatchStatus.Failed, [message], null, 0, null, null, null, null);

    /// <summary>
    /// True for a result folder of an earlier run, found in the output folder and listed beside this batch's files
    /// (read from its <see cref="FileName"/>, see <see cref="Load"/>).
    /// </summary>
    public bool Earlier { get; init; }

    /// <summary>The answer of the scenario's "solve" block in a few words (<see cref="Solve.SolveReport.Headline"/>), null
    /// when it has none; index.html shows the column only when some row has one.</summary>
    public string? Solve { get; init; }

    /// <summary>True when the row's figures were recorded (false for a folder written by a version before
    /// <see cref="FileName"/> existed: it is listed with its name and link only).</summary>
    public bool Recorded { get; init; } = true;

    /// <summary>
    /// The row as a file in each result folder, written with the results and committed with them: index.html lists
    /// every result folder of the output root, also those of earlier runs, from these files (building the rows
    /// from summary.json instead would tie the index to that file's layout).
    /// </summary>
    public const string FileName = "index-entry.json";

    /// <summary>Writes this ok row to <c>&lt;folder&gt;/index-entry.json</c>.</summary>
    public void Save(string folder)
    {
        using var stream = System.IO.File.Create(Path.Combine(folder, FileName));
        using var w = new Utf8JsonWriter(stream, Formats.Writer);
        w.WriteStartObject();
        w.WriteString("file", File);
        w.WriteString("name", Name);
        w.WriteString("title", Title);
        if (Trials is { } trials) w.WriteNumber("trials", trials);
        w.WriteNumber("variants", Variants);
        Number(w, "programmeBreach", ProgrammeBreach);
        Number(w, "worstFundBreach", WorstFundBreach);
        w.WriteString("worstFund", WorstFund);
        Number(w, "governmentCost", GovernmentCost);
        // Only with a solve, so that the file of every other scenario is as before.
        if (Solve is not null) w.WriteString("solve", Solve);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } x && double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    /// <summary>
    /// The row of the result folder <paramref name="folder"/> of an earlier run: from its index-entry.json, or, when
    /// there is none or it cannot be read, its name and link alone. Null when the folder is gone (another run
    /// replacing it at this moment).
    /// </summary>
    public static BatchEntry? Load(string folder)
    {
        string name = Path.GetFileName(folder);
        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(folder, FileName)));
            var root = document.RootElement;
            string? Text(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            double? Real(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            long? trials = root.TryGetProperty("trials", out var t) && t.TryGetInt64(out long n) ? n : null;
            int variants = root.TryGetProperty("variants", out var v) && v.TryGetInt32(out int k) ? k : 0;
            // The folder's own name wins: it is what the link points to, also for a folder renamed by hand.
            return new BatchEntry(Text("file") ?? "", name, Text("title"), BatchStatus.Ok, [], trials, variants,
                Real("programmeBreach"), Real("worstFundBreach"), Text("worstFund"), Real("governmentCost")) { Earlier = true, Solve = Text("solve") };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            if (!Directory.Exists(folder)) return null;
            return new BatchEntry("", name, null, BatchStatus.Ok, [], null, 0, null, null, null, null) { Earlier = true, Recorded = false };
        }
    }

    /// <summary>Link to the scenario's report, relative to the output root (ok rows only).</summary>
    public string? ReportLink => Status == BatchStatus.Ok && !string.IsNullOrEmpty(Name)
        ? Uri.EscapeDataString(Name) + "/" + ScenarioReport.FileName
        : null;
}
