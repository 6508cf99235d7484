using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Simulator.Core.Randomness;

namespace Simulator.Core.Guarantees;

/// <summary>
/// The innermost loop of a guarantee scheme: every loan of a range draws, in one year, a uniform compared with
/// its default threshold T = p·2⁶⁴ (<see cref="CounterUniforms.Threshold"/>). The draws are counter-based, so
/// a loan's draw depends only on (trial key, scheme, year, loan):
/// <list type="bullet">
/// <item>loans 2j and 2j + 1 share one SplitMix64 output h = Mix(YearBase(key, t, default) + j·step); loan 2j
/// takes its low 32 bits, loan 2j + 1 its high 32 bits (u);</item>
/// <item>the loan defaults when u &lt; T_high (the top 32 bits of T), or, when u = T_high (probability 2⁻³²),
/// when the top 32 bits of a second draw Mix(YearBase(key, t, refine) + i·step) are below T_low (T's low 32
/// bits): the default probability is exactly T/2⁶⁴ (<see cref="Defaults(ulong, int, int, ulong)"/> is this definition, loan by loan).</item>
/// </list>
/// One 64-bit mix thus serves two loans, which halves the multiplications of the loop. Loans are kept as a
/// bit set (one bit per loan: alive), 64 loans to a word; a word's draws are made sixteen loans at a time in
/// 512-bit lanes (two independent chains, so the multiplier pipelines stay full), the compare masks are packed
/// into one 64-bit word, ANDed with the alive word, and the defaults are written out as a word of "hits" and
/// removed from the alive set; the caller settles the hits in loan order. The vector path is also taken on machines
/// with 256-bit vectors only (AVX2), where .NET runs each 512-bit operation as two 256-bit ones: twice as fast as the
/// scalar path there. The scalar path gives the same bits on machines without either, and the tests check both
/// against <see cref="Defaults(ulong, int, int, ulong)"/>.
/// </summary>
public static class DefaultKernel
{
    /// <summary>Distance between the counters of loan (or pair) i and i + 1 in the same year and purpose.</summary>
    public const ulong LoanStep = unchecked(CounterUniforms.Gamma << 10);

    /// <summary>Draw purposes (the last two bits of <see cref="CounterUniforms.LoanIndex"/>).</summary>
    public const int PurposeDefault = 1, PurposeRefine = 3;

    /// <summary>Whether the vector path is used (false on machines without 256-bit vectors, or when tests force the scalar path).</summary>
    public static bool UseVectors { get; set; } = Vector256.IsHardwareAccelerated;

    /// <summary>The most risk classes <see cref="Scan(ulong, int, int[], uint[], uint[], uint[], ulong[], ulong[], int, int)"/>
    /// looks up inside the vector loop (four 8-entry permutation tables); with more it fills a threshold per loan first.</summary>
    public const int MaxTableClasses = 32;

    /// <summary>The most risk classes the vector loop looks up by two-table permutations (vpermt2d, 32 entries each) where
    /// AVX-512 is native; with more it fills a threshold per loan first.</summary>
    public const int MaxPermuteClasses = 128;

    /// <summary>The counter base of a year's draws for a purpose: the counter of loan i is base + i·<see cref="LoanStep"/>.</summary>
    public static ulong YearBase(ulong key, int year, int purpose) =>
        unchecked(key + (CounterUniforms.LoanIndex(0, year, purpose) + 1) * CounterUniforms.Gamma);

