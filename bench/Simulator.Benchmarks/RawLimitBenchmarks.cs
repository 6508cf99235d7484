using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Simulator.Benchmarks;

/// <summary>
/// The raw limit of a credit simulation: xoshiro256** uniforms compared with a threshold (a PD of 2%), the
/// innermost operation per loan-year, which no engine can beat. One operation is one draw compared.
/// <list type="bullet">
/// <item><see cref="Scalar"/>: one generator, state in locals (as <c>simulator bench</c> measures it).</item>
/// <item><see cref="Vector256x2"/>: two interleaved 4-lane generators (<see cref="Vector256{T}"/>), 8 draws a step.</item>
/// <item><see cref="Vector512x2"/>: two interleaved 8-lane generators (<see cref="Vector512{T}"/>), 16 draws a step:
/// the honest raw limit on an AVX-512 machine.</item>
/// <item><see cref="Vector512x2AllCores"/>: the same on every core, each thread with its own generators.</item>
/// </list>
/// The uniform is the top 53 bits, as in Simulator's <c>((x &gt;&gt; 11) + 0.5) / 2^53</c>; comparing the 64-bit
/// output with the threshold shifted left by 11 is exactly the same test, without the shift. Hits are counted so that the work cannot be optimised away. The
/// generators are self-contained here (not Simulator.Core's), so these figures do not move with the engine's code.
/// Without hardware support for 512-bit vectors .NET emulates them and <see cref="Vector512x2"/> is slow.
/// </summary>
public class RawLimitBenchmarks
{
    /// <summary>Draws per invocation.</summary>
    public const int Draws = 1 << 22;

    // uniform = (k + 0.5) / 2^53 with k = x >> 11; uniform < 0.02  <=>  k + 0.5 < 0.02 * 2^53 = 180143985094819.84
    // <=>  k < 180143985094820  <=>  x < 180143985094820 << 11 (one shift fewer per draw).
    private const ulong Threshold = 180143985094820UL << 11;

    private readonly ulong[] _scalar = new ulong[4];
    private readonly ulong[] _v256 = new ulong[2 * 4 * 4];
    private readonly ulong[] _v512 = new ulong[2 * 4 * 8];
    private ulong[][] _perThread = [];
    private long[] _threadHits = [];

