using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Firms;

/// <summary>
/// Keeps what the books' statistics need: per book the bank's net loss (−net result), the reference book's, the credit
/// loss and the government's payments per leg as series in trial order, running tallies of the other amounts and
/// events, the sums of the break-even estimator, and the first trials' values for the charts.
/// </summary>
internal sealed class FirmsAccumulator : IInstrumentAccumulator
{
    private readonly FirmsInstrument _instrument;
    private readonly TrialWeighting _weighting;
    private readonly Book[] _books;

    public FirmsAccumulator(FirmsInstrument instrument, InstrumentBinding binding, AccumulationContext context)
    {
        _instrument = instrument;
        _weighting = context.Weighting;
        _books = instrument.Books.Select((b, i) => new Book(
            Enumerable.Range(0, SeriesCount).Select(_ => new TrialSeries<double>(context.Budget, context.ExpectedTrials)).ToArray(),
            binding.Column(instrument.Start(i)), binding.Column(instrument.StatisticsStart(i)), b.Holder)).ToArray();
    }

    private const int SeriesCount = 5, VLoss = 0, VReferenceLoss = 1, VCreditLoss = 2, VGovernmentCredit = 3, VGovernmentEquity = 4;

    public void Dispose()
    {
        foreach (var b in _books)
            foreach (var s in b.Values) s.Dispose();
    }

    private sealed class Book(TrialSeries<double>[] values, int start, int statistics, EquityHolder holder)
    {
        public readonly TrialSeries<double>[] Values = values;
        public readonly int Start = start, Statistics = statistics;
        public readonly EquityHolder Holder = holder;
        public Tally BankNet, Interest, Funding, Proceeds, Checks, Warrant, EquityLoss, Defaults, WriteOffs, Covered, NotCovered, Exhausted, Government;
        // Break-even: Σw·A, Σw·B, Σw²A², Σw²AB, Σw²B² with A the net gain of the book over the reference without the
        // warrant's payoff, B the warrant's payoff per unit of notional scale.
        public double SumA, SumB, SumAA, SumAB, SumBB, SumW;
        // Under randomised quasi-Monte Carlo, A and B as tallies too: the break-even's error is the spread of the
        // randomisations' own ratios.
        public Tally GainA, UnitB;
        public readonly List<PlotPoint> Plot = [];
    }

    public void Add(in RowBlock rows)
    {
        foreach (var b in _books) Add(b, rows);
    }

