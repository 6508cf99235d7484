using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Simulator.Core.Engine;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Csv;

/// <summary>
/// Streams trials.csv (one row per trial, <c>trial</c> from 1) as the engine produces rows, so memory does not
/// grow with the number of trials. The header (column names, which may need quoting) goes through CsvHelper;
/// the rows are numbers only — invariant round-trip form, which never needs quoting — and are formatted
/// straight to UTF-8, the rows of a block split over all cores and written in order: formatting millions of
/// numbers one field at a time through a text writer took longer than simulating the pool benchmark.
/// Figures whose statistics are kept to float precision (<see cref="TrialLayout.IsSinglePrecision"/>) are written as
/// the shortest decimal of the float, so the file holds exactly the values summary.json is computed from.
/// </summary>
public sealed class TrialsCsvSink(string path, TrialsCsvColumns columns = TrialsCsvColumns.All) : ITrialSink, IDisposable
{
    private const int RowsPerChunk = 256;
    private Output.DropBehindFile? _file;
    private int _csvColumns;
    private byte[][] _chunks = [];
    private int[] _lengths = [];
    private bool[] _single = [];
    private int[] _write = []; // the row's columns that go to the file, in order
    private double[] _values = []; // the current block's rows, reused: a fresh copy per block (1.3 MB for 20 funds) went
                                   // to the large-object heap and let peak memory wander with the collector's timing

    /// <summary>CSV settings shared by every CSV the program writes: invariant culture, '\n' line ends.</summary>
    public static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        _file = new Output.DropBehindFile(path);
        _write = [.. columns.Indices(layout)];
        _csvColumns = _write.Length;
        _single = _write.Select(layout.IsSinglePrecision).ToArray();
        using (var header = new StringWriter(CultureInfo.InvariantCulture))
        {
            using (var csv = new CsvWriter(header, Configuration, leaveOpen: true))
            {
                csv.WriteField("trial");
                foreach (int c in _write) csv.WriteField(layout.Columns[c]);
                csv.NextRecord();
            }
            _file.Write(new System.Text.UTF8Encoding(false).GetBytes(header.ToString()));
        }
    }

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        var file = _file ?? throw new InvalidOperationException("Begin was not called");
        int count = rows.Length / columns;
        int chunks = (count + RowsPerChunk - 1) / RowsPerChunk;
        if (_chunks.Length < chunks)
        {
            _chunks = [.. _chunks, .. Enumerable.Range(0, chunks - _chunks.Length).Select(_ => new byte[RowsPerChunk * 32 * (_csvColumns + 1)])];
            _lengths = new int[chunks];
        }
        // The span cannot cross into the parallel loop: the block's rows are copied into a buffer kept between calls.
        if (_values.Length < rows.Length) _values = new double[rows.Length];
        rows.CopyTo(_values);
        var values = _values;
        bool[] single = _single;
        int[] write = _write;
        Parallel.For(0, chunks, k =>
        {
            int start = k * RowsPerChunk, end = Math.Min(count, start + RowsPerChunk);
            _lengths[k] = FormatRows(ref _chunks[k], values, columns, write, single, firstTrial, start, end);
        });
        for (int k = 0; k < chunks; k++) file.Write(_chunks[k], 0, _lengths[k]);
    }

    /// <summary>Rows <paramref name="start"/>..<paramref name="end"/> − 1 as CSV lines in UTF-8; returns the bytes used.</summary>
    private static int FormatRows(ref byte[] buffer, double[] values, int columns, int[] write, bool[] single, long firstTrial, int start, int end)
    {
        int at = 0;
        for (int i = start; i < end; i++)
        {
            // A row is at most 20 bytes per trial number plus 25 per value and separators; grow before writing.
            int need = 24 + 26 * write.Length;
            if (buffer.Length - at < need) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + need));
            var span = buffer.AsSpan();
            (firstTrial + i).TryFormat(span[at..], out int n, default, CultureInfo.InvariantCulture);
            at += n;
            // The last value of the row that took the shortest round-trip path, and where its text is: a figure that
            // repeats the one before (a government's net multiple or IRR equals the private LPs' when no
            // concession is paid) copies those bytes instead of formatting them again.
            ulong lastBits = 0;
            bool lastSingle = false;
            int lastAt = 0, lastLength = -1;
            for (int c = 0; c < write.Length; c++)
            {
                span[at++] = (byte)',';
                double v = values[i * columns + write[c]];
                if (double.IsNaN(v)) continue; // an empty field, as Formats.Number writes NaN
                // Whole numbers (flags, counts, years, round amounts) print the same as integers, several times
                // faster than the shortest round-trip search; −0 and magnitudes from 1e15 on take the general path
                // (the round-trip form writes those beyond 2^53 with fewer digits or an exponent).
                long whole = (long)v;
                if (whole == v && Math.Abs(v) < 1e15 && (whole != 0 || !double.IsNegative(v)))
                {
                    whole.TryFormat(span[at..], out n, default, CultureInfo.InvariantCulture);
                }
                else if (BitConverter.DoubleToUInt64Bits(v) == lastBits && single[c] == lastSingle && lastLength >= 0)
                {
                    span.Slice(lastAt, lastLength).CopyTo(span[at..]);
                    n = lastLength;
                }
                else
                {
                    // Invariant "R" text, byte for byte as .NET writes it (see RoundTripFormat), for floats as their
                    // statistics see them.
                    if (single[c]) RoundTripFormat.TryFormat((float)v, span[at..], out n);
                    else RoundTripFormat.TryFormat(v, span[at..], out n);
                    (lastBits, lastSingle, lastAt, lastLength) = (BitConverter.DoubleToUInt64Bits(v), single[c], at, n);
                }
                at += n;
            }
            span[at++] = (byte)'\n';
        }
        return at;
    }

    /// <inheritdoc />
    public void Complete()
    {
        _file?.Flush();
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}