    /// <summary>The definition: whether loan <paramref name="loan"/> defaults in <paramref name="year"/> against
    /// the 64-bit threshold <paramref name="threshold"/>.</summary>
    public static bool Defaults(ulong key, int year, int loan, ulong threshold) =>
        Defaults(YearBase(key, year, PurposeDefault), YearBase(key, year, PurposeRefine), loan, (uint)(threshold >> 32), (uint)threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Defaults(ulong drawBase, ulong refineBase, int loan, uint high, uint low)
    {
        ulong h = SplitMix64.Mix(unchecked(drawBase + (ulong)(loan >> 1) * LoanStep));
        uint u = (loan & 1) == 0 ? (uint)h : (uint)(h >> 32);
        return u < high || (u == high && Refine(refineBase, loan) < low);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Refine(ulong refineBase, int loan) => (uint)(SplitMix64.Mix(unchecked(refineBase + (ulong)loan * LoanStep)) >> 32);

    /// <summary>
    /// Words <paramref name="firstWord"/> .. <paramref name="endWord"/> − 1 of <paramref name="alive"/> in
    /// <paramref name="year"/>: every alive loan whose draw falls below <paramref name="threshold"/> defaults;
    /// its bit moves from <paramref name="alive"/> to <paramref name="hits"/> (every word of the range is written). Returns the number of loans that defaulted.
    /// </summary>
    public static long Scan(ulong key, int year, ulong threshold, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        if (endWord <= firstWord) return 0;
        if (firstWord < 0 || endWord > alive.Length || endWord > hits.Length || endWord > int.MaxValue / 64) throw new ArgumentOutOfRangeException(nameof(endWord));
        ulong drawBase = YearBase(key, year, PurposeDefault), refineBase = YearBase(key, year, PurposeRefine);
        var same = new SameThreshold((uint)(threshold >> 32), (uint)threshold);
        return UseVectors
            ? Scan512(drawBase, refineBase, same, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord)
            : ScanScalar(drawBase, refineBase, same, alive, hits, firstWord, endWord);
    }

    /// <summary>As <see cref="Scan(ulong, int, ulong, ulong[], ulong[], int, int)"/> with a threshold per loan, split
    /// into its top (<paramref name="high"/>) and bottom (<paramref name="low"/>) 32 bits, 64 entries per word.</summary>
    public static long Scan(ulong key, int year, uint[] high, uint[] low, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        if (endWord <= firstWord) return 0;
        if (firstWord < 0 || (long)endWord * 64 > high.Length || (long)endWord * 64 > low.Length || endWord > alive.Length || endWord > hits.Length)
            throw new ArgumentOutOfRangeException(nameof(endWord));
        ulong drawBase = YearBase(key, year, PurposeDefault), refineBase = YearBase(key, year, PurposeRefine);
        var perLoan = new PerLoanThreshold(ref MemoryMarshal.GetArrayDataReference(high), low);
        return UseVectors
            ? Scan512(drawBase, refineBase, perLoan, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord)
            : ScanScalar(drawBase, refineBase, perLoan, alive, hits, firstWord, endWord);
    }

    /// <summary>
    /// As <see cref="Scan(ulong, int, ulong, ulong[], ulong[], int, int)"/> with a threshold per risk class: loan i's
    /// threshold has top bits <paramref name="classHigh"/>[<paramref name="classOf"/>[i]] and bottom bits
    /// <paramref name="classLow"/>[…]. <paramref name="classOf"/> must cover every loan of the words scanned (64 per word;
    /// entries past the last loan may be any class). With at most <see cref="MaxPermuteClasses"/> classes and native
    /// AVX-512, or at most <see cref="MaxTableClasses"/> and AVX2, the vector loop looks the thresholds up itself, sixteen
    /// loans at a time by permutations of registers, so nothing is written per loan; otherwise the top bits are first copied per loan into <paramref name="loanHigh"/> (as long
    /// as <paramref name="classOf"/>) and the loop reads them from there.
    /// </summary>
    public static long Scan(ulong key, int year, int[] classOf, uint[] classHigh, uint[] classLow, uint[] loanHigh, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        if (endWord <= firstWord) return 0;
        if (firstWord < 0 || (long)endWord * 64 > classOf.Length || endWord > alive.Length || endWord > hits.Length || classLow.Length != classHigh.Length)
            throw new ArgumentOutOfRangeException(nameof(endWord));
        ulong drawBase = YearBase(key, year, PurposeDefault), refineBase = YearBase(key, year, PurposeRefine);
        if (UseVectors && Avx512F.IsSupported && classHigh.Length <= 32)
        {
            var table = new ClassPair512(ref MemoryMarshal.GetArrayDataReference(classOf), classHigh, classLow);
            return Scan512(drawBase, refineBase, table, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord);
        }
        if (UseVectors && Avx512F.IsSupported && classHigh.Length <= MaxPermuteClasses)
        {
            var table = new ClassTable512(ref MemoryMarshal.GetArrayDataReference(classOf), classHigh, classLow);
            return Scan512(drawBase, refineBase, table, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord);
        }
        if (UseVectors && Avx2.IsSupported && classHigh.Length <= MaxTableClasses)
        {
            var table = new ClassTable(ref MemoryMarshal.GetArrayDataReference(classOf), classHigh, classLow);
            return Scan512(drawBase, refineBase, table, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord);
        }
        if (loanHigh.Length < classOf.Length) throw new ArgumentException("the per-loan thresholds must be as long as the classes", nameof(loanHigh));
        for (int i = firstWord * 64, stop = endWord * 64; i < stop; i++) loanHigh[i] = classHigh[classOf[i]];
        var filled = new FilledThreshold(ref MemoryMarshal.GetArrayDataReference(loanHigh), classOf, classLow);
        return UseVectors
            ? Scan512(drawBase, refineBase, filled, ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord)
            : ScanScalar(drawBase, refineBase, filled, alive, hits, firstWord, endWord);
    }

    /// <summary>Where a loan's threshold comes from; a struct type argument, so the JIT compiles one loop per kind.</summary>
    private interface IThresholds
    {
        /// <summary>The top 32 bits of the thresholds of loans <paramref name="loan"/> .. + 15.</summary>
        Vector512<uint> High16(int loan);

        /// <summary>The top 32 bits of one loan's threshold.</summary>
        uint High(int loan);

        /// <summary>The bottom 32 bits of one loan's threshold.</summary>
        uint Low(int loan);
    }

    private readonly struct SameThreshold(uint high, uint low) : IThresholds
    {
        private readonly Vector512<uint> _high = Vector512.Create(high);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan) => _high;

        public uint High(int loan) => high;

        public uint Low(int loan) => low;
    }

    private readonly ref struct PerLoanThreshold(ref uint high, uint[] low) : IThresholds
    {
        private readonly ref uint _high = ref high;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan) => Vector512.LoadUnsafe(in _high, (nuint)loan);

        public uint High(int loan) => Unsafe.Add(ref _high, loan);

        public uint Low(int loan) => low[loan];
    }

