using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Funds;

/// <summary>
/// Keeps what the funds' statistics need: each fund's loss ratios (double, for exact quantiles and ES) and its four
/// return figures (float: their quantiles need no more than 7 digits) as series in trial order, the programme's
/// pooled loss ratios, and running tallies of breaches, amounts and breaching projects.
/// </summary>
internal sealed class FundsAccumulator : IInstrumentAccumulator
{
    private readonly FundsInstrument _instrument;
    private readonly AccumulationContext _context;
    private readonly TrialWeighting _weighting;
    private readonly List<TrialSeries> _owned = [];
    private readonly int[] _start, _projects;
    private readonly int _programmeColumn;
    private readonly TrialSeries<double>[] _lossRatios;
    private readonly TrialSeries<float>[][] _returns; // [fund][4]
    private readonly TrialSeries<double>? _programme;
    private readonly Tally[] _breaches, _invested, _proceeds, _projectBreaches, _breachesBefore, _excused, _toSocialLps, _toManager;
    private readonly int[] _exemption, _concession;
    private Tally _programmeBreaches, _tolerance, _byVintage;
    private readonly int _vintageColumn;
    private readonly TrialSeries<double>[] _vintageLoss;
    private readonly Tally[] _vintageBreaches;

    public FundsAccumulator(FundsInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _context = context;
        _weighting = context.Weighting;
        int funds = instrument.Funds.Count;
        _start = Enumerable.Range(0, funds).Select(f => binding.Column(instrument.FundStart(f))).ToArray();
        _projects = Enumerable.Range(0, funds).Select(f => instrument.ProjectBreachColumn(f) is int c and >= 0 ? binding.Column(c) : -1).ToArray();
        _programmeColumn = instrument.HasProgramme ? binding.Column(instrument.ProgrammeStart) : -1;
        _lossRatios = Enumerable.Range(0, funds).Select(_ => Own(new TrialSeries<double>(context.Budget, context.ExpectedTrials))).ToArray();
        _returns = Enumerable.Range(0, funds).Select(_ => Enumerable.Range(0, 4).Select(_ => Own(new TrialSeries<float>(context.Budget, context.ExpectedTrials))).ToArray()).ToArray();
        _programme = instrument.HasProgramme ? Own(new TrialSeries<double>(context.Budget, context.ExpectedTrials)) : null;
        _breaches = new Tally[funds];
        _invested = new Tally[funds];
        _proceeds = new Tally[funds];
        _projectBreaches = new Tally[funds];
        _breachesBefore = new Tally[funds];
        _excused = new Tally[funds];
        _toSocialLps = new Tally[funds];
        _toManager = new Tally[funds];
        _concession = Enumerable.Range(0, funds).Select(f => instrument.ConcessionColumn(f) is int c and >= 0 ? binding.Column(c) : -1).ToArray();
        _exemption = Enumerable.Range(0, funds).Select(f => instrument.ExemptionColumn(f) is int c and >= 0 ? binding.Column(c) : -1).ToArray();
        int vintages = instrument.Vintages.Count;
        _vintageColumn = vintages > 0 ? binding.Column(instrument.VintageStart) : -1;
        _vintageLoss = Enumerable.Range(0, vintages).Select(_ => Own(new TrialSeries<double>(context.Budget, context.ExpectedTrials))).ToArray();
        _vintageBreaches = new Tally[vintages];
    }

    private T Own<T>(T series) where T : TrialSeries
    {
        _owned.Add(series);
        return series;
    }

    public void Dispose()
    {
        foreach (var series in _owned) series.Dispose();
        _owned.Clear();
    }

    public void Add(in RowBlock rows)
    {
        for (int f = 0; f < _start.Length; f++) AddFund(f, rows);
        if (_programme is not null) AddProgramme(_programme, rows);
        if (_vintageColumn >= 0) AddVintages(rows);
    }

