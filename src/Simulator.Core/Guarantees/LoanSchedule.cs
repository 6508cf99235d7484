namespace Simulator.Core.Guarantees;

/// <summary>
/// What a scheme's loan book looks like year by year, worked out once before the trials: which loans are
/// issued in each year, which can be alive (the words of the alive bit set the default kernel scans), which
/// mature, each loan's last year and — when amounts are fixed (tapes, or a constant amount) — the amounts
/// issued per year by maturity year, so that a whole cohort is issued and retired with a few additions.
/// Immutable; shared by all threads.
/// </summary>
public sealed class LoanSchedule
{
    /// <summary>Works out the schedule of a book over <paramref name="years"/> years.</summary>
    public LoanSchedule(LoanBook book, int years)
    {
        Years = years;
        Count = book.Count;
        Words = (Count + 63) / 64;
        IssueFirst = new int[years + 2];
        IssueEnd = new int[years + 2];
        FirstActiveWord = new int[years + 2];
        EndActiveWord = new int[years + 2];
        LastYearOf = new int[Count];
        switch (book)
        {
            case GeneratedBook g:
                for (int i = 0; i < Count; i++) LastYearOf[i] = i / g.PerYear + g.TermYears;
                for (int t = 1; t <= Math.Min(years, g.Years); t++)
                {
                    IssueFirst[t] = (t - 1) * g.PerYear;
                    IssueEnd[t] = t * g.PerYear;
                }
                FixedAmount = g.Amount.SupportMin == g.Amount.SupportMax ? Math.Min(g.Amount.SupportMin, g.MaxPerBorrower) : double.NaN;
                FixedLgd = g.Lgd.SupportMin == g.Lgd.SupportMax ? g.Lgd.SupportMin : double.NaN;
                MaxLgd = Math.Min(1, g.Lgd.SupportMax);
                break;
            case TapeBook tape:
                for (int i = 0; i < Count; i++) LastYearOf[i] = tape.StartYear[i] + tape.TermYears[i] - 1;
                for (int t = 1; t <= years; t++)
                {
                    int i = IssueEnd[t - 1];
                    while (i < Count && tape.StartYear[i] < t) i++;
                    IssueFirst[t] = i;
                    while (i < Count && tape.StartYear[i] == t) i++;
                    IssueEnd[t] = i;
                }
                FixedAmount = double.NaN;
                FixedLgd = double.NaN;
                MaxLgd = tape.LgdValues.DefaultIfEmpty(0).Max();
                AmountsFixed = true;
                break;
            default:
                throw new ArgumentException($"unknown loan book {book.GetType().Name}", nameof(book));
        }
        AmountsFixed |= !double.IsNaN(FixedAmount);

        // Loans that can be alive in year t: issued in a year ≤ t and last year ≥ t. Their indices span a
        // range (books are in issue order); matured loans inside it have their bits cleared.
        for (int t = 1; t <= years; t++)
        {
            int lo = int.MaxValue, hi = 0;
            for (int s = 1; s <= t; s++)
            {
                for (int i = IssueFirst[s]; i < IssueEnd[s]; i++)
                {
                    if (LastYearOf[i] < t) continue;
                    lo = Math.Min(lo, i);
                    hi = Math.Max(hi, i + 1);
                }
            }
            FirstActiveWord[t] = hi == 0 ? 0 : lo / 64;
            EndActiveWord[t] = hi == 0 ? 0 : (hi + 63) / 64;
        }

        // Maturing loans of each year as index ranges (one range per cohort for generated books).
        var maturing = Enumerable.Range(0, years + 2).Select(_ => new List<(int, int)>()).ToArray();
        for (int i = 0; i < Count;)
        {
            int last = LastYearOf[i], j = i + 1;
            while (j < Count && LastYearOf[j] == last) j++;
            if (last >= 1 && last <= years + 1) maturing[last].Add((i, j));
            i = j;
        }
        Maturing = maturing.Select(l => l.ToArray()).ToArray();

        // A tape whose terms vary from loan to loan matures in many short runs (a million loans over five years: about
        // 670,000 runs); clearing them run by run was a tenth of a trial. Such a year gets a mask of the words its
        // loans occupy instead, ANDed into the alive set word by word.
        MatureMask = new ulong[years + 2][];
        MatureFirstWord = new int[years + 2];
        for (int t = 0; t <= years + 1; t++)
        {
            var ranges = Maturing[t];
            MatureMask[t] = [];
            if (ranges.Length <= MaskRuns) continue;
            int firstWord = ranges[0].Item1 >> 6, endWord = ((ranges[^1].Item2 - 1) >> 6) + 1;
            var keep = new ulong[endWord - firstWord];
            Array.Fill(keep, ulong.MaxValue);
            foreach (var (start, end) in ranges)
            {
                for (int i = start; i < end; i++) keep[(i >> 6) - firstWord] &= ~(1UL << i);
            }
            MatureMask[t] = keep;
            MatureFirstWord[t] = firstWord;
        }

        // The last year shared by every loan of a word of the bit set, or −1 when they differ.
        WordLastYear = new int[Words];
        for (int w = 0; w < Words; w++)
        {
            int start = w * 64, end = Math.Min(Count, start + 64);
            WordLastYear[w] = LastYearOf[start];
            for (int i = start + 1; i < end; i++)
            {
                if (LastYearOf[i] != LastYearOf[start]) WordLastYear[w] = -1;
            }
        }

        // The last year shared by all words that can hold a loan alive in year t, or −1.
        ActiveLastYear = new int[years + 2];
        for (int t = 0; t <= years + 1; t++)
        {
            int first = FirstActiveWord[t], end = EndActiveWord[t];
            ActiveLastYear[t] = end > first ? WordLastYear[first] : -1;
            for (int w = first; w < end; w++)
            {
                if (WordLastYear[w] != ActiveLastYear[t]) ActiveLastYear[t] = -1;
            }
        }

        IssueTotal = new double[years + 2];
        IssueByLastYear = new (int LastYear, double Amount)[years + 2][];
        for (int t = 0; t <= years + 1; t++)
        {
            var byLast = new SortedDictionary<int, double>();
            if (AmountsFixed)
            {
                for (int i = IssueFirst[t]; i < IssueEnd[t]; i++)
                {
                    double amount = AmountOf(book, i);
                    IssueTotal[t] += amount;
                    byLast[LastYearOf[i]] = byLast.GetValueOrDefault(LastYearOf[i]) + amount;
                }
            }
            IssueByLastYear[t] = byLast.Select(kv => (kv.Key, kv.Value)).ToArray();
        }
    }

