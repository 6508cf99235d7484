using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Simulator.Cli.Commands;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Solve;

namespace Simulator.Cli.Solve;

/// <summary>
/// <c>simulator solve &lt;file&gt; --vary &lt;path&gt; --target "&lt;figure&gt; &lt;= value" [--range lo,hi] [--tol x] [--trials N]</c>: a run
/// of the file (its base, variants and result folder as <c>run</c> writes them) whose "solve" block is the one the options
/// give (each option replaces that field of the file's block). The solve itself is <see cref="Solver"/>; this class only
/// turns options into the block, so that the options are checked by the loader with the block's own messages.
/// </summary>
internal static class SolveCommand
{
    private static readonly JsonDocumentOptions FileOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    public static Command Build(IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("scenario") { Description = "The scenario file." };
        var vary = new Option<string?>("--vary") { Description = "Path of the numeric field to vary, as in variants (e.g. guarantees[tech-sme].government.budget); replaces the file's solve.vary." };
        var target = new Option<string?>("--target") { Description = "\"<figure> <= value\" (or >=, =; a value may end in %), the figure a column of comparison.csv; replaces solve.target." };
        var range = new Option<string?>("--range") { Description = "lo,hi: the range searched; replaces solve.range." };
        var tolerance = new Option<string?>("--tol") { Description = "Stop when the bracket is narrower than this (default (hi − lo)/10^4, at least 1 for an integer field); replaces solve.tolerance." };
        var output = new Option<string>("--out") { Description = "Output folder; the scenario writes <out>/<name>/ with solve.csv and solve.json beside the base's results.", DefaultValueFactory = _ => "output" };
        OptionValues.RequirePath(output, "results");
        var trials = new Option<int?>("--trials")
        {
            Description = "Trials of the base and of every evaluation, overriding simulation.trials (1 to 1000000000; 1e5 is accepted).",
            CustomParser = r => (int?)OptionValues.Integer(r, "--trials", 1, 1_000_000_000),
        };
        var seed = new Option<long?>("--seed")
        {
            Description = "Random seed, overriding simulation.seed (a non-negative integer).",
            CustomParser = r => OptionValues.Integer(r, "--seed", 0, long.MaxValue),
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "Worker threads (default: all cores); never changes a result.",
            CustomParser = r => (int?)OptionValues.Integer(r, "--threads", 1, 1024),
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing but errors." };
        var command = new Command("solve", "Find the value of a field at which a key figure meets a target (e.g. the smallest budget with P(exhausted) <= 5%), every evaluation on the base's random numbers.")
        {
            file, vary, target, range, tolerance, output, trials, seed, threads, quiet,
        };
        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(file)!;
            var loaded = ScenarioLoader.Load(path);
            if (!loaded.IsValid) return Task.FromResult(Invalid(loaded, path, stderr));
            var options = new Dictionary<string, string?>
            {
                ["vary"] = parse.GetValue(vary), ["target"] = parse.GetValue(target), ["range"] = parse.GetValue(range), ["tolerance"] = parse.GetValue(tolerance),
            };
            var scenario = loaded.Scenario!;
            if (options.Values.Any(v => v is not null))
            {
                var (overridden, code) = WithOptions(path, options, stderr);
                if (overridden is null) return Task.FromResult(code);
                scenario = overridden;
            }
            if (scenario.Solve is null)
            {
                stderr.WriteLine($"error: {path} has no \"solve\" block; give --vary <path> --target \"<figure> <= value\" --range lo,hi, or add a \"solve\" block to the file");
                return Task.FromResult(ExitCodes.Invalid);
            }
            var request = new RunRequest([path], parse.GetValue(output)!, parse.GetValue(trials), parse.GetValue(seed), parse.GetValue(threads) ?? 0, parse.GetValue(quiet),
                TrialsCsvColumns.AllForBase);
            var runner = services.GetRequiredService<BatchRunner>();
            return Task.FromResult(runner.RunLoaded([new BatchItem(scenario.WithRunSettings(request.Trials, request.Seed), 0)], request, stdout, stderr, cancellation));
        });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="scenario"/>'s solve (the base again, then every evaluation on its random numbers and
    /// <paramref name="trials"/>), prints its table and writes its files into <paramref name="folder"/>. Returns the result.
    /// </summary>
    public static SolveResult Run(SimulationEngine engine, Scenario scenario, int trials, int threads, string folder, bool quiet, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellation)
    {
        var plan = scenario.Solve!;
        using var whatIf = WhatIf.Start(engine, scenario, File.ReadAllBytes(scenario.SourceFile), trials, new RunOptions(threads), cancellation);
        var result = Solver.Solve(whatIf, plan, e =>
        {
            if (!quiet) stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  solve {scenario.Name}: {plan.Path} = {e.Value:G6} -> {plan.Target.Figure} {e.Figure:G6} ± {e.StandardError:G3}"));
        }, cancellation);
        if (!quiet) SolveFiles.WriteConsole(stdout, result);
        if (result.Status == SolveStatus.Unreachable) stderr.WriteLine($"{scenario.SourceFile}: error at $.solve: {result.Message}");
        SolveFiles.Write(result, folder, scenario);
        return result;
    }

