using Simulator.Core.Economy;
using Simulator.Core.Randomness;

namespace Simulator.Core.Instruments;

/// <summary>
/// An instrument some of whose settings (its format's <c>ReplayFields</c>) act only on how per-trial events are settled,
/// not on which events happen: a guarantee scheme's shares, pool limits and guarantor terms decide who pays each default,
/// while the defaults themselves come from the loans' draws. When a study asks for it, the base run records what the
/// settlement needs per trial (<see cref="IRecordable.CreateRecordingEvaluator"/>); a variant that changes only those settings then
/// settles the recorded events again under its own settings (<see cref="CreateReplayer"/>) instead of drawing them,
/// and gets the rows new trials would give, to the last bit. Where a setting feeds back into the events in a trial (a
/// scheme whose leverage cap or insolvency stops issuance), that trial is evaluated anew, from its own draws.
/// </summary>
public interface IReplayable : IRecordable
{
    /// <summary>Whether this instrument's recording can be replayed into <paramref name="variant"/>'s rows (the same
    /// kind, built from a variant that differs from this one at most in replay fields).</summary>
    bool CanReplay(IInstrument variant);

    /// <summary>Replays <paramref name="recording"/> (made by this instrument's <see cref="IRecordable.CreateRecordingEvaluator"/>)
    /// under <paramref name="variant"/>'s settings, into the variant's columns at <paramref name="binding"/>.</summary>
    IReplayer CreateReplayer(IInstrument variant, InstrumentBinding binding, TrialRecording recording);
}

/// <summary>Writes a variant's columns of one trial from the base's recording (see <see cref="IReplayable"/>).</summary>
public interface IReplayer
{
    /// <summary>New per-thread buffers.</summary>
    object CreateScratch();

    /// <summary>Writes trial <paramref name="trial"/>'s columns into <paramref name="row"/>: replayed where the recording
    /// holds, evaluated anew from the trial's own draws (<paramref name="paths"/>, drawn on demand) where it does not.</summary>
    void Replay(StreamKey key, long trial, TrialPaths paths, Span<double> row, object scratch);
}

/// <summary>
/// A trial's factor paths drawn only when asked for, at most once per trial: a replay needs them only for the trials it
/// evaluates anew. One per thread.
/// </summary>
public sealed class TrialPaths(FactorPaths paths, StreamKey key, double[]? shift, int shiftYears)
{
    private long _drawn;

    /// <summary>The paths of trial <paramref name="trial"/> (1-based), as the engine draws them.</summary>
    public FactorPaths For(long trial)
    {
        if (_drawn != trial)
        {
            paths.Draw(key, trial, shift, shiftYears);
            _drawn = trial;
        }
        return paths;
    }

    /// <summary>Whether the paths of some trial were drawn (tests: replays that need none draw none).</summary>
    public long Drawn => _drawn;
}

/// <summary>
/// What a run recorded per trial for later replays (<see cref="IReplayable"/>): for each trial a sequence of 64-bit
/// values, written by the thread that evaluated it. Values go into large shared chunks, not one array per trial, so the
/// recording run allocates a chunk per thousands of trials. The recordings of a run share a <see cref="RecordingBudget"/>:
/// past it, nothing more is recorded and the recording is unusable (<see cref="RecordingBudget.Overflowed"/>).
/// </summary>
public sealed class TrialRecording
{
    private const int ChunkValues = 1 << 16;
    private readonly (long[]? Chunk, int Offset, int Length)[] _slots;
    private readonly RecordingBudget _budget;

    /// <summary>A recording of trials 1..<paramref name="trials"/> within <paramref name="budget"/>.</summary>
    public TrialRecording(long trials, RecordingBudget budget)
    {
        _slots = new (long[]?, int, int)[trials + 1];
        _budget = budget;
    }

    /// <summary>Whether <paramref name="trial"/> was recorded (a run stopped early, or past the budget, leaves trials out).</summary>
    public bool Has(long trial) => !_budget.Overflowed && trial < _slots.Length && _slots[trial].Chunk is not null;

    /// <summary>The values recorded for <paramref name="trial"/> (empty when none were).</summary>
    public ReadOnlySpan<long> Of(long trial)
    {
        if (!Has(trial)) return [];
        var (chunk, offset, length) = _slots[trial];
        return chunk.AsSpan(offset, length);
    }

    /// <summary>A writer for one thread.</summary>
    public Writer CreateWriter() => new(this);

    /// <summary>Collects one trial's values, then stores them (<see cref="Commit"/>). One per thread.</summary>
    public sealed class Writer
    {
        private readonly TrialRecording _owner;
        private long[] _values = new long[1024];
        private long[]? _chunk;
        private int _used;

        internal Writer(TrialRecording owner) => _owner = owner;

        /// <summary>Values collected for the current trial.</summary>
        public int Count { get; private set; }

        /// <summary>The current trial's values so far.</summary>
        public ReadOnlySpan<long> Values => _values.AsSpan(0, Count);

        /// <summary>Starts a trial.</summary>
        public void Begin() => Count = 0;

        /// <summary>Drops the values collected after the first <paramref name="count"/>.</summary>
        public void Truncate(int count) => Count = Math.Min(Count, count);

        /// <summary>Adds a value.</summary>
        public void Add(long value)
        {
            if (Count == _values.Length) Array.Resize(ref _values, _values.Length * 2);
            _values[Count++] = value;
        }

        /// <summary>Overwrites value <paramref name="index"/> of the current trial (a length written before what it counts).</summary>
        public void Set(int index, long value) => _values[index] = value;

        /// <summary>Adds a double by its bits (read back with <see cref="BitConverter.Int64BitsToDouble"/>: the same bits).</summary>
        public void Add(double value) => Add(BitConverter.DoubleToInt64Bits(value));

        /// <summary>Stores the current trial's values as trial <paramref name="trial"/>'s.</summary>
        public void Commit(long trial)
        {
            var budget = _owner._budget;
            if (budget.Overflowed || trial >= _owner._slots.Length) return;
            if (_chunk is null || _chunk.Length - _used < Count)
            {
                int size = Math.Max(ChunkValues, Count);
                if (!budget.TryTake((long)size * sizeof(long))) return;
                _chunk = new long[size];
                _used = 0;
            }
            _values.AsSpan(0, Count).CopyTo(_chunk.AsSpan(_used));
            _owner._slots[trial] = (_chunk, _used, Count);
            _used += Count;
        }
    }
}

/// <summary>The memory the recordings of a run may take together; once a chunk would pass it, every recording of the run
/// is unusable (a variant then evaluates its instruments anew instead of replaying).</summary>
public sealed class RecordingBudget(long maxBytes)
{
    private long _bytes;
    private volatile bool _overflowed;

    /// <summary>The most memory the recordings may take.</summary>
    public long MaxBytes => maxBytes;

    /// <summary>Memory taken so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Whether the recordings passed <see cref="MaxBytes"/>.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>Takes <paramref name="bytes"/> more, or marks the budget overflowed and returns false.</summary>
    public bool TryTake(long bytes)
    {
        if (_overflowed) return false;
        if (Interlocked.Add(ref _bytes, bytes) <= maxBytes) return true;
        _overflowed = true;
        return false;
    }
}
