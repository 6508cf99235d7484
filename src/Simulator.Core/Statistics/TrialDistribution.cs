namespace Simulator.Core.Statistics;

/// <summary>
/// A figure's distribution over the trials, as the charts need it (histograms, exceedance curves, tail
/// probabilities), in bounded memory. Up to <see cref="ExactLimit"/> trials it holds every value, sorted (ties in
/// trial order), with its importance-sampling weight: every query is answered exactly as from the full sample. Beyond,
/// it holds a compact form: the count, weight and squared weight of the trials equal to each of a set of points
/// chosen when it is built (the charts' grid and bin edges, tolerances, thresholds) and of the trials between two
/// neighbouring points, the latter placed at the largest value among them. Counts above or at a chosen point are
/// then still exact; elsewhere they are resolved to the nearest points.
/// </summary>
public sealed class TrialDistribution
{
    /// <summary>Trials up to which every value is kept.</summary>
    public const int ExactLimit = 1 << 16;

    /// <summary>Steps of the loss-ratio grid 0, 1/400, …, 1 on which the exceedance chart reads funds' curves (and
    /// whose every eighth point is an edge of the loss-ratio histogram's 50 bins).</summary>
    public const int GridSteps = 400;

    private readonly double[] _values;
    private readonly long[]? _counts;
    private readonly double[]? _weights, _squares;
    private readonly double _totalWeight, _totalSquares;

    private TrialDistribution(long trials, double max, double[] values, long[]? counts, double[]? weights, double[]? squares,
        double totalWeight = double.NaN, double totalSquares = double.NaN)
    {
        Count = trials;
        Max = max;
        _values = values;
        _counts = counts;
        _weights = weights;
        _squares = squares;
        _totalWeight = totalWeight;
        _totalSquares = totalSquares;
    }

    /// <summary>Trials.</summary>
    public long Count { get; }

    /// <summary>The largest value.</summary>
    public double Max { get; }

    /// <summary>
    /// Under Sobol or Latin hypercube sampling, the standard error of the exceedance probability at each loss-ratio grid
    /// point k/<see cref="GridSteps"/> from the randomisations' own exceedance probabilities (null otherwise, and for
    /// distributions not of loss ratios): the exceedance chart's band, which the counts alone would overstate.
    /// </summary>
    public IReadOnlyList<double>? GridExceedanceErrors { get; internal set; }

    /// <summary>Whether the trials carry importance-sampling weights.</summary>
    public bool IsWeighted => _weights is not null;

    /// <summary>Whether every value is kept (at most <see cref="ExactLimit"/> trials).</summary>
    public bool IsExact => _counts is null;

    /// <summary>The loss-ratio grid points k/<see cref="GridSteps"/>, k = 0 … GridSteps.</summary>
    public static IEnumerable<double> LossRatioGrid() => Enumerable.Range(0, GridSteps + 1).Select(k => (double)k / GridSteps);

    /// <summary>Every value, ascending, with its weight (null: unweighted), from a sample in trial order (for tests and small samples).</summary>
    public static TrialDistribution FromSample(double[] values, double[]? weights = null)
    {
        var (sorted, sortedWeights) = StableSort(values, weights);
        double total = 0, squares = 0;
        foreach (double w in weights ?? [])
        {
            total += w;
            squares += w * w;
        }
        return new TrialDistribution(values.Length, values.Length == 0 ? double.NaN : sorted[^1], sorted, null, sortedWeights, null, total, squares);
    }

    /// <summary>Under importance sampling, Σw over all trials: the weights are divided by it (self-normalised), so that the
    /// shares of all trials add up to 1.</summary>
    public double TotalWeight => _totalWeight;

