using System.Buffers;
using System.Runtime.InteropServices;

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
        var plan = new RankPlan(end - start, 0, quantiles, errorsAt);
        var (values, errors, _) = plan.Read(SeriesOrder.Select(x, start, end, plan.Ranks));
        return (values, errors);
    }

    /// <summary>
    /// As <see cref="Quantiles"/> over the doubles of a float series' shortest decimal forms (<see cref="Empirical.FromFloat"/>,
    /// NaN kept): selected among the floats, which are in the same order, and only the selected ones turned into decimals.
    /// </summary>
    internal static (double[] Quantiles, double[] Errors) DecimalQuantiles(TrialSeries<float> x, (long Num, long Den)[] quantiles, double[] errorsAt)
    {
        var plan = new RankPlan(x.Count, 0, quantiles, errorsAt);
        var (values, errors, _) = plan.Read(SeriesOrder.Select(x, 0, x.Count, plan.Ranks), v => Empirical.FromFloat((float)v));
        return (values, errors);
    }

    /// <summary>The ranks that quantiles and their order-statistic standard errors read, and reading the selected values off them.</summary>
    private sealed class RankPlan
    {
        private readonly long _n;
        private readonly long[] _quantiles;
        private readonly (long Lo, long Hi)[] _errors;

        /// <summary>Ranks among <paramref name="n"/> values that follow <paramref name="offset"/> lower ones (NaN left out).</summary>
        public RankPlan(long n, long offset, (long Num, long Den)[] quantiles, double[] errorsAt)
        {
            _n = n;
            _quantiles = quantiles.Select(q => offset + Empirical.Rank(n, q.Num, q.Den)).ToArray();
            _errors = new (long, long)[errorsAt.Length];
            var ranks = new List<long>(_quantiles);
            for (int i = 0; i < errorsAt.Length && n >= 2; i++)
            {
                double q = errorsAt[i];
                double center = n * q, half = Z * Math.Sqrt(n * q * (1 - q));
                long lo = Math.Clamp((long)Math.Floor(center - half), 1, n), hi = Math.Clamp((long)Math.Ceiling(center + half), 1, n);
                _errors[i] = (offset + lo, offset + hi);
                ranks.Add(offset + lo);
                ranks.Add(offset + hi);
            }
            Ranks = ranks.Distinct().Order().ToArray();
        }

        /// <summary>Every rank to select, distinct and ascending.</summary>
        public long[] Ranks { get; }

        /// <summary>The rank of quantile <paramref name="i"/>.</summary>
        public long QuantileRank(int i) => _quantiles[i];

        /// <summary>The quantiles, their errors and the counts at most each quantile, from the selection of <see cref="Ranks"/>
        /// (values passed through <paramref name="map"/> first).</summary>
        public (double[] Values, double[] Errors, long[] AtMost) Read((double Value, long AtMost)[] selected, Func<double, double>? map = null)
        {
            (double Value, long AtMost) At(long rank)
            {
                var (value, atMost) = selected[Array.BinarySearch(Ranks, rank)];
                return (map is null ? value : map(value), atMost);
            }
            var values = _quantiles.Select(r => At(r).Value).ToArray();
            var atMost = _quantiles.Select(r => At(r).AtMost).ToArray();
            var errors = _errors.Select(r => _n < 2 ? double.NaN : (At(r.Hi).Value - At(r.Lo).Value) / (2 * Z)).ToArray();
            return (values, errors, atMost);
        }
    }

    /// <summary>Mean, sd, quantiles with their errors and counts, and the values above one quantile (if asked and held).</summary>
    private sealed record Description(long N, double Mean, double Sd, double[] Quantiles, double[] Errors, long[] AtMost, double[]? Tail);

    /// <summary>
    /// Mean and sd (n − 1) in trial order (as <see cref="Empirical.MeanSd"/>), quantiles with their order-statistic
    /// errors and, with <paramref name="tailAt"/> ≥ 0, the values above that quantile, ascending — all in the two
    /// passes of one selection: the first also sums (and hands each block to <paramref name="alongside"/>), the
    /// second also sums the squared deviations. With <paramref name="definedOnly"/> NaN values are left out: they
    /// have the lowest keys, so the ranks among the defined values are shifted by their count. Null without values.
    /// </summary>
    private static Description? Describe<T>(TrialSeries<T> x, bool definedOnly, (long Num, long Den)[] quantiles, double[] errorsAt,
        int tailAt = -1, BlockAction<T>? alongside = null) where T : unmanaged
    {
        long count = x.Count;
        using var selection = new SeriesSelection<T>(x, 0, count);
        var sum = new Sum<T> { DefinedOnly = definedOnly };
        selection.CountDigits(ref sum, alongside);
        long n = definedOnly ? sum.Defined : count;
        if (n == 0) return null;
        double mean = sum.Total / n;
        var plan = new RankPlan(n, count - n, quantiles, errorsAt);
        var squares = new Squares<T> { DefinedOnly = definedOnly, Mean = mean };
        var found = selection.Select(plan.Ranks, ref squares, null, tailAt >= 0 ? plan.QuantileRank(tailAt) : 0);
        var (values, errors, atMost) = plan.Read(found.Ranks);
        return new Description(n, mean, n == 1 ? 0 : Math.Sqrt(squares.Total / (n - 1)), values, errors, atMost, found.Tail);
    }

    /// <summary>The sum of the values in order (only the defined ones, counted, with <see cref="DefinedOnly"/>).</summary>
    private struct Sum<T> : IValueVisitor<T> where T : unmanaged
    {
        public bool DefinedOnly;
        public double Total;
        public long Defined;

        public void Visit(T value)
        {
            double v = SeriesOrder.AsDouble(value);
            if (DefinedOnly && double.IsNaN(v)) return;
            Total += v;
            Defined++;
        }
    }

    /// <summary>The sum of the squared deviations from <see cref="Mean"/> in order (only of the defined values, with <see cref="DefinedOnly"/>).</summary>
    private struct Squares<T> : IValueVisitor<T> where T : unmanaged
    {
        public bool DefinedOnly;
        public double Mean, Total;

        public void Visit(T value)
        {
            double v = SeriesOrder.AsDouble(value);
            if (DefinedOnly && double.IsNaN(v)) return;
            Total += (v - Mean) * (v - Mean);
        }
    }

    /// <summary>Mean, sd (n − 1), the given quantiles and their order-statistic standard errors of a whole series, in two passes.</summary>
    internal static (double Mean, double Sd, double[] Quantiles, double[] Errors) MeanSdQuantiles(TrialSeries<double> x, (long Num, long Den)[] quantiles, double[] errorsAt)
    {
        var d = Describe(x, false, quantiles, errorsAt) ?? throw new InvalidOperationException("no values to summarise");
        return (d.Mean, d.Sd, d.Quantiles, d.Errors);
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

    /// <summary>
    /// The loss summary of spec §5 (as <see cref="Empirical.Summarize"/>), in the two passes of one selection; the first
    /// also hands each block to <paramref name="alongside"/> (e.g. to count a distribution).
    /// </summary>
    internal static LossSummary Summarize(TrialSeries<double> x, IReadOnlyList<double> thresholds, BlockAction<double>? alongside = null)
    {
        long n = x.Count;
        var limits = thresholds.ToArray();
        var above = new long[limits.Length];
        var d = Describe(x, false, [(1, 2), (9, 10), (19, 20), (99, 100), (999, 1000)], [0.5, 0.9, 0.95, 0.99, 0.999], tailAt: 3, block =>
        {
            alongside?.Invoke(block);
            if (limits.Length > 0) CountAbove(block, limits, above);
        }) ?? throw new InvalidOperationException("no values to summarise");
        var exceedance = thresholds.Select((t, i) => new ExceedancePoint(t, ProbabilityEstimate.FromCount(above[i], n))).ToList();
        var q = d.Quantiles;
        var (es99, esError) = ExpectedShortfall(x, n, q[3], d.AtMost[3], d.Tail);
        var standardErrors = new SummaryStandardErrors(d.Sd / Math.Sqrt(n), d.Errors[0], d.Errors[1], d.Errors[2], d.Errors[3], d.Errors[4], esError);
        return new LossSummary(d.Mean, d.Sd, q[0], q[1], q[2], q[3], q[4], es99, exceedance, standardErrors);
    }

    private static void CountAbove(ReadOnlySpan<double> block, double[] limits, long[] above)
    {
        foreach (double v in block)
            for (int t = 0; t < limits.Length; t++)
                if (v > limits[t]) above[t]++;
    }

    /// <summary>ES99 in the Acerbi–Tasche form and its standard error (as <see cref="Empirical.ExpectedShortfall"/> and
    /// <see cref="Empirical.ExpectedShortfallStandardError"/>), from the p99 <paramref name="q"/>, the count of values at
    /// most it and, if the selection held them, the values above it, ascending.</summary>
    private static (double Es, double Se) ExpectedShortfall(TrialSeries x, long n, double q, long firstAbove, IReadOnlyList<double>? above)
    {
        const long num = 99, den = 100;
        const double alpha = 0.99;
        // The values above q, ascending: their sum (ES) and, for the standard error, their mean and sd. At most 1% of
        // the values; held in memory when they fit a walk window, otherwise walked twice.
        long m = n - firstAbove;
        double tail, tailVariance = 0;
        if (above is null && m <= SeriesOrder.WindowCapacity)
        {
            var collect = new Collect { Values = new List<double>((int)m) };
            SeriesOrder.Walk(x, null, 0, n, false, q, ref collect);
            above = collect.Values;
        }
        if (above is not null)
        {
            if (above.Count != m) throw new InvalidOperationException("series changed during the summary");
            tail = 0;
            foreach (double v in above) tail += v;
            if (m > 1)
            {
                double mean = tail / m, ss = 0;
                foreach (double v in above) ss += (v - mean) * (v - mean);
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
    internal static SpreadSummary? Spread(TrialSeries<double> defined) => SpreadOf(Describe(defined, false, SpreadQuantiles, SpreadErrorsAt), q => q);

    /// <summary>
    /// Mean, p5, p50, p95 of a float figure's defined (non-NaN) values: mean, sd and standard errors from the floats as
    /// they are (exact doubles), the three quantiles as the doubles of their shortest decimal forms
    /// (<see cref="Empirical.FromFloat"/>). Selected on the floats' 32-bit keys, without copying the series.
    /// </summary>
    internal static SpreadSummary? FloatSpread(TrialSeries<float> values) =>
        SpreadOf(Describe(values, true, SpreadQuantiles, SpreadErrorsAt), q => Empirical.FromFloat((float)q));

    private static readonly (long, long)[] SpreadQuantiles = [(1, 20), (1, 2), (19, 20)];
    private static readonly double[] SpreadErrorsAt = [0.05, 0.5, 0.95];

    private static SpreadSummary? SpreadOf(Description? d, Func<double, double> quantile) => d is null ? null
        : new SpreadSummary(d.Mean, quantile(d.Quantiles[0]), quantile(d.Quantiles[1]), quantile(d.Quantiles[2]), d.N)
        {
            StandardErrors = (d.Sd / Math.Sqrt(d.N), d.Errors[0], d.Errors[1], d.Errors[2]),
        };

    // ---------------------------------------------------------------------------------------------------------------
    // Importance sampling: self-normalised estimators, every weight divided by the sum of the weights of the range.

    /// <summary>Σw over [start, end), in trial order.</summary>
    internal static double WeightSum(TrialSeries w, long start, long end)
    {
        double total = 0;
        using var r = w.Read(start, end);
        while (r.Next(out var block))
            foreach (double v in block) total += v;
        return total;
    }

    /// <summary>
    /// The self-normalised mean Σw·x / Σw of [start, end), its delta-method standard error
    /// sqrt(Σw²(x − mean)² · n/(n − 1)) / Σw and Σw, in trial order (as <see cref="WeightedEmpirical.Mean"/>). The
    /// mean is summed as x₀ + Σw·(x − x₀) / Σw from the first value x₀, so that a figure that is the same in every trial
    /// comes out exactly.
    /// </summary>
    internal static (double Mean, double StandardError, double WeightSum) SelfNormalisedMean(TrialSeries x, TrialSeries w, long start, long end)
    {
        long n = end - start;
        double pivot = double.NaN, total = 0, shifted = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            if (double.IsNaN(pivot) && xs.Length > 0) pivot = xs[0];
            for (int i = 0; i < xs.Length; i++)
            {
                total += ws[i];
                shifted += ws[i] * (xs[i] - pivot);
            }
        });
        double mean = pivot + shifted / total, ss = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double d = ws[i] * (xs[i] - mean);
                ss += d * d;
            }
        });
        return (mean, n > 1 ? Math.Sqrt(ss * n / (n - 1)) / total : double.NaN, total);
    }

    /// <summary>The self-normalised mean Σw·x / Σw and its delta-method standard error (<see cref="SelfNormalisedMean"/>).</summary>
    internal static (double Mean, double StandardError) WeightedMean(TrialSeries x, TrialSeries w, long start, long end)
    {
        var (mean, se, _) = SelfNormalisedMean(x, w, start, end);
        return (mean, se);
    }

    /// <summary>
    /// Walks a weighted sample from the top, summing weights as <see cref="WeightedEmpirical"/>'s sorted walk does: the
    /// q-quantile is the first value at which the weight above and at it exceeds (1 − q)·Σw; the ES tail sums are
    /// those of the values strictly above the quantile at <see cref="_esAlpha"/>.
    /// </summary>
    private sealed class WeightedWalk : IOrderVisitor
    {
        private readonly double[] _budgets;
        private readonly bool[] _done;
        private readonly int _esIndex;
        private readonly double _total;
        private long _left;
        private int _resolved;
        private double _tail, _tailSum, _groupWeight, _groupSum, _previous;
        private bool _started;

        public readonly double[] Quantiles;
        public double EsWeight, EsSum;
        private readonly double _esAlpha;

        public WeightedWalk(long n, double total, double[] qs, double? esAlpha)
        {
            _left = n;
            _total = total;
            _budgets = qs.Select(q => (1 - q) * total).ToArray();
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

        /// <summary>ES at the ES level: (Σ_{x &gt; q} w·x / Σw + q·((1 − α) − Σ_{x &gt; q} w / Σw)) / (1 − α).</summary>
        public double ExpectedShortfall()
        {
            double q = Quantiles[_esIndex];
            return (EsSum / _total + q * ((1 - _esAlpha) - EsWeight / _total)) / (1 - _esAlpha);
        }
    }

    /// <summary>Weighted quantiles of [start, end) (and ES at <paramref name="esAlpha"/>, which must be one of them), with
    /// the weights normalised by their sum over the range.</summary>
    internal static (double[] Quantiles, double Es) WeightedQuantiles(TrialSeries x, TrialSeries w, long start, long end, double[] qs, double? esAlpha = null)
    {
        long n = end - start;
        var walk = new WeightedWalk(n, n > 0 ? WeightSum(w, start, end) : 0, qs, esAlpha);
        if (n > 0) SeriesOrder.Walk(x, w, start, end, true, null, ref walk);
        return (walk.Quantiles, esAlpha is null ? double.NaN : walk.ExpectedShortfall());
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
        var (mean, meanSe, total) = SelfNormalisedMean(x, w, 0, n);
        double second = 0;
        Zip(x, w, 0, n, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++) second += ws[i] * (xs[i] - mean) * (xs[i] - mean);
        });
        double sd = n > 1 ? Math.Sqrt(second / total * n / (n - 1)) : 0;
        double[] qs = [0.5, 0.9, 0.95, 0.99, 0.999];
        var (q, es) = WeightedQuantiles(x, w, 0, n, qs, 0.99);
        var exceedance = thresholds.Select(t => new ExceedancePoint(t, WeightedProbabilityAbove(x, w, 0, n, t))).ToList();
        var e = WeightedBatchErrors(x, w, 0, n, qs, 0.99);
        var errors = new SummaryStandardErrors(meanSe, e[0], e[1], e[2], e[3], e[4], e[5]);
        return new LossSummary(mean, sd, q[0], q[1], q[2], q[3], q[4], es, exceedance, errors);
    }

    /// <summary>P(x &gt; t) under importance sampling, self-normalised, with its delta-method standard error (as
    /// <see cref="WeightedEmpirical.Probability"/> of the indicators).</summary>
    internal static ProbabilityEstimate WeightedProbabilityAbove(TrialSeries x, TrialSeries w, long start, long end, double threshold)
    {
        long n = end - start, count = 0;
        double above = 0, total = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                total += ws[i];
                if (xs[i] > threshold)
                {
                    above += ws[i];
                    count++;
                }
            }
        });
        double p = above / total, ss = 0;
        Zip(x, w, start, end, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
            {
                double d = ws[i] * ((xs[i] > threshold ? 1 : 0) - p);
                ss += d * d;
            }
        });
        double se = n > 1 ? Math.Sqrt(ss * n / (n - 1)) / total : double.NaN;
        return ProbabilityEstimate.Weighted(p, se, count, n);
    }

    /// <summary>Mean, p5, p50, p95 under importance sampling, from the defined values and their weights, self-normalised
    /// over the defined trials (as <see cref="WeightedEmpirical.Spread"/>).</summary>
    internal static SpreadSummary? WeightedSpread(TrialSeries x, TrialSeries w)
    {
        long n = x.Count;
        if (n == 0) return null;
        var (mean, meanSe) = WeightedMean(x, w, 0, n);
        double[] qs = [0.05, 0.5, 0.95];
        var (q, _) = WeightedQuantiles(x, w, 0, n, qs);
        var e = WeightedBatchErrors(x, w, 0, n, qs);
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
