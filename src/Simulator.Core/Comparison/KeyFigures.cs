using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Comparison;

/// <summary>The key figures of a scenario and where their per-trial values sit in a row.</summary>
public static class KeyFigures
{
    /// <summary>The figures of a scenario, in comparison.csv order (instrument by instrument), with the row columns they read.</summary>
    public static IReadOnlyList<(KeyFigure Figure, int Column, int DenominatorColumn)> For(TrialLayout layout)
    {
        var list = new List<(KeyFigure, int, int)>();
        for (int i = 0; i < layout.Instruments.Count; i++)
        {
            var binding = layout.Bindings[i];
            foreach (var f in layout.Instruments[i].KeyFigures)
                list.Add((f.Figure, binding.Column(f.Column), f.DenominatorColumn >= 0 ? binding.Column(f.DenominatorColumn) : -1));
        }
        return list;
    }

    /// <summary>The figure names of a scenario (for validating a sensitivity output).</summary>
    public static IReadOnlyList<string> Names(Scenario scenario) => For(new TrialLayout(scenario)).Select(f => f.Figure.Name).ToList();
}

/// <summary>
/// Keeps each key figure's per-trial values of one run, in trial order, for paired comparisons: one
/// <see cref="TrialSeries{T}"/> per row column read (figures reading the same column share it), in memory within the
/// <see cref="SeriesBudget"/> and in temporary files beyond it. Dispose it when the comparisons are done.
/// </summary>
/// <remarks>A variant's capture made from the base's rows (<see cref="Studies.Reuse"/>) is given the base's capture: a
/// column whose values are still the base's, bit for bit, is not copied but read from the base's series, and gets its own
/// series (the base's values so far, then its own) at its first trial that differs. Most columns of a variant that moves
/// a threshold never differ, and a comparison of a series with itself is the base's own figure.</remarks>
public sealed class KeyFigureCapture : IReusedRowsSink, IDisposable
{
    // Rows compared or copied column by column at a time: few enough to stay in the first-level cache.
    private const int RowsAtOnce = 32;

    private readonly Scenario _scenario;
    private readonly SeriesBudget _budget;
    private readonly KeyFigureCapture? _basis;
    private (KeyFigure Figure, int Column, int DenominatorColumn)[] _figures = [];
    // The row columns captured: the figures' columns, then the importance-sampling weight's (when there is one).
    private int[] _columns = [];
    // Per captured column, this run's own values, or null while they are the basis's (read from its series).
    private TrialSeries<double>?[] _series = [];
    private int _weightIndex = -1;

    /// <summary>Captures the figures of <paramref name="scenario"/>, keeping their values within <paramref name="budget"/>
    /// (null: <see cref="SeriesBudget.Default"/>).</summary>
    public KeyFigureCapture(Scenario scenario, SeriesBudget? budget = null) : this(scenario, budget, null) { }

    /// <summary>A capture that refers to <paramref name="basis"/> (the base's capture, complete, of the same trials) for
    /// every column whose values are its own, as long as they are (see the remarks on the class).</summary>
    internal KeyFigureCapture(Scenario scenario, SeriesBudget? budget, KeyFigureCapture? basis)
    {
        _scenario = scenario;
        _budget = budget ?? SeriesBudget.Default;
        _basis = basis;
    }

    /// <summary>The independent randomisations of a randomised run (Sobol or Latin hypercube factor draws; 0 otherwise):
    /// trial i is of randomisation (i − 1) mod R.</summary>
    public int Randomisations => _scenario.Economy.Randomised ? Randomness.ScrambledSobol.Randomisations : 0;

    /// <summary>Importance-sampling weights of the trials captured (null for plain sampling).</summary>
    public TrialSeries? Weights => _weightIndex >= 0 ? Series(_weightIndex) : null;

    /// <summary>The figures captured.</summary>
    public IReadOnlyList<KeyFigure> Figures => _figures.Select(f => f.Figure).ToList();

