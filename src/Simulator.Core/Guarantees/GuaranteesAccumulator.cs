using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Guarantees;

/// <summary>
/// Keeps what the schemes' statistics need: per scheme the credit loss and the four parties' payments as series in
/// trial order (double), the guarantor's capital by year (float, only with a guarantor), running tallies of the
/// amounts and events, and the events by year.
/// </summary>
internal sealed class GuaranteesAccumulator : IInstrumentAccumulator
{
    private readonly GuaranteesInstrument _instrument;
    private readonly AccumulationContext _context;
    private readonly TrialWeighting _weighting;
    private readonly Scheme[] _schemes;

    public GuaranteesAccumulator(GuaranteesInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _context = context;
        _weighting = context.Weighting;
        // Capital by year only feeds the guarantor's fan chart: without a guarantor it is not kept.
        _schemes = instrument.Guarantees.Select((g, i) => new Scheme(
            Enumerable.Range(0, 5).Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials)).ToArray(),
            g.Guarantor is null ? [] : Enumerable.Range(0, g.Years).Select(_ => new TrialSeries<float>(context.Budget, context.ExpectedTrials)).ToArray(),
            g.Years, binding.Column(instrument.Start(i)), binding.Column(instrument.CapitalStart(i)))
        {
            ExhaustedBy = context.Weighting.Randomisations > 0 ? new Tally[g.Years] : null,
            InsolventBy = context.Weighting.Randomisations > 0 ? new Tally[g.Years] : null,
        }).ToArray();
    }

    public void Dispose()
    {
        foreach (var s in _schemes)
        {
            foreach (var series in s.Values) series.Dispose();
            foreach (var series in s.Capital) series.Dispose();
        }
    }

    /// <summary>What the statistics of one scheme need.</summary>
    private sealed class Scheme(TrialSeries<double>[] values, TrialSeries<float>[] capital, int years, int start, int capitalStart)
    {
        public readonly TrialSeries<double>[] Values = values; // loss, 4 parties
        public readonly TrialSeries<float>[] Capital = capital;
        public readonly int Start = start, CapitalStart = capitalStart;
        public double LargestLoss = double.NegativeInfinity;
        public readonly long[] ExhaustedInYear = new long[years + 1], InsolventInYear = new long[years + 1];
        public readonly double[] WeightedExhaustedInYear = new double[years + 1], WeightedInsolventInYear = new double[years + 1];
        public readonly double[] SquaredExhaustedInYear = new double[years + 1], SquaredInsolventInYear = new double[years + 1];
        public Tally Exhausted, Insolvent, Suspended, Guaranteed, Loans, Defaults;
        // Under randomised quasi-Monte Carlo only: exhausted and insolvent by the end of each year, as tallies, whose
        // randomisations give the by-year errors (the counts above give the iid ones).
        public Tally[]? ExhaustedBy, InsolventBy;
    }

    public void Add(in RowBlock rows)
    {
        foreach (var s in _schemes) Add(s, rows);
    }

    private void Add(Scheme s, in RowBlock rows)
    {
        int c = s.Start;
        for (int v = 0; v < 5; v++) s.Values[v].Add(rows.Column(c + GuaranteesInstrument.GLoss + v));
        for (int t = 0; t < s.Capital.Length; t++) s.Capital[t].Add(rows.Column(s.CapitalStart + t));
        double largest = s.LargestLoss;
        Tally guaranteed = s.Guaranteed, loans = s.Loans, defaults = s.Defaults, exhausted = s.Exhausted, insolvent = s.Insolvent, suspended = s.Suspended;
        bool weighted = _weighting.IsWeighted;
        for (int i = 0; i < rows.Count; i++)
        {
            double w = rows.Weight(i);
            double loss = rows[i, c + GuaranteesInstrument.GLoss];
            if (loss > largest) largest = loss;
            _weighting.Add(ref guaranteed, w, rows[i, c + GuaranteesInstrument.GGuaranteed]);
            _weighting.Add(ref loans, w, rows[i, c + GuaranteesInstrument.GLoans]);
            _weighting.Add(ref defaults, w, rows[i, c + GuaranteesInstrument.GDefaults]);
            _weighting.Add(ref exhausted, w, rows[i, c + GuaranteesInstrument.GExhausted]);
            _weighting.Add(ref insolvent, w, rows[i, c + GuaranteesInstrument.GInsolvent]);
            _weighting.Add(ref suspended, w, rows[i, c + GuaranteesInstrument.GSuspended]);
            int exhaustedYear = (int)rows[i, c + GuaranteesInstrument.GExhaustedYear], insolventYear = (int)rows[i, c + GuaranteesInstrument.GInsolventYear];
            if (exhaustedYear > 0)
            {
                s.ExhaustedInYear[exhaustedYear]++;
                if (weighted)
                {
                    s.WeightedExhaustedInYear[exhaustedYear] += w;
                    s.SquaredExhaustedInYear[exhaustedYear] += w * w;
                }
            }
            if (insolventYear > 0)
            {
                s.InsolventInYear[insolventYear]++;
                if (weighted)
                {
                    s.WeightedInsolventInYear[insolventYear] += w;
                    s.SquaredInsolventInYear[insolventYear] += w * w;
                }
            }
            if (s.ExhaustedBy is { } exhaustedBy && s.InsolventBy is { } insolventBy)
            {
                for (int t = 0; t < exhaustedBy.Length; t++)
                {
                    _weighting.Add(ref exhaustedBy[t], w, exhaustedYear > 0 && exhaustedYear <= t + 1 ? 1 : 0);
                    _weighting.Add(ref insolventBy[t], w, insolventYear > 0 && insolventYear <= t + 1 ? 1 : 0);
                }
            }
        }
        s.LargestLoss = largest;
        (s.Guaranteed, s.Loans, s.Defaults, s.Exhausted, s.Insolvent, s.Suspended) = (guaranteed, loans, defaults, exhausted, insolvent, suspended);
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int g = 0; g < _schemes.Length; g++)
        {
            var (p99, error) = _weighting.P99SoFar(_schemes[g].Values[0]);
            figures.Add(new FigurePrecision($"{_instrument.Guarantees[g].Name}.p99Loss", p99, error));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var schemes = _schemes.Select((s, g) => _weighting.IsWeighted
            ? work.Add(() => WeightedScheme(_instrument.Guarantees[g], s))
            : PlainScheme(work, _instrument.Guarantees[g], s)).ToArray();
        return () => new GuaranteesResult([.. schemes.Select(s => s())]);
    }

    /// <summary>Where a loss distribution keeps exact counts: the histogram's bin edges, 0, the reported thresholds and p99.</summary>
    private IEnumerable<double> LossPoints(Scheme s, LossSummary loss)
    {
        var (width, count) = LossBins.For(s.LargestLoss == double.NegativeInfinity ? double.NaN : s.LargestLoss, loss.P99, loss.P999, loss.Es99);
        return LossBins.Edges(width, count).Append(0).Append(loss.P99).Concat(_context.ReportExceedance);
    }

    /// <summary>A scheme's figures under plain sampling, a piece of work per series.</summary>
    private Func<GuaranteeResult> PlainScheme(WorkList work, Guarantee guarantee, Scheme s)
    {
        long n = _weighting.Trials;
        var loss = work.Add(() =>
        {
            var summary = _weighting.Summarize(s.Values[0], _context.ReportExceedance);
            return (Summary: summary, Distribution: _weighting.Distribution(s.Values[0], LossPoints(s, summary)));
        });
        var tailMeans = work.Add(() => WorstPercentMeans(s, n));
        var parties = Enumerable.Range(1, 4).Select(v => work.Add(() => _weighting.MeanAndP99(s.Values[v]))).ToArray();
        var capital = s.Capital.Select(year => work.Add(() => _weighting.CentralQuantiles(year))).ToArray();
        return () =>
        {
            PartySummary Party(int v)
            {
                var (mean, meanError, p99, p99Error) = parties[v - 1]();
                return new PartySummary(mean, p99, tailMeans()[v]) { StandardErrors = (meanError, p99Error) };
            }
            var government = Party(4);
            double meanGuaranteed = _weighting.Mean(s.Guaranteed);
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
            var byYearErrors = RandomisedByYear(s) ?? exhaustedByYear.Zip(insolventByYear, (e, i) => (Math.Sqrt(e * (1 - e) / n), Math.Sqrt(i * (1 - i) / n))).ToList();
            return new GuaranteeResult(guarantee, loss().Summary, Party(1), Party(2), Party(3), government, tailMeans()[0],
                _weighting.Probability(s.Exhausted), _weighting.Probability(s.Insolvent), _weighting.Probability(s.Suspended),
                meanGuaranteed, _weighting.Mean(s.Loans), _weighting.Mean(s.Defaults), leverage, exhaustedByYear, insolventByYear,
                [.. capital.Select(c => (c().Quantiles[0], c().Quantiles[1], c().Quantiles[2]))], loss().Distribution)
            {
                CapitalStandardErrors = [.. capital.Select(c => (c().Errors[0], c().Errors[1], c().Errors[2]))],
                ByYearStandardErrors = byYearErrors,
            };
        };
    }

    /// <summary>Under randomised quasi-Monte Carlo, the by-year probabilities' errors from the randomisations (null otherwise).</summary>
    private List<(double, double)>? RandomisedByYear(Scheme s) => s.ExhaustedBy is { } exhausted && s.InsolventBy is { } insolvent
        ? [.. exhausted.Zip(insolvent, (e, i) => (_weighting.Probability(e).StandardError, _weighting.Probability(i).StandardError))]
        : null;

    /// <summary>
    /// The means of each value series over the worst 1% of trials by total loss: the last ⌈0.01·n⌉ in (loss, trial)
    /// order, summed in that order. Found without sorting: the loss at the cut is selected exactly, the trials
    /// above it collected and sorted, and of those tied at the cut the last ones in trial order kept.
    /// </summary>
    private static double[] WorstPercentMeans(Scheme s, long n)
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

    /// <summary>A scheme's figures under importance sampling, as one piece of work.</summary>
    private GuaranteeResult WeightedScheme(Guarantee guarantee, Scheme s)
    {
        long n = _weighting.Trials;
        var w = _weighting.Weights!;
        var loss = s.Values[0];
        var lossSummary = _weighting.Summarize(loss, _context.ReportExceedance);
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
            var (mean, meanError, p99, p99Error) = _weighting.MeanAndP99(s.Values[v]);
            return new PartySummary(mean, p99, tailMeans[v]) { StandardErrors = (meanError, p99Error) };
        }
        var government = Party(4);
        double meanGuaranteed = _weighting.Mean(s.Guaranteed);
        var exhaustedByYear = new double[guarantee.Years];
        var insolventByYear = new double[guarantee.Years];
        double exhaustedSoFar = 0, insolventSoFar = 0, exhaustedSquares = 0, insolventSquares = 0;
        var byYearErrors = new List<(double, double)>();
        // Self-normalised: p = Σ_{event} w / Σw, with the delta-method SE from the running Σ_{event} w²:
        // Σ w²(1{event} − p)² = (1 − 2p)·Σ_{event} w² + p²·Σ w².
        var (total, totalSquares) = _weighting.WeightTotals;
        double Se(double p, double squares) => n > 1 ? Math.Sqrt(Math.Max(0, (1 - 2 * p) * squares + p * p * totalSquares) * n / (n - 1)) / total : double.NaN;
        for (int t = 1; t <= guarantee.Years; t++)
        {
            exhaustedSoFar += s.WeightedExhaustedInYear[t];
            insolventSoFar += s.WeightedInsolventInYear[t];
            exhaustedSquares += s.SquaredExhaustedInYear[t];
            insolventSquares += s.SquaredInsolventInYear[t];
            exhaustedByYear[t - 1] = exhaustedSoFar / total;
            insolventByYear[t - 1] = insolventSoFar / total;
            byYearErrors.Add((Se(exhaustedByYear[t - 1], exhaustedSquares), Se(insolventByYear[t - 1], insolventSquares)));
        }
        byYearErrors = RandomisedByYear(s) ?? byYearErrors;
        var capital = new List<(double, double, double)>();
        var capitalErrors = new List<(double, double, double)>();
        foreach (var year in s.Capital)
        {
            var (q, se) = _weighting.CentralQuantiles(year);
            capital.Add((q[0], q[1], q[2]));
            capitalErrors.Add((se[0], se[1], se[2]));
        }
        return new GuaranteeResult(guarantee, lossSummary, Party(1), Party(2), Party(3), government, tailMeans[0],
            _weighting.Probability(s.Exhausted), _weighting.Probability(s.Insolvent), _weighting.Probability(s.Suspended),
            meanGuaranteed, _weighting.Mean(s.Loans), _weighting.Mean(s.Defaults), government.Mean > 0 ? meanGuaranteed / government.Mean : double.PositiveInfinity,
            exhaustedByYear, insolventByYear, capital, _weighting.Distribution(loss, LossPoints(s, lossSummary)))
        {
            CapitalStandardErrors = capitalErrors,
            ByYearStandardErrors = byYearErrors,
        };
    }
}
