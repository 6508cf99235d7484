namespace Simulator.Core.Statistics;

/// <summary>
/// Running sums of one per-trial figure, in trial order: under plain sampling Σx, Σx² and the number of trials where
/// it is non-zero; under importance sampling, for the self-normalised mean Σw·x / Σw and its delta-method standard
/// error, Σw, Σw² and, with d = x − (the first trial's x), Σw·d, Σw²·d and Σw²·d² (the shift by the first value keeps
/// a figure that is the same in every trial exact and its error 0). Sums run in trial order, so they are the same on
/// every run.
/// </summary>
public struct Tally
{
    /// <summary>Σx.</summary>
    public double Sum;
    /// <summary>Σx².</summary>
    public double Squares;
    /// <summary>Trials with x ≠ 0 (under importance sampling too: a count of sampled trials, not an estimate).</summary>
    public long Events;
    /// <summary>The first trial's value, which the weighted sums are taken from (importance sampling only).</summary>
    public double Pivot;
    /// <summary>Σw, Σw², Σw·d, Σw²·d, Σw²·d² with d = x − <see cref="Pivot"/> (importance sampling only).</summary>
    public double WeightSum, WeightSquares, WeightedSum, WeightedCross, WeightedSquares;
    /// <summary>Values added under randomised quasi-Monte Carlo: the next one is the trial of randomisation Count mod R.</summary>
    public long Count;
    /// <summary>Under randomised quasi-Monte Carlo, per randomisation r: Σw·(x − <see cref="Pivot"/>) at [r] and Σw at
    /// [R + r] (null otherwise).</summary>
    public double[]? Randomisation;
    private bool _pivoted;

    /// <summary>Adds a trial's value under plain sampling.</summary>
    public void Add(double x)
    {
        Sum += x;
        Squares += x * x;
        if (x != 0) Events++;
    }

    /// <summary>Adds a trial's value with its likelihood-ratio weight.</summary>
    public void Add(double w, double x)
    {
        if (!_pivoted)
        {
            Pivot = x;
            _pivoted = true;
        }
        double d = x - Pivot, w2 = w * w;
        WeightSum += w;
        WeightSquares += w2;
        WeightedSum += w * d;
        WeightedCross += w2 * d;
        WeightedSquares += w2 * d * d;
        if (x != 0) Events++;
    }

    /// <summary>
    /// Adds a trial's value to its randomisation's sums (randomised quasi-Monte Carlo with <paramref name="r"/>
    /// randomisations): values arrive one a trial from trial 1, so the value is the trial of randomisation Count mod R.
    /// The sums are taken from the first value, so a figure that is the same in every trial has error 0.
    /// </summary>
    public void AddToRandomisation(int r, double w, double x)
    {
        if (Count == 0) Pivot = x;
        var sums = Randomisation ??= new double[2 * r];
        int k = (int)(Count % r);
        sums[k] += w * (x - Pivot);
        sums[r + k] += w;
        Count++;
    }

    /// <summary>Each randomisation's own (self-normalised) mean, NaN for one without trials.</summary>
    private readonly double RandomisationMean(int r, int k) =>
        Randomisation is { } sums && sums[r + k] != 0 ? Pivot + sums[k] / sums[r + k] : double.NaN;

    /// <summary>The standard deviation of the <paramref name="r"/> randomisations' means over √R: the error of the mean
    /// under randomised quasi-Monte Carlo (NaN before every randomisation has a trial).</summary>
    public readonly double RandomisationError(int r)
    {
        Span<double> means = stackalloc double[r];
        for (int k = 0; k < r; k++) means[k] = RandomisationMean(r, k);
        return RandomisationBatches.Error(means);
    }

    /// <summary>The error of the ratio of two tallies' means (mean of <paramref name="numerator"/> / mean of
    /// <paramref name="denominator"/>) from the randomisations' own ratios.</summary>
    public static double RandomisationRatioError(in Tally numerator, in Tally denominator, int r)
    {
        Span<double> ratios = stackalloc double[r];
        for (int k = 0; k < r; k++) ratios[k] = numerator.RandomisationMean(r, k) / denominator.RandomisationMean(r, k);
        return RandomisationBatches.Error(ratios);
    }

