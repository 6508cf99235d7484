using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Funds;

/// <summary>
/// The funds of a scenario as an instrument: per fund its loss ratio, breach flag, amounts and net returns (and a
/// direct programme's breaching projects), then the programme's pooled life-cycle evaluation. All funds of a trial
/// are evaluated together, so Φ⁻¹ and Φ run once over the projects of all funds.
/// </summary>
public sealed class FundsInstrument : IInstrument, IRethresholdable
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "funds";

    /// <summary>Per-fund columns, in order, after the fund's name and a dot.</summary>
    public static readonly IReadOnlyList<string> FundColumns =
    [
        "lossRatio", "breach", "invested", "proceeds",
        "netMultiple.privateLp", "netMultiple.government", "netIrr.privateLp", "netIrr.government",
    ];

    /// <summary>Offsets of the per-fund columns.</summary>
    public const int LossRatio = 0, Breach = 1, Invested = 2, Proceeds = 3, MultiplePrivate = 4, MultipleGovernment = 5, IrrPrivate = 6, IrrGovernment = 7;

    /// <summary>Programme columns, in order.</summary>
    public static readonly IReadOnlyList<string> ProgrammeColumns = ["lossRatio", "breach", "tolerance"];

    private readonly int[] _fundStart, _projectBreachColumn;
    private readonly int _governmentStart;

    /// <summary>The instrument of <paramref name="funds"/> (file order) on the factors <paramref name="factors"/> (their persistence sets the windows' variance).</summary>
    public FundsInstrument(IReadOnlyList<Fund> funds, IReadOnlyList<Factor> factors)
    {
        Funds = funds;
        Factors = factors;
        var columns = new List<TrialColumn>();
        _fundStart = new int[funds.Count];
        _projectBreachColumn = new int[funds.Count];
        for (int f = 0; f < funds.Count; f++)
        {
            var fund = funds[f];
            _fundStart[f] = columns.Count;
            for (int c = 0; c < FundColumns.Count; c++)
                columns.Add(new TrialColumn($"{fund.Name}.{FundColumns[c]}", SinglePrecision: c >= MultiplePrivate, Key: c == LossRatio));
            _projectBreachColumn[f] = -1;
            if (fund.Type == FundType.Direct)
            {
                _projectBreachColumn[f] = columns.Count;
                columns.Add(new TrialColumn($"{fund.Name}.projectBreaches"));
            }
        }
        ProgrammeStart = columns.Count;
        if (HasProgramme)
            for (int c = 0; c < ProgrammeColumns.Count; c++) columns.Add(new TrialColumn($"programme.{ProgrammeColumns[c]}", Key: c == 0));
        // Statistics only: the government's net cost of each fund, for the government's whole exposure.
        _governmentStart = columns.Count;
        foreach (var fund in funds) columns.Add(new TrialColumn($"{fund.Name}.governmentNetCost", ColumnUse.StatisticsOnly));
        Columns = columns;
        GovernmentCosts = [.. funds.Select((f, i) => new GovernmentCostColumn(f.Name, _governmentStart + i))];

        var figures = new List<KeyFigureColumns>();
        for (int f = 0; f < funds.Count; f++)
        {
            string n = funds[f].Name;
            figures.Add(new(new KeyFigure($"{n}.breachProbability", FigureKind.Mean, FigureUnit.Probability, n), _fundStart[f] + Breach));
            figures.Add(new(new KeyFigure($"{n}.p99LossRatio", FigureKind.Quantile99, FigureUnit.LossRatio, n), _fundStart[f] + LossRatio));
            // What a stress that only delays exits moves: the LPs' returns, for each class of LP the fund has. An IRR
            // is undefined in a few trials (no root), so the means are over the trials in which a figure is defined.
            foreach (var (lp, has, multiple, irr) in new[]
            {
                ("PrivateLp", funds[f].GovernmentShare < 1, MultiplePrivate, IrrPrivate),
                ("Government", funds[f].GovernmentShare > 0, MultipleGovernment, IrrGovernment),
            })
            {
                if (!has) continue;
                figures.Add(new(new KeyFigure($"{n}.netMultiple{lp}", FigureKind.DefinedMean, FigureUnit.Multiple, n), _fundStart[f] + multiple));
                figures.Add(new(new KeyFigure($"{n}.netIrr{lp}", FigureKind.DefinedMean, FigureUnit.Rate, n), _fundStart[f] + irr));
            }
        }
        if (HasProgramme)
        {
            figures.Add(new(new KeyFigure("programme.breachProbability", FigureKind.Mean, FigureUnit.Probability, "programme"), ProgrammeStart + 1));
            figures.Add(new(new KeyFigure("programme.p99LossRatio", FigureKind.Quantile99, FigureUnit.LossRatio, "programme"), ProgrammeStart));
        }
        KeyFigures = figures;
    }

    /// <summary>The funds, in file order.</summary>
    public IReadOnlyList<Fund> Funds { get; }

    /// <summary>The factors.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>Whether there are funds, hence programme columns.</summary>
    public bool HasProgramme => Funds.Count > 0;

    /// <inheritdoc/>
    public bool CanRethreshold(IInstrument variant) =>
        variant is FundsInstrument v && v.Funds.Count == Funds.Count
        && Funds.Zip(v.Funds).All(p => p.First.Type != FundType.Direct || p.First.Tolerance == p.Second.Tolerance);

    /// <inheritdoc/>
    /// <remarks>The same operations, in the same order, as the evaluator's: a fund breaches when its loss ratio exceeds
    /// its tolerance; the programme's tolerance is the invested-weighted mean of the funds' in this trial.</remarks>
    public void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row)
    {
        if (!HasProgramme) return;
        var funds = ((FundsInstrument)variant).Funds;
        double invested = 0, toleranceWeighted = 0;
        for (int f = 0; f < funds.Count; f++)
        {
            int c = binding.Column(_fundStart[f]);
            if (funds[f].Type != FundType.Direct) row[c + Breach] = row[c + LossRatio] > funds[f].Tolerance + Fund.BreachEpsilon ? 1 : 0;
            invested += row[c + Invested];
            toleranceWeighted += row[c + Invested] * funds[f].Tolerance;
        }
        int p = binding.Column(ProgrammeStart);
        double tolerance = invested > 0 ? toleranceWeighted / invested : 0;
        row[p + 1] = row[p] > tolerance + Fund.BreachEpsilon ? 1 : 0;
        row[p + 2] = tolerance;
    }

    /// <summary>Local index of programme.lossRatio.</summary>
    public int ProgrammeStart { get; }

    /// <summary>Local index of the first column of fund <paramref name="f"/>.</summary>
    public int FundStart(int f) => _fundStart[f];

    /// <summary>Local index of a direct fund's projectBreaches column, −1 for other funds.</summary>
    public int ProjectBreachColumn(int f) => _projectBreachColumn[f];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Funds.Select(f => f.Name)];

    /// <inheritdoc/>
    public int FactorYears => Funds.Select(f => Math.Max(f.LastFactorYear, f.LifeYears)).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public int ShockYears => Funds.Select(f => f.LastFactorYear).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <inheritdoc />
    public IReadOnlyList<TrialOutput> Outputs => [];

    /// <inheritdoc />
    public IReadOnlyList<string> Reads => [];

    /// <inheritdoc />
    public IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <inheritdoc />
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts { get; }

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new FundsAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        foreach (var f in Funds)
            for (int k = 0; k < exposure.Length; k++) exposure[k] += Math.Abs(f.Loadings[k]);
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate)
    {
        var r = (FundsResult)candidate;
        // A direct programme's own breach is an event only once seen: its per-project tolerance of 100% is rarely reached.
        foreach (var f in r.Funds)
            if (f.Fund.Type != FundType.Direct || f.Breach.Probability > 0) yield return f.Breach;
        if (r.Programme is { } programme) yield return programme.Breach;
    }

    private sealed class Evaluator : IInstrumentEvaluator
    {
        private readonly FundsInstrument _owner;
        private readonly FundEvaluator[] _funds;
        private readonly int[] _start, _projectBreaches;
        private readonly int _programme, _deals, _government;

        public Evaluator(FundsInstrument owner, InstrumentBinding binding)
        {
            _owner = owner;
            _funds = owner.Funds.Select(f => new FundEvaluator(f, owner.Factors)).ToArray();
            _start = owner._fundStart.Select(binding.Column).ToArray();
            _projectBreaches = owner._projectBreachColumn.Select(c => c >= 0 ? binding.Column(c) : -1).ToArray();
            _programme = owner.HasProgramme ? binding.Column(owner.ProgrammeStart) : -1;
            _deals = owner.Funds.Sum(f => f.Deals);
            _government = binding.Column(owner._governmentStart);
        }

        private sealed class Scratch
        {
            public Scratch(Evaluator owner)
            {
                // One buffer for the latent variables of all funds' projects, fund after fund.
                Latent = new double[owner._deals];
                Funds = new FundEvaluator.Scratch[owner._funds.Length];
                for (int f = 0, offset = 0; f < Funds.Length; offset += owner._funds[f].Fund.Deals, f++)
                    Funds[f] = owner._funds[f].CreateScratch(Latent, offset);
            }

            public readonly FundEvaluator.Scratch[] Funds;
            public readonly double[] Latent;
        }

        public object CreateScratch() => new Scratch(this);

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            if (_funds.Length == 0) return;
            var s = (Scratch)scratch;
            double invested = 0, proceeds = 0, toleranceWeighted = 0;
            // Each fund's steps around Φ⁻¹ and Φ, which run once over the projects of all funds (FundEvaluator.Evaluate
            // gives the same figures fund by fund).
            for (int f = 0; f < _funds.Length; f++) _funds[f].Draw(trial.Key, trial.Trial, trial.Paths, s.Funds[f]);
            NormalMath.InvCdf(s.Latent, s.Latent);
            for (int f = 0; f < _funds.Length; f++) _funds[f].Shift(s.Funds[f]);
            NormalMath.Cdf(s.Latent, s.Latent);
            for (int f = 0; f < _funds.Length; f++)
            {
                var o = _funds[f].Settle(s.Funds[f]);
                int c = _start[f];
                row[c + LossRatio] = o.LossRatio;
                row[c + Breach] = o.Breach ? 1 : 0;
                row[c + Invested] = o.Invested;
                row[c + Proceeds] = o.Proceeds;
                row[c + MultiplePrivate] = o.NetMultiplePrivate;
                row[c + MultipleGovernment] = o.NetMultipleGovernment;
                row[c + IrrPrivate] = o.NetIrrPrivate;
                row[c + IrrGovernment] = o.NetIrrGovernment;
                if (_projectBreaches[f] >= 0) row[_projectBreaches[f]] = o.ProjectBreaches;
                row[_government + f] = o.GovernmentNetCost;
                invested += o.Invested;
                proceeds += o.Proceeds;
                toleranceWeighted += o.Invested * _owner.Funds[f].Tolerance;
            }
            // Life-cycle evaluation: one pooled loss ratio against the invested-weighted tolerance of this trial.
            double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds) / invested) : 0;
            double tolerance = invested > 0 ? toleranceWeighted / invested : 0;
            row[_programme] = lossRatio;
            row[_programme + 1] = lossRatio > tolerance + Fund.BreachEpsilon ? 1 : 0;
            row[_programme + 2] = tolerance;
        }
    }
}

