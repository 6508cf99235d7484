using System.Buffers;
using System.Runtime.CompilerServices;

namespace Simulator.Core.Statistics;

/// <summary>Receives values in sorted order; returns false to stop the walk.</summary>
internal interface IOrderVisitor
{
    /// <summary>The next value and its weight (1 without weights).</summary>
    bool Visit(double value, double weight);
}

/// <summary>
/// Order statistics of a series without sorting it in memory. Each double maps to an order-preserving 64-bit key
/// (NaN lowest, as <see cref="Array.Sort(Array)"/> puts it; −0 and +0 one key, as they compare equal). Exact ranks
/// come from radix selection: a pass counts the values per 16-bit digit of the key, the digits that hold the wanted
/// ranks are refined by the next pass, and once few values remain they are collected and sorted. Walks visit the
/// values in (value, trial) order, ascending or descending, a window of keys at a time; each window is one
/// sequential pass over the range, so memory stays bounded by <see cref="WindowCapacity"/> however many values
/// there are. Ties are visited in trial order (descending walks: reverse trial order), the order a stable sort
/// gives, so sums over a walk never depend on anything but the values and their trial order.
/// </summary>
internal static class SeriesOrder
{
    /// <summary>Most values collected and sorted at once by a walk.</summary>
    internal static int WindowCapacity = 1 << 21;

    /// <summary>Most values collected at once by a selection pass.</summary>
    internal static int CollectCapacity = 1 << 21;

    /// <summary>
    /// Most values a selection collects and sorts instead of counting digits first. A counting pass and a pass that
    /// collects one digit's values cost far less than sorting a long series (the summary of a 20-fund programme
    /// selects from about a hundred series: sorting each whole took about a tenth of the run).
    /// </summary>
    internal static int SortCapacity = 1 << 14;

    private const ulong SignBit = 0x8000_0000_0000_0000UL;
    private const int Digits = 1 << 16;

    /// <summary>The order-preserving key of a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(double v)
    {
        if (double.IsNaN(v)) return 0;
        if (v == 0) return SignBit;
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        return (bits & SignBit) != 0 ? ~bits : bits | SignBit;
    }

    /// <summary>The double of a key (+0 for zero, NaN for key 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Value(ulong key)
    {
        if (key == 0) return double.NaN;
        return BitConverter.UInt64BitsToDouble((key & SignBit) != 0 ? key & ~SignBit : ~key);
    }

    /// <summary>
    /// The values of the given 1-based ranks among the values [start, end) of <paramref name="series"/> in ascending
    /// order, each with the number of values ≤ it.
    /// </summary>
    internal static (double Value, long AtMost)[] Select(TrialSeries series, long start, long end, ReadOnlySpan<long> ranks)
    {
        long n = end - start;
        var targets = new Target[ranks.Length];
        for (int i = 0; i < ranks.Length; i++)
        {
            if (ranks[i] < 1 || ranks[i] > n) throw new ArgumentOutOfRangeException(nameof(ranks), $"rank {ranks[i]} outside 1..{n}");
            targets[i] = new Target { Rank = ranks[i], Count = n };
        }
        while (true)
        {
            var open = targets.Where(t => !t.Done).ToList();
            if (open.Count == 0) break;
            var groups = open.GroupBy(t => (t.Prefix, t.Bits)).Select(g => new Group(g.Key.Prefix, g.Key.Bits, g.First().Count, g.ToList()))
                .OrderBy(g => g.Count).ToList();
            long collected = 0;
            foreach (var g in groups)
            {
                if (g.Bits < 64 && g.Count <= SortCapacity && collected + g.Count <= CollectCapacity)
                {
                    g.Keys = ArrayPool<ulong>.Shared.Rent((int)Math.Max(1, g.Count));
                    collected += g.Count;
                }
                else if (g.Bits < 64) g.Histogram = RentHistogram();
            }
            var active = groups.Where(g => g.Bits < 64).ToArray();
            try
            {
                if (active.Length > 0) Pass(series, start, end, active);
                Resolve(groups);
            }
            finally
            {
                foreach (var g in groups)
                {
                    if (g.Histogram is not null) ArrayPool<long>.Shared.Return(g.Histogram);
                    if (g.Keys is not null) ArrayPool<ulong>.Shared.Return(g.Keys);
                }
            }
        }
        return targets.Select(t => (Value(t.Key), t.AtMost)).ToArray();
    }

    /// <summary>A zeroed histogram of the 65,536 digits, from the shared pool (histograms are allocated per pass).</summary>
    private static long[] RentHistogram()
    {
        var hist = ArrayPool<long>.Shared.Rent(Digits);
        Array.Clear(hist, 0, Digits);
        return hist;
    }

