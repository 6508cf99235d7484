using System.Numerics;

namespace Simulator.Reporting.Numbers;

/// <summary>
/// The shortest decimal that reads back to a given double or float, and of those the one closest to it (ties to an
/// even last digit), as digits and a power of ten: value = <c>Digits</c> × 10^<c>Exponent</c>.
/// </summary>
/// <remarks>
/// This is Ulf Adams' Ryu algorithm ("Ryū: fast float-to-string conversion", PLDI 2018; reference implementation
/// github.com/ulfjack/ryu, Apache-2.0 / Boost-1.0 licensed), written anew for C#. Ryu finds the digits with a few
/// fixed-width multiplications by precomputed powers of five, where .NET runs Grisu3 with a big-integer Dragon4
/// fallback: formatting showed up at a fifth of the CPU of a run writing a large trials.csv.
/// Like .NET's Dragon4, the interval of decimals that read back to the value includes its ends when the binary
/// significand is even (round-half-even parsing maps them back to it), so both pick the same digits (but for two
/// powers of two where .NET's Grisu3 is off: see <see cref="RoundTripFormat"/>).
/// Floats take Ryu's f2s path: the same algorithm on 64-bit products with the top halves of the double tables, which
/// starts from about nine digits instead of seventeen (20 against 25 ns a float here); the tests compare the result
/// with .NET's over every float (explicit test) and many millions of doubles.
/// </remarks>
internal static class Ryu
{
    // Significant bits of the power-of-five tables, as in the reference implementation's proof.
    private const int Precision = 125;

    // Largest indices reached: q ≤ 290 for exponents from 2^0 up and i ≤ 325 below (both at the double range's ends).
    // Each 125-bit entry is two 64-bit halves, low first.
    private static readonly ulong[] InversePowersOf5 = InversePowers(291, Precision);
    private static readonly ulong[] PowersOf5 = Powers(326, Precision);

