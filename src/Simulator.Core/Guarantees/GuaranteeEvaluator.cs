using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Instruments;
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
/// factor levels, a loan of risk class c defaults when its draw is below
/// Φ((Φ⁻¹(pd_c) − Σ b_k Z_k,t) / sqrt(1 − Σ b_k²)), which makes its marginal annual PD exactly pd_c; the
/// threshold is computed once per class and year, not per loan, and the draws are compared with it eight
/// loans at a time (<see cref="DefaultKernel"/>). Loans live in a bit set; a year's offer is issued, and a
/// cohort retired, with a few additions; the year's defaults are settled in loan order, as one sum when no
/// limit of the waterfall can be reached that year (<see cref="GuaranteeLedger.IsLinearFor"/>).
/// </summary>
public sealed class GuaranteeEvaluator
{
    private const int PurposeAmount = 0, PurposeLgd = 2; // 1 and 3: the default draws (DefaultKernel)
    private readonly Guarantee _guarantee;
    private readonly LoanSchedule _schedule;
    private readonly ulong _streamHash;
    private readonly double[] _classPdQuantile, _classScale;
    private readonly double[] _classLoadings; // class c's loading on factor k at c × factors + k (flat: no interface call per class)
    private readonly int _factors;
    private readonly int[] _classOf; // tapes with several classes: each loan's class, padded to whole words of the bit set; empty otherwise
    private readonly bool _uniformLoans; // generated book with a constant amount and LGD
    private readonly TapeLoan[] _tapeLoans; // tapes: each loan's amount, amount × LGD and entry of Scratch.AliveByLastYear, worked out once; empty otherwise
    private readonly bool _lgdDrawn; // a generated book whose LGD is drawn per default (a replay takes it from the recording)

    /// <summary>Prepares the constants of a scheme; the copula is Gaussian unless given (docs/model.md, "Copula").</summary>
    public GuaranteeEvaluator(Guarantee guarantee, Copula? copula = null)
    {
        copula ??= Copula.Gaussian;
        _guarantee = guarantee;
        _schedule = new LoanSchedule(guarantee.Book, guarantee.Years);
        _streamHash = StreamKey.Hash("guarantee", guarantee.Name);
        var classes = guarantee.Book.Classes;
        _classPdQuantile = classes.Select(c => copula.Quantile(c.Pd)).ToArray();
        _classScale = classes.Select(c => 1 / Math.Sqrt(1 - c.SystematicVariance)).ToArray();
        _factors = classes.Count == 0 ? 0 : classes.Max(c => c.Loadings.Count);
        _classLoadings = new double[classes.Count * _factors];
        for (int c = 0; c < classes.Count; c++)
        {
            for (int k = 0; k < classes[c].Loadings.Count; k++) _classLoadings[c * _factors + k] = classes[c].Loadings[k];
        }
        _classOf = [];
        if (guarantee.Book is TapeBook tape && classes.Count > 1)
        {
            _classOf = new int[_schedule.Words * 64]; // the kernel reads the classes of whole words
            tape.ClassOf.CopyTo(_classOf, 0);
        }
        _uniformLoans = !double.IsNaN(_schedule.FixedAmount) && !double.IsNaN(_schedule.FixedLgd);
        // The same product the settlement formed per default (amount × LGD), so the losses keep their bits.
        _tapeLoans = guarantee.Book is TapeBook b
            ? b.Amount.Select((a, i) => new TapeLoan(a, a * b.LgdValues[i], Math.Min(_schedule.LastYearOf[i], guarantee.Years + 1))).ToArray()
            : [];
        _lgdDrawn = guarantee.Book is GeneratedBook && double.IsNaN(_schedule.FixedLgd);
    }

    /// <summary>The scheme.</summary>
    public Guarantee Guarantee => _guarantee;

    /// <summary>Per-thread buffers.</summary>
    public sealed class Scratch
    {
        internal Scratch(Guarantee g, LoanSchedule schedule, bool perLoanThresholds, bool keepLgd, TrialRecording.Writer? writer)
        {
            Lgd = keepLgd ? new double[g.Book.Count] : [];
            Writer = writer;
            Ledger = new GuaranteeLedger(g);
            Alive = new ulong[schedule.Words];
            Hits = new ulong[schedule.Words];
            AmountOf = schedule.AmountsFixed ? [] : new double[g.Book.Count + 8]; // room for the amount kernel's last 8 lanes
            Threshold = new ulong[g.Book.Classes.Count];
            ClassHigh = new uint[g.Book.Classes.Count];
            ClassLow = new uint[g.Book.Classes.Count];
            LoanThresholdHigh = perLoanThresholds ? new uint[schedule.Words * 64] : [];
            HitLoans = g.Book is TapeBook ? new int[schedule.Words * 64 + 4] : [];
            DefaultAmount = g.Book is GeneratedBook ? new double[g.Book.Count] : [];
            DefaultLoss = g.Book is GeneratedBook ? new double[g.Book.Count] : [];
            AliveByLastYear = new double[g.Years + 2];
            CapitalByYear = new double[g.Years];
        }

