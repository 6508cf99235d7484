using Parquet;
using Parquet.Schema;
using Simulator.Core.Engine;

namespace Simulator.Reporting.Csv;

/// <summary>
/// Streams trials.parquet (<c>run --trials-format parquet</c>): the columns and values of trials.csv, in a columnar file
/// that pandas, DuckDB, R (arrow) and Spark read directly. Rows are buffered column by column and written as a row group
/// every <see cref="RowsPerGroup"/> rows, so memory stays bounded by one row group whatever the number of trials.
/// <para>
/// Types follow trials.csv's precision: <c>trial</c> is INT64; a figure whose statistics are kept to float precision
/// (<see cref="TrialLayout.IsSinglePrecision"/>) is FLOAT, holding the very float trials.csv prints; every other figure
/// is DOUBLE. An undefined value (an empty cell in trials.csv, NaN in the row) is null, so readers treat it as missing
/// as they do the CSV's empty cell; each figure column is therefore optional (nullable).
/// </para>
/// <para>
/// The codec is pinned to Snappy: Parquet.Net's Zstd took 152 s on a million rows of 21 doubles here against 0.2 s for
/// Snappy (docs/performance.md, "Writing the results"); Snappy is also what every Parquet reader understands.
/// </para>
/// </summary>
public sealed class TrialsParquetSink(string path, TrialsCsvColumns columns = TrialsCsvColumns.All) : ITrialSink, IDisposable
{
    /// <summary>The compression codec, pinned (see the class remarks).</summary>
    public const CompressionMethod Codec = CompressionMethod.Snappy;

    // About this many values per row group: 2^22 doubles are 32 MB (64 MB as nullable), so a 200-column programme keeps
    // ~20,000 rows a group and a 20-column scheme 131,072 — large enough for fast scans, small enough to stay in memory.
    private const int ValuesPerGroup = 1 << 22;
    private const int MaxRowsPerGroup = 1 << 17;

    private FileStream? _file;
    private ParquetWriter? _writer;
    private ParquetSchema? _schema;
    private int[] _write = [];
    private bool[] _single = [];
    private long[] _trials = [];
    private double?[][] _doubles = []; // per written column (null for a float column), RowsPerGroup values each
    private float?[][] _floats = [];
    private int _buffered;

    /// <summary>Rows per row group (the last group may be shorter); fixed by the number of columns alone, so the file
    /// never depends on how the engine splits the trials into blocks.</summary>
    public int RowsPerGroup { get; private set; }

    /// <summary>Rows per row group instead of the size chosen from the number of columns (tests: many small groups).</summary>
    internal int? GroupRows { get; init; }

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        _write = [.. columns.Indices(layout)];
        _single = _write.Select(layout.IsSinglePrecision).ToArray();
        RowsPerGroup = GroupRows ?? Math.Clamp(ValuesPerGroup / (_write.Length + 1) / 1024 * 1024, 1024, MaxRowsPerGroup);
        var fields = new List<Field> { new DataField<long>("trial", nullable: false) };
        for (int c = 0; c < _write.Length; c++)
        {
            string name = layout.Columns[_write[c]];
            fields.Add(_single[c] ? new DataField<float>(name, nullable: true) : new DataField<double>(name, nullable: true));
        }
        _schema = new ParquetSchema(fields);
        _trials = new long[RowsPerGroup];
        _doubles = _single.Select(s => s ? [] : new double?[RowsPerGroup]).ToArray();
        _floats = _single.Select(s => s ? new float?[RowsPerGroup] : []).ToArray();
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = ParquetWriter.CreateAsync(_schema, _file, Options()).GetAwaiter().GetResult();
    }

    /// <summary>The writer's options: Snappy, Parquet.Net's defaults otherwise.</summary>
    /// <remarks>Its dictionary settings made no difference on a million rows of 35 columns (sampling 1,024 values or none,
    /// thresholds 0 and 0.8: 1.3-1.5 s of CPU and 117.2 MB each way; <c>simulator bench --only writers</c>).</remarks>
    internal static ParquetOptions Options() => new() { CompressionMethod = Codec };

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        if (_writer is null) throw new InvalidOperationException("Begin was not called");
        int count = rows.Length / columns;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * columns, columns);
            int at = _buffered;
            _trials[at] = firstTrial + i;
            for (int c = 0; c < _write.Length; c++)
            {
                double v = row[_write[c]];
                if (_single[c]) _floats[c][at] = double.IsNaN(v) ? null : (float)v;
                else _doubles[c][at] = double.IsNaN(v) ? null : v;
            }
            if (++_buffered == RowsPerGroup) Flush();
        }
    }

    // Writes the buffered rows as one row group.
    private void Flush()
    {
        if (_buffered == 0) return;
        var fields = _schema!.GetDataFields();
        using (var group = _writer!.CreateRowGroup())
        {
            group.WriteAsync(fields[0], new ReadOnlyMemory<long>(_trials, 0, _buffered)).GetAwaiter().GetResult();
            for (int c = 0; c < _write.Length; c++)
            {
                var field = fields[c + 1];
                if (_single[c]) group.WriteAsync(field, new ReadOnlyMemory<float?>(_floats[c], 0, _buffered)).GetAwaiter().GetResult();
                else group.WriteAsync(field, new ReadOnlyMemory<double?>(_doubles[c], 0, _buffered)).GetAwaiter().GetResult();
            }
            group.CompleteValidate();
        }
        _buffered = 0;
    }

    /// <inheritdoc />
    public void Complete()
    {
        Flush();
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The footer is written when the writer is disposed; after a failure the partial file is discarded with its
        // result folder (ResultFolder), so it is never mistaken for a complete one.
        _writer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer = null;
        _file?.Dispose();
        _file = null;
    }
}