    /// <summary>The shortest closest decimal of a finite, non-zero double (its sign ignored): at most 17 digits.</summary>
    public static (ulong Digits, int Exponent) Double(double value)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong fraction = bits & ((1UL << 52) - 1);
        int biased = (int)(bits >> 52) & 0x7FF;
        return biased == 0
            ? ToDecimal(fraction, 1 - 1023 - 52, halfLowerGap: false)
            // A power of two has its lower neighbour half as far as its upper one (the smallest normal excepted).
            : ToDecimal((1UL << 52) | fraction, biased - 1023 - 52, halfLowerGap: fraction == 0 && biased > 1);
    }

    /// <summary>The shortest closest decimal of a finite, non-zero float (its sign ignored): at most 9 digits.</summary>
    public static (uint Digits, int Exponent) Single(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint fraction = bits & ((1u << 23) - 1);
        int biased = (int)(bits >> 23) & 0xFF;
        return biased == 0
            ? ToDecimal32(fraction, 1 - 127 - 23, halfLowerGap: false)
            : ToDecimal32((1u << 23) | fraction, biased - 127 - 23, halfLowerGap: fraction == 0 && biased > 1);
    }

    // Precision of the float path's multipliers: the top 64 bits of the double tables' entries.
    private const int SinglePrecision = Precision - 64;

    /// <summary>
    /// <see cref="ToDecimal"/> for m2 &lt; 2^24 (Ryu's f2s): 64-bit products with the top halves of the same tables, and
    /// the digits found at about nine places instead of seventeen, so that far fewer are dropped one by one.
    /// </summary>
    private static (uint Digits, int Exponent) ToDecimal32(uint m2, int exponent2, bool halfLowerGap)
    {
        int e2 = exponent2 - 2;
        bool acceptBounds = (m2 & 1) == 0;
        uint mv = 4 * m2, mp = mv + 2, mm = halfLowerGap ? mv - 1 : mv - 2;
        uint vr, vp, vm;
        int e10, lastRemovedDigit = 0;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            int q = Log10Pow2(e2);
            e10 = q;
            int shift = -e2 + q + SinglePrecision + Pow5Bits(q) - 1;
            ulong factor = InversePowersOf5[2 * q + 1] + 1; // the top bits of ⌊2^k / 5^q⌋, plus one
            vr = MulShift32(mv, factor, shift);
            vp = MulShift32(mp, factor, shift);
            vm = MulShift32(mm, factor, shift);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                // No digit will be dropped below, but rounding needs the one just beyond the last kept.
                int l = SinglePrecision + Pow5Bits(q - 1) - 1;
                lastRemovedDigit = (int)(MulShift32(mv, InversePowersOf5[2 * (q - 1) + 1] + 1, -e2 + q - 1 + l) % 10);
            }
            if (q <= 9)
            {
                if (mv % 5 == 0) vrIsTrailingZeros = IsMultipleOfPowerOf5(mv, q);
                else if (acceptBounds) vmIsTrailingZeros = IsMultipleOfPowerOf5(mm, q);
                else if (IsMultipleOfPowerOf5(mp, q)) vp--;
            }
        }
        else
        {
            int q = Log10Pow5(-e2);
            e10 = q + e2;
            int i = -e2 - q;
            int shift = q - (Pow5Bits(i) - SinglePrecision);
            ulong factor = PowersOf5[2 * i + 1];
            vr = MulShift32(mv, factor, shift);
            vp = MulShift32(mp, factor, shift);
            vm = MulShift32(mm, factor, shift);
            if (q != 0 && (vp - 1) / 10 <= vm / 10)
            {
                shift = q - 1 - (Pow5Bits(i + 1) - SinglePrecision);
                lastRemovedDigit = (int)(MulShift32(mv, PowersOf5[2 * (i + 1) + 1], shift) % 10);
            }
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = !halfLowerGap;
                else vp--;
            }
            else if (q < 31)
            {
                vrIsTrailingZeros = (mv & ((1u << (q - 1)) - 1)) == 0;
            }
        }

        int removed = 0;
        uint output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            output = (uint)RoundExact(vr, vp, vm, vmIsTrailingZeros, vrIsTrailingZeros, lastRemovedDigit, acceptBounds, ref removed);
        }
        else
        {
            while (vp / 10 > vm / 10)
            {
                lastRemovedDigit = (int)(vr % 10);
                vr /= 10; vp /= 10; vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || lastRemovedDigit >= 5 ? 1u : 0u);
        }
        return (output, e10 + removed);
    }

    /// <summary>⌊m × factor / 2^shift⌋ for shift &gt; 32, in 64-bit products (the result fits 32 bits).</summary>
    private static uint MulShift32(uint m, ulong factor, int shift)
    {
        ulong low = (ulong)m * (uint)factor, high = (ulong)m * (uint)(factor >> 32);
        return (uint)(((low >> 32) + high) >> (shift - 32));
    }

    /// <summary>
    /// The shortest closest decimal of m2 × 2^exponent2 (m2 &lt; 2^53), whose neighbours are one unit of m2 away (the
    /// lower one half a unit when <paramref name="halfLowerGap"/>).
    /// </summary>
    private static (ulong Digits, int Exponent) ToDecimal(ulong m2, int exponent2, bool halfLowerGap)
    {
        // Work in quarters of the last place so the interval's ends, half-way to the neighbours, are integers too.
        int e2 = exponent2 - 2;
        bool acceptBounds = (m2 & 1) == 0; // round-half-even parsing reads the interval's ends back as this value
        ulong mv = 4 * m2, mp = mv + 2, mm = halfLowerGap ? mv - 1 : mv - 2;

        // The value and its interval's ends, mv, mp, mm × 2^e2, in base 10 as vr, vp, vm × 10^e10, truncated. e10
        // is one power lower than the shortest form can need, so the first digit removed below says how to round.
        ulong vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false; // whether the truncation dropped only zeros
        if (e2 >= 0)
        {
            int q = Math.Max(0, Log10Pow2(e2) - 1);
            e10 = q;
            int shift = -e2 + q + Precision + Pow5Bits(q) - 1;
            ulong low = InversePowersOf5[2 * q], high = InversePowersOf5[2 * q + 1];
            vr = MulShift(mv, low, high, shift);
            vp = MulShift(mp, low, high, shift);
            vm = MulShift(mm, low, high, shift);
            // Exact exactly when 5^q divides the scaled number, which only small q allow; at most one of mm, mv, mp
            // (within four of each other) is a multiple of five.
            if (q <= 21)
            {
                if (mv % 5 == 0) vrIsTrailingZeros = IsMultipleOfPowerOf5(mv, q);
                else if (acceptBounds) vmIsTrailingZeros = IsMultipleOfPowerOf5(mm, q);
                else if (IsMultipleOfPowerOf5(mp, q)) vp--; // the excluded upper end is no candidate
            }
        }
        else
        {
            int q = Math.Max(0, Log10Pow5(-e2) - 1);
            e10 = q + e2;
            int i = -e2 - q;
            int shift = q - (Pow5Bits(i) - Precision);
            ulong low = PowersOf5[2 * i], high = PowersOf5[2 * i + 1];
            vr = MulShift(mv, low, high, shift);
            vp = MulShift(mp, low, high, shift);
            vm = MulShift(mm, low, high, shift);
            // The scaled numbers are m × 5^i / 2^q: exact when 2^q divides m. mv = 4·m2 has two zero bits, mp one,
            // mm one unless the lower gap is halved.
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = q == 0 || !halfLowerGap;
                else vp--;
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        // Drop digits while the interval still holds a shorter decimal, then round what is left of the value.
        int removed = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // Rare (< 1% of doubles): an end of the interval or the value itself is exact in decimal, so the lower
            // end may be a candidate and the value may lie exactly half-way between two.
            output = RoundExact(vr, vp, vm, vmIsTrailingZeros, vrIsTrailingZeros, 0, acceptBounds, ref removed);
        }
        else
        {
            // Common case: nothing is exact, so there are no ties and the lower end is never a candidate.
            bool roundUp = false;
            if (vp / 100 > vm / 100)
            {
                // Most values lose at least two digits: take them in one step.
                roundUp = vr % 100 >= 50;
                vr /= 100; vp /= 100; vm /= 100;
                removed += 2;
            }
            while (vp / 10 > vm / 10)
            {
                roundUp = vr % 10 >= 5;
                vr /= 10; vp /= 10; vm /= 10;
                removed++;
            }
            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }
        return (output, e10 + removed);
    }

    /// <summary>
    /// Drops digits while the interval [vm, vp] still holds a shorter decimal and rounds the value vr, when an end of
    /// the interval or the value is exact in decimal (<paramref name="vmIsTrailingZeros"/>, <paramref name="vrIsTrailingZeros"/>):
    /// the lower end may then be a candidate and the value may lie exactly half-way. Shared by both widths.
    /// </summary>
    private static ulong RoundExact(ulong vr, ulong vp, ulong vm, bool vmIsTrailingZeros, bool vrIsTrailingZeros, int lastRemovedDigit,
        bool acceptBounds, ref int removed)
    {
        while (vp / 10 > vm / 10)
        {
            vmIsTrailingZeros &= vm % 10 == 0;
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = (int)(vr % 10);
            vr /= 10; vp /= 10; vm /= 10;
            removed++;
        }
        if (vmIsTrailingZeros)
        {
            while (vm % 10 == 0)
            {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = (int)(vr % 10);
                vr /= 10; vp /= 10; vm /= 10;
                removed++;
            }
        }
        if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4; // exactly …50…0: to even
        bool belowInterval = vr == vm && (!acceptBounds || !vmIsTrailingZeros);
        return vr + (belowInterval || lastRemovedDigit >= 5 ? 1UL : 0UL);
    }

    /// <summary>⌊m × (high·2^64 + low) / 2^shift⌋ for shift ≥ 64: the top of a 64 × 128-bit product (m × low only carries into it).</summary>
    private static ulong MulShift(ulong m, ulong low, ulong high, int shift)
    {
        UInt128 upper = Math.BigMul(m, high) + (ulong)(Math.BigMul(m, low) >> 64);
        return (ulong)(upper >> (shift - 64));
    }

    private static bool IsMultipleOfPowerOf5(ulong value, int p)
    {
        for (; p > 0; p--)
        {
            if (value % 5 != 0) return false;
            value /= 5;
        }
        return true;
    }

    /// <summary>⌈log2(5^e)⌉ (1 for e = 0), the bit length of 5^e; exact for 0 ≤ e ≤ 3528.</summary>
    internal static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    /// <summary>⌊log10(2^e)⌋ for 0 ≤ e ≤ 1650.</summary>
    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    /// <summary>⌊log10(5^e)⌋ for 0 ≤ e ≤ 2620.</summary>
    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    /// <summary>
    /// Entry q: ⌊2^(bits(5^q) − 1 + precision) / 5^q⌋ + 1, a slight over-estimate of 2^k / 5^q with
    /// <paramref name="precision"/> significant bits, the form Ryu's error bounds are proven for.
    /// </summary>
    internal static ulong[] InversePowers(int count, int precision)
    {
        var table = new ulong[2 * count];
        for (int q = 0; q < count; q++)
        {
            var pow = BigInteger.Pow(5, q);
            Split((BigInteger.One << ((int)pow.GetBitLength() - 1 + precision)) / pow + 1, table, 2 * q);
        }
        return table;
    }

    /// <summary>Entry i: the leading <paramref name="precision"/> bits of 5^i (exact while 5^i fits them).</summary>
    internal static ulong[] Powers(int count, int precision)
    {
        var table = new ulong[2 * count];
        for (int i = 0; i < count; i++)
        {
            var pow = BigInteger.Pow(5, i);
            int excess = (int)pow.GetBitLength() - precision;
            Split(excess >= 0 ? pow >> excess : pow << -excess, table, 2 * i);
        }
        return table;
    }

    private static void Split(BigInteger value, ulong[] table, int at)
    {
        table[at] = (ulong)(value & ulong.MaxValue);
        table[at + 1] = (ulong)(value >> 64);
    }
}
