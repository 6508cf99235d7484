namespace Simulator.Cli.Shards;

/// <summary>
/// <c>merge &lt;shard folders or globs&gt; --out OUT</c>: checks the whole set first and refuses a bad one with every
/// problem named and nothing written; then runs each scenario as <c>run</c> would, its rows read from the shards in
/// trial order instead of evaluated, so that every result file and index.html are those of a whole run.
/// </summary>
internal static class MergeRunner
{
    public static int Run(BatchRunner runner, RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var (shards, problems) = ShardSet.Find(request.Inputs);
        var (items, invalid) = problems.Count == 0 ? ShardSet.Check(shards, request) : ([], []);
        if (problems.Count + invalid.Count > 0)
        {
            foreach (var p in problems.Concat(invalid)) stderr.WriteLine($"error: merge: {p}");
            stderr.WriteLine($"merge: the shards were refused ({problems.Count + invalid.Count} problem{(problems.Count + invalid.Count == 1 ? "" : "s")}); nothing was written");
            return ExitCodes.Invalid;
        }
        return runner.RunLoaded(items, request, stdout, stderr, cancellation);
    }
}
