namespace Simulator.Core.Instruments;

/// <summary>
/// An instrument some of whose settings (its format's <c>ThresholdFields</c>) only classify per-trial values its row
/// keeps: a fund's tolerance decides which loss ratios breach, and nothing else of the trial. A variant that changes
/// only those settings rewrites the base's rows instead of running new trials, and gets the same rows, hence the same
/// results, to the last bit. Used by studies (batch variants and sweeps) and by the what-if server. Thresholds decide
/// columns only, never the instrument's outputs: readers of those outputs are not evaluated again.
/// </summary>
public interface IRethresholdable
{
    /// <summary>Whether the base's rows can be rewritten to <paramref name="variant"/>'s (the same kind, built from a
    /// variant that differs from the base at most in threshold fields). Where a threshold acts on values the row does
    /// not keep (a direct programme's per-project tolerance), only when the base <paramref name="recorded"/> them: an
    /// <see cref="IRecordable"/> instrument's recording of each trial.</summary>
    bool CanRethreshold(IInstrument variant, bool recorded);

    /// <summary>Rewrites, in one row of the base, the columns <paramref name="variant"/>'s thresholds decide, exactly
    /// as its evaluator would have written them. <paramref name="recorded"/> is what the base recorded for this trial
    /// (<see cref="IRecordable"/>), empty when it recorded nothing; it is not empty when <see cref="CanRethreshold"/>
    /// needed it.</summary>
    void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row, ReadOnlySpan<long> recorded);
}