    /// <summary>Top bits copied per loan; bottom bits (needed only for ties) looked up by class.</summary>
    private readonly ref struct FilledThreshold(ref uint high, int[] classOf, uint[] classLow) : IThresholds
    {
        private readonly ref uint _high = ref high;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan) => Vector512.LoadUnsafe(in _high, (nuint)loan);

        public uint High(int loan) => Unsafe.Add(ref _high, loan);

        public uint Low(int loan) => classLow[classOf[loan]];
    }

    /// <summary>
    /// Up to 32 classes' top bits in four 8-entry tables held in registers: a loan's entry is picked from each table by
    /// the low three bits of its class (vpermd) and the table by the class's higher bits, eight loans at a time.
    /// </summary>
    private readonly ref struct ClassTable : IThresholds
    {
        private readonly ref int _classOf;
        private readonly uint[] _high, _low;
        private readonly Vector256<uint> _t0, _t1, _t2, _t3;
        private readonly int _tables;

        public ClassTable(ref int classOf, uint[] high, uint[] low)
        {
            _classOf = ref classOf;
            _high = high;
            _low = low;
            Span<uint> padded = stackalloc uint[MaxTableClasses];
            padded.Clear();
            high.CopyTo(padded);
            _t0 = Vector256.Create(padded.Slice(0, 8));
            _t1 = Vector256.Create(padded.Slice(8, 8));
            _t2 = Vector256.Create(padded.Slice(16, 8));
            _t3 = Vector256.Create(padded.Slice(24, 8));
            _tables = (high.Length + 7) / 8;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan) =>
            Vector512.Create(Lookup(Vector256.LoadUnsafe(ref _classOf, (nuint)loan)), Lookup(Vector256.LoadUnsafe(ref _classOf, (nuint)loan + 8)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private Vector256<uint> Lookup(Vector256<int> c)
        {
            var index = c.AsUInt32();
            var r = Avx2.PermuteVar8x32(_t0, index);
            if (_tables > 1) r = Vector256.ConditionalSelect(Vector256.GreaterThan(c, Vector256.Create(7)).AsUInt32(), Avx2.PermuteVar8x32(_t1, index), r);
            if (_tables > 2) r = Vector256.ConditionalSelect(Vector256.GreaterThan(c, Vector256.Create(15)).AsUInt32(), Avx2.PermuteVar8x32(_t2, index), r);
            if (_tables > 3) r = Vector256.ConditionalSelect(Vector256.GreaterThan(c, Vector256.Create(23)).AsUInt32(), Avx2.PermuteVar8x32(_t3, index), r);
            return r;
        }

        public uint High(int loan) => _high[Unsafe.Add(ref _classOf, loan)];

        public uint Low(int loan) => _low[Unsafe.Add(ref _classOf, loan)];
    }

    /// <summary>Up to 32 classes' top bits in two 16-entry registers where AVX-512 is native: one vpermt2d for sixteen
    /// loans, no choice of table (a loop of its own: the choice among four pairs of <see cref="ClassTable512"/>, even
    /// predicted, cost a fifth of the kernel's rate on the 20-grade tape).</summary>
    private readonly ref struct ClassPair512 : IThresholds
    {
        private readonly ref int _classOf;
        private readonly uint[] _high, _low;
        private readonly Vector512<uint> _t0, _t1;

        public ClassPair512(ref int classOf, uint[] high, uint[] low)
        {
            _classOf = ref classOf;
            _high = high;
            _low = low;
            Span<uint> padded = stackalloc uint[32];
            padded.Clear();
            high.CopyTo(padded);
            _t0 = Vector512.Create<uint>(padded.Slice(0, 16));
            _t1 = Vector512.Create<uint>(padded.Slice(16, 16));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan) => Avx512F.PermuteVar16x32x2(_t0, Vector512.LoadUnsafe(ref _classOf, (nuint)loan).AsUInt32(), _t1);

        public uint High(int loan) => _high[Unsafe.Add(ref _classOf, loan)];

        public uint Low(int loan) => _low[Unsafe.Add(ref _classOf, loan)];
    }

    /// <summary>
    /// Up to 128 classes' top bits in eight 16-entry registers where AVX-512 is native: sixteen loans' entries are picked
    /// from each pair of registers (32 entries) by one vpermt2d on the low five bits of their classes, and the pair by
    /// the higher bits (one compare and one blend per further pair). With 20 grades a lookup is two instructions for
    /// sixteen loans (the load of their classes and the permutation), against twelve for the 256-bit tables of
    /// <see cref="ClassTable"/> and three memory operations a loan for the copied thresholds above 32 classes.
    /// </summary>
    private readonly ref struct ClassTable512 : IThresholds
    {
        private readonly ref int _classOf;
        private readonly uint[] _high, _low;
        private readonly Vector512<uint> _t0, _t1, _t2, _t3, _t4, _t5, _t6, _t7;

        public ClassTable512(ref int classOf, uint[] high, uint[] low)
        {
            _classOf = ref classOf;
            _high = high;
            _low = low;
            Span<uint> padded = stackalloc uint[MaxPermuteClasses];
            padded.Clear();
            high.CopyTo(padded);
            _t0 = Vector512.Create<uint>(padded.Slice(0, 16));
            _t1 = Vector512.Create<uint>(padded.Slice(16, 16));
            _t2 = Vector512.Create<uint>(padded.Slice(32, 16));
            _t3 = Vector512.Create<uint>(padded.Slice(48, 16));
            _t4 = Vector512.Create<uint>(padded.Slice(64, 16));
            _t5 = Vector512.Create<uint>(padded.Slice(80, 16));
            _t6 = Vector512.Create<uint>(padded.Slice(96, 16));
            _t7 = Vector512.Create<uint>(padded.Slice(112, 16));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> High16(int loan)
        {
            var c = Vector512.LoadUnsafe(ref _classOf, (nuint)loan).AsUInt32();
            // All four pairs whatever the count (the pairs past the last class are never chosen): no branch in the loop.
            var r = Avx512F.PermuteVar16x32x2(_t0, c, _t1);
            r = Vector512.ConditionalSelect(Vector512.GreaterThan(c, Vector512.Create(31u)), Avx512F.PermuteVar16x32x2(_t2, c, _t3), r);
            r = Vector512.ConditionalSelect(Vector512.GreaterThan(c, Vector512.Create(63u)), Avx512F.PermuteVar16x32x2(_t4, c, _t5), r);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(c, Vector512.Create(95u)), Avx512F.PermuteVar16x32x2(_t6, c, _t7), r);
        }

        public uint High(int loan) => _high[Unsafe.Add(ref _classOf, loan)];

        public uint Low(int loan) => _low[Unsafe.Add(ref _classOf, loan)];
    }

    private static long ScanScalar<T>(ulong drawBase, ulong refineBase, T thresholds, ulong[] alive, ulong[] hits, int firstWord, int endWord)
        where T : IThresholds, allows ref struct
    {
        long count = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong a = alive[w], m = 0;
            for (ulong rest = a; rest != 0; rest &= rest - 1)
            {
                int b = System.Numerics.BitOperations.TrailingZeroCount(rest), i = w * 64 + b;
                if (Defaults(drawBase, refineBase, i, thresholds.High(i), thresholds.Low(i))) m |= 1UL << b;
            }
            hits[w] = m;
            alive[w] = a & ~m;
            count += System.Numerics.BitOperations.PopCount(m);
        }
        return count;
    }

    // No calls inside the inner loop: Linux x64 has no callee-saved vector registers, so a call would spill every
    // vector each iteration (shared/notes/performance.md). The rare ties (u = T_high) are resolved after it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Scan512<T>(ulong drawBase, ulong refineBase, T thresholds, ref ulong alive, ref ulong hits, int firstWord, int endWord)
        where T : IThresholds, allows ref struct
    {
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(LoanStep);
        var step8 = Vector512.Create(unchecked(8 * LoanStep));
        var step16 = Vector512.Create(unchecked(16 * LoanStep));
        long count = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong a = Unsafe.Add(ref alive, w);
            ulong m = 0;
            if (a != 0)
            {
                // Pairs 32w .. 32w + 31 hold loans 64w .. 64w + 63: lane L of a vector of pairs p0 + L gives uint lanes
                // 2L (loan 2(p0 + L)) and 2L + 1 (loan 2(p0 + L) + 1), so the 16-bit compare mask is in loan order.
                // Ties (u = T_high, once in 2³² draws) are only noted in a vector here and looked for after the loop.
                var x = Vector512.Create(unchecked(drawBase + (ulong)w * 32 * LoanStep)) + lanes;
                ulong atMost = 0;
                for (int j = 0; j < 64; j += 32)
                {
                    var u0 = SplitMix64.Mix(x).AsUInt32();
                    var u1 = SplitMix64.Mix(x + step8).AsUInt32();
                    x += step16;
                    var t0 = thresholds.High16(w * 64 + j);
                    var t1 = thresholds.High16(w * 64 + j + 16);
                    ulong below = Vector512.LessThan(u0, t0).ExtractMostSignificantBits() | (Vector512.LessThan(u1, t1).ExtractMostSignificantBits() << 16);
                    ulong belowOrEqual = Vector512.LessThanOrEqual(u0, t0).ExtractMostSignificantBits() | (Vector512.LessThanOrEqual(u1, t1).ExtractMostSignificantBits() << 16);
                    m |= below << j;
                    atMost |= belowOrEqual << j;
                }
                // A tie (u = T_high) is a loan at or below but not below its threshold's top bits.
                if (atMost != m) m = ResolveTies(drawBase, refineBase, thresholds, w, a);
            }
            ulong h = m & a;
            Unsafe.Add(ref hits, w) = h;
            Unsafe.Add(ref alive, w) = a & ~h;
            count += System.Numerics.BitOperations.PopCount(h);
        }
        return count;
    }

    /// <summary>A word in which some draw tied with its threshold's top bits: all its alive loans by the definition.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ResolveTies<T>(ulong drawBase, ulong refineBase, T thresholds, int w, ulong alive)
        where T : IThresholds, allows ref struct
    {
        ulong m = 0;
        for (; alive != 0; alive &= alive - 1)
        {
            int b = System.Numerics.BitOperations.TrailingZeroCount(alive), i = w * 64 + b;
            if (Defaults(drawBase, refineBase, i, thresholds.High(i), thresholds.Low(i))) m |= 1UL << b;
        }
        return m;
    }
}
