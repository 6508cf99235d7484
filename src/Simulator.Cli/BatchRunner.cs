using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Output;
using Simulator.Reporting.Solve;
using Simulator.Cli.Shards;

namespace Simulator.Cli;

/// <summary>Settings of one <c>run</c> invocation.</summary>
internal sealed record RunRequest(IReadOnlyList<string> Inputs, string OutputRoot, int? Trials, long? Seed, int Threads, bool Quiet,
    TrialsCsvColumns TrialsCsv = TrialsCsvColumns.All)
{
    /// <summary><c>--trials-format</c>: trials.csv (the default), trials.parquet instead, or no trial table.</summary>
    public TrialsFormat TrialsFormat { get; init; } = TrialsFormat.Csv;

    /// <summary>Whether each result folder gets summary.xlsx (off with <c>--no-xlsx</c>).</summary>
    public bool Xlsx { get; init; } = true;

    /// <summary><c>--shard K/N</c>: write shard K of N of every scenario instead of its results (null: a whole run).</summary>
    public (int K, int N)? Shard { get; init; }
}

/// <summary>A valid scenario of a batch, ready to run.</summary>
/// <param name="Scenario">The scenario, with the command line's trials and seed applied.</param>
/// <param name="Position">Its file's place on the command line (the order of index.html).</param>
/// <param name="Rows">For a merge: where each run's rows come from, and what to dispose after it (null: evaluate them).</param>
/// <param name="Request">Settings of this scenario's run when they differ from the batch's (a merge applies each shard run's own).</param>
internal sealed record BatchItem(Scenario Scenario, int Position, Func<StudyRun, ShardRowsReader>? Rows = null, RunRequest? Request = null);

/// <summary>
/// Runs a batch: every file is loaded and validated first (all errors of every file are printed), then each
/// valid scenario runs into an atomically committed result folder. One invalid or failing file never stops
/// the others.
/// </summary>
internal sealed class BatchRunner(ILogger<BatchRunner> logger, SimulationEngine engine)
{
    public int Run(RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        // Fonts and Skia get ready on another core while this one reads and checks the files; the first chart
        // would otherwise pay for them while the other cores wait.
        // A shard writes no chart.
        var plotWarmUp = request.Shard is null ? Simulator.Reporting.Plots.PlotWarmUp.Start() : Task.CompletedTask;
        try
        {
            return RunAll(request, stdout, stderr, cancellation);
        }
        finally
        {
            plotWarmUp.Wait(CancellationToken.None);
        }
    }

    /// <summary>Runs scenarios that are already loaded and checked (a merge of shards), as <see cref="Run"/> runs the valid ones.</summary>
    public int RunLoaded(IReadOnlyList<BatchItem> items, RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var plotWarmUp = Simulator.Reporting.Plots.PlotWarmUp.Start();
        try
        {
            return RunValid(items, [], false, request, stdout, stderr, cancellation);
        }
        finally
        {
            plotWarmUp.Wait(CancellationToken.None);
        }
    }

