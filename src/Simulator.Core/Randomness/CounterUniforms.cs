using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simulator.Core.Randomness;

/// <summary>
/// Counter-based uniforms: the draw at index i is the SplitMix64 output at position i of the sequence seeded
/// with the key, Mix(key + (i + 1)·γ). Random access by index means a loan's draw for a year depends only on
/// (key, loan, year, purpose), never on how many other loans were drawn before it, which keeps draws aligned
/// between variants that issue different loans (common random numbers), and lets the default kernel draw
/// eight loans at once (<see cref="Guarantees.DefaultKernel"/>).
/// </summary>
public readonly struct CounterUniforms(ulong key)
{
    /// <summary>SplitMix64's increment γ (the golden ratio in 64 bits).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The key.</summary>
    public ulong Key => key;

    /// <summary>Uniform in (0, 1) at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double At(ulong index) => ToOpenUnit(Bits(index));

    /// <summary>The largest double below 1, 1 − 2⁻⁵³.</summary>
    public const double BelowOne = 1 - 1.0 / 9007199254740992.0;

    /// <summary>
    /// 64 random bits as a uniform strictly inside (0, 1): (⌊bits / 2¹¹⌋ + ½) / 2⁵³, capped at 1 − 2⁻⁵³. The cap
    /// matters for one value of 2⁵³ only: (2⁵³ − 1 + ½) has no double and rounds to 2⁵³, which would make the
    /// uniform exactly 1 (and a quantile function +∞); every other value is unchanged by it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToOpenUnit(ulong bits) => Math.Min(((bits >> 11) + 0.5) * (1.0 / 9007199254740992.0), BelowOne);

    /// <summary><see cref="ToOpenUnit(ulong)"/> of eight lanes at once, bit for bit the same.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ToOpenUnit(Vector512<ulong> bits) =>
        Vector512.Min((Vector512.ConvertToDouble(bits >>> 11) + Vector512.Create(0.5)) * Vector512.Create(1.0 / 9007199254740992.0), Vector512.Create(BelowOne));

    /// <summary>
    /// Fills <paramref name="destination"/> with the uniforms at indices first, first + stride, first + 2·stride, …:
    /// destination[i] = <see cref="At"/>(first + i·stride), bit for bit, eight at a time where 512-bit vectors are
    /// native (the SplitMix64 states of consecutive lanes differ by stride·γ, so a lane needs one add and one mix).
    /// </summary>
    public void Fill(Span<double> destination, ulong first, ulong stride) => Fill(key, destination, first, stride);

    // Static, with the key as an argument, so the loop's state stays in registers (shared notes: no `this` in hot loops).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fill(ulong key, Span<double> destination, ulong first, ulong stride)
    {
        int n = destination.Length, i = 0;
        ref double d0 = ref MemoryMarshal.GetReference(destination);
        ulong step = stride * Gamma, state = key + (first + 1) * Gamma; // the state of destination[0]
        if (Vector512.IsHardwareAccelerated && n >= Vector512<ulong>.Count)
        {
            var lanes = Vector512.Create(state) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(step);
            var advance = Vector512.Create(step * (ulong)Vector512<ulong>.Count);
            for (; i + Vector512<ulong>.Count <= n; i += Vector512<ulong>.Count)
            {
                // bits >>> 11 is below 2⁵³: it converts to double exactly, as in the scalar form.
                ToOpenUnit(SplitMix64.Mix(lanes)).StoreUnsafe(ref d0, (nuint)i);
                lanes += advance;
            }
            state += (ulong)i * step;
        }
        for (; i < n; i++, state += step)
            Unsafe.Add(ref d0, i) = ToOpenUnit(SplitMix64.Mix(state));
    }

    /// <summary>The 64 random bits at <paramref name="index"/>: a uniform on 0 .. 2⁶⁴ − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Bits(ulong index) => SplitMix64.Mix(key + (index + 1) * Gamma);

    /// <summary>The index of a loan's draw for a year and purpose; years below 256 keep the layout independent
    /// of the scheme's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoanIndex(int loan, int year, int purpose) => ((((ulong)loan << 8) | (uint)year) << 2) | (uint)purpose;

    /// <summary>
    /// The integer threshold of a probability: a draw of <see cref="Bits"/> is below it with probability
    /// <paramref name="p"/> to within 2⁻⁶⁴ (p ≤ 0 gives 0, never; p ≥ 1 gives 2⁶⁴ − 1, all but one of the 2⁶⁴
    /// values). Comparing integers lets eight loans be compared in one instruction.
    /// </summary>
    public static ulong Threshold(double p)
    {
        if (!(p > 0)) return 0;
        if (p >= 1) return ulong.MaxValue;
        // p·2⁶⁴ is exact (a power-of-two scaling); 2⁶⁴ − 2048 is the largest double below 2⁶⁴.
        return (ulong)Math.Min(p * 18446744073709551616.0, 18446744073709549568.0);
    }
}