    /// <summary>Trials captured.</summary>
    public long Trials { get; private set; }

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        Dispose();
        _figures = KeyFigures.For(layout).ToArray();
        var columns = _figures.SelectMany(f => f.DenominatorColumn >= 0 ? new[] { f.Column, f.DenominatorColumn } : [f.Column]).Distinct().ToList();
        _weightIndex = layout.WeightColumn >= 0 ? columns.Count : -1;
        if (layout.WeightColumn >= 0) columns.Add(layout.WeightColumn);
        _columns = [.. columns];
        // The basis serves only a run of its own trials and columns.
        bool shared = _basis is not null && _basis.Trials == _scenario.Trials && _basis._columns.AsSpan().SequenceEqual(_columns)
            && _basis._weightIndex == _weightIndex;
        _series = _columns.Select(_ => shared ? null : new TrialSeries<double>(_budget, _scenario.Trials)).ToArray();
        Trials = 0;
    }

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        // Without the base's rows nothing can be known to be the base's: every column has its own values from here.
        for (int c = 0; c < _series.Length; c++) _series[c] ??= Own(c, Trials);
        int count = rows.Length / columns;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * columns, columns);
            for (int c = 0; c < _columns.Length; c++) _series[c]!.Add(row[_columns[c]]);
            Trials++;
        }
    }

    /// <inheritdoc />
    void IReusedRowsSink.Write(long firstTrial, ReadOnlySpan<double> rows, ReadOnlySpan<double> baseRows, int columns, IReadOnlyList<bool> kept)
    {
        int count = rows.Length / columns;
        for (int first = 0; first < count; first += RowsAtOnce)
        {
            int n = Math.Min(RowsAtOnce, count - first);
            var part = rows.Slice(first * columns, n * columns);
            var basePart = baseRows.Slice(first * columns, n * columns);
            for (int c = 0; c < _columns.Length; c++)
            {
                int column = _columns[c];
                var own = _series[c];
                int i = 0;
                if (own is null)
                {
                    if (kept[column]) continue;
                    // Bits, not values: a NaN is the base's only if it is the same NaN, and 0 is not −0.
                    while (i < n && BitConverter.DoubleToInt64Bits(part[i * columns + column]) == BitConverter.DoubleToInt64Bits(basePart[i * columns + column])) i++;
                    if (i == n) continue;
                    own = _series[c] = Own(c, Trials + first + i);
                }
                for (; i < n; i++) own.Add(part[i * columns + column]);
            }
        }
        Trials += count;
    }

    /// <summary>Column <paramref name="c"/>'s own series, holding the basis's first <paramref name="count"/> values.</summary>
    private TrialSeries<double> Own(int c, long count)
    {
        var own = new TrialSeries<double>(_budget, _scenario.Trials);
        if (count == 0) return own;
        var source = _basis!.Series(c);
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(SeriesReader.BlockValues);
        try
        {
            for (long from = 0; from < count; from += SeriesReader.BlockValues)
            {
                var values = buffer.AsSpan(0, (int)Math.Min(SeriesReader.BlockValues, count - from));
                source.CopyTo(from, values);
                own.Add(values);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
        return own;
    }

    /// <inheritdoc />
    public void Complete() { }

    /// <summary>Per-trial values of a figure (and its denominator for ratios), or null when this run lacks it.</summary>
    public (TrialSeries Values, TrialSeries? Denominators, KeyFigure Figure)? Find(string name)
    {
        foreach (var (figure, column, denominator) in _figures)
        {
            if (figure.Name != name) continue;
            return (Column(column), denominator >= 0 ? Column(denominator) : null, figure);
        }
        return null;
    }

    private TrialSeries Column(int column) => Series(Array.IndexOf(_columns, column));

    // This run's values of captured column c: its own, or the basis's while they are the same.
    private TrialSeries Series(int c) => _series[c] ?? _basis!.Series(c);

    /// <summary>Deletes the temporary files and releases the memory (of its own values; the basis keeps its own).</summary>
    public void Dispose()
    {
        foreach (var series in _series) series?.Dispose();
        _series = [];
    }
}

/// <summary>A figure of a variant: its value and its difference from the base, each with its standard error.</summary>
/// <param name="Figure">The figure.</param>
/// <param name="Estimate">Its value in the variant with the standard error of the value itself (NaN when the variant lacks it).</param>
/// <param name="Difference">Variant − base, with the paired standard error of the difference.</param>
public sealed record FigureComparison(KeyFigure Figure, Estimate Estimate, Estimate Difference);

/// <summary>
/// Differences between a variant and the base computed trial by trial: both ran on the same random numbers,
/// so the noise they share cancels and the standard error of the difference is far smaller than that of two
/// independent runs. Means: sd of the per-trial differences / √n. Ratios (fiscal leverage): the same applied to
/// the delta-method influence values (g_i − L·v_i)/v̄. 99th percentiles: batch means over 20 consecutive batches
/// of trials (the difference of the batch p99s; its sd / √20), left empty when batches would hold fewer than
/// 100 trials. Under importance sampling every value is self-normalised (means Σw·x / Σw, quantiles of the weights
/// divided by their sum) and a mean's errors come from its influence values w_i·(x_i − mean)/w̄. The per-trial
/// values are streamed from the two captures side by side, never held in full.
/// </summary>
public static class PairedComparison
{
    /// <summary>Number of batches for quantile differences.</summary>
    public const int Batches = 20;

    /// <summary>The value of a figure on one run (weighted and self-normalised under importance sampling, as the run's
    /// own results).</summary>
    public static double Value(KeyFigure figure, TrialSeries values, TrialSeries? denominators, TrialSeries? weights)
    {
        long n = values.Count;
        if (weights is not null)
        {
            return figure.Kind switch
            {
                FigureKind.Mean => SeriesStatistics.WeightedMean(values, weights, 0, n).Mean,
                FigureKind.Ratio => Average(Times(denominators!, weights), n) is var den && den > 0
                    ? Average(Times(values, weights), n) / den : double.PositiveInfinity,
                FigureKind.DefinedMean => Average(Times(Indicator(values), weights), n) is var defined && defined > 0
                    ? Average(Times(ZeroWhereUndefined(values), weights), n) / defined : double.NaN,
                _ => SeriesStatistics.WeightedQuantiles(values, weights, 0, n, [0.99]).Quantiles[0],
            };
        }
        switch (figure.Kind)
        {
            case FigureKind.Mean:
                return SeriesStatistics.Average(values, 0, n);
            case FigureKind.DefinedMean:
                return Average(Indicator(values), n) is var share && share > 0 ? Average(ZeroWhereUndefined(values), n) / share : double.NaN;
            case FigureKind.Ratio:
            {
                double den = SeriesStatistics.Average(denominators!, 0, n);
                return den > 0 ? SeriesStatistics.Average(values, 0, n) / den : double.PositiveInfinity;
            }
            default:
                return SeriesStatistics.Quantile(values, 0, n, 99, 100).Value;
        }
    }

    /// <summary>Compares every figure of <paramref name="baseRun"/> with <paramref name="variant"/>.</summary>
    /// <param name="baseRun">The base's captured figures.</param>
    /// <param name="variant">The variant's.</param>
    /// <param name="baseFigures">The base compared with itself (its own figures, differences 0), or null. Given, a figure
    /// whose per-trial values are the base's bit for bit takes the base's entry instead of being computed again: the
    /// same function of the same values, hence the same numbers, without the passes over the trials (most figures of a
    /// variant that moves one item).</param>
    public static IReadOnlyList<FigureComparison> Compare(KeyFigureCapture baseRun, KeyFigureCapture variant, IReadOnlyList<FigureComparison>? baseFigures = null)
    {
        // Each figure's comparison reads only its own columns (positional reads, safe to share between figures), so
        // the figures are compared on all cores, each into its own place: the same values in the same order as one by
        // one. One after another they took 25-70 ms of a what-if move on one core.
        var figures = baseRun.Figures;
        var result = new FigureComparison[figures.Count];
        Parallel.For(0, figures.Count, i => result[i] = CompareOne(baseRun, variant, baseFigures, figures[i]));
        return result;
    }

    private static FigureComparison CompareOne(KeyFigureCapture baseRun, KeyFigureCapture variant, IReadOnlyList<FigureComparison>? baseFigures, KeyFigure figure)
    {
        var b = baseRun.Find(figure.Name)!.Value;
        if (variant.Find(figure.Name) is not { } v || v.Values.Count != b.Values.Count)
        {
            return new FigureComparison(figure, Estimate.NaN, Estimate.NaN);
        }
        if (baseFigures?.FirstOrDefault(f => f.Figure == figure) is { } same && Identical(b.Values, v.Values)
            && (b.Denominators is null || v.Denominators is not null && Identical(b.Denominators, v.Denominators)))
        {
            return same;
        }
        // Under importance sampling base and variant drew the same factors, hence carry the same weights.
        var w = baseRun.Weights;
        double baseValue = Value(figure, b.Values, b.Denominators, w), value = Value(figure, v.Values, v.Denominators, w);
        if (baseRun.Randomisations > 0)
        {
            var (randomisedDiffSe, randomisedSe) = RandomisedErrors(figure, v.Values, v.Denominators, b.Values, b.Denominators, w, baseRun.Randomisations);
            return new FigureComparison(figure, new Estimate(value, randomisedSe), new Estimate(value - baseValue, randomisedDiffSe));
        }
        if (w is not null)
        {
            var (weightedDiffSe, weightedSe) = WeightedErrors(figure, v.Values, v.Denominators, b.Values, b.Denominators, w);
            return new FigureComparison(figure, new Estimate(value, weightedSe), new Estimate(value - baseValue, weightedDiffSe));
        }
        long n = b.Values.Count;
        var (diffSe, se) = figure.Kind switch
        {
            FigureKind.Mean => (MeanSe(Minus(Of(v.Values), Of(b.Values)), n), MeanSe(Of(v.Values), n)),
            FigureKind.Ratio => (MeanSe(Minus(Influence(Of(v.Values), Of(v.Denominators!), n), Influence(Of(b.Values), Of(b.Denominators!), n)), n),
                MeanSe(Influence(Of(v.Values), Of(v.Denominators!), n), n)),
            // The mean over defined trials is the ratio Σ x·1[defined] / Σ 1[defined]: the same delta method.
            FigureKind.DefinedMean => (MeanSe(Minus(Influence(ZeroWhereUndefined(v.Values), Indicator(v.Values), n), Influence(ZeroWhereUndefined(b.Values), Indicator(b.Values), n)), n),
                MeanSe(Influence(ZeroWhereUndefined(v.Values), Indicator(v.Values), n), n)),
            _ => (QuantileDifferenceSe(v.Values, b.Values), QuantileDifferenceSe(v.Values, null)),
        };
        return new FigureComparison(figure, new Estimate(value, se), new Estimate(value - baseValue, diffSe));
    }

    private static (double DiffSe, double Se) WeightedErrors(KeyFigure figure, TrialSeries v, TrialSeries? vd, TrialSeries b, TrialSeries? bd, TrialSeries w)
    {
        long n = w.Count;
        switch (figure.Kind)
        {
            case FigureKind.Mean:
            {
                // The self-normalised mean's influence values w_i·(x_i − mean)/w̄: their sd / √n is its delta-method error.
                double meanWeight = Average(Of(w), n);
                var iv = Centred(v, SeriesStatistics.WeightedMean(v, w, 0, n).Mean, w, meanWeight);
                var ib = Centred(b, SeriesStatistics.WeightedMean(b, w, 0, n).Mean, w, meanWeight);
                return (MeanSe(Minus(iv, ib), n), MeanSe(iv, n));
            }
            case FigureKind.Ratio:
            {
                var a = Influence(Times(v, w), Times(vd!, w), n);
                var c = Influence(Times(b, w), Times(bd!, w), n);
                return (MeanSe(Minus(a, c), n), MeanSe(a, n));
            }
            case FigureKind.DefinedMean:
            {
                var a = Influence(Times(ZeroWhereUndefined(v), w), Times(Indicator(v), w), n);
                var c = Influence(Times(ZeroWhereUndefined(b), w), Times(Indicator(b), w), n);
                return (MeanSe(Minus(a, c), n), MeanSe(a, n));
            }
            default:
            {
                long size = n / Batches;
                if (size < 100) return (double.NaN, double.NaN);
                var diffs = new double[Batches];
                var own = new double[Batches];
                for (int k = 0; k < Batches; k++)
                {
                    double qv = SeriesStatistics.WeightedQuantiles(v, w, k * size, (k + 1) * size, [0.99]).Quantiles[0];
                    double qb = SeriesStatistics.WeightedQuantiles(b, w, k * size, (k + 1) * size, [0.99]).Quantiles[0];
                    diffs[k] = qv - qb;
                    own[k] = qv;
                }
                return (Empirical.MeanSd(diffs).Sd / Math.Sqrt(Batches), Empirical.MeanSd(own).Sd / Math.Sqrt(Batches));
            }
        }
    }

    /// <summary>
    /// Under randomised quasi-Monte Carlo: the figure on each randomisation's trials alone, in the variant and the base
    /// (means and ratios as ratios of the randomisation's sums, self-normalised under importance sampling; the p99 as the
    /// randomisation's own quantile), and the spread over the R randomisations, over √R, of the variant's values and of
    /// the paired differences. The randomisations are independent, the trials within one are not.
    /// </summary>
    private static (double DiffSe, double Se) RandomisedErrors(KeyFigure figure, TrialSeries v, TrialSeries? vd, TrialSeries b, TrialSeries? bd, TrialSeries? w, int r)
    {
        long n = v.Count;
        var own = new double[r];
        var diffs = new double[r];
        if (figure.Kind == FigureKind.Quantile99)
        {
            var vs = RandomisationBatches.Split(v, w, n, r);
            var bs = RandomisationBatches.Split(b, w, n, r);
            for (int k = 0; k < r; k++)
            {
                own[k] = BatchP99(vs[k].X, vs[k].W);
                diffs[k] = own[k] - BatchP99(bs[k].X, bs[k].W);
            }
        }
        else
        {
            Derived ones = (_, destination) => destination.Fill(1);
            var (vNum, vDen, bNum, bDen) = figure.Kind switch
            {
                FigureKind.Ratio => (Of(v), Of(vd!), Of(b), Of(bd!)),
                FigureKind.DefinedMean => (ZeroWhereUndefined(v), Indicator(v), ZeroWhereUndefined(b), Indicator(b)),
                _ => (Of(v), ones, Of(b), ones),
            };
            if (w is not null) (vNum, vDen, bNum, bDen) = (Times(vNum, w), Times(vDen, w), Times(bNum, w), Times(bDen, w));
            var vn = Sums(vNum, n, r);
            var vm = Sums(vDen, n, r);
            var bn = Sums(bNum, n, r);
            var bm = Sums(bDen, n, r);
            for (int k = 0; k < r; k++)
            {
                own[k] = vn[k] / vm[k];
                diffs[k] = own[k] - bn[k] / bm[k];
            }
        }
        return (RandomisationBatches.Error(diffs), RandomisationBatches.Error(own));
    }

    /// <summary>The derived values' sum per randomisation (position mod <paramref name="r"/>), in trial order.</summary>
    private static double[] Sums(Derived values, long n, int r)
    {
        var sums = new double[r];
        long position = 0;
        Scan(values, n, block =>
        {
            foreach (double x in block) sums[position++ % r] += x;
        });
        return sums;
    }

    /// <summary>A randomisation's p99: the ⌈0.99·m⌉-th smallest of its m values, or the weighted quantile.</summary>
    private static double BatchP99(double[] x, double[]? w)
    {
        if (x.Length == 0) return double.NaN;
        if (w is not null) return WeightedEmpirical.Quantile(x, w, 0.99);
        Array.Sort(x);
        return Empirical.Quantile(x, 99, 100);
    }

    /// <summary>Per-trial values derived from captured series: fills the values of trials [from, from + length).</summary>
    private delegate void Derived(long from, Span<double> destination);

    private static Derived Of(TrialSeries x) => x.CopyTo;

    /// <summary>x_i, or 0 where x_i is undefined (NaN).</summary>
    private static Derived ZeroWhereUndefined(TrialSeries x) => (from, destination) =>
    {
        x.CopyTo(from, destination);
        for (int i = 0; i < destination.Length; i++) if (double.IsNaN(destination[i])) destination[i] = 0;
    };

    /// <summary>1 where x_i is defined, 0 where it is NaN.</summary>
    private static Derived Indicator(TrialSeries x) => (from, destination) =>
    {
        x.CopyTo(from, destination);
        for (int i = 0; i < destination.Length; i++) destination[i] = double.IsNaN(destination[i]) ? 0 : 1;
    };

    /// <summary>x_i · w_i.</summary>
    private static Derived Times(TrialSeries x, TrialSeries w) => Times(Of(x), w);

    /// <summary>x_i · w_i of derived values.</summary>
    private static Derived Times(Derived x, TrialSeries w) => (from, destination) =>
    {
        x(from, destination);
        var weights = Rent(destination.Length);
        try
        {
            w.CopyTo(from, weights.AsSpan(0, destination.Length));
            for (int i = 0; i < destination.Length; i++) destination[i] = destination[i] * weights[i];
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(weights);
        }
    };

    /// <summary>w_i·(x_i − <paramref name="mean"/>) / <paramref name="meanWeight"/>.</summary>
    private static Derived Centred(TrialSeries x, double mean, TrialSeries w, double meanWeight) => (from, destination) =>
    {
        Times(x, w)(from, destination);
        var weights = Rent(destination.Length);
        try
        {
            w.CopyTo(from, weights.AsSpan(0, destination.Length));
            for (int i = 0; i < destination.Length; i++) destination[i] = (destination[i] - weights[i] * mean) / meanWeight;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(weights);
        }
    };

    /// <summary>a_i − b_i.</summary>
    private static Derived Minus(Derived a, Derived b) => (from, destination) =>
    {
        a(from, destination);
        var other = Rent(destination.Length);
        try
        {
            b(from, other.AsSpan(0, destination.Length));
            for (int i = 0; i < destination.Length; i++) destination[i] -= other[i];
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(other);
        }
    };

    /// <summary>The delta-method influence values (g_i − L·v_i)/v̄ with L = ḡ/v̄ (NaN throughout when v̄ ≤ 0).</summary>
    private static Derived Influence(Derived g, Derived v, long n)
    {
        double gm = Average(g, n), vm = Average(v, n);
        if (vm <= 0) return (_, destination) => destination.Fill(double.NaN);
        double ratio = gm / vm;
        return (from, destination) =>
        {
            g(from, destination);
            var denominators = Rent(destination.Length);
            try
            {
                v(from, denominators.AsSpan(0, destination.Length));
                for (int i = 0; i < destination.Length; i++) destination[i] = (destination[i] - ratio * denominators[i]) / vm;
            }
            finally
            {
                System.Buffers.ArrayPool<double>.Shared.Return(denominators);
            }
        };
    }

    private static double[] Rent(int length) => System.Buffers.ArrayPool<double>.Shared.Rent(length);

    /// <summary>Whether two series hold the same values bit for bit (NaNs included).</summary>
    private static bool Identical(TrialSeries a, TrialSeries b)
    {
        // A variant's capture refers to the base's series for the columns it did not change (KeyFigureCapture).
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        var x = Rent(SeriesReader.BlockValues);
        var y = Rent(SeriesReader.BlockValues);
        try
        {
            for (long from = 0; from < a.Count; from += SeriesReader.BlockValues)
            {
                int count = (int)Math.Min(SeriesReader.BlockValues, a.Count - from);
                a.CopyTo(from, x.AsSpan(0, count));
                b.CopyTo(from, y.AsSpan(0, count));
                if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan(0, count)).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y.AsSpan(0, count))))
                    return false;
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(x);
            System.Buffers.ArrayPool<double>.Shared.Return(y);
        }
    }

    /// <summary>Visits the derived values of trials 0..n−1 in order, a block at a time.</summary>
    private static void Scan(Derived values, long n, Action<ReadOnlySpan<double>> action)
    {
        var buffer = Rent(SeriesReader.BlockValues);
        try
        {
            for (long from = 0; from < n; from += SeriesReader.BlockValues)
            {
                int count = (int)Math.Min(SeriesReader.BlockValues, n - from);
                values(from, buffer.AsSpan(0, count));
                action(buffer.AsSpan(0, count));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>Sum in trial order over n (as LINQ's <c>Average</c>).</summary>
    private static double Average(Derived values, long n)
    {
        double sum = 0;
        Scan(values, n, block =>
        {
            foreach (double x in block) sum += x;
        });
        return sum / n;
    }

    /// <summary>sd (n − 1) / √n in trial order, two passes (as <see cref="Empirical.MeanSd"/>).</summary>
    private static double MeanSe(Derived values, long n)
    {
        if (n == 0) return double.NaN;
        double sum = 0;
        Scan(values, n, block =>
        {
            foreach (double x in block) sum += x;
        });
        double mean = sum / n;
        if (n == 1) return 0;
        double ss = 0;
        Scan(values, n, block =>
        {
            foreach (double x in block) ss += (x - mean) * (x - mean);
        });
        return Math.Sqrt(ss / (n - 1)) / Math.Sqrt(n);
    }

    private static double QuantileDifferenceSe(TrialSeries v, TrialSeries? b)
    {
        long n = v.Count, size = n / Batches;
        if (size < 100) return double.NaN;
        var diffs = new double[Batches];
        for (int k = 0; k < Batches; k++)
        {
            diffs[k] = BatchQuantile(v, k * size, size) - (b is null ? 0 : BatchQuantile(b, k * size, size));
        }
        var (_, sd) = Empirical.MeanSd(diffs);
        return sd / Math.Sqrt(Batches);
    }

    private static double BatchQuantile(TrialSeries x, long start, long size) => SeriesStatistics.Quantile(x, start, start + size, 99, 100).Value;
}
