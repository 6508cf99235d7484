using Simulator.Core.Randomness;

namespace Simulator.Tests.Randomness;

public class ScrambledSobolTests
{
    private static double Unscrambled(int n, int j)
    {
        uint x = 0;
        for (int b = 0; n != 0; b++, n >>= 1) if ((n & 1) != 0) x ^= ScrambledSobol.Directions[j][b];
        return x / 4294967296.0;
    }

    [Test]
    public void Directions_FirstDimensions_MatchTheSobolSequence()
    {
        // Natural order: dimension 1 van der Corput; dimension 2 (x + 1) v = 1/2, 3/4, 5/8…; dimension 3 (x² + x + 1,
        // m = 1, 3) v = 1/2, 3/4, 3/8 by the recurrence m_3 = 2·m_2 ⊕ 4·m_1 ⊕ m_1 = 3.
        Assert.That(Enumerable.Range(0, 4).Select(n => Unscrambled(n, 0)), Is.EqualTo(new[] { 0, 0.5, 0.25, 0.75 }));
        Assert.That(Enumerable.Range(0, 4).Select(n => Unscrambled(n, 1)), Is.EqualTo(new[] { 0, 0.5, 0.75, 0.25 }));
        Assert.That(Unscrambled(1, 2), Is.EqualTo(0.5));
        Assert.That(Unscrambled(2, 2), Is.EqualTo(0.75));
        Assert.That(Unscrambled(4, 2), Is.EqualTo(0.375));
        Assert.That(ScrambledSobol.MaxDimensions, Is.EqualTo(128));
    }

    [Test]
    public void Directions_FirstTwoDimensions_FormAZeroNet()
    {
        // The first 2^m points of dimensions 1 and 2 put exactly one point in every box of area 2^-m with sides 2^-a × 2^-(m−a).
        const int m = 8;
        for (int a = 0; a <= m; a++)
        {
            var boxes = new HashSet<(long, long)>();
            for (int n = 0; n < 1 << m; n++)
                boxes.Add(((long)(Unscrambled(n, 0) * (1L << a)), (long)(Unscrambled(n, 1) * (1L << (m - a)))));
            Assert.That(boxes, Has.Count.EqualTo(1 << m), $"a = {a}");
        }
    }

    [Test]
    public void Coordinate_EachRandomisation_StratifiesEveryDimension()
    {
        // A linear scramble and a digital shift keep the net: the first 2^m points of each randomisation put one point in
        // each interval [k/2^m, (k+1)/2^m) of every dimension, and all coordinates lie strictly inside (0, 1).
        const int m = 7, dimensions = 40;
        var sobol = new ScrambledSobol(StreamKey.For(5, "net"), dimensions);
        for (int r = 0; r < ScrambledSobol.Randomisations; r++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                var cells = new HashSet<int>();
                for (int n = 0; n < 1 << m; n++)
                {
                    long trial = (long)n * ScrambledSobol.Randomisations + r + 1;
                    Assert.That(ScrambledSobol.RandomisationOf(trial), Is.EqualTo(r));
                    double u = sobol.Coordinate(trial, j);
                    Assert.That(u, Is.GreaterThan(0).And.LessThan(1));
                    cells.Add((int)(u * (1 << m)));
                }
                Assert.That(cells, Has.Count.EqualTo(1 << m), $"randomisation {r}, dimension {j}");
            }
        }
    }

    [Test]
    public void Coordinate_DifferentSeeds_DifferentScrambles()
    {
        var a = new ScrambledSobol(StreamKey.For(1, "s"), 3);
        var b = new ScrambledSobol(StreamKey.For(2, "s"), 3);
        Assert.That(b.Coordinate(1, 0), Is.Not.EqualTo(a.Coordinate(1, 0)));
        Assert.That(new ScrambledSobol(StreamKey.For(1, "s"), 3).Coordinate(77, 2), Is.EqualTo(a.Coordinate(77, 2)));
    }
}
