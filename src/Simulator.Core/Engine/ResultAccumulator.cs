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
    private readonly double[] _programme;
    private readonly long[] _breaches;
    private readonly double[] _invested, _proceeds, _projectBreaches, _projectBreachesSquared;
    private long _programmeBreaches;
    private double _toleranceSum;
    private long _n;

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
    }

    public void Add(ReadOnlySpan<double> row)
    {
        long i = _n++;
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            int c = _layout.FundStart(f);
            _lossRatios[f][i] = row[c + TrialLayout.LossRatio];
            _breaches[f] += row[c + TrialLayout.Breach] > 0 ? 1 : 0;
            _invested[f] += row[c + TrialLayout.Invested];
            _proceeds[f] += row[c + TrialLayout.Proceeds];
            for (int r = 0; r < 4; r++) _returns[f][r][i] = (float)row[c + TrialLayout.MultiplePrivate + r];
            if (_layout.ProjectBreachColumn[f] >= 0)
            {
                double count = row[_layout.ProjectBreachColumn[f]];
                _projectBreaches[f] += count;
                _projectBreachesSquared[f] += count * count;
            }
        }
        int p = _layout.ProgrammeStart;
        _programme[i] = row[p];
        _programmeBreaches += row[p + 1] > 0 ? 1 : 0;
        _toleranceSum += row[p + 2];
    }

    public SimulationResult Summarize()
    {
        long n = _n;
        if (n != _scenario.Trials) throw new InvalidOperationException($"expected {_scenario.Trials} trials, got {n}");
        var thresholds = _scenario.ReportLossRatios;
        var funds = new List<FundResult>();
        for (int f = 0; f < _lossRatios.Length; f++)
        {
            var fund = _scenario.Funds[f];
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
        var programmeLoss = Empirical.Summarize(_programme, thresholds);
        var programme = new ProgrammeResult(programmeLoss, ProbabilityEstimate.FromCount(_programmeBreaches, n), _toleranceSum / n, _programme);
        return new SimulationResult(_scenario, n, funds, programme);
    }
}
