using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Simulator.Reporting.Numbers;

/// <summary>
/// Writes a double or float as ASCII (so UTF-8) bytes exactly as .NET's <c>ToString("R", CultureInfo.InvariantCulture)</c>
/// writes it, several times faster: the digits come from <see cref="Ryu"/> instead of Grisu3/Dragon4, and the layout
/// is .NET's shortest round-trip one (measured, not from documentation).
/// </summary>
/// <remarks>
/// Layout, with the digits d1…dn and Scale the position of the decimal point (value = 0.d1…dn × 10^Scale):
/// plain notation while −3 ≤ Scale ≤ 17 for a double (9 for a float; .NET's limit is the round-trip digit count,
/// not the 15 or 7 of 'G'), so <c>0.0001</c>, <c>123.45</c>, <c>10000000000000000</c>; otherwise
/// <c>d1[.d2…dn]E±XX</c> with a sign and at least two exponent digits, so <c>1E-05</c>, <c>1E+17</c>, <c>5E-324</c>.
/// A negative value, −0 included, starts with '-'. NaN and the infinities are left to .NET.
/// </remarks>
public static class RoundTripFormat
{
    /// <summary>The most bytes a double takes (<c>-1.7976931348623157E+308</c>).</summary>
    public const int MaxDoubleLength = 24;

    /// <summary>The most bytes a float takes (<c>-1.00231836E-35</c>, <c>-0.000102064696</c>).</summary>
    public const int MaxSingleLength = 15;

    // Scale above which .NET switches to scientific notation: the number of digits that always round-trip.
    private const int DoubleMaxFixedScale = 17, SingleMaxFixedScale = 9;

    /// <summary>
    /// Writes <paramref name="value"/> as <c>value.ToString("R", CultureInfo.InvariantCulture)</c> would, in ASCII;
    /// false (and nothing written) when <paramref name="destination"/> is too short.
    /// </summary>
    public static bool TryFormat(double value, Span<byte> destination, out int bytesWritten)
    {
        if (!double.IsFinite(value)) return value.TryFormat(destination, out bytesWritten, "R", CultureInfo.InvariantCulture);
        ulong magnitude = BitConverter.DoubleToUInt64Bits(Math.Abs(value));
        var (digits, exponent) = value == 0 ? (0, 0)
            : magnitude == TwoToMinus25 ? (2980232238769531UL, -23)
            : magnitude == TwoToMinus958 ? (4104536801298376UL, -304)
            : Ryu.Double(value);
        return TryWrite(double.IsNegative(value), digits, exponent, DoubleMaxFixedScale, destination, out bytesWritten);
    }

    /// <summary>
    /// Writes <paramref name="value"/> as <c>value.ToString("R", CultureInfo.InvariantCulture)</c> would, in ASCII;
    /// false (and nothing written) when <paramref name="destination"/> is too short.
    /// </summary>
    public static bool TryFormat(float value, Span<byte> destination, out int bytesWritten)
    {
        if (!float.IsFinite(value)) return value.TryFormat(destination, out bytesWritten, "R", CultureInfo.InvariantCulture);
        var (digits, exponent) = value == 0 ? (0, 0) : Ryu.Single(value);
        return TryWrite(float.IsNegative(value), digits, exponent, SingleMaxFixedScale, destination, out bytesWritten);
    }

    // ±2^-25 and ±2^-958 are written as .NET writes them, which is not the shortest text that reads back: .NET's
    // Grisu3 takes the gap below a power of two to be as wide as the one above (its sources say it deviates from the
    // reference there), and for these two its 16-digit answer lies in the extra width, so it reads back as the next
    // lower double. Every other power of two comes out right in .NET (Grisu3 gives up and Dragon4 takes over, or
    // its answer is right anyway); the tests compare all of them. Kept so that files stay byte-identical.
    private const ulong TwoToMinus25 = 0x3E60_0000_0000_0000, TwoToMinus958 = 0x0410_0000_0000_0000;

    private static bool TryWriteZero(bool negative, Span<byte> destination, out int bytesWritten)
    {
        ReadOnlySpan<byte> text = negative ? "-0"u8 : "0"u8;
        bytesWritten = text.TryCopyTo(destination) ? text.Length : 0;
        return bytesWritten > 0;
    }

