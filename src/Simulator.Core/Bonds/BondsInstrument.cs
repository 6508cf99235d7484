using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Bonds;

/// <summary>
/// The bonds of a scenario as an instrument: each bond reads its source funds' gross exit proceeds by year (the funds'
/// per-trial outputs), runs the issuer's cash account and writes its default, loss and the loss's split (trials.csv),
/// and the bondholders' excess value at a grid of coupons (statistics only, for the break-even coupon on common random
/// numbers).
/// </summary>
public sealed class BondsInstrument : IInstrument
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "bonds";

    /// <summary>Per-bond trials.csv columns, in order, after the bond's name and a dot.</summary>
    public static readonly IReadOnlyList<string> BondColumns = ["default", "defaultYear", "loss", "tool", "localGuarantor", "bondholders"];

    /// <summary>Offsets of the per-bond columns.</summary>
    public const int Default = 0, DefaultYear = 1, Loss = 2, Tool = 3, Local = 4, Bondholders = 5;

    private readonly int[] _start, _gridStart;

    /// <summary>The instrument of <paramref name="bonds"/> (file order).</summary>
    public BondsInstrument(IReadOnlyList<Bond> bonds)
    {
        Bonds = bonds;
        var columns = new List<TrialColumn>();
        _start = new int[bonds.Count];
        for (int b = 0; b < bonds.Count; b++)
        {
            _start[b] = columns.Count;
            for (int c = 0; c < BondColumns.Count; c++) columns.Add(new TrialColumn($"{bonds[b].Name}.{BondColumns[c]}", Key: c is Default or Loss));
        }
        _gridStart = new int[bonds.Count];
        for (int b = 0; b < bonds.Count; b++)
        {
            _gridStart[b] = columns.Count;
            for (int k = 0; k < Bond.CouponGrid.Count; k++) columns.Add(new TrialColumn($"{bonds[b].Name}.excessValue.c{k}", ColumnUse.StatisticsOnly));
        }
        Columns = columns;
        var figures = new List<KeyFigureColumns>();
        for (int b = 0; b < bonds.Count; b++)
        {
            string n = bonds[b].Name;
            int c = _start[b];
            figures.Add(new(new KeyFigure($"{n}.defaultProbability", FigureKind.Mean, FigureUnit.Probability, n), c + Default));
            figures.Add(new(new KeyFigure($"{n}.expectedLoss", FigureKind.Mean, FigureUnit.Money, n), c + Loss));
            figures.Add(new(new KeyFigure($"{n}.p99Loss", FigureKind.Quantile99, FigureUnit.Money, n), c + Loss));
            figures.Add(new(new KeyFigure($"{n}.toolCost", FigureKind.Mean, FigureUnit.Money, n), c + Tool));
        }
        KeyFigures = figures;
        // The central bank's tool is the government's part of a bond's loss.
        GovernmentCosts = [.. bonds.Select((bond, i) => new GovernmentCostColumn(bond.Name, _start[i] + Tool))];
        Reads = [.. bonds.SelectMany(b => b.Sources).Select(s => ProceedsByYear(s.Fund)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The name of a fund's output a bond reads (published by the funds instrument).</summary>
    public static string ProceedsByYear(string fund) => fund + ".proceedsByYear";

    /// <summary>The bonds, in file order.</summary>
    public IReadOnlyList<Bond> Bonds { get; }

    /// <summary>Local index of the first column of bond <paramref name="b"/>.</summary>
    public int Start(int b) => _start[b];

    /// <summary>Local index of bond <paramref name="b"/>'s excess value at the first coupon of <see cref="Bond.CouponGrid"/>.</summary>
    public int GridStart(int b) => _gridStart[b];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items => [.. Bonds.Select(b => b.Name)];

    /// <inheritdoc/>
    public int FactorYears => 1; // a bond reads no factor: its risk comes through its funds

    /// <inheritdoc/>
    public int ShockYears => 0;

    /// <inheritdoc />
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <inheritdoc />
    public IReadOnlyList<TrialOutput> Outputs => [];

    /// <inheritdoc />
    public IReadOnlyList<string> Reads { get; }

    /// <inheritdoc />
    public IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <inheritdoc />
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts { get; }

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new BondsAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure) { } // through the funds it reads

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) =>
        ((BondsResult)candidate).Bonds.Select(b => b.Default);

    private sealed class Evaluator : IInstrumentEvaluator
    {
        private readonly BondsInstrument _owner;
        private readonly int[] _start, _grid, _years;
        private readonly (int Offset, int Length, double Share)[][] _sources;

        public Evaluator(BondsInstrument owner, InstrumentBinding binding)
        {
            _owner = owner;
            _start = owner._start.Select(binding.Column).ToArray();
            _grid = owner._gridStart.Select(binding.Column).ToArray();
            _sources = owner.Bonds.Select(b => b.Sources.Select(s =>
            {
                string name = ProceedsByYear(s.Fund);
                return (binding.Read(name), binding.ReadLength(name), s.Share);
            }).ToArray()).ToArray();
            // The issuer's inflows run to the last fund year or the maturity, whichever is later: the recovery window.
            _years = owner.Bonds.Select((b, i) => Math.Max(b.MaturityYear, _sources[i].Select(s => s.Length).DefaultIfEmpty(0).Max())).ToArray();
        }

        public object CreateScratch() => _years.Select(y => new double[y]).ToArray();

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var inflows = (double[][])scratch;
            for (int b = 0; b < _owner.Bonds.Count; b++)
            {
                var bond = _owner.Bonds[b];
                var inflow = inflows[b];
                Array.Fill(inflow, bond.OtherIncome);
                foreach (var (offset, length, share) in _sources[b])
                {
                    var proceeds = trial.Outputs.Slice(offset, length);
                    for (int t = 0; t < length; t++) inflow[t] += share * proceeds[t];
                }
                var o = BondCashFlows.Run(bond, bond.Coupon, inflow);
                int c = _start[b];
                row[c + Default] = o.DefaultYear > 0 ? 1 : 0;
                row[c + DefaultYear] = o.DefaultYear;
                row[c + Loss] = o.Loss;
                row[c + Tool] = o.Tool;
                row[c + Local] = o.Local;
                row[c + Bondholders] = o.Bondholders;
                BondCashFlows.Grid(bond, inflow, row.Slice(_grid[b], Bond.CouponGrid.Count));
            }
        }
    }
}

