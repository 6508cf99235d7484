using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simulator.Core.Statistics;

/// <summary>
/// One per-trial figure, appended in trial order and read back in order (as doubles) any number of times. Values
/// are kept in memory chunks while the <see cref="SeriesBudget"/> allows; beyond it the series moves them to a
/// temporary file and keeps one write buffer, so memory stays flat however many trials run. Reads go through
/// explicit-offset file reads into small buffers (never a memory map), so the file's pages count towards the page
/// cache, not the process.
/// </summary>
public abstract class TrialSeries : IDisposable
{
    /// <summary>Values appended so far.</summary>
    public abstract long Count { get; }

    /// <summary>Whether the values live in a temporary file.</summary>
    public abstract bool IsSpilled { get; }

    /// <summary>Copies the values [<paramref name="index"/>, index + destination.Length) into <paramref name="destination"/>, as doubles.</summary>
    public abstract void CopyTo(long index, Span<double> destination);

    /// <summary>A sequential reader of the values [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public SeriesReader Read(long start, long end)
    {
        CheckRange(start, end);
        return new SeriesReader(this, start, end);
    }

    /// <summary>Throws unless [<paramref name="start"/>, <paramref name="end"/>) is a range of the series.</summary>
    internal void CheckRange(long start, long end)
    {
        if (start < 0 || end < start || end > Count) throw new ArgumentOutOfRangeException(nameof(end), $"range [{start}, {end}) outside the series' {Count} values");
    }

    /// <summary>A sequential reader of all values.</summary>
    public SeriesReader Read() => Read(0, Count);

    /// <summary>All values as an array (for tests and small series).</summary>
    public double[] ToArray()
    {
        var values = new double[Count];
        CopyTo(0, values);
        return values;
    }

    /// <summary>Releases the memory and deletes the temporary file.</summary>
    public abstract void Dispose();
}

/// <summary>A series of doubles or floats (floats are read back as the doubles they equal exactly).</summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>.</typeparam>
public sealed class TrialSeries<T> : TrialSeries where T : unmanaged
{
    private static readonly int Size = typeof(T) == typeof(double) ? sizeof(double)
        : typeof(T) == typeof(float) ? sizeof(float)
        : throw new NotSupportedException($"a trial series holds doubles or floats, not {typeof(T).Name}");

    /// <summary>Values per full chunk (<see cref="SeriesBudget.ChunkBytes"/> bytes) and per write to the file.</summary>
    public static int ChunkValues { get; } = SeriesBudget.ChunkBytes / Size;

    private readonly SeriesBudget _budget;
    // In memory: the chunks in order (all full-size, or one small first chunk that grows). Spilled: none.
    private readonly List<T[]> _chunks = [];
    private T[] _current;
    private int _position;
    private long _count, _smallBytes, _flushed;
    private SpillFile? _file;
    private bool _bufferCounted, _disposed;

    /// <summary>An empty series drawing memory from <paramref name="budget"/>.</summary>
    /// <param name="budget">The shared budget.</param>
    /// <param name="expectedCount">Values expected (a short series starts with a small chunk, so short runs allocate little).</param>
    public TrialSeries(SeriesBudget budget, long expectedCount)
    {
        _budget = budget;
        budget.SeriesOpened();
        int first = (int)Math.Clamp(expectedCount, 16, ChunkValues);
        if (first < ChunkValues && budget.TryReserve((long)first * Size))
        {
            _smallBytes = (long)first * Size;
            _current = new T[first];
            _chunks.Add(_current);
        }
        else if (budget.TakeChunk<T>() is { } chunk)
        {
            _current = chunk;
            _chunks.Add(chunk);
        }
        else
        {
            _file = budget.CreateFile();
            _current = new T[ChunkValues];
        }
    }

    /// <inheritdoc />
    public override long Count => _count;

    /// <inheritdoc />
    public override bool IsSpilled => _file is not null;

    /// <summary>Appends the next trial's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T value)
    {
        if (_position == _current.Length) Grow();
        _current[_position++] = value;
        _count++;
    }