    /// <summary>Why a sharded run does not solve: each evaluation is a whole run on all of the base's trials, which no shard has.</summary>
    public const string ShardReason = "the \"solve\" block is not run on shards: each of its evaluations is a run of all the base's trials, and a shard has only its range of them (a merge reads rows, it evaluates none).";

    /// <summary>
    /// The command that runs <paramref name="scenario"/>'s solve on one machine: <c>simulator solve &lt;file&gt;</c> with the trials
    /// and seed the shards ran (so the base is the merged one, byte for byte) into <paramref name="output"/>.
    /// </summary>
    public static string Command(Scenario scenario, string output) =>
        string.Create(CultureInfo.InvariantCulture, $"simulator solve {Quote(scenario.SourceFile)} --trials {scenario.Trials} --seed {scenario.Seed} --out {Quote(output)}");

    /// <summary>What a merge's report and index say of a solve it did not run, and the command that runs it into <paramref name="output"/>
    /// (the merge's own output folder: the rerun writes the same base results, with the solve's files and section added).</summary>
    public static SolveReport NotRunOnShards(Scenario scenario, string output) =>
        new(scenario.Solve!, null, char.ToUpperInvariant(ShardReason[0]) + ShardReason[1..], Command(scenario, output));

    /// <summary>The shard run's note: the solve waits for one machine after the merge.</summary>
    public static string ShardNote(Scenario scenario) =>
        $"note: {scenario.Name}: {ShardReason} After the merge, run it on one machine with: {Command(scenario, "OUT")} (OUT: the merge's --out)";

    /// <summary>A path as a POSIX shell reads it back: as it is when it holds only safe characters, else in single quotes.</summary>
    private static string Quote(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '=' or '@')
            ? path
            : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int Invalid(LoadResult loaded, string path, TextWriter stderr)
    {
        foreach (var e in loaded.Errors) stderr.WriteLine(e);
        stderr.WriteLine($"{path}: invalid ({loaded.Errors.Count} error{(loaded.Errors.Count == 1 ? "" : "s")})");
        return ExitCodes.Invalid;
    }

    /// <summary>The file with its solve block's fields replaced by the options given, loaded; errors in the block are
    /// reported against the option that set the field.</summary>
    private static (Scenario? Scenario, int Code) WithOptions(string path, Dictionary<string, string?> options, TextWriter stderr)
    {
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var node = JsonNode.Parse(span.ToArray(), documentOptions: FileOptions)!.AsObject();
        var block = node["solve"] as JsonObject ?? new JsonObject();
        node["solve"] = block;
        var problems = new List<string>();
        if (options["vary"] is { } vary) block["vary"] = vary;
        if (options["target"] is { } target) block["target"] = target;
        if (options["range"] is { } range)
        {
            var parts = range.Split(',');
            if (parts.Length == 2 && Number(parts[0]) is { } lo && Number(parts[1]) is { } hi) block["range"] = new JsonArray(lo, hi);
            else problems.Add($"--range: value '{range}' is not a range; give lo,hi, e.g. --range 1e7,2e8");
        }
        if (options["tolerance"] is { } tol)
        {
            if (Number(tol) is { } t) block["tolerance"] = t;
            else problems.Add($"--tol: value '{tol}' is not a number; give e.g. --tol 1e5");
        }
        var loaded = problems.Count > 0 ? null : ScenarioLoader.Parse(Encoding.UTF8.GetBytes(node.ToJsonString()), path, Path.GetDirectoryName(Path.GetFullPath(path)));
        if (loaded is not null && loaded.IsValid) return (loaded.Scenario, ExitCodes.Ok);
        foreach (var e in loaded?.Errors ?? [])
        {
            // The block's fields came from the options: name the option, not a line of a generated text.
            string? field = e.Path.StartsWith("$.solve", StringComparison.Ordinal) ? Field(e.Path) : null;
            string option = field switch { "vary" => "--vary", "target" => "--target", "range" => "--range", "tolerance" => "--tol", _ => "" };
            problems.Add(option.Length > 0 && options[field!] is { } given ? $"{option} '{given}': {e.Message}" : $"{path}: error at {e.Path}: {e.Message}");
        }
        foreach (var p in problems) stderr.WriteLine($"error: {p}");
        stderr.WriteLine($"{path}: invalid ({problems.Count} error{(problems.Count == 1 ? "" : "s")})");
        return (null, ExitCodes.Invalid);
    }

    private static string? Field(string path)
    {
        string rest = path["$.solve".Length..].TrimStart('.');
        int end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? (rest.Length > 0 ? rest : null) : rest[..end];
    }

    private static double? Number(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x : null;
}