    /// <summary>Settles the targets of each group after a pass: read off collected values or descend into a digit.</summary>
    private static void Resolve(List<Group> groups)
    {
        foreach (var g in groups)
        {
            foreach (var t in g.Targets)
            {
                long within = t.Rank - t.Below;
                if (g.Bits == 64)
                {
                    t.Done = true;
                    t.Key = g.Prefix;
                    t.AtMost = t.Below + t.Count;
                }
                else if (g.Keys is { } keys)
                {
                    if (g.Filled != g.Count) throw new InvalidOperationException("series changed during selection");
                    if (!g.Sorted)
                    {
                        Array.Sort(keys, 0, g.Filled);
                        g.Sorted = true;
                    }
                    t.Done = true;
                    t.Key = keys[within - 1];
                    t.AtMost = t.Below + UpperBound(keys, g.Filled, t.Key);
                }
                else
                {
                    var hist = g.Histogram!;
                    long below = 0;
                    int digit = 0;
                    while (below + hist[digit] < within)
                    {
                        below += hist[digit];
                        digit++;
                    }
                    t.Below += below;
                    t.Count = hist[digit];
                    t.Prefix = (t.Prefix << 16) | (uint)digit;
                    t.Bits += 16;
                }
            }
        }
    }

    private sealed class Target
    {
        public long Rank, Below, Count, AtMost;
        public ulong Prefix, Key;
        public int Bits;
        public bool Done;
    }

    private sealed class Group(ulong prefix, int bits, long count, List<Target> targets)
    {
        public readonly ulong Prefix = prefix;
        public readonly int Bits = bits;
        public readonly long Count = count;
        public readonly List<Target> Targets = targets;
        public ulong[]? Keys;
        public long[]? Histogram;
        public int Filled;
        public bool Sorted;
    }

    private static void Pass(TrialSeries series, long start, long end, Group[] groups)
    {
        using var reader = series.Read(start, end);
        while (reader.Next(out var block))
        {
            foreach (double v in block)
            {
                ulong key = Key(v);
                foreach (var g in groups)
                {
                    if (g.Bits != 0 && key >> (64 - g.Bits) != g.Prefix) continue;
                    if (g.Keys is { } keys) keys[g.Filled++] = key;
                    else g.Histogram![(int)((key >> (48 - g.Bits)) & 0xFFFF)]++;
                }
            }
        }
    }

