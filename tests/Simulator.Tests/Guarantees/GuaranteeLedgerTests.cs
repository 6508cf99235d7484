using Simulator.Core.Guarantees;
using Simulator.Core.Scenarios;

namespace Simulator.Tests.Guarantees;

/// <summary>Hand-worked waterfalls of spec §4, one rule at a time.</summary>
public class GuaranteeLedgerTests
{
    private static readonly Shares Scheme4222 = new(0.4, 0.2, 0.2, 0.2);

    private static GuaranteeLedger Ledger(Shares? shares = null, GuarantorTerms? guarantor = null, GovernmentPoolTerms? pool = null, double suspend = double.PositiveInfinity)
    {
        var book = new GeneratedBook(1, 1, new Core.Distributions.FixedDistribution(1), double.PositiveInfinity, 1, 0.01, new Core.Distributions.FixedDistribution(1), []);
        var g = new Guarantee("g", book, shares ?? Scheme4222, guarantor ?? new GuarantorTerms(1000, 10, 0, 0, 0), pool ?? GovernmentPoolTerms.Unlimited, suspend);
        return new GuaranteeLedger(g) { Year = 1 };
    }

    private static (double G, double R, double B, double V) Paid(GuaranteeLedger l) => (l.GuarantorPaid, l.ReGuaranteePaid, l.BankPaid, l.GovernmentPaid);

    [Test]
    public void Default_UnlimitedPool_SplitsByShares()
    {
        var l = Ledger();
        Assert.That(l.TryIssue(100), Is.True);
        l.Default(100, 50);
        Assert.That(Paid(l), Is.EqualTo((20.0, 10.0, 10.0, 10.0)));
        Assert.That(l.Outstanding, Is.Zero);
        Assert.That(l.Capital, Is.EqualTo(980));
        Assert.That(l.ExhaustedYear, Is.Zero);
    }

    // Two losses of 50 with a budget of 15: the pool pays 10, then 5 of 10; the other 5 goes to shortfallTo.
    [TestCase(ShortfallTo.Guarantor, 45.0, 20.0, 20.0)]
    [TestCase(ShortfallTo.Bank, 40.0, 20.0, 25.0)]
    [TestCase(ShortfallTo.ProRata, 42.5, 21.25, 21.25)]
    public void Default_BudgetRunsOut_ShortfallGoesWhereTold(ShortfallTo to, double guarantor, double re, double bank)
    {
        var l = Ledger(pool: new GovernmentPoolTerms(15, double.PositiveInfinity, to));
        l.TryIssue(100);
        l.TryIssue(100);
        l.Default(100, 50);
        Assert.That(l.ExhaustedYear, Is.Zero, "the first loss fits the budget");
        l.Year = 2;
        l.Default(100, 50);
        var paid = Paid(l);
        Assert.Multiple(() =>
        {
            Assert.That(paid.V, Is.EqualTo(15));
            Assert.That(paid.G, Is.EqualTo(guarantor).Within(1e-12));
            Assert.That(paid.R, Is.EqualTo(re).Within(1e-12));
            Assert.That(paid.B, Is.EqualTo(bank).Within(1e-12));
            Assert.That(paid.G + paid.R + paid.B + paid.V, Is.EqualTo(100).Within(1e-12), "every loss is paid by someone");
            Assert.That(l.ExhaustedYear, Is.EqualTo(2));
        });
    }

    [Test]
    public void Default_CapRateBelowBudget_CapBindsAndGrowsWithGuaranteedAmount()
    {
        // capRate 5% of the cumulative guaranteed amount, budget 100: with 200 guaranteed the limit is 10.
        var l = Ledger(pool: new GovernmentPoolTerms(100, 0.05, ShortfallTo.Bank));
        l.TryIssue(100);
        l.TryIssue(100);
        l.Default(100, 100);              // pool share 20, limit 10: pays 10, bank takes 10 more
        Assert.That(l.GovernmentPaid, Is.EqualTo(10));
        Assert.That(l.BankPaid, Is.EqualTo(30));
        l.Year = 2;
        for (int i = 0; i < 8; i++) l.TryIssue(100);   // guaranteed 1000: limit min(100, 50) = 50
        l.Default(100, 100);              // pays 20 more (total 30 ≤ 50)
        Assert.That(l.GovernmentPaid, Is.EqualTo(30));
        Assert.That(l.ExhaustedYear, Is.EqualTo(1), "exhaustion is dated at the first shortfall");
    }

    [Test]
    public void Default_BudgetBelowCap_BudgetBinds()
    {
        var l = Ledger(pool: new GovernmentPoolTerms(5, 0.5, ShortfallTo.Bank));
        l.TryIssue(100);
        l.Default(100, 100);
        Assert.That(l.GovernmentPaid, Is.EqualTo(5));
    }

