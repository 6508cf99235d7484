using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Funds;

/// <summary>
/// The funds of a scenario as an instrument: per fund its loss ratio, breach flag, amounts and net returns (and a
/// direct programme's breaching projects), then the programme's pooled life-cycle evaluation. All funds of a trial
/// are evaluated together, so Φ⁻¹ and Φ run once over the projects of all funds.
/// </summary>
public sealed class FundsInstrument : IInstrument, IRethresholdable, IRecordable
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

    private readonly int[] _fundStart, _projectBreachColumn, _exemptionColumn, _concessionColumn;
    private readonly int[] _vintageOf; // fund → index among the vintages (−1 without vintages)
    private readonly int _governmentStart;

    /// <summary>The instrument of <paramref name="funds"/> (file order) on the factors <paramref name="factors"/> (their persistence sets the windows' variance).</summary>
    public FundsInstrument(IReadOnlyList<Fund> funds, IReadOnlyList<Factor> factors)
    {
        Funds = funds;
        Factors = factors;
        var columns = new List<TrialColumn>();
        _fundStart = new int[funds.Count];
        _projectBreachColumn = new int[funds.Count];
        _exemptionColumn = new int[funds.Count];
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
            // With an exemption: the breach it would have had without, and the losses excused (breach is after it).
            _exemptionColumn[f] = -1;
            if (fund.Exemption is not null)
            {
                _exemptionColumn[f] = columns.Count;
                columns.Add(new TrialColumn($"{fund.Name}.breachBeforeExemption"));
                columns.Add(new TrialColumn($"{fund.Name}.excusedLoss"));
            }
        }
        ProgrammeStart = columns.Count;
        if (HasProgramme)
            for (int c = 0; c < ProgrammeColumns.Count; c++) columns.Add(new TrialColumn($"programme.{ProgrammeColumns[c]}", Key: c == 0));
        // Vintages (funds of the same startYear), only when there are several: each vintage pooled alone, then whether
        // any vintage breached (the programme judged vintage by vintage instead of pooled across vintages).
        Vintages = [.. funds.Select(f => f.StartYear).Distinct().Order()];
        if (Vintages.Count < 2) Vintages = [];
        _vintageOf = [.. funds.Select(f => Vintages.Count == 0 ? -1 : IndexOf(Vintages, f.StartYear))];
        VintageStart = columns.Count;
        foreach (int v in Vintages)
            for (int c = 0; c < VintageColumns.Count; c++) columns.Add(new TrialColumn($"{VintageName(v)}.{VintageColumns[c]}"));
        if (Vintages.Count > 0) columns.Add(new TrialColumn("programme.breachByVintage"));
        // Statistics only: the government's net cost of each fund, for the government's whole exposure.
        _governmentStart = columns.Count;
        foreach (var fund in funds) columns.Add(new TrialColumn($"{fund.Name}.governmentNetCost", ColumnUse.StatisticsOnly));
        // Statistics only, for funds that give concessionToManager: what the government ceded to the social LPs and to
        // the manager.
        _concessionColumn = new int[funds.Count];
        for (int f = 0; f < funds.Count; f++)
        {
            _concessionColumn[f] = -1;
            if (funds[f].ConcessionToManager is null) continue;
            _concessionColumn[f] = columns.Count;
            columns.Add(new TrialColumn($"{funds[f].Name}.concessionToSocialLps", ColumnUse.StatisticsOnly));
            columns.Add(new TrialColumn($"{funds[f].Name}.concessionToManager", ColumnUse.StatisticsOnly));
        }
        Columns = columns;
        Outputs = [.. funds.SelectMany(f => new[]
        {
            new TrialOutput($"{f.Name}.{FundOutputs[0]}", OutputYears), new TrialOutput($"{f.Name}.{FundOutputs[1]}", OutputYears),
            new TrialOutput($"{f.Name}.{FundOutputs[2]}", 4), new TrialOutput($"{f.Name}.{FundOutputs[3]}", f.LifeYears),
            new TrialOutput($"{f.Name}.{FundOutputs[4]}", ProjectHeader + ProjectStride * f.Deals),
        })];
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
        for (int v = 0; v < Vintages.Count; v++)
        {
            string n = VintageName(Vintages[v]);
            figures.Add(new(new KeyFigure($"{n}.breachProbability", FigureKind.Mean, FigureUnit.Probability, n), VintageStart + v * VintageColumns.Count + 1));
        }
        if (Vintages.Count > 0)
            figures.Add(new(new KeyFigure("programme.breachProbabilityByVintage", FigureKind.Mean, FigureUnit.Probability, "programme"), ByVintageColumn));
        KeyFigures = figures;
    }

    /// <summary>The funds, in file order.</summary>
    public IReadOnlyList<Fund> Funds { get; }

    /// <summary>The factors.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>Whether there are funds, hence programme columns.</summary>
    public bool HasProgramme => Funds.Count > 0;

    /// <inheritdoc/>
    /// <remarks>A direct fund's tolerance applies to each project, whose multiples the row does not keep: it moves only
    /// when the base <paramref name="recorded"/> its projects' losses (<see cref="Records"/>). Every other column judged
    /// against a tolerance (a fund's breach before and after its exemption, the programme's and each vintage's breach)
    /// is a function of stored columns and the tolerances.</remarks>
    public bool CanRethreshold(IInstrument variant, bool recorded) =>
        variant is FundsInstrument v && v.Funds.Count == Funds.Count
        && (recorded || Funds.Zip(v.Funds).All(p => p.First.Type != FundType.Direct || p.First.Tolerance == p.Second.Tolerance));

    /// <inheritdoc/>
    /// <remarks>Only a direct programme has something to record: its projects' losses, which its per-project tolerance
    /// judges (<see cref="FundEvaluator.RecordProjectLosses"/>).</remarks>
    public bool Records => Funds.Any(f => f.Type == FundType.Direct);

    /// <inheritdoc/>
    public string RecordedSettings => "a direct programme's per-project tolerance";

    /// <inheritdoc/>
    public IInstrumentEvaluator CreateRecordingEvaluator(InstrumentBinding binding, TrialRecording recording) => new Evaluator(this, binding, recording);

    /// <inheritdoc/>
    /// <remarks>The same operations, in the same order, as the evaluator's (<see cref="FundEvaluator"/>'s Settle, then the
    /// programme and the vintages): a fund breaches when its loss ratio exceeds its tolerance — with an exemption, when
    /// its loss ratio after the excused losses (stored: excusedLoss) does, and breachBeforeExemption is the plain test;
    /// the programme's and each vintage's tolerance is the invested-weighted mean of their funds' in this trial. The
    /// excused losses do not depend on the tolerance (only a direct fund's breaching projects do), and the loss ratios
    /// (the programme's and the vintages' after the excused losses) are kept as stored. A direct fund breaches when one
    /// of its projects does: with <paramref name="recorded"/> (its projects' losses), its breaching projects are counted
    /// again against the variant's tolerance (<see cref="FundEvaluator.CountBreaches"/>); without, its columns stay the
    /// base's (its tolerance did not move, <see cref="CanRethreshold"/>).</remarks>
    public void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row, ReadOnlySpan<long> recorded)
    {
        if (!HasProgramme) return;
        var funds = ((FundsInstrument)variant).Funds;
        double invested = 0, toleranceWeighted = 0;
        int at = 0; // the next direct fund's record in recorded
        for (int f = 0; f < funds.Count; f++)
        {
            int c = binding.Column(_fundStart[f]);
            if (funds[f].Type == FundType.Direct && !recorded.IsEmpty)
            {
                var (before, after) = FundEvaluator.CountBreaches(recorded, ref at, funds[f].Tolerance, _exemptionColumn[f] >= 0);
                row[c + Breach] = after > 0 ? 1 : 0;
                row[binding.Column(_projectBreachColumn[f])] = after;
                if (_exemptionColumn[f] >= 0) row[binding.Column(_exemptionColumn[f])] = before > 0 ? 1 : 0;
            }
            else if (funds[f].Type != FundType.Direct)
            {
                bool breach = row[c + LossRatio] > funds[f].Tolerance + Fund.BreachEpsilon;
                if (_exemptionColumn[f] >= 0)
                {
                    int e = binding.Column(_exemptionColumn[f]);
                    double fundInvested = row[c + Invested];
                    row[e] = breach ? 1 : 0;
                    double judged = fundInvested > 0 ? Math.Max(0, (fundInvested - row[c + Proceeds] - row[e + 1]) / fundInvested) : 0;
                    breach = judged > funds[f].Tolerance + Fund.BreachEpsilon;
                }
                row[c + Breach] = breach ? 1 : 0;
            }
            invested += row[c + Invested];
            toleranceWeighted += row[c + Invested] * funds[f].Tolerance;
        }
        int p = binding.Column(ProgrammeStart);
        double tolerance = invested > 0 ? toleranceWeighted / invested : 0;
        row[p + 1] = row[p] > tolerance + Fund.BreachEpsilon ? 1 : 0;
        row[p + 2] = tolerance;
        if (Vintages.Count == 0) return;
        // Each vintage's sums over its funds in file order, as JudgeVintages accumulates them (from 0).
        int start = binding.Column(VintageStart);
        double any = 0;
        for (int i = 0; i < Vintages.Count; i++)
        {
            double vintageInvested = 0, vintageWeighted = 0;
            for (int f = 0; f < funds.Count; f++)
            {
                if (_vintageOf[f] != i) continue;
                int c = binding.Column(_fundStart[f]);
                vintageInvested += row[c + Invested];
                vintageWeighted += row[c + Invested] * funds[f].Tolerance;
            }
            int v = start + i * VintageColumns.Count;
            double breach = vintageInvested > 0 && row[v] > vintageWeighted / vintageInvested + Fund.BreachEpsilon ? 1 : 0;
            row[v + 1] = breach;
            any = Math.Max(any, breach);
        }
        row[binding.Column(ByVintageColumn)] = any;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <summary>Local index of programme.lossRatio.</summary>
    public int ProgrammeStart { get; }

    /// <summary>Per-vintage columns, in order, after the vintage's name and a dot.</summary>
    public static readonly IReadOnlyList<string> VintageColumns = ["lossRatio", "breach"];

    /// <summary>The start years of the funds, in order, when there are at least two (else empty: the programme is the one vintage).</summary>
    public IReadOnlyList<int> Vintages { get; }

    /// <summary>Local index of the first vintage column.</summary>
    public int VintageStart { get; }

    /// <summary>Local index of programme.breachByVintage (valid when there are vintages).</summary>
    public int ByVintageColumn => VintageStart + Vintages.Count * VintageColumns.Count;

    /// <summary>The name of the vintage of start year <paramref name="startYear"/> in columns and results.</summary>
    public static string VintageName(int startYear) => $"vintage-{startYear}";

    /// <summary>Local index of the first column of fund <paramref name="f"/>.</summary>
    public int FundStart(int f) => _fundStart[f];

    /// <summary>Local index of a fund's breachBeforeExemption column (then excusedLoss), −1 for funds without an exemption.</summary>
    public int ExemptionColumn(int f) => _exemptionColumn[f];

    /// <summary>Local index of a fund's concessionToSocialLps column (then concessionToManager), −1 for funds without concessionToManager.</summary>
    public int ConcessionColumn(int f) => _concessionColumn[f];

    /// <summary>Local index of a direct fund's projectBreaches column, −1 for other funds.</summary>
    public int ProjectBreachColumn(int f) => _projectBreachColumn[f];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Funds.Select(f => f.Name)];

    /// <inheritdoc/>
    public int FactorYears => Funds.Select(f => Math.Max(f.LastFactorYear, f.LastYear)).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public int ShockYears => Funds.Select(f => f.LastFactorYear).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <summary>
    /// Per-fund outputs for the kinds that hold a stake in a fund (a fund-of-funds): per unit of the fund's LP
    /// interests held on the government LPs' terms, what it pays in (checks and fees) and what it receives (after
    /// carry and the concession) in each simulated year 1..<see cref="OutputYears"/>; and the fund's life totals
    /// [invested, gross proceeds, first simulated year, last simulated year].
    /// </summary>
    public static readonly IReadOnlyList<string> FundOutputs = ["lpPaidInByYear", "governmentLpReceivedByYear", "lifeTotals", "proceedsByYear", "projects"];

    /// <summary>
    /// A fund's <c>projects</c> output, read by the kinds that trade or count its projects (a relay buyer, the 20% floor):
    /// a header [tolerance, type code (0 seed, 1 angel, 2 direct, 3 any other type), startYear, lifeYears, deals], then
    /// per project k [investment year, check, U = Φ(X), exit year, multiple], years simulated (calendar) years and X the
    /// project's latent draw (docs/model.md, "Relay buyer").
    /// </summary>
    public const int ProjectHeader = 5, ProjectStride = 5;

    /// <summary>Name of a fund's per-trial output: its gross exit proceeds in fund years 1..lifeYears (CNY), read by bonds.</summary>
    public static string ProceedsByYear(string fund) => fund + ".proceedsByYear";

    /// <summary>
    /// The length of the by-year outputs: every simulated year a fund can reach (startYear ≤ 50, lifeYears ≤ 15), fixed
    /// so that a reader knows it without the funds' model.
    /// </summary>
    public const int OutputYears = 64;

    /// <inheritdoc />
    public IReadOnlyList<TrialOutput> Outputs { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Reads => [];

    /// <inheritdoc />
    public IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <inheritdoc />
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts { get; }

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding, null);

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
        private readonly int[] _start, _projectBreaches, _exemption, _concession;
        private readonly int _programme, _deals, _government, _vintageStart;
        private readonly int[] _vintageOf; // fund → index among the owner's vintages (−1 without vintages)
        private readonly int[] _output; // [PerFund·f + i]: offset of fund f's output i
        private readonly bool[] _read; // [PerFund·f + i]: whether an instrument of the scenario reads it (the rest is not computed)
        private static readonly int PerFund = FundOutputs.Count;

        private readonly TrialRecording? _recording; // a direct programme's project losses, when the run records

        public Evaluator(FundsInstrument owner, InstrumentBinding binding, TrialRecording? recording)
        {
            _owner = owner;
            _recording = recording;
            _funds = owner.Funds.Select(f => new FundEvaluator(f, owner.Factors)).ToArray();
            _start = owner._fundStart.Select(binding.Column).ToArray();
            _projectBreaches = owner._projectBreachColumn.Select(c => c >= 0 ? binding.Column(c) : -1).ToArray();
            _exemption = owner._exemptionColumn.Select(c => c >= 0 ? binding.Column(c) : -1).ToArray();
            _concession = owner._concessionColumn.Select(c => c >= 0 ? binding.Column(c) : -1).ToArray();
            _programme = owner.HasProgramme ? binding.Column(owner.ProgrammeStart) : -1;
            _deals = owner.Funds.Sum(f => f.Deals);
            _government = binding.Column(owner._governmentStart);
            _vintageOf = owner._vintageOf;
            _vintageStart = owner.Vintages.Count == 0 ? -1 : binding.Column(owner.VintageStart);
            _output = [.. Enumerable.Range(0, owner.Outputs.Count).Select(binding.Output)];
            _read = [.. Enumerable.Range(0, owner.Outputs.Count).Select(binding.IsRead)];
        }

        // The government LPs' flows by simulated year and the gross totals, for the kinds that read them.
        private void Publish(Span<double> outputs, int f, in FundTrialOutcome o, FundEvaluator.Scratch s)
        {
            var fund = _owner.Funds[f];
            // Only what another instrument reads: without a fund-of-funds or a bond, nothing is published.
            int at = PerFund * f;
            if (_read[at + 4]) _funds[f].PublishProjects(s, outputs.Slice(_output[at + 4], ProjectHeader + ProjectStride * fund.Deals));
            if (_read[at + 3]) s.Proceeds.CopyTo(outputs.Slice(_output[at + 3], s.Proceeds.Length));
            if (_read[at + 2])
            {
                outputs[_output[at + 2]] = o.Invested;
                outputs[_output[at + 2] + 1] = o.Proceeds;
                outputs[_output[at + 2] + 2] = fund.StartYear;
                outputs[_output[at + 2] + 3] = fund.LastYear;
            }
            if (!_read[at] && !_read[at + 1]) return;
            const int years = OutputYears;
            var paid = outputs.Slice(_output[at], years);
            var received = outputs.Slice(_output[at + 1], years);
            paid.Clear();
            received.Clear();
            // Per unit of LP interest: every LP pays its share of the contributions; a government LP receives its flows
            // divided by the government share (with no government LP, the private LPs' flows: there is no concession).
            double g = fund.GovernmentShare;
            var flows = g > 0 ? s.GovernmentFlows : s.PrivateFlows;
            double unit = g > 0 ? 1 / g : 1;
            for (int y = 1; y <= fund.LifeYears; y++)
            {
                int t = fund.CalendarYear(y) - 1;
                double c = s.Contributions[y - 1];
                paid[t] = c;
                received[t] = unit * (flows[y - 1] + (g > 0 ? g : 1) * c);
            }
        }

        private sealed class Scratch
        {
            public Scratch(Evaluator owner)
            {
                // One buffer for the latent variables of all funds' projects, fund after fund.
                Latent = new double[owner._deals];
                Vintage = new double[3 * owner._owner.Vintages.Count];
                Funds = new FundEvaluator.Scratch[owner._funds.Length];
                for (int f = 0, offset = 0; f < Funds.Length; offset += owner._funds[f].Fund.Deals, f++)
                    Funds[f] = owner._funds[f].CreateScratch(Latent, offset);
                Recorder = owner._recording?.CreateWriter();
            }

            public readonly TrialRecording.Writer? Recorder;
            public readonly FundEvaluator.Scratch[] Funds;
            public readonly double[] Latent;
            public readonly double[] Vintage; // per vintage: invested, proceeds, Σ invested·tolerance
        }

        public object CreateScratch() => new Scratch(this);

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            if (_funds.Length == 0) return;
            var s = (Scratch)scratch;
            double invested = 0, proceeds = 0, toleranceWeighted = 0, excused = 0;
            // Each fund's steps around Φ⁻¹ and Φ, which run once over the projects of all funds (FundEvaluator.Evaluate
            // gives the same figures fund by fund).
            for (int f = 0; f < _funds.Length; f++) _funds[f].Draw(trial.Key, trial.Trial, trial.Paths, s.Funds[f]);
            NormalMath.InvCdf(s.Latent, s.Latent);
            for (int f = 0; f < _funds.Length; f++) _funds[f].Shift(s.Funds[f]);
            trial.Paths.Copula.ToUniform(s.Latent, trial.Paths.Mixing); // Φ, or T_ν(X/√(W/ν)) under the t copula
            s.Recorder?.Begin();
            for (int f = 0; f < _funds.Length; f++)
            {
                var o = _funds[f].Settle(s.Funds[f]);
                if (s.Recorder is { } recorder && _projectBreaches[f] >= 0) _funds[f].RecordProjectLosses(s.Funds[f], recorder);
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
                if (_exemption[f] >= 0)
                {
                    row[_exemption[f]] = o.BreachBeforeExemption ? 1 : 0;
                    row[_exemption[f] + 1] = o.ExcusedLoss;
                    excused += o.ExcusedLoss;
                }
                row[_government + f] = o.GovernmentNetCost;
                if (_concession[f] >= 0)
                {
                    row[_concession[f]] = o.CededToSocialLps;
                    row[_concession[f] + 1] = o.CededToManager;
                }
                Publish(trial.Outputs, f, o, s.Funds[f]);
                invested += o.Invested;
                proceeds += o.Proceeds;
                toleranceWeighted += o.Invested * _owner.Funds[f].Tolerance;
            }
            // Life-cycle evaluation: one pooled loss ratio against the invested-weighted tolerance of this trial.
            // Excused losses (funds with an exemption) are removed before the test; without any, excused is 0 and the
            // figures are those of the plain pool, bit for bit.
            double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds - excused) / invested) : 0;
            double tolerance = invested > 0 ? toleranceWeighted / invested : 0;
            row[_programme] = lossRatio;
            row[_programme + 1] = lossRatio > tolerance + Fund.BreachEpsilon ? 1 : 0;
            row[_programme + 2] = tolerance;
            if (_vintageStart >= 0) JudgeVintages(row, s);
            s.Recorder?.Commit(trial.Trial);
        }

        // Each vintage pooled alone, as the programme is pooled across them (same rule, same margin).
        private void JudgeVintages(Span<double> row, Scratch s)
        {
            var v = s.Vintage;
            Array.Clear(v);
            for (int f = 0; f < _funds.Length; f++)
            {
                int i = 3 * _vintageOf[f], c = _start[f];
                v[i] += row[c + Invested];
                v[i + 1] += row[c + Proceeds] + (_exemption[f] >= 0 ? row[_exemption[f] + 1] : 0);
                v[i + 2] += row[c + Invested] * _owner.Funds[f].Tolerance;
            }
            double any = 0;
            for (int i = 0, c = _vintageStart; i < v.Length; i += 3, c += VintageColumns.Count)
            {
                double lossRatio = v[i] > 0 ? Math.Max(0, (v[i] - v[i + 1]) / v[i]) : 0;
                double breach = v[i] > 0 && lossRatio > v[i + 2] / v[i] + Fund.BreachEpsilon ? 1 : 0;
                row[c] = lossRatio;
                row[c + 1] = breach;
                any = Math.Max(any, breach);
            }
            row[_vintageStart + v.Length / 3 * VintageColumns.Count] = any;
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
    double MeanInvested, double MeanProceeds, DirectProjectsSummary? Projects, TrialDistribution LossRatios)
{
    /// <summary>With an exemption: the probability that the fund would breach without it (null without one).</summary>
    public ProbabilityEstimate? BreachBeforeExemption { get; init; }

    /// <summary>With an exemption: the mean losses excused per trial (CNY; null without one).</summary>
    public double? MeanExcusedLoss { get; init; }

    /// <summary>With concessionToManager: the mean the government ceded to the private (social) LPs and to the manager (CNY).</summary>
    public (double SocialLps, double Manager)? MeanConcession { get; init; }
}

