using System.Buffers;
using System.Numerics;

namespace Simulator.Core.Statistics;

/// <summary>
/// Exact ranks among order-preserving keys held in memory (<see cref="SeriesOrder.Key(double)"/>), by radix
/// selection: the keys are counted per digit of the bits right after those they all share, and only the digits that
/// hold a wanted rank are gathered and refined, until a digit holds a single key or few enough keys to sort. Linear
/// in the keys where sorting them would be n log n, and adapted to their spread (the digit starts where the smallest
/// and the largest key first differ). The keys stay the same multiset (a short span is sorted in place; longer ones
/// are only read), so the caller can read other things off them afterwards.
/// </summary>
internal static class KeySelection
{
    /// <summary>Spans up to this length are sorted: cheaper than clearing and scanning a histogram.</summary>
    internal const int SortLength = 256;

    /// <summary>
    /// For each 1-based rank of <paramref name="ranks"/> (ascending): the key at that rank among <paramref name="keys"/>
    /// (into <paramref name="selected"/>) and the number of keys ≤ it (into <paramref name="atMost"/>).
    /// </summary>
    public static void Select(Span<ulong> keys, ReadOnlySpan<long> ranks, Span<ulong> selected, Span<long> atMost)
    {
        if (keys.Length <= SortLength)
        {
            keys.Sort();
            for (int i = 0; i < ranks.Length; i++)
            {
                selected[i] = keys[(int)ranks[i] - 1];
                atMost[i] = Empirical.UpperBound<ulong>(keys, selected[i]);
            }
            return;
        }
        var (min, max) = MinMax(keys);
        if (min == max)
        {
            selected[..ranks.Length].Fill(min);
            atMost[..ranks.Length].Fill(keys.Length);
            return;
        }
        // The digit: up to 16 bits (fewer for a short span, so its histogram stays small) after the shared ones.
        int shared = BitOperations.LeadingZeroCount(min ^ max);
        int width = Math.Min(64 - shared, Math.Clamp(BitOperations.Log2((uint)keys.Length) + 1, 8, 16));
        int shift = 64 - shared - width, digits = 1 << width;
        ulong mask = (ulong)digits - 1;
        ulong high = shared == 0 ? 0 : min >> (64 - shared) << (64 - shared);
        var counts = ArrayPool<int>.Shared.Rent(digits);
        var wanted = new int[ranks.Length];
        var below = new long[ranks.Length];
        try
        {
            Array.Clear(counts, 0, digits);
            foreach (ulong k in keys) counts[(int)((k >> shift) & mask)]++;
            long before = 0;
            for (int i = 0, d = 0; i < ranks.Length; i++)
            {
                while (before + counts[d] < ranks[i])
                {
                    before += counts[d];
                    d++;
                }
                wanted[i] = d;
                below[i] = before;
            }
            if (shift == 0)
            {
                // The digit is the rest of the key: each wanted digit holds copies of one key.
                for (int i = 0; i < ranks.Length; i++)
                {
                    selected[i] = high | (uint)wanted[i];
                    atMost[i] = below[i] + counts[wanted[i]];
                }
                return;
            }
            Refine(keys, ranks, selected, atMost, counts, digits, shift, mask, wanted, below);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Gathers the keys of each wanted digit (ranks in one digit are neighbours) and selects within each.</summary>
    private static void Refine(ReadOnlySpan<ulong> keys, ReadOnlySpan<long> ranks, Span<ulong> selected, Span<long> atMost,
        int[] counts, int digits, int shift, ulong mask, int[] wanted, long[] below)
    {
        // Regions: one per distinct wanted digit, in rank order; counts becomes the digit → region map.
        var firstRank = new List<int>();
        for (int i = 0; i < ranks.Length; i++)
            if (i == 0 || wanted[i] != wanted[i - 1]) firstRank.Add(i);
        int regions = firstRank.Count;
        var offsets = new int[regions + 1];
        for (int r = 0; r < regions; r++) offsets[r + 1] = offsets[r] + counts[wanted[firstRank[r]]];
        Array.Fill(counts, -1, 0, digits);
        for (int r = 0; r < regions; r++) counts[wanted[firstRank[r]]] = r;
        var gathered = ArrayPool<ulong>.Shared.Rent(Math.Max(1, offsets[regions]));
        try
        {
            var fill = (int[])offsets.Clone();
            foreach (ulong k in keys)
            {
                int r = counts[(int)((k >> shift) & mask)];
                if (r >= 0) gathered[fill[r]++] = k;
            }
            for (int r = 0; r < regions; r++)
            {
                int from = firstRank[r], to = r + 1 < regions ? firstRank[r + 1] : ranks.Length;
                var within = new long[to - from];
                for (int i = from; i < to; i++) within[i - from] = ranks[i] - below[from];
                Select(gathered.AsSpan(offsets[r], offsets[r + 1] - offsets[r]), within, selected[from..to], atMost[from..to]);
                for (int i = from; i < to; i++) atMost[i] += below[from];
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(gathered);
        }
    }

    private static (ulong Min, ulong Max) MinMax(ReadOnlySpan<ulong> keys)
    {
        ulong min = ulong.MaxValue, max = 0;
        foreach (ulong k in keys)
        {
            min = Math.Min(min, k);
            max = Math.Max(max, k);
        }
        return (min, max);
    }
}
