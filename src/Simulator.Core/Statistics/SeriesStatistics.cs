using System.Buffers;

namespace Simulator.Core.Statistics;

/// <summary>
/// The statistics of <see cref="Empirical"/> and <see cref="WeightedEmpirical"/> computed on <see cref="TrialSeries"/>
/// instead of arrays, with bounded memory and bit for bit the same results: every sum runs over the same values in
/// the same order (trial order, or (value, trial) order where the array version walks a sorted sample), and every
/// order statistic is selected exactly (<see cref="SeriesOrder"/>).
/// </summary>
internal static class SeriesStatistics
{
    private const double Z = 1.959963984540054;

    /// <summary>Reads two aligned series block by block.</summary>
    internal delegate void PairAction(ReadOnlySpan<double> x, ReadOnlySpan<double> w);

    /// <summary>Visits the values [start, end) of <paramref name="x"/> and <paramref name="w"/> side by side, in trial order.</summary>
    internal static void Zip(TrialSeries x, TrialSeries w, long start, long end, PairAction action)
    {
        var xb = ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
        var wb = ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
        try
        {
            for (long from = start; from < end; from += SeriesReader.BlockValues)
            {
                int count = (int)Math.Min(SeriesReader.BlockValues, end - from);
                x.CopyTo(from, xb.AsSpan(0, count));
                w.CopyTo(from, wb.AsSpan(0, count));
                action(xb.AsSpan(0, count), wb.AsSpan(0, count));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xb);
            ArrayPool<double>.Shared.Return(wb);
        }
    }

