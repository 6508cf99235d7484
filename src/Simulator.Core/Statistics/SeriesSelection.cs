using System.Buffers;

namespace Simulator.Core.Statistics;

/// <summary>Receives a block of a series' values, in trial order, as they are stored.</summary>
internal delegate void BlockAction<T>(ReadOnlySpan<T> block) where T : unmanaged;

/// <summary>
/// Work on each value of a pass, in trial order, run inside the pass's own loop (a struct, so the call is inlined):
/// a running sum's latency then hides behind the pass's work instead of costing a loop of its own.
/// </summary>
internal interface IValueVisitor<T> where T : unmanaged
{
    /// <summary>The next value.</summary>
    void Visit(T value);
}

/// <summary>No work.</summary>
internal struct NoVisitor<T> : IValueVisitor<T> where T : unmanaged
{
    /// <inheritdoc />
    public readonly void Visit(T value)
    {
    }
}

/// <summary>What a selection found: the wanted ranks and, if asked, the tail above one of them.</summary>
/// <param name="Ranks">Per wanted rank (in the order asked): its value and the number of values ≤ it.</param>
/// <param name="Tail">The values greater than the value at the tail's rank, ascending; null if not asked, or if
/// there were more than <see cref="SeriesOrder.CollectCapacity"/> values from that rank's digit up.</param>
internal sealed record SelectionResult((double Value, long AtMost)[] Ranks, double[]? Tail);

/// <summary>
/// Exact order statistics of the values [start, end) of a series in two sequential passes, each of which the caller
/// can share for its own work in trial order (sums, counts, a distribution). <see cref="CountDigits"/> counts the
/// values per top 16-bit digit of their keys (<see cref="SeriesOrder.KeyOf{T}"/>; floats have 32-bit keys, so two
/// digits tell them apart). <see cref="Select"/> then collects the keys of the digits that hold the wanted ranks —
/// and, for an expected shortfall, of every digit from a rank up — and finishes in memory with
/// <see cref="KeySelection"/>. A digit is refined by a further counting pass only when it holds more values than
/// <see cref="SeriesOrder.CollectCapacity"/> (a huge tie, or very many trials). Memory: one 65,536-digit histogram,
/// a digit lookup and the collected keys, all pooled.
/// </summary>
/// <typeparam name="T"><see cref="double"/> or <see cref="float"/>, as the series stores its values.</typeparam>
internal sealed class SeriesSelection<T> : IDisposable where T : unmanaged
{
    private const int Digits = 1 << 16;
    private static readonly int KeyBits = SeriesOrder.KeyBits<T>();

    private const ulong ZeroKey = 0x8000_0000_0000_0000UL;
    private const int ZeroDigit = (int)(ZeroKey >> 48);

    private readonly TrialSeries<T> _series;
    private readonly long _start, _end;
    private long[]? _top;
    private long _zeros;
    private bool _counted;

    /// <summary>A selection among the values [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="series"/>.</summary>
    public SeriesSelection(TrialSeries<T> series, long start, long end)
    {
        series.CheckRange(start, end);
        _series = series;
        _start = start;
        _end = end;
    }

    /// <summary>Values in the range.</summary>
    public long Count => _end - _start;

    /// <summary>A range this short is collected whole by <see cref="Select"/>, without counting digits first.</summary>
    private bool Short => Count <= Math.Min(SeriesOrder.SortCapacity, SeriesOrder.CollectCapacity);

    /// <summary>The first pass: counts the values per top digit, handing every block to <paramref name="alongside"/> as well.</summary>
    public void CountDigits(BlockAction<T>? alongside)
    {
        var none = new NoVisitor<T>();
        CountDigits(ref none, alongside);
    }

