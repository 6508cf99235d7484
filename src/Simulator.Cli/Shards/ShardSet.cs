using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting;
using Simulator.Reporting.Csv;

namespace Simulator.Cli.Shards;

/// <summary>One shard folder and its manifest.</summary>
internal sealed record ShardFolder(string Path, ShardManifest Manifest);

/// <summary>
/// The shards given to <c>merge</c>, grouped by scenario and checked before anything is written: the same scenario
/// (hash of the filled text), seed, trials and program build in every shard of a scenario; trials 1 … n covered exactly
/// once (none missing, none doubled or overlapping); every row file present and of the length its range needs; the
/// scenario loadable again from the shards' copy with the same hash.
/// </summary>
internal static class ShardSet
{
    /// <summary>The folders named by <paramref name="inputs"/>: a shard folder, a folder of shard folders, or a glob
    /// (<c>*</c>, <c>?</c> in the last part of the path) of either.</summary>
    public static (IReadOnlyList<ShardFolder> Shards, IReadOnlyList<string> Problems) Find(IEnumerable<string> inputs)
    {
        var found = new List<ShardFolder>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var matches = Expand(input);
            if (matches.Count == 0)
            {
                problems.Add(input.IndexOfAny(['*', '?']) >= 0 ? $"{input}: the pattern matches no folder" : $"{input}: no such folder");
                continue;
            }
            int before = found.Count;
            foreach (var folder in matches)
            {
                var shards = File.Exists(System.IO.Path.Combine(folder, ShardManifest.FileName)) ? [folder]
                    : Directory.GetDirectories(folder).Where(d => File.Exists(System.IO.Path.Combine(d, ShardManifest.FileName))).Order(StringComparer.Ordinal).ToList();
                foreach (var shard in shards)
                {
                    if (!seen.Add(System.IO.Path.GetFullPath(shard))) continue; // named twice on the command line: one shard
                    try
                    {
                        found.Add(new ShardFolder(shard, ShardManifest.Load(shard)));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                    {
                        problems.Add(e.Message);
                    }
                }
            }
            if (found.Count == before && !problems.Any(p => p.StartsWith(input, StringComparison.Ordinal)))
                problems.Add($"{input}: no shard folder (one with {ShardManifest.FileName}, written by 'simulator run --shard K/N') in it");
        }
        return (found, problems);
    }

