using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Distributions;
using Simulator.Core.Randomness;

namespace Simulator.Core.Guarantees;

/// <summary>
/// Draws the amounts of a year's generated loans eight at a time when the amount law is lognormal (the usual
/// case): amount_i = min(median · exp(σ · Φ⁻¹(u_i)), cap) with u_i the loan's counter-based amount draw, exactly
/// the draw <see cref="CounterUniforms.At"/> gives for LoanIndex(i, 0, amount). Φ⁻¹ is
/// <see cref="VectorNormal.InvCdf"/> and exp .NET's vector exponential, so a loan's amount can differ from the
/// scalar formula in the last bits; a loan's amount is still a function of (trial, scheme, loan) only. Other
/// amount laws go through their scalar quantile. The total is summed in eight interleaved partial sums.
/// </summary>
public static class AmountKernel
{
    /// <summary>Fills <paramref name="amounts"/>[first..end) and returns their total; <paramref name="amounts"/>
    /// must have room for 8 values past <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogNormal(ulong key, int first, int end, double median, double sigma, double cap, double[] amounts)
    {
        if (end <= first) return 0;
        if (amounts.Length < end + 8) throw new ArgumentException("the amounts need 8 values of room past the last loan", nameof(amounts));
        const ulong step = DefaultKernel.LoanStep; // the amount draws of loans i and i + 1 (purpose 0, year 0) differ by the same step
        var lanes = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(step);
        var x = Vector512.Create(unchecked(DefaultKernel.YearBase(key, 0, 0) + (ulong)first * step)) + lanes;
        var step8 = Vector512.Create(unchecked(8 * step));
        var scale = Vector512.Create(1.0 / 9007199254740992.0);
        var halfUlp = Vector512.Create(0.5);
        var s = Vector512.Create(sigma);
        var m = Vector512.Create(median);
        var c = Vector512.Create(cap);
        var sum = Vector512<double>.Zero;
        var index = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        for (int i = first; i < end; i += 8)
        {
            var z = SplitMix64.Mix(x);
            x += step8;
            var u = (Vector512.ConvertToDouble(z >>> 11) + halfUlp) * scale;
            var amount = Vector512.Min(m * Vector512.Exp(s * VectorNormal.InvCdf(u)), c);
            // Lanes past the last loan add nothing (their values are written but never read).
            var valid = Vector512.LessThan(index, Vector512.Create((long)(end - i))).AsDouble();
            sum += Vector512.ConditionalSelect(valid, amount, Vector512<double>.Zero);
            amount.StoreUnsafe(ref amounts[0], (nuint)i);
        }
        return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
    }
}
