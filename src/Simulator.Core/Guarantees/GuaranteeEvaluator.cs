using Simulator.Core.Economy;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Guarantees;

/// <summary>What one trial gives for one scheme.</summary>
public struct GuaranteeTrialOutcome
{
    /// <summary>Total credit loss.</summary>
    public double Loss;
    /// <summary>Paid by the guarantor.</summary>
    public double Guarantor;
    /// <summary>Paid by the re-guarantee layer.</summary>
    public double ReGuarantee;
    /// <summary>Paid by the bank.</summary>
    public double Bank;
    /// <summary>Paid by the government pool.</summary>
    public double Government;
    /// <summary>Cumulative guaranteed amount.</summary>
    public double Guaranteed;
    /// <summary>Loans issued.</summary>
    public int Loans;
    /// <summary>Loans defaulted.</summary>
    public int Defaults;
    /// <summary>Year the pool was first exhausted (0: never).</summary>
    public int ExhaustedYear;
    /// <summary>Year the guarantor became insolvent (0: never).</summary>
    public int InsolventYear;
    /// <summary>Year new loans were suspended (0: never).</summary>
    public int SuspendedYear;
    /// <summary>Guarantor capital at the end (NaN when there is no guarantor).</summary>
    public double CapitalEnd;
}

/// <summary>
/// Simulates one scheme over its years in one trial. Defaults use conditional independence: given the year's
/// factor levels, a loan of risk class c defaults when its uniform is below
/// Φ((Φ⁻¹(pd_c) − Σ b_k Z_k,t) / sqrt(1 − Σ b_k²)), which makes its marginal annual PD exactly pd_c; the
/// threshold is computed once per class and year, not per loan.
/// </summary>
public sealed class GuaranteeEvaluator
{
    private const int PurposeAmount = 0, PurposeDefault = 1, PurposeLgd = 2;
    private readonly Guarantee _guarantee;
    private readonly ulong _streamHash;
    private readonly double[] _classPdQuantile, _classScale;
    private readonly int[] _tapeFirstOfYear; // tape: first row index of each start year (rows are sorted by start year)

    /// <summary>Prepares the constants of a scheme.</summary>
    public GuaranteeEvaluator(Guarantee guarantee)
    {
        _guarantee = guarantee;
        _streamHash = StreamKey.Hash("guarantee", guarantee.Name);
        var classes = guarantee.Book.Classes;
        _classPdQuantile = classes.Select(c => c.Pd <= 0 ? double.NegativeInfinity : c.Pd >= 1 ? double.PositiveInfinity : NormalMath.InvCdf(c.Pd)).ToArray();
        _classScale = classes.Select(c => 1 / Math.Sqrt(1 - c.SystematicVariance)).ToArray();
        _tapeFirstOfYear = [];
        if (guarantee.Book is TapeBook tape)
        {
            // [y] = first row whose start year is ≥ y, so year t's new loans are rows [t] .. [t + 1] − 1.
            _tapeFirstOfYear = new int[guarantee.Years + 2];
            for (int y = 1; y <= guarantee.Years + 1; y++)
            {
                int i = _tapeFirstOfYear[y - 1];
                while (i < tape.Count && tape.StartYear[i] < y) i++;
                _tapeFirstOfYear[y] = i;
            }
        }
    }

    /// <summary>The scheme.</summary>
    public Guarantee Guarantee => _guarantee;

    /// <summary>Per-thread buffers.</summary>
    public sealed class Scratch
    {
        internal Scratch(Guarantee g)
        {
            Ledger = new GuaranteeLedger(g);
            Alive = new int[g.Book.Count];
            AmountOf = new double[g.Book.Count];
            Threshold = new double[g.Book.Classes.Count];
            CapitalByYear = new double[g.Years];
        }

        internal GuaranteeLedger Ledger { get; }
        internal int[] Alive { get; }
        internal double[] AmountOf { get; }
        internal double[] Threshold { get; }

        /// <summary>Guarantor capital at the end of each year 1..Years of the last evaluated trial.</summary>
        public double[] CapitalByYear { get; }
    }

