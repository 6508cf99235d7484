namespace Simulator.Core.Instruments;

/// <summary>
/// An instrument that can record, per trial, what a later variant of the same trials needs beyond the instrument's
/// row: a guarantee scheme's defaults, which a replay settles again under other shares (<see cref="IReplayable"/>), or a
/// direct programme's per-project losses, which a rewrite judges again against another tolerance
/// (<see cref="IRethresholdable"/>). A study asks a run to record (<see cref="Engine.RunOptions.Recording"/>) only when
/// one of its variants would use the recording.
/// </summary>
public interface IRecordable
{
    /// <summary>Whether this instrument has anything to record (funds without a direct programme do not): an
    /// instrument that records nothing gets no recording and takes none of the budget.</summary>
    bool Records { get; }

    /// <summary>The settings whose moves use the recording, in words, for the what-if server's note on what moves
    /// without new trials (e.g. "shares, caps and budgets").</summary>
    string RecordedSettings { get; }

    /// <summary>An evaluator that writes what <see cref="IInstrument.CreateEvaluator"/>'s writes, byte for byte, and also
    /// records each trial into <paramref name="recording"/>.</summary>
    IInstrumentEvaluator CreateRecordingEvaluator(InstrumentBinding binding, TrialRecording recording);
}
