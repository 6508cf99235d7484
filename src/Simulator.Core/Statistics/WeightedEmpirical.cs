namespace Simulator.Core.Statistics;

/// <summary>
/// Statistics of importance-sampled trials, each with a likelihood-ratio weight w_i (unnormalised: the mean of the
/// weights is 1 only in expectation). Every estimator is self-definedWeights — the weights are divided by their sum W = Σw_i,
/// so a figure that is the same in every trial is reported as itself, not as itself times the mean weight:
/// probabilities and means are Σ w_i·x_i / W; the distribution function is read from the tail,
/// F(x) = 1 − Σ_{x_i &gt; x} w_i / W, so that quantiles agree with the exceedance probabilities they sit on; ES follows
/// Acerbi–Tasche on that distribution. Standard errors: the delta method's sqrt(Σ w_i²(x_i − mean)² · n/(n − 1)) / W for
/// means and probabilities, batch means over 20 consecutive batches for quantiles and ES (the order-statistic formula
/// assumes equal weights). The array versions of <see cref="SeriesStatistics"/>' weighted statistics, summed in the
/// same order, for tests and small samples.
/// </summary>
public static class WeightedEmpirical
{
    /// <summary>Batches for quantile standard errors.</summary>
    public const int Batches = 20;

    /// <summary>The self-definedWeights mean Σw·x / Σw (summed as x₀ + Σw·(x − x₀) / Σw, exact for a constant figure) and its
    /// delta-method standard error.</summary>
    public static (double Mean, double StandardError) Mean(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        int n = x.Length;
        double pivot = n > 0 ? x[0] : double.NaN, total = 0, shifted = 0;
        for (int i = 0; i < n; i++)
        {
            total += w[i];
            shifted += w[i] * (x[i] - pivot);
        }
        double mean = pivot + shifted / total, ss = 0;
        for (int i = 0; i < n; i++)
        {
            double d = w[i] * (x[i] - mean);
            ss += d * d;
        }
        return (mean, n > 1 ? Math.Sqrt(ss * n / (n - 1)) / total : double.NaN);
    }

    /// <summary>P(event) from 0/1 indicators: Σ_{event} w / Σw, its delta-method standard error, a normal 95% interval.</summary>
    public static ProbabilityEstimate Probability(ReadOnlySpan<double> indicator, ReadOnlySpan<double> w)
    {
        int n = indicator.Length;
        long count = 0;
        double above = 0, total = 0;
        for (int i = 0; i < n; i++)
        {
            total += w[i];
            if (indicator[i] > 0)
            {
                above += w[i];
                count++;
            }
        }
        double p = above / total, ss = 0;
        for (int i = 0; i < n; i++)
        {
            double d = w[i] * ((indicator[i] > 0 ? 1 : 0) - p);
            ss += d * d;
        }
        return ProbabilityEstimate.Weighted(p, n > 1 ? Math.Sqrt(ss * n / (n - 1)) / total : double.NaN, count, n);
    }

    private static double Total(ReadOnlySpan<double> w)
    {
        double total = 0;
        foreach (double v in w) total += v;
        return total;
    }

    /// <summary>The q-quantile inf{x : Σ_{x_i &gt; x} w_i / Σw ≤ 1 − q}.</summary>
    public static double Quantile(ReadOnlySpan<double> x, ReadOnlySpan<double> w, double q)
    {
        var order = Order(x);
        return QuantileSorted(x, w, order, Total(w), q);
    }

