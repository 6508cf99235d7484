using System.Diagnostics;
using System.Globalization;
using System.Text;
using Simulator.Core.Scenarios;

namespace Simulator.Cli.Shards;

/// <summary>Settings of <c>simulator slurm</c>.</summary>
/// <param name="Inputs">Scenario files or folders.</param>
/// <param name="Shards">N: array tasks, one shard each.</param>
/// <param name="OutputRoot">The output folder: results in it, shards in &lt;out&gt;/shards, the scripts and logs in &lt;out&gt;/slurm.</param>
/// <param name="Partition">sbatch --partition, if given.</param>
/// <param name="Time">sbatch --time of each task and of the merge, if given.</param>
/// <param name="Cpus">CPUs per task (sbatch --cpus-per-task, and the program's --threads).</param>
/// <param name="Trials">--trials for the run, if given.</param>
/// <param name="Seed">--seed for the run, if given.</param>
/// <param name="Program">The command that runs Simulator on the nodes (default: this program).</param>
/// <param name="Submit">Submit both jobs and print their ids.</param>
internal sealed record SlurmRequest(IReadOnlyList<string> Inputs, int Shards, string OutputRoot, string? Partition, string? Time, int Cpus,
    int? Trials, long? Seed, string? Program, bool Submit);

/// <summary>
/// <c>simulator slurm</c>: writes a job-array script (<c>--array=1-N</c>, task K runs <c>simulator run … --shard K/N</c>)
/// and a merge script, and with <c>--submit</c> submits the array and then the merge with <c>--dependency=afterok</c>
/// on it. Slurm schedules; this program only writes what it is given.
/// </summary>
internal static class SlurmJobs
{
    public const string ArrayScript = "shards.sbatch", MergeScript = "merge.sbatch";

    public static int Run(SlurmRequest request, TextWriter stdout, TextWriter stderr)
    {
        // The files are checked here, before anything is queued: an invalid one would fail every task.
        var (files, problems) = ScenarioInputs.Expand(request.Inputs);
        foreach (var p in problems) stderr.WriteLine($"error: {p}");
        bool invalid = problems.Count > 0;
        foreach (var file in files)
        {
            var loaded = ScenarioLoader.Load(file);
            if (loaded.IsValid) continue;
            invalid = true;
            foreach (var e in loaded.Errors) stderr.WriteLine(e);
            stderr.WriteLine($"{file}: invalid ({loaded.Errors.Count} error{(loaded.Errors.Count == 1 ? "" : "s")})");
        }
        if (invalid)
        {
            stderr.WriteLine("slurm: nothing was written or submitted");
            return ExitCodes.Invalid;
        }
        string root = Path.GetFullPath(request.OutputRoot), folder = Path.Combine(root, "slurm"), shards = Path.Combine(root, "shards");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, ArrayScript), Array(request, files, shards, folder));
            File.WriteAllText(Path.Combine(folder, MergeScript), Merge(request, shards, root, folder));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --out {request.OutputRoot}: cannot write the job scripts: {e.Message}");
            return ExitCodes.Invalid;
        }
        stdout.WriteLine($"slurm: wrote {Path.Combine(folder, ArrayScript)} ({request.Shards} array tasks) and {Path.Combine(folder, MergeScript)}");
        if (!request.Submit)
        {
            stdout.WriteLine($"submit with: merge=$(sbatch --parsable --dependency=afterok:$(sbatch --parsable {Quote(Path.Combine(folder, ArrayScript))}) {Quote(Path.Combine(folder, MergeScript))})");
            return ExitCodes.Ok;
        }
        if (Sbatch([Path.Combine(folder, ArrayScript)], stderr) is not { } array) return ExitCodes.Failed;
        stdout.WriteLine($"submitted array job {array} ({request.Shards} shards)");
        // afterok: the merge starts only if every task of the array succeeded; otherwise it never runs (squeue shows
        // it as DependencyNeverSatisfied) and the shards written so far stay for a rerun of the failed tasks.
        if (Sbatch([$"--dependency=afterok:{array}", Path.Combine(folder, MergeScript)], stderr) is not { } merge) return ExitCodes.Failed;
        stdout.WriteLine($"submitted merge job {merge} (after {array}); results will be in {root}");
        return ExitCodes.Ok;
    }

    private static string Header(SlurmRequest request, string name, string log)
    {
        var text = new StringBuilder("#!/bin/bash\n");
        text.Append("# Written by 'simulator slurm'; see docs/sharding.md.\n");
        text.Append($"#SBATCH --job-name={name}\n");
        text.Append($"#SBATCH --output={log}\n");
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={request.Cpus}\n");
        if (request.Partition is { } p) text.Append($"#SBATCH --partition={p}\n");
        if (request.Time is { } t) text.Append($"#SBATCH --time={t}\n");
        return text.ToString();
    }

    private static string Array(SlurmRequest request, IReadOnlyList<string> files, string shards, string folder)
    {
        var text = new StringBuilder(Header(request, "simulator-shards", Path.Combine(folder, "shard-%a.log")));
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=1-{request.Shards}\n");
        text.Append("set -euo pipefail\n");
        text.Append(CultureInfo.InvariantCulture, $"exec {Program(request)} run {string.Join(' ', files.Select(f => Quote(Path.GetFullPath(f))))} --shard \"$SLURM_ARRAY_TASK_ID/{request.Shards}\" --out {Quote(shards)} --threads {request.Cpus} --quiet");
        if (request.Trials is { } n) text.Append(CultureInfo.InvariantCulture, $" --trials {n}");
        if (request.Seed is { } s) text.Append(CultureInfo.InvariantCulture, $" --seed {s}");
        return text.Append('\n').ToString();
    }

    private static string Merge(SlurmRequest request, string shards, string root, string folder) =>
        Header(request, "simulator-merge", Path.Combine(folder, "merge.log"))
        + "set -euo pipefail\n"
        + string.Create(CultureInfo.InvariantCulture, $"exec {Program(request)} merge {Quote(shards)} --out {Quote(root)} --threads {request.Cpus} --quiet\n");

    // The nodes run what runs here unless told otherwise: this executable, or `dotnet simulator.dll` under the dotnet host.
    private static string Program(SlurmRequest request)
    {
        if (request.Program is { } given) return given;
        string process = Environment.ProcessPath ?? "simulator";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"{Quote(process)} {Quote(typeof(SlurmJobs).Assembly.Location)}"
            : Quote(process);
    }

    private static string Quote(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    private static string? Sbatch(IReadOnlyList<string> arguments, TextWriter stderr)
    {
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--parsable");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // --parsable prints "<job id>" or "<job id>;<cluster>".
            string id = output.Trim().Split(';')[0];
            if (process.ExitCode == 0 && id.Length > 0 && id.All(char.IsAsciiDigit)) return id;
            stderr.WriteLine($"error: sbatch {string.Join(' ', arguments)} failed (exit code {process.ExitCode}): {error.Result.Trim()}{output.Trim()}");
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            stderr.WriteLine($"error: cannot run sbatch ({e.Message}): is Slurm installed and on PATH? Without --submit the scripts are written for you to submit");
            return null;
        }
    }
}
