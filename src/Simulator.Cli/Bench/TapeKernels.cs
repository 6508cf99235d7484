using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;

namespace Simulator.Cli.Bench;

/// <summary>
/// The default kernel on the benchmark tapes' shape (issue 19): one year of 10,000 loans whose grades are uniform and
/// in no order, every loan alive, scanned again and again, each pass with a new trial key. Rates are loans scanned per
/// CPU second of one thread (CPU time, not wall time, so a loaded machine does not move them), beside the raw limit
/// measured the same way, so the share of the raw limit is the kernel's own: what the lookup of each loan's threshold
/// costs, apart from settlement and the rest of a trial.
/// <list type="bullet">
/// <item>one threshold for every loan (what the kernel does for a book of one class);</item>
/// <item>20 and 100 grades looked up by class in registers (vpermt2d with AVX-512, vpermd tables with AVX2);</item>
/// <item>200 grades, thresholds copied per loan before the scan;</item>
/// <item>a prototype of the kernel grouped by class (issue 19's suggestion, benchmark-only): the loans ordered by class
/// once, each class's run compared against one broadcast threshold. A loan's draw stays keyed by its own index
/// (Mix(base + ⌊i/2⌋·step), half i mod 2), so grouping breaks the pairs that share a 64-bit output and the arithmetic
/// run of counters: each loan needs its own counter loaded, its own mix and a variable shift. Its hits are left in
/// grouped order (settlement would need them in loan order): a lower bound of its cost.</item>
/// </list>
/// </summary>
internal static class TapeKernels
{
    private const int Loans = 10_000, Words = (Loans + 63) / 64;

