using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.FundOfFunds;

/// <summary>
/// The funds-of-funds of a scenario as an instrument. A fund-of-funds draws nothing: in each trial it reads, through
/// the contract, each sub-fund's per-unit LP flows by simulated year (what a unit of LP interest held on the
/// government LPs' terms pays in and receives, after the sub-fund's fees, carry and concession) and gross totals, and
/// runs its own waterfall on its share of them (docs/model.md, "Funds-of-funds").
/// </summary>
public sealed class FundsOfFundsInstrument : IInstrument, IRethresholdable
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "fundOfFunds";

    /// <summary>The sub-fund outputs it reads, after the fund's name and a dot (published by the funds).</summary>
    public const string PaidInOutput = "lpPaidInByYear", ReceivedOutput = "governmentLpReceivedByYear", GrossOutput = "lifeTotals";

    /// <summary>The length of the funds' by-year outputs (every simulated year a fund can reach).</summary>
    public const int Years = 64;

    /// <summary>Per fund-of-funds columns, in order, after its name and a dot.</summary>
    public static readonly IReadOnlyList<string> ItemColumns =
    [
        "lossRatio", "breach", "paidIn", "distributed", "netMultiple", "grossMultiple", "feeDrag", "governmentLookThrough", "lookThroughLossRatio",
    ];

    /// <summary>Offsets of the per-item columns.</summary>
    public const int LossRatio = 0, Breach = 1, PaidIn = 2, Distributed = 3, NetMultiple = 4, GrossMultiple = 5, FeeDrag = 6, LookThrough = 7, LookThroughLoss = 8;

    private readonly int _governmentStart;
    private readonly int[] _concessionStart;

    /// <summary>Local index of item <paramref name="i"/>'s concessionToSocialLps column (then concessionToManager), −1 without concessionToManager.</summary>
    public int ConcessionColumn(int i) => _concessionStart[i];

    /// <summary>The instrument of <paramref name="items"/>, in file order.</summary>
    public FundsOfFundsInstrument(IReadOnlyList<FundOfFundsItem> items)
    {
        Items = [.. items.Select(f => f.Name)];
        FundsOfFunds = items;
        var columns = new List<TrialColumn>();
        foreach (var f in items)
            for (int c = 0; c < ItemColumns.Count; c++) columns.Add(new TrialColumn($"{f.Name}.{ItemColumns[c]}", Key: c <= Breach));
        _governmentStart = columns.Count;
        foreach (var f in items) columns.Add(new TrialColumn($"{f.Name}.governmentNetCost", ColumnUse.StatisticsOnly));
        // Statistics only, for items that give concessionToManager: what the government ceded at this level to the social
        // LPs and to the manager.
        _concessionStart = [.. items.Select(f =>
        {
            if (f.ConcessionToManager is null) return -1;
            columns.Add(new TrialColumn($"{f.Name}.concessionToSocialLps", ColumnUse.StatisticsOnly));
            columns.Add(new TrialColumn($"{f.Name}.concessionToManager", ColumnUse.StatisticsOnly));
            return columns.Count - 2;
        })];
        Columns = columns;
        GovernmentCosts = [.. items.Select((f, i) => new GovernmentCostColumn(f.Name, _governmentStart + i))];
        Reads = [.. items.SelectMany(f => f.Commitments).Select(c => c.Fund).Distinct()
            .SelectMany(n => new[] { $"{n}.{PaidInOutput}", $"{n}.{ReceivedOutput}", $"{n}.{GrossOutput}" })];
        KeyFigures = [.. items.SelectMany((f, i) => new KeyFigureColumns[]
        {
            new(new KeyFigure($"{f.Name}.breachProbability", FigureKind.Mean, FigureUnit.Probability, f.Name), Start(i) + Breach),
            new(new KeyFigure($"{f.Name}.p99LossRatio", FigureKind.Quantile99, FigureUnit.LossRatio, f.Name), Start(i) + LossRatio),
            new(new KeyFigure($"{f.Name}.feeDrag", FigureKind.DefinedMean, FigureUnit.Multiple, f.Name), Start(i) + FeeDrag),
        })];
    }

    /// <summary>The funds-of-funds, in file order.</summary>
    public IReadOnlyList<FundOfFundsItem> FundsOfFunds { get; }

    /// <summary>Local index of the first column of item <paramref name="i"/>.</summary>
    public static int Start(int i) => i * ItemColumns.Count;

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
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts { get; }

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new FundsOfFundsAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        // Its risk is its sub-funds' (already counted by them).
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) =>
        ((FundsOfFundsResult)candidate).Items.Select(r => r.Breach);

    /// <inheritdoc />
    public bool CanRethreshold(IInstrument variant, bool recorded) => variant is FundsOfFundsInstrument v && v.FundsOfFunds.Count == FundsOfFunds.Count;

    /// <inheritdoc />
    /// <remarks>The evaluator's own test: a fund-of-funds breaches when its loss ratio exceeds its tolerance.</remarks>
    public void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row, ReadOnlySpan<long> recorded)
    {
        var items = ((FundsOfFundsInstrument)variant).FundsOfFunds;
        for (int i = 0; i < items.Count; i++)
        {
            int c = binding.Column(Start(i));
            row[c + Breach] = row[c + LossRatio] > items[i].Tolerance + FundOfFundsItem.BreachEpsilon ? 1 : 0;
        }
    }

    /// <summary>One trial of one fund-of-funds, from its sub-funds' per-unit flows: the figures of its columns.</summary>
    /// <param name="f">The fund-of-funds.</param>
    /// <param name="paidIn">Per stake: the sub-fund's per-unit paid-in by simulated year.</param>
    /// <param name="received">Per stake: the sub-fund's per-unit distributions by simulated year.</param>
    /// <param name="gross">Per stake: the sub-fund's [invested, proceeds, first simulated year, last simulated year].</param>
    /// <param name="outputs">The trial's output buffer, which the offsets above index.</param>
    /// <param name="scratch">Buffers of <see cref="Years"/> values: contributions, proceeds, capital, government and private flows.</param>
    /// <param name="columns">Output: the item's columns, then its government net cost at index <see cref="ItemColumns"/>.Count,
    /// then what the government ceded at this level to the social LPs and to the manager.</param>
    public static void Evaluate(FundOfFundsItem f, ReadOnlySpan<int> paidIn, ReadOnlySpan<int> received, ReadOnlySpan<int> gross,
        ReadOnlySpan<double> outputs, FlowScratch scratch, Span<double> columns)
    {
        var contributions = scratch.Contributions.AsSpan();
        var proceeds = scratch.Proceeds.AsSpan();
        var capital = scratch.Capital.AsSpan();
        contributions.Clear();
        proceeds.Clear();
        capital.Clear();
        double investedThrough = 0, proceedsThrough = 0;
        int first = Years, last = -1; // its life: from its first sub-fund's first year to its last sub-fund's last year
        for (int c = 0; c < f.Commitments.Count; c++)
        {
            double share = f.Commitments[c].Share;
            var paid = outputs.Slice(paidIn[c], Years);
            var got = outputs.Slice(received[c], Years);
            for (int t = 0; t < Years; t++)
            {
                capital[t] += share * paid[t];
                proceeds[t] += share * got[t];
            }
            investedThrough += share * outputs[gross[c]];
            proceedsThrough += share * outputs[gross[c] + 1];
            first = Math.Min(first, (int)outputs[gross[c] + 2] - 1);
            last = Math.Max(last, (int)outputs[gross[c] + 3] - 1);
        }

        // The management fee of each year: on the capital paid to the sub-funds through that year less what they have
        // returned before it (never below 0).
        double paidToSubFunds = 0, returned = 0, capitalTotal = 0;
        for (int t = first; t <= last; t++)
        {
            paidToSubFunds += capital[t];
            capitalTotal += capital[t];
            contributions[t] = capital[t] + f.Management * Math.Max(0, paidToSubFunds - returned);
            returned += proceeds[t];
        }
        int life = Math.Max(0, last - first + 1);
        var totals = life == 0 ? default : LpWaterfall.Run(contributions.Slice(first, life), proceeds.Slice(first, life), f.Carry, f.Hurdle,
            f.GovernmentShare, f.Concession, scratch.Government.AsSpan(0, life), scratch.Private.AsSpan(0, life), f.ConcessionToManager ?? 0);
        double paidInTotal = totals.GovernmentPaid + totals.PrivatePaid;
        double distributed = totals.GovernmentReceived + totals.PrivateReceived;
        double lossRatio = paidInTotal > 0 ? Math.Max(0, (paidInTotal - distributed) / paidInTotal) : 0;
        double net = paidInTotal > 0 ? distributed / paidInTotal : double.NaN;
        double grossMultiple = investedThrough > 0 ? proceedsThrough / investedThrough : double.NaN;
        double received0 = 0;
        for (int t = first; t <= last; t++) received0 += proceeds[t];
        columns[LossRatio] = lossRatio;
        columns[Breach] = lossRatio > f.Tolerance + FundOfFundsItem.BreachEpsilon ? 1 : 0;
        columns[PaidIn] = paidInTotal;
        columns[Distributed] = distributed;
        columns[NetMultiple] = net;
        columns[GrossMultiple] = grossMultiple;
        columns[FeeDrag] = grossMultiple - net;
        columns[LookThrough] = f.GovernmentShare * investedThrough;
        columns[LookThroughLoss] = investedThrough > 0 ? Math.Max(0, (investedThrough - proceedsThrough) / investedThrough) : 0;
        // What the layer adds to the government's cost: its net cost at this level, less the net cost of the stakes
        // as the sub-funds count them (they count the stakes among their government LPs).
        columns[ItemColumns.Count] = totals.GovernmentPaid - totals.GovernmentReceived - (capitalTotal - received0);
        columns[ItemColumns.Count + 1] = totals.Ceded - totals.CededToManager;
        columns[ItemColumns.Count + 2] = totals.CededToManager;
    }

    /// <summary>Per-thread buffers of one fund-of-funds trial.</summary>
    public sealed class FlowScratch
    {
        internal readonly double[] Contributions = new double[Years], Proceeds = new double[Years], Capital = new double[Years],
            Government = new double[Years], Private = new double[Years], Columns = new double[ItemColumns.Count + 3];
    }

    private sealed class Evaluator : IInstrumentEvaluator
    {
        private readonly FundsOfFundsInstrument _owner;
        private readonly int[][] _paid, _received, _gross;
        private readonly int[] _start, _concession;
        private readonly int _government;

        public Evaluator(FundsOfFundsInstrument owner, InstrumentBinding binding)
        {
            _owner = owner;
            var items = owner.FundsOfFunds;
            _paid = [.. items.Select(f => f.Commitments.Select(c => binding.Read($"{c.Fund}.{PaidInOutput}")).ToArray())];
            _received = [.. items.Select(f => f.Commitments.Select(c => binding.Read($"{c.Fund}.{ReceivedOutput}")).ToArray())];
            _gross = [.. items.Select(f => f.Commitments.Select(c => binding.Read($"{c.Fund}.{GrossOutput}")).ToArray())];
            _start = [.. Enumerable.Range(0, items.Count).Select(i => binding.Column(Start(i)))];
            _government = items.Count > 0 ? binding.Column(owner._governmentStart) : -1;
            _concession = [.. owner._concessionStart.Select(c => c >= 0 ? binding.Column(c) : -1)];
        }

        public object CreateScratch() => new FlowScratch();

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var s = (FlowScratch)scratch;
            for (int i = 0; i < _start.Length; i++)
            {
                FundsOfFundsInstrument.Evaluate(_owner.FundsOfFunds[i], _paid[i], _received[i], _gross[i], trial.Outputs, s, s.Columns);
                s.Columns.AsSpan(0, ItemColumns.Count).CopyTo(row.Slice(_start[i], ItemColumns.Count));
                row[_government + i] = s.Columns[ItemColumns.Count];
                if (_concession[i] >= 0)
                {
                    row[_concession[i]] = s.Columns[ItemColumns.Count + 1];
                    row[_concession[i] + 1] = s.Columns[ItemColumns.Count + 2];
                }
            }
        }
    }
}