    private static List<string> Expand(string input)
    {
        if (input.IndexOfAny(['*', '?']) < 0) return Directory.Exists(input) ? [input] : [];
        string trimmed = input.TrimEnd('/');
        string parent = System.IO.Path.GetDirectoryName(trimmed) is { Length: > 0 } p ? p : ".";
        if (parent.IndexOfAny(['*', '?']) >= 0 || !Directory.Exists(parent)) return [];
        return Directory.GetDirectories(parent, System.IO.Path.GetFileName(trimmed)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Checks the shards and loads each scenario. Returns the scenarios to merge in the order of the shard runs' command
    /// lines, or every problem found (and then nothing may be written).
    /// </summary>
    public static (IReadOnlyList<BatchItem> Items, IReadOnlyList<string> Problems) Check(IReadOnlyList<ShardFolder> shards, RunRequest request)
    {
        var items = new List<BatchItem>();
        var problems = new List<string>();
        foreach (var group in shards.GroupBy(s => s.Manifest.Scenario, StringComparer.Ordinal))
        {
            var set = group.ToList();
            int before = problems.Count;
            void Add(string message) => problems.Add($"{group.Key}: {message}");
            CheckSame(set, Add);
            if (problems.Count == before) CheckCoverage(set, Add);
            if (problems.Count == before) CheckFiles(set, Add);
            if (problems.Count != before) continue;
            if (Load(set, request, Add) is { } item) items.Add(item);
        }
        return (items.OrderBy(i => i.Position).ThenBy(i => i.Scenario.Name, StringComparer.Ordinal).ToList(), problems);
    }

    private static void CheckSame(List<ShardFolder> set, Action<string> add)
    {
        foreach (var s in set.Where(s => s.Manifest.Format != ShardManifest.CurrentFormat))
            add($"{s.Path} has shard format {s.Manifest.Format}; this program reads format {ShardManifest.CurrentFormat}");
        foreach (var s in set.Where(s => s.Manifest.ProgramVersion != ProgramInfo.Version || s.Manifest.Build != ShardManifest.CurrentBuild))
            add($"{s.Path} was computed by simulator {s.Manifest.ProgramVersion} (build {s.Manifest.Build}), this is simulator {ProgramInfo.Version} (build {ShardManifest.CurrentBuild}): merge with the program that computed the shards");
        var first = set[0];
        // Each check names the value in the first shard and in every shard that differs.
        bool same = Same("scenario hash", m => m.Hash, "the scenario file, a variant or a setting changed between shards")
            & Same("seed", m => m.Seed.ToString(CultureInfo.InvariantCulture), null)
            & Same("trials", m => m.Trials.ToString(CultureInfo.InvariantCulture), null)
            & Same("scenario file", m => m.SourceFile + " in " + m.BaseDirectory, null)
            & Same("--trials-csv", m => m.TrialsCsv, null)
            & Same("--trials-format", m => m.TrialsFormat, null)
            & Same("--no-xlsx", m => m.Xlsx ? "off" : "on", null)
            & Same("runs (base and variants)", m => string.Join(",", m.Runs.Select(r => r.Variant ?? "base")), null)
            & Same("row columns", m => string.Join(",", m.Runs.Select(r => string.Join(";", r.Columns))), null);
        // Of the same scenario and seed, only different programs choose different shifts (otherwise it follows from the above).
        if (same) Same("importance-sampling shift", m => string.Join(",", m.Runs.Select(r => r.Shift)), "the pilot chose differently: the shards' programs differ");

        bool Same(string what, Func<ShardManifest, string> value, string? why)
        {
            string expected = value(first.Manifest);
            bool ok = true;
            foreach (var s in set.Skip(1).Where(s => value(s.Manifest) != expected))
            {
                ok = false;
                string shown(string v) => v.Length > 80 ? v[..77] + "..." : v;
                add($"{what} differs: {first.Path} has {shown(expected)}, {s.Path} has {shown(value(s.Manifest))}{(why is null ? "" : $" ({why})")}");
            }
            return ok;
        }
    }

    private static void CheckCoverage(List<ShardFolder> set, Action<string> add)
    {
        long n = set[0].Manifest.Trials;
        foreach (var s in set.Where(s => s.Manifest.First < 1 || s.Manifest.Last > n || s.Manifest.Count < 0))
            add($"{s.Path}: its range {s.Manifest.First}–{s.Manifest.Last} is not within trials 1–{n}");
        foreach (var same in set.GroupBy(s => (s.Manifest.Shard, s.Manifest.Shards)).Where(g => g.Count() > 1))
            add($"shard {same.Key.Shard}/{same.Key.Shards} is given twice: {string.Join(" and ", same.Select(s => s.Path))}; give each shard once");
        long next = 1;
        ShardFolder? previous = null;
        foreach (var s in set.Where(s => s.Manifest.Count > 0).OrderBy(s => s.Manifest.First).ThenBy(s => s.Manifest.Last))
        {
            var m = s.Manifest;
            if (m.First > next) add($"trials {next}–{m.First - 1} are in no shard: a shard is missing{Missing(set, next)}");
            else if (m.First < next && previous is not null && !(previous.Manifest.Shard == m.Shard && previous.Manifest.Shards == m.Shards))
                add($"trials {m.First}–{Math.Min(m.Last, next - 1)} are in two shards, {previous.Path} and {s.Path}: each trial must be in exactly one");
            if (m.Last + 1 > next)
            {
                next = m.Last + 1;
                previous = s;
            }
        }
        if (next <= n) add($"trials {next}–{n} are in no shard: a shard is missing{Missing(set, next)}");
    }

    // "(shard 3/4)" when the shards given are all of one split and the missing trial starts one of its shards.
    private static string Missing(List<ShardFolder> set, long trial)
    {
        var splits = set.Select(s => s.Manifest.Shards).Distinct().ToList();
        if (splits.Count != 1) return "";
        int n = splits[0];
        for (int k = 1; k <= n; k++)
        {
            if (TrialRange.Shard(k, n, set[0].Manifest.Trials).First == trial) return string.Create(CultureInfo.InvariantCulture, $" (shard {k}/{n})");
        }
        return "";
    }

    private static void CheckFiles(List<ShardFolder> set, Action<string> add)
    {
        foreach (var s in set)
        {
            if (!File.Exists(System.IO.Path.Combine(s.Path, ShardManifest.SourceCopy))) add($"{s.Path}: {ShardManifest.SourceCopy} is missing");
            foreach (var run in s.Manifest.Runs)
            {
                string path = System.IO.Path.Combine(s.Path, run.File);
                long expected = s.Manifest.Count * run.Columns.Count * 8L;
                var info = new FileInfo(path);
                if (!info.Exists) add($"{path} is missing (the rows of run {run.Number}, {run.Variant ?? "base"})");
                else if (info.Length != expected)
                    add(string.Create(CultureInfo.InvariantCulture, $"{path} has {info.Length} bytes; {s.Manifest.Count} trials of {run.Columns.Count} columns need {expected} (an unfinished copy?)"));
            }
        }
    }

    private static BatchItem? Load(List<ShardFolder> set, RunRequest request, Action<string> add)
    {
        var first = set[0];
        var m = first.Manifest;
        string copy = System.IO.Path.Combine(first.Path, ShardManifest.SourceCopy);
        // Loaded as the shard run loaded it: under its name on that command line, its input files resolved against the
        // same folder (on a cluster, the shared file system), with that command line's trials and seed.
        var loaded = ScenarioLoader.Parse(File.ReadAllBytes(copy), m.SourceFile, m.BaseDirectory);
        if (!loaded.IsValid)
        {
            add($"{copy} (loaded as {m.SourceFile}) is no longer valid here: {string.Join("; ", loaded.Errors.Take(3).Select(e => e.ToString()))}");
            return null;
        }
        var scenario = loaded.Scenario!.WithRunSettings(m.TrialsOverride, m.SeedOverride);
        if (ShardManifest.HashOf(scenario) != m.Hash)
        {
            add($"{copy} loaded here is not the scenario the shards ran (its hash differs): an input file or a default changed");
            return null;
        }
        var runs = m.Runs;
        // The shards' rows must have the columns this program lays out for each run.
        var layouts = new[] { scenario }.Concat(scenario.Variants.Select(v => Study.Paired(v, scenario.Trials, scenario.ImportanceSampling)))
            .Select(s => new TrialLayout(s).Columns).ToList();
        if (layouts.Count != runs.Count || layouts.Zip(runs).Any(x => !x.First.SequenceEqual(x.Second.Columns, StringComparer.Ordinal)))
        {
            add("the shards' row columns are not the ones this program lays out for the scenario");
            return null;
        }
        var ordered = set.OrderBy(s => s.Manifest.First).ToList();
        ShardRowsReader RowsFor(StudyRun run) => new(
            ordered.Select(s => (new TrialRange(s.Manifest.First, s.Manifest.Last), System.IO.Path.Combine(s.Path, s.Manifest.Runs[run.Number - 1].File))).ToList(),
            runs[run.Number - 1].Columns);
        var columns = Enum.Parse<TrialsCsvColumns>(m.TrialsCsv);
        return new BatchItem(scenario, m.Position, RowsFor, request with { TrialsCsv = columns, TrialsFormat = Enum.Parse<TrialsFormat>(m.TrialsFormat), Xlsx = m.Xlsx });
    }
}