    /// <summary>Mean and sd (n − 1) in trial order, two passes (as <see cref="Empirical.MeanSd"/>).</summary>
    internal static (double Mean, double Sd) MeanSd(TrialSeries x, long start, long end)
    {
        long n = end - start;
        if (n == 0) return (double.NaN, double.NaN);
        double sum = 0;
        using (var r = x.Read(start, end))
            while (r.Next(out var block))
                foreach (double v in block) sum += v;
        double mean = sum / n;
        if (n == 1) return (mean, 0);
        double ss = 0;
        using (var r = x.Read(start, end))
            while (r.Next(out var block))
                foreach (double v in block) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / (n - 1)));
    }

    /// <summary>Sum in trial order, divided by the count (as LINQ's <c>Average</c>).</summary>
    internal static double Average(TrialSeries x, long start, long end)
    {
        if (end <= start) throw new InvalidOperationException("no values to average");
        double sum = 0;
        using (var r = x.Read(start, end))
            while (r.Next(out var block))
                foreach (double v in block) sum += v;
        return sum / (end - start);
    }

    /// <summary>The ⌈q·n⌉-th smallest values and the order-statistic standard errors (as <see cref="Empirical.QuantileStandardError"/>).</summary>
    internal static (double[] Quantiles, double[] Errors) Quantiles(TrialSeries x, long start, long end, (long Num, long Den)[] quantiles, double[] errorsAt)
    {
        var (values, errors, _) = QuantilesWithCounts(x, start, end, quantiles, errorsAt);
        return (values, errors);
    }

    /// <summary>As <see cref="Quantiles"/>, with the number of values at most each quantile.</summary>
    private static (double[] Quantiles, double[] Errors, long[] AtMost) QuantilesWithCounts(TrialSeries x, long start, long end, (long Num, long Den)[] quantiles, double[] errorsAt)
    {
        long n = end - start;
        var ranks = new List<long>();
        foreach (var (num, den) in quantiles) ranks.Add(Empirical.Rank(n, num, den));
        var errorRanks = new (long Lo, long Hi)[errorsAt.Length];
        for (int i = 0; i < errorsAt.Length; i++)
        {
            if (n < 2) continue;
            double q = errorsAt[i];
            double center = n * q, half = Z * Math.Sqrt(n * q * (1 - q));
            long lo = Math.Clamp((long)Math.Floor(center - half), 1, n), hi = Math.Clamp((long)Math.Ceiling(center + half), 1, n);
            errorRanks[i] = (lo, hi);
            ranks.Add(lo);
            ranks.Add(hi);
        }
        var distinct = ranks.Distinct().Order().ToArray();
        var selected = SeriesOrder.Select(x, start, end, distinct);
        (double Value, long AtMost) At(long rank) => selected[Array.BinarySearch(distinct, rank)];
        var values = quantiles.Select((_, i) => At(ranks[i]).Value).ToArray();
        var atMost = quantiles.Select((_, i) => At(ranks[i]).AtMost).ToArray();
        var errors = errorRanks.Select(r => n < 2 ? double.NaN : (At(r.Hi).Value - At(r.Lo).Value) / (2 * Z)).ToArray();
        return (values, errors, atMost);
    }

    /// <summary>The q-quantile (⌈q·n⌉-th smallest) of [start, end) and the number of values at most it.</summary>
    internal static (double Value, long AtMost) Quantile(TrialSeries x, long start, long end, long num, long den) =>
        SeriesOrder.Select(x, start, end, [Empirical.Rank(end - start, num, den)])[0];

    /// <summary>Keeps the values a walk visits, in order.</summary>
    private struct Collect : IOrderVisitor
    {
        public List<double> Values;

        public readonly bool Visit(double value, double weight)
        {
            Values.Add(value);
            return true;
        }
    }

    /// <summary>Sums the values a walk visits (first pass), then their squared deviations from <see cref="Mean"/>.</summary>
    private struct SumAbove : IOrderVisitor
    {
        public double Sum, Mean, Squares;
        public bool SecondPass;

        public bool Visit(double value, double weight)
        {
            if (SecondPass) Squares += (value - Mean) * (value - Mean);
            else Sum += value;
            return true;
        }
    }

    /// <summary>The loss summary of spec §5 (as <see cref="Empirical.Summarize"/>).</summary>
    internal static LossSummary Summarize(TrialSeries x, IReadOnlyList<double> thresholds)
    {
        long n = x.Count;
        var (mean, sd) = MeanSd(x, 0, n);
        var above = new long[thresholds.Count];
        if (thresholds.Count > 0)
        {
            using var r = x.Read(0, n);
            while (r.Next(out var block))
                foreach (double v in block)
                    for (int t = 0; t < above.Length; t++)
                        if (v > thresholds[t]) above[t]++;
        }
        var exceedance = thresholds.Select((t, i) => new ExceedancePoint(t, ProbabilityEstimate.FromCount(above[i], n))).ToList();
        var (q, errors, atMost) = QuantilesWithCounts(x, 0, n, [(1, 2), (9, 10), (19, 20), (99, 100), (999, 1000)], [0.5, 0.9, 0.95, 0.99, 0.999]);
        var (es99, esError) = ExpectedShortfall(x, n, q[3], atMost[3]);
        var standardErrors = new SummaryStandardErrors(n > 0 ? sd / Math.Sqrt(n) : double.NaN, errors[0], errors[1], errors[2], errors[3], errors[4], esError);
        return new LossSummary(mean, sd, q[0], q[1], q[2], q[3], q[4], es99, exceedance, standardErrors);
    }

    /// <summary>ES99 in the Acerbi–Tasche form and its standard error (as <see cref="Empirical.ExpectedShortfall"/> and
    /// <see cref="Empirical.ExpectedShortfallStandardError"/>), from the p99 <paramref name="q"/> and the count of values at most it.</summary>
    private static (double Es, double Se) ExpectedShortfall(TrialSeries x, long n, double q, long firstAbove)
    {
        const long num = 99, den = 100;
        const double alpha = 0.99;
        // The values above q, ascending: their sum (ES) and, for the standard error, their mean and sd. At most 1% of
        // the values; held in memory when they fit a walk window, otherwise walked twice.
        long m = n - firstAbove;
        double tail, tailVariance = 0;
        if (m <= SeriesOrder.WindowCapacity)
        {
            var collect = new Collect { Values = new List<double>((int)m) };
            SeriesOrder.Walk(x, null, 0, n, false, q, ref collect);
            tail = 0;
            foreach (double v in collect.Values) tail += v;
            if (m > 1)
            {
                double mean = tail / m, ss = 0;
                foreach (double v in collect.Values) ss += (v - mean) * (v - mean);
                double tailSd = Math.Sqrt(ss / (m - 1));
                tailVariance = tailSd * tailSd;
            }
        }
        else
        {
            var sums = new SumAbove();
            SeriesOrder.Walk(x, null, 0, n, false, q, ref sums);
            tail = sums.Sum;
            sums.Mean = sums.Sum / m;
            sums.SecondPass = true;
            SeriesOrder.Walk(x, null, 0, n, false, q, ref sums);
            double tailSd = Math.Sqrt(sums.Squares / (m - 1));
            tailVariance = tailSd * tailSd;
        }
        var excess = (Int128)firstAbove * den - (Int128)n * num;
        double tailMass = (double)((Int128)n * (den - num));
        double es = (tail * den + q * (double)excess) / tailMass;
        if (n < 2) return (es, double.NaN);
        return (es, Math.Sqrt((tailVariance + alpha * (es - q) * (es - q)) / ((1 - alpha) * n)));
    }

    /// <summary>Mean, p5, p50, p95 of a return figure's defined values (as <see cref="Empirical.Spread"/>).</summary>
    internal static SpreadSummary? Spread(TrialSeries defined)
    {
        long n = defined.Count;
        if (n == 0) return null;
        var (mean, sd) = MeanSd(defined, 0, n);
        var (q, errors) = Quantiles(defined, 0, n, [(1, 20), (1, 2), (19, 20)], [0.05, 0.5, 0.95]);
        return new SpreadSummary(mean, q[0], q[1], q[2], n)
        {
            StandardErrors = (sd / Math.Sqrt(n), errors[0], errors[1], errors[2]),
        };
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Importance sampling

    /// <summary>Σ w·x / n and its standard error sd(w·x)/√n, in trial order (as <see cref="WeightedEmpirical.Mean"/>).</summary>
    internal static (double Mean, double StandardError) WeightedMean(TrialSeries x, TrialSeries w, long start, long end)
    {
        long n = end - start;
        double sum = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++) sum += ws[i] * xs[i];
        });
        double mean = sum / n, ss = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double d = ws[i] * xs[i] - mean;
                ss += d * d;
            }
        });
        return (mean, n > 1 ? Math.Sqrt(ss / (n - 1) / n) : double.NaN);
    }

    /// <summary>
    /// Walks a weighted sample from the top, summing weights as <see cref="WeightedEmpirical"/>'s sorted walk does: the
    /// q-quantile is the first value at which the weight above and at it exceeds (1 − q)·n; the ES tail sums are
    /// those of the values strictly above the quantile at <see cref="_esAlpha"/>.
    /// </summary>
    private sealed class WeightedWalk : IOrderVisitor
    {
        private readonly double[] _budgets;
        private readonly bool[] _done;
        private readonly int _esIndex;
        private long _left;
        private int _resolved;
        private double _tail, _tailSum, _groupWeight, _groupSum, _previous;
        private bool _started;

        public readonly double[] Quantiles;
        public double EsWeight, EsSum;
        private readonly double _esAlpha;

        public WeightedWalk(long n, double[] qs, double? esAlpha)
        {
            _left = n;
            _budgets = qs.Select(q => (1 - q) * n).ToArray();
            Quantiles = qs.Select(_ => double.NaN).ToArray();
            _done = new bool[qs.Length];
            _esAlpha = esAlpha ?? double.NaN;
            _esIndex = esAlpha is { } a ? Array.IndexOf(qs, a) : -1;
            if (esAlpha is not null && _esIndex < 0) throw new ArgumentException("the ES level must be among the quantiles", nameof(esAlpha));
        }

        public bool Visit(double value, double weight)
        {
            long j = --_left;
            if (!_started || !value.Equals(_previous))
            {
                // A new run of equal values: the sums so far are those of the values strictly above it.
                _groupWeight = _tail;
                _groupSum = _tailSum;
                _previous = value;
                _started = true;
            }
            if (j == 0)
            {
                for (int k = 0; k < Quantiles.Length; k++)
                    if (!_done[k]) Resolve(k, value);
                return false;
            }
            _tail += weight;
            _tailSum += weight * value;
            for (int k = 0; k < Quantiles.Length; k++)
                if (!_done[k] && _tail > _budgets[k]) Resolve(k, value);
            return _resolved < Quantiles.Length;
        }

        private void Resolve(int k, double value)
        {
            _done[k] = true;
            _resolved++;
            Quantiles[k] = value;
            if (k == _esIndex)
            {
                EsWeight = _groupWeight;
                EsSum = _groupSum;
            }
        }

        /// <summary>ES at the ES level: (Σ_{x &gt; q} w·x / n + q·((1 − α) − Σ_{x &gt; q} w / n)) / (1 − α).</summary>
        public double ExpectedShortfall(long n)
        {
            double q = Quantiles[_esIndex];
            return (EsSum / n + q * ((1 - _esAlpha) - EsWeight / n)) / (1 - _esAlpha);
        }
    }

    /// <summary>Weighted quantiles of [start, end) (and ES at <paramref name="esAlpha"/>, which must be one of them).</summary>
    internal static (double[] Quantiles, double Es) WeightedQuantiles(TrialSeries x, TrialSeries w, long start, long end, double[] qs, double? esAlpha = null)
    {
        long n = end - start;
        var walk = new WeightedWalk(n, qs, esAlpha);
        if (n > 0) SeriesOrder.Walk(x, w, start, end, true, null, ref walk);
        return (walk.Quantiles, esAlpha is null ? double.NaN : walk.ExpectedShortfall(n));
    }

    /// <summary>
    /// Batch-means standard errors of weighted quantiles (and ES) over 20 consecutive batches of [start, end)
    /// (as <see cref="WeightedEmpirical.QuantileSe"/>): NaN with fewer than 100 values a batch.
    /// </summary>
    internal static double[] WeightedBatchErrors(TrialSeries x, TrialSeries w, long start, long end, double[] qs, double? esAlpha = null)
    {
        int statistics = qs.Length + (esAlpha is null ? 0 : 1);
        long size = (end - start) / WeightedEmpirical.Batches;
        if (size < 100) return Enumerable.Repeat(double.NaN, statistics).ToArray();
        var values = new double[statistics][];
        for (int s = 0; s < statistics; s++) values[s] = new double[WeightedEmpirical.Batches];
        for (int b = 0; b < WeightedEmpirical.Batches; b++)
        {
            var (quantiles, es) = WeightedQuantiles(x, w, start + b * size, start + (b + 1) * size, qs, esAlpha);
            for (int s = 0; s < qs.Length; s++) values[s][b] = quantiles[s];
            if (esAlpha is not null) values[qs.Length][b] = es;
        }
        return values.Select(v => Empirical.MeanSd(v).Sd / Math.Sqrt(WeightedEmpirical.Batches)).ToArray();
    }

    /// <summary>The loss summary under importance sampling (as <see cref="WeightedEmpirical.Summarize"/>).</summary>
    internal static LossSummary WeightedSummarize(TrialSeries x, TrialSeries w, IReadOnlyList<double> thresholds)
    {
        long n = x.Count;
        var (mean, meanSe) = WeightedMean(x, w, 0, n);
        double second = 0;
        Zip(x, w, 0, n, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++) second += ws[i] * (xs[i] - mean) * (xs[i] - mean);
        });
        double sd = Math.Sqrt(second / Math.Max(1, n - 1));
        double[] qs = [0.5, 0.9, 0.95, 0.99, 0.999];
        var (q, es) = WeightedQuantiles(x, w, 0, n, qs, 0.99);
        var exceedance = thresholds.Select(t => new ExceedancePoint(t, WeightedProbabilityAbove(x, w, 0, n, t))).ToList();
        var e = WeightedBatchErrors(x, w, 0, n, qs, 0.99);
        var errors = new SummaryStandardErrors(meanSe, e[0], e[1], e[2], e[3], e[4], e[5]);
        return new LossSummary(mean, sd, q[0], q[1], q[2], q[3], q[4], es, exceedance, errors);
    }

    /// <summary>P(x &gt; t) under importance sampling (as <see cref="WeightedEmpirical.Probability"/> of the indicators).</summary>
    internal static ProbabilityEstimate WeightedProbabilityAbove(TrialSeries x, TrialSeries w, long start, long end, double threshold)
    {
        long n = end - start, count = 0;
        double sum = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double indicator = xs[i] > threshold ? 1 : 0;
                sum += ws[i] * indicator;
                if (indicator > 0) count++;
            }
        });
        double p = sum / n, ss = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double d = ws[i] * (xs[i] > threshold ? 1 : 0) - p;
                ss += d * d;
            }
        });
        double se = n > 1 ? Math.Sqrt(ss / (n - 1) / n) : double.NaN;
        return new ProbabilityEstimate(p, se, Math.Max(0, p - ProbabilityEstimate.Z95 * se), Math.Min(1, p + ProbabilityEstimate.Z95 * se), count, n);
    }

    /// <summary>Mean, p5, p50, p95 under importance sampling, from the defined values and their self-normalised weights
    /// (as <see cref="WeightedEmpirical.Spread"/>).</summary>
    internal static SpreadSummary? WeightedSpread(TrialSeries x, TrialSeries normalised)
    {
        long n = x.Count;
        if (n == 0) return null;
        var (mean, meanSe) = WeightedMean(x, normalised, 0, n);
        double[] qs = [0.05, 0.5, 0.95];
        var (q, _) = WeightedQuantiles(x, normalised, 0, n, qs);
        var e = WeightedBatchErrors(x, normalised, 0, n, qs);
        return new SpreadSummary(mean, q[0], q[1], q[2], n) { StandardErrors = (meanSe, e[0], e[1], e[2]) };
    }

    /// <summary>(Σw)²/Σw² of the first <paramref name="n"/> weights.</summary>
    internal static double EffectiveSampleSize(TrialSeries w, long n)
    {
        double s = 0, s2 = 0;
        using var r = w.Read(0, n);
        while (r.Next(out var block))
        {
            foreach (double v in block)
            {
                s += v;
                s2 += v * v;
            }
        }
        return s2 > 0 ? s * s / s2 : 0;
    }
}
