namespace Simulator.Core.Statistics;

/// <summary>
/// Randomised quasi-Monte Carlo (<c>"sampling": "sobol"</c>): the point estimates are the inner weighting's (plain or
/// importance sampling) over all the trials, byte for byte; every standard error and interval comes from the R
/// independent randomisations (<see cref="RandomisationBatches"/>): each figure is estimated on each randomisation's
/// trials alone — a tally's mean or probability, a series' mean, quantiles, es99, exceedance probabilities, a return
/// figure's mean and central quantiles — and the standard deviation of the R estimates over √R is its error. A
/// quantile of one randomisation (n/R trials) is biased where the tail is thin, so the quantiles' errors are the
/// spread of those batch quantiles, which is sound while n/R trials see the quantile's tail (p999 needs n/R well
/// above 1,000). Probabilities get the normal interval p ± 1.96·SE clamped to [0, 1] (the Wilson interval assumes
/// independent trials), except an event seen in no trial or in all, which keeps its interval.
/// </summary>
internal sealed class RandomisedWeighting : TrialWeighting
{
    private readonly TrialWeighting _inner;
    private readonly int _r;

    public RandomisedWeighting(TrialWeighting inner, int randomisations) : base(inner.Budget)
    {
        if (randomisations < 2) throw new ArgumentOutOfRangeException(nameof(randomisations), randomisations, "at least two randomisations");
        _inner = inner;
        _r = randomisations;
    }

    public override int Randomisations => _r;

    public override TrialSeries<double>? Weights => _inner.Weights;

    public override void Add(ReadOnlySpan<double> weights, int count)
    {
        _inner.Add(weights, count);
        Trials = _inner.Trials;
        WeightTotals = _inner.WeightTotals;
    }

    private protected override void AddWeighted(ref Tally tally, double w, double x)
    {
        tally.AddToRandomisation(_r, w, x);
        _inner.Add(ref tally, w, x);
    }

    public override ProbabilityEstimate Probability(in Tally tally) => WithError(_inner.Probability(tally), tally.RandomisationError(_r));

    public override double Mean(in Tally tally) => _inner.Mean(tally);

    public override (double Mean, double Error) MeanWithError(in Tally tally) => (_inner.MeanWithError(tally).Mean, tally.RandomisationError(_r));

    public override double RatioError(in Tally numerator, in Tally denominator) => Tally.RandomisationRatioError(numerator, denominator, _r);

    public override LossSummary Summarize(TrialSeries<double> values, IReadOnlyList<double> thresholds) =>
        WithErrors(_inner.Summarize(values, thresholds), values, thresholds, grid: false).Summary;

    /// <summary>A loss-ratio series' summary and distribution (funds, the programme, vintages): the distribution also gets
    /// the exceedance chart's band from the randomisations (<see cref="TrialDistribution.GridExceedanceErrors"/>).</summary>
    public override (LossSummary Summary, TrialDistribution Distribution) SummarizeWithDistribution(TrialSeries<double> values, IReadOnlyList<double> thresholds, IEnumerable<double> points)
    {
        var (summary, distribution) = _inner.SummarizeWithDistribution(values, thresholds, points);
        var (withErrors, gridErrors) = WithErrors(summary, values, thresholds, grid: true);
        distribution.GridExceedanceErrors = gridErrors;
        return (withErrors, distribution);
    }

    /// <summary>The summary with each figure's error from the randomisations' own summaries, and with
    /// <paramref name="grid"/> the errors of the exceedance probabilities at the loss-ratio grid.</summary>
    private (LossSummary Summary, double[]? GridErrors) WithErrors(LossSummary summary, TrialSeries<double> values, IReadOnlyList<double> thresholds, bool grid)
    {
        var batches = RandomisationBatches.Split(values, Weights, Trials, _r);
        int figures = 7 + thresholds.Count, points = grid ? TrialDistribution.GridSteps + 1 : 0;
        var estimates = new List<double[]>(_r);
        foreach (var (x, w) in batches)
        {
            var row = new double[figures + points];
            if (x.Length == 0)
            {
                Array.Fill(row, double.NaN);
                estimates.Add(row);
                continue;
            }
            var s = w is null ? Empirical.Summarize(x, thresholds) : WeightedEmpirical.Summarize(x, w, thresholds, errors: false);
            double[] head = [s.Mean, s.P50, s.P90, s.P95, s.P99, s.P999, s.Es99, .. s.Exceedance.Select(e => e.Estimate.Probability)];
            head.CopyTo(row, 0);
            if (grid) GridExceedance(x, w, row.AsSpan(figures));
            estimates.Add(row);
        }
        var e = RandomisationBatches.Errors(estimates, figures + points);
        return (summary with
        {
            StandardErrors = new SummaryStandardErrors(e[0], e[1], e[2], e[3], e[4], e[5], e[6]),
            Exceedance = [.. summary.Exceedance.Select((p, i) => p with { Estimate = WithError(p.Estimate, e[7 + i]) })],
        }, grid ? e[figures..] : null);
    }