    [Test]
    public void Default_GuarantorShortOfCapital_BecomesInsolventAndBankPays()
    {
        var l = Ledger(guarantor: new GuarantorTerms(30, 10, 0, 0, 0));
        l.TryIssue(100);
        l.TryIssue(100);
        l.Default(100, 100);  // guarantor owes 40, has 30
        Assert.Multiple(() =>
        {
            Assert.That(l.GuarantorPaid, Is.EqualTo(30));
            Assert.That(l.BankPaid, Is.EqualTo(30));
            Assert.That(l.InsolventYear, Is.EqualTo(1));
            Assert.That(l.Capital, Is.Zero);
        });
        l.Default(100, 100);  // from now on the bank bears the guarantor's share
        Assert.That(l.GuarantorPaid, Is.EqualTo(30));
        Assert.That(l.BankPaid, Is.EqualTo(30 + 60));
        Assert.That(l.TryIssue(1), Is.False, "an insolvent guarantor issues nothing");
    }

    [Test]
    public void TryIssue_LeverageCap_SkipsLoansThatDoNotFit()
    {
        var l = Ledger(guarantor: new GuarantorTerms(100, 2, 0, 0, 0));
        Assert.That(l.TryIssue(100), Is.True);
        Assert.That(l.TryIssue(100), Is.True, "outstanding 200 = 2 × 100 fits");
        Assert.That(l.TryIssue(100), Is.False);
        Assert.That(l.TryIssue(0.5), Is.False);
        Assert.That(l.Issued, Is.EqualTo(2));
        Assert.That(l.Guaranteed, Is.EqualTo(200));
        l.Mature(100);
        Assert.That(l.TryIssue(100), Is.True, "maturities free capacity");
    }

    [Test]
    public void Book_FeesYieldAndCosts_ChangeCapital()
    {
        var l = Ledger(guarantor: new GuarantorTerms(1000, 10, 0.01, 0.004, 0.03));
        l.TryIssue(5000);
        l.Book();
        Assert.That(l.Capital, Is.EqualTo(1000 + 50 + 30 - 20).Within(1e-9));
    }

    [Test]
    public void Book_CostsBeyondCapital_MakeInsolvent()
    {
        var l = Ledger(guarantor: new GuarantorTerms(10, 1000, 0, 0.01, 0));
        l.TryIssue(2000);
        l.Book();
        Assert.That(l.InsolventYear, Is.EqualTo(1));
    }

    [Test]
    public void Trigger_PayoutRateAboveThreshold_SuspendsForGood()
    {
        var l = Ledger(shares: new Shares(1, 0, 0, 0), suspend: 0.05);
        for (int i = 0; i < 10; i++) l.TryIssue(100);
        l.Default(100, 50);
        l.Trigger();
        Assert.That(l.SuspendedYear, Is.Zero, "50 / 1000 = 5% does not exceed 5%");
        l.Year = 2;
        l.Default(100, 1);
        l.Trigger();
        Assert.That(l.SuspendedYear, Is.EqualTo(2));
        Assert.That(l.TryIssue(1), Is.False);
    }

    [Test]
    public void DefaultAll_NoLimitReachable_SameAsOneByOne()
    {
        var guarantor = new GuarantorTerms(1000, 10, 0, 0, 0);
        var pool = new GovernmentPoolTerms(500, 0.05, ShortfallTo.Guarantor);
        var one = Ledger(Scheme4222, guarantor, pool);
        var all = Ledger(Scheme4222, guarantor, pool);
        Assert.That(one.TryIssueAll(5000, 50), Is.True);
        Assert.That(all.TryIssueAll(5000, 50), Is.True);
        double[] losses = [60, 35.5, 100, 12.25];
        Assert.That(all.IsLinearFor(losses.Sum()), Is.True, "pool limit 250, guarantor capital 1000: far from both");
        foreach (double loss in losses) one.Default(100, loss);
        all.DefaultAll(losses.Length, 400, losses.Sum());
        Assert.Multiple(() =>
        {
            Assert.That(Paid(all), Is.EqualTo(Paid(one)));
            Assert.That(all.Capital, Is.EqualTo(one.Capital));
            Assert.That(all.Outstanding, Is.EqualTo(one.Outstanding));
            Assert.That(all.Defaults, Is.EqualTo(4));
            Assert.That(all.Loss, Is.EqualTo(one.Loss));
        });
    }

    [Test]
    public void IsLinearFor_PoolOrCapitalWithinReach_IsFalse()
    {
        var pool = Ledger(Scheme4222, new GuarantorTerms(1e6, 100, 0, 0, 0), new GovernmentPoolTerms(100, double.PositiveInfinity, ShortfallTo.Bank));
        pool.TryIssue(1000);
        Assert.That(pool.IsLinearFor(400), Is.True, "pool share 80 ≤ budget 100");
        Assert.That(pool.IsLinearFor(600), Is.False, "pool share 120 > budget 100");

        var capital = Ledger(Scheme4222, new GuarantorTerms(100, 100, 0, 0, 0));
        capital.TryIssue(1000);
        Assert.That(capital.IsLinearFor(200), Is.True, "guarantor share 80 ≤ capital 100");
        Assert.That(capital.IsLinearFor(300), Is.False, "guarantor share 120 > capital 100");

        var open = Ledger(new Shares(0, 0, 0.8, 0.2));
        open.TryIssue(1e12);
        Assert.That(open.IsLinearFor(1e12), Is.True, "no guarantor and an unlimited pool: always linear");
    }

