using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Reporting;
using Simulator.Reporting.Output;

namespace Simulator.Cli;

/// <summary>Settings of one <c>run</c> invocation.</summary>
internal sealed record RunRequest(IReadOnlyList<string> Inputs, string OutputRoot, int? Trials, long? Seed, int Threads, bool Quiet);

/// <summary>
/// Runs a batch: every file is loaded and validated first (all errors of every file are printed), then each
/// valid scenario runs into an atomically committed result folder. One invalid or failing file never stops
/// the others.
/// </summary>
internal sealed class BatchRunner(ILogger<BatchRunner> logger, SimulationEngine engine)
{
    public int Run(RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var (files, problems) = ScenarioInputs.Expand(request.Inputs);
        foreach (var p in problems) stderr.WriteLine($"error: {p}");
        bool anyInvalid = problems.Count > 0, anyFailed = false;

        var loaded = files.Select(ScenarioLoader.Load).ToList();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var runnable = new List<Scenario>();
        foreach (var result in loaded)
        {
            if (!result.IsValid)
            {
                anyInvalid = true;
                foreach (var e in result.Errors) stderr.WriteLine(e);
                stderr.WriteLine($"{result.File}: invalid, not run ({result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")})");
                continue;
            }
            var scenario = result.Scenario!;
            if (names.TryGetValue(scenario.Name, out var other))
            {
                anyInvalid = true;
                stderr.WriteLine($"{result.File}: error at $.name: scenario name '{scenario.Name}' is also used by {other} in this run; both would write {Path.Combine(request.OutputRoot, scenario.Name)}. Give each scenario its own name");
                continue;
            }
            names[scenario.Name] = result.File;
            runnable.Add(scenario.WithRunSettings(request.Trials, request.Seed));
        }

        foreach (var scenario in runnable)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                RunOne(scenario, request, stdout, stderr, cancellation);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                anyFailed = true;
                stderr.WriteLine($"{scenario.SourceFile}: failed while writing results: {e.Message}");
            }
            catch (Exception e)
            {
                // A bug or a numerical failure in one scenario must not stop the batch; the full exception goes
                // to the log for a bug report, the user gets one line.
                anyFailed = true;
                logger.LogDebug(e, "Scenario {Scenario} failed", scenario.Name);
                stderr.WriteLine($"{scenario.SourceFile}: failed while running: {e.GetType().Name}: {e.Message}");
            }
        }
        if (Simulator.Reporting.Plots.ResultPlots.MissingCjkFontWarning is { } warning) stderr.WriteLine($"warning: {warning}");
        return ExitCodes.Combine(anyInvalid, anyFailed);
    }

    private void RunOne(Scenario scenario, RunRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        logger.LogInformation("Running {Scenario} from {File}: {Trials} trials, {Variants} variants", scenario.Name, scenario.SourceFile, scenario.Trials, scenario.Variants.Count);
        using var folder = ResultFolder.Create(request.OutputRoot, scenario.Name);
        int runs = 1 + scenario.Variants.Count;
        var (result, baseCapture) = RunInto(scenario, folder.WorkPath, scenario.Variants.Count > 0, request, stderr, Label(scenario.Name, null, 1, runs), cancellation);

        ComparisonResult? comparison = null;
        if (baseCapture is not null)
        {
            var outcomes = new List<VariantOutcome>();
            for (int k = 0; k < scenario.Variants.Count; k++)
            {
                var variant = scenario.Variants[k];
                cancellation.ThrowIfCancellationRequested();
                string variantFolder = Path.Combine(folder.WorkPath, "variants", variant.Name);
                Directory.CreateDirectory(variantFolder);
                // Paired comparisons need the same trials: variants run exactly as many as the base used.
                // …and the same importance-sampling shift, so both carry the same weights trial by trial.
                var variantScenario = variant.Scenario.WithRunSettings((int)result.Trials, null) with
                {
                    Precision = null,
                    ImportanceSampling = result.Scenario.ImportanceSampling,
                };
                var (_, capture) = RunInto(variantScenario, variantFolder, true, request, stderr, Label(scenario.Name, variant.Name, k + 2, runs), cancellation);
                outcomes.Add(new VariantOutcome(variant, PairedComparison.Compare(baseCapture, capture!)));
            }
            comparison = new ComparisonResult(scenario, PairedComparison.Compare(baseCapture, baseCapture), outcomes);
            ResultWriter.WriteComparison(comparison, folder.WorkPath);
        }
        folder.Commit();
        if (!request.Quiet)
        {
            ConsoleSummary.Print(stdout, result, folder.FinalPath, clock.Elapsed);
            if (comparison is not null) ConsoleSummary.PrintComparison(stdout, comparison);
        }
    }

    private static string Label(string name, string? variant, int run, int runs) =>
        runs == 1 ? name : $"{name} [{run}/{runs}{(variant is null ? " base" : " " + variant)}]";

    private (SimulationResult Result, KeyFigureCapture? Capture) RunInto(Scenario scenario, string folder, bool capture, RunRequest request, TextWriter stderr, string label, CancellationToken cancellation)
    {
        var figures = capture ? new KeyFigureCapture(scenario) : null;
        ResultWriter.WriteInputs(scenario, folder);
        SimulationResult result;
        using (var trials = ResultWriter.TrialsSink(folder))
        {
            ITrialSink[] sinks = figures is null ? [trials] : [trials, figures];
            var progress = request.Quiet ? null : new ProgressReporter(stderr, ProgressReporter.StderrIsTerminal, label, scenario.Trials);
            result = engine.Run(scenario, new RunOptions(request.Threads, progress), sinks, cancellation);
        }
        ResultWriter.WriteAll(result, folder);
        return (result, figures);
    }
}