/// <summary>The results of one fund-of-funds.</summary>
/// <param name="FundOfFunds">The fund-of-funds.</param>
/// <param name="LossRatio">Loss-ratio distribution (on its paid-in capital, net of both layers of fees).</param>
/// <param name="Breach">Probability that the loss ratio exceeds its tolerance.</param>
/// <param name="MeanPaidIn">Mean capital its LPs paid in (CNY).</param>
/// <param name="MeanDistributed">Mean paid out to its LPs (CNY).</param>
/// <param name="NetMultiple">Mean net multiple of its LPs.</param>
/// <param name="GrossMultiple">Mean look-through gross multiple of the projects it holds through its stakes.</param>
/// <param name="FeeDrag">Mean of gross multiple − net multiple: what two layers of fees and carry take.</param>
/// <param name="GovernmentLookThrough">Mean project capital held by the government through it (CNY).</param>
/// <param name="LookThroughLossRatio">Mean loss ratio of the projects it holds through its stakes.</param>
public sealed record FundOfFundsResult(FundOfFundsItem FundOfFunds, LossSummary LossRatio, ProbabilityEstimate Breach, double MeanPaidIn,
    double MeanDistributed, double NetMultiple, double GrossMultiple, double FeeDrag, double GovernmentLookThrough, double LookThroughLossRatio)
{
    /// <summary>With concessionToManager: the mean the government ceded at this level to the social LPs and to the manager (CNY).</summary>
    public (double SocialLps, double Manager)? MeanConcession { get; init; }
}

/// <summary>The results of a scenario's funds-of-funds.</summary>
/// <param name="Items">Per fund-of-funds, in file order.</param>
public sealed record FundsOfFundsResult(IReadOnlyList<FundOfFundsResult> Items) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => FundsOfFundsInstrument.KindName;
}