    /// <summary>Builds the distribution of a series (with its weights), exact up to <see cref="ExactLimit"/> trials, otherwise compact around <paramref name="points"/>.</summary>
    internal static TrialDistribution Build(TrialSeries x, TrialSeries? w, IEnumerable<double> points)
    {
        long n = x.Count;
        if (n <= ExactLimit) return FromSample(x.ToArray(), w?.ToArray());
        var counter = new Counter(points);
        if (w is null)
        {
            using var r = x.Read(0, n);
            while (r.Next(out var block)) counter.Add(block);
        }
        else SeriesStatistics.Zip(x, w, 0, n, counter.Add);
        return counter.ToDistribution(n);
    }

    /// <summary>
    /// The compact form's counts, gathered as the values arrive in trial order (so they can ride along another pass
    /// over the series): per slot — at a point, or between two neighbouring points — the count, weight, squared
    /// weight and largest value of the trials in it.
    /// </summary>
    internal sealed class Counter
    {
        private readonly double[] _grid;
        private readonly PointIndex _index;
        private readonly long[] _counts;
        private readonly double[] _weights, _squares, _largest;
        private double _max = double.NaN, _totalWeight, _totalSquares;
        private bool _weighted;

        /// <summary>Counts around <paramref name="points"/> (NaN ignored, −0 as 0, duplicates once).</summary>
        public Counter(IEnumerable<double> points)
        {
            _grid = points.Where(p => !double.IsNaN(p)).Select(p => p == 0 ? 0 : p).Distinct().Order().ToArray();
            _index = new PointIndex(_grid);
            int slots = 2 * _grid.Length + 1;
            _counts = new long[slots];
            _weights = new double[slots];
            _squares = new double[slots];
            _largest = new double[slots];
            Array.Fill(_largest, double.NegativeInfinity);
        }

        /// <summary>At point k: slot 2k + 1; between points k − 1 and k (or below the first, above the last): slot 2k.</summary>
        private int Slot(double v)
        {
            int below = _index.LowerBound(v, out bool equal);
            return 2 * below + (equal ? 1 : 0);
        }

        /// <summary>Counts the next values (unweighted trials), NaN left out.</summary>
        public void Add(ReadOnlySpan<double> values)
        {
            double max = _max;
            var counts = _counts;
            var largest = _largest;
            foreach (double v in values)
            {
                if (double.IsNaN(v)) continue;
                // In trial order: which of two equal largest values (±0) is kept depends on it.
                if (!(v <= max)) max = v;
                int slot = Slot(v);
                counts[slot]++;
                if (v > largest[slot]) largest[slot] = v;
            }
            _max = max;
        }

