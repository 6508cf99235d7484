using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Statistics;

/// <summary>
/// The streaming statistics against the array versions they replace, bit for bit (up to the sign of zero), on
/// random data, ties, constant samples, negative values and ±0, with budgets that keep everything in memory, spill
/// part-way or spill from the first value, and with selection and walk windows forced small so every refinement
/// level and every windowed path runs.
/// </summary>
public class SeriesStatisticsTests
{
    /// <summary>Budgets: all in memory, spilling part-way (after 4,096 values of a series that starts small), spilling at once.</summary>
    private static readonly long[] Budgets = [1L << 30, 50_000, 0];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string data in new[] { "continuous", "ties", "constant", "signed", "rare" })
            foreach (long budget in Budgets)
                foreach (bool small in new[] { false, true })
                    yield return new TestCaseData(data, budget, small).SetArgDisplayNames(data, budget.ToString(System.Globalization.CultureInfo.InvariantCulture), small ? "small windows" : "default windows");
    }

    private static double[] Data(string kind, int n, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => kind switch
        {
            "continuous" => Math.Exp(random.NextDouble() * 3) * (random.NextDouble() < 0.3 ? 0.001 : 1),
            "ties" => random.Next(5) switch { 0 or 1 => 0.0, 2 => 0.5, 3 => 1.0, _ => Math.Round(random.NextDouble(), 2) },
            "constant" => 0.3,
            "signed" => random.Next(6) switch { 0 => -0.0, 1 => 0.0, 2 => -random.NextDouble() * 1e6, 3 => -1.0, _ => random.NextDouble() * 1e-300 },
            "rare" => random.NextDouble() < 0.995 ? 0.0 : 1e8 * random.NextDouble(),
            _ => throw new ArgumentException(kind),
        }).ToArray();
    }

    private static double[] Weights(int n, int seed = 2)
    {
        var random = new Random(seed);
        // Likelihood ratios: positive, spread over orders of magnitude, a few repeated exactly.
        return Enumerable.Range(0, n).Select(_ => random.Next(10) == 0 ? 0.25 : Math.Exp(2 * (random.NextDouble() - 0.5) * 3)).ToArray();
    }

    private static TrialSeries<double> Series(SeriesBudget budget, double[] values)
    {
        var s = new TrialSeries<double>(budget, 16);
        foreach (double v in values) s.Add(v);
        return s;
    }

    /// <summary>Same double, or both NaN, or both zero (the sign of a zero order statistic is not pinned).</summary>
    private static void Same(double actual, double expected, string what) =>
        Assert.That(actual.Equals(expected), Is.True, $"{what}: {actual:R} vs {expected:R}");

    private static void Same(LossSummary a, LossSummary e, string what)
    {
        Same(a.Mean, e.Mean, what + ".mean");
        Same(a.Sd, e.Sd, what + ".sd");
        Same(a.P50, e.P50, what + ".p50");
        Same(a.P90, e.P90, what + ".p90");
        Same(a.P95, e.P95, what + ".p95");
        Same(a.P99, e.P99, what + ".p99");
        Same(a.P999, e.P999, what + ".p999");
        Same(a.Es99, e.Es99, what + ".es99");
        var (x, y) = (a.StandardErrors, e.StandardErrors);
        double[] ax = [x.Mean, x.P50, x.P90, x.P95, x.P99, x.P999, x.Es99], ey = [y.Mean, y.P50, y.P90, y.P95, y.P99, y.P999, y.Es99];
        for (int i = 0; i < ax.Length; i++) Same(ax[i], ey[i], $"{what}.se[{i}]");
        Assert.That(a.Exceedance.Count, Is.EqualTo(e.Exceedance.Count));
        for (int i = 0; i < a.Exceedance.Count; i++)
        {
            var (p, q) = (a.Exceedance[i].Estimate, e.Exceedance[i].Estimate);
            Same(p.Probability, q.Probability, what + ".exceedance");
            Same(p.StandardError, q.StandardError, what + ".exceedance.se");
            Same(p.Ci95Low, q.Ci95Low, what + ".exceedance.low");
            Same(p.Ci95High, q.Ci95High, what + ".exceedance.high");
            Assert.That(p.Count, Is.EqualTo(q.Count));
        }
    }

    private static void Same(SpreadSummary? a, SpreadSummary? e, string what)
    {
        Assert.That(a is null, Is.EqualTo(e is null), what);
        if (a is null || e is null) return;
        Same(a.Mean, e.Mean, what + ".mean");
        Same(a.P5, e.P5, what + ".p5");
        Same(a.P50, e.P50, what + ".p50");
        Same(a.P95, e.P95, what + ".p95");
        Assert.That(a.Defined, Is.EqualTo(e.Defined));
        Same(a.StandardErrors.Mean, e.StandardErrors.Mean, what + ".se.mean");
        Same(a.StandardErrors.P5, e.StandardErrors.P5, what + ".se.p5");
        Same(a.StandardErrors.P50, e.StandardErrors.P50, what + ".se.p50");
        Same(a.StandardErrors.P95, e.StandardErrors.P95, what + ".se.p95");
    }

    /// <summary>Runs <paramref name="body"/> with the selection and walk windows forced small (or not).</summary>
    private static void WithWindows(bool small, Action body) => SelectionWindows.Run(small, body);

    [Test]
    public void Series_InMemoryOrSpilled_ReadsBackTheSameValues()
    {
        var values = Data("continuous", 100_003);
        foreach (long bytes in Budgets)
        {
            var budget = new SeriesBudget(bytes);
            using (var doubles = Series(budget, values))
            using (var floats = new TrialSeries<float>(budget, 10))
            {
                foreach (double v in values) floats.Add((float)v);
                Assert.That(doubles.IsSpilled, Is.EqualTo(bytes < 1L << 30));
                Assert.That(doubles.ToArray(), Is.EqualTo(values));
                Assert.That(floats.ToArray(), Is.EqualTo(values.Select(v => (double)(float)v).ToArray()));
                var part = new double[70_001];
                doubles.CopyTo(12_345, part);
                Assert.That(part, Is.EqualTo(values.AsSpan(12_345, part.Length).ToArray()));
                Assert.That(budget.InUse, Is.LessThanOrEqualTo(bytes));
                using var reader = doubles.Read(99_000, 100_003);
                var read = new List<double>();
                while (reader.Next(out var block)) read.AddRange(block.ToArray());
                Assert.That(read, Is.EqualTo(values[99_000..]));
            }
            Assert.That(budget.OpenFiles, Is.Zero, "disposing a series closes (and so deletes) its file");
            Assert.That(budget.InUse, Is.Zero);
        }
    }

    [Test]
    public void Budget_SpilledSeriesHandsItsChunksOn_NeverAboveTheBudget()
    {
        int chunk = TrialSeries<double>.ChunkValues;
        var budget = new SeriesBudget(3L * SeriesBudget.ChunkBytes);
        using var a = new TrialSeries<double>(budget, chunk);
        for (int i = 0; i < 3 * chunk; i++) a.Add(i);
        Assert.That(a.IsSpilled, Is.False);
        a.Add(-1); // a fourth chunk: refused, so this series spills and keeps one chunk as its write buffer
        Assert.That(a.IsSpilled, Is.True);
        using var b = new TrialSeries<double>(budget, chunk);
        for (int i = 0; i < 2 * chunk; i++) b.Add(i);
        Assert.That(b.IsSpilled, Is.False, "the spilled series' chunks are reused");
        Assert.That(budget.Peak, Is.LessThanOrEqualTo(budget.Bytes));
        Assert.That(a.ToArray()[^1], Is.EqualTo(-1));
        Assert.That(b.ToArray(), Is.EqualTo(Enumerable.Range(0, 2 * chunk).Select(i => (double)i)));
    }

    [Test]
    public void Key_OrdersLikeDoubles_ZerosOneKey_NaNLowest()
    {
        var random = new Random(5);
        double[] special = [double.NegativeInfinity, -double.MaxValue, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon, 1, double.MaxValue, double.PositiveInfinity];
        var values = special.Concat(Enumerable.Range(0, 10_000).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)))).ToArray();
        foreach (double a in values)
        {
            Assert.That(SeriesOrder.Value(SeriesOrder.Key(a)), Is.EqualTo(a == 0 ? 0.0 : a));
            Assert.That(SeriesOrder.Key(double.NaN), Is.LessThan(SeriesOrder.Key(a)));
        }
        for (int i = 0; i + 1 < values.Length; i++)
        {
            double a = values[i], b = values[i + 1];
            Assert.That(Math.Sign(SeriesOrder.Key(a).CompareTo(SeriesOrder.Key(b))), Is.EqualTo(a < b ? -1 : a > b ? 1 : 0), $"{a:R} vs {b:R}");
        }
        Assert.That(SeriesOrder.Key(-0.0), Is.EqualTo(SeriesOrder.Key(0.0)));
    }

    [TestCaseSource(nameof(Cases))]
    public void Select_AnyRanksAndRanges_MatchSorting(string data, long budget, bool small)
    {
        var values = Data(data, 5_000);
        using var s = Series(new SeriesBudget(budget), values);
        WithWindows(small, () =>
        {
            foreach (var (start, end) in new (int, int)[] { (0, 5_000), (0, 1), (0, 1_234), (1_000, 1_250), (4_999, 5_000) })
            {
                var sorted = values[start..end];
                Array.Sort(sorted);
                long n = end - start;
                long[] ranks = new[] { 1L, n, (n + 1) / 2, Math.Max(1, n - 7), Math.Min(n, 3) }.Distinct().Order().ToArray();
                var selected = SeriesOrder.Select(s, start, end, ranks);
                for (int i = 0; i < ranks.Length; i++)
                {
                    double expected = sorted[ranks[i] - 1];
                    Same(selected[i].Value, expected, $"rank {ranks[i]} of [{start}, {end})");
                    Assert.That(selected[i].AtMost, Is.EqualTo(Empirical.UpperBound(sorted, expected)), $"count ≤ rank {ranks[i]}");
                }
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Summarize_MatchesEmpirical(string data, long budget, bool small)
    {
        var values = Data(data, 20_000);
        using var s = Series(new SeriesBudget(budget), values);
        double[] thresholds = [0, 0.5, 1e5];
        Assert.That(s.IsSpilled, Is.EqualTo(budget < 1L << 30), "the budget decides whether the series spills");
        WithWindows(small, () =>
        {
            Same(SeriesStatistics.Summarize(s, thresholds), Empirical.Summarize((double[])values.Clone(), thresholds), data);
            // Prefixes (precision checkpoints) and batches (paired comparisons).
            foreach (int m in new[] { 1, 2, 99, 4_096, 19_999 })
            {
                var prefix = values[..m];
                Array.Sort(prefix);
                var (q, e) = SeriesStatistics.Quantiles(s, 0, m, [(99, 100)], [0.99]);
                Same(q[0], Empirical.Quantile(prefix, 99, 100), $"p99 of the first {m}");
                Same(e[0], Empirical.QuantileStandardError(prefix, 0.99), $"se of p99 of the first {m}");
            }
            var (mean, sd) = SeriesStatistics.MeanSd(s, 300, 17_000);
            var (emean, esd) = Empirical.MeanSd(values.AsSpan(300, 16_700));
            Same(mean, emean, "mean of a range");
            Same(sd, esd, "sd of a range");
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Spread_MatchesEmpirical(string data, long budget, bool small)
    {
        var floats = Data(data, 6_000).Select((v, i) => i % 7 == 3 ? float.NaN : (float)(v * 1.1)).ToArray();
        var b = new SeriesBudget(budget);
        using var defined = new TrialSeries<double>(b, floats.Length);
        foreach (float v in floats)
            if (!float.IsNaN(v)) defined.Add(Empirical.FromFloat(v));
        WithWindows(small, () => Same(SeriesStatistics.Spread(defined), Empirical.Spread(floats), data));
    }

    [TestCaseSource(nameof(Cases))]
    public void WeightedSummarize_MatchesWeightedEmpirical(string data, long budget, bool small)
    {
        var values = Data(data, 8_000);
        var weights = Weights(values.Length);
        var b = new SeriesBudget(budget);
        using var x = Series(b, values);
        using var w = Series(b, weights);
        double[] thresholds = [0, 0.5];
        WithWindows(small, () =>
        {
            Same(SeriesStatistics.WeightedSummarize(x, w, thresholds), WeightedEmpirical.Summarize(values, weights, thresholds), data);
            foreach (var (start, end) in new (int, int)[] { (0, 1), (0, 2), (0, 3_000), (2_500, 7_000) })
            {
                double[] qs = [0.05, 0.5, 0.99];
                var (q, _) = SeriesStatistics.WeightedQuantiles(x, w, start, end, qs);
                var se = SeriesStatistics.WeightedBatchErrors(x, w, start, end, qs);
                for (int i = 0; i < qs.Length; i++)
                {
                    Same(q[i], WeightedEmpirical.Quantile(values[start..end], weights[start..end], qs[i]), $"q{qs[i]} of [{start}, {end})");
                    Same(se[i], WeightedEmpirical.QuantileSe(values[start..end], weights[start..end], qs[i]), $"se of q{qs[i]} of [{start}, {end})");
                }
            }
            var (mean, meanSe) = SeriesStatistics.WeightedMean(x, w, 0, values.Length);
            var (emean, ese) = WeightedEmpirical.Mean(values, weights);
            Same(mean, emean, "weighted mean");
            Same(meanSe, ese, "weighted mean se");
            Same(SeriesStatistics.EffectiveSampleSize(w, weights.Length), WeightedEmpirical.EffectiveSampleSize(weights), "ESS");
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void WeightedSpread_MatchesWeightedEmpirical(string data, long budget, bool small)
    {
        var floats = Data(data, 5_000).Select((v, i) => i % 5 == 1 ? float.NaN : (float)v).ToArray();
        var weights = Weights(floats.Length);
        var b = new SeriesBudget(budget);
        var keep = Enumerable.Range(0, floats.Length).Where(i => !float.IsNaN(floats[i])).ToArray();
        using var x = Series(b, keep.Select(i => Empirical.FromFloat(floats[i])).ToArray());
        using var w = Series(b, keep.Select(i => weights[i]).ToArray());
        WithWindows(small, () => Same(SeriesStatistics.WeightedSpread(x, w), WeightedEmpirical.Spread(floats, weights), data));
    }

    private sealed class Recorder : IOrderVisitor
    {
        public readonly List<(double Value, double Weight)> Seen = [];
        public int Limit = int.MaxValue;

        public bool Visit(double value, double weight)
        {
            Seen.Add((value, weight));
            return Seen.Count < Limit;
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Walk_VisitsValueThenTrialOrder(string data, long budget, bool small)
    {
        var values = Data(data, 3_000);
        // Weights that name the trial, so the visiting order of ties can be read off.
        var trials = Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray();
        var b = new SeriesBudget(budget);
        using var x = Series(b, values);
        using var w = Series(b, trials);
        var ascending = Enumerable.Range(0, values.Length).OrderBy(i => values[i] == 0 ? 0 : values[i]).ThenBy(i => i).ToArray();
        WithWindows(small, () =>
        {
            foreach (bool descending in new[] { false, true })
            {
                var expected = descending ? ascending.Reverse().ToArray() : ascending;
                var all = new Recorder();
                Assert.That(SeriesOrder.Walk(x, w, 0, values.Length, descending, null, ref all), Is.True);
                Assert.That(all.Seen.Select(s => (int)s.Weight), Is.EqualTo(expected), descending ? "descending" : "ascending");
                var stopped = new Recorder { Limit = 1_001 };
                Assert.That(SeriesOrder.Walk(x, w, 0, values.Length, descending, null, ref stopped), Is.False);
                Assert.That(stopped.Seen.Select(s => (int)s.Weight), Is.EqualTo(expected.Take(1_001)));
            }
            double cut = values.Order().ElementAt(2_500);
            var above = new Recorder();
            SeriesOrder.Walk(x, null, 0, values.Length, false, cut, ref above);
            Assert.That(above.Seen.Select(s => s.Value), Is.EqualTo(ascending.Where(i => values[i] > cut).Select(i => values[i] == 0 ? 0 : values[i])));
            Assert.That(above.Seen.Select(s => s.Weight), Is.All.EqualTo(1));
        });
    }

    [Test]
    public void Distribution_BeyondExactLimit_ExactAtItsPoints()
    {
        int n = TrialDistribution.ExactLimit + 10_000;
        var values = Data("ties", n).Select((v, i) => i % 3 == 0 ? v : v * 0.77 + 0.1).ToArray();
        var weights = Weights(n);
        var b = new SeriesBudget(0);
        using var x = Series(b, values);
        using var w = Series(b, weights);
        var grid = TrialDistribution.LossRatioGrid().ToArray();
        var compact = TrialDistribution.Build(x, null, grid);
        var exact = TrialDistribution.FromSample(values);
        var compactWeighted = TrialDistribution.Build(x, w, grid);
        var exactWeighted = TrialDistribution.FromSample(values, weights);
        Assert.That(compact.IsExact, Is.False);
        Assert.That(exact.IsExact, Is.True);
        Assert.That(compact.Count, Is.EqualTo(n));
        Assert.That(compact.Max, Is.EqualTo(values.Max()));
        foreach (double p in grid.Append(-1).Append(2))
        {
            Assert.That(compact.CountAbove(p), Is.EqualTo(exact.CountAbove(p)), $"count above {p}");
            Assert.That(compact.Exceedance(p), Is.EqualTo(exact.Exceedance(p)), $"exceedance at {p}");
            Assert.That(compactWeighted.WeightedTail(p).P, Is.EqualTo(exactWeighted.WeightedTail(p).P).Within(1e-12), $"weighted tail at {p}");
            Assert.That(compactWeighted.WeightedTail(p).Se, Is.EqualTo(exactWeighted.WeightedTail(p).Se).Within(1e-9), $"weighted se at {p}");
        }
        // Bins on grid points: unweighted shares are the same numbers (sums of whole counts).
        Func<double, int> fifty = v => Math.Min((int)Math.Floor(Math.Clamp(v, 0, 1) * 50), 49);
        Assert.That(compact.Shares(50, fifty), Is.EqualTo(exact.Shares(50, fifty)));
        Assert.That(compactWeighted.Shares(50, fifty), Is.EqualTo(exactWeighted.Shares(50, fifty)).Within(1e-9));
        Assert.That(compact.TailEstimate(0.5).Count, Is.EqualTo(exact.TailEstimate(0.5).Count));
    }

    [TestCase("continuous")]
    [TestCase("ties")]
    [TestCase("rare")]
    public void WeightedSummarize_EqualWeightsNotAveragingOne_SameAsUnweighted(string data)
    {
        // Equal weights carry no information: whatever their size, every weighted statistic must be the unweighted
        // one. n = 1,003 keeps (1 − q)·n off whole numbers for every reported q, so rounding cannot move a quantile.
        var values = Data(data, 1_003);
        var weights = Enumerable.Repeat(0.37, values.Length).ToArray();
        var b = new SeriesBudget(1L << 30);
        using var x = Series(b, values);
        using var w = Series(b, weights);
        double[] thresholds = [0, 0.5, 10];
        var plain = Empirical.Summarize(values, thresholds);
        foreach (var weighted in new[] { SeriesStatistics.WeightedSummarize(x, w, thresholds), WeightedEmpirical.Summarize(values, weights, thresholds) })
        {
            Assert.Multiple(() =>
            {
                Assert.That(weighted.Mean, Is.EqualTo(plain.Mean).Within(1e-12).Percent, "mean");
                Assert.That(weighted.Sd, Is.EqualTo(plain.Sd).Within(1e-9).Percent, "sd");
                Assert.That(new[] { weighted.P50, weighted.P90, weighted.P95, weighted.P99, weighted.P999 },
                    Is.EqualTo(new[] { plain.P50, plain.P90, plain.P95, plain.P99, plain.P999 }), "quantiles");
                Assert.That(weighted.Es99, Is.EqualTo(plain.Es99).Within(1e-9).Percent, "es99");
                Assert.That(weighted.StandardErrors.Mean, Is.EqualTo(plain.StandardErrors.Mean).Within(1e-9).Percent, "standard error of the mean");
                for (int i = 0; i < thresholds.Length; i++)
                {
                    var (e, p) = (weighted.Exceedance[i].Estimate, plain.Exceedance[i].Estimate);
                    Assert.That(e.Probability, Is.EqualTo(p.Probability).Within(1e-12), $"P(x > {thresholds[i]})");
                    // The weighted error divides the variance by n − 1, the binomial one by n: a factor 1.0005 here.
                    Assert.That(e.StandardError, Is.EqualTo(p.StandardError).Within(0.06).Percent.Or.EqualTo(0).Within(1e-15), $"se of P(x > {thresholds[i]})");
                }
            });
        }
    }

    [Test]
    public void WeightedMean_ConstantFigure_ExactlyItselfWithNoError()
    {
        var weights = Weights(5_000);
        var constant = Enumerable.Repeat(0.6, weights.Length).ToArray();
        var b = new SeriesBudget(1L << 30);
        using var x = Series(b, constant);
        using var w = Series(b, weights);
        Assert.That(weights.Average(), Is.Not.EqualTo(1).Within(0.01), "the weights do not average 1");
        Assert.That(SeriesStatistics.WeightedMean(x, w, 0, weights.Length), Is.EqualTo((0.6, 0.0)));
        Assert.That(WeightedEmpirical.Mean(constant, weights), Is.EqualTo((0.6, 0.0)));
        var tally = new Tally();
        foreach (double v in weights) tally.Add(v, 0.6);
        Assert.That(tally.SelfNormalised(weights.Length), Is.EqualTo((0.6, 0.0)));
        var distribution = TrialDistribution.FromSample(constant, weights);
        Assert.That(distribution.Exceedance(0.5), Is.EqualTo(1).Within(1e-15), "every trial is above 0.5");
        Assert.That(distribution.Shares(1, _ => 0).Single(), Is.EqualTo(100).Within(1e-12), "all trials fall in the one bin");
    }

    [Test]
    public void FromFloat_SameAsStringRoundTrip()
    {
        var random = new Random(9);
        for (int i = 0; i < 20_000; i++)
        {
            float v = i switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                2 => float.NegativeInfinity,
                3 => -0f,
                4 => float.Epsilon,
                5 => float.MaxValue,
                _ => (float)((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-40, 39))),
            };
            double expected = double.Parse(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(BitConverter.DoubleToInt64Bits(Empirical.FromFloat(v)), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), v.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
