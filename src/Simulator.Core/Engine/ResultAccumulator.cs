using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// Keeps what the statistics need and nothing else: the loss ratios in full (double, for exact quantiles
/// and ES), the return figures as float (their p5/p50/p95 need no more than 7 digits), and running sums
/// for counts and means. Rows must arrive in trial order so that every sum is the same on every run.
/// </summary>
internal sealed class ResultAccumulator
{
    private readonly Scenario _scenario;
    private readonly TrialLayout _layout;
    private readonly double[][] _lossRatios;
    private readonly float[][][] _returns; // [fund][4][trial]
    private double[] _programme;
    private readonly long[] _breaches;
    private readonly double[] _invested, _proceeds, _projectBreaches, _projectBreachesSquared;
    private readonly GuaranteeSeries[] _guarantees;
    private long _programmeBreaches;
    private double _toleranceSum;
    private long _n;

    // Importance sampling: the trials' likelihood-ratio weights and weighted running sums. Without it these stay
    // null and every statistic is computed exactly as for plain sampling (byte-identical results).
    private double[]? _weights;
    private readonly WeightedSum[] _wBreaches = [], _wInvested = [], _wProceeds = [], _wProjectBreaches = [];
    private WeightedSum _wProgrammeBreaches, _wTolerance;

    public ResultAccumulator(Scenario scenario, TrialLayout layout)
    {
        _scenario = scenario;
        _layout = layout;
        int funds = scenario.Funds.Count, n = scenario.Trials;
        _lossRatios = Enumerable.Range(0, funds).Select(_ => new double[n]).ToArray();
        _returns = Enumerable.Range(0, funds).Select(_ => Enumerable.Range(0, 4).Select(_ => new float[n]).ToArray()).ToArray();
        _programme = new double[n];
        _breaches = new long[funds];
        _invested = new double[funds];
        _proceeds = new double[funds];
        _projectBreaches = new double[funds];
        _projectBreachesSquared = new double[funds];
        _guarantees = scenario.Guarantees.Select(g => new GuaranteeSeries(n, g.Years)).ToArray();
        if (layout.WeightColumn >= 0)
        {
            _weights = new double[n];
            _wBreaches = new WeightedSum[funds];
            _wInvested = new WeightedSum[funds];
            _wProceeds = new WeightedSum[funds];
            _wProjectBreaches = new WeightedSum[funds];
        }
    }

    /// <summary>Running Σ w·x and Σ (w·x)² of one figure, for importance-sampled means and probabilities.</summary>
    private struct WeightedSum
    {
        public double Sum, SumSquares;
        public long Events;

        public void Add(double w, double x)
        {
            double v = w * x;
            Sum += v;
            SumSquares += v * v;
            if (x != 0) Events++;
        }

        public readonly double Mean(long n) => Sum / n;

        public readonly ProbabilityEstimate Probability(long n)
        {
            double p = Sum / n;
            double variance = n > 1 ? Math.Max(0, (SumSquares - n * p * p) / (n - 1)) : 0;
            double se = Math.Sqrt(variance / n);
            return new ProbabilityEstimate(p, se, Math.Max(0, p - ProbabilityEstimate.Z95 * se), Math.Min(1, p + ProbabilityEstimate.Z95 * se), Events, n);
        }
    }

    /// <summary>What the statistics of one scheme need.</summary>
    private sealed class GuaranteeSeries(int n, int years)
    {
        public double[][] Values = Enumerable.Range(0, 5).Select(_ => new double[n]).ToArray(); // loss, 4 parties
        public float[][] Capital = Enumerable.Range(0, years).Select(_ => new float[n]).ToArray();

        /// <summary>Cuts the arrays to the trials actually run (a precision target may stop early).</summary>
        public void Trim(Func<double[], double[]> doubles, Func<float[], float[]> floats)
        {
            Values = Values.Select(doubles).ToArray();
            Capital = Capital.Select(floats).ToArray();
        }
        public readonly long[] ExhaustedInYear = new long[years + 1], InsolventInYear = new long[years + 1];
        public long Exhausted, Insolvent, Suspended;
        public double Guaranteed, Loans, Defaults;
        public readonly double[] WeightedExhaustedInYear = new double[years + 1], WeightedInsolventInYear = new double[years + 1];
        public readonly double[] SquaredExhaustedInYear = new double[years + 1], SquaredInsolventInYear = new double[years + 1];
        public WeightedSum WExhausted, WInsolvent, WSuspended, WGuaranteed, WLoans, WDefaults;
    }

