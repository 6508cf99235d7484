using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Simulator.Core.Statistics;

namespace Simulator.Reporting.Csv;

/// <summary>
/// Writes a summary table through a CsvHelper class map: the header row comes from the map's column names, so each
/// column's name and value are declared together instead of in two lists kept in step by position.
/// </summary>
internal static class CsvTable
{
    /// <summary>Writes the header of <paramref name="map"/> and one line per row, UTF-8 without a byte-order mark.</summary>
    public static void Write<T>(string path, ClassMap<T> map, IEnumerable<T> rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        using var csv = new CsvWriter(writer, TrialsCsvSink.Configuration);
        csv.Context.RegisterClassMap(map);
        // Written explicitly so that a table without rows still has its header.
        csv.WriteHeader<T>();
        csv.NextRecord();
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
            csv.NextRecord();
        }
    }
}

/// <summary>A class map of a summary table whose columns are computed from a row (no column is a plain member).</summary>
/// <typeparam name="T">The row.</typeparam>
internal abstract class SummaryMap<T> : ClassMap<T>
{
    private static readonly string[] LossNames = ["mean", "sd", "p50", "p90", "p95", "p99", "p999", "es99"];

    /// <summary>The eight figures of a loss summary: <c>&lt;prefix&gt;.mean</c> … <c>&lt;prefix&gt;.es99</c>.</summary>
    protected void LossColumns(string prefix, Func<T, LossSummary> loss)
    {
        Func<LossSummary, double>[] values = [l => l.Mean, l => l.Sd, l => l.P50, l => l.P90, l => l.P95, l => l.P99, l => l.P999, l => l.Es99];
        for (int i = 0; i < values.Length; i++)
        {
            var value = values[i];
            Number($"{prefix}.{LossNames[i]}", r => value(loss(r)));
        }
    }

    /// <summary>The standard errors of a loss summary (no sd): <c>&lt;prefix&gt;.se.mean</c> … <c>&lt;prefix&gt;.se.es99</c>.</summary>
    protected void LossErrorColumns(string prefix, Func<T, LossSummary> loss)
    {
        Func<SummaryStandardErrors, double>[] errors = [e => e.Mean, e => e.P50, e => e.P90, e => e.P95, e => e.P99, e => e.P999, e => e.Es99];
        string[] names = [.. LossNames.Where(n => n != "sd")];
        for (int i = 0; i < errors.Length; i++)
        {
            var error = errors[i];
            Finite($"{prefix}.se.{names[i]}", r => error(loss(r).StandardErrors));
        }
    }

    /// <summary>A text column.</summary>
    protected void Text(string name, Func<T, string> value) => Map().Name(name).Convert((ConvertToStringArgs<object> args) => value((T)args.Value));

    /// <summary>A number column in round-trip form, empty for NaN (<see cref="Formats.Number"/>).</summary>
    protected void Number(string name, Func<T, double> value) => Map().Name(name).Convert((ConvertToStringArgs<object> args) => Formats.Number(value((T)args.Value)));

    /// <summary>A number column that is empty unless the value is finite (standard errors, which may be infinite).</summary>
    protected void Finite(string name, Func<T, double> value) => Map().Name(name).Convert((ConvertToStringArgs<object> args) => FiniteText(value((T)args.Value)));

    /// <summary>The round-trip text of a finite value, empty otherwise.</summary>
    internal static string FiniteText(double x) => double.IsFinite(x) ? Formats.Number(x) : "";
}