    [Test]
    public void TryIssueAll_OverLeverageCap_IssuesNothing()
    {
        var l = Ledger(guarantor: new GuarantorTerms(100, 2, 0, 0, 0));
        Assert.That(l.TryIssueAll(250, 3), Is.False);
        Assert.That((l.Issued, l.Outstanding, l.Guaranteed), Is.EqualTo((0, 0.0, 0.0)));
        Assert.That(l.TryIssueAll(200, 2), Is.True);
        Assert.That((l.Issued, l.Outstanding, l.Guaranteed), Is.EqualTo((2, 200.0, 200.0)));
    }

    // 0.036 × 25,000,000 is 899,999.9999999999 in binary: a pool or trigger limit that three parts of 300,000 meet exactly.
    private const double TieRate = 0.036, TieGuaranteed = 25_000_000, TiePart = 300_000;

    [Test]
    public void Default_PoolPaymentsEqualCapInBinaryRounding_NotExhausted()
    {
        Assert.That(TieRate * TieGuaranteed, Is.LessThan(3 * TiePart), "the case needs the rounded limit below the exact one");
        var l = Ledger(new Shares(0, 0, 0.7, 0.3), new GuarantorTerms(1e9, 100, 0, 0, 0), new GovernmentPoolTerms(double.PositiveInfinity, TieRate, ShortfallTo.Bank));
        Assert.That(l.TryIssue(TieGuaranteed), Is.True);
        for (int i = 0; i < 3; i++) l.Default(1e6, 1e6);
        Assert.Multiple(() =>
        {
            Assert.That(l.GovernmentPaid, Is.EqualTo(3 * TiePart), "the pool pays its whole part up to its limit");
            Assert.That(l.ExhaustedYear, Is.Zero);
        });
        l.Default(1e6, 1e6);
        Assert.That(l.ExhaustedYear, Is.EqualTo(1), "a fourth part is beyond the limit");
        Assert.That(l.GovernmentPaid, Is.EqualTo(3 * TiePart));
    }

    [Test]
    public void Trigger_PayoutsEqualThresholdInBinaryRounding_NotSuspended()
    {
        var l = Ledger(new Shares(0.3, 0, 0.7, 0), new GuarantorTerms(1e9, 100, 0, 0, 0), suspend: TieRate);
        Assert.That(l.TryIssue(TieGuaranteed), Is.True);
        for (int i = 0; i < 3; i++) l.Default(1e6, 1e6);
        l.Trigger();
        Assert.That(l.GuarantorPaid, Is.EqualTo(3 * TiePart));
        Assert.That(l.SuspendedYear, Is.Zero, "900,000 / 25,000,000 = 3.6% does not exceed 3.6%");
        l.Default(1e6, 1e6);
        l.Trigger();
        Assert.That(l.SuspendedYear, Is.EqualTo(1));
    }

    [Test]
    public void TryIssue_OutstandingEqualsLeverageCapInBinaryRounding_Issued()
    {
        // 2.3 × 3,000,000 is 6,899,999.999999999 in binary; three loans of 2,300,000 fill the cap exactly.
        var l = Ledger(guarantor: new GuarantorTerms(3e6, 2.3, 0, 0, 0));
        Assert.That(l.TryIssue(2.3e6) && l.TryIssue(2.3e6), Is.True);
        Assert.That(l.TryIssue(2.3e6), Is.True, "outstanding 6.9 million = 2.3 × 3 million fits");
        Assert.That(l.TryIssue(1), Is.False);
    }

    [Test]
    public void Default_PartEqualsCapitalInBinaryRounding_NotInsolvent()
    {
        // 0.55 × 3,000,000 is 1,650,000.0000000002 in binary: the part equals the capital of 1,650,000.
        var l = Ledger(new Shares(0.55, 0, 0.45, 0), new GuarantorTerms(1.65e6, 100, 0, 0, 0));
        l.TryIssue(3e6);
        l.Default(3e6, 3e6);
        Assert.Multiple(() =>
        {
            Assert.That(l.InsolventYear, Is.Zero, "a part equal to the capital empties it without insolvency");
            Assert.That(l.Capital, Is.Zero);
            Assert.That(l.GuarantorPaid + l.BankPaid, Is.EqualTo(3e6), "every loss is paid by someone");
        });
        l.Default(0, 1);
        Assert.That(l.InsolventYear, Is.EqualTo(1), "the next positive part makes it insolvent");
    }
}