    /// <summary>The first pass, with each value also handed to <paramref name="visitor"/>.</summary>
    public void CountDigits<TVisitor>(ref TVisitor visitor, BlockAction<T>? alongside) where TVisitor : struct, IValueVisitor<T>
    {
        if (_counted) throw new InvalidOperationException("digits are counted once");
        _counted = true;
        if (Short && alongside is null && typeof(TVisitor) == typeof(NoVisitor<T>)) return;
        long[]? top = null;
        if (!Short)
        {
            top = ArrayPool<long>.Shared.Rent(Digits);
            Array.Clear(top, 0, Digits);
            _top = top;
        }
        long zeros = 0;
        using var reader = new StoredReader<T>(_series, _start, _end);
        while (reader.Next(out var block))
        {
            alongside?.Invoke(block);
            if (top is not null) zeros = CountKeys(block, top, zeros, ref visitor);
            else Visit(block, ref visitor);
        }
        _zeros = zeros;
    }

    /// <summary>Counts a block's keys per top digit; returns <paramref name="zeros"/> plus its zeros.</summary>
    private static long CountKeys<TVisitor>(ReadOnlySpan<T> block, long[] top, long zeros, ref TVisitor visitor) where TVisitor : struct, IValueVisitor<T>
    {
        var local = visitor; // a local copy, so that its fields can live in registers through the loop
        foreach (T v in block)
        {
            local.Visit(v);
            ulong key = SeriesOrder.KeyOf(v);
            top[key >> 48]++;
            zeros += key == ZeroKey ? 1 : 0;
        }
        visitor = local;
        return zeros;
    }

    private static void Visit<TVisitor>(ReadOnlySpan<T> block, ref TVisitor visitor) where TVisitor : struct, IValueVisitor<T>
    {
        if (typeof(TVisitor) == typeof(NoVisitor<T>)) return;
        var local = visitor;
        foreach (T v in block) local.Visit(v);
        visitor = local;
    }

    /// <summary>
    /// Settles the targets in top digits that hold a single key, which need no collecting: NaN's digit (it holds no
    /// other key) and zero's digit when it holds only zeros — the common huge tie (no loss in most trials).
    /// </summary>
    private void SettleSingleKeyDigits(Target[] all, long[] top)
    {
        foreach (var t in all)
        {
            int digit = (int)t.Prefix;
            if (digit == 0) t.Settle(0, t.Below + t.Count);
            else if (digit == ZeroDigit && top[ZeroDigit] == _zeros) t.Settle(ZeroKey, t.Below + t.Count);
        }
    }

    /// <summary>
    /// The values of the given 1-based ranks and the number of values ≤ each; with <paramref name="tailRank"/> &gt; 0
    /// also the values above the value at that rank, ascending. Counts digits first if <see cref="CountDigits"/> was
    /// not called. The first pass it makes (it makes at least one) hands every block to <paramref name="alongside"/>.
    /// </summary>
    public SelectionResult Select(ReadOnlySpan<long> ranks, BlockAction<T>? alongside = null, long tailRank = 0)
    {
        var none = new NoVisitor<T>();
        return Select(ranks, ref none, alongside, tailRank);
    }