    /// <summary>The rates, each measured for about <paramref name="seconds"/> of CPU time.</summary>
    public static IReadOnlyList<Rate> All(double seconds)
    {
        var rates = new List<Rate>
        {
            Measure("raw limit: splitmix64 counter 2x8 lanes, 32-bit halves (CPU time)", seconds, pass => RawLimit.CounterHalves512((ulong)pass, Loans, Threshold(0.02))) with { IsRaw = true, Threads = 0 },
        };
        rates.Add(Measure("tape kernel: one threshold", seconds, OneThreshold()) with { Threads = 0 });
        foreach (int grades in new[] { 20, 100, 200 })
        {
            string how = grades <= DefaultKernel.MaxPermuteClasses && System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "looked up in registers (vpermt2d)"
                : grades <= DefaultKernel.MaxTableClasses ? "looked up in registers (vpermd)" : "copied per loan";
            rates.Add(Measure($"tape kernel: {grades} grades, {how}", seconds, ByClass(grades)) with { Threads = 0 });
        }
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) rates.Add(Measure("tape kernel: 20 grades, grouped by class (prototype)", seconds, Grouped(20)) with { Threads = 0 });
        return rates;
    }

    private static ulong Threshold(double p) => CounterUniforms.Threshold(p);

    /// <summary>A grade per loan, uniform and in no order, as make-tapes.py draws them; PDs geometric from 0.05% to 15%.</summary>
    private static (int[] ClassOf, ulong[] Threshold) Book(int grades)
    {
        var rng = new Xoshiro256((ulong)grades);
        var classOf = new int[Words * 64];
        for (int i = 0; i < Loans; i++) classOf[i] = (int)(rng.NextUInt64() % (ulong)grades);
        var threshold = Enumerable.Range(0, grades).Select(g => Threshold(0.0005 * Math.Pow(300, grades == 1 ? 0 : g / (grades - 1.0)))).ToArray();
        return (classOf, threshold);
    }

    private static Func<long, long> OneThreshold()
    {
        var alive = new ulong[Words];
        var hits = new ulong[Words];
        ulong t = Threshold(0.02);
        return pass =>
        {
            Fill(alive);
            return DefaultKernel.Scan((ulong)pass, 1, t, alive, hits, 0, Words);
        };
    }

    private static Func<long, long> ByClass(int grades)
    {
        var (classOf, threshold) = Book(grades);
        var high = threshold.Select(t => (uint)(t >> 32)).ToArray();
        var low = threshold.Select(t => (uint)t).ToArray();
        var loanHigh = new uint[classOf.Length];
        var alive = new ulong[Words];
        var hits = new ulong[Words];
        return pass =>
        {
            Fill(alive);
            return DefaultKernel.Scan((ulong)pass, 1, classOf, high, low, loanHigh, alive, hits, 0, Words);
        };
    }

    private static void Fill(ulong[] alive)
    {
        Array.Fill(alive, ulong.MaxValue);
        alive[^1] = ulong.MaxValue >> (Words * 64 - Loans);
    }

    private static Func<long, long> Grouped(int grades)
    {
        var (classOf, threshold) = Book(grades);
        // Load time: the loans ordered by class (stable), each one's counter offset ⌊i/2⌋·step with its half (i mod 2)
        // in the offset's lowest bit (the step's low ten bits are zero), and the runs of each class.
        var order = Enumerable.Range(0, Loans).OrderBy(i => classOf[i]).ToArray();
        var offset = new ulong[Loans + 8];
        for (int p = 0; p < Loans; p++) offset[p] = unchecked((ulong)(uint)(order[p] >> 1) * DefaultKernel.LoanStep) | (uint)(order[p] & 1);
        var runStart = new int[grades + 1];
        foreach (int c in classOf.AsSpan(0, Loans)) runStart[c + 1]++;
        for (int c = 0; c < grades; c++) runStart[c + 1] += runStart[c];
        var high = threshold.Select(t => (uint)(t >> 32)).ToArray();
        var hits = new ulong[Words + 1];
        return pass => ScanGrouped(DefaultKernel.YearBase((ulong)pass, 1, DefaultKernel.PurposeDefault), offset, runStart, high, hits);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long ScanGrouped(ulong drawBase, ulong[] offset, int[] runStart, uint[] high, ulong[] hits)
    {
        var baseVector = Vector512.Create(drawBase);
        var half = Vector512.Create(1UL);
        var notHalf = Vector512.Create(~1UL);
        var lanes = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        ref ulong off = ref MemoryMarshal.GetArrayDataReference(offset);
        long count = 0;
        Array.Clear(hits);
        for (int c = 0; c + 1 < runStart.Length; c++)
        {
            var t = Vector512.Create((ulong)high[c]);
            int start = runStart[c], end = runStart[c + 1];
            for (int p = start; p < end; p += 8)
            {
                var o = Vector512.LoadUnsafe(ref off, (nuint)p);
                var h = SplitMix64.Mix(baseVector + (o & notHalf));
                var u = System.Runtime.Intrinsics.X86.Avx512F.ShiftRightLogicalVariable(h, (o & half) << 5) & Vector512.Create(0xFFFF_FFFFUL);
                var inRun = Vector512.LessThan(lanes, Vector512.Create((long)(end - p))).AsUInt64();
                ulong m = (Vector512.LessThan(u, t) & inRun).ExtractMostSignificantBits();
                // Bits in grouped order (8 at a time, at any bit position).
                hits[p >> 6] |= m << (p & 63);
                if ((p & 63) > 56) hits[(p >> 6) + 1] |= m >> (64 - (p & 63));
                count += System.Numerics.BitOperations.PopCount(m);
            }
        }
        return count;
    }

    /// <summary>Calls <paramref name="pass"/> with new keys until about <paramref name="seconds"/> of this thread's CPU
    /// time have passed (after a warm-up); items are loans scanned.</summary>
    private static Rate Measure(string name, double seconds, Func<long, long> pass)
    {
        long hits = 0, passes = 0;
        for (int k = 0; k < 2000; k++) hits += pass(k); // JIT tiers
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        double used;
        do
        {
            for (int k = 0; k < 1000; k++) hits += pass(1_000_000 + passes++);
            used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        }
        while (used < seconds);
        if (hits <= 0) throw new InvalidOperationException($"{name}: no hits");
        return new Rate(name, (double)passes * Loans, "loans scanned per CPU s", used) { Note = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"wall {clock.Elapsed.TotalSeconds:F2} s") };
    }
}
