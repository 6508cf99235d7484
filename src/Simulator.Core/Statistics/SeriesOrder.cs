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
/// (NaN lowest, as <see cref="Array.Sort(Array)"/> puts it; −0 and +0 one key, as they compare equal); each float
/// to a key with 32 significant bits. Exact ranks come from radix selection (<see cref="SeriesSelection{T}"/>): a
/// pass counts the values per 16-bit digit of the key, the next collects the digits that hold the wanted ranks, and
/// the rest is done in memory (<see cref="KeySelection"/>). Walks visit the
/// values in (value, trial) order, ascending or descending, a window of keys at a time; each window is one
/// sequential pass over the range, so memory stays bounded by <see cref="WindowCapacity"/> however many values
/// there are. Ties are visited in trial order (descending walks: reverse trial order), the order a stable sort
/// gives, so sums over a walk never depend on anything but the values and their trial order.
/// </summary>
internal static class SeriesOrder
{
    /// <summary>Most values collected and sorted at once by a walk.</summary>
    internal static int WindowCapacity = 1 << 21;

    /// <summary>Most keys collected at once by a selection pass (16 MB).</summary>
    internal static int CollectCapacity = 1 << 21;

    /// <summary>
    /// Most values a selection collects whole instead of counting digits first (a counting pass clears and scans a
    /// 65,536-digit histogram, which a short range does not repay).
    /// </summary>
    internal static int SortCapacity = 1 << 14;

    private const ulong SignBit = 0x8000_0000_0000_0000UL;
    private const int Digits = 1 << 16;

    /// <summary>The order-preserving key of a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(double v)
    {
        // The passes key every value, so no branch that the data could make unpredictable: adding +0 turns −0 into
        // +0 and changes nothing else; then negatives flip all bits, the rest only the sign bit. NaN (rare) is lowest.
        ulong bits = BitConverter.DoubleToUInt64Bits(v + 0.0);
        ulong key = bits ^ ((ulong)((long)bits >> 63) | SignBit);
        return double.IsNaN(v) ? 0 : key;
    }

    /// <summary>The double of a key (+0 for zero, NaN for key 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Value(ulong key)
    {
        if (key == 0) return double.NaN;
        return BitConverter.UInt64BitsToDouble((key & SignBit) != 0 ? key & ~SignBit : ~key);
    }

    /// <summary>
    /// The order-preserving key of a float, built as <see cref="Key(double)"/> on its 32 bits and kept in the upper
    /// half of the 64-bit key (the lower half is 0): the same order as the key of the float's double, but two 16-bit
    /// digits tell any two floats apart, where the double's key needs three.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong FloatKey(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v + 0f);
        uint key = bits ^ ((uint)((int)bits >> 31) | 0x8000_0000u);
        return float.IsNaN(v) ? 0 : (ulong)key << 32;
    }

    /// <summary>The float of a <see cref="FloatKey"/>, as a double (+0 for zero, NaN for key 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double FloatValue(ulong key)
    {
        uint k = (uint)(key >> 32);
        if (k == 0) return double.NaN;
        return BitConverter.UInt32BitsToSingle((k & 0x8000_0000u) != 0 ? k & 0x7FFF_FFFFu : ~k);
    }

    /// <summary>The key of a stored value: <see cref="Key(double)"/> for doubles, <see cref="FloatKey"/> for floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong KeyOf<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(double) ? Key(Unsafe.As<T, double>(ref value)) : FloatKey(Unsafe.As<T, float>(ref value));

    /// <summary>The value of a key of <see cref="KeyOf{T}"/>, as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ValueOf<T>(ulong key) where T : unmanaged =>
        typeof(T) == typeof(double) ? Value(key) : FloatValue(key);

    /// <summary>A stored value as a double (a float widens exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double AsDouble<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value) : Unsafe.As<T, float>(ref value);

    /// <summary>Bits of a <see cref="KeyOf{T}"/> key that can differ (from the top): 64 for doubles, 32 for floats.</summary>
    internal static int KeyBits<T>() where T : unmanaged => typeof(T) == typeof(double) ? 64 : 32;

    /// <summary>
    /// The values of the given 1-based ranks among the values [start, end) of <paramref name="series"/> in ascending
    /// order, each with the number of values ≤ it (see <see cref="SeriesSelection{T}"/>).
    /// </summary>
    internal static (double Value, long AtMost)[] Select(TrialSeries series, long start, long end, ReadOnlySpan<long> ranks) => series switch
    {
        TrialSeries<double> d => new SeriesSelection<double>(d, start, end).Select(ranks).Ranks,
        TrialSeries<float> f => new SeriesSelection<float>(f, start, end).Select(ranks).Ranks,
        _ => throw new NotSupportedException(series.GetType().Name),
    };

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