    /// <summary>
    /// Under importance sampling, over <paramref name="n"/> trials: the self-normalised mean Σw·x / Σw and its
    /// delta-method standard error sqrt(Σw²(x − mean)² · n/(n − 1)) / Σw (0 for one trial).
    /// </summary>
    public readonly (double Mean, double Error) SelfNormalised(long n)
    {
        double m = WeightedSum / WeightSum;
        double ss = Math.Max(0, WeightedSquares - 2 * m * WeightedCross + m * m * WeightSquares);
        return (Pivot + m, n > 1 ? Math.Sqrt(ss * n / (n - 1)) / WeightSum : 0);
    }
}

/// <summary>
/// How the trials of a run are weighted: equally (plain sampling) or by their likelihood ratios (importance sampling).
/// Every statistic an instrument reports goes through it, so one accumulator per instrument serves both samplings;
/// under plain sampling every figure is computed exactly as without weights (byte-identical results).
/// </summary>
public abstract class TrialWeighting : IDisposable
{
    // Plain sampling: a trial's value is added to a tally without a virtual call (see Add).
    private readonly bool _plain;

    private protected TrialWeighting(SeriesBudget budget, bool plain = false)
    {
        Budget = budget;
        _plain = plain;
    }

    /// <summary>The memory budget of the run's series.</summary>
    public SeriesBudget Budget { get; }

    /// <summary>Trials accumulated so far.</summary>
    public long Trials { get; private protected set; }

    /// <summary>The weights, in trial order (null under plain sampling).</summary>
    public abstract TrialSeries<double>? Weights { get; }

    /// <summary>Σw and Σw² over the trials so far, in trial order (the trial count twice under plain sampling): what
    /// self-normalised probabilities and their errors divide by.</summary>
    public (double Sum, double Squares) WeightTotals { get; private protected set; }

    /// <summary>Whether trials carry likelihood-ratio weights.</summary>
    public bool IsWeighted => Weights is not null;

    /// <summary>The independent randomisations R of a randomised quasi-Monte Carlo run, whose spread gives every standard
    /// error (0: the trials are independent and the errors are the iid formulas').</summary>
    public virtual int Randomisations => 0;

    /// <summary>Randomised quasi-Monte Carlo over <paramref name="inner"/> (plain or importance sampling): its estimates,
    /// with standard errors from <paramref name="randomisations"/> randomisations (<see cref="RandomisedWeighting"/>).</summary>
    public static TrialWeighting Randomised(TrialWeighting inner, int randomisations) => new RandomisedWeighting(inner, randomisations);

    /// <summary>Plain sampling.</summary>
    public static TrialWeighting Plain(SeriesBudget budget) => new PlainWeighting(budget);

    /// <summary>Importance sampling, with room for <paramref name="trials"/> weights.</summary>
    public static TrialWeighting Importance(SeriesBudget budget, long trials) => new ImportanceWeighting(budget, trials);

    /// <summary>Records the weights of the next trials (ignored under plain sampling, which only counts them).</summary>
    public abstract void Add(ReadOnlySpan<double> weights, int count);

    /// <summary>Adds a trial's value to a tally.</summary>
    /// <remarks>The statistics call it once per column and trial (a tolerance move at 100,000 trials of wuhan-relay-floor:
    /// millions of calls), so plain sampling adds the value here, where the call can be inlined, instead of through a
    /// virtual call: the same additions.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(ref Tally tally, double w, double x)
    {
        if (_plain) tally.Add(x);
        else AddWeighted(ref tally, w, x);
    }

    /// <summary>Adds a trial's value to a tally under every weighting but plain sampling's.</summary>
    private protected abstract void AddWeighted(ref Tally tally, double w, double x);

    /// <summary>P(figure ≠ 0) for a 0/1 flag's tally.</summary>
    public abstract ProbabilityEstimate Probability(in Tally tally);

    /// <summary>The mean of a tally.</summary>
    public abstract double Mean(in Tally tally);

    /// <summary>The mean of a tally with its standard error (plain sampling: the sample standard deviation over √n;
    /// importance sampling: the self-normalised mean with its delta-method error, <see cref="Tally.SelfNormalised"/>).</summary>
    public virtual (double Mean, double Error) MeanWithError(in Tally tally)
    {
        long n = Trials;
        if (IsWeighted) return tally.SelfNormalised(n);
        double mean = tally.Sum / n;
        double variance = n > 1 ? Math.Max(0, (tally.Squares - n * mean * mean) / (n - 1)) : 0;
        return (mean, Math.Sqrt(variance / n));
    }