    /// <summary>Appends the next trials' values, in order (as doubles; a float series keeps them as floats).</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        while (values.Length > 0)
        {
            if (_position == _current.Length) Grow();
            int take = Math.Min(values.Length, _current.Length - _position);
            var into = _current.AsSpan(_position, take);
            if (typeof(T) == typeof(double)) values[..take].CopyTo(MemoryMarshal.Cast<T, double>(into));
            else
            {
                var floats = MemoryMarshal.Cast<T, float>(into);
                for (int i = 0; i < take; i++) floats[i] = (float)values[i];
            }
            _position += take;
            _count += take;
            values = values[take..];
        }
    }

    private void Grow()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is not null)
        {
            Flush();
            return;
        }
        if (_smallBytes > 0)
        {
            // The small first chunk doubles; at full size it moves into a pooled chunk.
            int length = Math.Min(2 * _current.Length, ChunkValues);
            T[]? bigger = null;
            if (length < ChunkValues)
            {
                if (_budget.TryReserve((long)(length - _current.Length) * Size))
                {
                    _smallBytes += (long)(length - _current.Length) * Size;
                    bigger = new T[length];
                }
            }
            else if (_budget.TakeChunk<T>() is { } chunk)
            {
                _budget.Release(_smallBytes);
                _smallBytes = 0;
                bigger = chunk;
            }
            if (bigger is not null)
            {
                _current.CopyTo(bigger, 0);
                _current = bigger;
                _chunks[0] = bigger;
                return;
            }
        }
        else if (_budget.TakeChunk<T>() is { } chunk)
        {
            _current = chunk;
            _chunks.Add(chunk);
            _position = 0;
            return;
        }
        Spill();
    }

    /// <summary>Moves every value to a new temporary file (called when the budget refuses a chunk; all chunks are full).</summary>
    private void Spill()
    {
        _file = _budget.CreateFile();
        long offset = 0;
        foreach (var chunk in _chunks)
        {
            _file.Write(MemoryMarshal.AsBytes(chunk.AsSpan()), offset);
            offset += (long)chunk.Length * Size;
        }
        _flushed = _count;
        // The last full chunk stays as the write buffer; the others go back to the budget for other series.
        if (_smallBytes > 0)
        {
            _budget.Release(_smallBytes);
            _smallBytes = 0;
            _current = new T[ChunkValues];
            _bufferCounted = false;
        }
        else
        {
            for (int i = 0; i < _chunks.Count - 1; i++) _budget.ReturnChunk(_chunks[i]);
            _current = _chunks[^1];
            _bufferCounted = true;
        }
        _chunks.Clear();
        _position = 0;
    }

    private void Flush()
    {
        _file!.Write(MemoryMarshal.AsBytes(_current.AsSpan(0, _position)), _flushed * Size);
        _flushed += _position;
        _position = 0;
    }

    /// <inheritdoc />
    public override void CopyTo(long index, Span<double> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index < 0 || index + destination.Length > _count) throw new ArgumentOutOfRangeException(nameof(index));
        while (destination.Length > 0)
        {
            int copied;
            if (_file is null)
            {
                int chunk = _chunks.Count == 1 ? 0 : (int)(index / ChunkValues);
                int offset = (int)(index - (long)chunk * ChunkValues);
                var source = _chunks[chunk].AsSpan(offset, Math.Min(destination.Length, _chunks[chunk].Length - offset));
                Convert(source, destination);
                copied = source.Length;
            }
            else if (index >= _flushed)
            {
                var source = _current.AsSpan((int)(index - _flushed), destination.Length);
                Convert(source, destination);
                copied = source.Length;
            }
            else
            {
                int count = (int)Math.Min(Math.Min(destination.Length, _flushed - index), ChunkValues);
                byte[] bytes = ArrayPool<byte>.Shared.Rent(count * Size);
                try
                {
                    var span = bytes.AsSpan(0, count * Size);
                    _file.Read(span, index * Size);
                    Convert(MemoryMarshal.Cast<byte, T>(span), destination);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                }
                copied = count;
            }
            destination = destination[copied..];
            index += copied;
        }
    }

    /// <summary>
    /// The values from <paramref name="index"/> on as stored (no conversion), at most <paramref name="max"/> and at
    /// least one: a span of a chunk while they are in memory (no copy), else read from the file into
    /// <paramref name="buffer"/>. The statistics' passes read series this way; the span is valid until the series changes.
    /// </summary>
    internal ReadOnlySpan<T> Stored(long index, int max, T[] buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (index < 0 || index >= _count || max < 1) throw new ArgumentOutOfRangeException(nameof(index));
        int count = (int)Math.Min(max, _count - index);
        if (_file is null)
        {
            int chunk = _chunks.Count == 1 ? 0 : (int)(index / ChunkValues);
            int offset = (int)(index - (long)chunk * ChunkValues);
            return _chunks[chunk].AsSpan(offset, Math.Min(count, _chunks[chunk].Length - offset));
        }
        if (index >= _flushed) return _current.AsSpan((int)(index - _flushed), count);
        count = (int)Math.Min(Math.Min(count, _flushed - index), buffer.Length);
        var values = buffer.AsSpan(0, count);
        _file.Read(MemoryMarshal.AsBytes(values), index * Size);
        return values;
    }

    private static void Convert(ReadOnlySpan<T> source, Span<double> destination)
    {
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(source).CopyTo(destination);
            return;
        }
        var floats = MemoryMarshal.Cast<T, float>(source);
        for (int i = 0; i < floats.Length; i++) destination[i] = floats[i];
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>A series dropped without being disposed still gives its memory back to the budget and closes its file.</summary>
    ~TrialSeries() => Release();

    private void Release()
    {
        if (_disposed) return;
        _disposed = true;
        if (_file is null)
        {
            if (_smallBytes > 0) _budget.Release(_smallBytes);
            else foreach (var chunk in _chunks) _budget.ReturnChunk(chunk);
        }
        else if (_bufferCounted) _budget.ReturnChunk(_current);
        _smallBytes = 0;
        _chunks.Clear();
        _current = [];
        _file?.Dispose();
        _file = null;
        _budget.SeriesClosed();
    }
}

