using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Guarantees;

/// <summary>
/// The guarantee schemes of a scenario as an instrument: per scheme the credit loss, what each party paid, the
/// amounts issued and the pool's, the guarantor's and the trigger's events (trials.csv), and the guarantor's capital
/// at the end of each year (statistics only, for the fan chart). A variant that moves only how defaults are settled
/// (shares, the pool's limits, the guarantor's terms) replays the base's recorded defaults (<see cref="IReplayable"/>).
/// </summary>
public sealed class GuaranteesInstrument : IInstrument, IReplayable
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "guarantees";

    /// <summary>Per-guarantee columns, in order (spec §5 names first).</summary>
    public static readonly IReadOnlyList<string> GuaranteeColumns =
    [
        "loss", "guarantor", "reGuarantee", "bank", "government", "guaranteedAmount", "loans", "defaults",
        "exhausted", "exhaustedYear", "insolvent", "insolventYear", "suspended", "suspendedYear", "capital",
    ];

    /// <summary>Offsets of the per-guarantee columns.</summary>
    public const int GLoss = 0, GGuarantor = 1, GReGuarantee = 2, GBank = 3, GGovernment = 4, GGuaranteed = 5, GLoans = 6, GDefaults = 7,
        GExhausted = 8, GExhaustedYear = 9, GInsolvent = 10, GInsolventYear = 11, GSuspended = 12, GSuspendedYear = 13, GCapital = 14;

    private readonly int[] _start, _capitalStart;

    /// <summary>The instrument of <paramref name="guarantees"/> (file order); <paramref name="reportExceedance"/> are the
    /// loss thresholds the report asks for (importance sampling's pilot watches the largest).</summary>
    public GuaranteesInstrument(IReadOnlyList<Guarantee> guarantees, IReadOnlyList<double> reportExceedance)
    {
        Guarantees = guarantees;
        ReportExceedance = reportExceedance;
        var columns = new List<TrialColumn>();
        _start = new int[guarantees.Count];
        for (int g = 0; g < guarantees.Count; g++)
        {
            _start[g] = columns.Count;
            for (int c = 0; c < GuaranteeColumns.Count; c++)
                columns.Add(new TrialColumn($"{guarantees[g].Name}.{GuaranteeColumns[c]}", Key: c <= GGovernment));
        }
        _capitalStart = new int[guarantees.Count];
        for (int g = 0; g < guarantees.Count; g++)
        {
            _capitalStart[g] = columns.Count;
            for (int t = 1; t <= guarantees[g].Years; t++) columns.Add(new TrialColumn($"{guarantees[g].Name}.capital.y{t}", ColumnUse.StatisticsOnly));
        }
        Columns = columns;
        var figures = new List<KeyFigureColumns>();
        for (int g = 0; g < guarantees.Count; g++)
        {
            string n = guarantees[g].Name;
            int c = _start[g];
            figures.Add(new(new KeyFigure($"{n}.meanLoss", FigureKind.Mean, FigureUnit.Money, n), c + GLoss));
            figures.Add(new(new KeyFigure($"{n}.p99Loss", FigureKind.Quantile99, FigureUnit.Money, n), c + GLoss));
            figures.Add(new(new KeyFigure($"{n}.governmentCost", FigureKind.Mean, FigureUnit.Money, n), c + GGovernment));
            figures.Add(new(new KeyFigure($"{n}.exhaustionProbability", FigureKind.Mean, FigureUnit.Probability, n), c + GExhausted));
            // Only a scheme with a guarantor can become insolvent (without one the column is always 0), so only such a
            // scheme has the figure: comparisons, sensitivities and solves ("the largest leverageCap with P(insolvent) ≤ 1%")
            // then see it, and files without a guarantor keep their comparison.csv unchanged.
            if (guarantees[g].Guarantor is not null)
                figures.Add(new(new KeyFigure($"{n}.insolvencyProbability", FigureKind.Mean, FigureUnit.Probability, n), c + GInsolvent));
            figures.Add(new(new KeyFigure($"{n}.fiscalLeverage", FigureKind.Ratio, FigureUnit.Ratio, n), c + GGuaranteed, c + GGovernment));
        }
        KeyFigures = figures;
        GovernmentCosts = [.. guarantees.Select((g, i) => new GovernmentCostColumn(g.Name, _start[i] + GGovernment))];
    }

    /// <summary>The schemes, in file order.</summary>
    public IReadOnlyList<Guarantee> Guarantees { get; }

    /// <summary>Loss thresholds the report asks for.</summary>
    public IReadOnlyList<double> ReportExceedance { get; }

    /// <summary>Local index of the first column of scheme <paramref name="g"/>.</summary>
    public int Start(int g) => _start[g];

    /// <summary>Local index of scheme <paramref name="g"/>'s capital at the end of year 1 (years follow).</summary>
    public int CapitalStart(int g) => _capitalStart[g];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Guarantees.Select(g => g.Name)];

    /// <inheritdoc/>
    public int FactorYears => Guarantees.Select(g => g.Years).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public int ShockYears => Guarantees.Select(g => g.Years).DefaultIfEmpty(0).Max();

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
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new GuaranteesAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        // Each scheme counts once, however many risk classes its book has.
        foreach (var g in Guarantees)
            foreach (var c in g.Book.Classes)
                for (int k = 0; k < exposure.Length; k++) exposure[k] += Math.Abs(c.Loadings[k]) / g.Book.Classes.Count;
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate)
    {
        // Each scheme's loss above the largest reported threshold, else above the plain pilot's p99.
        var p = (GuaranteesResult)plain;
        var r = (GuaranteesResult)candidate;
        for (int i = 0; i < r.Guarantees.Count; i++)
            yield return r.Guarantees[i].TailEstimate(ReportExceedance.Count > 0 ? ReportExceedance.Max() : p.Guarantees[i].Loss.P99);
    }

    /// <inheritdoc />
    public bool Records => Guarantees.Count > 0;

    /// <inheritdoc />
    public string RecordedSettings => "schemes' shares, caps and budgets";

    /// <inheritdoc />
    public IInstrumentEvaluator CreateRecordingEvaluator(InstrumentBinding binding, TrialRecording recording) => new Evaluator(this, binding, recording);

    /// <inheritdoc />
    /// <remarks>The loan books are the same (a variant that differs only in replay fields keeps them), so are the draws;
    /// only the waterfall's settings differ.</remarks>
    public bool CanReplay(IInstrument variant) => variant is GuaranteesInstrument v && v.Guarantees.Count == Guarantees.Count
        && v.Guarantees.Select(g => (g.Name, g.Book.Count, g.Years)).SequenceEqual(Guarantees.Select(g => (g.Name, g.Book.Count, g.Years)));

    /// <inheritdoc />
    public IReplayer CreateReplayer(IInstrument variant, InstrumentBinding binding, TrialRecording recording) => new Replayer((GuaranteesInstrument)variant, binding, recording);

    // A scheme's columns of one trial.
    private static void Write(Span<double> row, int c, int capital, in GuaranteeTrialOutcome o, double[] capitalByYear)
    {
        row[c + GLoss] = o.Loss;
        row[c + GGuarantor] = o.Guarantor;
        row[c + GReGuarantee] = o.ReGuarantee;
        row[c + GBank] = o.Bank;
        row[c + GGovernment] = o.Government;
        row[c + GGuaranteed] = o.Guaranteed;
        row[c + GLoans] = o.Loans;
        row[c + GDefaults] = o.Defaults;
        row[c + GExhausted] = o.ExhaustedYear > 0 ? 1 : 0;
        row[c + GExhaustedYear] = o.ExhaustedYear;
        row[c + GInsolvent] = o.InsolventYear > 0 ? 1 : 0;
        row[c + GInsolventYear] = o.InsolventYear;
        row[c + GSuspended] = o.SuspendedYear > 0 ? 1 : 0;
        row[c + GSuspendedYear] = o.SuspendedYear;
        row[c + GCapital] = o.CapitalEnd;
        capitalByYear.CopyTo(row.Slice(capital, capitalByYear.Length));
    }

    // With a recording, each trial's schemes are recorded one after another (GuaranteeEvaluator.Evaluate), then stored.
    private sealed class Evaluator(GuaranteesInstrument owner, InstrumentBinding binding, TrialRecording? recording = null) : IInstrumentEvaluator
    {
        private readonly GuaranteeEvaluator[] _guarantees = owner.Guarantees.Select(g => new GuaranteeEvaluator(g, binding.Run.Economy.Copula)).ToArray();
        private readonly int[] _start = owner._start.Select(binding.Column).ToArray();
        private readonly int[] _capital = owner._capitalStart.Select(binding.Column).ToArray();

        public object CreateScratch()
        {
            if (recording is null) return _guarantees.Select(g => g.CreateScratch()).ToArray();
            var writer = recording.CreateWriter();
            return _guarantees.Select(g => g.CreateScratch(writer)).ToArray();
        }

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var scratches = (GuaranteeEvaluator.Scratch[])scratch;
            var writer = recording is null || scratches.Length == 0 ? null : scratches[0].Writer;
            writer?.Begin();
            for (int g = 0; g < _guarantees.Length; g++)
            {
                var s = scratches[g];
                var o = _guarantees[g].Evaluate(trial.Key, trial.Trial, trial.Paths, s);
                Write(row, _start[g], _capital[g], o, s.CapitalByYear);
            }
            writer?.Commit(trial.Trial);
        }
    }

    // A variant's schemes settle the base's recorded defaults; from the year a scheme's trial cannot be replayed, it is evaluated.
    private sealed class Replayer(GuaranteesInstrument variant, InstrumentBinding binding, TrialRecording recording) : IReplayer
    {
        private readonly GuaranteeEvaluator[] _guarantees = variant.Guarantees.Select(g => new GuaranteeEvaluator(g, binding.Run.Economy.Copula)).ToArray();
        private readonly int[] _start = variant._start.Select(binding.Column).ToArray();
        private readonly int[] _capital = variant._capitalStart.Select(binding.Column).ToArray();

        public object CreateScratch() => _guarantees.Select(g => g.CreateScratch(null)).ToArray();

        public void Replay(StreamKey key, long trial, TrialPaths paths, Span<double> row, object scratch)
        {
            var scratches = (GuaranteeEvaluator.Scratch[])scratch;
            var data = recording.Of(trial);
            int at = 0;
            for (int g = 0; g < _guarantees.Length; g++)
            {
                var s = scratches[g];
                GuaranteeTrialOutcome o;
                if (data.IsEmpty)
                {
                    o = _guarantees[g].Evaluate(key, trial, paths.For(trial), s);
                    GuaranteeEvaluator.ClearHits(s);
                }
                else
                {
                    o = _guarantees[g].Replay(key, trial, data, ref at, paths, s);
                }
                Write(row, _start[g], _capital[g], o, s.CapitalByYear);
            }
        }
    }
}

/// <summary>The schemes' results of a run, as a property of the run's result.</summary>
public static class GuaranteesResultAccess
{
    extension(Engine.SimulationResult result)
    {
        /// <summary>Per-scheme results in file order (empty without schemes).</summary>
        public IReadOnlyList<GuaranteeResult> Guarantees => result.Get<GuaranteesResult>()?.Guarantees ?? [];
    }
}
