using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using Simulator.Core.Randomness;

namespace Simulator.Cli.Bench;

/// <summary>
/// The machine's raw limit for credit simulation: 64-bit uniform draws compared with a threshold, counted,
/// as fast as this machine can do them, with nothing else in the loop. Three kernels, so the limit is the
/// best of them on whatever machine runs the benchmark: a scalar xoshiro256** (the textbook loop), two
/// interleaved 8-lane xoshiro256** generators in 512-bit vectors, and two interleaved 8-lane counter-based
/// SplitMix64 draws (the draw the engine uses). Each returns the number of draws below the threshold so the
/// work cannot be optimised away.
/// </summary>
public static class RawLimit
{
    /// <summary>The kernels by name.</summary>
    public static IReadOnlyList<(string Name, Func<ulong, long, ulong, long> Run)> Kernels { get; } =
    [
        ("xoshiro256** scalar", Scalar),
        ("xoshiro256** 2x8 lanes", Xoshiro512),
        ("splitmix64 counter 2x8 lanes", Counter512),
        ("splitmix64 counter 2x8 lanes, 32-bit halves", CounterHalves512),
    ];

    /// <summary>Scalar xoshiro256**: <paramref name="count"/> draws from <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long Scalar(ulong seed, long count, ulong threshold)
    {
        var rng = new Xoshiro256(seed);
        long hits = 0;
        for (long i = 0; i < count; i++) hits += rng.NextUInt64() < threshold ? 1 : 0;
        return hits;
    }

    /// <summary>Two interleaved 8-lane xoshiro256** generators (multiplications by 5 and 9 as shifts and adds);
    /// <paramref name="count"/> is rounded up to 16.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long Xoshiro512(ulong seed, long count, ulong threshold)
    {
        // State in plain locals whose address is never taken, or the JIT keeps it in memory (notes/performance.md).
        var state = SeedLanes(seed);
        Vector512<ulong> a0 = state[0], a1 = state[1], a2 = state[2], a3 = state[3], b0 = state[4], b1 = state[5], b2 = state[6], b3 = state[7];
        var t = Vector512.Create(threshold);
        long hits = 0;
        for (long i = 0; i < count; i += 16)
        {
            var x5 = a1 + (a1 << 2);
            var r7 = (x5 << 7) | (x5 >>> 57);
            var ra = r7 + (r7 << 3);
            var ta = a1 << 17;
            a2 ^= a0; a3 ^= a1; a1 ^= a2; a0 ^= a3; a2 ^= ta; a3 = (a3 << 45) | (a3 >>> 19);
            var y5 = b1 + (b1 << 2);
            var s7 = (y5 << 7) | (y5 >>> 57);
            var rb = s7 + (s7 << 3);
            var tb = b1 << 17;
            b2 ^= b0; b3 ^= b1; b1 ^= b2; b0 ^= b3; b2 ^= tb; b3 = (b3 << 45) | (b3 >>> 19);
            ulong m = Vector512.LessThan(ra, t).ExtractMostSignificantBits() | (Vector512.LessThan(rb, t).ExtractMostSignificantBits() << 8);
            hits += System.Numerics.BitOperations.PopCount(m);
        }
        return hits;
    }

    private static Vector512<ulong>[] SeedLanes(ulong seed)
    {
        var words = new ulong[64];
        for (int i = 0; i < words.Length; i++) words[i] = SplitMix64.Next(ref seed);
        return Enumerable.Range(0, 8).Select(k => Vector512.Create(words.AsSpan(8 * k, 8))).ToArray();
    }

    /// <summary>Two interleaved 8-lane counter-based SplitMix64 draws, Mix(key + i·γ), as the default kernel
    /// makes them; <paramref name="count"/> is rounded up to 16.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long Counter512(ulong seed, long count, ulong threshold)
    {
        const ulong gamma = CounterUniforms.Gamma;
        var x = Vector512.Create(SplitMix64.Mix(seed)) + Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * Vector512.Create(gamma);
        var step8 = Vector512.Create(unchecked(8 * gamma));
        var step16 = Vector512.Create(unchecked(16 * gamma));
        var t = Vector512.Create(threshold);
        long hits = 0;
        for (long i = 0; i < count; i += 16)
        {
            var z0 = SplitMix64.Mix(x);
            var z1 = SplitMix64.Mix(x + step8);
            x += step16;
            ulong m = Vector512.LessThan(z0, t).ExtractMostSignificantBits() | (Vector512.LessThan(z1, t).ExtractMostSignificantBits() << 8);
            hits += System.Numerics.BitOperations.PopCount(m);
        }
        return hits;
    }

    /// <summary>The same counter draws, each 64-bit output split into two 32-bit uniforms (as the default kernel
    /// uses them, with exact ties resolved by a second draw, which happens once in 2³² draws and is left out
    /// here); <paramref name="count"/> is rounded up to 32.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long CounterHalves512(ulong seed, long count, ulong threshold)
    {
        const ulong gamma = CounterUniforms.Gamma;
        var x = Vector512.Create(SplitMix64.Mix(seed)) + Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * Vector512.Create(gamma);
        var step8 = Vector512.Create(unchecked(8 * gamma));
        var step16 = Vector512.Create(unchecked(16 * gamma));
        var t = Vector512.Create((uint)(threshold >> 32));
        long hits = 0;
        for (long i = 0; i < count; i += 32)
        {
            var u0 = SplitMix64.Mix(x).AsUInt32();
            var u1 = SplitMix64.Mix(x + step8).AsUInt32();
            x += step16;
            ulong m = Vector512.LessThan(u0, t).ExtractMostSignificantBits() | (Vector512.LessThan(u1, t).ExtractMostSignificantBits() << 16);
            hits += System.Numerics.BitOperations.PopCount(m);
        }
        return hits;
    }
}