/// <summary>Reads a range of a series in order, a block at a time, through a fixed buffer.</summary>
public sealed class SeriesReader : IDisposable
{
    /// <summary>Values per block.</summary>
    public const int BlockValues = 1 << 14;

    private readonly TrialSeries _series;
    private readonly long _end;
    private double[]? _buffer;
    private long _next;

    internal SeriesReader(TrialSeries series, long start, long end)
    {
        _series = series;
        _next = start;
        _end = end;
    }

    /// <summary>Index of the next value to be read.</summary>
    public long Position => _next;

    /// <summary>Values left.</summary>
    public long Remaining => _end - _next;

    /// <summary>The next block of at most <see cref="BlockValues"/> values; false at the end.</summary>
    public bool Next(out ReadOnlySpan<double> block)
    {
        if (_next >= _end)
        {
            block = default;
            return false;
        }
        _buffer ??= ArrayPool<double>.Shared.Rent(BlockValues);
        int count = (int)Math.Min(BlockValues, _end - _next);
        var span = _buffer.AsSpan(0, count);
        _series.CopyTo(_next, span);
        _next += count;
        block = span;
        return true;
    }

    /// <summary>Fills <paramref name="destination"/> with the next values (exactly its length, which must not pass the end).</summary>
    public void ReadExactly(Span<double> destination)
    {
        if (destination.Length > _end - _next) throw new ArgumentOutOfRangeException(nameof(destination), "read past the end of the range");
        _series.CopyTo(_next, destination);
        _next += destination.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<double>.Shared.Return(_buffer);
        _buffer = null;
    }
}

/// <summary>
/// Reads a range of a series in order as the values are stored (doubles or floats, unconverted): the chunks
/// themselves while the series is in memory, blocks read through one pooled buffer once it has spilled.
/// </summary>
internal struct StoredReader<T> : IDisposable where T : unmanaged
{
    /// <summary>Values per block read from a file.</summary>
    public const int BlockValues = 1 << 14;

    private readonly TrialSeries<T> _series;
    private readonly long _end;
    private T[]? _buffer;
    private long _next;

    public StoredReader(TrialSeries<T> series, long start, long end)
    {
        series.CheckRange(start, end);
        _series = series;
        _next = start;
        _end = end;
    }

    /// <summary>Index of the next value to be read.</summary>
    public readonly long Position => _next;

    /// <summary>The next block; false at the end.</summary>
    public bool Next(out ReadOnlySpan<T> block)
    {
        if (_next >= _end)
        {
            block = default;
            return false;
        }
        if (_series.IsSpilled) _buffer ??= ArrayPool<T>.Shared.Rent(BlockValues);
        block = _series.Stored(_next, (int)Math.Min(int.MaxValue, _end - _next), _buffer ?? []);
        _next += block.Length;
        return true;
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<T>.Shared.Return(_buffer);
        _buffer = null;
    }
}