        internal GuaranteeLedger Ledger { get; }
        internal ulong[] Alive { get; }
        internal ulong[] Hits { get; }
        internal double[] AmountOf { get; }
        internal ulong[] Threshold { get; }
        internal uint[] ClassHigh { get; }
        internal uint[] ClassLow { get; }
        internal uint[] LoanThresholdHigh { get; }
        internal int[] HitLoans { get; }
        internal double[] AliveByLastYear { get; }

        /// <summary>A generated book's defaults of a year, in loan order, when they are settled one by one: amounts and losses.</summary>
        internal double[] DefaultAmount { get; }

        /// <summary>See <see cref="DefaultAmount"/>.</summary>
        internal double[] DefaultLoss { get; }

        /// <summary>Drawn LGDs of the loans that defaulted, by loan (recording scratch only: <see cref="Record"/> reads them).</summary>
        internal double[] Lgd { get; }

        /// <summary>Where a recording evaluation records each trial (null: it records nothing).</summary>
        internal TrialRecording.Writer? Writer { get; }

        /// <summary>The total issued by the last whole offer.</summary>
        internal double IssuedTotal { get; set; }

        /// <summary>Guarantor capital at the end of each year 1..Years of the last evaluated trial.</summary>
        public double[] CapitalByYear { get; }
    }

    /// <summary>New per-thread buffers.</summary>
    public Scratch CreateScratch() => new(_guarantee, _schedule, _classOf.Length > 0, false, null);

    /// <summary>Per-thread buffers of an evaluation that records each trial into <paramref name="writer"/>
    /// (<see cref="Evaluate"/>), or of a replay (<see cref="Replay"/>; <paramref name="writer"/> null).</summary>
    internal Scratch CreateScratch(TrialRecording.Writer? writer) => new(_guarantee, _schedule, _classOf.Length > 0, _lgdDrawn && writer is not null, writer);

