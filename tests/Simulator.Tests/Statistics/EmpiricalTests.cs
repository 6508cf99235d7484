using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

public class EmpiricalTests
{
    private static double[] OneToN(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();

    [TestCase(100, 99, 100, 99)]
    [TestCase(1000, 999, 1000, 999)]
    [TestCase(10, 1, 2, 5)]
    [TestCase(11, 1, 2, 6)]
    [TestCase(7, 99, 100, 7)]
    [TestCase(100_000, 99, 100, 99_000)]
    public void Quantile_RankIsCeilingOfQTimesN(int n, long num, long den, double expected) =>
        Assert.That(Empirical.Quantile(OneToN(n), num, den), Is.EqualTo(expected));

    [Test]
    public void Rank_ExactInIntegers_WhereFloatingPointWouldRoundUp()
    {
        // 0.29 · 100 is 28.999999999999996 in doubles: ceil gives 29 only when done in integers.
        Assert.That(Empirical.Rank(100, 29, 100), Is.EqualTo(29));
        Assert.That(Math.Ceiling(0.29 * 100), Is.EqualTo(29));
        Assert.That(Empirical.Rank(1_000_000_000_000, 999, 1000), Is.EqualTo(999_000_000_000));
    }

    [Test]
    public void ExpectedShortfall_ContinuousLikeSample_IsMeanOfTail()
    {
        // n = 1000: q = 990th value; ES99 = mean of the top 10 values 991..1000 = 995.5.
        Assert.That(Empirical.ExpectedShortfall(OneToN(1000), 99, 100), Is.EqualTo(995.5).Within(1e-12));
    }

    [Test]
    public void ExpectedShortfall_WithTies_UsesAcerbiTascheCorrection()
    {
        // 98 zeros and two ones (n = 100): VaR99 = 1, P(L ≤ 1) = 1, tail beyond VaR empty:
        // ES = (0 + 1 · (1 − 0.99)) / 0.01 = 1. A naive "mean of values ≥ VaR" also gives 1 here, but with
        // 995 zeros and 5 ones (n = 1000), VaR99 = 0 and ES = (5 + 0)/10 = 0.5, not the naive mean of all values ≥ 0.
        var a = Enumerable.Repeat(0.0, 98).Concat([1.0, 1.0]).ToArray();
        Assert.That(Empirical.ExpectedShortfall(a, 99, 100), Is.EqualTo(1).Within(1e-12));
        var b = Enumerable.Repeat(0.0, 995).Concat(Enumerable.Repeat(1.0, 5)).ToArray();
        Assert.That(Empirical.ExpectedShortfall(b, 99, 100), Is.EqualTo(0.5).Within(1e-12));
    }

    [Test]
    public void MeanSd_UsesNMinusOne()
    {
        var (mean, sd) = Empirical.MeanSd([1.0, 2, 3, 4]);
        Assert.That(mean, Is.EqualTo(2.5));
        Assert.That(sd, Is.EqualTo(Math.Sqrt(5.0 / 3)).Within(1e-15));
    }

    [Test]
    public void Summarize_Exceedance_CountsStrictlyAbove()
    {
        var s = Empirical.Summarize([0.1, 0.6, 0.6, 0.9], [0.6]);
        Assert.That(s.Exceedance.Single().Estimate.Probability, Is.EqualTo(0.25));
    }
}

public class ProbabilityEstimateTests
{
    [Test]
    public void FromCount_StandardErrorAndWilsonInterval_MatchFormulas()
    {
        var p = ProbabilityEstimate.FromCount(30, 100);
        Assert.Multiple(() =>
        {
            Assert.That(p.Probability, Is.EqualTo(0.3));
            Assert.That(p.StandardError, Is.EqualTo(Math.Sqrt(0.3 * 0.7 / 100)).Within(1e-15));
            // Wilson 95% for 30/100: [0.2189, 0.3958] (standard tables).
            Assert.That(p.Ci95Low, Is.EqualTo(0.21886).Within(1e-4));
            Assert.That(p.Ci95High, Is.EqualTo(0.39585).Within(1e-4));
        });
    }

    [Test]
    public void FromCount_ZeroEvents_HasPositiveUpperBound()
    {
        var p = ProbabilityEstimate.FromCount(0, 100);
        Assert.That(p.Ci95Low, Is.Zero);
        Assert.That(p.Ci95High, Is.EqualTo(0.036995).Within(1e-5));
    }
}