    private void Add(Book b, in RowBlock rows)
    {
        int c = b.Start, s = b.Statistics;
        var column = rows.Column(c + FirmsInstrument.CBankNet);
        for (int i = 0; i < column.Length; i++) column[i] = -column[i];
        b.Values[VLoss].Add(column);
        column = rows.Column(s + FirmsInstrument.SReferenceNet);
        for (int i = 0; i < column.Length; i++) column[i] = -column[i];
        b.Values[VReferenceLoss].Add(column);
        b.Values[VCreditLoss].Add(rows.Column(c + FirmsInstrument.CCreditLoss));
        b.Values[VGovernmentCredit].Add(rows.Column(s + FirmsInstrument.SGovernmentCredit));
        b.Values[VGovernmentEquity].Add(rows.Column(s + FirmsInstrument.SGovernmentEquity));
        var wt = _weighting;
        for (int i = 0; i < rows.Count; i++)
        {
            double w = rows.Weight(i);
            double net = rows[i, c + FirmsInstrument.CBankNet], warrant = rows[i, c + FirmsInstrument.CWarrant];
            wt.Add(ref b.BankNet, w, net);
            wt.Add(ref b.Interest, w, rows[i, c + FirmsInstrument.CInterest]);
            wt.Add(ref b.Funding, w, rows[i, s + FirmsInstrument.SFunding]);
            wt.Add(ref b.Proceeds, w, rows[i, c + FirmsInstrument.CProceeds]);
            wt.Add(ref b.Checks, w, rows[i, s + FirmsInstrument.SChecks]);
            wt.Add(ref b.Warrant, w, warrant);
            wt.Add(ref b.EquityLoss, w, rows[i, s + FirmsInstrument.SEquityLoss]);
            wt.Add(ref b.Defaults, w, rows[i, s + FirmsInstrument.SDefaults]);
            wt.Add(ref b.WriteOffs, w, rows[i, s + FirmsInstrument.SWriteOffs]);
            double covered = rows[i, c + FirmsInstrument.CCovered];
            wt.Add(ref b.Covered, w, covered);
            wt.Add(ref b.NotCovered, w, 1 - covered);
            wt.Add(ref b.Exhausted, w, rows[i, s + FirmsInstrument.SExhausted]);
            wt.Add(ref b.Government, w, rows[i, c + FirmsInstrument.CGovernment]);
            double reference = rows[i, s + FirmsInstrument.SReferenceNet];
            double a = net - warrant - reference, unit = rows[i, s + FirmsInstrument.SWarrantUnit], w2 = w * w;
            if (wt.Randomisations > 0)
            {
                wt.Add(ref b.GainA, w, a);
                wt.Add(ref b.UnitB, w, unit);
            }
            b.SumW += w;
            b.SumA += w * a;
            b.SumB += w * unit;
            b.SumAA += w2 * a * a;
            b.SumAB += w2 * a * unit;
            b.SumBB += w2 * unit * unit;
            if (b.Plot.Count < FirmBookResult.PlotTrials)
            {
                double proceeds = rows[i, c + FirmsInstrument.CProceeds], checks = rows[i, s + FirmsInstrument.SChecks];
                double gain = warrant + (b.Holder == EquityHolder.Bank ? proceeds - checks : 0);
                b.Plot.Add(new PlotPoint(rows[i, c + FirmsInstrument.CCreditLoss], gain, net, reference, w));
            }
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
        for (int b = 0; b < _books.Length; b++)
        {
            var (mean, error) = _weighting.MeanWithError(_books[b].BankNet);
            figures.Add(new FigurePrecision($"{_instrument.Books[b].Name}.meanBankNet", mean, error));
        }
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var books = _books.Select((b, i) => work.Add(() => Summarize(_instrument.Books[i], b))).ToArray();
        return () => new FirmsResult([.. books.Select(b => b())]);
    }

    private FirmBookResult Summarize(FirmBook book, Book b)
    {
        var wt = _weighting;
        var netLoss = wt.Summarize(b.Values[VLoss], []);
        var referenceLoss = wt.Summarize(b.Values[VReferenceLoss], []);
        var creditLoss = wt.Summarize(b.Values[VCreditLoss], []);
        var (gc, gcError, gcP99, gcP99Error) = wt.MeanAndP99(b.Values[VGovernmentCredit]);
        var (ge, geError, geP99, geP99Error) = wt.MeanAndP99(b.Values[VGovernmentEquity]);
        return new FirmBookResult(book, Result(netLoss), Result(referenceLoss), creditLoss,
            wt.Mean(b.Interest), wt.Mean(b.Funding), wt.Mean(b.Proceeds), wt.Mean(b.Checks), wt.Mean(b.Warrant), wt.Mean(b.EquityLoss),
            wt.Mean(b.Defaults), wt.Mean(b.WriteOffs), wt.Probability(b.Covered), wt.Probability(b.NotCovered),
            new LegCost(gc, gcError, gcP99, gcP99Error), new LegCost(ge, geError, geP99, geP99Error), wt.MeanWithError(b.Government),
            wt.Probability(b.Exhausted), BreakEven(book, b, wt), b.Plot);
    }

    /// <summary>The distribution of a net result from that of its negative, a net loss: quantile q of the result is −(quantile 1 − q of the loss).</summary>
    private static NetResult Result(LossSummary loss) => new(-loss.Mean, loss.Sd, -loss.P50, -loss.P90, -loss.P95, -loss.P99, -loss.P999, -loss.Es99,
        new SummaryStandardErrors(loss.StandardErrors.Mean, loss.StandardErrors.P50, loss.StandardErrors.P90, loss.StandardErrors.P95,
            loss.StandardErrors.P99, loss.StandardErrors.P999, loss.StandardErrors.Es99));

    /// <summary>
    /// The break-even scale c* = −E[A]/E[B] of the warrants' notional (the net gain over the reference is A + c·B given
    /// the draws, linear in c), with the delta-method standard error of the (self-normalised) ratio
    /// sqrt(Σ w²(A + c*·B)²)/|Σ w·B| (under randomised quasi-Monte Carlo, the spread of the randomisations' own ratios).
    /// </summary>
    private static BreakEven BreakEven(FirmBook book, Book b, TrialWeighting weighting)
    {
        double meanNotional = book.MeanNotional;
        if (b.SumB <= 0) return new BreakEven(double.NaN, double.NaN, double.NaN, meanNotional, b.SumA / b.SumW);
        double c = -b.SumA / b.SumB;
        double residual = Math.Max(0, b.SumAA + 2 * c * b.SumAB + c * c * b.SumBB);
        double error = weighting.Randomisations > 0 ? weighting.RatioError(b.GainA, b.UnitB) : Math.Sqrt(residual) / b.SumB;
        return new BreakEven(c, error, b.SumB / b.SumW, meanNotional, b.SumA / b.SumW);
    }
}
