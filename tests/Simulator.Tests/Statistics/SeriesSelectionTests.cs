using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Statistics;

/// <summary>
/// The selection's newer paths against the ones they replace, bit for bit: floats selected on their 32-bit keys
/// against their doubles on 64-bit keys, the return-figure spread read off the floats against the spread of the
/// widened series, capital quantiles against those of the decimal series, in-memory selection against sorting, the
/// distribution counted alongside a summary against one built alone, and the point lookup against a binary search —
/// on random data with NaN, ±0, ties, negative values and huge ties at zero, kept in memory or spilled.
/// </summary>
public class SeriesSelectionTests
{
    private static readonly long[] Budgets = [1L << 30, 0];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string data in new[] { "continuous", "ties", "signed", "zeros", "special" })
            foreach (long budget in Budgets)
                foreach (bool small in new[] { false, true })
                    yield return new TestCaseData(data, budget, small).SetArgDisplayNames(data, budget == 0 ? "spilled" : "in memory", small ? "small windows" : "default windows");
    }

    private static float[] Floats(string kind, int n, int seed = 3)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => kind switch
        {
            "continuous" => (float)(Math.Exp(random.NextDouble() * 4) - 1.5),
            "ties" => random.Next(6) switch { 0 => float.NaN, 1 or 2 => 0f, 3 => -1f, _ => MathF.Round((float)random.NextDouble(), 2) },
            "signed" => random.Next(7) switch { 0 => -0f, 1 => 0f, 2 => -(float)random.NextDouble() * 1e6f, 3 => float.NaN, 4 => float.Epsilon, _ => (float)random.NextDouble() * 1e-30f },
            "zeros" => random.NextDouble() < 0.9 ? 0f : (float)random.NextDouble(),
            "special" => random.Next(8) switch { 0 => float.PositiveInfinity, 1 => float.NegativeInfinity, 2 => float.MaxValue, 3 => -float.Epsilon, 4 => float.NaN, _ => (float)(random.NextDouble() - 0.5) },
            _ => throw new ArgumentException(kind),
        }).ToArray();
    }

    private static TrialSeries<float> FloatSeries(SeriesBudget budget, float[] values)
    {
        var s = new TrialSeries<float>(budget, 16);
        foreach (float v in values) s.Add(v);
        return s;
    }

    private static TrialSeries<double> DoubleSeries(SeriesBudget budget, IEnumerable<double> values)
    {
        var s = new TrialSeries<double>(budget, 16);
        foreach (double v in values) s.Add(v);
        return s;
    }

    /// <summary>The same bits (so +0 and −0 differ, and NaN equals NaN).</summary>
    private static void Same(double actual, double expected, string what) =>
        Assert.That(BitConverter.DoubleToInt64Bits(actual), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"{what}: {actual:R} vs {expected:R}");

    private static void WithWindows(bool small, Action body) => SelectionWindows.Run(small, body);

    [Test]
    public void FloatKey_OrdersLikeTheFloatsDoubles_ZerosOneKey_NaNLowest_LowerHalfZero()
    {
        var values = Floats("special", 3_000).Concat(Floats("signed", 3_000)).Concat(Floats("continuous", 3_000)).ToArray();
        foreach (float a in values)
        {
            ulong key = SeriesOrder.FloatKey(a);
            Assert.That(key & 0xFFFF_FFFFUL, Is.Zero);
            Same(SeriesOrder.FloatValue(key), float.IsNaN(a) ? double.NaN : a == 0 ? 0.0 : a, $"value of the key of {a:R}");
        }
        for (int i = 0; i + 1 < values.Length; i++)
        {
            float a = values[i], b = values[i + 1];
            Assert.That(Math.Sign(SeriesOrder.FloatKey(a).CompareTo(SeriesOrder.FloatKey(b))),
                Is.EqualTo(Math.Sign(SeriesOrder.Key(a).CompareTo(SeriesOrder.Key(b)))), $"{a:R} vs {b:R}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Select_FloatKeys_SameAsDoubleKeys(string data, long budget, bool small)
    {
        var floats = Floats(data, 9_000);
        var b = new SeriesBudget(budget);
        using var f = FloatSeries(b, floats);
        using var d = DoubleSeries(b, floats.Select(v => (double)v));
        WithWindows(small, () =>
        {
            foreach (var (start, end) in new (int, int)[] { (0, 9_000), (0, 1), (100, 5_100), (8_990, 9_000) })
            {
                long n = end - start;
                long[] ranks = new[] { 1L, n, (n + 1) / 2, Math.Max(1, n / 20), Math.Max(1, n - n / 20), Math.Min(n, 2) }.Distinct().Order().ToArray();
                var expected = SeriesOrder.Select(d, start, end, ranks);
                var actual = SeriesOrder.Select(f, start, end, ranks);
                for (int i = 0; i < ranks.Length; i++)
                {
                    Same(actual[i].Value, expected[i].Value, $"rank {ranks[i]} of [{start}, {end})");
                    Assert.That(actual[i].AtMost, Is.EqualTo(expected[i].AtMost), $"count ≤ rank {ranks[i]} of [{start}, {end})");
                }
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void FloatSpread_SameAsSpreadOfTheWidenedDefinedValues(string data, long budget, bool small)
    {
        var floats = Floats(data, 20_000);
        var b = new SeriesBudget(budget);
        using var f = FloatSeries(b, floats);
        using var widened = DoubleSeries(b, floats.Where(v => !float.IsNaN(v)).Select(v => (double)v));
        WithWindows(small, () =>
        {
            var actual = SeriesStatistics.FloatSpread(f);
            var expected = SeriesStatistics.Spread(widened);
            Assert.That(actual is null, Is.EqualTo(expected is null));
            if (actual is null || expected is null) return;
            Same(actual.Mean, expected.Mean, "mean");
            Same(actual.P5, Empirical.FromFloat((float)expected.P5), "p5");
            Same(actual.P50, Empirical.FromFloat((float)expected.P50), "p50");
            Same(actual.P95, Empirical.FromFloat((float)expected.P95), "p95");
            Assert.That(actual.Defined, Is.EqualTo(expected.Defined));
            Same(actual.StandardErrors.Mean, expected.StandardErrors.Mean, "se of the mean");
            Same(actual.StandardErrors.P5, expected.StandardErrors.P5, "se of p5");
            Same(actual.StandardErrors.P50, expected.StandardErrors.P50, "se of p50");
            Same(actual.StandardErrors.P95, expected.StandardErrors.P95, "se of p95");
        });
    }

    [Test]
    public void FloatSpread_NoDefinedValue_IsNull()
    {
        using var f = FloatSeries(new SeriesBudget(0), [float.NaN, float.NaN]);
        Assert.That(SeriesStatistics.FloatSpread(f), Is.Null);
    }

    [TestCaseSource(nameof(Cases))]
    public void DecimalQuantiles_SameAsQuantilesOfTheDecimalSeries(string data, long budget, bool small)
    {
        var floats = Floats(data, 12_000);
        var b = new SeriesBudget(budget);
        using var f = FloatSeries(b, floats);
        using var decimals = DoubleSeries(b, floats.Select(Empirical.FromFloat));
        (long, long)[] quantiles = [(1, 20), (1, 2), (19, 20)];
        double[] errorsAt = [0.05, 0.5, 0.95];
        WithWindows(small, () =>
        {
            var (q, e) = SeriesStatistics.DecimalQuantiles(f, quantiles, errorsAt);
            var (eq, ee) = SeriesStatistics.Quantiles(decimals, 0, floats.Length, quantiles, errorsAt);
            for (int i = 0; i < q.Length; i++)
            {
                Same(q[i], eq[i], $"quantile {i}");
                Same(e[i], ee[i], $"error {i}");
            }
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Summarize_WithDistributionAlongside_SameAsEachAlone(string data, long budget, bool small)
    {
        var values = Floats(data, TrialDistribution.ExactLimit + 5_000).Select((v, i) => i % 4 == 0 ? v : v * 0.37).Select(v => (double)v).ToArray();
        var b = new SeriesBudget(budget);
        using var x = DoubleSeries(b, values);
        var points = TrialDistribution.LossRatioGrid().Append(0.123).Append(-1).ToArray();
        double[] thresholds = [0, 0.25];
        WithWindows(small, () =>
        {
            var counter = new TrialDistribution.Counter(points);
            var together = SeriesStatistics.Summarize(x, thresholds, counter.Add);
            var counted = counter.ToDistribution(values.Length);
            var alone = SeriesStatistics.Summarize(x, thresholds);
            var built = TrialDistribution.Build(x, null, points);
            Assert.That(Text(together), Is.EqualTo(Text(alone)));
            Same(counted.Max, built.Max, "max");
            foreach (double p in points.Append(double.NegativeInfinity).Append(double.PositiveInfinity).Append(0.5001))
                Assert.That(counted.CountAbove(p), Is.EqualTo(built.CountAbove(p)), $"count above {p}");
            Func<double, int> bins = v => Math.Min((int)Math.Floor(Math.Clamp(v, 0, 1) * 50), 49);
            Assert.That(counted.Shares(50, bins), Is.EqualTo(built.Shares(50, bins)));
        });
    }

    /// <summary>Every figure of a loss summary as round-trip text (so NaN and the sign of zero count).</summary>
    private static string Text(LossSummary s)
    {
        var e = s.StandardErrors;
        double[] all = [s.Mean, s.Sd, s.P50, s.P90, s.P95, s.P99, s.P999, s.Es99, e.Mean, e.P50, e.P90, e.P95, e.P99, e.P999, e.Es99,
            .. s.Exceedance.SelectMany(p => new[] { p.Estimate.Probability, p.Estimate.StandardError, p.Estimate.Count })];
        return string.Join(" ", all.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("X16", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void KeySelection_MatchesSorting()
    {
        var random = new Random(11);
        foreach (int n in new[] { 1, 2, 255, 256, 257, 1_000, 70_000 })
        {
            foreach (string kind in new[] { "spread", "narrow", "ties", "equal" })
            {
                var keys = Enumerable.Range(0, n).Select(_ => kind switch
                {
                    "spread" => (ulong)random.NextInt64() * 2 + (ulong)random.Next(2),
                    "narrow" => 0x8123_4567_0000_0000UL + (ulong)random.Next(1 << 20),
                    "ties" => 0x4000_0000_0000_0000UL + (ulong)random.Next(5) * 0x10_0000UL,
                    _ => 0xBFF0_0000_0000_0000UL,
                }).ToArray();
                var sorted = keys.Order().ToArray();
                long[] ranks = new[] { 1L, n, (n + 1) / 2, Math.Max(1, n / 100), Math.Max(1, n - 3) }.Distinct().Order().ToArray();
                var selected = new ulong[ranks.Length];
                var atMost = new long[ranks.Length];
                KeySelection.Select((ulong[])keys.Clone(), ranks, selected, atMost);
                for (int i = 0; i < ranks.Length; i++)
                {
                    Assert.That(selected[i], Is.EqualTo(sorted[ranks[i] - 1]), $"{kind} n={n} rank {ranks[i]}");
                    Assert.That(atMost[i], Is.EqualTo(Empirical.UpperBound<ulong>(sorted, selected[i])), $"{kind} n={n} count ≤ rank {ranks[i]}");
                }
            }
        }
    }

    [Test]
    public void PointIndex_SameAsBinarySearch()
    {
        var random = new Random(13);
        double[][] grids =
        [
            [],
            [0.5],
            [.. TrialDistribution.LossRatioGrid()],
            [.. TrialDistribution.LossRatioGrid().Append(0.30000000000000004).Append(0.3000000000000001).Append(1e-300).Order()],
            [-1e300, -5, 0, 1e-9, 2e-9, 7, 1e300],
            [double.NegativeInfinity, 0, 1, double.PositiveInfinity],
        ];
        foreach (var grid in grids)
        {
            var index = new PointIndex(grid);
            var probes = grid.Concat(grid.Select(Math.BitIncrement)).Concat(grid.Select(Math.BitDecrement))
                .Concat(Enumerable.Range(0, 5_000).Select(_ => random.NextDouble() * 1.2 - 0.1))
                .Concat([-0.0, 0.0, double.NegativeInfinity, double.PositiveInfinity, double.MaxValue, -double.MaxValue, double.Epsilon]);
            foreach (double v in probes.Where(v => !double.IsNaN(v)))
                Assert.That(index.Search(v), Is.EqualTo(Array.BinarySearch(grid, v)), $"{v:R} among {grid.Length} points");
        }
    }
}
