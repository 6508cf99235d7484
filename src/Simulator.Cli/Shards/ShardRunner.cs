using System.Diagnostics;
using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Output;

namespace Simulator.Cli.Shards;

/// <summary>
/// <c>run --shard K/N</c> for one scenario: evaluates trials ⌊(K−1)·n/N⌋+1 … ⌊K·n/N⌋ of the base and of every variant
/// (each variant as a whole run would run it, <see cref="Study.Paired"/>) and writes their rows, a copy of the scenario
/// file and shard.json into &lt;out&gt;/&lt;name&gt;.shard-K-of-N/, committed in one step like a result folder.
/// </summary>
internal static class ShardRunner
{
    public static void Run(SimulationEngine engine, Scenario scenario, int position, RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var (k, n) = request.Shard!.Value;
        var range = TrialRange.Shard(k, n, scenario.Trials);
        using var folder = ResultFolder.Create(request.OutputRoot, ShardManifest.FolderName(scenario.Name, k, n));
        // The file as read, so that the merge loads exactly this text (the hash then tells whether anything else changed).
        File.Copy(scenario.SourceFile, Path.Combine(folder.WorkPath, ShardManifest.SourceCopy));
        var options = new RunOptions(request.Threads);
        var runs = new List<ShardRunFile>();
        int count = 1 + scenario.Variants.Count;
        var asRun = RunOne(scenario, null, 1);
        for (int v = 0; v < scenario.Variants.Count; v++)
        {
            cancellation.ThrowIfCancellationRequested();
            // With a precision target the base's trials are a budget: every shard runs all of its range, and the merge
            // stops where a whole run would; the variants then read only as many rows as the base used.
            RunOne(Study.Paired(scenario.Variants[v], scenario.Trials, asRun.ImportanceSampling), scenario.Variants[v].Name, v + 2);
        }
        ShardManifest.For(scenario, request, position, range, runs).Save(folder.WorkPath);
        cancellation.ThrowIfCancellationRequested();
        folder.Commit();
        if (!request.Quiet)
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}: shard {k}/{n}, {range}, {count} run{(count == 1 ? "" : "s")} -> {folder.FinalPath} ({clock.Elapsed.TotalSeconds:F1} s)"));
        // Said even with --quiet (on stderr, as warnings are): a solve block that silently produced nothing would be lost.
        if (scenario.Solve is not null) stderr.WriteLine(Solve.SolveCommand.ShardNote(scenario));

        Scenario RunOne(Scenario run, string? variant, int number)
        {
            string file = string.Create(CultureInfo.InvariantCulture, $"run-{number}.rows");
            using var sink = new ShardRowsSink(Path.Combine(folder.WorkPath, file), range.First);
            var progress = request.Quiet ? null : new ProgressReporter(stderr, ProgressReporter.StderrIsTerminal,
                count == 1 ? $"{run.Name} {k}/{n}" : $"{run.Name} {k}/{n} [{number}/{count}{(variant is null ? " base" : " " + variant)}]", range.Count);
            var resolved = engine.Evaluate(run, range, options with { Progress = progress }, [sink], cancellation);
            runs.Add(new ShardRunFile(number, variant, file, new TrialLayout(resolved).Columns, ShardRunFile.ShiftText(resolved)));
            return resolved;
        }
    }
}