    /// <summary>New per-thread buffers.</summary>
    public Scratch CreateScratch() => new(_guarantee);

    /// <summary>Evaluates trial <paramref name="trial"/>.</summary>
    public GuaranteeTrialOutcome Evaluate(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        var g = _guarantee;
        var book = g.Book;
        var generated = book as GeneratedBook;
        var tape = book as TapeBook;
        var classes = book.Classes;
        var ledger = s.Ledger;
        ledger.Reset();
        var draws = new CounterUniforms(key.Derive(trial, _streamHash));
        int alive = 0;

        for (int t = 1; t <= g.Years; t++)
        {
            ledger.Year = t;
            for (int c = 0; c < classes.Count; c++)
            {
                double systematic = 0;
                var loadings = classes[c].Loadings;
                for (int k = 0; k < loadings.Count; k++)
                {
                    if (loadings[k] != 0) systematic += loadings[k] * paths.Stressed[k * paths.Years + t - 1];
                }
                double q = _classPdQuantile[c];
                s.Threshold[c] = double.IsInfinity(q) ? (q > 0 ? 1 : 0) : NormalMath.Cdf((q - systematic) * _classScale[c]);
            }

            // 1. Issue the year's new loans, in order.
            int first, end;
            if (generated is not null)
            {
                first = t <= generated.Years ? (t - 1) * generated.PerYear : 0;
                end = t <= generated.Years ? first + generated.PerYear : 0;
            }
            else
            {
                first = _tapeFirstOfYear[t];
                end = _tapeFirstOfYear[t + 1];
            }
            for (int i = first; i < end; i++)
            {
                double amount = generated is not null
                    ? Math.Min(generated.Amount.Quantile(draws.At(CounterUniforms.LoanIndex(i, 0, PurposeAmount))), generated.MaxPerBorrower)
                    : tape!.Amount[i];
                if (ledger.TryIssue(amount))
                {
                    s.AmountOf[i] = amount;
                    s.Alive[alive++] = i;
                }
            }

            // 2. Defaults, in loan order.
            int kept = 0;
            for (int j = 0; j < alive; j++)
            {
                int i = s.Alive[j];
                int c = tape is null ? 0 : tape.ClassOf[i];
                if (draws.At(CounterUniforms.LoanIndex(i, t, PurposeDefault)) < s.Threshold[c])
                {
                    double lgd = generated is not null
                        ? generated.Lgd.Quantile(draws.At(CounterUniforms.LoanIndex(i, t, PurposeLgd)))
                        : tape!.LgdValues[i];
                    ledger.Default(s.AmountOf[i], s.AmountOf[i] * lgd);
                }
                else
                {
                    s.Alive[kept++] = i;
                }
            }
            alive = kept;

            // 3. Book fees, yield and costs; 4. mature; 5. trigger.
            ledger.Book();
            kept = 0;
            for (int j = 0; j < alive; j++)
            {
                int i = s.Alive[j];
                int lastYear = generated is not null ? i / generated.PerYear + generated.TermYears : tape!.StartYear[i] + tape.TermYears[i] - 1;
                if (lastYear == t) ledger.Mature(s.AmountOf[i]);
                else s.Alive[kept++] = i;
            }
            alive = kept;
            ledger.Trigger();
            s.CapitalByYear[t - 1] = g.Guarantor is null ? double.NaN : ledger.Capital;
        }

        return new GuaranteeTrialOutcome
        {
            Loss = ledger.Loss,
            Guarantor = ledger.GuarantorPaid,
            ReGuarantee = ledger.ReGuaranteePaid,
            Bank = ledger.BankPaid,
            Government = ledger.GovernmentPaid,
            Guaranteed = ledger.Guaranteed,
            Loans = ledger.Issued,
            Defaults = ledger.Defaults,
            ExhaustedYear = ledger.ExhaustedYear,
            InsolventYear = ledger.InsolventYear,
            SuspendedYear = ledger.SuspendedYear,
            CapitalEnd = g.Guarantor is null ? double.NaN : ledger.Capital,
        };
    }
}