        /// <summary>Counts the next values with their importance-sampling weights, NaN left out.</summary>
        public void Add(ReadOnlySpan<double> values, ReadOnlySpan<double> weights)
        {
            _weighted = true;
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i], weight = weights[i];
                _totalWeight += weight;
                _totalSquares += weight * weight;
                if (double.IsNaN(v)) continue;
                if (!(v <= _max)) _max = v;
                int slot = Slot(v);
                _counts[slot]++;
                _weights[slot] += weight;
                _squares[slot] += weight * weight;
                if (v > _largest[slot]) _largest[slot] = v;
            }
        }

        /// <summary>The distribution of the <paramref name="trials"/> trials counted.</summary>
        public TrialDistribution ToDistribution(long trials)
        {
            var used = Enumerable.Range(0, _counts.Length).Where(s => _counts[s] > 0).ToArray();
            return new TrialDistribution(trials, _max,
                used.Select(s => s % 2 == 1 ? _grid[s / 2] : _largest[s]).ToArray(),
                used.Select(s => _counts[s]).ToArray(),
                _weighted ? used.Select(s => _weights[s]).ToArray() : null,
                _weighted ? used.Select(s => _squares[s]).ToArray() : null,
                _totalWeight, _totalSquares);
        }
    }

    /// <summary>Values ascending, ties in trial order (a stable sort), with the weights alongside.</summary>
    internal static (double[] Values, double[]? Weights) StableSort(double[] values, double[]? weights)
    {
        var keys = values.Select(SeriesOrder.Key).ToArray();
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(keys, order);
        for (int i = 0; i < keys.Length;)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i);
            i = j;
        }
        return (order.Select(i => values[i]).ToArray(), weights is null ? null : order.Select(i => weights[i]).ToArray());
    }

    /// <summary>Index of the first entry holding a value greater than <paramref name="x"/>.</summary>
    private int FirstAbove(double x)
    {
        int lo = 0, hi = _values.Length;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (_values[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private long CountAt(int i) => _counts?[i] ?? 1;

    /// <summary>Trials whose value exceeds <paramref name="x"/>.</summary>
    public long CountAbove(double x)
    {
        int first = FirstAbove(x);
        if (_counts is null) return _values.Length - first;
        long count = 0;
        for (int i = first; i < _values.Length; i++) count += _counts[i];
        return count;
    }

    /// <summary>Trials whose value is at most <paramref name="x"/>.</summary>
    public long CountAtMost(double x) => Count - CountAbove(x);

    /// <summary>P(X &gt; x): the share of trials above x, or under importance sampling Σ_{x_i &gt; x} w_i / Σw.</summary>
    public double Exceedance(double x) => _weights is null ? (double)CountAbove(x) / Count : WeightedTail(x).P;

    /// <summary>
    /// Under importance sampling: P(X &gt; x) = Σ_{x_i &gt; x} w_i / Σw (self-normalised) and its delta-method standard
    /// error sqrt(Σ w_i²(1{x_i &gt; x} − p)² · n/(n − 1)) / Σw, from the sums of w and w² above x and over all trials.
    /// </summary>
    public (double P, double Se) WeightedTail(double x)
    {
        var (p, se, _) = WeightedAbove(x);
        return (p, se);
    }

    private (double P, double Se, long Count) WeightedAbove(double x)
    {
        if (_weights is null) throw new InvalidOperationException("the trials carry no weights");
        int first = FirstAbove(x);
        double sum = 0, squares = 0;
        long count = 0;
        for (int i = first; i < _values.Length; i++)
        {
            sum += _weights[i];
            squares += _squares is null ? _weights[i] * _weights[i] : _squares[i];
            count += CountAt(i);
        }
        long n = Count;
        double p = sum / _totalWeight;
        // Σ w²(1{above} − p)² = (1 − 2p)·Σ_above w² + p²·Σ w².
        double ss = Math.Max(0, (1 - 2 * p) * squares + p * p * _totalSquares);
        return (p, n > 1 ? Math.Sqrt(ss * n / (n - 1)) / _totalWeight : double.NaN, count);
    }

    /// <summary>
    /// The trials (under importance sampling: their weights, as a share of the weight of all trials) falling in each of
    /// <paramref name="bins"/> bins, as a percentage of all trials; <paramref name="binOf"/> gives a value's bin, or −1 to
    /// leave it out. NaN values are left out.
    /// </summary>
    public double[] Shares(int bins, Func<double, int> binOf)
    {
        var shares = new double[bins];
        if (Count == 0) return shares;
        for (int i = 0; i < _values.Length; i++)
        {
            double x = _values[i];
            if (double.IsNaN(x)) continue;
            int bin = binOf(x);
            if (bin < 0) continue;
            shares[bin] += _weights?[i] ?? CountAt(i);
        }
        double all = _weights is null ? Count : _totalWeight;
        for (int i = 0; i < bins; i++) shares[i] *= 100.0 / all;
        return shares;
    }

    /// <summary>P(X &gt; <paramref name="threshold"/>) with its standard error (weighted, self-normalised, under importance sampling).</summary>
    public ProbabilityEstimate TailEstimate(double threshold)
    {
        if (_weights is null) return ProbabilityEstimate.FromCount(CountAbove(threshold), Count);
        var (p, se, count) = WeightedAbove(threshold);
        return ProbabilityEstimate.Weighted(p, se, count, Count);
    }
}
