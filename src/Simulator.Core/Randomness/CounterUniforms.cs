using System.Runtime.CompilerServices;

namespace Simulator.Core.Randomness;

/// <summary>
/// Counter-based uniforms: the draw at index i is the SplitMix64 output at position i of the sequence seeded
/// with the key, Mix(key + (i + 1)·γ). Random access by index means a loan's draw for a year depends only on
/// (key, loan, year, purpose), never on how many other loans were drawn before it, which keeps draws aligned
/// between variants that issue different loans (common random numbers).
/// </summary>
public readonly struct CounterUniforms(ulong key)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Uniform in (0, 1) at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double At(ulong index) => ((SplitMix64.Mix(key + (index + 1) * Gamma) >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>The index of a loan's draw for a year and purpose; years below 256 keep the layout independent
    /// of the scheme's length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoanIndex(int loan, int year, int purpose) => ((((ulong)loan << 8) | (uint)year) << 2) | (uint)purpose;
}
