using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// Keeps what the statistics need and nothing else: each figure's values in trial order as a
/// <see cref="TrialSeries{T}"/> (double for loss ratios and losses, for exact quantiles and ES; float for the return
/// figures and capital, whose quantiles need no more than 7 digits), and running sums for counts and means. The
/// series stay in memory within the run's <see cref="SeriesBudget"/> and spill to temporary files beyond it, so
/// memory does not grow with trials; disposing the accumulator deletes the files. Rows must arrive in trial order so
/// that every sum is the same on every run.
/// </summary>
internal sealed class ResultAccumulator : IDisposable
{
    private readonly Scenario _scenario;
    private readonly TrialLayout _layout;
    private readonly SeriesBudget _budget;
    private readonly List<TrialSeries> _owned = [];
    private readonly TrialSeries<double>[] _lossRatios;
    private readonly TrialSeries<float>[][] _returns; // [fund][4]
    private readonly TrialSeries<double>? _programme;
    private readonly long[] _breaches;
    private readonly double[] _invested, _proceeds, _projectBreaches, _projectBreachesSquared;
    private readonly GuaranteeSeries[] _guarantees;
    private long _programmeBreaches;
    private double _toleranceSum;
    private long _n;

    // Importance sampling: the trials' likelihood-ratio weights and weighted running sums. Without it these stay
    // null and every statistic is computed exactly as for plain sampling (byte-identical results).
    private readonly TrialSeries<double>? _weights;
    private readonly WeightedSum[] _wBreaches = [], _wInvested = [], _wProceeds = [], _wProjectBreaches = [];
    private WeightedSum _wProgrammeBreaches, _wTolerance;

    public ResultAccumulator(Scenario scenario, TrialLayout layout, SeriesBudget budget)
    {
        _scenario = scenario;
        _layout = layout;
        _budget = budget;
        int funds = scenario.Funds.Count;
        _lossRatios = Enumerable.Range(0, funds).Select(_ => Double()).ToArray();
        _returns = Enumerable.Range(0, funds).Select(_ => Enumerable.Range(0, 4).Select(_ => Float()).ToArray()).ToArray();
        _programme = layout.HasProgramme ? Double() : null;
        _breaches = new long[funds];
        _invested = new double[funds];
        _proceeds = new double[funds];
        _projectBreaches = new double[funds];
        _projectBreachesSquared = new double[funds];
        // Capital by year only feeds the guarantor's fan chart: without a guarantor it is not kept.
        _guarantees = scenario.Guarantees.Select(g => new GuaranteeSeries(
            Enumerable.Range(0, 5).Select(_ => Double()).ToArray(),
            g.Guarantor is null ? [] : Enumerable.Range(0, g.Years).Select(_ => Float()).ToArray(), g.Years)).ToArray();
        if (layout.WeightColumn >= 0)
        {
            _weights = Double();
            _wBreaches = new WeightedSum[funds];
            _wInvested = new WeightedSum[funds];
            _wProceeds = new WeightedSum[funds];
            _wProjectBreaches = new WeightedSum[funds];
        }
    }

    private TrialSeries<double> Double() => Own(new TrialSeries<double>(_budget, _scenario.Trials));

    private TrialSeries<float> Float() => Own(new TrialSeries<float>(_budget, _scenario.Trials));

    private T Own<T>(T series) where T : TrialSeries
    {
        _owned.Add(series);
        return series;
    }

