using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Relay;

/// <summary>
/// The relay buyers of a scenario as an instrument. In each trial a relay reads its sellers' and its relay fund's
/// <c>projects</c> outputs (published by the funds), draws each seller project's interim signal from its own stream,
/// offers the projects still held <see cref="RelayItem.AfterYears"/> after their investment whose mark reaches the
/// threshold, buys them best mark first within each year's budget, and books the deals: the seller gets the price at
/// the offer date instead of the project's outcome, the relay tranche pays the price and gets the outcome. The sellers'
/// figures with and without relay come from the same trial (docs/model.md, "Relay buyer").
/// </summary>
public sealed class RelayInstrument : IInstrument, IRethresholdable
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "relay";

    /// <summary>The funds' per-project output it reads, after the fund's name and a dot.</summary>
    public const string ProjectsOutput = "projects";

    /// <summary>The layout of a fund's <c>projects</c> output (as the funds publish it): a header of this many values
    /// [tolerance, type code, startYear, lifeYears, deals], then per project [investment year, check, U, exit year, multiple].
    /// The relay reads no tolerance there: it takes its funds' tolerances from the scenario (<see cref="RelaySeller.Tolerance"/>),
    /// so a variant whose funds are rethresholded (their outputs the base's) judges the relay under the variant's.</summary>
    public const int Header = 5, Stride = 5;

    /// <summary>Simulated years a budget or a flow can fall in (as the funds' by-year outputs).</summary>
    public const int Years = 64;

    /// <summary>Per-relay columns, in order, after the relay's name and a dot.</summary>
    public static readonly IReadOnlyList<string> ItemColumns =
    [
        "tranche.lossRatio", "tranche.breach", "tranche.cost", "tranche.proceeds", "deals", "budget", "spent", "budgetBinds", "unmetDemand", "lossMoved",
    ];

    /// <summary>Offsets of the per-relay columns.</summary>
    public const int LossRatio = 0, Breach = 1, Cost = 2, Proceeds = 3, Deals = 4, Budget = 5, Spent = 6, Binds = 7, Unmet = 8, LossMoved = 9;

    /// <summary>Per-seller columns of a relay, after "relay.seller." .</summary>
    public static readonly IReadOnlyList<string> SellerColumns =
    [
        "lossRatio", "lossRatioWithRelay", "breach", "breachWithRelay", "irr", "irrWithRelay", "sold",
    ];

    /// <summary>Offsets of the per-seller columns.</summary>
    public const int SellerLoss = 0, SellerLossWith = 1, SellerBreach = 2, SellerBreachWith = 3, SellerIrr = 4, SellerIrrWith = 5, SellerSold = 6;

    /// <summary>Columns of a relay's relay fund (a fund of the scenario only), after "relay.fund." and its sellers': its
    /// own book with and without the relay deals added to its invested capital and proceeds.</summary>
    public static readonly IReadOnlyList<string> FundColumns = ["lossRatio", "lossRatioWithRelay", "breach", "breachWithRelay"];

    /// <summary>Offsets of the relay fund's columns.</summary>
    public const int FundLoss = 0, FundLossWith = 1, FundBreach = 2, FundBreachWith = 3;

    private readonly int[] _start, _kept;

    /// <summary>The instrument of <paramref name="items"/>, in file order.</summary>
    public RelayInstrument(IReadOnlyList<RelayItem> items)
    {
        Relays = items;
        Items = [.. items.Select(r => r.Name)];
        var columns = new List<TrialColumn>();
        _start = new int[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var r = items[i];
            _start[i] = columns.Count;
            for (int c = 0; c < ItemColumns.Count; c++) columns.Add(new TrialColumn($"{r.Name}.{ItemColumns[c]}", Key: c <= Breach));
            foreach (var s in r.Sellers)
                for (int c = 0; c < SellerColumns.Count; c++)
                    columns.Add(new TrialColumn($"{r.Name}.{s.Fund}.{SellerColumns[c]}", SinglePrecision: c is SellerIrr or SellerIrrWith));
            // The relay fund is never a seller (a venture or industry fund), so its names cannot clash with theirs.
            if (r.Fund is { } fund)
                foreach (var c in FundColumns) columns.Add(new TrialColumn($"{r.Name}.{fund}.{c}"));
        }
        // What the tolerances weigh, kept in the row (not in trials.csv; after every trials.csv column, as the layout puts
        // them) so that a tolerance move rewrites the breaches from the row alone: each seller's prices received, and the
        // relay fund's own invested capital.
        _kept = new int[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var r = items[i];
            _kept[i] = columns.Count;
            foreach (var s in r.Sellers) columns.Add(new TrialColumn($"{r.Name}.{s.Fund}.paidByRelay", ColumnUse.StatisticsOnly));
            if (r.Fund is { } relayFund) columns.Add(new TrialColumn($"{r.Name}.{relayFund}.investedWithoutRelay", ColumnUse.StatisticsOnly));
        }
        Columns = columns;
        Reads = [.. items.SelectMany(r => r.Sellers.Select(s => s.Fund).Concat(r.Fund is { } f ? [f] : [])).Distinct().Select(n => $"{n}.{ProjectsOutput}")];
        KeyFigures = [.. items.SelectMany((r, i) => new KeyFigureColumns[]
        {
            new(new KeyFigure($"{r.Name}.tranche.breachProbability", FigureKind.Mean, FigureUnit.Probability, r.Name), _start[i] + Breach),
            new(new KeyFigure($"{r.Name}.tranche.p99LossRatio", FigureKind.Quantile99, FigureUnit.LossRatio, r.Name), _start[i] + LossRatio),
            new(new KeyFigure($"{r.Name}.budgetBindsProbability", FigureKind.Mean, FigureUnit.Probability, r.Name), _start[i] + Binds),
        }).Concat(items.SelectMany((r, i) => r.Sellers.Select((s, k) =>
            new KeyFigureColumns(new KeyFigure($"{r.Name}.{s.Fund}.breachProbabilityWithRelay", FigureKind.Mean, FigureUnit.Probability, r.Name),
                SellerStart(i, k) + SellerBreachWith))))];
    }

    /// <summary>The relays, in file order.</summary>
    public IReadOnlyList<RelayItem> Relays { get; }

    /// <summary>Local index of the first column of relay <paramref name="i"/>.</summary>
    public int Start(int i) => _start[i];

    /// <summary>Local index of the first column of seller <paramref name="k"/> of relay <paramref name="i"/>.</summary>
    public int SellerStart(int i, int k) => _start[i] + ItemColumns.Count + k * SellerColumns.Count;

    /// <summary>Offset of the relay fund's first column within a relay's columns (after its sellers').</summary>
    public static int FundStart(RelayItem r) => ItemColumns.Count + r.Sellers.Count * SellerColumns.Count;

    /// <summary>Number of trials.csv columns of relay <paramref name="r"/>.</summary>
    public static int Width(RelayItem r) => FundStart(r) + (r.Fund is null ? 0 : FundColumns.Count);

    /// <summary>Number of statistics-only columns of relay <paramref name="r"/>, what its tolerances weigh: per seller the
    /// prices it received, then (with a relay fund) the fund's own invested capital.</summary>
    public static int KeptWidth(RelayItem r) => r.Sellers.Count + (r.Fund is null ? 0 : 1);

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items { get; }

    /// <inheritdoc />
    public int FactorYears => 1;

    /// <inheritdoc />
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
    /// <remarks>None: a relay moves money between two government-backed vehicles whose costs the funds count.</remarks>
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts => [];

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new RelayAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        // Its risk is its sellers' projects' (already counted by the funds).
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) =>
        ((RelayResult)candidate).Items.Select(r => r.TrancheBreach);

    /// <summary>One relay's view of one trial: where its inputs sit in the output buffer.</summary>
    /// <param name="Sellers">Per seller: the offset of its <c>projects</c> output and its number of projects.</param>
    /// <param name="Fund">The offset of the relay fund's <c>projects</c> output (−1 for a vehicle of its own).</param>
    /// <param name="StreamHashes">Per seller: the hash of the relay's stream for that seller's projects' signals.</param>
    public sealed record Inputs(IReadOnlyList<(int Offset, int Deals)> Sellers, int Fund, IReadOnlyList<ulong> StreamHashes);

    /// <summary>Per-thread buffers of one relay.</summary>
    public sealed class Scratch
    {
        /// <summary>Buffers for relays whose sellers have <paramref name="projects"/> projects in all and at most <paramref name="sellers"/> sellers.</summary>
        public Scratch(int projects, int sellers)
        {
            Key = new double[projects];
            Offer = new int[projects];
            Price = new double[projects];
            Sold = new bool[projects];
            Budget = new double[Years];
            Without = new double[Years];
            With = new double[Years];
            Columns = new double[ItemColumns.Count + sellers * SellerColumns.Count + FundColumns.Count];
            Kept = new double[sellers + 1];
        }

        internal readonly double[] Key, Price, Budget, Without, With, Columns, Kept;
        internal readonly int[] Offer;
        internal readonly bool[] Sold;
    }

    /// <summary>
    /// One trial of relay <paramref name="r"/>: its columns, then each seller's, into <see cref="Scratch"/>'s columns.
    /// </summary>
    public static void Evaluate(RelayItem r, Inputs inputs, StreamKey key, long trial, ReadOnlySpan<double> outputs, Scratch s)
    {
        var budget = s.Budget.AsSpan();
        budget.Clear();
        double fundInvested = 0, fundGross = 0;
        if (inputs.Fund >= 0)
        {
            int deals = (int)outputs[inputs.Fund + 4];
            for (int k = 0, o = inputs.Fund + Header; k < deals; k++, o += Stride)
            {
                budget[(int)outputs[o] - 1] += r.BudgetShare * outputs[o + 1];
                fundInvested += outputs[o + 1];
                fundGross += outputs[o + 1] * outputs[o + 4];
            }
        }
        else
        {
            for (int t = 0; t < Years; t++) budget[t] = r.BudgetShare * r.Vehicle!.NewInvestment(t + 1);
        }

        // Offers: every seller project still held at its offer date with a mark at least the threshold. The sort key puts
        // the offers of a year together, best mark first: year + 0.5/(1 + mark).
        double a = Math.Sqrt(r.Information), b = Math.Sqrt(1 - r.Information);
        int offers = 0;
        for (int sIndex = 0, global = 0; sIndex < inputs.Sellers.Count; sIndex++)
        {
            var (offset, deals) = inputs.Sellers[sIndex];
            var signal = new CounterUniforms(key.Derive(trial, inputs.StreamHashes[sIndex]));
            int last = (int)outputs[offset + 2] - 1 + (int)outputs[offset + 3];
            for (int k = 0, o = offset + Header; k < deals; k++, o += Stride, global++)
            {
                s.Sold[global] = false;
                int offerYear = (int)outputs[o] + r.AfterYears;
                if (offerYear > last || outputs[o + 3] <= offerYear) continue; // exited by then, or past the fund's life
                double x = NormalMath.InvCdf(Math.Clamp(outputs[o + 2], 1e-300, CounterUniforms.BelowOne));
                double x1 = Signal(x, NormalMath.InvCdf(signal.At((ulong)k)), a, b);
                double mark = r.Sellers[sIndex].Marks.Mark(x1);
                if (mark < r.MinMark) continue;
                s.Key[offers] = offerYear + 0.5 / (1 + mark);
                s.Offer[offers] = global;
                s.Price[global] = r.Price(outputs[o + 1], mark);
                offers++;
            }
        }
        s.Key.AsSpan(0, offers).Sort(s.Offer.AsSpan(0, offers));

        // Each year's budget, best marks first; an offer that does not fit in what is left is unmet demand.
        double totalBudget = 0, spent = 0, unmet = 0;
        bool binds = false;
        for (int t = 0; t < Years; t++) totalBudget += budget[t];
        for (int i = 0; i < offers; i++)
        {
            int year = (int)s.Key[i] - 1, global = s.Offer[i];
            double price = s.Price[global];
            if (price <= budget[year])
            {
                budget[year] -= price;
                spent += price;
                s.Sold[global] = true;
            }
            else
            {
                unmet += price;
                binds = true;
            }
        }

        // The books: the tranche, and each seller with and without the deals.
        var columns = s.Columns.AsSpan();
        double cost = 0, proceeds = 0, moved = 0;
        int bought = 0;
        for (int sIndex = 0, global = 0; sIndex < inputs.Sellers.Count; sIndex++)
        {
            var (offset, deals) = inputs.Sellers[sIndex];
            int first = (int)outputs[offset + 2] - 1, life = (int)outputs[offset + 3];
            var without = s.Without.AsSpan(first, life);
            var with = s.With.AsSpan(first, life);
            without.Clear();
            with.Clear();
            double invested = 0, gross = 0, grossWith = 0, paid = 0;
            int sold = 0;
            for (int k = 0, o = offset + Header; k < deals; k++, o += Stride, global++)
            {
                double check = outputs[o + 1], outcome = check * outputs[o + 4];
                int year = (int)outputs[o] - 1 - first, exit = (int)outputs[o + 3] - 1 - first;
                invested += check;
                gross += outcome;
                without[year] -= check;
                with[year] -= check;
                without[exit] += outcome;
                if (s.Sold[global])
                {
                    double price = s.Price[global];
                    with[year + r.AfterYears] += price;
                    grossWith += price;
                    cost += price;
                    proceeds += outcome;
                    paid += price;
                    moved += price - outcome;
                    sold++;
                }
                else
                {
                    with[exit] += outcome;
                    grossWith += outcome;
                }
            }
            bought += sold;
            double lossWithout = invested > 0 ? Math.Max(0, (invested - gross) / invested) : 0;
            double lossWith = invested > 0 ? Math.Max(0, (invested - grossWith) / invested) : 0;
            var c = columns.Slice(ItemColumns.Count + sIndex * SellerColumns.Count, SellerColumns.Count);
            c[SellerLoss] = lossWithout;
            c[SellerLossWith] = lossWith;
            c[SellerIrr] = Irr.ForInvestment(without);
            c[SellerIrrWith] = sold == 0 ? c[SellerIrr] : Irr.ForInvestment(with);
            c[SellerSold] = sold;
            s.Kept[sIndex] = paid;
        }
        columns[LossRatio] = cost > 0 ? Math.Max(0, (cost - proceeds) / cost) : 0;
        columns[Cost] = cost;
        columns[Proceeds] = proceeds;
        columns[Deals] = bought;
        columns[Budget] = totalBudget;
        columns[Spent] = spent;
        columns[Binds] = binds ? 1 : 0;
        columns[Unmet] = unmet;
        columns[LossMoved] = moved;

        // The relay fund's own book with its relay deals added: it pays the prices and gets the outcomes.
        if (inputs.Fund >= 0)
        {
            double investedWith = fundInvested + cost;
            var f = columns.Slice(FundStart(r), FundColumns.Count);
            f[FundLoss] = fundInvested > 0 ? Math.Max(0, (fundInvested - fundGross) / fundInvested) : 0;
            f[FundLossWith] = investedWith > 0 ? Math.Max(0, (investedWith - fundGross - proceeds) / investedWith) : 0;
            s.Kept[r.Sellers.Count] = fundInvested;
        }
        Judge(r, columns, s.Kept);
    }

    /// <summary>
    /// The breaches of relay <paramref name="r"/> from its columns (<paramref name="columns"/>, <see cref="Width"/> long: the
    /// loss ratios, the tranche's cost) and its statistics-only ones (<paramref name="kept"/>, <see cref="KeptWidth"/> long:
    /// the prices each seller received, the relay fund's invested capital), judged under <paramref name="r"/>'s tolerances. The evaluator's last step and the whole of a tolerance move's rewrite
    /// (<see cref="Rethreshold"/>), so both write the same bits.
    /// </summary>
    public static void Judge(RelayItem r, Span<double> columns, ReadOnlySpan<double> kept)
    {
        // The tranche's tolerance, unless its own: the sellers' weighted by the prices paid, summed seller by seller (a
        // seller's tolerance is one value, so Σ price × tolerance is its prices' sum times it).
        double toleranceWeighted = 0;
        for (int sIndex = 0; sIndex < r.Sellers.Count; sIndex++)
        {
            double tolerance = r.Sellers[sIndex].Tolerance;
            var c = columns.Slice(ItemColumns.Count + sIndex * SellerColumns.Count, SellerColumns.Count);
            c[SellerBreach] = c[SellerLoss] > tolerance + RelayItem.BreachEpsilon ? 1 : 0;
            c[SellerBreachWith] = c[SellerLossWith] > tolerance + RelayItem.BreachEpsilon ? 1 : 0;
            toleranceWeighted += kept[sIndex] * tolerance;
        }
        double cost = columns[Cost];
        double trancheTolerance = r.Tolerance ?? (cost > 0 ? toleranceWeighted / cost : 0);
        columns[Breach] = cost > 0 && columns[LossRatio] > trancheTolerance + RelayItem.BreachEpsilon ? 1 : 0;
        if (r.Fund is null) return;

        // The relay fund, judged as the policy says: its own projects under its own tolerance and the relay deals under the
        // tranche's (seed/angel): the loss allowed is the sum of the two parts' allowances, i.e. the tolerance weighted by capital.
        double fundTolerance = r.FundTolerance, fundInvested = kept[r.Sellers.Count];
        double investedWith = fundInvested + cost;
        double toleranceWith = investedWith > 0 ? (fundTolerance * fundInvested + trancheTolerance * cost) / investedWith : fundTolerance;
        var f = columns.Slice(FundStart(r), FundColumns.Count);
        f[FundBreach] = f[FundLoss] > fundTolerance + RelayItem.BreachEpsilon ? 1 : 0;
        f[FundBreachWith] = cost > 0 ? (f[FundLossWith] > toleranceWith + RelayItem.BreachEpsilon ? 1 : 0) : f[FundBreach];
    }

    /// <inheritdoc />
    /// <remarks>Every tolerance-judged column is a function of kept columns (<see cref="Judge"/>); the variant differs
    /// from the base in tolerances only (Reuse compares the rest).</remarks>
    public bool CanRethreshold(IInstrument variant, bool recorded) => variant is RelayInstrument v && v.Relays.Count == Relays.Count
        && v.Relays.Zip(Relays).All(p => p.First.Name == p.Second.Name && p.First.Fund == p.Second.Fund
            && p.First.Sellers.Select(s => s.Fund).SequenceEqual(p.Second.Sellers.Select(s => s.Fund), StringComparer.Ordinal));

    /// <inheritdoc />
    public void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row, ReadOnlySpan<long> recorded)
    {
        var relays = ((RelayInstrument)variant).Relays;
        for (int i = 0; i < relays.Count; i++)
            Judge(relays[i], row.Slice(binding.Column(_start[i]), Width(relays[i])), row.Slice(binding.Column(_kept[i]), KeptWidth(relays[i])));
    }

    /// <summary>
    /// The interim signal X₁ = √ρ·X + √(1 − ρ)·W of a project with latent draw X (the fund's own) and an independent
    /// standard normal W (the relay's stream): standard normal, with corr(X₁, X) = √ρ, so that X = √ρ·X₁ + √(1 − ρ)·W'
    /// with W' independent of X₁ and the project's outcome keeps its law.
    /// </summary>
    public static double Signal(double x, double w, double rho) => Signal(x, w, Math.Sqrt(rho), Math.Sqrt(1 - rho));

    private static double Signal(double x, double w, double a, double b) => a * x + b * w;

    private sealed class Evaluator : IInstrumentEvaluator
    {
        private readonly RelayInstrument _owner;
        private readonly Inputs[] _inputs;
        private readonly int[] _start, _width, _kept, _keptWidth;

        public Evaluator(RelayInstrument owner, InstrumentBinding binding)
        {
            _owner = owner;
            _inputs = [.. owner.Relays.Select(r => new Inputs(
                [.. r.Sellers.Select(s => ProjectsOf(binding, s.Fund))],
                r.Fund is { } f ? binding.Read($"{f}.{ProjectsOutput}") : -1,
                [.. r.Sellers.Select(s => StreamKey.Hash(KindName, $"{r.Name}/{s.Fund}"))]))];
            _start = [.. owner._start.Select(binding.Column)];
            _width = [.. owner.Relays.Select(Width)];
            _kept = [.. owner._kept.Select(binding.Column)];
            _keptWidth = [.. owner.Relays.Select(KeptWidth)];
        }

        private static (int Offset, int Deals) ProjectsOf(InstrumentBinding binding, string fund)
        {
            string name = $"{fund}.{ProjectsOutput}";
            return (binding.Read(name), (binding.ReadLength(name) - Header) / Stride);
        }

        public object CreateScratch() => _owner.Relays.Count == 0 ? new Scratch(0, 0) : new Scratch(
            _inputs.Max(i => i.Sellers.Sum(s => s.Deals)), _owner.Relays.Max(r => r.Sellers.Count));

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var s = (Scratch)scratch;
            for (int i = 0; i < _start.Length; i++)
            {
                RelayInstrument.Evaluate(_owner.Relays[i], _inputs[i], trial.Key, trial.Trial, trial.Outputs, s);
                s.Columns.AsSpan(0, _width[i]).CopyTo(row.Slice(_start[i], _width[i]));
                s.Kept.AsSpan(0, _keptWidth[i]).CopyTo(row.Slice(_kept[i], _keptWidth[i]));
            }
        }
    }
}