    /// <summary>The standard error of mean(<paramref name="numerator"/>) / mean(<paramref name="denominator"/>) from the
    /// randomisations (NaN without them: a ratio's iid error is the caller's delta method).</summary>
    public virtual double RatioError(in Tally numerator, in Tally denominator) => double.NaN;

    /// <summary>The loss summary of a series (the spec's mean, sd, quantiles, es99, exceedances, with standard errors).</summary>
    public abstract LossSummary Summarize(TrialSeries<double> values, IReadOnlyList<double> thresholds);

    /// <summary>A series' distribution for the charts, with exact counts at <paramref name="points"/>.</summary>
    public TrialDistribution Distribution(TrialSeries<double> values, IEnumerable<double> points) => TrialDistribution.Build(values, Weights, points);

    /// <summary>
    /// The summary and the chart distribution of a series at once; under plain sampling with more trials than
    /// <see cref="TrialDistribution.ExactLimit"/>, the distribution is counted in the summary's first pass.
    /// </summary>
    public virtual (LossSummary Summary, TrialDistribution Distribution) SummarizeWithDistribution(TrialSeries<double> values, IReadOnlyList<double> thresholds, IEnumerable<double> points) =>
        (Summarize(values, thresholds), Distribution(values, points));

    /// <summary>Mean, p5, p50, p95 of a float figure over the trials where it is defined (null when it never is).</summary>
    public abstract SpreadSummary? Spread(TrialSeries<float> values);

    /// <summary>The mean with its standard error and the p99 with its standard error.</summary>
    public abstract (double Mean, double MeanError, double P99, double P99Error) MeanAndP99(TrialSeries<double> values);

    /// <summary>p5, p50, p95 of a float figure (as the doubles of its values' shortest decimals), with standard errors.</summary>
    public abstract (double[] Quantiles, double[] Errors) CentralQuantiles(TrialSeries<float> values);

    /// <summary>The p99 of the trials so far with its standard error (for precision targets).</summary>
    public abstract (double P99, double Error) P99SoFar(TrialSeries values);

    /// <summary>(Σw)²/Σw² of the weights (the trial count under plain sampling).</summary>
    public abstract double EffectiveSampleSize();

    /// <summary>Deletes the weights' temporary file.</summary>
    public virtual void Dispose() { }