    /// <summary>A randomisation's P(x &gt; k/GridSteps) at every grid point (self-normalised under importance sampling);
    /// <paramref name="x"/> is sorted when unweighted (<see cref="Empirical.Summarize"/> sorted it).</summary>
    private static void GridExceedance(double[] x, double[]? w, Span<double> exceedance)
    {
        var sorted = x;
        double[]? above = null;
        if (w is not null)
        {
            sorted = (double[])x.Clone();
            var weights = (double[])w.Clone();
            Array.Sort(sorted, weights);
            // above[i]: the weight of the values from i up, summed from the top.
            above = new double[sorted.Length + 1];
            for (int i = sorted.Length - 1; i >= 0; i--) above[i] = above[i + 1] + weights[i];
        }
        for (int k = 0; k < exceedance.Length; k++)
        {
            int first = Empirical.UpperBound(sorted, (double)k / TrialDistribution.GridSteps);
            exceedance[k] = above is null ? (double)(sorted.Length - first) / sorted.Length : above[first] / above[0];
        }
    }

    public override SpreadSummary? Spread(TrialSeries<float> values)
    {
        if (_inner.Spread(values) is not { } spread) return null;
        var estimates = new List<double[]>(_r);
        foreach (var (x, w) in RandomisationBatches.Split(values, Weights, Trials, _r))
        {
            var floats = Array.ConvertAll(x, v => (float)v);
            var s = w is null ? Empirical.Spread(floats) : WeightedEmpirical.Spread(floats, w, errors: false);
            estimates.Add(s is null ? [double.NaN, double.NaN, double.NaN, double.NaN] : [s.Mean, s.P5, s.P50, s.P95]);
        }
        var e = RandomisationBatches.Errors(estimates, 4);
        return spread with { StandardErrors = (e[0], e[1], e[2], e[3]) };
    }

    public override (double Mean, double MeanError, double P99, double P99Error) MeanAndP99(TrialSeries<double> values)
    {
        var (mean, _, p99, _) = _inner.MeanAndP99(values);
        var e = BatchQuantileErrors(values, Trials, [0.99], withMean: true, decimals: false);
        return (mean, e[0], p99, e[1]);
    }

    public override (double[] Quantiles, double[] Errors) CentralQuantiles(TrialSeries<float> values)
    {
        var (q, _) = _inner.CentralQuantiles(values);
        return (q, BatchQuantileErrors(values, Trials, [0.05, 0.5, 0.95], withMean: false, decimals: true));
    }

    public override (double P99, double Error) P99SoFar(TrialSeries values)
    {
        var (p99, _) = _inner.P99SoFar(values);
        return (p99, BatchQuantileErrors(values, Trials, [0.99], withMean: false, decimals: false)[0]);
    }

    /// <summary>The errors of (the mean and) the q-quantiles of the first <paramref name="n"/> values from the
    /// randomisations' own; <paramref name="decimals"/> reads a float series' values as their shortest decimals.</summary>
    private double[] BatchQuantileErrors(TrialSeries values, long n, double[] qs, bool withMean, bool decimals)
    {
        int offset = withMean ? 1 : 0;
        var estimates = new List<double[]>(_r);
        foreach (var (x, w) in RandomisationBatches.Split(values, Weights, n, _r))
        {
            var row = new double[offset + qs.Length];
            if (x.Length == 0)
            {
                Array.Fill(row, double.NaN);
                estimates.Add(row);
                continue;
            }
            if (decimals)
                for (int i = 0; i < x.Length; i++) x[i] = Empirical.FromFloat((float)x[i]);
            if (w is null)
            {
                if (withMean) row[0] = Empirical.MeanSd(x).Mean;
                Array.Sort(x);
                for (int k = 0; k < qs.Length; k++) row[offset + k] = Empirical.Quantile(x, (long)Math.Round(qs[k] * 1000), 1000);
            }
            else
            {
                if (withMean) row[0] = WeightedEmpirical.Mean(x, w).Mean;
                for (int k = 0; k < qs.Length; k++) row[offset + k] = WeightedEmpirical.Quantile(x, w, qs[k]);
            }
            estimates.Add(row);
        }
        return RandomisationBatches.Errors(estimates, offset + qs.Length);
    }

    public override double EffectiveSampleSize() => _inner.EffectiveSampleSize();

    public override void Dispose() => _inner.Dispose();

    /// <summary>The estimate with the randomisations' error and the normal 95% interval, clamped to [0, 1]. An event seen
    /// in no trial (or in every one) has no spread to measure: its error is 0 and it keeps the interval it had (Wilson's
    /// under plain sampling, reaching about 3.8/n), rather than [0, 0].</summary>
    private static ProbabilityEstimate WithError(ProbabilityEstimate p, double se) => p.Count == 0 || p.Count == p.Trials ? p with { StandardError = se } : p with
    {
        StandardError = se,
        Ci95Low = Math.Max(0, p.Probability - ProbabilityEstimate.Z95 * se),
        Ci95High = Math.Min(1, p.Probability + ProbabilityEstimate.Z95 * se),
    };
}
