using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Simulator.Reporting.Output;

/// <summary>
/// Hidden work files and folders beside the results, named after the process that owns them, and their removal
/// once that process is gone. A run writes <c>.&lt;name&gt;.partial-&lt;host&gt;-&lt;pid&gt;-&lt;start&gt;-&lt;id&gt;</c>
/// and, where folders cannot be exchanged atomically, moves earlier results aside to <c>.&lt;name&gt;.old-…</c>; a
/// run killed at the wrong moment (SIGKILL, a power cut) leaves them behind. <see cref="Recover"/> removes those
/// of dead owners and restores earlier results left only under an <c>.old-</c> name. Host, process id and the
/// process's start time (seconds since 1970) together tell whether the owner still runs, so two runs sharing an
/// output folder never touch each other's files, a recycled process id is not taken for the owner, and folders of
/// another machine on a shared file system are left to that machine.
/// </summary>
public static class Leftovers
{
    /// <summary>Work in progress: removed when its owner is gone.</summary>
    public const string Partial = "partial";

    /// <summary>Earlier results moved aside while being replaced: restored when their owner is gone and nothing has
    /// taken their place, removed otherwise.</summary>
    public const string Old = "old";

    private static readonly Regex Owned = new(@"^\.(?<name>.+)\.(?<kind>partial|old)-(?<host>[A-Za-z0-9_.]*)-(?<pid>\d{1,10})-(?<start>\d{1,19})-(?<id>[0-9a-f]{32})$", RegexOptions.CultureInvariant);

    // Names written before owners were recorded: whether such a run still goes on cannot be told.
    private static readonly Regex Unowned = new(@"^\.(?<name>.+)\.(?<kind>partial|old)-(?<id>[0-9a-f]{32})$", RegexOptions.CultureInvariant);

    private static readonly string Host = Regex.Replace(Environment.MachineName, "[^A-Za-z0-9_.]", "_");

    private static readonly long Start = StartSeconds(Process.GetCurrentProcess());

    /// <summary>A fresh hidden name for <paramref name="name"/> of the given kind, owned by this process.</summary>
    /// <param name="name">The file or folder it stands for (a scenario name, index.html).</param>
    /// <param name="kind"><see cref="Partial"/> or <see cref="Old"/>.</param>
    public static string NameFor(string name, string kind) => NameFor(name, kind, Environment.ProcessId, Start);

    /// <summary>The name a process with id <paramref name="pid"/>, started at <paramref name="start"/> (seconds since
    /// 1970), gives it on this host (tests make leftovers of dead owners with it).</summary>
    internal static string NameFor(string name, string kind, int pid, long start) =>
        string.Create(CultureInfo.InvariantCulture, $".{name}.{kind}-{Host}-{pid}-{start}-{Guid.NewGuid():N}");

    /// <summary>
    /// Removes the leftovers of dead owners directly below <paramref name="outputRoot"/> and restores earlier
    /// results that a killed run left only under a hidden name. Safe while other runs use the same folder: a file
    /// another process removes or renames first is skipped.
    /// </summary>
    /// <returns>One line per action, and per leftover of an earlier version, for the user.</returns>
    public static IReadOnlyList<string> Recover(string outputRoot)
    {
        var notes = new List<string>();
        if (!Directory.Exists(outputRoot)) return notes;
        var found = new List<(string Path, string Name, string Kind, Match Owner)>();
        foreach (var path in Directory.EnumerateFileSystemEntries(outputRoot, ".*"))
        {
            string entry = Path.GetFileName(path);
            if (Owned.Match(entry) is { Success: true } owned) found.Add((path, owned.Groups["name"].Value, owned.Groups["kind"].Value, owned));
            else if (Unowned.Match(entry) is { Success: true } unowned) notes.Add(Unclaimed(outputRoot, path, unowned.Groups["name"].Value, unowned.Groups["kind"].Value));
        }
        // Newest first: when a scenario's folder is missing, the latest earlier results are the ones to put back.
        foreach (var (path, name, kind, owner) in found.OrderBy(f => f.Kind == Old ? 0 : 1).ThenByDescending(f => LastWrite(f.Path)))
        {
            if (OwnerRuns(owner)) continue;
            string pid = owner.Groups["pid"].Value;
            string final = Path.Combine(outputRoot, name);
            try
            {
                if (kind == Old && Directory.Exists(path) && !Path.Exists(final))
                {
                    Directory.Move(path, final);
                    notes.Add($"restored {final} from {path}: run {pid} was stopped while replacing it");
                    continue;
                }
                Delete(path);
                notes.Add($"removed {path}, left by run {pid}, which was stopped before it finished");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another run removed or restored it first, or it cannot be removed: leave it, it is hidden and harmless.
            }
        }
        return notes;
    }

    /// <summary>Deletes a file or a folder with everything in it; nothing when it is gone already.</summary>
    internal static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else File.Delete(path);
    }

    private static string Unclaimed(string outputRoot, string path, string name, string kind) =>
        kind == Old && !Path.Exists(Path.Combine(outputRoot, name))
            ? $"{path} holds earlier results of {name}, left by a run of an earlier version that was stopped while replacing them; rename it to {Path.Combine(outputRoot, name)} to restore them"
            : $"{path} was left by a run of an earlier version that was stopped before it finished; delete it once no run of that version writes into {outputRoot}";

    // The owner runs when a process with its id runs on this host and started when the owner did. Another host's
    // processes cannot be seen from here: their leftovers are kept.
    private static bool OwnerRuns(Match owner)
    {
        if (owner.Groups["host"].Value != Host) return true;
        if (!int.TryParse(owner.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(owner.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long start))
            return false;
        // This process's own id with another start time is an earlier process that had the same id (in a container
        // every run is process 1).
        if (pid == Environment.ProcessId) return Math.Abs(start - Start) <= StartSlack;
        try
        {
            using var process = Process.GetProcessById(pid);
            return Math.Abs(StartSeconds(process) - start) <= StartSlack;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true; // it exists but its start cannot be read: keep its files
        }
    }

    // Start times are derived from boot time and clock ticks, and may differ by a second between two readings.
    private const long StartSlack = 2;

    private static long StartSeconds(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    private static DateTime LastWrite(string path)
    {
        try
        {
            return Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DateTime.MinValue;
        }
    }
}