    // The vintage columns are contiguous (lossRatio, breach per vintage, then breachByVintage): binding.Column maps
    // them to one run of the row.
    private void AddVintages(in RowBlock rows)
    {
        int width = FundsInstrument.VintageColumns.Count;
        for (int v = 0; v < _vintageLoss.Length; v++)
        {
            int c = _vintageColumn + v * width;
            _vintageLoss[v].Add(rows.Column(c));
            Tally breaches = _vintageBreaches[v];
            for (int i = 0; i < rows.Count; i++) _weighting.Add(ref breaches, rows.Weight(i), rows[i, c + 1]);
            _vintageBreaches[v] = breaches;
        }
        int any = _vintageColumn + _vintageLoss.Length * width;
        for (int i = 0; i < rows.Count; i++) _weighting.Add(ref _byVintage, rows.Weight(i), rows[i, any]);
    }

    private void AddFund(int f, in RowBlock rows)
    {
        int c = _start[f];
        _lossRatios[f].Add(rows.Column(c + FundsInstrument.LossRatio));
        for (int r = 0; r < 4; r++) _returns[f][r].Add(rows.Column(c + FundsInstrument.MultiplePrivate + r));
        Tally breaches = _breaches[f], invested = _invested[f], proceeds = _proceeds[f];
        for (int i = 0; i < rows.Count; i++)
        {
            double w = rows.Weight(i);
            _weighting.Add(ref breaches, w, rows[i, c + FundsInstrument.Breach]);
            _weighting.Add(ref invested, w, rows[i, c + FundsInstrument.Invested]);
            _weighting.Add(ref proceeds, w, rows[i, c + FundsInstrument.Proceeds]);
        }
        (_breaches[f], _invested[f], _proceeds[f]) = (breaches, invested, proceeds);
        if (_exemption[f] is int e and >= 0)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                _weighting.Add(ref _breachesBefore[f], rows.Weight(i), rows[i, e]);
                _weighting.Add(ref _excused[f], rows.Weight(i), rows[i, e + 1]);
            }
        }
        if (_concession[f] is int k and >= 0)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                _weighting.Add(ref _toSocialLps[f], rows.Weight(i), rows[i, k]);
                _weighting.Add(ref _toManager[f], rows.Weight(i), rows[i, k + 1]);
            }
        }
        int projects = _projects[f];
        if (projects < 0) return;
        // Under importance sampling the share of breaching projects is tallied (its weighted mean is the per-project
        // probability); under plain sampling the count (the share's mean and error follow by dividing by the deals).
        int deals = _instrument.Funds[f].Deals;
        Tally tally = _projectBreaches[f];
        for (int i = 0; i < rows.Count; i++)
        {
            double count = rows[i, projects];
            _weighting.Add(ref tally, rows.Weight(i), _weighting.IsWeighted ? count / deals : count);
        }
        _projectBreaches[f] = tally;
    }

    private void AddProgramme(TrialSeries<double> programme, in RowBlock rows)
    {
        int p = _programmeColumn;
        programme.Add(rows.Column(p));
        for (int i = 0; i < rows.Count; i++)
        {
            double w = rows.Weight(i);
            _weighting.Add(ref _programmeBreaches, w, rows[i, p + 1]);
            _weighting.Add(ref _tolerance, w, rows[i, p + 2]);
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        void Quantile(string name, TrialSeries values)
        {
            var (p99, error) = _weighting.P99SoFar(values);
            figures.Add(new FigurePrecision(name, p99, error));
        }
        void Probability(string name, in Tally tally)
        {
            var p = _weighting.Probability(tally);
            figures.Add(new FigurePrecision(name, p.Probability, p.StandardError));
        }
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            Probability($"{_instrument.Funds[f].Name}.breachProbability", _breaches[f]);
            Quantile($"{_instrument.Funds[f].Name}.p99LossRatio", _lossRatios[f]);
        }
        if (_programme is not null)
        {
            Probability("programme.breachProbability", _programmeBreaches);
            Quantile("programme.p99LossRatio", _programme);
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        // Each figure depends on its own series only, so the figures are summarised on all cores a series at a time
        // (a fund's loss ratios and each of its return figures apart, so that the cores stay busy to the end).
        var programme = _programme is null ? null : ProgrammeWork(work, _programme);
        var funds = Enumerable.Range(0, _lossRatios.Length).Select(f => FundWork(work, f)).ToArray();
        var vintages = Enumerable.Range(0, _vintageLoss.Length).Select(v => VintageWork(work, v)).ToArray();
        ProbabilityEstimate? byVintage = vintages.Length > 0 ? _weighting.Probability(_byVintage) : null;
        return () => new FundsResult([.. funds.Select(f => f())], programme?.Invoke())
        {
            Vintages = [.. vintages.Select(v => v())],
            BreachByVintage = byVintage,
        };
    }

    /// <summary>A loss-ratio series' summary and its distribution for the charts, with exact counts at the grid, the tolerance and the reported thresholds.</summary>
    private (LossSummary Summary, TrialDistribution Distribution) LossRatios(TrialSeries<double> values, double tolerance) =>
        _weighting.SummarizeWithDistribution(values, _context.ReportLossRatios,
            TrialDistribution.LossRatioGrid().Append(tolerance).Concat(_context.ReportLossRatios));

    private Func<ProgrammeResult> ProgrammeWork(WorkList work, TrialSeries<double> programme)
    {
        double meanTolerance = _weighting.Mean(_tolerance);
        var breach = _weighting.Probability(_programmeBreaches);
        var loss = work.Add(() => LossRatios(programme, meanTolerance));
        return () => new ProgrammeResult(loss().Summary, breach, meanTolerance, loss().Distribution);
    }

    private Func<VintageResult> VintageWork(WorkList work, int v)
    {
        int year = _instrument.Vintages[v];
        var members = _instrument.Funds.Where(f => f.StartYear == year).ToList();
        var breach = _weighting.Probability(_vintageBreaches[v]);
        // The grid point at the vintage's nominal tolerance (its invested-weighted mean with fixed checks).
        double tolerance = members.Sum(f => f.Commitment * f.Tolerance) / members.Sum(f => f.Commitment);
        var loss = work.Add(() => LossRatios(_vintageLoss[v], tolerance));
        return () => new VintageResult(year, [.. members.Select(f => f.Name)], loss().Summary, breach);
    }

    private Func<FundResult> FundWork(WorkList work, int f)
    {
        var fund = _instrument.Funds[f];
        var loss = work.Add(() => LossRatios(_lossRatios[f], fund.Tolerance));
        var spreads = _returns[f].Select(r => work.Add(() => _weighting.Spread(r))).ToArray();
        DirectProjectsSummary? projects = null;
        if (_projects[f] >= 0)
        {
            var tally = _projectBreaches[f];
            if (_weighting.IsWeighted)
            {
                var share = _weighting.Probability(tally);
                projects = new DirectProjectsSummary(share.Probability * fund.Deals, share.Probability, share.StandardError);
            }
            else
            {
                var (mean, error) = _weighting.MeanWithError(tally);
                projects = new DirectProjectsSummary(mean, mean / fund.Deals, error / fund.Deals);
            }
        }
        var breach = _weighting.Probability(_breaches[f]);
        double invested = _weighting.Mean(_invested[f]), proceeds = _weighting.Mean(_proceeds[f]);
        ProbabilityEstimate? before = _exemption[f] >= 0 ? _weighting.Probability(_breachesBefore[f]) : null;
        double? excused = _exemption[f] >= 0 ? _weighting.Mean(_excused[f]) : null;
        return () => new FundResult(fund, loss().Summary, breach, spreads[0](), spreads[1](), spreads[2](), spreads[3](),
            invested, proceeds, projects, loss().Distribution)
        {
            BreachBeforeExemption = before,
            MeanExcusedLoss = excused,
            MeanConcession = _concession[f] >= 0 ? (_weighting.Mean(_toSocialLps[f]), _weighting.Mean(_toManager[f])) : null,
        };
    }
}
