using Simulator.Core.Engine;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Reporting.Plots;
using Simulator.Core.Funds;

namespace Simulator.Reporting;

/// <summary>Writes the files of spec §5 for a finished run (trials.csv is streamed during the run).</summary>
public static class ResultWriter
{
    /// <summary>File name of the streamed trial table.</summary>
    public const string TrialsFile = "trials.csv";

    /// <summary>Writes scenario.json and copies its loan tapes, before the run, so the copies are what was read.</summary>
    public static void WriteInputs(Core.Scenarios.Scenario scenario, string folder) =>
        ScenarioJsonWriter.Write(scenario, Path.Combine(folder, "scenario.json"));

    /// <summary>
    /// Writes summary.json, funds.csv, guarantees.csv and the plots; returns the plot files written. The plots are
    /// drawn on up to <paramref name="threads"/> threads (0: all cores); no file depends on the number.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string folder, int threads = 0)
    {
        SummaryJsonWriter.Write(result, Path.Combine(folder, "summary.json"));
        if (result.Funds.Count > 0) FundsCsvWriter.Write(result, Path.Combine(folder, "funds.csv"));
        GuaranteesCsvWriter.Write(result, Path.Combine(folder, "guarantees.csv"));
        return ResultPlots.WriteAll(result, folder, threads);
    }

    /// <summary>
    /// Writes comparison.csv, sensitivity.csv and the comparison charts of a run with variants, the charts on up to
    /// <paramref name="threads"/> threads (0: all cores).
    /// </summary>
    public static IReadOnlyList<string> WriteComparison(Core.Comparison.ComparisonResult comparison, string folder, int threads = 0)
    {
        ComparisonCsvWriter.Write(comparison, Path.Combine(folder, "comparison.csv"));
        SensitivityCsvWriter.Write(comparison, Path.Combine(folder, "sensitivity.csv"));
        return ComparisonPlots.WriteAll(comparison, folder, threads);
    }

    /// <summary>A sink that streams trials.csv (with the chosen <paramref name="columns"/>) into <paramref name="folder"/>.</summary>
    public static TrialsCsvSink TrialsSink(string folder, TrialsCsvColumns columns = TrialsCsvColumns.All) => new(Path.Combine(folder, TrialsFile), columns);
}
