using Simulator.Core.Economy;
using Simulator.Core.Randomness;

namespace Simulator.Tests.Economy;

public class FactorPathsTests
{
    [TestCase(0.0, 3)]
    [TestCase(0.6, 3)]
    [TestCase(-0.4, 4)]
    [TestCase(0.9, 1)]
    public void WindowSumVariance_MatchesDoubleSum(double phi, int w)
    {
        double brute = 0;
        for (int i = 0; i < w; i++)
            for (int j = 0; j < w; j++) brute += Math.Pow(phi, Math.Abs(i - j));
        Assert.That(EconomyModel.WindowSumVariance(phi, w), Is.EqualTo(brute).Within(1e-12));
    }

    [Test]
    public void Draw_Ar1Levels_AreStandardNormalWithLagCorrelationPhi()
    {
        const double phi = 0.6;
        const int n = 100_000;
        var economy = new EconomyModel([new Factor("macro", phi)], [], 5);
        var paths = new FactorPaths(economy);
        var key = StreamKey.For(3, "ar1");
        double s1 = 0, s11 = 0, s5 = 0, s55 = 0, s45 = 0, window = 0, window2 = 0;
        double invSd = 1 / Math.Sqrt(EconomyModel.WindowSumVariance(phi, 3));
        for (int t = 1; t <= n; t++)
        {
            paths.Draw(key, t);
            double z1 = paths.Raw[0], z4 = paths.Raw[3], z5 = paths.Raw[4];
            s1 += z1; s11 += z1 * z1; s5 += z5; s55 += z5 * z5; s45 += z4 * z5;
            double w = paths.WindowDraw(0, 2, 3, invSd);
            window += w; window2 += w * w;
        }
        double se = 1 / Math.Sqrt(n);
        Assert.Multiple(() =>
        {
            Assert.That(s1 / n, Is.EqualTo(0).Within(4 * se));
            Assert.That(s11 / n, Is.EqualTo(1).Within(4 * se * Math.Sqrt(2)));
            Assert.That(s55 / n, Is.EqualTo(1).Within(4 * se * Math.Sqrt(2)));
            Assert.That(s45 / n, Is.EqualTo(phi).Within(4 * se * Math.Sqrt(1 + phi * phi)));
            Assert.That(window2 / n, Is.EqualTo(1).Within(4 * se * Math.Sqrt(2)), "a window draw is rescaled to unit variance");
        });
    }

    [Test]
    public void Draw_Stress_ShiftsOnlyItsYears()
    {
        var economy = new EconomyModel([new Factor("macro", 0.5)], [new Stress(0, 2, 3, -1.5)], 4);
        var paths = new FactorPaths(economy);
        paths.Draw(StreamKey.For(1, "s"), 7);
        var shift = paths.Stressed.Zip(paths.Raw, (a, b) => a - b).ToArray();
        Assert.That(shift, Is.EqualTo(new[] { 0, -1.5, -1.5, 0 }).Within(1e-15));
    }
}
