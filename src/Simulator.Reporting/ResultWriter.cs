using Simulator.Core.Engine;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Reporting.Plots;

namespace Simulator.Reporting;

/// <summary>Writes the files of spec §5 for a finished run (trials.csv is streamed during the run).</summary>
/// <remarks>Each instrument's files come from its report (<see cref="Instruments.InstrumentReports"/>).</remarks>
public static class ResultWriter
{
    /// <summary>File name of the streamed trial table.</summary>
    public const string TrialsFile = "trials.csv";

    /// <summary>Writes scenario.json and copies its loan tapes, before the run, so the copies are what was read.</summary>
    public static void WriteInputs(Core.Scenarios.Scenario scenario, string folder) =>
        ScenarioJsonWriter.Write(scenario, Path.Combine(folder, "scenario.json"));

    /// <summary>
    /// Writes summary.json, each instrument's tables and the plots; returns the plot files written. The plots are
    /// drawn on up to <paramref name="threads"/> threads (0: all cores); no file depends on the number.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string folder, int threads = 0)
    {
        SummaryJsonWriter.Write(result, Path.Combine(folder, "summary.json"));
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) report.WriteTables(result, instrument, folder);
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