    /// <summary>Evaluates trial <paramref name="trial"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public GuaranteeTrialOutcome Evaluate(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        s.Ledger.Reset();
        Array.Clear(s.Alive);
        Array.Clear(s.AliveByLastYear);
        var draws = new CounterUniforms(key.Derive(trial, _streamHash));
        // Recording: the length of the scheme's record first, then its years up to the first whose offer was not issued
        // whole (a replay takes those years from the record and evaluates the rest: see Replay).
        var writer = s.Writer;
        int recordStart = writer?.Count ?? 0;
        writer?.Add(0L);
        Years(1, draws, paths, s, writer);
        writer?.Set(recordStart, writer.Count - recordStart - 1);
        return Outcome(s);
    }

    /// <summary>Years <paramref name="from"/>..Years of a trial, from the state the scratch holds at the start of year
    /// <paramref name="from"/> (the ledger, the alive loans, the outstanding amounts by last year and, for drawn amounts, the
    /// amounts of the loans alive). Records each year into <paramref name="writer"/> (when not null) until an offer is not
    /// issued whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Years(int from, CounterUniforms draws, FactorPaths paths, Scratch s, TrialRecording.Writer? writer)
    {
        var g = _guarantee;
        var schedule = _schedule;
        var ledger = s.Ledger;
        bool recording = writer is not null;
        for (int t = from; t <= g.Years; t++)
        {
            ledger.Year = t;
            Thresholds(t, paths, s.Threshold);

            // 1. Issue the year's new loans, in order.
            bool whole = Issue(t, draws, s);
            if (recording && !whole)
            {
                // Not the whole offer (leverage cap, insolvency, suspension): which loans are alive from now on depends on
                // the settlement, so the record stops before this year; a variant replays the years before it.
                recording = false;
            }
            else if (recording && !schedule.AmountsFixed && schedule.IssueEnd[t] > schedule.IssueFirst[t])
            {
                writer!.Add(s.IssuedTotal); // drawn amounts: the year's total, which a replay issues
            }

            // 2. Defaults, settled in loan order.
            int first = schedule.FirstActiveWord[t], end = schedule.EndActiveWord[t];
            long defaults;
            if (_classOf.Length == 0)
            {
                defaults = DefaultKernel.Scan(draws.Key, t, s.Threshold[0], s.Alive, s.Hits, first, end);
            }
            else
            {
                // Thresholds by class, looked up per loan inside the kernel (not rebuilt per loan here every year).
                for (int c = 0; c < s.Threshold.Length; c++)
                {
                    s.ClassHigh[c] = (uint)(s.Threshold[c] >> 32);
                    s.ClassLow[c] = (uint)s.Threshold[c];
                }
                defaults = DefaultKernel.Scan(draws.Key, t, _classOf, s.ClassHigh, s.ClassLow, s.LoanThresholdHigh, s.Alive, s.Hits, first, end);
            }
            if (defaults > 0) Settle(t, draws, s, first, end, defaults);
            if (recording) Record(t, s, first, end, defaults, writer!);

            // 3. Book fees, yield and costs; 4. mature; 5. trigger.
            ledger.Book();
            ledger.Mature(s.AliveByLastYear[t]);
            Retire(t, s.Alive);
            ledger.Trigger();
            s.CapitalByYear[t - 1] = g.Guarantor is null ? double.NaN : ledger.Capital;
        }
    }

    /// <summary>Clears the bits of the loans whose last year is <paramref name="t"/>.</summary>
    private void Retire(int t, ulong[] alive)
    {
        var keep = _schedule.MatureMask[t];
        if (keep.Length > 0) Keep(alive, _schedule.MatureFirstWord[t], keep);
        else foreach (var (start, stop) in _schedule.Maturing[t]) ClearBits(alive, start, stop);
    }

    private GuaranteeTrialOutcome Outcome(Scratch s)
    {
        var g = _guarantee;
        var ledger = s.Ledger;
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

    /// <summary>The integer default threshold of each class for year <paramref name="t"/>. Under the t copula a loan
    /// defaults when (S + s·ε)/√(W/ν) ≤ T_ν⁻¹(pd), i.e. when ε ≤ (T_ν⁻¹(pd)·√(W/ν) − S)/s: the class's quantile times the
    /// trial's mixing, once per class and year, so the kernel still compares uniforms with one threshold.</summary>
    private void Thresholds(int t, FactorPaths paths, ulong[] threshold)
    {
        var loadings = _classLoadings;
        var stressed = paths.Stressed;
        double mixing = paths.Mixing;
        int factors = _factors, years = paths.Years;
        for (int c = 0; c < threshold.Length; c++)
        {
            double systematic = 0;
            for (int k = 0; k < factors; k++)
            {
                double b = loadings[c * factors + k];
                if (b != 0) systematic += b * stressed[k * years + t - 1];
            }
            double q = _classPdQuantile[c];
            double p = double.IsInfinity(q) ? (q > 0 ? 1 : 0) : NormalMath.Cdf((q * mixing - systematic) * _classScale[c]);
            threshold[c] = CounterUniforms.Threshold(p);
        }
    }

    /// <summary>Step 1: the whole offer at once when the guarantor can take it, else loan by loan. Returns whether the
    /// whole offer was issued (true when there is none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Issue(int t, CounterUniforms draws, Scratch s)
    {
        var schedule = _schedule;
        var ledger = s.Ledger;
        int first = schedule.IssueFirst[t], end = schedule.IssueEnd[t];
        if (end <= first) return true;
        if (!ledger.Open) return false;
        double total = schedule.AmountsFixed ? schedule.IssueTotal[t] : DrawAmounts(first, end, draws, s);

        if (ledger.TryIssueAll(total, end - first))
        {
            SetBits(s.Alive, first, end);
            IssuedAll(t, s, first, total);
            s.IssuedTotal = total;
            return true;
        }
        // Loan by loan: the loans that still fit. Amounts from where they are kept, not through a call per loan.
        var amounts = schedule.AmountsFixed ? (_guarantee.Book as TapeBook)?.Amount : s.AmountOf;
        double fixedAmount = schedule.FixedAmount;
        var alive = s.Alive;
        var aliveByLast = s.AliveByLastYear;
        var lastYearOf = schedule.LastYearOf;
        for (int i = first; i < end; i++)
        {
            double amount = amounts is null ? fixedAmount : amounts[i];
            if (!ledger.TryIssue(amount)) continue;
            alive[i >> 6] |= 1UL << i;
            aliveByLast[Math.Min(lastYearOf[i], aliveByLast.Length - 1)] += amount;
        }
        return false;
    }

    /// <summary>Draws the amounts of loans <paramref name="first"/> .. <paramref name="end"/> − 1 of a generated book into
    /// <see cref="Scratch.AmountOf"/>; returns their sum, in loan order.</summary>
    private double DrawAmounts(int first, int end, CounterUniforms draws, Scratch s)
    {
        var book = (GeneratedBook)_guarantee.Book;
        if (book.Amount is LogNormalDistribution logNormal)
        {
            return AmountKernel.LogNormal(draws.Key, first, end, logNormal.Median, logNormal.Sigma, book.MaxPerBorrower, s.AmountOf);
        }
        double total = 0;
        for (int i = first; i < end; i++)
        {
            double amount = Math.Min(book.Amount.Quantile(draws.At(CounterUniforms.LoanIndex(i, 0, PurposeAmount))), book.MaxPerBorrower);
            s.AmountOf[i] = amount;
            total += amount;
        }
        return total;
    }

    /// <summary>The outstanding amounts by last year after the whole offer of year <paramref name="t"/> (total
    /// <paramref name="total"/>) was issued.</summary>
    private void IssuedAll(int t, Scratch s, int first, double total)
    {
        var schedule = _schedule;
        if (schedule.AmountsFixed)
        {
            foreach (var (last, amount) in schedule.IssueByLastYear[t]) s.AliveByLastYear[Math.Min(last, s.AliveByLastYear.Length - 1)] += amount;
        }
        else
        {
            s.AliveByLastYear[Math.Min(schedule.LastYearOf[first], s.AliveByLastYear.Length - 1)] += total; // a generated cohort shares its last year
        }
    }

    /// <summary>
    /// Records year <paramref name="t"/> of a trial whose offers were all issued so far: the defaulted loans (the kernel's
    /// hits, in loan order, two to a value), then, where the settlement drew them, their amounts and LGDs. The year's
    /// issued total was recorded by <see cref="Issue"/> when amounts are drawn.
    /// </summary>
    private void Record(int t, Scratch s, int firstWord, int endWord, long defaults, TrialRecording.Writer writer)
    {
        writer.Add(defaults);
        if (defaults == 0) return;
        int start = writer.Count;
        var hits = s.Hits;
        long pair = 0;
        int k = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            for (ulong h = hits[w]; h != 0; h &= h - 1)
            {
                long i = w * 64 + System.Numerics.BitOperations.TrailingZeroCount(h);
                if ((k & 1) == 0) pair = i;
                else writer.Add(pair | (i << 32));
                k++;
            }
        }
        if ((k & 1) == 1) writer.Add(pair);
        if (!_schedule.AmountsFixed)
        {
            for (int j = 0; j < k; j++) writer.Add(s.AmountOf[Hit(writer.Values, start, j)]);
        }
        if (_lgdDrawn)
        {
            for (int j = 0; j < k; j++) writer.Add(s.Lgd[Hit(writer.Values, start, j)]);
        }
    }

    // Where a year's record ends, given where its n defaulted loans start: the loans two to a value, then their amounts
    // where drawn, then their LGDs where drawn (see Record).
    private int YearEnd(int p, int n) => p + (n + 1) / 2 + (_schedule.AmountsFixed ? 0 : n) + (_lgdDrawn ? n : 0);

    // The k-th loan of a year's record whose loans start at value start (two loans to a value).
    private static int Hit(ReadOnlySpan<long> values, int start, int k) => (int)(values[start + (k >> 1)] >> ((k & 1) * 32));

    /// <summary>
    /// Replays one trial of the scheme from its record (<paramref name="data"/> from <paramref name="at"/>, which is moved
    /// past it): each year's offer issued whole and the recorded defaults settled by the same code, in the same order, as
    /// <see cref="Evaluate"/>, so the outcome has the bits of an evaluation under this scheme's settings. From the first
    /// year the record does not cover (the base's offer was cut) or whose whole offer these settings would not issue (the
    /// defaults that follow then depend on the settlement), the trial is evaluated from its own draws
    /// (<paramref name="paths"/>, drawn only then), from the state the replay reached: the years before are not evaluated
    /// again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal GuaranteeTrialOutcome Replay(StreamKey key, long trial, ReadOnlySpan<long> data, ref int at, TrialPaths paths, Scratch s)
    {
        int length = (int)data[at], start = at + 1;
        at = start + length;
        var g = _guarantee;
        var schedule = _schedule;
        var ledger = s.Ledger;
        ledger.Reset();
        Array.Clear(s.AliveByLastYear);
        var draws = new CounterUniforms(key.Derive(trial, _streamHash));
        var record = data.Slice(start, length);
        int p = 0;
        for (int t = 1; t <= g.Years; t++)
        {
            ledger.Year = t;
            int first = schedule.IssueFirst[t], end = schedule.IssueEnd[t];
            if (p == record.Length)
            {
                Resume(t, record, draws, paths.For(trial), s);
                break;
            }
            if (end > first)
            {
                double total = schedule.AmountsFixed ? schedule.IssueTotal[t] : BitConverter.Int64BitsToDouble(record[p]);
                if (!ledger.TryIssueAll(total, end - first))
                {
                    Resume(t, record, draws, paths.For(trial), s);
                    break;
                }
                if (!schedule.AmountsFixed) p++;
                IssuedAll(t, s, first, total);
            }
            int n = (int)record[p++];
            if (n > 0 && _tapeLoans.Length == 0 && !_uniformLoans)
            {
                p = SettleRecorded(record, p, n, s);
            }
            else if (n > 0)
            {
                // A tape or equal loans: amounts and LGDs are the book's, so the record holds only the loans, whose
                // bits the settlement's own paths (counting runs of a cohort, the tape's sums) read.
                int loans = p;
                p = YearEnd(p, n);
                var hits = s.Hits;
                for (int k = 0; k < n; k++)
                {
                    int i = Hit(record, loans, k);
                    hits[i >> 6] |= 1UL << i;
                }
                Settle(t, draws, s, schedule.FirstActiveWord[t], schedule.EndActiveWord[t], n);
                for (int k = 0; k < n; k++) hits[Hit(record, loans, k) >> 6] = 0;
            }
            ledger.Book();
            ledger.Mature(s.AliveByLastYear[t]);
            ledger.Trigger();
            s.CapitalByYear[t - 1] = g.Guarantor is null ? double.NaN : ledger.Capital;
        }
        return Outcome(s);
    }

    /// <summary>
    /// Evaluates years <paramref name="t"/>..Years of a replayed trial after the replay of the years before. The ledger and
    /// the outstanding amounts by last year are the replay's, which are an evaluation's; what a replay does not keep is
    /// rebuilt from the record as an evaluation would have it at the start of year <paramref name="t"/>: the alive bits
    /// (the whole offers issued, less the recorded defaults and the matured loans) and, for drawn amounts, the amounts of
    /// the cohorts still alive, drawn again from their counters. The kernel's hits are cleared after, as a replay expects
    /// them.
    /// </summary>
    private void Resume(int t, ReadOnlySpan<long> record, CounterUniforms draws, FactorPaths paths, Scratch s)
    {
        var schedule = _schedule;
        Array.Clear(s.Alive);
        int p = 0;
        for (int y = 1; y < t; y++)
        {
            int first = schedule.IssueFirst[y], end = schedule.IssueEnd[y];
            if (end > first)
            {
                SetBits(s.Alive, first, end);
                if (!schedule.AmountsFixed)
                {
                    p++; // the recorded total
                    if (schedule.LastYearOf[first] >= t) DrawAmounts(first, end, draws, s); // a generated cohort shares its last year
                }
            }
            int n = (int)record[p++];
            for (int k = 0; k < n; k++)
            {
                int i = Hit(record, p, k);
                s.Alive[i >> 6] &= ~(1UL << i);
            }
            p = YearEnd(p, n);
            Retire(y, s.Alive);
        }
        Years(t, draws, paths, s, null);
        ClearHits(s);
    }

    /// <summary>How many years the scheme's record at <paramref name="at"/> of <paramref name="data"/> covers: all of them
    /// when every offer of the trial was issued whole, else those before the first that was not (tests).</summary>
    internal int RecordedYears(ReadOnlySpan<long> data, int at)
    {
        var record = data.Slice(at + 1, (int)data[at]);
        int p = 0, years = 0;
        for (int t = 1; t <= _guarantee.Years && p < record.Length; t++, years++)
        {
            if (!_schedule.AmountsFixed && _schedule.IssueEnd[t] > _schedule.IssueFirst[t]) p++;
            int n = (int)record[p++];
            p = YearEnd(p, n);
        }
        return years;
    }

    /// <summary>After an evaluation on a replay's scratch: its hits cleared, as a replay expects them.</summary>
    internal static void ClearHits(Scratch s) => Array.Clear(s.Hits);

    /// <summary>Step 2: the defaults the kernel marked, in loan order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Settle(int t, CounterUniforms draws, Scratch s, int firstWord, int endWord, long defaults)
    {
        var schedule = _schedule;
        var ledger = s.Ledger;
        var hits = s.Hits;
        bool linear = ledger.IsLinearFor(ledger.Outstanding * schedule.MaxLgd);
        if (linear && _uniformLoans)
        {
            SettleUniform(t, s, firstWord, endWord, defaults);
            return;
        }
        if (_tapeLoans.Length > 0)
        {
            SettleTape(t, s, firstWord, endWord, linear);
            return;
        }
        // A generated book (a tape settled above): each default's amount and LGD from the scratch or the book's constants,
        // looked up here rather than through a call per default that asks again what kind of book this is.
        var book = (GeneratedBook)_guarantee.Book;
        double fixedAmount = schedule.FixedAmount, fixedLgd = schedule.FixedLgd;
        bool amountFixed = !double.IsNaN(fixedAmount), lgdFixed = !double.IsNaN(fixedLgd);
        var amountOf = s.AmountOf;
        var lgdOf = s.Lgd;
        var lastYearOf = schedule.LastYearOf;
        var aliveByLast = s.AliveByLastYear;
        int lastSlot = aliveByLast.Length - 1;
        var amounts = s.DefaultAmount;
        var losses = s.DefaultLoss;
        int count = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong h = hits[w];
            if (h == 0) continue;
            do
            {
                int i = w * 64 + System.Numerics.BitOperations.TrailingZeroCount(h);
                h &= h - 1;
                double amount = amountFixed ? fixedAmount : amountOf[i];
                double lgd;
                if (lgdFixed) lgd = fixedLgd;
                else
                {
                    lgd = book.Lgd.Quantile(draws.At(CounterUniforms.LoanIndex(i, t, PurposeLgd)));
                    if (lgdOf.Length > 0) lgdOf[i] = lgd; // kept for the recording (recording scratch only)
                }
                aliveByLast[Math.Min(lastYearOf[i], lastSlot)] -= amount;
                amounts[count] = amount;
                losses[count] = amount * lgd;
                count++;
            }
            while (h != 0);
        }
        SettleListed(s, count, linear);
    }

    /// <summary>Step 2 of a replay, for a generated book whose loans differ: the <paramref name="n"/> recorded defaults of a
    /// year (loans from value <paramref name="p"/> of <paramref name="record"/>, then their amounts and
    /// LGDs where drawn) settled as <see cref="Settle"/> settles them, in the same order, straight from the record (not
    /// through the bit set and the per-loan arrays). Returns where the year's record ends.</summary>
    private int SettleRecorded(ReadOnlySpan<long> record, int p, int n, Scratch s)
    {
        var schedule = _schedule;
        bool linear = s.Ledger.IsLinearFor(s.Ledger.Outstanding * schedule.MaxLgd);
        int amountsAt = p + (n + 1) / 2, lgdsAt = amountsAt + (schedule.AmountsFixed ? 0 : n);
        double fixedAmount = schedule.FixedAmount, fixedLgd = schedule.FixedLgd;
        var lastYearOf = schedule.LastYearOf;
        var aliveByLast = s.AliveByLastYear;
        int lastSlot = aliveByLast.Length - 1;
        var amounts = s.DefaultAmount;
        var losses = s.DefaultLoss;
        for (int k = 0; k < n; k++)
        {
            int i = Hit(record, p, k);
            double amount = schedule.AmountsFixed ? fixedAmount : BitConverter.Int64BitsToDouble(record[amountsAt + k]);
            double lgd = _lgdDrawn ? BitConverter.Int64BitsToDouble(record[lgdsAt + k]) : fixedLgd;
            aliveByLast[Math.Min(lastYearOf[i], lastSlot)] -= amount;
            amounts[k] = amount;
            losses[k] = amount * lgd;
        }
        SettleListed(s, n, linear);
        return YearEnd(p, n);
    }

    /// <summary>Step 2 of a generated book, once its defaults' amounts and losses are listed in loan order: as one sum (added
    /// in loan order) when no limit can be reached this year, else one by one.</summary>
    private static void SettleListed(Scratch s, int count, bool linear)
    {
        var amounts = s.DefaultAmount.AsSpan(0, count);
        var losses = s.DefaultLoss.AsSpan(0, count);
        if (!linear)
        {
            s.Ledger.DefaultEach(amounts, losses);
            return;
        }
        double amountSum = 0, lossSum = 0;
        for (int k = 0; k < count; k++)
        {
            amountSum += amounts[k];
            lossSum += losses[k];
        }
        s.Ledger.DefaultAll(count, amountSum, lossSum);
    }

    /// <summary>
    /// Step 2 for a loan tape: the same sums in the same loan order as the general path, from the amounts and losses
    /// worked out once (no per-default dispatch on the kind of book). The defaulted loans are first listed in loan
    /// order with few branches (a word's hits vary from 0 to several, and a loop per word mispredicted about once a
    /// word: a quarter of a trial on a million-loan tape), then settled by a counted loop. When no limit can be reached
    /// the sums run in loops of their own with no call inside, so they stay in registers (with the ledger's call in the
    /// same loop the JIT kept them on the stack: a store and a load in every addition's chain, about half of this
    /// method's time on the graded tape). When every loan that can be alive this year shares its last year, that year's
    /// outstanding amount is reduced in a register, by the same subtractions in the same order as in memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SettleTape(int t, Scratch s, int firstWord, int endWord, bool linear)
    {
        int n = ListHits(s.Hits, firstWord, endWord, s.HitLoans);
        var aliveByLast = s.AliveByLastYear;
        var ledger = s.Ledger;
        int shared = _schedule.ActiveLastYear[t];
        if (!linear)
        {
            for (int k = 0; k < n; k++)
            {
                int i = s.HitLoans[k];
                var loan = _tapeLoans[i];
                aliveByLast[loan.Slot] -= loan.Amount;
                ledger.Default(loan.Amount, loan.Loss);
            }
            return;
        }
        var (amountSum, lossSum) = shared >= 0
            ? SumShared(s.HitLoans, n, _tapeLoans, ref aliveByLast[Math.Min(shared, aliveByLast.Length - 1)])
            : SumBySlot(s.HitLoans, n, _tapeLoans, aliveByLast);
        ledger.DefaultAll(n, amountSum, lossSum);
    }

    /// <summary>The amounts and losses of the listed loans, summed in list order, each amount also taken off
    /// <paramref name="remaining"/> (every listed loan has that last year).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Amount, double Loss) SumShared(int[] loans, int n, TapeLoan[] tape, ref double remaining)
    {
        if ((uint)n > (uint)loans.Length) throw new ArgumentOutOfRangeException(nameof(n));
        ref int loan = ref MemoryMarshal.GetArrayDataReference(loans);
        ref var data = ref MemoryMarshal.GetArrayDataReference(tape); // the kernel lists loans of the tape only: no bounds check per default
        double left = remaining, amountSum = 0, lossSum = 0;
        for (int k = 0; k < n; k++)
        {
            ref var d = ref Unsafe.Add(ref data, Unsafe.Add(ref loan, k));
            left -= d.Amount;
            amountSum += d.Amount;
            lossSum += d.Loss;
        }
        remaining = left;
        return (amountSum, lossSum);
    }

    /// <summary>As <see cref="SumShared"/>, each amount taken off its own last year's outstanding amount. On the
    /// million-loan tape this loop is bound by memory: a default every 37 loans or so touches a new cache line (and often
    /// a new page) of the 24 MB of per-loan data, about 20 ns a default (keeping the outstanding amounts in a register,
    /// tried, changed nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Amount, double Loss) SumBySlot(int[] loans, int n, TapeLoan[] tape, double[] aliveByLast)
    {
        if ((uint)n > (uint)loans.Length) throw new ArgumentOutOfRangeException(nameof(n));
        double amountSum = 0, lossSum = 0;
        for (int k = 0; k < n; k++)
        {
            var d = tape[loans[k]];
            aliveByLast[d.Slot] -= d.Amount;
            amountSum += d.Amount;
            lossSum += d.Loss;
        }
        return (amountSum, lossSum);
    }

    /// <summary>A tape loan's amount, loss (amount × LGD) and entry of <see cref="Scratch.AliveByLastYear"/>, side by side
    /// (a default on a million-loan tape then misses the cache about once, not three times).</summary>
    private readonly record struct TapeLoan(double Amount, double Loss, int Slot);

    /// <summary>The loans whose bits are set in words <paramref name="firstWord"/> .. <paramref name="endWord"/> − 1,
    /// in order, into <paramref name="loans"/> (room for 4 past the last); returns how many.</summary>
    private static int ListHits(ulong[] hits, int firstWord, int endWord, int[] loans)
    {
        int n = 0;
        for (int w = firstWord; w < endWord; w++)
        {
            ulong h = hits[w];
            int b = w * 64, count = System.Numerics.BitOperations.PopCount(h);
            // Four positions written whatever the count (past it they are overwritten next): no branch for 0 to 4 hits.
            loans[n] = b + System.Numerics.BitOperations.TrailingZeroCount(h);
            h &= h - 1;
            loans[n + 1] = b + System.Numerics.BitOperations.TrailingZeroCount(h);
            h &= h - 1;
            loans[n + 2] = b + System.Numerics.BitOperations.TrailingZeroCount(h);
            h &= h - 1;
            loans[n + 3] = b + System.Numerics.BitOperations.TrailingZeroCount(h);
            h &= h - 1;
            for (int k = n + 4; h != 0; k++, h &= h - 1) loans[k] = b + System.Numerics.BitOperations.TrailingZeroCount(h);
            n += count;
        }
        return n;
    }

    /// <summary>
    /// Step 2 when every loan has the same amount and LGD and no limit can be reached this year: the defaults
    /// of a word are counted, not visited (the year's losses are count × amount × LGD either way).
    /// </summary>
    private void SettleUniform(int t, Scratch s, int firstWord, int endWord, long defaults)
    {
        var schedule = _schedule;
        var hits = s.Hits;
        var aliveByLast = s.AliveByLastYear;
        var wordLastYear = schedule.WordLastYear;
        double amount = schedule.FixedAmount;
        if (schedule.ActiveLastYear[t] >= 0)
        {
            // Every loan that can be alive this year has the same last year (one cohort, or cohorts maturing
            // together): the kernel's count is all that is needed.
            aliveByLast[Math.Min(schedule.ActiveLastYear[t], aliveByLast.Length - 1)] -= defaults * amount;
            s.Ledger.DefaultAll((int)defaults, defaults * amount, defaults * amount * schedule.FixedLgd);
            return;
        }
        long count = 0, run = 0;
        int runLast = -1; // words of one cohort come in a row: count them, and subtract their amount once per run
        for (int w = firstWord; w < endWord; w++)
        {
            ulong h = hits[w];
            if (h == 0) continue;
            int n = System.Numerics.BitOperations.PopCount(h);
            count += n;
            int last = wordLastYear[w];
            if (last >= 0 && last == runLast)
            {
                run += n;
                continue;
            }
            if (run > 0) aliveByLast[Math.Min(runLast, aliveByLast.Length - 1)] -= run * amount;
            run = 0;
            runLast = last;
            if (last >= 0)
            {
                run = n;
                continue;
            }
            do
            {
                int i = w * 64 + System.Numerics.BitOperations.TrailingZeroCount(h);
                h &= h - 1;
                aliveByLast[Math.Min(schedule.LastYearOf[i], aliveByLast.Length - 1)] -= amount;
            }
            while (h != 0);
        }
        if (run > 0) aliveByLast[Math.Min(runLast, aliveByLast.Length - 1)] -= run * amount;
        s.Ledger.DefaultAll((int)count, count * amount, count * amount * schedule.FixedLgd);
    }

    // Bits [start, end) of a bit set: the partial words at either end by masks, the whole words between by a
    // vectorised fill (a cohort of 10,000 loans is 156 whole words; bit by bit it was 5% of a pool trial).
    private static void SetBits(ulong[] bits, int start, int end) => SetRange(bits, start, end, true);

    private static void ClearBits(ulong[] bits, int start, int end) => SetRange(bits, start, end, false);

    internal static void SetRange(ulong[] bits, int start, int end, bool value)
    {
        if (end <= start) return;
        int first = start >> 6, last = (end - 1) >> 6;
        ulong head = ulong.MaxValue << (start & 63), tail = ulong.MaxValue >> (63 - ((end - 1) & 63));
        if (first == last)
        {
            Apply(ref bits[first], head & tail, value);
            return;
        }
        Apply(ref bits[first], head, value);
        bits.AsSpan(first + 1, last - first - 1).Fill(value ? ulong.MaxValue : 0);
        Apply(ref bits[last], tail, value);
    }

    // Word by word: bits[firstWord + k] &= keep[k], four words at a time.
    private static void Keep(ulong[] bits, int firstWord, ulong[] keep)
    {
        var target = bits.AsSpan(firstWord, keep.Length);
        int k = 0;
        for (; k + 4 <= keep.Length; k += 4)
            (Vector256.Create<ulong>(target.Slice(k, 4)) & Vector256.Create<ulong>(keep.AsSpan(k, 4))).CopyTo(target.Slice(k, 4));
        for (; k < keep.Length; k++) target[k] &= keep[k];
    }

    private static void Apply(ref ulong word, ulong mask, bool value) => word = value ? word | mask : word & ~mask;
}
