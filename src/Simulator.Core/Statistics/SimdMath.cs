using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using V = System.Runtime.Intrinsics.Vector512<double>;

namespace Simulator.Core.Statistics;

/// <summary>
/// Exponential and logarithm on 512-bit vectors of doubles (two 256-bit halves where AVX-512 is missing), for the
/// vectorised quantile functions. Written out here rather than taken from <see cref="Vector512.Exp(Vector512{double})"/>
/// and <see cref="Vector512.Log(Vector512{double})"/>, which measured several times slower on this project's machine
/// (AMD EPYC Zen 5); inlined, branch-free and deterministic (the same result for the same input, whatever the lane).
/// </summary>
internal static class SimdMath
{
    /// <summary>
    /// e^x: x = k·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series to degree 13 (truncation below 4e-18),
    /// times 2^k in two factors so that results in the subnormal range are right. Within 2 units in the last
    /// place of <see cref="Math.Exp"/> for normal results (measured maximum 1); below −1000 gives 0, above 709.79 +∞;
    /// not for NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp(V x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-1000.0)), Vector512.Create(710.0));
        var k = Vector512.Round(x * Vector512.Create(1.4426950408889634074));
        var r = Vector512.FusedMultiplyAdd(-k, Vector512.Create(6.93147180369123816490e-01), x); // ln 2, high part
        r = Vector512.FusedMultiplyAdd(-k, Vector512.Create(1.90821492927058770002e-10), r);     // ln 2, low part
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 6227020800), r, Vector512.Create(1.0 / 479001600));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 39916800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 3628800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 362880));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Vector512.FusedMultiplyAdd(p, r, V.One);
        p = Vector512.FusedMultiplyAdd(p, r, V.One);
        var ki = Vector512.ConvertToInt64(k);
        var k1 = Vector512.ShiftRightArithmetic(ki, 1);
        var k2 = ki - k1;
        var bias = Vector512.Create(1023L);
        var scale1 = Vector512.ShiftLeft(k1 + bias, 52).AsDouble();
        var scale2 = Vector512.ShiftLeft(k2 + bias, 52).AsDouble();
        return p * scale1 * scale2;
    }

    /// <summary>
    /// ln t for normal (not subnormal) t &gt; 0: t = m·2^e with m in [√½, √2), ln m = 2 atanh(s) with
    /// s = (m − 1)/(m + 1), |s| ≤ 0.172, by its series to s^23 (truncation below 1e-18 relative), plus e·ln 2 in
    /// two parts. Within 2 units in the last place of <see cref="Math.Log(double)"/> (measured maximum 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Log(V t)
    {
        var bits = t.AsUInt64();
        var exponent = Vector512.ShiftRightLogical(bits, 52).AsInt64() - Vector512.Create(1023L);
        var m = ((bits & Vector512.Create(0x000FFFFFFFFFFFFFUL)) | Vector512.Create(0x3FF0000000000000UL)).AsDouble();
        var big = Vector512.GreaterThan(m, Vector512.Create(1.4142135623730950488));
        m = Vector512.ConditionalSelect(big, m * Vector512.Create(0.5), m);
        var e = Vector512.ConvertToDouble(exponent) + (big & V.One);
        var f = m - V.One;
        var s = f / (f + Vector512.Create(2.0));
        var z = s * s;
        var series = Vector512.FusedMultiplyAdd(Vector512.Create(2.0 / 23), z, Vector512.Create(2.0 / 21));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 19));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 17));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 15));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 13));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 11));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 9));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 7));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 5));
        series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(2.0 / 3));
        // ln m = 2s + s·z·series, with 2s formed as f − s·f (s·(2 + f) = f) in one rounding.
        var logm = Vector512.FusedMultiplyAdd(s * z, series, Vector512.FusedMultiplyAdd(-s, f, f));
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(6.93147180369123816490e-01),
            Vector512.FusedMultiplyAdd(e, Vector512.Create(1.90821492927058770002e-10), logm));
    }

    /// <summary>
    /// For each 8-bit lane mask m, the indices of its set lanes in increasing order (entries 8m … 8m + 7, padded):
    /// adding the base index and storing all eight appends the selected lanes' indices to a list, without branches.
    /// </summary>
    public static readonly int[] CompressTable = BuildCompressTable();

    private static int[] BuildCompressTable()
    {
        var table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
        {
            int count = 0;
            for (int lane = 0; lane < 8; lane++)
                if ((mask & (1 << lane)) != 0) table[mask * 8 + count++] = lane;
        }
        return table;
    }
}
