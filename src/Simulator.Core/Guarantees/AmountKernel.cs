using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Distributions;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Guarantees;

/// <summary>
/// Draws the amounts of a year's generated loans eight at a time when the amount law is lognormal (the usual
/// case): amount_i = min(median · exp(σ · Φ⁻¹(u_i)), cap) with u_i the loan's counter-based amount draw, exactly
/// the draw <see cref="CounterUniforms.At"/> gives for LoanIndex(i, 0, amount). Three vector passes over the
/// year's loans: the uniforms, <see cref="NormalMath.InvCdf(ReadOnlySpan{double}, Span{double})"/> in place, then
/// the exponential (<see cref="SimdMath.Exp"/>) and the cap. A loan's amount is a function of (trial, scheme,
/// loan) only, equal to the scalar quantile up to the last bits (tested). The total is summed in eight
/// interleaved partial sums.
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
        var x = Vector512.Create(unchecked(DefaultKernel.YearBase(key, 0, 0) + (ulong)first * step)) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Vector512.Create(step);
        var step8 = Vector512.Create(unchecked(8 * step));
        var scale = Vector512.Create(1.0 / 9007199254740992.0);
        var half = Vector512.Create(0.5);
        for (int i = first; i < end; i += 8)
        {
            var u = (Vector512.ConvertToDouble(SplitMix64.Mix(x) >>> 11) + half) * scale;
            x += step8;
            u.StoreUnsafe(ref amounts[0], (nuint)i);
        }

        var span = amounts.AsSpan(first, end - first);
        NormalMath.InvCdf(span, span);

        var s = Vector512.Create(sigma);
        var m = Vector512.Create(median);
        var c = Vector512.Create(cap);
        var sum = Vector512<double>.Zero;
        var index = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        for (int i = first; i < end; i += 8)
        {
            // Lanes past the last loan hold leftovers; they are written but add nothing and are never read.
            var amount = Vector512.Min(m * SimdMath.Exp(s * Vector512.LoadUnsafe(ref amounts[0], (nuint)i)), c);
            var valid = Vector512.LessThan(index, Vector512.Create((long)(end - i))).AsDouble();
            sum += Vector512.ConditionalSelect(valid, amount, Vector512<double>.Zero);
            amount.StoreUnsafe(ref amounts[0], (nuint)i);
        }
        return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
    }
}
