using System.Globalization;
using System.Numerics;
using System.Text;
using Simulator.Reporting.Numbers;

namespace Simulator.Tests.Reporting.Numbers;

/// <summary>
/// RoundTripFormat must write every finite double and float byte for byte as .NET's
/// <c>ToString("R", CultureInfo.InvariantCulture)</c> does: the result files were written with .NET's formatting, and
/// users' scripts and the golden files expect exactly those bytes. Fixed seeds throughout.
/// </summary>
public class RoundTripFormatTests
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Ours, for either type: the tests below run the same checks on doubles and floats.</summary>
    private static bool TryFormat<T>(T x, Span<byte> destination, out int n) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? RoundTripFormat.TryFormat((double)(object)x, destination, out n) : RoundTripFormat.TryFormat((float)(object)x, destination, out n);

    private static string Format<T>(T x) where T : IFloatingPointIeee754<T>
    {
        Span<byte> buffer = stackalloc byte[RoundTripFormat.MaxDoubleLength];
        Assert.That(TryFormat(x, buffer, out int n), Is.True);
        return Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>The values whose text differs from .NET's, as ".NET ≠ ours", at most ten of them.</summary>
    private static List<string> Mismatches<T>(IEnumerable<T> values) where T : IFloatingPointIeee754<T>
    {
        var bad = new List<string>();
        Span<byte> ours = stackalloc byte[typeof(T) == typeof(double) ? RoundTripFormat.MaxDoubleLength : RoundTripFormat.MaxSingleLength];
        Span<byte> net = stackalloc byte[64];
        foreach (T x in values)
        {
            Assert.That(x.TryFormat(net, out int nn, "R", Invariant), Is.True);
            Assert.That(TryFormat(x, ours, out int n), Is.True, $"{x:R} did not fit {ours.Length} bytes");
            if (!ours[..n].SequenceEqual(net[..nn]) && bad.Count < 10)
                bad.Add($"{Encoding.ASCII.GetString(net[..nn])} ≠ {Encoding.ASCII.GetString(ours[..n])}");
        }
        return bad;
    }

    /// <summary>x and its two nearest neighbours on both sides, both signs.</summary>
    private static IEnumerable<T> WithNeighbours<T>(T x) where T : IFloatingPointIeee754<T>
    {
        foreach (T y in new[] { x, T.BitIncrement(x), T.BitDecrement(x), T.BitIncrement(T.BitIncrement(x)), T.BitDecrement(T.BitDecrement(x)) })
        {
            if (!T.IsFinite(y)) continue;
            yield return y;
            yield return -y;
        }
    }

    [TestCase(0.0, "0")]
    [TestCase(-0.0, "-0")]
    [TestCase(1.0, "1")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(123.45, "123.45")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.000123, "0.000123")]
    [TestCase(1e-5, "1E-05")]
    [TestCase(-1.25e-7, "-1.25E-07")]
    [TestCase(1e14, "100000000000000")]
    [TestCase(1e15, "1000000000000000")]
    [TestCase(9.999999999999999e14, "999999999999999.9")]
    [TestCase(1e16, "10000000000000000")]
    [TestCase(72057594037927936.0, "72057594037927940")]
    [TestCase(1e17, "1E+17")]
    [TestCase(123456789012345678.0, "1.2345678901234568E+17")]
    [TestCase(1e100, "1E+100")]
    [TestCase(5e-324, "5E-324")]
    [TestCase(2.2250738585072014e-308, "2.2250738585072014E-308")]
    [TestCase(1.7976931348623157e308, "1.7976931348623157E+308")]
    [TestCase(0.1 + 0.2, "0.30000000000000004")]
    [TestCase(2.9802322387695312e-8, "2.980232238769531E-08")] // 2^-25: .NET's text reads back as the double below; kept
    [TestCase(-4.1045368012983762e-289, "-4.104536801298376E-289")] // −2^-958, the same
    public void TryFormat_Double_WritesRoundTripLayout(double x, string expected)
    {
        // .NET's own switch to scientific notation is at Scale > 17 (not the 15 of 'G') and Scale < -3.
        Assert.That(Format(x), Is.EqualTo(expected));
        Assert.That(x.ToString("R", Invariant), Is.EqualTo(expected));
    }

    [TestCase(0f, "0")]
    [TestCase(-0f, "-0")]
    [TestCase(0.1f, "0.1")]
    [TestCase(1e7f, "10000000")]
    [TestCase(123456789f, "123456790")]
    [TestCase(1e9f, "1E+09")]
    [TestCase(1e-4f, "0.0001")]
    [TestCase(1e-5f, "1E-05")]
    [TestCase(1f / 3, "0.33333334")]
    [TestCase(1e-45f, "1E-45")]
    [TestCase(3.4028235e38f, "3.4028235E+38")]
    public void TryFormat_Single_WritesRoundTripLayout(float x, string expected)
    {
        // For floats the switch is at Scale > 9.
        Assert.That(Format(x), Is.EqualTo(expected));
        Assert.That(x.ToString("R", Invariant), Is.EqualTo(expected));
    }

    [Test]
    public void TryFormat_NonFinite_MatchesDotNet()
    {
        foreach (double x in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            Assert.That(Format(x), Is.EqualTo(x.ToString("R", Invariant)));
        foreach (float x in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            Assert.That(Format(x), Is.EqualTo(x.ToString("R", Invariant)));
    }

    [Test]
    [Category("Slow")]
    public void TryFormat_RandomDoubleBits_MatchesDotNet()
    {
        var random = new Random(20240611);
        var values = Enumerable.Range(0, 2_000_000)
            .Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64() ^ ((long)random.Next(2) << 63)))
            .Where(double.IsFinite);
        Assert.That(Mismatches(values), Is.Empty);
    }

    [Test]
    public void TryFormat_RandomFloatBits_MatchesDotNet()
    {
        var random = new Random(611);
        var values = Enumerable.Range(0, 2_000_000).Select(_ => BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31))).Where(float.IsFinite);
        Assert.That(Mismatches(values), Is.Empty);
    }

    [Test]
    public void TryFormat_DecimalLookingDoubles_MatchesDotNet()
    {
        // round(u·10^k) / 10^j: few significant digits, where ties and exact interval ends are most likely.
        var random = new Random(77);
        var values = Enumerable.Range(0, 500_000).Select(_ =>
        {
            double x = Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 18))) / Math.Pow(10, random.Next(-25, 25));
            return random.Next(2) == 0 ? x : -x;
        });
        Assert.That(Mismatches(values), Is.Empty);
    }

    [Test]
    public void TryFormat_PowersOfTwoAndTenWithNeighbours_MatchDotNet()
    {
        var doubles = Enumerable.Range(-1074, 1074 + 1024).Select(e => Math.ScaleB(1.0, e))
            .Concat(Enumerable.Range(-323, 323 + 309).Select(e => double.Parse($"1e{e}", Invariant)))
            .SelectMany(WithNeighbours<double>);
        Assert.That(Mismatches(doubles), Is.Empty);
        var floats = Enumerable.Range(-149, 149 + 128).Select(e => MathF.ScaleB(1f, e))
            .Concat(Enumerable.Range(-45, 45 + 39).Select(e => float.Parse($"1e{e}", Invariant)))
            .SelectMany(WithNeighbours<float>);
        Assert.That(Mismatches(floats), Is.Empty);
    }

    [Test]
    public void TryFormat_RangeEdges_MatchDotNet()
    {
        // ±0, smallest and largest subnormal, smallest and largest normal; then the same for float.
        double[] doubles = [0.0, double.Epsilon, BitConverter.UInt64BitsToDouble(0x000F_FFFF_FFFF_FFFF), 2.2250738585072014e-308, double.MaxValue];
        Assert.That(Mismatches(doubles.SelectMany(WithNeighbours<double>)), Is.Empty);
        float[] floats = [0f, float.Epsilon, BitConverter.UInt32BitsToSingle(0x007F_FFFF), 1.17549435e-38f, float.MaxValue];
        Assert.That(Mismatches(floats.SelectMany(WithNeighbours<float>)), Is.Empty);
    }

    [Test]
    public void TryFormat_Integers_MatchDotNet()
    {
        // Small integers, every magnitude up to 2^53 and on to 2^64 and beyond, where doubles skip integers.
        var random = new Random(53);
        var doubles = Enumerable.Range(0, 10_000).Select(i => (double)i)
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (double)(random.NextInt64() >> random.Next(0, 63))))
            .Concat(Enumerable.Range(-1000, 2001).Select(k => 9007199254740992.0 + k))
            .Concat(Enumerable.Range(0, 100).SelectMany(k => WithNeighbours(Math.Pow(10, 15 + k % 10) * (1 + k))));
        Assert.That(Mismatches(doubles), Is.Empty);
        var floats = Enumerable.Range(0, 200_000).Select(i => (float)i)
            .Concat(Enumerable.Range(-1000, 2001).Select(k => 16777216f + k))
            .Concat(Enumerable.Range(0, 100_000).Select(_ => (float)random.Next()));
        Assert.That(Mismatches(floats), Is.Empty);
    }

    [Test]
    public void TryFormat_ShortDecimals_MatchDotNet()
    {
        // k / 10^n for small k: the digits .NET must not pad or round away.
        var doubles = Enumerable.Range(1, 999).SelectMany(k => Enumerable.Range(0, 30).Select(n => k / Math.Pow(10, n)));
        Assert.That(Mismatches(doubles), Is.Empty);
        var floats = Enumerable.Range(1, 999).SelectMany(k => Enumerable.Range(0, 30).Select(n => (float)(k / Math.Pow(10, n))));
        Assert.That(Mismatches(floats), Is.Empty);
    }

    [Test]
    public void TryFormat_AroundNotationSwitch_MatchDotNet()
    {
        double[] doubles = [1e14, 1e15, 9.999999999999999e14, 1e16, 9.999999999999998e16, 1e17, 1.5e17, 123456789012345.67,
            1e-3, 1e-4, 1e-5, 0.000123, 0.00012345678901234, 9.9999e-5, 0.00099999999999999];
        Assert.That(Mismatches(doubles.SelectMany(WithNeighbours<double>)), Is.Empty);
        float[] floats = [1e6f, 9999999f, 1e7f, 1.5e7f, 12345678f, 1e8f, 99999990f, 1e9f, 1e10f, 1e-4f, 1e-5f, 0.000123f, 9.9999e-5f];
        Assert.That(Mismatches(floats.SelectMany(WithNeighbours<float>)), Is.Empty);
    }

    [Test]
    public void TryFormat_SimulatorValues_MatchDotNet()
    {
        // Loss ratios in [0, 1], amounts around 1e8–1e9 with cents and fractions, IRRs in [−1, 1] as floats.
        var random = new Random(2024);
        var doubles = Enumerable.Range(0, 200_000).Select(_ => random.NextDouble())
            .Concat(Enumerable.Range(0, 200_000).Select(_ => 1e8 + random.NextDouble() * 9e8))
            .Concat(Enumerable.Range(0, 100_000).Select(_ => Math.Round(1e8 + random.NextDouble() * 9e8, 2)))
            .Concat(Enumerable.Range(0, 100_000).Select(_ => random.NextDouble() * 2e9 / 3));
        Assert.That(Mismatches(doubles), Is.Empty);
        var floats = Enumerable.Range(0, 200_000).Select(_ => (float)(2 * random.NextDouble() - 1))
            .Concat(Enumerable.Range(0, 100_000).Select(_ => (float)(random.NextDouble() * 5)));
        Assert.That(Mismatches(floats), Is.Empty);
    }

    [Test]
    public void TryFormat_DestinationTooShort_ReturnsFalseAndWritesNothing()
    {
        foreach (double x in new[] { -1.7976931348623157e308, 123.45, -0.000123, 1e16, -0.0, double.NegativeInfinity })
        {
            int needed = Format(x).Length;
            var buffer = new byte[needed];
            Assert.That(RoundTripFormat.TryFormat(x, buffer.AsSpan(0, needed - 1), out int n), Is.False);
            Assert.That(n, Is.Zero);
            Assert.That(buffer, Is.All.Zero);
            Assert.That(RoundTripFormat.TryFormat(x, buffer, out n), Is.True);
            Assert.That(n, Is.EqualTo(needed));
        }
        // The longest texts take exactly the maximum lengths.
        Assert.That(Format(-1.00231836e-35f), Is.EqualTo("-1.00231836E-35").And.Length.EqualTo(RoundTripFormat.MaxSingleLength));
        Assert.That(Format(-0.000102064696f), Is.EqualTo("-0.000102064696").And.Length.EqualTo(RoundTripFormat.MaxSingleLength));
        Assert.That(Format(-2.2250738585072014e-308), Has.Length.EqualTo(RoundTripFormat.MaxDoubleLength));
    }

    [Test]
    public void EightDigits_Values_AreTheirZeroPaddedDigits()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (uint)i).Concat(Enumerable.Range(0, 100_000).Select(i => (uint)i * 999u + 7));
        Span<byte> text = stackalloc byte[8];
        foreach (uint v in values)
        {
            BitConverter.TryWriteBytes(text, RoundTripFormat.EightDigits(v));
            if (!BitConverter.IsLittleEndian) text.Reverse();
            Assert.That(Encoding.ASCII.GetString(text), Is.EqualTo(v.ToString("D8", Invariant)));
        }
    }

    [Test]
    public void PowerTables_MatchReferenceTableAndBitLengths()
    {
        // The first entries of the reference implementation's DOUBLE_POW5_INV_SPLIT and DOUBLE_POW5_SPLIT (low, high).
        ulong[] inverse = Ryu.InversePowers(4, 125), powers = Ryu.Powers(2, 125);
        Assert.That(inverse, Is.EqualTo(new ulong[] { 1, 2305843009213693952, 11068046444225730970, 1844674407370955161,
            5165088340638674453, 1475739525896764129, 7821419487252849886, 1180591620717411303 }));
        Assert.That(powers, Is.EqualTo(new ulong[] { 0, 1152921504606846976, 0, 1441151880758558720 }));
        for (int e = 0; e <= 3528; e++)
            Assert.That(Ryu.Pow5Bits(e), Is.EqualTo((int)BigInteger.Pow(5, e).GetBitLength()), $"bits of 5^{e}");
    }

    /// <summary>Every finite float, positive and negative: a few minutes on two cores, so run by hand after changing Ryu.</summary>
    [Test, Explicit("all 2^32 floats: minutes")]
    public void TryFormat_EveryFloat_MatchesDotNet()
    {
        long mismatches = 0;
        Parallel.For(0, 1 << 16, high =>
        {
            Span<byte> ours = stackalloc byte[RoundTripFormat.MaxSingleLength];
            Span<byte> net = stackalloc byte[64];
            long bad = 0;
            for (uint low = 0; low < 1 << 16; low++)
            {
                float x = BitConverter.UInt32BitsToSingle((uint)high << 16 | low);
                if (!float.IsFinite(x)) continue;
                x.TryFormat(net, out int nn, "R", Invariant);
                RoundTripFormat.TryFormat(x, ours, out int n);
                if (!ours[..n].SequenceEqual(net[..nn])) bad++;
            }
            Interlocked.Add(ref mismatches, bad);
        });
        TestContext.Out.WriteLine($"mismatches over all finite floats: {mismatches}");
        Assert.That(mismatches, Is.Zero);
    }
}