    /// <summary>Lays out (−)digits × 10^exponent as .NET's shortest round-trip format does.</summary>
    private static bool TryWrite(bool negative, ulong digits, int exponent, int maxFixedScale, Span<byte> destination, out int bytesWritten)
    {
        if (digits == 0) return TryWriteZero(negative, destination, out bytesWritten);
        int length = DigitCount(digits);
        int scale = length + exponent;
        bool scientific = scale > maxFixedScale || scale < -3;
        int power = Math.Abs(scale - 1);
        int at = negative ? 1 : 0;
        int total = at + (scientific ? length + (length > 1 ? 1 : 0) + (power >= 100 ? 5 : 4)
            : scale <= 0 ? 2 - scale + length
            : scale >= length ? scale
            : length + 1);
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        if (negative) destination[0] = (byte)'-';
        if (scientific)
        {
            // d1.d2…dn: the digits one place to the right, then the first moved in front of the point.
            WriteDigits(destination, at + 1, digits, length);
            destination[at] = destination[at + 1];
            if (length > 1)
            {
                destination[at + 1] = (byte)'.';
                at++;
            }
            at += length;
            destination[at++] = (byte)'E';
            destination[at++] = scale - 1 < 0 ? (byte)'-' : (byte)'+';
            if (power >= 100)
            {
                destination[at++] = (byte)('0' + power / 100);
                power %= 100;
            }
            destination[at++] = (byte)('0' + power / 10);
            destination[at] = (byte)('0' + power % 10);
        }
        else if (scale <= 0)
        {
            // 0.000ddd
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            for (int i = scale; i < 0; i++) destination[at++] = (byte)'0';
            WriteDigits(destination, at, digits, length);
        }
        else if (scale >= length)
        {
            // ddd000
            WriteDigits(destination, at, digits, length);
            for (int i = at + length; i < total; i++) destination[i] = (byte)'0';
        }
        else
        {
            // dd.ddd: the digits one place to the right, then the whole part moved back over the point's place.
            WriteDigits(destination, at + 1, digits, length);
            for (int i = at; i < at + scale; i++) destination[i] = destination[i + 1];
            destination[at + scale] = (byte)'.';
        }
        bytesWritten = total;
        return true;
    }

    /// <summary>Writes the <paramref name="length"/> digits of <paramref name="value"/> in ASCII from <paramref name="start"/> on.</summary>
    private static void WriteDigits(Span<byte> destination, int start, ulong value, int length)
    {
        // Eight digits at a time from the right, each group with one store; the leading rest one by one.
        int end = start + length;
        for (; end - start >= 8; end -= 8)
        {
            ulong high = value / 100_000_000;
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(end - 8)..], EightDigits((uint)(value - high * 100_000_000)));
            value = high;
        }
        for (uint rest = (uint)value; end > start; rest /= 10) destination[--end] = (byte)('0' + rest % 10);
    }

    /// <summary>
    /// The eight ASCII digits of <paramref name="value"/> (&lt; 10^8, zero-padded), first digit in the lowest byte, by
    /// splitting it into lanes of one register (4 + 4 digits, then 2 + 2, then 1 + 1) with a few independent
    /// multiplications instead of a chain of eight divisions.
    /// </summary>
    internal static ulong EightDigits(uint value)
    {
        // Two 32-bit lanes: the leading four digits in the low lane, as they come first in memory.
        ulong x = value / 10_000 | (ulong)(value % 10_000) << 32;
        // Each lane (< 10^4) into 16-bit halves: lane / 100 low, lane % 100 high (x·10486 >> 20 = ⌊x / 100⌋ there).
        ulong hundreds = (x * 10_486 >> 20) & 0x0000_007F_0000_007F;
        x = hundreds | (x - hundreds * 100) << 16;
        // Each 16-bit lane (< 100) into bytes: tens low, units high (x·103 >> 10 = ⌊x / 10⌋ there).
        ulong tens = (x * 103 >> 10) & 0x000F_000F_000F_000F;
        x = tens | (x - tens * 10) << 8;
        return x | 0x3030_3030_3030_3030;
    }

    /// <summary>Decimal digits of <paramref name="value"/> (≥ 1).</summary>
    private static int DigitCount(ulong value)
    {
        // ⌊log10⌋ from the bit length (1233/4096 ≈ log10 2), off by at most one below.
        int guess = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return guess + (value >= PowersOf10[guess] ? 1 : 0);
    }

    private static readonly ulong[] PowersOf10 =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];
}
