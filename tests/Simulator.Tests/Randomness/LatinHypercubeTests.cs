using Simulator.Core.Economy;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Randomness;

public class LatinHypercubeTests
{
    private const int R = LatinHypercube.Randomisations;

    [TestCase(16 * 64)]
    [TestCase(1000 * 16 + 7)]
    [TestCase(5)]
    public void Stratum_EveryRandomisationAndDimension_OnePointInEachStratum(int trials)
    {
        var cube = new LatinHypercube(StreamKey.For(3, "lhs"), 4, trials);
        for (int j = 0; j < cube.Dimensions; j++)
        {
            var strata = Enumerable.Range(0, R).Select(_ => new List<long>()).ToArray();
            long[] counts = new long[R];
            for (long trial = 1; trial <= trials; trial++)
            {
                var (stratum, m) = cube.Stratum(trial, j);
                int r = LatinHypercube.RandomisationOf(trial);
                strata[r].Add(stratum);
                counts[r] = m;
            }
            for (int r = 0; r < R; r++)
                Assert.That(strata[r].Order(), Is.EqualTo(Enumerable.Range(0, (int)counts[r]).Select(x => (long)x)), $"dimension {j}, randomisation {r}");
        }
    }

    [Test]
    public void Stratum_DimensionsAndRandomisations_PermutedIndependently()
    {
        // Different dimensions (and randomisations) pair the points at random: the strata of two dimensions are not
        // the same permutation, and their rank correlation over 1,024 points is near 0 (sd 1/√1023 ≈ 0.03).
        var cube = new LatinHypercube(StreamKey.For(5, "lhs"), 2, 16 * 1024);
        var a = new List<double>();
        var b = new List<double>();
        for (long trial = 1; trial <= 16 * 1024; trial += R)
        {
            a.Add(cube.Stratum(trial, 0).Stratum);
            b.Add(cube.Stratum(trial, 1).Stratum);
        }
        double ma = a.Average(), mb = b.Average();
        double correlation = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum() / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(correlation, Is.InRange(-0.125, 0.125));
    }

    [Test]
    public void Draw_LatinHypercube_FactorInnovationsExactlyStratified()
    {
        // One factor without persistence over three years: each year's level is its innovation, Φ(Z) falls one in each
        // of the M strata of every randomisation.
        const int trials = 16 * 128, m = trials / R;
        var economy = new EconomyModel([new Factor("macro", 0)], [], 3, sampling: FactorSampling.LatinHypercube);
        var paths = new FactorPaths(economy, trials);
        var key = StreamKey.For(7, "paths");
        var strata = new List<int>[R, 3];
        for (int r = 0; r < R; r++)
            for (int t = 0; t < 3; t++) strata[r, t] = [];
        for (long trial = 1; trial <= trials; trial++)
        {
            paths.Draw(key, trial);
            for (int t = 0; t < 3; t++) strata[(trial - 1) % R, t].Add((int)Math.Floor(NormalMath.Cdf(paths.Raw[t]) * m));
        }
        for (int r = 0; r < R; r++)
            for (int t = 0; t < 3; t++)
                Assert.That(strata[r, t].Order(), Is.EqualTo(Enumerable.Range(0, m)), $"randomisation {r}, year {t + 1}");
    }

    // One cohort, one year: the mean loss is exactly loans × PD, and nearly all of its variance is the factor's.
    private static string Pool(string sampling) => $$"""
        { "name": "lhs", "simulation": { "trials": 16384, "seed": 3, "sampling": "{{sampling}}" }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": 2000, "years": 1, "amount": 1, "termYears": 1, "pd": 0.05, "lgd": 1,
                            "exposure": { "macro": 0.45 } }, "shares": { "bank": 1 } } ] }
        """;

    [Test]
    public void Run_LatinHypercube_UnbiasedWithSmallerErrorThanPlainSampling()
    {
        var result = TestScenarios.Run(Pool("lhs"));
        var report = result.QuasiRandom!;
        var mean = report.Figures.Single(f => f.Name == "pool.meanLoss");
        Assert.Multiple(() =>
        {
            Assert.That(report.Method, Is.EqualTo("lhs"));
            Assert.That(result.Guarantees[0].Loss.Mean, Is.EqualTo(100).Within(4 * mean.StandardError));
            Assert.That(result.Guarantees[0].Loss.StandardErrors.Mean, Is.EqualTo(mean.StandardError).Within(1e-9 * mean.StandardError));
            // One factor in one year: the hypercube stratifies the only dimension that matters, as Sobol points do.
            Assert.That(mean.VarianceReduction, Is.GreaterThan(4));
        });
    }

    [Test]
    public void Run_LatinHypercubeWithTCopula_OneAndFourThreadsIdenticalRows()
    {
        var scenario = TestScenarios.Load(Pool("lhs").Replace("16384", "3000").Replace("\"factors\"", "\"copula\": { \"t\": { \"df\": 5 } }, \"factors\""));
        var one = new MemorySink();
        var four = new MemorySink();
        TestScenarios.Run(scenario, 1, one);
        TestScenarios.Run(scenario, 4, four);
        Assert.That(four.Values, Is.EqualTo(one.Values));
    }
}