    /// <summary>Indices in ascending (value, index) order: ties stay in trial order, so sums along the order are reproducible.</summary>
    private static int[] Order(ReadOnlySpan<double> x)
    {
        var keys = new ulong[x.Length];
        for (int i = 0; i < keys.Length; i++) keys[i] = SeriesOrder.Key(x[i]);
        var order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        for (int i = 0; i < keys.Length;)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i);
            i = j;
        }
        return order;
    }

    private static double QuantileSorted(ReadOnlySpan<double> x, ReadOnlySpan<double> w, int[] order, double total, double q)
    {
        int n = order.Length;
        double budget = (1 - q) * total, tail = 0;
        // Walk down from the top: the quantile is the first value (from the top) at which the weight strictly
        // above it no longer fits in the 1 − q budget... i.e. the smallest x with tail weight above x ≤ budget.
        for (int j = n - 1; j > 0; j--)
        {
            tail += w[order[j]];
            if (tail > budget) return x[order[j]];
        }
        return x[order[0]];
    }

    /// <summary>The loss summary of spec §5 under importance sampling; without <paramref name="errors"/> the quantiles' and
    /// es99's standard errors (batch means, the costly part) are left NaN.</summary>
    public static LossSummary Summarize(double[] x, double[] w, IReadOnlyList<double> thresholds, bool errors = true)
    {
        int n = x.Length;
        var order = Order(x);
        var (mean, meanSe) = Mean(x, w);
        double total = Total(w), second = 0;
        for (int i = 0; i < n; i++) second += w[i] * (x[i] - mean) * (x[i] - mean);
        double sd = n > 1 ? Math.Sqrt(second / total * n / (n - 1)) : 0;
        double Q(double q) => QuantileSorted(x, w, order, total, q);
        double es = ExpectedShortfall(x, w, order, 0.99);
        var exceedance = thresholds.Select(t =>
        {
            var indicator = new double[n];
            for (int i = 0; i < n; i++) indicator[i] = x[i] > t ? 1 : 0;
            return new ExceedancePoint(t, Probability(indicator, w));
        }).ToList();
        var standardErrors = !errors ? new SummaryStandardErrors(meanSe, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
            : new SummaryStandardErrors(meanSe,
            BatchSe(x, w, (bx, bw) => Quantile(bx, bw, 0.5)), BatchSe(x, w, (bx, bw) => Quantile(bx, bw, 0.9)),
            BatchSe(x, w, (bx, bw) => Quantile(bx, bw, 0.95)), BatchSe(x, w, (bx, bw) => Quantile(bx, bw, 0.99)),
            BatchSe(x, w, (bx, bw) => Quantile(bx, bw, 0.999)), BatchSe(x, w, (bx, bw) => ExpectedShortfall(bx, bw, Order(bx), 0.99)));
        return new LossSummary(mean, sd, Q(0.5), Q(0.9), Q(0.95), Q(0.99), Q(0.999), es, exceedance, standardErrors);
    }

    /// <summary>ES_α = (1/(1−α))·(Σ_{x_i &gt; q} w_i x_i / Σw + q·((1 − α) − Σ_{x_i &gt; q} w_i / Σw)).</summary>
    private static double ExpectedShortfall(ReadOnlySpan<double> x, ReadOnlySpan<double> w, int[] order, double alpha)
    {
        int n = order.Length;
        double total = Total(w);
        double q = QuantileSorted(x, w, order, total, alpha);
        double tailWeight = 0, tailSum = 0;
        for (int j = n - 1; j >= 0 && x[order[j]] > q; j--)
        {
            tailWeight += w[order[j]];
            tailSum += w[order[j]] * x[order[j]];
        }
        return (tailSum / total + q * ((1 - alpha) - tailWeight / total)) / (1 - alpha);
    }

    /// <summary>Standard error of a weighted quantile by batch means (NaN with fewer than 100 trials a batch).</summary>
    public static double QuantileSe(double[] x, double[] w, double q) => BatchSe(x, w, (bx, bw) => Quantile(bx, bw, q));

    private delegate double BatchStatistic(double[] x, double[] w);

    private static double BatchSe(double[] x, double[] w, BatchStatistic statistic)
    {
        int size = x.Length / Batches;
        if (size < 100) return double.NaN;
        var values = new double[Batches];
        for (int b = 0; b < Batches; b++) values[b] = statistic(x[(b * size)..((b + 1) * size)], w[(b * size)..((b + 1) * size)]);
        var (_, sd) = Empirical.MeanSd(values);
        return sd / Math.Sqrt(Batches);
    }

    /// <summary>Mean, p5, p50, p95 of a return figure under importance sampling (NaN values left out); without
    /// <paramref name="errors"/> the quantiles' standard errors are left NaN.</summary>
    public static SpreadSummary? Spread(float[] values, double[] w, bool errors = true)
    {
        var keep = Enumerable.Range(0, values.Length).Where(i => !float.IsNaN(values[i])).ToArray();
        if (keep.Length == 0) return null;
        var x = keep.Select(i => Empirical.FromFloat(values[i])).ToArray();
        // Self-normalised over the defined trials, a subset of all.
        var definedWeights = keep.Select(i => w[i]).ToArray();
        var (mean, meanSe) = Mean(x, definedWeights);
        double all = 0, undefined = 0;
        for (int i = 0; i < values.Length; i++)
        {
            all += w[i];
            if (float.IsNaN(values[i])) undefined += w[i];
        }
        return new SpreadSummary(mean, Quantile(x, definedWeights, 0.05), Quantile(x, definedWeights, 0.5), Quantile(x, definedWeights, 0.95), keep.Length)
        {
            StandardErrors = errors ? (meanSe, QuantileSe(x, definedWeights, 0.05), QuantileSe(x, definedWeights, 0.5), QuantileSe(x, definedWeights, 0.95))
                : (meanSe, double.NaN, double.NaN, double.NaN),
            UndefinedShare = undefined / all,
        };
    }

    /// <summary>Effective sample size (Σw)² / Σw².</summary>
    public static double EffectiveSampleSize(ReadOnlySpan<double> w)
    {
        double s = 0, s2 = 0;
        foreach (double v in w)
        {
            s += v;
            s2 += v * v;
        }
        return s2 > 0 ? s * s / s2 : 0;
    }
}
