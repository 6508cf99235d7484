using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Firms;

/// <summary>
/// The books of firms of a scenario as an instrument: per book the credit loss, interest, equity proceeds, warrant
/// payoff, the bank's net result, the government's compensation and whether equity gains covered the credit losses
/// (trials.csv), and the parts the statistics need besides (funding, checks, per-leg compensation, the reference book
/// without equity, the break-even's terms).
/// </summary>
public sealed class FirmsInstrument : IInstrument
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "firms";

    /// <summary>Per-book trials.csv columns (the names), then statistics-only columns.</summary>
    public static readonly IReadOnlyList<string> CsvColumns = ["creditLoss", "interest", "equityProceeds", "warrantPayoff", "bankNet", "government", "covered"];

    /// <summary>Per-book statistics-only columns.</summary>
    public static readonly IReadOnlyList<string> StatisticsColumns =
        ["funding", "checks", "equityLoss", "governmentCredit", "governmentEquity", "exhausted", "referenceNet", "warrantUnit", "defaults", "writeOffs", "breakEvenGain"];

    /// <summary>Offsets of the trials.csv columns of a book.</summary>
    public const int CCreditLoss = 0, CInterest = 1, CProceeds = 2, CWarrant = 3, CBankNet = 4, CGovernment = 5, CCovered = 6;

    /// <summary>Offsets of the statistics-only columns of a book.</summary>
    public const int SFunding = 0, SChecks = 1, SEquityLoss = 2, SGovernmentCredit = 3, SGovernmentEquity = 4, SExhausted = 5,
        SReferenceNet = 6, SWarrantUnit = 7, SDefaults = 8, SWriteOffs = 9, SBreakEvenGain = 10;

    private readonly int[] _start, _statisticsStart;

    /// <summary>The instrument of <paramref name="books"/> (file order) in an economy with <paramref name="factors"/>.</summary>
    public FirmsInstrument(IReadOnlyList<FirmBook> books, IReadOnlyList<Factor> factors)
    {
        Books = books;
        Factors = factors;
        var columns = new List<TrialColumn>();
        _start = new int[books.Count];
        for (int b = 0; b < books.Count; b++)
        {
            _start[b] = columns.Count;
            columns.AddRange(CsvColumns.Select(c => new TrialColumn($"{books[b].Name}.{c}", Key: true)));
        }
        _statisticsStart = new int[books.Count];
        for (int b = 0; b < books.Count; b++)
        {
            _statisticsStart[b] = columns.Count;
            columns.AddRange(StatisticsColumns.Select(c => new TrialColumn($"{books[b].Name}.{c}", ColumnUse.StatisticsOnly)));
        }
        Columns = columns;
        var figures = new List<KeyFigureColumns>();
        for (int b = 0; b < books.Count; b++)
        {
            string n = books[b].Name;
            int c = _start[b];
            figures.Add(new(new KeyFigure($"{n}.meanBankNet", FigureKind.Mean, FigureUnit.Money, n), c + CBankNet));
            figures.Add(new(new KeyFigure($"{n}.meanCreditLoss", FigureKind.Mean, FigureUnit.Money, n), c + CCreditLoss));
            figures.Add(new(new KeyFigure($"{n}.coveredProbability", FigureKind.Mean, FigureUnit.Probability, n), c + CCovered));
            figures.Add(new(new KeyFigure($"{n}.governmentCost", FigureKind.Mean, FigureUnit.Money, n), c + CGovernment));
            figures.Add(new(new KeyFigure($"{n}.budgetExhaustedProbability", FigureKind.Mean, FigureUnit.Probability, n), _statisticsStart[b] + SExhausted));
            // The break-even notional is −E[A]·N̄ / E[B] (FirmsAccumulator): a ratio of two columns' means, so variants
            // compare it with a paired standard error like any ratio.
            figures.Add(new(new KeyFigure($"{n}.breakEvenNotional", FigureKind.Ratio, FigureUnit.Money, n), _statisticsStart[b] + SBreakEvenGain, _statisticsStart[b] + SWarrantUnit));
        }
        KeyFigures = figures;
        GovernmentCosts = [.. books.Select((f, i) => new GovernmentCostColumn(f.Name, _start[i] + CGovernment))];
    }

    /// <summary>The books, in file order.</summary>
    public IReadOnlyList<FirmBook> Books { get; }

    /// <summary>The economy's factors.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>Local index of book <paramref name="b"/>'s first trials.csv column.</summary>
    public int Start(int b) => _start[b];

    /// <summary>Local index of book <paramref name="b"/>'s first statistics-only column.</summary>
    public int StatisticsStart(int b) => _statisticsStart[b];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Books.Select(b => b.Name)];

    /// <inheritdoc/>
    public int FactorYears => Books.Select(b => b.LastFactorYear).DefaultIfEmpty(1).Max();

    /// <inheritdoc/>
    public int ShockYears => Books.Select(b => b.LastFactorYear).DefaultIfEmpty(0).Max();

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
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new FirmsAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        // Each book counts once: the mean loading of its firms.
        foreach (var b in Books)
        {
            if (b.Firms.Count == 0) continue;
            for (int k = 0; k < exposure.Length; k++) exposure[k] += b.Firms.Sum(f => k < f.Loadings.Count ? Math.Abs(f.Loadings[k]) : 0) / b.Firms.Count;
        }
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate)
    {
        // The events the books' headline probabilities are about: credit losses left uncovered, the budget running out.
        foreach (var r in ((FirmsResult)candidate).Books)
        {
            yield return r.NotCovered;
            yield return r.BudgetExhausted;
        }
    }

    private sealed class Evaluator(FirmsInstrument owner, InstrumentBinding binding) : IInstrumentEvaluator
    {
        private readonly FirmEvaluator[] _books = owner.Books.Select(b => new FirmEvaluator(b, owner.Factors, binding.Run.Economy.Copula)).ToArray();
        private readonly int[] _start = owner._start.Select(binding.Column).ToArray();
        private readonly int[] _statistics = owner._statisticsStart.Select(binding.Column).ToArray();
        private readonly double[] _meanNotional = owner.Books.Select(b => b.MeanNotional).ToArray();

        public object CreateScratch() => _books.Select(b => b.CreateScratch()).ToArray();

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var scratches = (FirmEvaluator.Scratch[])scratch;
            for (int b = 0; b < _books.Length; b++)
            {
                var o = _books[b].Evaluate(trial.Key, trial.Trial, trial.Paths, scratches[b]);
                int c = _start[b], s = _statistics[b];
                row[c + CCreditLoss] = o.CreditLoss;
                row[c + CInterest] = o.Interest;
                row[c + CProceeds] = o.EquityProceeds;
                row[c + CWarrant] = o.WarrantPayoff;
                row[c + CBankNet] = o.BankNet;
                row[c + CGovernment] = o.GovernmentCredit + o.GovernmentEquity;
                row[c + CCovered] = o.BankEquityGain(_books[b].Book.Holder) >= o.CreditLoss ? 1 : 0;
                row[s + SFunding] = o.Funding;
                row[s + SChecks] = o.Checks;
                row[s + SEquityLoss] = o.EquityLoss;
                row[s + SGovernmentCredit] = o.GovernmentCredit;
                row[s + SGovernmentEquity] = o.GovernmentEquity;
                row[s + SExhausted] = o.Exhausted ? 1 : 0;
                row[s + SReferenceNet] = o.ReferenceNet;
                row[s + SWarrantUnit] = o.WarrantUnit;
                row[s + SDefaults] = o.Defaults;
                row[s + SWriteOffs] = o.WriteOffs;
                row[s + SBreakEvenGain] = -(o.BankNet - o.WarrantPayoff - o.ReferenceNet) * _meanNotional[b];
            }
        }
    }
}

/// <summary>The books' results of a run, as a property of the run's result.</summary>
public static class FirmsResultAccess
{
    extension(Engine.SimulationResult result)
    {
        /// <summary>Per-book results in file order (empty without books).</summary>
        public IReadOnlyList<FirmBookResult> Firms => result.Get<FirmsResult>()?.Books ?? [];
    }
}