    /// <summary>Seeds every lane's state with SplitMix64.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ulong seed = 20250607;
        Fill(_scalar, ref seed);
        Fill(_v256, ref seed);
        Fill(_v512, ref seed);
        int threads = Environment.ProcessorCount;
        _perThread = Enumerable.Range(0, threads).Select(_ => new ulong[2 * 4 * 8]).ToArray();
        foreach (var state in _perThread) Fill(state, ref seed);
        _threadHits = new long[threads];
    }

    /// <summary>Scalar xoshiro256**: one draw and one compare per step.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Draws)]
    public long Scalar() => ScalarKernel(_scalar, Draws);

    /// <summary>Two interleaved 4-lane generators.</summary>
    [Benchmark(OperationsPerInvoke = Draws)]
    public long Vector256x2() => Vector256Kernel(_v256, Draws);

    /// <summary>Two interleaved 8-lane generators.</summary>
    [Benchmark(OperationsPerInvoke = Draws)]
    public long Vector512x2() => Vector512Kernel(_v512, Draws);

    /// <summary>The engine's own draw: Simulator.Core's counter-based SplitMix64 in two chains of 8 lanes
    /// (<c>RawLimit.Counter512</c>, the kernel <c>simulator bench</c> usually finds fastest).</summary>
    [Benchmark(OperationsPerInvoke = Draws)]
    public long CounterSplitMix512x2() => Simulator.Cli.Bench.RawLimit.Counter512(20250607, Draws, Threshold);

    /// <summary>Two interleaved 8-lane generators on every core (Draws split evenly over the cores).</summary>
    [Benchmark(OperationsPerInvoke = Draws)]
    public long Vector512x2AllCores()
    {
        int threads = _perThread.Length;
        long each = Draws / threads / 16 * 16;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => _threadHits[t] = Vector512Kernel(_perThread[t], each));
        return _threadHits.Sum();
    }

    private static void Fill(ulong[] state, ref ulong seed)
    {
        for (int i = 0; i < state.Length; i++)
        {
            seed += 0x9E3779B97F4A7C15UL;
            ulong z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            state[i] = z ^ (z >> 31);
        }
    }

    // Each kernel keeps its state in locals for the whole loop and has no calls inside it (see the shared notes:
    // a call or an address-taken state costs 2.5x).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ScalarKernel(ulong[] state, long count)
    {
        ulong s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
        long hits = 0;
        for (long i = 0; i < count; i++)
        {
            ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
            ulong t = s1 << 17;
            s2 ^= s0;
            s3 ^= s1;
            s1 ^= s2;
            s0 ^= s3;
            s2 ^= t;
            s3 = BitOperations.RotateLeft(s3, 45);
            hits += result < Threshold ? 1 : 0;
        }
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        return hits;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Vector256Kernel(ulong[] state, long count)
    {
        ref ulong r = ref MemoryMarshal.GetArrayDataReference(state);
        Vector256<ulong> a0 = Vector256.LoadUnsafe(ref r, 0), a1 = Vector256.LoadUnsafe(ref r, 4),
            a2 = Vector256.LoadUnsafe(ref r, 8), a3 = Vector256.LoadUnsafe(ref r, 12);
        Vector256<ulong> b0 = Vector256.LoadUnsafe(ref r, 16), b1 = Vector256.LoadUnsafe(ref r, 20),
            b2 = Vector256.LoadUnsafe(ref r, 24), b3 = Vector256.LoadUnsafe(ref r, 28);
        var threshold = Vector256.Create(Threshold);
        Vector256<ulong> hitsA = Vector256<ulong>.Zero, hitsB = Vector256<ulong>.Zero;
        for (long i = 0; i < count; i += 8)
        {
            var x = a1 + (a1 << 2);            // s1 * 5, rotl 7, * 9 as shifts and adds
            x = Rotl(x, 7);
            x += x << 3;
            var t = a1 << 17;
            a2 ^= a0;
            a3 ^= a1;
            a1 ^= a2;
            a0 ^= a3;
            a2 ^= t;
            a3 = Rotl(a3, 45);
            hitsA -= Vector256.LessThan(x, threshold);   // true lanes are all ones, i.e. -1

            var y = b1 + (b1 << 2);
            y = Rotl(y, 7);
            y += y << 3;
            var u = b1 << 17;
            b2 ^= b0;
            b3 ^= b1;
            b1 ^= b2;
            b0 ^= b3;
            b2 ^= u;
            b3 = Rotl(b3, 45);
            hitsB -= Vector256.LessThan(y, threshold);
        }
        a0.StoreUnsafe(ref r, 0); a1.StoreUnsafe(ref r, 4); a2.StoreUnsafe(ref r, 8); a3.StoreUnsafe(ref r, 12);
        b0.StoreUnsafe(ref r, 16); b1.StoreUnsafe(ref r, 20); b2.StoreUnsafe(ref r, 24); b3.StoreUnsafe(ref r, 28);
        return (long)Vector256.Sum(hitsA + hitsB);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Vector512Kernel(ulong[] state, long count)
    {
        ref ulong r = ref MemoryMarshal.GetArrayDataReference(state);
        Vector512<ulong> a0 = Vector512.LoadUnsafe(ref r, 0), a1 = Vector512.LoadUnsafe(ref r, 8),
            a2 = Vector512.LoadUnsafe(ref r, 16), a3 = Vector512.LoadUnsafe(ref r, 24);
        Vector512<ulong> b0 = Vector512.LoadUnsafe(ref r, 32), b1 = Vector512.LoadUnsafe(ref r, 40),
            b2 = Vector512.LoadUnsafe(ref r, 48), b3 = Vector512.LoadUnsafe(ref r, 56);
        var threshold = Vector512.Create(Threshold);
        Vector512<ulong> hitsA = Vector512<ulong>.Zero, hitsB = Vector512<ulong>.Zero;
        for (long i = 0; i < count; i += 16)
        {
            var x = a1 + (a1 << 2);
            x = Rotl(x, 7);
            x += x << 3;
            var t = a1 << 17;
            a2 ^= a0;
            a3 ^= a1;
            a1 ^= a2;
            a0 ^= a3;
            a2 ^= t;
            a3 = Rotl(a3, 45);
            hitsA -= Vector512.LessThan(x, threshold);

            var y = b1 + (b1 << 2);
            y = Rotl(y, 7);
            y += y << 3;
            var u = b1 << 17;
            b2 ^= b0;
            b3 ^= b1;
            b1 ^= b2;
            b0 ^= b3;
            b2 ^= u;
            b3 = Rotl(b3, 45);
            hitsB -= Vector512.LessThan(y, threshold);
        }
        a0.StoreUnsafe(ref r, 0); a1.StoreUnsafe(ref r, 8); a2.StoreUnsafe(ref r, 16); a3.StoreUnsafe(ref r, 24);
        b0.StoreUnsafe(ref r, 32); b1.StoreUnsafe(ref r, 40); b2.StoreUnsafe(ref r, 48); b3.StoreUnsafe(ref r, 56);
        return (long)Vector512.Sum(hitsA + hitsB);
    }

    // Rotations: AVX-512's vprolq when present (the JIT does not fuse the two shifts into it), else shifts.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotl(Vector256<ulong> v, [ConstantExpected] byte n) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(v, n) : (v << n) | (v >>> (64 - n));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Rotl(Vector512<ulong> v, [ConstantExpected] byte n) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(v, n) : (v << n) | (v >>> (64 - n));
}
