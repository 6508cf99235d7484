using System.Numerics;
using System.Runtime.CompilerServices;

namespace Simulator.Core.Randomness;

/// <summary>
/// xoshiro256** generator (Blackman &amp; Vigna) as a plain mutable struct. It is not thread-safe on purpose:
/// each trial (and each item within a trial) owns its own instance, so no locking is ever needed and the
/// state stays in registers in hot loops (see shared notes: about 870 M draws/s per core here).
/// </summary>
public struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose 256-bit state is expanded from <paramref name="seed"/> with SplitMix64.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0) _s0 = 1; // the all-zero state is a fixed point
    }

    /// <summary>Next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>
    /// A uniform draw strictly inside (0, 1): the top 53 bits plus one half, so that inverse CDFs
    /// (including the normal's) never see 0 or 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextOpenUnit() => CounterUniforms.ToOpenUnit(NextUInt64());
}

/// <summary>SplitMix64 (Steele, Lea, Flood), used to expand seeds and to mix stream keys.</summary>
public static class SplitMix64
{
    /// <summary>Advances <paramref name="state"/> and returns the next mixed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>The SplitMix64 finaliser: a bijective avalanche of 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The finaliser on eight lanes at once (the same bits as <see cref="Mix(ulong)"/> lane by lane);
    /// inlined, so a loop that calls it keeps its vectors in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static System.Runtime.Intrinsics.Vector512<ulong> Mix(System.Runtime.Intrinsics.Vector512<ulong> z)
    {
        z = (z ^ (z >>> 30)) * System.Runtime.Intrinsics.Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * System.Runtime.Intrinsics.Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }
}
