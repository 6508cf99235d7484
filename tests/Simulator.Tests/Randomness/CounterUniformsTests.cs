using Simulator.Core.Randomness;

namespace Simulator.Tests.Randomness;

public class CounterUniformsTests
{
    [TestCase(0, 1, 1)]
    [TestCase(7, 3, 4)]
    [TestCase(8, 0, 4)]
    [TestCase(9, 1, 4)]
    [TestCase(53, 2, 4)]
    [TestCase(200, 5, 3)]
    public void Fill_AnyLengthAndStride_SameBitsAsAt(int length, int first, int stride)
    {
        var draws = new CounterUniforms(0x1234_5678_9ABC_DEF0UL);
        var filled = new double[length];
        draws.Fill(filled, (ulong)first, (ulong)stride);
        for (int i = 0; i < length; i++)
            Assert.That(BitConverter.DoubleToInt64Bits(filled[i]),
                Is.EqualTo(BitConverter.DoubleToInt64Bits(draws.At((ulong)(first + i * stride)))), $"index {i}");
    }

    [Test]
    public void Fill_At_IsTheSplitMix64SequenceOfTheKey()
    {
        // At(j) is the (j + 1)-th output of SplitMix64 seeded with the key, scaled into (0, 1).
        ulong state = 42;
        var draws = new CounterUniforms(42);
        var filled = new double[20];
        draws.Fill(filled, 0, 1);
        for (int j = 0; j < filled.Length; j++)
            Assert.That(filled[j], Is.EqualTo(((SplitMix64.Next(ref state) >> 11) + 0.5) / 9007199254740992.0));
    }

    [Test]
    public void Fill_ManyDraws_UniformMeanAndVarianceWithinMonteCarloError()
    {
        const int n = 1 << 20;
        var filled = new double[n];
        new CounterUniforms(7).Fill(filled, 1, 4);
        double mean = filled.Average(), variance = filled.Select(u => (u - 0.5) * (u - 0.5)).Average();
        // Uniform(0, 1): mean 1/2 with sd √(1/12)/√n; variance 1/12 with sd √(1/180)/√n (fourth central moment 1/80).
        Assert.That(mean, Is.EqualTo(0.5).Within(4 * Math.Sqrt(1.0 / 12 / n)));
        Assert.That(variance, Is.EqualTo(1.0 / 12).Within(4 * Math.Sqrt((1.0 / 80 - 1.0 / 144) / n)));
        Assert.That(filled.Min(), Is.GreaterThan(0));
        Assert.That(filled.Max(), Is.LessThan(1));
    }
}

/// <summary>The uniforms stay strictly inside (0, 1) at both ends of the 64-bit range.</summary>
public class OpenUnitTests
{
    [Test]
    public void ToOpenUnit_AllBitsSet_IsBelowOne()
    {
        // (2⁵³ − 1 + ½)/2⁵³ rounds to exactly 1 without the cap: a quantile function would return +∞.
        Assert.That(Simulator.Core.Randomness.CounterUniforms.ToOpenUnit(ulong.MaxValue), Is.EqualTo(1 - Math.Pow(2, -53)));
        Assert.That(Simulator.Core.Randomness.CounterUniforms.ToOpenUnit(0), Is.EqualTo(Math.Pow(2, -54)));
    }

    [Test]
    public void ToOpenUnit_Vector_EqualsScalarBitForBit()
    {
        ulong[] bits = [ulong.MaxValue, 0, 1UL << 63, ulong.MaxValue - 2047, ulong.MaxValue - 2048, 12345, 0xFFFFFFFFFFFFF800UL, 0x8000000000000800UL];
        var vector = Simulator.Core.Randomness.CounterUniforms.ToOpenUnit(System.Runtime.Intrinsics.Vector512.Create(bits));
        for (int i = 0; i < bits.Length; i++)
            Assert.That(vector[i], Is.EqualTo(Simulator.Core.Randomness.CounterUniforms.ToOpenUnit(bits[i])), $"lane {i}");
        Assert.That(vector[0], Is.LessThan(1.0));
    }
}