/// <summary>The results of the programme as a whole (life-cycle evaluation).</summary>
/// <param name="LossRatio">Pooled loss-ratio distribution.</param>
/// <param name="Breach">Probability that the pooled loss ratio exceeds the invested-weighted tolerance.</param>
/// <param name="MeanTolerance">Mean of the invested-weighted tolerance.</param>
/// <param name="LossRatios">The trials' pooled loss ratios (with their importance-sampling weights), for plots.</param>
public sealed record ProgrammeResult(LossSummary LossRatio, ProbabilityEstimate Breach, double MeanTolerance, TrialDistribution LossRatios);

/// <summary>The results of one vintage: the funds of one start year pooled alone (life-cycle evaluation of the vintage).</summary>
/// <param name="StartYear">The vintage's start year.</param>
/// <param name="Funds">Its funds' names.</param>
/// <param name="LossRatio">Pooled loss-ratio distribution.</param>
/// <param name="Breach">Probability that the pooled loss ratio exceeds the vintage's invested-weighted tolerance.</param>
public sealed record VintageResult(int StartYear, IReadOnlyList<string> Funds, LossSummary LossRatio, ProbabilityEstimate Breach)
{
    /// <summary>Its name in columns and results, e.g. <c>vintage-2</c>.</summary>
    public string Name => FundsInstrument.VintageName(StartYear);
}

/// <summary>The results of a scenario's funds.</summary>
/// <param name="Funds">Per fund, in file order.</param>
/// <param name="Programme">The programme (null without funds).</param>
public sealed record FundsResult(IReadOnlyList<FundResult> Funds, ProgrammeResult? Programme) : IInstrumentResult
{
    /// <summary>Per vintage (start year), in order, when the funds have several; empty otherwise.</summary>
    public IReadOnlyList<VintageResult> Vintages { get; init; } = [];

    /// <summary>The probability that at least one vintage, pooled alone, breaches: the programme judged without pooling
    /// across vintages (null without vintages).</summary>
    public ProbabilityEstimate? BreachByVintage { get; init; }

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
