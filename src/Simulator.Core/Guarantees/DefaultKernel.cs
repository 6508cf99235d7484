using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Randomness;

namespace Simulator.Core.Guarantees;

/// <summary>
/// The innermost loop of a guarantee scheme: for every loan of a range in one year, the counter-based draw
/// Mix(key + (LoanIndex(i, t, default) + 1)·γ) compared with the loan's integer default threshold. Loans are
/// kept as a bit set (one bit per loan: alive), 64 loans to a word; a word's 64 draws are made eight at a
/// time in 512-bit lanes (two independent chains, so the multiplier pipelines stay full), the compare masks
/// are packed into one 64-bit word, ANDed with the alive word, and the defaults are written out as a word of
/// "hits" and removed from the alive set. The caller then settles the hits in loan order.
/// The scalar path gives the same bits on machines without 512-bit vectors, and the tests check both.
/// </summary>
public static class DefaultKernel
{
    /// <summary>Distance between the counters of loan i and loan i + 1 in the same year and purpose.</summary>
    public const ulong LoanStep = unchecked(CounterUniforms.Gamma << 10);

    /// <summary>Whether the 512-bit path is used (false on machines without it, or when tests force the scalar path).</summary>
    public static bool UseVectors { get; set; } = Vector512.IsHardwareAccelerated;

    /// <summary>The counter base of a year's default draws: the counter of loan i is base + i·<see cref="LoanStep"/>.</summary>
    public static ulong YearBase(ulong key, int year, int purpose) =>
        unchecked(key + (CounterUniforms.LoanIndex(0, year, purpose) + 1) * CounterUniforms.Gamma);

    /// <summary>
    /// Words <paramref name="firstWord"/> .. <paramref name="endWord"/> − 1 of <paramref name="alive"/>: every
    /// loan whose draw is below <paramref name="threshold"/> and that is alive defaults; its bit moves from
    /// <paramref name="alive"/> to <paramref name="hits"/>. Returns whether any loan defaulted.
    /// </summary>
    public static bool Scan(ulong yearBase, ulong threshold, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        if (endWord <= firstWord) return false;
        if (firstWord < 0 || endWord > alive.Length || endWord > hits.Length) throw new ArgumentOutOfRangeException(nameof(endWord));
        return UseVectors
            ? Scan512(yearBase, new SameThreshold(threshold), ref MemoryMarshal.GetArrayDataReference(alive), ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord)
            : ScanScalar(yearBase, threshold, null, alive, hits, firstWord, endWord);
    }

    /// <summary>As <see cref="Scan(ulong, ulong, ulong[], ulong[], int, int)"/> with a threshold per loan
    /// (<paramref name="thresholds"/> holds 64 entries per word).</summary>
    public static bool Scan(ulong yearBase, ulong[] thresholds, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        if (endWord <= firstWord) return false;
        if (firstWord < 0 || (long)endWord * 64 > thresholds.Length || endWord > alive.Length || endWord > hits.Length) throw new ArgumentOutOfRangeException(nameof(endWord));
        return UseVectors
            ? Scan512(yearBase, new PerLoanThreshold(ref MemoryMarshal.GetArrayDataReference(thresholds)), ref MemoryMarshal.GetArrayDataReference(alive),
                ref MemoryMarshal.GetArrayDataReference(hits), firstWord, endWord)
            : ScanScalar(yearBase, 0, thresholds, alive, hits, firstWord, endWord);
    }

    private static bool ScanScalar(ulong yearBase, ulong threshold, ulong[]? thresholds, ulong[] alive, ulong[] hits, int firstWord, int endWord)
    {
        ulong any = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong a = alive[w], m = 0;
            if (a != 0)
            {
                for (int b = 0; b < 64; b++)
                {
                    ulong i = (ulong)w * 64 + (ulong)b;
                    ulong t = thresholds is null ? threshold : thresholds[i];
                    if (SplitMix64.Mix(unchecked(yearBase + i * LoanStep)) < t) m |= 1UL << b;
                }
            }
            ulong h = m & a;
            hits[w] = h;
            alive[w] = a & ~h;
            any |= h;
        }
        return any != 0;
    }

    /// <summary>Where a lane's threshold comes from; a struct type argument, so the JIT compiles one loop per kind.</summary>
    private interface IThresholds
    {
        Vector512<ulong> At(int loan);
    }

    private readonly struct SameThreshold(ulong threshold) : IThresholds
    {
        private readonly Vector512<ulong> _t = Vector512.Create(threshold);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<ulong> At(int loan) => _t;
    }

    private readonly ref struct PerLoanThreshold(ref ulong first) : IThresholds
    {
        private readonly ref ulong _first = ref first;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<ulong> At(int loan) => Vector512.LoadUnsafe(in _first, (nuint)loan);
    }

    // No calls inside the loop: Linux x64 has no callee-saved vector registers, so a call would spill every
    // vector each iteration (shared/notes/performance.md). Two chains of eight lanes keep the multipliers busy.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Scan512<T>(ulong yearBase, T thresholds, ref ulong alive, ref ulong hits, int firstWord, int endWord)
        where T : IThresholds, allows ref struct
    {
        if (endWord > int.MaxValue / 64) throw new ArgumentOutOfRangeException(nameof(endWord));
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(LoanStep);
        var step8 = Vector512.Create(unchecked(8 * LoanStep));
        var step16 = Vector512.Create(unchecked(16 * LoanStep));
        ulong any = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong a = Unsafe.Add(ref alive, w);
            ulong m = 0;
            if (a != 0)
            {
                var x = Vector512.Create(unchecked(yearBase + (ulong)w * 64 * LoanStep)) + lanes;
                for (int k = 0; k < 64; k += 16)
                {
                    var z0 = SplitMix64.Mix(x);
                    var z1 = SplitMix64.Mix(x + step8);
                    x += step16;
                    ulong pair = Vector512.LessThan(z0, thresholds.At(w * 64 + k)).ExtractMostSignificantBits()
                        | (Vector512.LessThan(z1, thresholds.At(w * 64 + k + 8)).ExtractMostSignificantBits() << 8);
                    m |= pair << k;
                }
            }
            ulong h = m & a;
            Unsafe.Add(ref hits, w) = h;
            Unsafe.Add(ref alive, w) = a & ~h;
            any |= h;
        }
        return any != 0;
    }
}