/// <summary>A figure with its standard error.</summary>
/// <param name="Value">The estimate.</param>
/// <param name="StandardError">Its Monte Carlo standard error.</param>
public sealed record Estimate(double Value, double StandardError);

/// <summary>The results of one bond.</summary>
/// <param name="Bond">The bond.</param>
/// <param name="Default">P(default within the term).</param>
/// <param name="Loss">The loss (claim less recovery), CNY.</param>
/// <param name="Tool">The central bank tool's payments.</param>
/// <param name="LocalGuarantor">The local guarantor's payments.</param>
/// <param name="Bondholders">The bondholders' loss.</param>
/// <param name="DefaultInYear">P(default in year issueYear + i), i = 0..termYears − 1.</param>
/// <param name="DefaultByYear">P(default by the end of year issueYear + i).</param>
/// <param name="BreakEvenCoupon">The coupon at which the bondholders' expected discounted receipts equal the face amount
/// (NaN above the grid's last coupon; 0 when even a zero coupon pays the risk-free rate).</param>
/// <param name="ToolCostPerYuan">The tool's expected payments per yuan of face amount.</param>
/// <param name="ExcessValue">The bondholders' mean excess value per yuan at each coupon of <see cref="Bond.CouponGrid"/>.</param>
public sealed record BondResult(
    Bond Bond, ProbabilityEstimate Default, LossSummary Loss, LossSummary Tool, LossSummary LocalGuarantor, LossSummary Bondholders,
    IReadOnlyList<ProbabilityEstimate> DefaultInYear, IReadOnlyList<ProbabilityEstimate> DefaultByYear,
    Estimate BreakEvenCoupon, Estimate ToolCostPerYuan, IReadOnlyList<Estimate> ExcessValue);

/// <summary>The results of a scenario's bonds.</summary>
/// <param name="Bonds">Per bond, in file order.</param>
public sealed record BondsResult(IReadOnlyList<BondResult> Bonds) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => BondsInstrument.KindName;
}

/// <summary>The bonds' results of a run, as a property of the run's result.</summary>
public static class BondsResultAccess
{
    extension(Engine.SimulationResult result)
    {
        /// <summary>Per-bond results in file order (empty without bonds).</summary>
        public IReadOnlyList<BondResult> Bonds => result.Get<BondsResult>()?.Bonds ?? [];
    }
}