/// <summary>Per-project figures of a direct-investment programme.</summary>
/// <param name="MeanBreachingProjects">Expected number of projects whose own loss ratio breaches the tolerance.</param>
/// <param name="ProjectBreachProbability">Probability that one project (averaged over projects) breaches.</param>
/// <param name="StandardError">Standard error of <paramref name="ProjectBreachProbability"/>, from the spread of
/// each trial's share of breaching projects (projects of a trial are correlated, so not the binomial formula).</param>
public sealed record DirectProjectsSummary(double MeanBreachingProjects, double ProjectBreachProbability, double StandardError);

/// <summary>The results of one fund.</summary>
/// <param name="Fund">The fund.</param>
/// <param name="LossRatio">Loss-ratio distribution.</param>
/// <param name="Breach">Probability that the fund breaches its tolerance.</param>
/// <param name="NetMultiplePrivate">Private LPs' net multiple.</param>
/// <param name="NetMultipleGovernment">Government's net multiple.</param>
/// <param name="NetIrrPrivate">Private LPs' net IRR.</param>
/// <param name="NetIrrGovernment">Government's net IRR.</param>
/// <param name="MeanInvested">Mean amount invested.</param>
/// <param name="MeanProceeds">Mean gross proceeds.</param>
/// <param name="Projects">Per-project figures (direct funds only).</param>
/// <param name="LossRatios">The trials' loss ratios (with their importance-sampling weights), for plots.</param>
public sealed record FundResult(
    Fund Fund, LossSummary LossRatio, ProbabilityEstimate Breach,
    SpreadSummary? NetMultiplePrivate, SpreadSummary? NetMultipleGovernment, SpreadSummary? NetIrrPrivate, SpreadSummary? NetIrrGovernment,
    double MeanInvested, double MeanProceeds, DirectProjectsSummary? Projects, TrialDistribution LossRatios);

