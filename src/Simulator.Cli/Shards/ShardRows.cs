using System.Runtime.InteropServices;
using Simulator.Core.Engine;

namespace Simulator.Cli.Shards;

/// <summary>
/// Writes a shard's rows as they come, in trial order, to one file: each row's doubles as they are in memory
/// (little-endian IEEE 754), so the merge reads back exactly the values the statistics would have seen.
/// </summary>
internal sealed class ShardRowsSink(string path, long firstTrial) : ITrialSink, IDisposable
{
    private FileStream? _file;
    private long _next = firstTrial;

    public void Begin(TrialLayout layout) => _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);

    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        // The engine delivers in trial order; a gap would shift every later row onto the wrong trial.
        if (firstTrial != _next) throw new InvalidOperationException($"rows of trial {firstTrial} arrived where trial {_next} was due");
        _file!.Write(MemoryMarshal.AsBytes(rows));
        _next += rows.Length / columns;
    }

    public void Complete()
    {
        _file!.Flush(flushToDisk: true);
        _file.Dispose();
        _file = null;
    }

    public void Dispose() => _file?.Dispose();
}

/// <summary>
/// Reads one run's rows back from its shards' files, in trial order, for the merge: each file is opened when its first
/// trial is due and closed after its last, so memory holds one buffer whatever the number of trials or shards.
/// </summary>
/// <param name="parts">The shards' row files with their ranges, covering 1 … n in order (checked before).</param>
/// <param name="columns">The columns the files hold (checked against the run's layout).</param>
internal sealed class ShardRowsReader(IReadOnlyList<(TrialRange Range, string Path)> parts, IReadOnlyList<string> columns) : ITrialRows, IDisposable
{
    private int _part = -1;
    private FileStream? _file;

    public void Begin(TrialLayout layout)
    {
        if (!layout.Columns.SequenceEqual(columns, StringComparer.Ordinal))
            throw new InvalidDataException($"the shards' rows have the columns {string.Join(", ", columns)}, the scenario's run has {string.Join(", ", layout.Columns)}");
    }

    public void Read(long firstTrial, Span<double> rows, int columns)
    {
        var bytes = MemoryMarshal.AsBytes(rows);
        long trial = firstTrial;
        while (bytes.Length > 0)
        {
            while (_part < 0 || trial > parts[_part].Range.Last)
            {
                _file?.Dispose();
                _file = null;
                if (++_part == parts.Count) throw new InvalidDataException($"trial {trial} is in no shard");
                if (parts[_part].Range.Count > 0) _file = new FileStream(parts[_part].Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            }
            var (range, path) = parts[_part];
            if (trial < range.First) throw new InvalidDataException($"trial {trial} is in no shard");
            long rowsHere = Math.Min(range.Last - trial + 1, bytes.Length / (8L * columns));
            int length = checked((int)(rowsHere * columns * 8));
            _file!.ReadExactly(bytes[..length]);
            bytes = bytes[length..];
            trial += rowsHere;
        }
    }

    public void Dispose() => _file?.Dispose();
}