    private static long UpperBound(ulong[] sorted, int length, ulong key)
    {
        int lo = 0, hi = length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Visits the values [start, end) of <paramref name="x"/> (with their weights from <paramref name="w"/>, or 1) in
    /// ascending (value, trial) order, or descending (value, trial) order, until the visitor stops. With
    /// <paramref name="above"/> only values greater than it are visited. Returns false if the visitor stopped.
    /// </summary>
    internal static bool Walk<TVisitor>(TrialSeries x, TrialSeries? w, long start, long end, bool descending, double? above, ref TVisitor visitor)
        where TVisitor : IOrderVisitor
    {
        var walk = new Walker<TVisitor>(x, w, start, end, descending, above is { } a ? Key(a) : null);
        bool finished = walk.Run(ref visitor);
        return finished;
    }

    private sealed class Walker<TVisitor>(TrialSeries x, TrialSeries? w, long start, long end, bool descending, ulong? above)
        where TVisitor : IOrderVisitor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool Passes(ulong key) => above is not { } bound || key > bound;

        public bool Run(ref TVisitor visitor)
        {
            if (end - start <= WindowCapacity) return Window(0, ulong.MaxValue, end - start, ref visitor);
            var hist = Histogram(0, 0);
            return Level(0, 0, hist, ref visitor);
        }

        private long[] Histogram(ulong prefix, int bits)
        {
            var hist = new long[Digits];  // kept while its level is walked, which may recurse
            using var reader = x.Read(start, end);
            while (reader.Next(out var block))
            {
                foreach (double v in block)
                {
                    ulong key = Key(v);
                    if (!Passes(key) || (bits != 0 && key >> (64 - bits) != prefix)) continue;
                    hist[(int)((key >> (48 - bits)) & 0xFFFF)]++;
                }
            }
            return hist;
        }

        private static ulong Low(ulong prefix, int bits, int digit) =>
            (bits == 0 ? 0 : prefix << (64 - bits)) | ((ulong)digit << (48 - bits));

        private static ulong High(ulong prefix, int bits, int digit) =>
            Low(prefix, bits, digit) | (bits == 48 ? 0 : (1UL << (48 - bits)) - 1);

        private bool Level(ulong prefix, int bits, long[] hist, ref TVisitor visitor)
        {
            int first = -1, last = -1;
            long count = 0;
            for (int k = 0; k < Digits; k++)
            {
                int digit = descending ? Digits - 1 - k : k;
                long c = hist[digit];
                if (c == 0) continue;
                if (c > WindowCapacity)
                {
                    if (first >= 0 && !Flush(prefix, bits, first, last, count, ref visitor)) return false;
                    first = -1;
                    count = 0;
                    ulong sub = (prefix << 16) | (uint)digit;
                    if (bits + 16 == 64)
                    {
                        if (!SingleKey(sub, ref visitor)) return false;
                    }
                    else if (!Level(sub, bits + 16, Histogram(sub, bits + 16), ref visitor)) return false;
                    continue;
                }
                if (first >= 0 && count + c > WindowCapacity)
                {
                    if (!Flush(prefix, bits, first, last, count, ref visitor)) return false;
                    first = -1;
                    count = 0;
                }
                if (first < 0) first = digit;
                last = digit;
                count += c;
            }
            return first < 0 || Flush(prefix, bits, first, last, count, ref visitor);
        }

        private bool Flush(ulong prefix, int bits, int first, int last, long count, ref TVisitor visitor)
        {
            int lo = Math.Min(first, last), hi = Math.Max(first, last);
            return Window(Low(prefix, bits, lo), High(prefix, bits, hi), count, ref visitor);
        }

        /// <summary>Collects the values with keys in [lo, hi] (at most <paramref name="capacity"/>), sorts them by
        /// (key, trial) and visits them.</summary>
        private bool Window(ulong lo, ulong hi, long capacity, ref TVisitor visitor)
        {
            // Buffers from the shared pool, grown as values arrive: a filtered window (the tail above a quantile) is
            // often far smaller than its bound, and pooled buffers leave no garbage behind pass after pass.
            var k = ArrayPool<ulong>.Shared.Rent((int)Math.Min(capacity, 1 << 12));
            var weights = w is null ? null : ArrayPool<double>.Shared.Rent(k.Length);
            int[]? order = null;
            int filled = 0;
            try
            {
                using (var xr = x.Read(start, end))
                using (var wr = w?.Read(start, end))
                {
                    var wBuffer = w is null ? null : ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
                    try
                    {
                        while (xr.Next(out var block))
                        {
                            Span<double> wBlock = default;
                            if (wr is not null)
                            {
                                wBlock = wBuffer.AsSpan(0, block.Length);
                                wr.ReadExactly(wBlock);
                            }
                            for (int i = 0; i < block.Length; i++)
                            {
                                ulong key = Key(block[i]);
                                if (key < lo || key > hi || !Passes(key)) continue;
                                if (filled == k.Length)
                                {
                                    int grown = (int)Math.Min(capacity, 2L * k.Length);
                                    if (grown <= filled) throw new InvalidOperationException("series changed during a walk");
                                    Grow(ref k, grown, filled);
                                    if (weights is not null) Grow(ref weights, grown, filled);
                                }
                                if (weights is not null) weights[filled] = wBlock[i];
                                k[filled++] = key;
                            }
                        }
                    }
                    finally
                    {
                        if (wBuffer is not null) ArrayPool<double>.Shared.Return(wBuffer);
                    }
                }
                order = ArrayPool<int>.Shared.Rent(Math.Max(1, filled));
                for (int i = 0; i < filled; i++) order[i] = i;
                Array.Sort(k, order, 0, filled);
                // Ties in trial order: the collection order, restored within each run of equal keys.
                for (int i = 0; i < filled;)
                {
                    int j = i + 1;
                    while (j < filled && k[j] == k[i]) j++;
                    if (j - i > 1) Array.Sort(order, i, j - i);
                    i = j;
                }
                for (int step = 0; step < filled; step++)
                {
                    int i = descending ? filled - 1 - step : step;
                    if (!visitor.Visit(Value(k[i]), weights is null ? 1 : weights[order[i]])) return false;
                }
                return true;
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(k);
                if (weights is not null) ArrayPool<double>.Shared.Return(weights);
                if (order is not null) ArrayPool<int>.Shared.Return(order);
            }
        }

        /// <summary>Replaces a pooled buffer by a larger one holding its first <paramref name="filled"/> values.</summary>
        private static void Grow<TItem>(ref TItem[] buffer, int length, int filled)
        {
            var larger = ArrayPool<TItem>.Shared.Rent(length);
            Array.Copy(buffer, larger, filled);
            ArrayPool<TItem>.Shared.Return(buffer);
            buffer = larger;
        }

        /// <summary>Visits every value with one key, in trial order (reverse trial order when descending), streaming.</summary>
        private bool SingleKey(ulong key, ref TVisitor visitor)
        {
            var xb = ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
            var wb = w is null ? null : ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
            try
            {
                long blocks = (end - start + SeriesReader.BlockValues - 1) / SeriesReader.BlockValues;
                for (long b = 0; b < blocks; b++)
                {
                    long index = descending ? blocks - 1 - b : b;
                    long from = start + index * SeriesReader.BlockValues;
                    int count = (int)Math.Min(SeriesReader.BlockValues, end - from);
                    var xs = xb.AsSpan(0, count);
                    x.CopyTo(from, xs);
                    Span<double> ws = default;
                    if (w is not null)
                    {
                        ws = wb.AsSpan(0, count);
                        w.CopyTo(from, ws);
                    }
                    double value = Value(key);
                    for (int s = 0; s < count; s++)
                    {
                        int i = descending ? count - 1 - s : s;
                        if (Key(xs[i]) != key) continue;
                        if (!visitor.Visit(value, w is null ? 1 : ws[i])) return false;
                    }
                }
                return true;
            }
            finally
            {
                ArrayPool<double>.Shared.Return(xb);
                if (wb is not null) ArrayPool<double>.Shared.Return(wb);
            }
        }
    }
}
