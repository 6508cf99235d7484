namespace Simulator.Core.Engine;

/// <summary>Trials <paramref name="First"/> … <paramref name="Last"/> of a run (1-based, inclusive; empty when Last = First − 1).</summary>
/// <param name="First">The first trial.</param>
/// <param name="Last">The last trial.</param>
public readonly record struct TrialRange(long First, long Last)
{
    /// <summary>Number of trials in the range.</summary>
    public long Count => Last - First + 1;

    /// <summary>
    /// Shard <paramref name="k"/> of <paramref name="shards"/> of a run of <paramref name="trials"/> trials: trials
    /// ⌊(k−1)·n/N⌋+1 … ⌊k·n/N⌋. The shards cover 1 … n exactly once and differ in size by at most one trial; with more
    /// shards than trials some are empty.
    /// </summary>
    public static TrialRange Shard(int k, int shards, long trials)
    {
        if (shards < 1 || k < 1 || k > shards) throw new ArgumentOutOfRangeException(nameof(k), $"shard {k} of {shards}: need 1 ≤ K ≤ N");
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        // Integer arithmetic in 128 bits: k·n overflows a long for no realistic run, but costs nothing to rule out.
        return new TrialRange((long)((Int128)(k - 1) * trials / shards) + 1, (long)((Int128)k * trials / shards));
    }

    /// <inheritdoc/>
    public override string ToString() => Count == 0 ? $"no trials (after {Last})" : $"trials {First}–{Last}";
}
