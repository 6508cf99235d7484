using Simulator.Core.Economy;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Funds;

/// <summary>What one trial gives for one fund.</summary>
public struct FundTrialOutcome
{
    /// <summary>Σ checks.</summary>
    public double Invested;
    /// <summary>Σ check · multiple.</summary>
    public double Proceeds;
    /// <summary>max(0, (invested − proceeds) / invested).</summary>
    public double LossRatio;
    /// <summary>Whether the fund breached its tolerance (for direct: any project did).</summary>
    public bool Breach;
    /// <summary>Projects whose own loss ratio breached the tolerance (direct funds; 0 otherwise).</summary>
    public int ProjectBreaches;
    /// <summary>Private LPs' net multiple (received / paid in), NaN when they paid nothing.</summary>
    public double NetMultiplePrivate;
    /// <summary>Government's net multiple.</summary>
    public double NetMultipleGovernment;
    /// <summary>Private LPs' net IRR.</summary>
    public double NetIrrPrivate;
    /// <summary>Government's net IRR.</summary>
    public double NetIrrGovernment;
}

/// <summary>
/// Evaluates one fund in one trial: a pure function of the fund, the trial's factor paths and the fund's own
/// random stream. Each project consumes exactly three uniforms (check size, idiosyncratic shock, exit year),
/// whatever its outcome, so project k sees the same draws whatever the other projects do.
/// </summary>
public sealed class FundEvaluator
{
    private readonly Fund _fund;
    private readonly ulong _streamHash;
    private readonly double[] _invSqrtWindowVariance;
    private readonly int[] _factorIndex;
    private readonly double[] _loading;
    private readonly double _idiosyncraticScale;
    private readonly bool _isDirect;

    /// <summary>Prepares the constants of a fund.</summary>
    public FundEvaluator(Fund fund, EconomyModel economy)
    {
        _fund = fund;
        _streamHash = StreamKey.Hash("fund", fund.Name);
        var used = Enumerable.Range(0, fund.Loadings.Count).Where(k => fund.Loadings[k] != 0).ToArray();
        _factorIndex = used;
        _loading = used.Select(k => fund.Loadings[k]).ToArray();
        _invSqrtWindowVariance = used.Select(k =>
            1 / Math.Sqrt(EconomyModel.WindowSumVariance(economy.Factors[k].Persistence, fund.Outcomes.ExposureYears))).ToArray();
        _idiosyncraticScale = Math.Sqrt(Math.Max(0, 1 - fund.SystematicVariance));
        _isDirect = fund.Type == FundType.Direct;
    }

    /// <summary>The fund.</summary>
    public Fund Fund => _fund;

    /// <summary>Scratch buffers for one thread.</summary>
    public sealed class Scratch(Fund fund)
    {
        internal readonly double[] Systematic = new double[fund.InvestmentYears + 1];
        internal readonly double[] Contributions = new double[fund.LifeYears];
        internal readonly double[] Proceeds = new double[fund.LifeYears];
        internal readonly double[] HeldCostDelta = new double[fund.LifeYears + 2];
        internal readonly double[] GovernmentFlows = new double[fund.LifeYears];
        internal readonly double[] PrivateFlows = new double[fund.LifeYears];
    }

    /// <summary>Creates scratch buffers for this fund.</summary>
    public Scratch CreateScratch() => new(_fund);

    /// <summary>Evaluates trial <paramref name="trial"/>.</summary>
    public FundTrialOutcome Evaluate(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        var fund = _fund;
        var model = fund.Outcomes;
        int w = model.ExposureYears, life = fund.LifeYears;

        for (int y = 1; y <= fund.InvestmentYears; y++)
        {
            double sys = 0;
            for (int j = 0; j < _factorIndex.Length; j++)
                sys += _loading[j] * paths.WindowDraw(_factorIndex[j], y, w, _invSqrtWindowVariance[j]);
            s.Systematic[y] = sys;
        }
        Array.Clear(s.Contributions);
        Array.Clear(s.Proceeds);
        Array.Clear(s.HeldCostDelta);

        var rng = key.Stream(trial, _streamHash);
        double invested = 0, proceeds = 0;
        int projectBreaches = 0;
        double projectTolerance = fund.Tolerance + Fund.BreachEpsilon;
        for (int k = 0; k < fund.Deals; k++)
        {
            int year = fund.InvestmentYear(k);
            double uCheck = rng.NextOpenUnit(), uShock = rng.NextOpenUnit(), uExit = rng.NextOpenUnit();
            double check = fund.Check.Quantile(uCheck);
            double x = s.Systematic[year] + _idiosyncraticScale * NormalMath.InvCdf(uShock);
            double multiple = model.Multiple(NormalMath.Cdf(x), out var band);
            var exitLaw = model.ExitYears(band);
            int exit = exitLaw is null ? life : Math.Min(life, year + (int)Math.Floor(Math.Max(0, exitLaw.Quantile(uExit)) + 0.5));

            invested += check;
            proceeds += check * multiple;
            s.Contributions[year - 1] += check;
            s.Proceeds[exit - 1] += check * multiple;
            s.HeldCostDelta[year] += check;
            s.HeldCostDelta[exit + 1] -= check;
            if (_isDirect && Math.Max(0, 1 - multiple) > projectTolerance) projectBreaches++;
        }

        double management = fund.Fees.Management;
        if (management > 0)
        {
            double held = 0;
            for (int t = 1; t <= life; t++)
            {
                held += s.HeldCostDelta[t];
                s.Contributions[t - 1] += management * (t <= fund.InvestmentYears ? fund.Commitment : held);
            }
        }

        var totals = Waterfall.Run(s.Contributions, s.Proceeds, fund.Fees, fund.GovernmentShare, fund.Concession, s.GovernmentFlows, s.PrivateFlows);

        double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds) / invested) : 0;
        return new FundTrialOutcome
        {
            Invested = invested,
            Proceeds = proceeds,
            LossRatio = lossRatio,
            Breach = _isDirect ? projectBreaches > 0 : lossRatio > fund.Tolerance + Fund.BreachEpsilon,
            ProjectBreaches = projectBreaches,
            NetMultiplePrivate = totals.PrivateMultiple,
            NetMultipleGovernment = totals.GovernmentMultiple,
            NetIrrPrivate = Irr.Compute(s.PrivateFlows),
            NetIrrGovernment = Irr.Compute(s.GovernmentFlows),
        };
    }
}