/// <summary>The results of the programme as a whole (life-cycle evaluation).</summary>
/// <param name="LossRatio">Pooled loss-ratio distribution.</param>
/// <param name="Breach">Probability that the pooled loss ratio exceeds the invested-weighted tolerance.</param>
/// <param name="MeanTolerance">Mean of the invested-weighted tolerance.</param>
/// <param name="LossRatios">The trials' pooled loss ratios (with their importance-sampling weights), for plots.</param>
public sealed record ProgrammeResult(LossSummary LossRatio, ProbabilityEstimate Breach, double MeanTolerance, TrialDistribution LossRatios);

/// <summary>The results of a scenario's funds.</summary>
/// <param name="Funds">Per fund, in file order.</param>
/// <param name="Programme">The programme (null without funds).</param>
public sealed record FundsResult(IReadOnlyList<FundResult> Funds, ProgrammeResult? Programme) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => FundsInstrument.KindName;
}

/// <summary>The funds' results of a run, as properties of the run's result.</summary>
public static class FundsResultAccess
{
    extension(Engine.SimulationResult result)
    {
        /// <summary>Per-fund results in file order (empty without funds).</summary>
        public IReadOnlyList<FundResult> Funds => result.Get<FundsResult>()?.Funds ?? [];

        /// <summary>Programme results (null when the scenario has no funds).</summary>
        public ProgrammeResult? Programme => result.Get<FundsResult>()?.Programme;
    }
}