    private int RunAll(RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var (files, problems) = ScenarioInputs.Expand(request.Inputs);
        foreach (var p in problems) stderr.WriteLine($"error: {p}");
        bool anyInvalid = problems.Count > 0;
        // One row per input for index.html, in command-line order (problems with the inputs first).
        var entries = new List<(int Order, BatchEntry Entry)>();
        foreach (var p in problems) entries.Add((-1, BatchEntry.Invalid(p, [p])));
        var order = files.Select((f, i) => (f, i)).GroupBy(x => x.f, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);

        var loaded = new List<LoadResult>();
        foreach (var file in files)
        {
            // Loading a large loan tape takes a while: a Ctrl-C here stops before the next file.
            cancellation.ThrowIfCancellationRequested();
            loaded.Add(ScenarioLoader.Load(file));
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var runnable = new List<BatchItem>();
        foreach (var result in loaded)
        {
            if (!result.IsValid)
            {
                anyInvalid = true;
                foreach (var e in result.Errors) stderr.WriteLine(e);
                stderr.WriteLine($"{result.File}: invalid, not run ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")})");
                entries.Add((order[result.File], BatchEntry.Invalid(result.File, result.Errors.Select(e => e.ToString()).ToList())));
                continue;
            }
            var scenario = result.Scenario!;
            if (names.TryGetValue(scenario.Name, out var other))
            {
                anyInvalid = true;
                string message = $"{result.File}: error at $.name: scenario name '{scenario.Name}' is also used by {other} in this run; both would write {Path.Combine(request.OutputRoot, scenario.Name)}. Give each scenario its own name";
                stderr.WriteLine(message);
                entries.Add((order[result.File], BatchEntry.Invalid(result.File, [message], scenario.Name)));
                continue;
            }
            names[scenario.Name] = result.File;
            runnable.Add(new BatchItem(scenario.WithRunSettings(request.Trials, request.Seed), order[result.File]));
        }
        return RunValid(runnable, entries, anyInvalid, request, stdout, stderr, cancellation);
    }

    private int RunValid(IReadOnlyList<BatchItem> runnable, List<(int Order, BatchEntry Entry)> entries, bool anyInvalid, RunRequest request,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        bool anyFailed = false;

        // An output folder that cannot be written is found before the first trial, not after a long run.
        try
        {
            ResultFolder.CheckWritable(request.OutputRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: --out {request.OutputRoot}: the output folder cannot be created or written: {NotAFolder(request.OutputRoot) ?? e.Message}");
            return ExitCodes.Invalid;
        }
        if (request.Shard is null && request.TrialsFormat == TrialsFormat.Csv && ResultWriter.TrialsCsvWarning(runnable.Select(r => r.Scenario).ToList(), request.TrialsCsv) is { } trialsCsvWarning) stderr.WriteLine($"warning: {trialsCsvWarning}");
        // Hidden leftovers of runs that were killed (SIGKILL, power cut) are removed, and earlier results that such a
        // run left only under a hidden name are put back, before this run adds its own.
        foreach (var note in Leftovers.Recover(request.OutputRoot))
        {
            if (!request.Quiet) stderr.WriteLine($"note: {note}");
        }

        bool cancelled = false;
        foreach (var item in runnable)
        {
            var scenario = item.Scenario;
            int position = item.Position;
            try
            {
                cancellation.ThrowIfCancellationRequested();
                if (request.Shard is not null) ShardRunner.Run(engine, scenario, position, request, stdout, stderr, cancellation);
                else
                {
                    entries.Add((position, RunOne(scenario, item.Request ?? request, stdout, stderr, cancellation, item.Rows, out bool unreachable)));
                    anyInvalid |= unreachable;
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                string earlier = Directory.Exists(Path.Combine(request.OutputRoot, scenario.Name)) ? "its earlier results are unchanged" : "it has no result folder";
                int later = runnable.Count - 1 - runnable.ToList().IndexOf(item);
                string rest = later > 0 ? $"; {later} later scenario{(later == 1 ? " was" : "s were")} not run" : "";
                stderr.WriteLine($"cancelled: {scenario.Name} was not written ({earlier}); no partial result folder was left behind{rest}");
                cancelled = true;
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                anyFailed = true;
                string message = $"failed while writing results: {e.Message}";
                stderr.WriteLine($"{scenario.SourceFile}: {message}");
                entries.Add((position, BatchEntry.Failed(scenario.SourceFile, scenario.Name, message, scenario.Title)));
            }
            catch (Exception e)
            {
                // A bug or a numerical failure in one scenario must not stop the batch; the full exception goes
                // to the log for a bug report, the user gets one line.
                anyFailed = true;
                logger.LogDebug(e, "Scenario {Scenario} failed", scenario.Name);
                string message = $"failed while running: {e.GetType().Name}: {e.Message}";
                stderr.WriteLine($"{scenario.SourceFile}: {message}");
                entries.Add((position, BatchEntry.Failed(scenario.SourceFile, scenario.Name, message, scenario.Title)));
            }
        }
        // Shards have no results to list: the merge writes index.html.
        if (request.Shard is null)
        {
            try
            {
                BatchIndex.Write(entries.OrderBy(e => e.Order).Select(e => e.Entry).ToList(), request.OutputRoot);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"warning: index.html not written: {e.Message}");
            }
        }
        if (Simulator.Reporting.Plots.ResultPlots.MissingCjkFontWarning is { } warning) stderr.WriteLine($"warning: {warning}");
        if (!cancelled && cancellation.IsCancellationRequested) stderr.WriteLine("cancelled after the last scenario was written: every result folder is complete");
        return cancelled || cancellation.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Combine(anyInvalid, anyFailed);
    }

    private static bool Written(Action write)
    {
        write();
        return true;
    }

    // "/dev/null/x": .NET says "Could not find a part of the path"; the reason is a file where a folder must be.
    private static string? NotAFolder(string path)
    {
        for (string? at = Path.GetFullPath(path); !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at)) return $"{at} is a file, not a folder";
            if (Directory.Exists(at)) return null;
        }
        return null;
    }

    private BatchEntry RunOne(Scenario scenario, RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Func<StudyRun, ShardRowsReader>? rows,
        out bool unreachable)
    {
        unreachable = false;
        var clock = Stopwatch.StartNew();
        logger.LogInformation("Running {Scenario} from {File}: {Trials} trials, {Variants} variants", scenario.Name, scenario.SourceFile, scenario.Trials, scenario.Variants.Count);
        using var folder = ResultFolder.Create(request.OutputRoot, scenario.Name);
        var observer = new FolderObserver(folder.WorkPath, request, stdout, stderr, clock, cancellation, rows);
        var study = new Study(engine).Run(scenario, new RunOptions(request.Threads), observer, cancellation);
        var result = study.Base;
        var comparison = study.Comparison;
        var plotFiles = observer.PlotFiles;
        if (comparison is not null)
        {
            if (!request.Quiet) ConsoleSummary.PrintComparison(stdout, comparison);
            cancellation.ThrowIfCancellationRequested();
            plotFiles.AddRange(observer.Writing(() => ResultWriter.WriteComparison(comparison, folder.WorkPath, request.Threads)));
            // The base's workbook, written with its tables, gets the comparison's sheets now that they exist.
            if (request.Xlsx) observer.Writing(() => Written(() => ResultWriter.WriteWorkbook(result, folder.WorkPath, comparison)));
        }
        // A "solve" block: its files join the result folder. A merge of shards has no trials to solve on: it says so, with
        // the command that runs the solve on one machine, on the console and in the report.
        SolveReport? solve = null;
        if (scenario.Solve is not null && rows is null)
        {
            cancellation.ThrowIfCancellationRequested();
            var solved = Solve.SolveCommand.Run(engine, scenario, (int)result.Trials, request.Threads, folder.WorkPath, request.Quiet, stdout, stderr, cancellation);
            unreachable = solved.Status == SolveStatus.Unreachable;
            solve = SolveReport.Of(solved);
        }
        else if (scenario.Solve is not null)
        {
            solve = Solve.SolveCommand.NotRunOnShards(scenario, request.OutputRoot);
            stderr.WriteLine($"note: {scenario.Name}: {solve.NotRun} Run it on one machine with: {solve.Command}");
        }
        cancellation.ThrowIfCancellationRequested();
        observer.Writing(() => ScenarioReport.Write(result, comparison, plotFiles, folder.WorkPath, solve));
        // Its row of index.html travels with the folder, so that later runs into the same output folder list it too.
        var entry = BatchEntry.Ok(scenario.SourceFile, result, comparison) with { Solve = solve?.Headline(scenario) };
        entry.Save(folder.WorkPath);
        // The last point at which a signal keeps the earlier results: from here the new folder takes their place.
        cancellation.ThrowIfCancellationRequested();
        folder.Commit();
        logger.LogDebug("{Scenario}: results written in {Writing:F0} ms of {Total:F0} ms", scenario.Name, observer.WritingTime.TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
        if (!request.Quiet) ConsoleSummary.PrintWritten(stdout, folder.FinalPath, clock.Elapsed);
        return entry;
    }

    /// <summary>
    /// The CLI's part in a study: before each run, its folder (the result folder, or variants/&lt;variant&gt;/ in it),
    /// scenario.json and the trials.csv sink; after each run, its figures on the console (the base's, as soon as they
    /// exist) and its result files.
    /// </summary>
    private sealed class FolderObserver(string root, RunRequest request, TextWriter stdout, TextWriter stderr, Stopwatch clock, CancellationToken cancellation,
        Func<StudyRun, ShardRowsReader>? rows) : IStudyObserver
    {
        // Time spent writing results, after the base run and between the variants' runs, logged at Debug level: the
        // part of a whole run the benchmarks of issue "Speed" time apart from the trials.
        private readonly Stopwatch _writing = new();

        public List<string> PlotFiles { get; } = [];

        public TimeSpan WritingTime => _writing.Elapsed;

        private string Folder(StudyRun run) => run.Variant is { } v ? Path.Combine(root, "variants", v.Name) : root;

        public T Writing<T>(Func<T> write)
        {
            _writing.Start();
            try
            {
                return write();
            }
            finally
            {
                _writing.Stop();
            }
        }

        public RunAttachments Starting(StudyRun run)
        {
            string folder = Folder(run);
            Directory.CreateDirectory(folder);
            ResultWriter.WriteInputs(run.Scenario, folder);
            var trials = ResultWriter.TrialsSink(folder, request.TrialsCsv, request.TrialsFormat, run.Scenario);
            var progress = request.Quiet ? null : new ProgressReporter(stderr, ProgressReporter.StderrIsTerminal, Label(run), run.Scenario.Trials);
            // A merge reads the run's rows from the shards instead of evaluating them; everything else is a run's.
            var source = rows?.Invoke(run);
            IDisposable? resources = source is null ? trials as IDisposable : new Disposables(trials as IDisposable, source);
            return new RunAttachments(trials is null ? [] : [trials], progress, resources) { Rows = source };
        }

        public void Finished(StudyRun run, SimulationResult result)
        {
            // The figures go to the console as soon as they exist; plots and the report follow (they take longer
            // than a small run), and the last line says where everything was written.
            if (run.IsBase && !request.Quiet) ConsoleSummary.Print(stdout, result, clock.Elapsed);
            // A signal while results are written stops before the next step and keeps the earlier results (issue 18,
            // item 26: it used to be noticed only by the next scenario, after this one had replaced them).
            cancellation.ThrowIfCancellationRequested();
            var written = Writing(() => ResultWriter.WriteAll(result, Folder(run), request.Threads, request.Xlsx));
            if (run.IsBase) PlotFiles.AddRange(written);
        }

        private sealed class Disposables(params IDisposable?[] items) : IDisposable
        {
            public void Dispose()
            {
                foreach (var item in items) item?.Dispose();
            }
        }

        private static string Label(StudyRun run) =>
            run.Count == 1 ? run.Scenario.Name : $"{run.Scenario.Name} [{run.Number}/{run.Count}{(run.Variant is { } v ? " " + v.Name : " base")}]";
    }
}
