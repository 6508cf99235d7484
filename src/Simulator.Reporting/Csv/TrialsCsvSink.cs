using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Simulator.Core.Engine;

namespace Simulator.Reporting.Csv;

/// <summary>Streams trials.csv (one row per trial, <c>trial</c> from 1) as the engine produces rows, so memory
/// does not grow with the number of trials.</summary>
public sealed class TrialsCsvSink(string path) : ITrialSink, IDisposable
{
    private StreamWriter? _writer;
    private int _csvColumns;
    private CsvWriter? _csv;

    /// <summary>CSV settings shared by every CSV the program writes: invariant culture, '\n' line ends.</summary>
    public static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        _writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16);
        _csv = new CsvWriter(_writer, Configuration);
        _csv.WriteField("trial");
        _csvColumns = layout.CsvCount;
        foreach (var c in layout.Columns.Take(_csvColumns)) _csv.WriteField(c);
        _csv.NextRecord();
    }

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        var csv = _csv!;
        int count = rows.Length / columns;
        for (int i = 0; i < count; i++)
        {
            csv.WriteField((firstTrial + i).ToString(CultureInfo.InvariantCulture));
            var row = rows.Slice(i * columns, _csvColumns);
            foreach (double v in row) csv.WriteField(Formats.Number(v));
            csv.NextRecord();
        }
    }

    /// <inheritdoc />
    public void Complete()
    {
        _csv?.Flush();
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _csv?.Dispose();
        _writer?.Dispose();
        _csv = null;
        _writer = null;
    }
}
