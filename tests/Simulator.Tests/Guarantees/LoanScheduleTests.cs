using Simulator.Core.Distributions;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Guarantees;

/// <summary>The year-by-year layout of a loan book the evaluator works from.</summary>
public class LoanScheduleTests
{
    [Test]
    public void Generated_Cohorts_IssueActiveAndMaturingRanges()
    {
        // 100 loans a year for 3 years, 2-year terms: cohort k is loans 100(k−1) .. 100k − 1, last year k + 1.
        var book = new GeneratedBook(100, 3, new FixedDistribution(5), 1e9, 2, 0.02, new FixedDistribution(0.4), [0.3]);
        var s = new LoanSchedule(book, book.LastYear);
        Assert.Multiple(() =>
        {
            Assert.That(s.Years, Is.EqualTo(4));
            Assert.That((s.IssueFirst[1], s.IssueEnd[1]), Is.EqualTo((0, 100)));
            Assert.That((s.IssueFirst[3], s.IssueEnd[3]), Is.EqualTo((200, 300)));
            Assert.That((s.IssueFirst[4], s.IssueEnd[4]), Is.EqualTo((0, 0)), "no cohort in year 4");
            Assert.That((s.FirstActiveWord[1], s.EndActiveWord[1]), Is.EqualTo((0, 2)), "loans 0..99");
            Assert.That((s.FirstActiveWord[3], s.EndActiveWord[3]), Is.EqualTo((1, 5)), "loans 100..299");
            Assert.That((s.FirstActiveWord[4], s.EndActiveWord[4]), Is.EqualTo((3, 5)), "loans 200..299");
            Assert.That(s.Maturing[2], Is.EqualTo(new[] { (0, 100) }));
            Assert.That(s.Maturing[4], Is.EqualTo(new[] { (200, 300) }));
            Assert.That(s.FixedAmount, Is.EqualTo(5));
            Assert.That(s.FixedLgd, Is.EqualTo(0.4));
            Assert.That(s.AmountsFixed, Is.True);
            Assert.That(s.IssueTotal[2], Is.EqualTo(500));
            Assert.That(s.IssueByLastYear[2], Is.EqualTo(new[] { (3, 500.0) }));
            Assert.That(s.WordLastYear[0], Is.EqualTo(2), "loans 0..63 are all of cohort 1");
            Assert.That(s.WordLastYear[1], Is.EqualTo(-1), "loans 64..127 straddle cohorts 1 and 2");
            Assert.That(s.ActiveLastYear[1], Is.EqualTo(-1), "year 1 scans word 1, which straddles two cohorts");
            Assert.That(s.ActiveLastYear[4], Is.EqualTo(-1), "year 4 scans words 3..4, loans 192..319");
        });
    }

    [Test]
    public void Generated_OneCohort_SharesItsLastYear()
    {
        var book = new GeneratedBook(10_000, 1, new FixedDistribution(1), 1e9, 5, 0.02, new FixedDistribution(0.6), [0.4]);
        var s = new LoanSchedule(book, book.LastYear);
        Assert.That(Enumerable.Range(1, 5).Select(t => s.ActiveLastYear[t]), Is.All.EqualTo(5));
        Assert.That((s.FirstActiveWord[5], s.EndActiveWord[5]), Is.EqualTo((0, 157)));
    }

    [Test]
    public void Generated_RandomAmounts_NotFixed()
    {
        var book = new GeneratedBook(10, 1, new LogNormalDistribution(1e6, 0.5), 1e9, 1, 0.02, new BetaDistribution(0.5, 0.2), [0.3]);
        var s = new LoanSchedule(book, book.LastYear);
        Assert.That(s.AmountsFixed, Is.False);
        Assert.That(double.IsNaN(s.FixedAmount) && double.IsNaN(s.FixedLgd), Is.True);
        Assert.That(s.MaxLgd, Is.EqualTo(1));
    }

    [Test]
    public void Tape_MixedTerms_TotalsByLastYear()
    {
        // Rows sorted by start year: two loans start in year 1 (terms 1 and 3), one in year 2 (term 1).
        var classes = new[] { new RiskClass(0.02, [0.3]) };
        var tape = new TapeBook("t.csv", ["a", "b", "c"], [10, 20, 40], [0.5, 0.7, 0.1], [1, 1, 2], [1, 3, 1], [0, 0, 0], classes);
        var s = new LoanSchedule(tape, tape.LastYear);
        Assert.Multiple(() =>
        {
            Assert.That(s.Years, Is.EqualTo(3));
            Assert.That(s.LastYearOf, Is.EqualTo(new[] { 1, 3, 2 }));
            Assert.That((s.IssueFirst[2], s.IssueEnd[2]), Is.EqualTo((2, 3)));
            Assert.That(s.IssueTotal[1], Is.EqualTo(30));
            Assert.That(s.IssueByLastYear[1], Is.EqualTo(new[] { (1, 10.0), (3, 20.0) }));
            Assert.That(s.Maturing[1], Is.EqualTo(new[] { (0, 1) }));
            Assert.That(s.Maturing[3], Is.EqualTo(new[] { (1, 2) }));
            Assert.That(s.MaxLgd, Is.EqualTo(0.7));
            Assert.That(s.AmountsFixed, Is.True);
        });
    }

    [Test]
    public void Tape_ManyMaturingRuns_MaskKeepsExactlyTheOthers()
    {
        // 1,000 loans with terms 1..3 in a repeating pattern of mixed lengths: each year matures in hundreds of short
        // runs, so the schedule gives a mask, whose zero bits must be exactly that year's maturing loans.
        const int n = 1000;
        var term = Enumerable.Range(0, n).Select(i => 1 + (i * 7 % 11) % 3).ToArray();
        var classes = new List<RiskClass> { new(0.02, [0.3]) };
        var tape = new TapeBook("t.csv", Enumerable.Range(0, n).Select(i => $"L{i}").ToArray(), Enumerable.Repeat(1.0, n).ToArray(),
            Enumerable.Repeat(0.5, n).ToArray(), Enumerable.Repeat(1, n).ToArray(), term, new int[n], classes);
        var s = new LoanSchedule(tape, tape.LastYear);
        for (int t = 1; t <= 3; t++)
        {
            Assert.That(s.Maturing[t], Has.Length.GreaterThan(LoanSchedule.MaskRuns), $"year {t} matures in many runs");
            var keep = s.MatureMask[t];
            for (int i = 0; i < n; i++)
            {
                int w = (i >> 6) - s.MatureFirstWord[t];
                bool kept = w < 0 || w >= keep.Length || (keep[w] >> i & 1) != 0;
                Assert.That(kept, Is.EqualTo(s.LastYearOf[i] != t), $"loan {i} in year {t}");
            }
        }
        var generated = new LoanSchedule(new GeneratedBook(100, 3, new FixedDistribution(5), 1e9, 2, 0.02, new FixedDistribution(0.4), [0.3]), 4);
        Assert.That(generated.MatureMask.All(m => m.Length == 0), "cohorts mature in one run a year: no mask");
    }
}
