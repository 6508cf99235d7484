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

    /// <summary>File name of the streamed trial table under <c>--trials-format parquet</c>.</summary>
    public const string TrialsParquetFile = "trials.parquet";

    /// <summary>Writes scenario.json and copies its loan tapes, before the run, so the copies are what was read.</summary>
    public static void WriteInputs(Core.Scenarios.Scenario scenario, string folder) =>
        ScenarioJsonWriter.Write(scenario, Path.Combine(folder, "scenario.json"));

    /// <summary>
    /// Writes summary.json, each instrument's tables and the plots; returns the plot files written. The plots are
    /// drawn on up to <paramref name="threads"/> threads (0: all cores); no file depends on the number.
    /// </summary>
    /// <remarks>With <paramref name="workbook"/>, summary.xlsx holds the tables (<see cref="WriteWorkbook"/>).</remarks>
    public static IReadOnlyList<string> WriteAll(SimulationResult result, string folder, int threads = 0, bool workbook = true)
    {
        SummaryJsonWriter.Write(result, Path.Combine(folder, "summary.json"));
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) report.WriteTables(result, instrument, folder);
        if (workbook) WriteWorkbook(result, folder);
        return ResultPlots.WriteAll(result, folder, threads);
    }

    /// <summary>File name of the workbook of the summary tables.</summary>
    public const string WorkbookFile = Xlsx.SummaryWorkbook.FileName;

    /// <summary>
    /// Writes summary.xlsx into <paramref name="folder"/>: a sheet per summary table the folder holds (each instrument's,
    /// then comparison.csv and sensitivity.csv when <paramref name="comparison"/> is given and they were written), with
    /// their standard errors, and a sheet explaining each column. The tables must have been written first.
    /// </summary>
    public static void WriteWorkbook(SimulationResult result, string folder, Core.Comparison.ComparisonResult? comparison = null)
    {
        var tables = Instruments.InstrumentReports.Of(result)
            .SelectMany(x => x.Report.TableFiles(result, x.Result).Select(f => new Xlsx.WorkbookTable(f, x.Report.ColumnNotes))).ToList();
        if (comparison is not null)
        {
            tables.Add(new("comparison.csv", Xlsx.ColumnGlossary.KeyFigureNotes(comparison.BaseFigures.Select(f => f.Figure))));
            tables.Add(new("sensitivity.csv", new Dictionary<string, string>()));
        }
        var s = result.Scenario;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        List<(string, string)> about =
        [
            ("scenario", s.Name),
            ("title", s.Title),
            ("variant", s.VariantName ?? "(the base run)"),
            ("trials", result.Trials.ToString(invariant)),
            ("seed", s.Seed.ToString(invariant)),
            ("program version", ProgramInfo.Version),
            ("numbers", "The CSV files' values: each number is the double the CSV's text reads back to (Excel shows 15 significant digits); an empty cell is an undefined value. "
                + "Amounts in CNY, probabilities and loss ratios as fractions. summary.json holds every figure, trials.csv (or trials.parquet) every trial."),
        ];
        // Only under Sobol or Latin hypercube sampling, so other runs' workbooks are unchanged.
        if (s.Economy.Randomised)
            about.Add(("standard errors",
                (s.Economy.Sobol ? "Scrambled Sobol points" : "Latin hypercubes") + " in " + Core.Randomness.ScrambledSobol.Randomisations.ToString(invariant)
                + " independent randomisations: every standard error, 95% interval (ci95) and diffSE in these sheets is the standard deviation of the figure's "
                + "estimates in the randomisations divided by the square root of their number, instead of the formulas the columns sheet names "
                + "(Wilson, order statistics, batch means); docs/precision.md."));
        Xlsx.SummaryWorkbook.Write(folder, about, tables);
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
    public static TrialsCsvSink TrialsSink(string folder, TrialsCsvColumns columns = TrialsCsvColumns.All) =>
        new(Path.Combine(folder, TrialsFile), columns == TrialsCsvColumns.AllForBase ? TrialsCsvColumns.All : columns);

    /// <summary>
    /// The sink of <paramref name="scenario"/>'s trials.csv in <paramref name="folder"/> under the choice
    /// <paramref name="columns"/> (the base or a variant, <see cref="TrialsCsvChoice.For"/>); null when it gets none.
    /// </summary>
    public static TrialsCsvSink? TrialsSink(string folder, TrialsCsvColumns columns, Core.Scenarios.Scenario scenario) =>
        columns.For(scenario) is var chosen && chosen == TrialsCsvColumns.None ? null : TrialsSink(folder, chosen);

    /// <summary>
    /// The sink of <paramref name="scenario"/>'s trial table in <paramref name="folder"/>: trials.csv or trials.parquet
    /// as <paramref name="format"/> says, with the columns <paramref name="columns"/> chooses for it; null when it gets none.
    /// Both sinks are also <see cref="IDisposable"/>.
    /// </summary>
    public static ITrialSink? TrialsSink(string folder, TrialsCsvColumns columns, TrialsFormat format, Core.Scenarios.Scenario scenario)
    {
        var chosen = columns.For(scenario);
        if (chosen == TrialsCsvColumns.None || format == TrialsFormat.None) return null;
        return format == TrialsFormat.Parquet ? new TrialsParquetSink(Path.Combine(folder, TrialsParquetFile), chosen) : TrialsSink(folder, chosen);
    }

    /// <summary>Above this many bytes of trials.csv in one batch, the batch warns before its first trial.</summary>
    public const long TrialsCsvWarningBytes = 2_000_000_000;

    /// <summary>
    /// Bytes a trials.csv value takes on average, its comma included: measured on the examples' files (4 to 10;
    /// zeros and flags are short, loss ratios and amounts up to 18 digits), rounded up for an estimate that does not
    /// fall short.
    /// </summary>
    internal const int TrialsCsvBytesPerValue = 10;

    /// <summary>
    /// About how many bytes the trials.csv files of <paramref name="scenarios"/> (each with its variants, at its
    /// trial count or a precision target's budget) take under <paramref name="columns"/>.
    /// </summary>
    public static long TrialsCsvBytes(IEnumerable<Core.Scenarios.Scenario> scenarios, TrialsCsvColumns columns)
    {
        long total = 0;
        foreach (var scenario in scenarios)
        {
            foreach (var run in scenario.Variants.Select(v => v.Scenario).Prepend(scenario))
            {
                var chosen = columns.For(run);
                if (chosen == TrialsCsvColumns.None) continue;
                var layout = new Core.Engine.TrialLayout(run);
                int values = 1 + (chosen == TrialsCsvColumns.Key ? layout.KeyColumns().Count : layout.CsvCount);
                total += (long)scenario.Trials * values * TrialsCsvBytesPerValue;
            }
        }
        return total;
    }

    /// <summary>
    /// A warning when the trials.csv files of a batch would take more than <see cref="TrialsCsvWarningBytes"/>, with
    /// what <c>--trials-csv key</c> and <c>none</c> would write instead; null otherwise.
    /// </summary>
    public static string? TrialsCsvWarning(IReadOnlyList<Core.Scenarios.Scenario> scenarios, TrialsCsvColumns columns)
    {
        long bytes = TrialsCsvBytes(scenarios, columns);
        if (bytes <= TrialsCsvWarningBytes) return null;
        string key = columns == TrialsCsvColumns.Key ? "" : $"; --trials-csv key writes only the required columns (about {Gigabytes(TrialsCsvBytes(scenarios, TrialsCsvColumns.Key))})";
        return $"the trials.csv files of this run will take about {Gigabytes(bytes)} of disk{key}, --trials-csv none writes none (every other result file stays the same)";
    }

    private static string Gigabytes(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB");
}