    /// <summary>Deletes every series' temporary file and releases its memory.</summary>
    public void Dispose()
    {
        foreach (var series in _owned) series.Dispose();
        _owned.Clear();
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
    private sealed class GuaranteeSeries(TrialSeries<double>[] values, TrialSeries<float>[] capital, int years)
    {
        public readonly TrialSeries<double>[] Values = values; // loss, 4 parties
        public readonly TrialSeries<float>[] Capital = capital;
        public double LargestLoss = double.NegativeInfinity;
        public readonly long[] ExhaustedInYear = new long[years + 1], InsolventInYear = new long[years + 1];
        public long Exhausted, Insolvent, Suspended;
        public double Guaranteed, Loans, Defaults;
        public readonly double[] WeightedExhaustedInYear = new double[years + 1], WeightedInsolventInYear = new double[years + 1];
        public readonly double[] SquaredExhaustedInYear = new double[years + 1], SquaredInsolventInYear = new double[years + 1];
        public WeightedSum WExhausted, WInsolvent, WSuspended, WGuaranteed, WLoans, WDefaults;
    }

    /// <summary>Rows handled together: few enough to stay in the first-level cache while each column is read from them.</summary>
    private const int RowsAtOnce = 16;

    /// <summary>
    /// Adds whole rows (trials in order, <paramref name="columns"/> values each). A few rows at a time, each figure's
    /// column is appended to its series as a run and each running sum is kept in a local while it runs down the
    /// rows, rather than every series and sum being visited once a trial: the same additions in the same order.
    /// </summary>
    public void Add(ReadOnlySpan<double> rows, int columns)
    {
        Span<double> weights = stackalloc double[RowsAtOnce], column = stackalloc double[RowsAtOnce];
        for (int first = 0; first < rows.Length; first += RowsAtOnce * columns)
        {
            var part = rows.Slice(first, Math.Min(RowsAtOnce * columns, rows.Length - first));
            int count = part.Length / columns;
            var block = new RowBlock(part, columns, column[..count]);
            _n += count;
            var w = weights[..count];
            if (_weights is not null)
            {
                block.Column(_layout.WeightColumn).CopyTo(w);
                _weights.Add(w);
            }
            for (int f = 0; f < _lossRatios.Length; f++) AddFund(f, block, w);
            if (_programme is not null) AddProgramme(_programme, block, w);
            for (int g = 0; g < _guarantees.Length; g++) AddGuarantee(_guarantees[g], g, block, w);
        }
    }

    /// <summary>A few rows, read a column at a time (into a small buffer).</summary>
    private readonly ref struct RowBlock(ReadOnlySpan<double> rows, int columns, Span<double> buffer)
    {
        private readonly ReadOnlySpan<double> _rows = rows;
        private readonly Span<double> _buffer = buffer;

        public int Count => _buffer.Length;

        /// <summary>Row <paramref name="i"/>'s value in <paramref name="column"/>.</summary>
        public double this[int i, int column] => _rows[i * columns + column];

        /// <summary>The column's values, in row order (valid until the next call).</summary>
        public Span<double> Column(int column)
        {
            for (int i = 0; i < _buffer.Length; i++) _buffer[i] = _rows[i * columns + column];
            return _buffer;
        }
    }

    private void AddFund(int f, RowBlock rows, ReadOnlySpan<double> w)
    {
        int c = _layout.FundStart(f);
        _lossRatios[f].Add(rows.Column(c + TrialLayout.LossRatio));
        for (int r = 0; r < 4; r++) _returns[f][r].Add(rows.Column(c + TrialLayout.MultiplePrivate + r));
        long breaches = _breaches[f];
        double invested = _invested[f], proceeds = _proceeds[f];
        for (int i = 0; i < rows.Count; i++)
        {
            breaches += rows[i, c + TrialLayout.Breach] > 0 ? 1 : 0;
            invested += rows[i, c + TrialLayout.Invested];
            proceeds += rows[i, c + TrialLayout.Proceeds];
        }
        (_breaches[f], _invested[f], _proceeds[f]) = (breaches, invested, proceeds);
        int projects = _layout.ProjectBreachColumn[f];
        if (projects >= 0)
        {
            double sum = _projectBreaches[f], squares = _projectBreachesSquared[f];
            for (int i = 0; i < rows.Count; i++)
            {
                double count = rows[i, projects];
                sum += count;
                squares += count * count;
            }
            (_projectBreaches[f], _projectBreachesSquared[f]) = (sum, squares);
        }
        if (_weights is null) return;
        int deals = _scenario.Funds[f].Deals;
        for (int i = 0; i < rows.Count; i++)
        {
            _wBreaches[f].Add(w[i], rows[i, c + TrialLayout.Breach]);
            _wInvested[f].Add(w[i], rows[i, c + TrialLayout.Invested]);
            _wProceeds[f].Add(w[i], rows[i, c + TrialLayout.Proceeds]);
            if (projects >= 0) _wProjectBreaches[f].Add(w[i], rows[i, projects] / deals);
        }
    }

    private void AddProgramme(TrialSeries<double> programme, RowBlock rows, ReadOnlySpan<double> w)
    {
        int p = _layout.ProgrammeStart;
        programme.Add(rows.Column(p));
        for (int i = 0; i < rows.Count; i++)
        {
            _programmeBreaches += rows[i, p + 1] > 0 ? 1 : 0;
            _toleranceSum += rows[i, p + 2];
            if (_weights is null) continue;
            _wProgrammeBreaches.Add(w[i], rows[i, p + 1]);
            _wTolerance.Add(w[i], rows[i, p + 2]);
        }
    }

    private void AddGuarantee(GuaranteeSeries series, int g, RowBlock rows, ReadOnlySpan<double> w)
    {
        int c = _layout.GuaranteeStart(g);
        for (int v = 0; v < 5; v++) series.Values[v].Add(rows.Column(c + TrialLayout.GLoss + v));
        int cap = _layout.CapitalStart(g);
        for (int t = 0; t < series.Capital.Length; t++) series.Capital[t].Add(rows.Column(cap + t));
        double largest = series.LargestLoss, guaranteed = series.Guaranteed, loans = series.Loans, defaults = series.Defaults;
        for (int i = 0; i < rows.Count; i++)
        {
            double loss = rows[i, c + TrialLayout.GLoss];
            if (loss > largest) largest = loss;
            guaranteed += rows[i, c + TrialLayout.GGuaranteed];
            loans += rows[i, c + TrialLayout.GLoans];
            defaults += rows[i, c + TrialLayout.GDefaults];
        }
        (series.LargestLoss, series.Guaranteed, series.Loans, series.Defaults) = (largest, guaranteed, loans, defaults);
        for (int i = 0; i < rows.Count; i++)
        {
            int exhaustedYear = (int)rows[i, c + TrialLayout.GExhaustedYear], insolventYear = (int)rows[i, c + TrialLayout.GInsolventYear];
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
            if (rows[i, c + TrialLayout.GSuspended] > 0) series.Suspended++;
            if (_weights is null) continue;
            series.WExhausted.Add(w[i], rows[i, c + TrialLayout.GExhausted]);
            series.WInsolvent.Add(w[i], rows[i, c + TrialLayout.GInsolvent]);
            series.WSuspended.Add(w[i], rows[i, c + TrialLayout.GSuspended]);
            series.WGuaranteed.Add(w[i], rows[i, c + TrialLayout.GGuaranteed]);
            series.WLoans.Add(w[i], rows[i, c + TrialLayout.GLoans]);
            series.WDefaults.Add(w[i], rows[i, c + TrialLayout.GDefaults]);
            if (exhaustedYear > 0)
            {
                series.WeightedExhaustedInYear[exhaustedYear] += w[i];
                series.SquaredExhaustedInYear[exhaustedYear] += w[i] * w[i];
            }
            if (insolventYear > 0)
            {
                series.WeightedInsolventInYear[insolventYear] += w[i];
                series.SquaredInsolventInYear[insolventYear] += w[i] * w[i];
            }
        }
    }

    /// <summary>(Σw)²/Σw² of the importance-sampling weights (the trial count without them).</summary>
    public double EffectiveSampleSize() => _weights is null ? _n : SeriesStatistics.EffectiveSampleSize(_weights, _n);

    /// <summary>Trials accumulated so far.</summary>
    public long Count => _n;

    /// <summary>
    /// The figures a precision target watches, on the trials so far: each fund's and the programme's breach
    /// probability and p99 loss ratio, each scheme's p99 loss.
    /// </summary>
    public Checkpoint Checkpoint()
    {
        long n = _n;
        var figures = new List<FigurePrecision>();
        void Quantile(string name, TrialSeries values)
        {
            if (_weights is not null)
            {
                var (q, _) = SeriesStatistics.WeightedQuantiles(values, _weights, 0, n, [0.99]);
                var se = SeriesStatistics.WeightedBatchErrors(values, _weights, 0, n, [0.99]);
                figures.Add(new FigurePrecision(name, q[0], se[0]));
                return;
            }
            var (p99, errors) = SeriesStatistics.Quantiles(values, 0, n, [(99, 100)], [0.99]);
            figures.Add(new FigurePrecision(name, p99[0], errors[0]));
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
        if (_programme is not null)
        {
            Probability("programme.breachProbability", _programmeBreaches, _wProgrammeBreaches);
            Quantile("programme.p99LossRatio", _programme);
        }
        for (int g = 0; g < _guarantees.Length; g++) Quantile($"{_scenario.Guarantees[g].Name}.p99Loss", _guarantees[g].Values[0]);
        return new Checkpoint(n, figures);
    }

    public SimulationResult Summarize(PrecisionReport? precision = null)
    {
        long n = _n;
        if (n == 0) throw new InvalidOperationException("no trials were run");
        // Each figure depends on its own series only, so the figures are summarised on all cores a series at a time
        // (a fund's loss ratios and each of its return figures apart, so that the cores stay busy to the end).
        // Results do not depend on which core runs what; the series budget is shared under a lock.
        var work = new WorkList();
        var programme = _programme is null ? null : ProgrammeWork(work, _programme, n);
        var guarantees = Enumerable.Range(0, _guarantees.Length).Select(g => GuaranteeWork(work, _scenario.Guarantees[g], _guarantees[g], n)).ToArray();
        var funds = Enumerable.Range(0, _lossRatios.Length).Select(f => FundWork(work, f, n)).ToArray();
        work.Run();
        return new SimulationResult(_scenario, n, [.. funds.Select(f => f())], programme?.Invoke(), [.. guarantees.Select(g => g())]) { Precision = precision };
    }

    /// <summary>
    /// A loss-ratio series' summary and its distribution for the charts; without importance sampling the distribution
    /// is counted in the summary's first pass.
    /// </summary>
    private (LossSummary Summary, TrialDistribution Distribution) LossRatios(TrialSeries<double> values, double tolerance)
    {
        var thresholds = _scenario.ReportLossRatios;
        var points = LossRatioPoints(tolerance);
        if (_weights is { } w) return (SeriesStatistics.WeightedSummarize(values, w, thresholds), TrialDistribution.Build(values, w, points));
        if (values.Count <= TrialDistribution.ExactLimit) return (SeriesStatistics.Summarize(values, thresholds), TrialDistribution.Build(values, null, points));
        var counter = new TrialDistribution.Counter(points);
        var summary = SeriesStatistics.Summarize(values, thresholds, counter.Add);
        return (summary, counter.ToDistribution(values.Count));
    }

    private Func<ProgrammeResult> ProgrammeWork(WorkList work, TrialSeries<double> programme, long n)
    {
        double meanTolerance = _weights is null ? _toleranceSum / n : _wTolerance.Mean(n);
        var breach = _weights is null ? ProbabilityEstimate.FromCount(_programmeBreaches, n) : _wProgrammeBreaches.Probability(n);
        var loss = work.Add(() => LossRatios(programme, meanTolerance));
        return () => new ProgrammeResult(loss().Summary, breach, meanTolerance, loss().Distribution);
    }

    private Func<FundResult> FundWork(WorkList work, int f, long n)
    {
        var fund = _scenario.Funds[f];
        var loss = work.Add(() => LossRatios(_lossRatios[f], fund.Tolerance));
        var spreads = _returns[f].Select(r => work.Add(() => _weights is { } w ? WeightedSpread(r, w) : SeriesStatistics.FloatSpread(r))).ToArray();
        DirectProjectsSummary? projects = null;
        if (_weights is not null)
        {
            if (_layout.ProjectBreachColumn[f] >= 0)
            {
                var share = _wProjectBreaches[f].Probability(n);
                projects = new DirectProjectsSummary(share.Probability * fund.Deals, share.Probability, share.StandardError);
            }
            return () => new FundResult(fund, loss().Summary, _wBreaches[f].Probability(n), spreads[0](), spreads[1](), spreads[2](), spreads[3](),
                _wInvested[f].Mean(n), _wProceeds[f].Mean(n), projects, loss().Distribution);
        }
        if (_layout.ProjectBreachColumn[f] >= 0)
        {
            double mean = _projectBreaches[f] / n;
            double variance = n > 1 ? Math.Max(0, (_projectBreachesSquared[f] - n * mean * mean) / (n - 1)) : 0;
            projects = new DirectProjectsSummary(mean, mean / fund.Deals, Math.Sqrt(variance / n) / fund.Deals);
        }
        return () => new FundResult(fund, loss().Summary, ProbabilityEstimate.FromCount(_breaches[f], n), spreads[0](), spreads[1](), spreads[2](), spreads[3](),
            _invested[f] / n, _proceeds[f] / n, projects, loss().Distribution);
    }

    /// <summary>Where a loss-ratio distribution keeps exact counts for the charts (beyond <see cref="TrialDistribution.ExactLimit"/> trials).</summary>
    private IEnumerable<double> LossRatioPoints(double tolerance) =>
        TrialDistribution.LossRatioGrid().Append(tolerance).Concat(_scenario.ReportLossRatios);

    /// <summary>Where a loss distribution keeps exact counts: the histogram's bin edges, 0, the reported thresholds and p99.</summary>
    private IEnumerable<double> LossPoints(GuaranteeSeries s, LossSummary loss)
    {
        var (width, count) = LossBins.For(s.LargestLoss == double.NegativeInfinity ? double.NaN : s.LargestLoss, loss.P99, loss.P999, loss.Es99);
        return LossBins.Edges(width, count).Append(0).Append(loss.P99).Concat(_scenario.ReportExceedance);
    }

    /// <summary>A float series as the doubles of its values' shortest decimal forms (<see cref="Empirical.FromFloat"/>),
    /// optionally without its NaN values.</summary>
    private TrialSeries<double> Decimal(TrialSeries<float> values, bool definedOnly)
    {
        var result = new TrialSeries<double>(_budget, values.Count);
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

    /// <summary>Mean, p5, p50, p95 under importance sampling (as <see cref="WeightedEmpirical.Spread"/>): the defined
    /// values with their weights self-normalised over the defined trials.</summary>
    private SpreadSummary? WeightedSpread(TrialSeries<float> values, TrialSeries<double> w)
    {
        using var defined = Decimal(values, definedOnly: true);
        if (defined.Count == 0) return null;
        double total = 0;
        SeriesStatistics.Zip(values, w, 0, values.Count, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
                if (!double.IsNaN(xs[i])) total += ws[i];
        });
        long kept = defined.Count;
        using var normalised = new TrialSeries<double>(_budget, kept);
        SeriesStatistics.Zip(values, w, 0, values.Count, (xs, ws) =>
        {
            for (int i = 0; i < xs.Length; i++)
                if (!double.IsNaN(xs[i])) normalised.Add(ws[i] * kept / total);
        });
        return SeriesStatistics.WeightedSpread(defined, normalised);
    }

    /// <summary>
    /// The means of each value series over the worst 1% of trials by total loss: the last ⌈0.01·n⌉ in (loss, trial)
    /// order, summed in that order. Found without sorting: the loss at the cut is selected exactly, the trials
    /// above it collected and sorted, and of those tied at the cut the last ones in trial order kept.
    /// </summary>
    private static double[] WorstPercentMeans(GuaranteeSeries s, long n)
    {
        var loss = s.Values[0];
        int worst = Math.Clamp((int)Math.Ceiling(n / 100.0), 1, (int)n);
        var (cut, atMost) = SeriesStatistics.Quantile(loss, 0, n, n - worst + 1, n);
        ulong cutKey = SeriesOrder.Key(cut);
        int above = (int)(n - atMost), tied = worst - above;
        var ring = new long[tied];
        long tiedSeen = 0;
        var aboveKeys = new ulong[above];
        var aboveTrials = new long[above];
        int filled = 0;
        using (var r = loss.Read())
        {
            long i = 0;
            while (r.Next(out var block))
            {
                foreach (double v in block)
                {
                    ulong key = SeriesOrder.Key(v);
                    if (key == cutKey) ring[tiedSeen++ % tied] = i;
                    else if (key > cutKey)
                    {
                        aboveKeys[filled] = key;
                        aboveTrials[filled++] = i;
                    }
                    i++;
                }
            }
        }
        // The tail in (loss, trial) order: the last `tied` trials of the cut's ties, then the trials above by (loss, trial).
        var tail = new long[worst];
        for (int k = 0; k < tied; k++) tail[k] = ring[(tiedSeen - tied + k) % tied];
        Array.Sort(aboveKeys, aboveTrials);
        for (int a = 0; a < above;)
        {
            int b = a + 1;
            while (b < above && aboveKeys[b] == aboveKeys[a]) b++;
            if (b - a > 1) Array.Sort(aboveTrials, a, b - a);
            a = b;
        }
        aboveTrials.CopyTo(tail, tied);
        // Each series' values at those trials, gathered in one pass in trial order, then summed in tail order.
        var byTrial = tail.Select((trial, position) => (trial, position)).OrderBy(x => x.trial).ToArray();
        var means = new double[s.Values.Length];
        var gathered = new double[worst];
        for (int v = 0; v < s.Values.Length; v++)
        {
            using (var r = s.Values[v].Read())
            {
                int next = 0;
                while (next < byTrial.Length && r.Position < n)
                {
                    long first = r.Position;
                    r.Next(out var block);
                    while (next < byTrial.Length && byTrial[next].trial < first + block.Length)
                    {
                        gathered[byTrial[next].position] = block[(int)(byTrial[next].trial - first)];
                        next++;
                    }
                }
            }
            double sum = 0;
            foreach (double value in gathered) sum += value;
            means[v] = sum / worst;
        }
        return means;
    }

    /// <summary>A scheme's figures: under importance sampling as one piece of work, otherwise a piece per series.</summary>
    private Func<GuaranteeResult> GuaranteeWork(WorkList work, Guarantees.Guarantee guarantee, GuaranteeSeries s, long n)
    {
        if (_weights is { } weights) return work.Add(() => WeightedGuarantee(guarantee, s, n, weights));
        var loss = work.Add(() =>
        {
            var summary = SeriesStatistics.Summarize(s.Values[0], _scenario.ReportExceedance);
            return (Summary: summary, Distribution: TrialDistribution.Build(s.Values[0], null, LossPoints(s, summary)));
        });
        var tailMeans = work.Add(() => WorstPercentMeans(s, n));
        var parties = Enumerable.Range(1, 4).Select(v => work.Add(() => SeriesStatistics.MeanSdQuantiles(s.Values[v], [(99, 100)], [0.99]))).ToArray();
        var capital = guarantee.Guarantor is null ? []
            : s.Capital.Select(year => work.Add(() => SeriesStatistics.DecimalQuantiles(year, [(1, 20), (1, 2), (19, 20)], [0.05, 0.5, 0.95]))).ToArray();
        return () =>
        {
            PartySummary Party(int v)
            {
                var (mean, sd, p99, errors) = parties[v - 1]();
                return new PartySummary(mean, p99[0], tailMeans()[v])
                {
                    StandardErrors = (sd / Math.Sqrt(n), errors[0]),
                };
            }
            var government = Party(4);
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
            var byYearErrors = exhaustedByYear.Zip(insolventByYear, (e, i) => (Math.Sqrt(e * (1 - e) / n), Math.Sqrt(i * (1 - i) / n))).ToList();
            return new GuaranteeResult(guarantee, loss().Summary, Party(1), Party(2), Party(3), government, tailMeans()[0],
                ProbabilityEstimate.FromCount(s.Exhausted, n), ProbabilityEstimate.FromCount(s.Insolvent, n), ProbabilityEstimate.FromCount(s.Suspended, n),
                meanGuaranteed, s.Loans / n, s.Defaults / n, leverage, exhaustedByYear, insolventByYear,
                [.. capital.Select(c => (c().Quantiles[0], c().Quantiles[1], c().Quantiles[2]))], loss().Distribution)
            {
                CapitalStandardErrors = [.. capital.Select(c => (c().Errors[0], c().Errors[1], c().Errors[2]))],
                ByYearStandardErrors = byYearErrors,
            };
        };
    }

    private GuaranteeResult WeightedGuarantee(Guarantees.Guarantee guarantee, GuaranteeSeries s, long n, TrialSeries<double> w)
    {
        var loss = s.Values[0];
        var lossSummary = SeriesStatistics.WeightedSummarize(loss, w, _scenario.ReportExceedance);
        // The worst 1%: the trials with a loss at or above the weighted 99th percentile, averaged with their weights.
        double var99 = lossSummary.P99, tailWeight = 0;
        var tailSums = new double[5];
        var readers = s.Values.Select(v => v.Read()).ToArray();
        try
        {
            var blocks = new double[5][];
            for (int v = 0; v < 5; v++) blocks[v] = new double[SeriesReader.BlockValues];
            var wb = new double[SeriesReader.BlockValues];
            using var wr = w.Read();
            while (wr.Remaining > 0)
            {
                int count = (int)Math.Min(SeriesReader.BlockValues, wr.Remaining);
                wr.ReadExactly(wb.AsSpan(0, count));
                for (int v = 0; v < 5; v++) readers[v].ReadExactly(blocks[v].AsSpan(0, count));
                for (int i = 0; i < count; i++)
                {
                    if (blocks[0][i] < var99) continue;
                    tailWeight += wb[i];
                    for (int v = 0; v < 5; v++) tailSums[v] += wb[i] * blocks[v][i];
                }
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
        var tailMeans = tailSums.Select(x => tailWeight > 0 ? x / tailWeight : double.NaN).ToArray();
        PartySummary Party(int v)
        {
            var (mean, meanSe) = SeriesStatistics.WeightedMean(s.Values[v], w, 0, n);
            var (q, _) = SeriesStatistics.WeightedQuantiles(s.Values[v], w, 0, n, [0.99]);
            var se = SeriesStatistics.WeightedBatchErrors(s.Values[v], w, 0, n, [0.99]);
            return new PartySummary(mean, q[0], tailMeans[v])
            {
                StandardErrors = (meanSe, se[0]),
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
            double[] qs = [0.05, 0.5, 0.95];
            foreach (var year in s.Capital)
            {
                using var values = Decimal(year, definedOnly: false);
                var (q, _) = SeriesStatistics.WeightedQuantiles(values, w, 0, n, qs);
                var se = SeriesStatistics.WeightedBatchErrors(values, w, 0, n, qs);
                capital.Add((q[0], q[1], q[2]));
                capitalErrors.Add((se[0], se[1], se[2]));
            }
        }
        return new GuaranteeResult(guarantee, lossSummary, Party(1), Party(2), Party(3), government, tailMeans[0],
            s.WExhausted.Probability(n), s.WInsolvent.Probability(n), s.WSuspended.Probability(n),
            meanGuaranteed, s.WLoans.Mean(n), s.WDefaults.Mean(n), government.Mean > 0 ? meanGuaranteed / government.Mean : double.PositiveInfinity,
            exhaustedByYear, insolventByYear, capital, TrialDistribution.Build(loss, w, LossPoints(s, lossSummary)))
        {
            CapitalStandardErrors = capitalErrors,
            ByYearStandardErrors = byYearErrors,
        };
    }
}