    private double AmountOf(LoanBook book, int i) => book is TapeBook tape ? tape.Amount[i] : FixedAmount;

    /// <summary>Years simulated.</summary>
    public int Years { get; }
    /// <summary>Candidate loans.</summary>
    public int Count { get; }
    /// <summary>Words of the alive bit set (64 loans each).</summary>
    public int Words { get; }
    /// <summary>First loan issued in year t.</summary>
    public int[] IssueFirst { get; }
    /// <summary>One past the last loan issued in year t.</summary>
    public int[] IssueEnd { get; }
    /// <summary>First word of the bit set that can hold a loan alive in year t.</summary>
    public int[] FirstActiveWord { get; }
    /// <summary>One past the last such word.</summary>
    public int[] EndActiveWord { get; }
    /// <summary>Each loan's last year (start year + term − 1).</summary>
    public int[] LastYearOf { get; }
    /// <summary>The last year of all loans of a word of the bit set, or −1 when they differ.</summary>
    public int[] WordLastYear { get; }
    /// <summary>The last year of every loan in the words scanned in year t, when they share one; −1 otherwise.</summary>
    public int[] ActiveLastYear { get; }
    /// <summary>Index ranges [start, end) of the loans whose last year is t.</summary>
    public (int Start, int End)[][] Maturing { get; }
    /// <summary>Above this many maturing runs in a year, the year's maturities are cleared by <see cref="MatureMask"/>.</summary>
    public const int MaskRuns = 64;
    /// <summary>For a year with more than <see cref="MaskRuns"/> maturing runs: the bits to keep of the words from
    /// <see cref="MatureFirstWord"/> on (a maturing loan's bit is 0); empty otherwise.</summary>
    public ulong[][] MatureMask { get; }
    /// <summary>The first word <see cref="MatureMask"/> of year t applies to.</summary>
    public int[] MatureFirstWord { get; }
    /// <summary>The amount of every loan when the book fixes one amount (a constant law); NaN otherwise.</summary>
    public double FixedAmount { get; }
    /// <summary>The LGD of every loan of a generated book with a constant LGD law; NaN otherwise.</summary>
    public double FixedLgd { get; }
    /// <summary>The largest LGD any loan can have (bounds a year's losses by the outstanding amount).</summary>
    public double MaxLgd { get; }
    /// <summary>Whether amounts are the same in every trial (tapes and constant amounts).</summary>
    public bool AmountsFixed { get; }
    /// <summary>With fixed amounts: the total offered in year t, summed in loan order.</summary>
    public double[] IssueTotal { get; }
    /// <summary>With fixed amounts: the amount offered in year t by last year.</summary>
    public (int LastYear, double Amount)[][] IssueByLastYear { get; }
}