/// <summary>Which columns trials.csv gets (<c>run --trials-csv</c>).</summary>
public enum TrialsCsvColumns
{
    /// <summary>Every column, for the base and for every variant (<c>--trials-csv all</c>).</summary>
    All,
    /// <summary>Only the columns the format requires (<see cref="TrialLayout.KeyColumns"/>), for large batches.</summary>
    Key,
    /// <summary>No trials.csv at all.</summary>
    None,
    /// <summary>
    /// The default: every column for the base run, the required ones for each variant. A variant repeats the base's
    /// draws with some settings changed, and its full table made the bulk of the examples' output (216 of 628 MB for a
    /// sweep of 25 variants alone).
    /// </summary>
    AllForBase,
}

/// <summary>The choice of trials.csv columns applied to one run.</summary>
public static class TrialsCsvChoice
{
    /// <summary>
    /// The columns <paramref name="scenario"/> gets under <paramref name="columns"/>: <see cref="TrialsCsvColumns.AllForBase"/>
    /// becomes <see cref="TrialsCsvColumns.All"/> for the base and <see cref="TrialsCsvColumns.Key"/> for a variant.
    /// </summary>
    public static TrialsCsvColumns For(this TrialsCsvColumns columns, Core.Scenarios.Scenario scenario) =>
        columns != TrialsCsvColumns.AllForBase ? columns : scenario.VariantName is null ? TrialsCsvColumns.All : TrialsCsvColumns.Key;

    /// <summary>The row's columns the trial table gets under <paramref name="columns"/>, in order (the required ones for
    /// <see cref="TrialsCsvColumns.Key"/>, else all of trials.csv's).</summary>
    public static IReadOnlyList<int> Indices(this TrialsCsvColumns columns, TrialLayout layout) =>
        columns == TrialsCsvColumns.Key ? layout.KeyColumns() : Enumerable.Range(0, layout.CsvCount).ToList();
}

/// <summary>The file format of the trial table (<c>run --trials-format</c>); which columns it has is <see cref="TrialsCsvColumns"/>.</summary>
public enum TrialsFormat
{
    /// <summary>trials.csv, the default.</summary>
    Csv,
    /// <summary>trials.parquet (<see cref="TrialsParquetSink"/>) instead of trials.csv.</summary>
    Parquet,
    /// <summary>No trial table (as <c>--trials-csv none</c>).</summary>
    None,
}