    /// <summary>As <see cref="Select(ReadOnlySpan{long}, BlockAction{T}, long)"/>, with each value of its first pass also handed to <paramref name="visitor"/>.</summary>
    public SelectionResult Select<TVisitor>(ReadOnlySpan<long> ranks, ref TVisitor visitor, BlockAction<T>? alongside = null, long tailRank = 0)
        where TVisitor : struct, IValueVisitor<T>
    {
        long n = Count;
        var targets = new Target[ranks.Length];
        for (int i = 0; i < ranks.Length; i++)
        {
            if (ranks[i] < 1 || ranks[i] > n) throw new ArgumentOutOfRangeException(nameof(ranks), $"rank {ranks[i]} outside 1..{n}");
            targets[i] = new Target { Rank = ranks[i], Count = n };
        }
        if (tailRank < 0 || tailRank > n) throw new ArgumentOutOfRangeException(nameof(tailRank));
        if (!_counted) CountDigits(null);
        try
        {
            var all = tailRank > 0 ? targets.Append(new Target { Rank = tailRank, Count = n }).ToArray() : targets;
            var cut = tailRank > 0 ? all[^1] : null;
            if (_top is { } top)
            {
                Descend(all, top);
                SettleSingleKeyDigits(all, top);
            }
            if (!CollectOnce(all, cut, ref visitor, alongside, out var tailValues))
            {
                var tail = cut is null ? null : TailGroup(all, cut);
                Passes(all, tail, ref visitor, alongside);
                tailValues = tail is null ? null : TailValues(tail, cut!.Key);
            }
            return new SelectionResult(targets.Select(t => (SeriesOrder.ValueOf<T>(t.Key), t.AtMost)).ToArray(), tailValues);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Returns the digit histogram to the pool.</summary>
    public void Dispose()
    {
        if (_top is not null) ArrayPool<long>.Shared.Return(_top);
        _top = null;
    }

    /// <summary>
    /// The usual case, one pass: if the digits that hold the targets (and every digit from the tail's up) hold no more
    /// than <see cref="SeriesOrder.CollectCapacity"/> values in all, collects their keys into one buffer — a store
    /// per value and a count that only moves for wanted digits, without branches — and settles every target in memory
    /// among them; a target's rank among the collected keys follows from the digit counts. False (and nothing read) if
    /// they do not fit.
    /// </summary>
    private bool CollectOnce<TVisitor>(Target[] all, Target? cut, ref TVisitor visitor, BlockAction<T>? alongside, out double[]? tail)
        where TVisitor : struct, IValueVisitor<T>
    {
        tail = null;
        var top = _top;
        byte[]? wanted = null;
        ulong[]? keys = null;
        try
        {
            long total = Count;
            if (top is not null)
            {
                wanted = ArrayPool<byte>.Shared.Rent(Digits);
                Array.Clear(wanted, 0, Digits);
                foreach (var t in all)
                    if (!t.Done) wanted[(int)t.Prefix] = 1;
                if (cut is not null)
                {
                    // The tail: every digit above the cut's, and the cut's own unless its one key is the cut.
                    wanted.AsSpan((int)cut.Prefix, Digits - (int)cut.Prefix).Fill(1);
                    if (cut.Done) wanted[(int)cut.Prefix] = 0;
                }
                total = 0;
                for (int d = 0; d < Digits; d++) total += wanted[d] * top[d];
            }
            if (total > SeriesOrder.CollectCapacity) return false;
            keys = ArrayPool<ulong>.Shared.Rent((int)total + 1);
            long filled = 0;
            using (var reader = new StoredReader<T>(_series, _start, _end))
            {
                while (reader.Next(out var block))
                {
                    alongside?.Invoke(block);
                    filled = wanted is null ? CollectAll(block, keys, filled, ref visitor) : CollectWanted(block, keys, filled, wanted, ref visitor);
                }
            }
            if (filled != total) throw new InvalidOperationException("series changed during selection");
            var collected = keys.AsSpan(0, (int)total);
            // Ranks among the collected keys: the wanted digits below a target's digit come first.
            var order = all.Where(t => !t.Done).OrderBy(t => t.Rank).ToArray();
            var positions = new long[order.Length];
            var before = new long[order.Length];
            long sum = 0;
            for (int i = 0, d = 0; i < order.Length; i++)
            {
                int digit = top is null ? 0 : (int)order[i].Prefix;
                for (; d < digit; d++) sum += wanted![d] * top![d];
                before[i] = sum;
                positions[i] = sum + order[i].Rank - order[i].Below;
            }
            var selected = new ulong[order.Length];
            var atMost = new long[order.Length];
            KeySelection.Select(collected, positions, selected, atMost);
            for (int i = 0; i < order.Length; i++) order[i].Settle(selected[i], order[i].Below + atMost[i] - before[i]);
            if (cut is not null) tail = Above(collected, cut.Key);
            return true;
        }
        finally
        {
            if (wanted is not null) ArrayPool<byte>.Shared.Return(wanted);
            if (keys is not null) ArrayPool<ulong>.Shared.Return(keys);
        }
    }

    private static long CollectAll<TVisitor>(ReadOnlySpan<T> block, ulong[] keys, long filled, ref TVisitor visitor) where TVisitor : struct, IValueVisitor<T>
    {
        var local = visitor;
        var into = keys.AsSpan((int)filled, block.Length);
        for (int i = 0; i < block.Length; i++)
        {
            local.Visit(block[i]);
            into[i] = SeriesOrder.KeyOf(block[i]);
        }
        visitor = local;
        return filled + block.Length;
    }

    private static long CollectWanted<TVisitor>(ReadOnlySpan<T> block, ulong[] keys, long filled, byte[] wanted, ref TVisitor visitor)
        where TVisitor : struct, IValueVisitor<T>
    {
        var local = visitor;
        int f = (int)filled;
        foreach (T v in block)
        {
            local.Visit(v);
            ulong key = SeriesOrder.KeyOf(v);
            keys[f] = key;
            f += wanted[(int)(key >> 48)];
        }
        visitor = local;
        return f;
    }

    /// <summary>The group of every top digit from the tail rank's up, if its values fit the collection capacity (its targets join it).</summary>
    private Group? TailGroup(Target[] all, Target cut)
    {
        long n = Count;
        if (n - cut.Below > SeriesOrder.CollectCapacity) return null;
        var members = all.Where(t => t.Prefix >= cut.Prefix).ToList();
        foreach (var t in members) t.InTail = true;
        return new Group(cut.Prefix, 16, cut.Below, n - cut.Below, members) { IsRange = true };
    }

    /// <summary>Passes until every target is settled: collect the digits that fit, refine the others.</summary>
    private void Passes<TVisitor>(Target[] all, Group? tail, ref TVisitor visitor, BlockAction<T>? alongside) where TVisitor : struct, IValueVisitor<T>
    {
        bool first = true;
        while (true)
        {
            var groups = all.Where(t => !t.Done && !t.InTail).GroupBy(t => (t.Prefix, t.Bits))
                .Select(g => new Group(g.Key.Prefix, g.Key.Bits, g.First().Below, g.First().Count, g.ToList()))
                .OrderBy(g => g.Count).ToList();
            var active = new List<Group>();
            long capacity = SeriesOrder.CollectCapacity;
            if (tail is { Keys: null })
            {
                tail.Keys = ArrayPool<ulong>.Shared.Rent((int)Math.Max(1, tail.Count));
                capacity -= tail.Count;
                active.Add(tail);
            }
            foreach (var g in groups)
            {
                if (g.Bits == KeyBits)
                {
                    // One key: the digits so far spell it out.
                    foreach (var t in g.Targets) t.Settle(g.Prefix << (64 - g.Bits), t.Below + t.Count);
                    continue;
                }
                if (g.Count <= capacity)
                {
                    g.Keys = ArrayPool<ulong>.Shared.Rent((int)Math.Max(1, g.Count));
                    capacity -= g.Count;
                }
                else
                {
                    g.Histogram = ArrayPool<long>.Shared.Rent(Digits);
                    Array.Clear(g.Histogram, 0, Digits);
                }
                active.Add(g);
            }
            if (active.Count == 0 && !(first && (alongside is not null || typeof(TVisitor) != typeof(NoVisitor<T>)))) return;
            try
            {
                if (first) Pass(active, ref visitor, alongside);
                else
                {
                    var none = new NoVisitor<T>();
                    Pass(active, ref none, null);
                }
                first = false;
                foreach (var g in active)
                {
                    if (g.Keys is not null) Settle(g);
                    else Descend(g.Targets, g.Histogram!);
                }
            }
            finally
            {
                foreach (var g in active)
                {
                    if (g.Histogram is not null) ArrayPool<long>.Shared.Return(g.Histogram);
                    if (g.Keys is not null && g != tail) ArrayPool<ulong>.Shared.Return(g.Keys);
                    g.Histogram = null;
                }
            }
        }
    }

    /// <summary>One pass over the range: each value's key goes to its group's keys or histogram, if it has a group.</summary>
    private void Pass<TVisitor>(List<Group> active, ref TVisitor visitor, BlockAction<T>? alongside) where TVisitor : struct, IValueVisitor<T>
    {
        // A lookup from the top digit to a group; groups deeper than one digit that share a top digit are chained.
        // Groups in one pass are all at the same depth, except the tail's range of top digits.
        var lookup = ArrayPool<short>.Shared.Rent(Digits);
        try
        {
            Array.Fill(lookup, (short)-1, 0, Digits);
            var groups = active.ToArray();
            for (int i = 0; i < groups.Length; i++)
            {
                var g = groups[i];
                int top = (int)(g.Prefix >> (g.Bits - 16));
                int last = g.IsRange ? Digits - 1 : top;
                for (int d = top; d <= last; d++)
                {
                    if (lookup[d] >= 0) g.Next = groups[lookup[d]];
                    lookup[d] = (short)i;
                }
            }
            using var reader = new StoredReader<T>(_series, _start, _end);
            while (reader.Next(out var block))
            {
                alongside?.Invoke(block);
                Visit(block, ref visitor);
                if (groups.Length == 0) continue;
                foreach (T v in block)
                {
                    ulong key = SeriesOrder.KeyOf(v);
                    int index = lookup[(int)(key >> 48)];
                    if (index < 0) continue;
                    Group? g = groups[index];
                    while (g is not null && g.Bits > 16 && key >> (64 - g.Bits) != g.Prefix) g = g.Next;
                    if (g is null) continue;
                    if (g.Keys is { } keys) keys[g.Filled++] = key;
                    else g.Histogram![(int)((key >> (48 - g.Bits)) & 0xFFFF)]++;
                }
            }
        }
        finally
        {
            ArrayPool<short>.Shared.Return(lookup);
        }
    }

    /// <summary>Settles a collected group's targets in memory.</summary>
    private static void Settle(Group g)
    {
        if (g.Filled != g.Count) throw new InvalidOperationException("series changed during selection");
        var targets = g.Targets.OrderBy(t => t.Rank).ToArray();
        var within = targets.Select(t => t.Rank - g.Below).ToArray();
        var selected = new ulong[targets.Length];
        var atMost = new long[targets.Length];
        KeySelection.Select(g.Keys.AsSpan(0, g.Filled), within, selected, atMost);
        for (int i = 0; i < targets.Length; i++) targets[i].Settle(selected[i], g.Below + atMost[i]);
    }

    /// <summary>Moves targets that share a digit into the digits of the next level that hold their ranks (one sweep of the histogram).</summary>
    private static void Descend(IEnumerable<Target> targets, long[] hist)
    {
        long below = 0;
        int digit = 0;
        foreach (var t in targets.OrderBy(t => t.Rank))
        {
            long within = t.Rank - t.Below;
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

    /// <summary>The tail's collected values above <paramref name="cut"/>, ascending; returns the tail's buffer.</summary>
    private static double[] TailValues(Group tail, ulong cut)
    {
        try
        {
            return Above(tail.Keys.AsSpan(0, tail.Filled), cut);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(tail.Keys!);
        }
    }

    /// <summary>The values of the keys greater than <paramref name="cut"/>, ascending.</summary>
    private static double[] Above(ReadOnlySpan<ulong> keys, ulong cut)
    {
        int above = 0;
        foreach (ulong k in keys)
            if (k > cut) above++;
        var sorted = new ulong[above];
        int filled = 0;
        foreach (ulong k in keys)
            if (k > cut) sorted[filled++] = k;
        Array.Sort(sorted);
        var values = new double[above];
        for (int i = 0; i < above; i++) values[i] = SeriesOrder.ValueOf<T>(sorted[i]);
        return values;
    }

    private sealed class Target
    {
        public long Rank, Below, Count, AtMost;
        public ulong Prefix, Key;
        public int Bits;
        public bool Done, InTail;

        public void Settle(ulong key, long atMost)
        {
            Key = key;
            AtMost = atMost;
            Done = true;
        }
    }

    /// <summary>The targets in one digit (the tail: in a range of top digits from one up), and what the next pass gathers for them.</summary>
    private sealed class Group(ulong prefix, int bits, long below, long count, List<Target> targets)
    {
        public readonly ulong Prefix = prefix;
        public readonly int Bits = bits;
        public readonly long Below = below, Count = count;
        public readonly List<Target> Targets = targets;
        public bool IsRange;
        public Group? Next;
        public ulong[]? Keys;
        public long[]? Histogram;
        public int Filled;
    }
}
