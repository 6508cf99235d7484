using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Simulator.Core.Scenarios;
using Simulator.Reporting;

namespace Simulator.Cli.Shards;

/// <summary>
/// shard.json: what a shard folder holds and everything the merge checks before it writes anything — the scenario as
/// run (its hash, and how to load it again), the program, the trial range, and per run (base, then each variant) the
/// file of its rows and their column layout.
/// </summary>
/// <param name="Format">Version of this layout (the merge refuses another).</param>
/// <param name="ProgramVersion">The program version that computed the rows.</param>
/// <param name="Build">The build of the engine that computed them (its assembly's module id): two builds of one version may compute different rows.</param>
/// <param name="Scenario">Scenario name.</param>
/// <param name="SourceFile">The scenario file as named on the shard's command line (index.html and report.html show it).</param>
/// <param name="BaseDirectory">The folder its input files (loan tapes) were resolved against.</param>
/// <param name="Position">The file's place in the shard run's list of files (the order of index.html).</param>
/// <param name="TrialsOverride">The command line's --trials, if given.</param>
/// <param name="SeedOverride">The command line's --seed, if given.</param>
/// <param name="TrialsCsv">The command line's --trials-csv choice, which the merge applies.</param>
/// <param name="Trials">Trials of the whole run (the budget, with a precision target).</param>
/// <param name="Seed">Seed.</param>
/// <param name="Hash">SHA-256 of the filled scenario text of the base and of every variant (see <see cref="HashOf"/>).</param>
/// <param name="Shard">K of K/N.</param>
/// <param name="Shards">N of K/N.</param>
/// <param name="First">First trial of the shard.</param>
/// <param name="Last">Last trial of the shard (First − 1 when it has none).</param>
/// <param name="Runs">The base run, then each variant's.</param>
internal sealed record ShardManifest(
    int Format, string ProgramVersion, string Build, string Scenario, string SourceFile, string BaseDirectory, int Position,
    int? TrialsOverride, long? SeedOverride, string TrialsCsv, long Trials, long Seed, string Hash,
    int Shard, int Shards, long First, long Last, IReadOnlyList<ShardRunFile> Runs)
{
    /// <summary>The command line's --trials-format choice, which the merge applies (Csv in manifests written before it existed).</summary>
    public string TrialsFormat { get; init; } = nameof(Reporting.Csv.TrialsFormat.Csv);

    /// <summary>False with the command line's --no-xlsx, which the merge applies (true in manifests written before it existed).</summary>
    public bool Xlsx { get; init; } = true;

    /// <summary>The current layout.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The manifest's file name in a shard folder.</summary>
    public const string FileName = "shard.json";

    /// <summary>The copy of the scenario file as read by the shard (the merge loads it from here).</summary>
    public const string SourceCopy = "source.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Trials in the shard.</summary>
    public long Count => Last - First + 1;

    /// <summary>"shard 2/3 (trials 33334–66666)".</summary>
    public string Label => Count > 0
        ? string.Create(CultureInfo.InvariantCulture, $"shard {Shard}/{Shards} (trials {First}–{Last})")
        : string.Create(CultureInfo.InvariantCulture, $"shard {Shard}/{Shards} (no trials)");

    /// <summary>The build identity of this program's engine.</summary>
    public static string CurrentBuild => typeof(Core.Engine.SimulationEngine).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>The shard folder's name below the output folder: &lt;name&gt;.shard-K-of-N.</summary>
    public static string FolderName(string scenario, int shard, int shards) =>
        string.Create(CultureInfo.InvariantCulture, $"{scenario}.shard-{shard}-of-{shards}");

    /// <summary>
    /// The hash of a scenario as run: SHA-256 of its filled JSON text and its variants' (each after the command line's
    /// trials and seed), so that any change of a setting, a variant or a default gives another hash.
    /// </summary>
    public static string HashOf(Scenario scenario)
    {
        var text = new StringBuilder(scenario.FilledJson);
        foreach (var v in scenario.Variants) text.Append('\0').Append(v.Name).Append('\0').Append(v.Scenario.FilledJson);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Writes the manifest into <paramref name="folder"/>.</summary>
    public void Save(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>Reads the manifest of <paramref name="folder"/>; throws <see cref="InvalidDataException"/> naming the file when it cannot.</summary>
    public static ShardManifest Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            return JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a shard manifest ({e.Message})");
        }
    }

    /// <summary>The manifest of a shard of <paramref name="scenario"/> written by this program.</summary>
    public static ShardManifest For(Scenario scenario, RunRequest request, int position, Core.Engine.TrialRange range, IReadOnlyList<ShardRunFile> runs) => new(
        CurrentFormat, ProgramInfo.Version, CurrentBuild, scenario.Name, scenario.SourceFile, scenario.BaseDirectory, position,
        request.Trials, request.Seed, request.TrialsCsv.ToString(), scenario.Trials, scenario.Seed, HashOf(scenario),
        request.Shard!.Value.K, request.Shard.Value.N, range.First, range.Last, runs) { TrialsFormat = request.TrialsFormat.ToString(), Xlsx = request.Xlsx };
}

/// <summary>One run's rows in a shard folder.</summary>
/// <param name="Number">1 for the base, 2 … for the variants in order.</param>
/// <param name="Variant">The variant's name, null for the base.</param>
/// <param name="File">The rows' file in the shard folder: the shard's trials in order, each row <see cref="Columns"/>.Count little-endian IEEE doubles.</param>
/// <param name="Columns">The row's columns (the engine's TrialLayout), which the merge's scenario must have.</param>
/// <param name="Shift">The importance-sampling shift the run used (each factor's double as 16 hex digits), null without importance sampling.</param>
internal sealed record ShardRunFile(int Number, string? Variant, string File, IReadOnlyList<string> Columns, string? Shift)
{
    /// <summary>The shift as text that keeps every bit.</summary>
    public static string? ShiftText(Scenario scenario) => scenario.ImportanceSampling?.Shift is { } shift
        ? string.Join(' ', shift.Select(x => BitConverter.DoubleToInt64Bits(x).ToString("x16", CultureInfo.InvariantCulture)))
        : null;
}
