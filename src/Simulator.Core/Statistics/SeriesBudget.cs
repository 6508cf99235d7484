using Microsoft.Win32.SafeHandles;

namespace Simulator.Core.Statistics;

/// <summary>
/// The memory that per-trial series (<see cref="TrialSeries{T}"/>) may keep in RAM, shared by every series created
/// with it, and the folder where series beyond it spill to temporary files. A series asks for memory a chunk at a
/// time; when the budget is spent it moves its values to a file and from then on keeps one write buffer. The chunks
/// it no longer needs go back to the budget and are handed to the next series that asks (so spilling leaves no
/// garbage for the collector); when no series of the budget is open, the free chunks are dropped. Whether a series
/// spills never changes a result: every statistic reads the values in the same order either way. Thread-safe.
/// </summary>
public sealed class SeriesBudget
{
    /// <summary>Default budget: 48 MiB. Measured: a budget of 192 MiB let 10 million trials of wuhan-seed-angel peak at 632 MB
    /// (in-memory chunks plus what the garbage collector keeps of them), every series spilled peaks at 126 MB, and
    /// spilling costs no measurable time (the files stay in the page cache); 48 MiB keeps runs of up to about half a
    /// million trials of a three-fund scenario off the disk.</summary>
    public const long DefaultBytes = 48L << 20;

    /// <summary>Environment variable that overrides the default budget, in MiB (e.g. <c>0</c> spills every series).</summary>
    public const string EnvironmentVariable = "SIMULATOR_SERIES_BUDGET_MB";

    /// <summary>The process-wide budget used when a caller passes none.</summary>
    public static SeriesBudget Default { get; } = new(FromEnvironment() ?? DefaultBytes);

    /// <summary>A budget of its own of <paramref name="bytes"/> for a long-lived user of series (the what-if server), or
    /// <see cref="Default"/> when the environment sets the budget (<see cref="EnvironmentVariable"/>) or it is larger.</summary>
    public static SeriesBudget Own(long bytes) => FromEnvironment() is not null || bytes <= Default.Bytes ? Default : new SeriesBudget(bytes);

