using Simulator.Core.Instruments;

namespace Simulator.Core.Engine;

/// <summary>
/// What a run records for later variants of its trials (<see cref="RunOptions.Recording"/>): one
/// <see cref="TrialRecording"/> per instrument that records something (<see cref="IRecordable"/>: a scheme's defaults
/// for replays, a direct programme's project losses for tolerance rewrites), all within one memory budget. The engine
/// attaches it to the run's evaluator; a run that evaluates nothing (rows read from shards) records nothing.
/// </summary>
public sealed class RunRecording(long maxBytes)
{
    /// <summary>
    /// The most memory a run's recordings take together: a sixteenth of the memory the process may use, at least 256 MiB
    /// and at most 2 GiB (1.5 GiB on a 24 GiB machine). A recorded default takes 20 bytes with drawn amounts and LGDs, so
    /// 100,000 trials of the riskiest example (scheme-comparison: PD 10%, about 400 defaults a trial) take about 800 MB,
    /// which 256 MiB did not hold. The budget only decides whether a variant replays or draws new trials; both give the
    /// same bits, so no result depends on the machine's memory.
    /// </summary>
    public static long MaxBytes { get; } = Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16, 256L << 20, 2L << 30);

    private TrialRecording?[]? _instruments;

    /// <summary>A recording within <see cref="MaxBytes"/>.</summary>
    public RunRecording() : this(MaxBytes)
    {
    }

    /// <summary>The memory budget the recordings share.</summary>
    public RecordingBudget Budget { get; } = new(maxBytes);

    /// <summary>Per instrument of the run (in the layout's order), its recording (null: it records nothing, or the run
    /// recorded nothing).</summary>
    public IReadOnlyList<TrialRecording?> Instruments => _instruments ?? [];

    /// <summary>Whether the recordings can be replayed: the run recorded, within the budget.</summary>
    public bool Usable => _instruments is not null && !Budget.Overflowed;

    /// <summary>The recording of instrument <paramref name="index"/> of <paramref name="layout"/>, created on the first
    /// call for a run of <paramref name="trials"/> trials (null when the instrument records nothing).</summary>
    internal TrialRecording? For(TrialLayout layout, int index, long trials)
    {
        _instruments ??= layout.Instruments.Select(i => i is IRecordable { Records: true } ? new TrialRecording(trials, Budget) : null).ToArray();
        return _instruments[index];
    }
}