    public void Add(ReadOnlySpan<double> row)
    {
        long i = _n++;
        double w = 1;
        if (_weights is not null)
        {
            w = row[_layout.WeightColumn];
            _weights[i] = w;
        }
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            int c = _layout.FundStart(f);
            _lossRatios[f][i] = row[c + TrialLayout.LossRatio];
            _breaches[f] += row[c + TrialLayout.Breach] > 0 ? 1 : 0;
            _invested[f] += row[c + TrialLayout.Invested];
            _proceeds[f] += row[c + TrialLayout.Proceeds];
            if (_weights is not null)
            {
                _wBreaches[f].Add(w, row[c + TrialLayout.Breach]);
                _wInvested[f].Add(w, row[c + TrialLayout.Invested]);
                _wProceeds[f].Add(w, row[c + TrialLayout.Proceeds]);
                if (_layout.ProjectBreachColumn[f] >= 0) _wProjectBreaches[f].Add(w, row[_layout.ProjectBreachColumn[f]] / _scenario.Funds[f].Deals);
            }
            for (int r = 0; r < 4; r++) _returns[f][r][i] = (float)row[c + TrialLayout.MultiplePrivate + r];
            if (_layout.ProjectBreachColumn[f] >= 0)
            {
                double count = row[_layout.ProjectBreachColumn[f]];
                _projectBreaches[f] += count;
                _projectBreachesSquared[f] += count * count;
            }
        }
        if (_layout.HasProgramme)
        {
            int p = _layout.ProgrammeStart;
            _programme[i] = row[p];
            _programmeBreaches += row[p + 1] > 0 ? 1 : 0;
            _toleranceSum += row[p + 2];
            if (_weights is not null)
            {
                _wProgrammeBreaches.Add(w, row[p + 1]);
                _wTolerance.Add(w, row[p + 2]);
            }
        }
        for (int g = 0; g < _guarantees.Length; g++)
        {
            var series = _guarantees[g];
            int c = _layout.GuaranteeStart(g);
            for (int v = 0; v < 5; v++) series.Values[v][i] = row[c + TrialLayout.GLoss + v];
            series.Guaranteed += row[c + TrialLayout.GGuaranteed];
            series.Loans += row[c + TrialLayout.GLoans];
            series.Defaults += row[c + TrialLayout.GDefaults];
            int exhaustedYear = (int)row[c + TrialLayout.GExhaustedYear], insolventYear = (int)row[c + TrialLayout.GInsolventYear];
            if (exhaustedYear > 0)
            {
                series.Exhausted++;
                series.ExhaustedInYear[exhaustedYear]++;
            }
            if (insolventYear > 0)
            {
                series.Insolvent++;
                series.InsolventInYear[insolventYear]++;
            }
            if (row[c + TrialLayout.GSuspended] > 0) series.Suspended++;
            if (_weights is not null)
            {
                series.WExhausted.Add(w, row[c + TrialLayout.GExhausted]);
                series.WInsolvent.Add(w, row[c + TrialLayout.GInsolvent]);
                series.WSuspended.Add(w, row[c + TrialLayout.GSuspended]);
                series.WGuaranteed.Add(w, row[c + TrialLayout.GGuaranteed]);
                series.WLoans.Add(w, row[c + TrialLayout.GLoans]);
                series.WDefaults.Add(w, row[c + TrialLayout.GDefaults]);
                if (exhaustedYear > 0)
                {
                    series.WeightedExhaustedInYear[exhaustedYear] += w;
                    series.SquaredExhaustedInYear[exhaustedYear] += w * w;
                }
                if (insolventYear > 0)
                {
                    series.WeightedInsolventInYear[insolventYear] += w;
                    series.SquaredInsolventInYear[insolventYear] += w * w;
                }
            }
            int cap = _layout.CapitalStart(g);
            for (int t = 0; t < series.Capital.Length; t++) series.Capital[t][i] = (float)row[cap + t];
        }
    }

    /// <summary>(Σw)²/Σw² of the importance-sampling weights (the trial count without them).</summary>
    public double EffectiveSampleSize() => _weights is null ? _n : WeightedEmpirical.EffectiveSampleSize(_weights.AsSpan(0, (int)_n));

    /// <summary>Trials accumulated so far.</summary>
    public long Count => _n;

    /// <summary>
    /// The figures a precision target watches, on the trials so far: each fund's and the programme's breach
    /// probability and p99 loss ratio, each scheme's p99 loss.
    /// </summary>
    public Checkpoint Checkpoint()
    {
        int n = (int)_n;
        var figures = new List<FigurePrecision>();
        void Quantile(string name, double[] values)
        {
            if (_weights is not null)
            {
                var summary = WeightedEmpirical.Summarize(values[..n], _weights[..n], []);
                figures.Add(new FigurePrecision(name, summary.P99, summary.StandardErrors.P99));
                return;
            }
            var sorted = values.AsSpan(0, n).ToArray();
            Array.Sort(sorted);
            figures.Add(new FigurePrecision(name, Empirical.Quantile(sorted, 99, 100), Empirical.QuantileStandardError(sorted, 0.99)));
        }
        void Probability(string name, long count, WeightedSum weighted)
        {
            var p = _weights is null ? ProbabilityEstimate.FromCount(count, n) : weighted.Probability(n);
            figures.Add(new FigurePrecision(name, p.Probability, p.StandardError));
        }
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            Probability($"{_scenario.Funds[f].Name}.breachProbability", _breaches[f], _weights is null ? default : _wBreaches[f]);
            Quantile($"{_scenario.Funds[f].Name}.p99LossRatio", _lossRatios[f]);
        }
        if (_layout.HasProgramme)
        {
            Probability("programme.breachProbability", _programmeBreaches, _wProgrammeBreaches);
            Quantile("programme.p99LossRatio", _programme);
        }
        for (int g = 0; g < _guarantees.Length; g++) Quantile($"{_scenario.Guarantees[g].Name}.p99Loss", _guarantees[g].Values[0]);
        return new Checkpoint(n, figures);
    }

    private T[] Prefix<T>(T[] values) => values.Length == _n ? values : values[..(int)_n];

    public SimulationResult Summarize(PrecisionReport? precision = null)
    {
        long n = _n;
        if (n == 0) throw new InvalidOperationException("no trials were run");
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            _lossRatios[f] = Prefix(_lossRatios[f]);
            for (int r = 0; r < 4; r++) _returns[f][r] = Prefix(_returns[f][r]);
        }
        _programme = Prefix(_programme);
        foreach (var series in _guarantees) series.Trim(Prefix, Prefix);
        if (_weights is not null) _weights = Prefix(_weights);
        var thresholds = _scenario.ReportLossRatios;
        var w = _weights;
        var funds = new List<FundResult>();
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            var fund = _scenario.Funds[f];
            if (w is not null)
            {
                funds.Add(WeightedFund(f, fund, thresholds, w, n));
                continue;
            }
            var loss = Empirical.Summarize(_lossRatios[f], thresholds);
            DirectProjectsSummary? projects = null;
            if (_layout.ProjectBreachColumn[f] >= 0)
            {
                double mean = _projectBreaches[f] / n;
                double variance = n > 1 ? Math.Max(0, (_projectBreachesSquared[f] - n * mean * mean) / (n - 1)) : 0;
                projects = new DirectProjectsSummary(mean, mean / fund.Deals, Math.Sqrt(variance / n) / fund.Deals);
            }
            funds.Add(new FundResult(fund, loss, ProbabilityEstimate.FromCount(_breaches[f], n),
                Empirical.Spread(_returns[f][0]), Empirical.Spread(_returns[f][1]), Empirical.Spread(_returns[f][2]), Empirical.Spread(_returns[f][3]),
                _invested[f] / n, _proceeds[f] / n, projects, _lossRatios[f]));
        }
        ProgrammeResult? programme = null;
        if (_layout.HasProgramme && w is not null)
        {
            var (sorted, sortedWeights) = SortWithWeights(_programme, w);
            programme = new ProgrammeResult(WeightedEmpirical.Summarize(_programme, w, thresholds), _wProgrammeBreaches.Probability(n), _wTolerance.Mean(n), sorted)
                { SortedWeights = sortedWeights };
        }
        else if (_layout.HasProgramme)
        {
            var programmeLoss = Empirical.Summarize(_programme, thresholds);
            programme = new ProgrammeResult(programmeLoss, ProbabilityEstimate.FromCount(_programmeBreaches, n), _toleranceSum / n, _programme);
        }
        var guarantees = _guarantees.Select((series, g) => SummarizeGuarantee(_scenario.Guarantees[g], series, n)).ToList();
        return new SimulationResult(_scenario, n, funds, programme, guarantees) { Precision = precision };
    }

    /// <summary>Values sorted ascending with their weights alongside (for plots of weighted samples).</summary>
    private static (double[] Values, double[] Weights) SortWithWeights(double[] values, double[] weights)
    {
        var keys = (double[])values.Clone();
        var items = (double[])weights.Clone();
        Array.Sort(keys, items);
        return (keys, items);
    }

    private FundResult WeightedFund(int f, Funds.Fund fund, IReadOnlyList<double> thresholds, double[] w, long n)
    {
        var loss = WeightedEmpirical.Summarize(_lossRatios[f], w, thresholds);
        DirectProjectsSummary? projects = null;
        if (_layout.ProjectBreachColumn[f] >= 0)
        {
            var share = _wProjectBreaches[f].Probability(n);
            projects = new DirectProjectsSummary(share.Probability * fund.Deals, share.Probability, share.StandardError);
        }
        var (sorted, sortedWeights) = SortWithWeights(_lossRatios[f], w);
        return new FundResult(fund, loss, _wBreaches[f].Probability(n),
            WeightedEmpirical.Spread(_returns[f][0], w), WeightedEmpirical.Spread(_returns[f][1], w),
            WeightedEmpirical.Spread(_returns[f][2], w), WeightedEmpirical.Spread(_returns[f][3], w),
            _wInvested[f].Mean(n), _wProceeds[f].Mean(n), projects, sorted) { SortedWeights = sortedWeights };
    }

    private GuaranteeResult SummarizeGuarantee(Guarantees.Guarantee guarantee, GuaranteeSeries s, long n)
    {
        if (_weights is { } weights) return WeightedGuarantee(guarantee, s, n, weights);
        // The worst 1% of trials by total loss: the last ⌈0.01·n⌉ in (loss, trial) order, taken before the
        // loss array is sorted in place by the summary.
        var loss = s.Values[0];
        var order = Enumerable.Range(0, (int)n).ToArray();
        Array.Sort(order, (a, b) => loss[a] != loss[b] ? loss[a].CompareTo(loss[b]) : a.CompareTo(b));
        int worst = Math.Clamp((int)Math.Ceiling(n / 100.0), 1, (int)n);
        var tail = order[((int)n - worst)..];
        double TailMean(double[] values)
        {
            double sum = 0;
            foreach (int i in tail) sum += values[i];
            return sum / tail.Length;
        }
        var tailMeans = s.Values.Select(TailMean).ToArray();
        PartySummary Party(int v)
        {
            var (mean, sd) = Empirical.MeanSd(s.Values[v]);
            var sorted = (double[])s.Values[v].Clone();
            Array.Sort(sorted);
            return new PartySummary(mean, Empirical.Quantile(sorted, 99, 100), tailMeans[v])
            {
                StandardErrors = (sd / Math.Sqrt(n), Empirical.QuantileStandardError(sorted, 0.99)),
            };
        }
        var guarantor = Party(1);
        var reGuarantee = Party(2);
        var bank = Party(3);
        var government = Party(4);
        var lossSummary = Empirical.Summarize(loss, _scenario.ReportExceedance);

        double meanGuaranteed = s.Guaranteed / n;
        double leverage = government.Mean > 0 ? meanGuaranteed / government.Mean : double.PositiveInfinity;
        var exhaustedByYear = new double[guarantee.Years];
        var insolventByYear = new double[guarantee.Years];
        long exhaustedSoFar = 0, insolventSoFar = 0;
        for (int t = 1; t <= guarantee.Years; t++)
        {
            exhaustedSoFar += s.ExhaustedInYear[t];
            insolventSoFar += s.InsolventInYear[t];
            exhaustedByYear[t - 1] = (double)exhaustedSoFar / n;
            insolventByYear[t - 1] = (double)insolventSoFar / n;
        }
        var capital = new List<(double, double, double)>();
        var capitalErrors = new List<(double, double, double)>();
        if (guarantee.Guarantor is not null)
        {
            foreach (var year in s.Capital)
            {
                var sorted = year.Select(Empirical.FromFloat).ToArray();
                Array.Sort(sorted);
                capital.Add((Empirical.Quantile(sorted, 1, 20), Empirical.Quantile(sorted, 1, 2), Empirical.Quantile(sorted, 19, 20)));
                capitalErrors.Add((Empirical.QuantileStandardError(sorted, 0.05), Empirical.QuantileStandardError(sorted, 0.5), Empirical.QuantileStandardError(sorted, 0.95)));
            }
        }
        var byYearErrors = exhaustedByYear.Zip(insolventByYear, (e, i) => (Math.Sqrt(e * (1 - e) / n), Math.Sqrt(i * (1 - i) / n))).ToList();
        return new GuaranteeResult(guarantee, lossSummary, guarantor, reGuarantee, bank, government, tailMeans[0],
            ProbabilityEstimate.FromCount(s.Exhausted, n), ProbabilityEstimate.FromCount(s.Insolvent, n), ProbabilityEstimate.FromCount(s.Suspended, n),
            meanGuaranteed, s.Loans / n, s.Defaults / n, leverage, exhaustedByYear, insolventByYear, capital, loss)
        {
            CapitalStandardErrors = capitalErrors,
            ByYearStandardErrors = byYearErrors,
        };
    }

    private GuaranteeResult WeightedGuarantee(Guarantees.Guarantee guarantee, GuaranteeSeries s, long n, double[] w)
    {
        var loss = s.Values[0];
        var lossSummary = WeightedEmpirical.Summarize(loss, w, _scenario.ReportExceedance);
        // The worst 1%: the trials with a loss at or above the weighted 99th percentile, averaged with their weights.
        double var99 = lossSummary.P99, tailWeight = 0;
        var tailSums = new double[5];
        for (int i = 0; i < n; i++)
        {
            if (loss[i] < var99) continue;
            tailWeight += w[i];
            for (int v = 0; v < 5; v++) tailSums[v] += w[i] * s.Values[v][i];
        }
        var tailMeans = tailSums.Select(x => tailWeight > 0 ? x / tailWeight : double.NaN).ToArray();
        PartySummary Party(int v)
        {
            var (mean, meanSe) = WeightedEmpirical.Mean(s.Values[v], w);
            return new PartySummary(mean, WeightedEmpirical.Quantile(s.Values[v], w, 0.99), tailMeans[v])
            {
                StandardErrors = (meanSe, WeightedEmpirical.QuantileSe(s.Values[v], w, 0.99)),
            };
        }
        var government = Party(4);
        double meanGuaranteed = s.WGuaranteed.Mean(n);
        var exhaustedByYear = new double[guarantee.Years];
        var insolventByYear = new double[guarantee.Years];
        double exhaustedSoFar = 0, insolventSoFar = 0, exhaustedSquares = 0, insolventSquares = 0;
        var byYearErrors = new List<(double, double)>();
        // SE of Σ w·1/n from the running Σ (w·1)²: sqrt((Σ(w·1)²/n − p²)/n).
        static double Se(double p, double squares, long n) => Math.Sqrt(Math.Max(0, squares / n - p * p) / n);
        for (int t = 1; t <= guarantee.Years; t++)
        {
            exhaustedSoFar += s.WeightedExhaustedInYear[t];
            insolventSoFar += s.WeightedInsolventInYear[t];
            exhaustedSquares += s.SquaredExhaustedInYear[t];
            insolventSquares += s.SquaredInsolventInYear[t];
            exhaustedByYear[t - 1] = exhaustedSoFar / n;
            insolventByYear[t - 1] = insolventSoFar / n;
            byYearErrors.Add((Se(exhaustedByYear[t - 1], exhaustedSquares, n), Se(insolventByYear[t - 1], insolventSquares, n)));
        }
        var capital = new List<(double, double, double)>();
        var capitalErrors = new List<(double, double, double)>();
        if (guarantee.Guarantor is not null)
        {
            foreach (var year in s.Capital)
            {
                var values = year.Select(Empirical.FromFloat).ToArray();
                capital.Add((WeightedEmpirical.Quantile(values, w, 0.05), WeightedEmpirical.Quantile(values, w, 0.5), WeightedEmpirical.Quantile(values, w, 0.95)));
                capitalErrors.Add((WeightedEmpirical.QuantileSe(values, w, 0.05), WeightedEmpirical.QuantileSe(values, w, 0.5), WeightedEmpirical.QuantileSe(values, w, 0.95)));
            }
        }
        var (sorted, sortedWeights) = SortWithWeights(loss, w);
        return new GuaranteeResult(guarantee, lossSummary, Party(1), Party(2), Party(3), government, tailMeans[0],
            s.WExhausted.Probability(n), s.WInsolvent.Probability(n), s.WSuspended.Probability(n),
            meanGuaranteed, s.WLoans.Mean(n), s.WDefaults.Mean(n), government.Mean > 0 ? meanGuaranteed / government.Mean : double.PositiveInfinity,
            exhaustedByYear, insolventByYear, capital, sorted)
        {
            SortedWeights = sortedWeights,
            CapitalStandardErrors = capitalErrors,
            ByYearStandardErrors = byYearErrors,
        };
    }
}