    private static long? FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long mb) && mb >= 0
            ? mb << 20 : null;
    }

    /// <summary>Bytes of a full chunk of a series: 256 KiB (32,768 doubles or 65,536 floats).</summary>
    public const int ChunkBytes = 1 << 18;

    private static long s_files;
    private readonly object _lock = new();
    private readonly Stack<double[]> _freeDoubles = new();
    private readonly Stack<float[]> _freeFloats = new();
    private long _allocated, _peak;
    private int _spilled, _openFiles, _liveSeries;

    /// <summary>A budget of <paramref name="bytes"/> (0: every series spills at once).</summary>
    /// <param name="bytes">Bytes of series values kept in memory at most, over all series using the budget.</param>
    /// <param name="folder">Folder for the temporary files (default: the system's temporary folder).</param>
    public SeriesBudget(long bytes, string? folder = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Bytes = bytes;
        Folder = folder;
    }

    /// <summary>The budget in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Folder of the temporary files; null means <see cref="Path.GetTempPath"/>.</summary>
    public string? Folder { get; }

    /// <summary>Bytes of series memory currently allocated under the budget (held by series, or free for reuse while
    /// any series of the budget is open).</summary>
    public long InUse
    {
        get
        {
            lock (_lock) return _allocated;
        }
    }

    /// <summary>The most bytes allocated at once.</summary>
    public long Peak
    {
        get
        {
            lock (_lock) return _peak;
        }
    }

    /// <summary>How many series have spilled to a file so far.</summary>
    public int SpilledSeries => Volatile.Read(ref _spilled);

    /// <summary>Temporary files currently open.</summary>
    public int OpenFiles => Volatile.Read(ref _openFiles);

    /// <summary>Reserves <paramref name="bytes"/> for a small array of a series (its first, growing chunk).</summary>
    internal bool TryReserve(long bytes)
    {
        lock (_lock)
        {
            if (_allocated + bytes > Bytes) return false;
            _allocated += bytes;
            _peak = Math.Max(_peak, _allocated);
            return true;
        }
    }

    /// <summary>Gives back bytes of <see cref="TryReserve"/>.</summary>
    internal void Release(long bytes)
    {
        lock (_lock) _allocated -= bytes;
    }

    /// <summary>
    /// A full chunk: one given back by another series if there is one (a spilled series hands its chunks on, so
    /// spilling makes no garbage), else a new one if the budget has room; null when it has none.
    /// </summary>
    internal T[]? TakeChunk<T>() where T : unmanaged
    {
        lock (_lock)
        {
            if (typeof(T) == typeof(double) && _freeDoubles.TryPop(out var d)) return (T[])(object)d;
            if (typeof(T) == typeof(float) && _freeFloats.TryPop(out var f)) return (T[])(object)f;
            if (_allocated + ChunkBytes > Bytes) return null;
            _allocated += ChunkBytes;
            _peak = Math.Max(_peak, _allocated);
        }
        return new T[ChunkBytes / (typeof(T) == typeof(double) ? sizeof(double) : sizeof(float))];
    }

    /// <summary>Gives back a chunk of <see cref="TakeChunk{T}"/> for reuse.</summary>
    internal void ReturnChunk<T>(T[] chunk) where T : unmanaged
    {
        lock (_lock)
        {
            if (chunk is double[] d) _freeDoubles.Push(d);
            else if (chunk is float[] f) _freeFloats.Push(f);
        }
    }

    /// <summary>Counts a series as open.</summary>
    internal void SeriesOpened()
    {
        lock (_lock) _liveSeries++;
    }

    /// <summary>Counts a series as closed; when none is open the free chunks are dropped, so an idle budget holds nothing.</summary>
    internal void SeriesClosed()
    {
        lock (_lock)
        {
            if (--_liveSeries > 0) return;
            _allocated -= (long)(_freeDoubles.Count + _freeFloats.Count) * ChunkBytes;
            _freeDoubles.Clear();
            _freeFloats.Clear();
        }
    }

    /// <summary>
    /// Opens a new temporary file for reading and writing. On Unix its name is removed at once (the data lives until
    /// the handle is closed, and even a killed process leaves nothing behind); on Windows it is deleted on close.
    /// </summary>
    internal SpillFile CreateFile()
    {
        string folder = Folder ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        for (int attempt = 0; ; attempt++)
        {
            string path = Path.Combine(folder, $"simulator-{Environment.ProcessId}-{Interlocked.Increment(ref s_files)}-{Path.GetRandomFileName()}.series");
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                    OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
            }
            catch (IOException) when (attempt < 10 && File.Exists(path))
            {
                continue;
            }
            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    File.Delete(path);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }
            }
            Interlocked.Increment(ref _spilled);
            Interlocked.Increment(ref _openFiles);
            return new SpillFile(handle, this);
        }
    }

    internal void FileClosed() => Interlocked.Decrement(ref _openFiles);
}

/// <summary>A temporary file read and written at explicit offsets (never memory-mapped: its pages stay in the page cache, not in the process).</summary>
internal sealed class SpillFile(SafeFileHandle handle, SeriesBudget budget) : IDisposable
{
    private int _disposed;

    public void Write(ReadOnlySpan<byte> bytes, long offset) => RandomAccess.Write(handle, bytes, offset);

    public void Read(Span<byte> bytes, long offset)
    {
        while (bytes.Length > 0)
        {
            int read = RandomAccess.Read(handle, bytes, offset);
            if (read <= 0) throw new EndOfStreamException("temporary series file is shorter than written");
            bytes = bytes[read..];
            offset += read;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        handle.Dispose();
        budget.FileClosed();
    }
}