    /// <summary>A float series as the doubles of its values' shortest decimal forms (<see cref="Empirical.FromFloat"/>),
    /// optionally without its NaN values.</summary>
    private protected TrialSeries<double> Decimal(TrialSeries<float> values, bool definedOnly)
    {
        var result = new TrialSeries<double>(Budget, values.Count);
        try
        {
            using var r = values.Read();
            while (r.Next(out var block))
            {
                foreach (double v in block)
                {
                    if (definedOnly && double.IsNaN(v)) continue;
                    result.Add(Empirical.FromFloat((float)v));
                }
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static readonly (long, long)[] P99Rank = [(99, 100)];
    private static readonly double[] P99At = [0.99];
    private static readonly (long, long)[] CentralRanks = [(1, 20), (1, 2), (19, 20)];
    private static readonly double[] CentralAt = [0.05, 0.5, 0.95];

    private sealed class PlainWeighting(SeriesBudget budget) : TrialWeighting(budget, plain: true)
    {
        public override TrialSeries<double>? Weights => null;

        public override void Add(ReadOnlySpan<double> weights, int count)
        {
            Trials += count;
            WeightTotals = (Trials, Trials);
        }

        private protected override void AddWeighted(ref Tally tally, double w, double x) => tally.Add(x);

        public override ProbabilityEstimate Probability(in Tally tally) => ProbabilityEstimate.FromCount(tally.Events, Trials);

        public override double Mean(in Tally tally) => tally.Sum / Trials;

        public override LossSummary Summarize(TrialSeries<double> values, IReadOnlyList<double> thresholds) => SeriesStatistics.Summarize(values, thresholds);

        public override (LossSummary Summary, TrialDistribution Distribution) SummarizeWithDistribution(TrialSeries<double> values, IReadOnlyList<double> thresholds, IEnumerable<double> points)
        {
            if (values.Count <= TrialDistribution.ExactLimit) return base.SummarizeWithDistribution(values, thresholds, points);
            var counter = new TrialDistribution.Counter(points);
            var summary = SeriesStatistics.Summarize(values, thresholds, counter.Add);
            return (summary, counter.ToDistribution(values.Count));
        }

        public override SpreadSummary? Spread(TrialSeries<float> values) =>
            SeriesStatistics.FloatSpread(values) is { } s ? s with { UndefinedShare = (double)(values.Count - s.Defined) / values.Count } : null;

        public override (double Mean, double MeanError, double P99, double P99Error) MeanAndP99(TrialSeries<double> values)
        {
            var (mean, sd, p99, errors) = SeriesStatistics.MeanSdQuantiles(values, P99Rank, P99At);
            return (mean, sd / Math.Sqrt(Trials), p99[0], errors[0]);
        }

        public override (double[] Quantiles, double[] Errors) CentralQuantiles(TrialSeries<float> values) =>
            SeriesStatistics.DecimalQuantiles(values, CentralRanks, CentralAt);

        public override (double P99, double Error) P99SoFar(TrialSeries values)
        {
            var (p99, errors) = SeriesStatistics.Quantiles(values, 0, Trials, P99Rank, P99At);
            return (p99[0], errors[0]);
        }

        public override double EffectiveSampleSize() => Trials;
    }

    private sealed class ImportanceWeighting(SeriesBudget budget, long trials) : TrialWeighting(budget)
    {
        private readonly TrialSeries<double> _weights = new(budget, trials);

        public override TrialSeries<double>? Weights => _weights;

        public override void Add(ReadOnlySpan<double> weights, int count)
        {
            _weights.Add(weights[..count]);
            Trials += count;
            var (sum, squares) = WeightTotals;
            foreach (double w in weights[..count])
            {
                sum += w;
                squares += w * w;
            }
            WeightTotals = (sum, squares);
        }

        private protected override void AddWeighted(ref Tally tally, double w, double x) => tally.Add(w, x);

        public override ProbabilityEstimate Probability(in Tally tally)
        {
            var (p, se) = tally.SelfNormalised(Trials);
            return ProbabilityEstimate.Weighted(p, se, tally.Events, Trials);
        }

        public override double Mean(in Tally tally) => tally.SelfNormalised(Trials).Mean;

        public override LossSummary Summarize(TrialSeries<double> values, IReadOnlyList<double> thresholds) =>
            SeriesStatistics.WeightedSummarize(values, _weights, thresholds);

        /// <summary>Mean, p5, p50, p95 (as <see cref="WeightedEmpirical.Spread"/>): the defined values with their weights,
        /// self-normalised over the defined trials.</summary>
        public override SpreadSummary? Spread(TrialSeries<float> values)
        {
            using var defined = Decimal(values, definedOnly: true);
            if (defined.Count == 0) return null;
            double all = 0, undefined = 0;
            using var weights = new TrialSeries<double>(Budget, defined.Count);
            SeriesStatistics.Zip(values, _weights, 0, values.Count, (xs, ws) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    all += ws[i];
                    if (double.IsNaN(xs[i])) undefined += ws[i];
                    else weights.Add(ws[i]);
                }
            });
            return SeriesStatistics.WeightedSpread(defined, weights) is { } s ? s with { UndefinedShare = undefined / all } : null;
        }

        public override (double Mean, double MeanError, double P99, double P99Error) MeanAndP99(TrialSeries<double> values)
        {
            var (mean, meanSe) = SeriesStatistics.WeightedMean(values, _weights, 0, Trials);
            var (q, _) = SeriesStatistics.WeightedQuantiles(values, _weights, 0, Trials, P99At);
            var se = SeriesStatistics.WeightedBatchErrors(values, _weights, 0, Trials, P99At);
            return (mean, meanSe, q[0], se[0]);
        }

        public override (double[] Quantiles, double[] Errors) CentralQuantiles(TrialSeries<float> values)
        {
            using var decimals = Decimal(values, definedOnly: false);
            var (q, _) = SeriesStatistics.WeightedQuantiles(decimals, _weights, 0, Trials, CentralAt);
            return (q, SeriesStatistics.WeightedBatchErrors(decimals, _weights, 0, Trials, CentralAt));
        }

        public override (double P99, double Error) P99SoFar(TrialSeries values)
        {
            var (q, _) = SeriesStatistics.WeightedQuantiles(values, _weights, 0, Trials, P99At);
            var se = SeriesStatistics.WeightedBatchErrors(values, _weights, 0, Trials, P99At);
            return (q[0], se[0]);
        }

        public override double EffectiveSampleSize() => SeriesStatistics.EffectiveSampleSize(_weights, Trials);

        public override void Dispose() => _weights.Dispose();
    }
}
