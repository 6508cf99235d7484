using MathNet.Numerics.Distributions;
using Simulator.Core.Bonds;
using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Bonds;

/// <summary>
/// Bonds against exact results: a bond fed by one "coin" fund whose projects all exit in year 1 (so the issuer's cash is
/// 2·check·K for K successes, and the bond defaults iff K is below a threshold) against the binomial law and the
/// one-factor integral, and hand-worked cash accounts for the recovery rules and the enhancement split.
/// </summary>
public class BondModelExactTests
{
    private const double Check = 1e6;

    // n deals of 1e6, written off with probability q, else returned twice in year 1; one bond of a one-year term on it.
    private static string CoinBond(int deals, double writeOff, double amount, double coupon = 0, string recovery = "0", string exposure = "",
        string factors = "", string stresses = "", string enhancement = "", int trials = 100_000) => $$"""
        { "name": "coin-bond", "simulation": { "trials": {{trials}}, "seed": 11 },
          "factors": [ {{factors}} ], "stresses": [ {{stresses}} ],
          "outcomes": { "coin": { "writeOff": {{writeOff}}, "success": { "fixed": 2.0 }, "exposureYears": 1, "exitYears": { "writeOff": 0, "success": 0 } } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": {{deals}}, "check": {{Check}},
                       "investmentYears": 1, "lifeYears": 2, "outcomes": "coin", "tolerance": 0.5, "exposure": { {{exposure}} } } ],
          "bonds": [ { "name": "b", "sources": [ { "fund": "f", "share": 1 } ], "amount": {{amount}}, "coupon": {{coupon}},
                       "termYears": 1, "recovery": {{recovery}} {{enhancement}} } ] }
        """;

    // Default iff 2·check·K < amount: an amount half a success below 2·check·k0 defaults exactly when K ≤ k0 − 1.
    private static double AmountFor(int k0) => 2 * Check * k0 - Check;

    [Test]
    public void Default_CoinFundIndependentProjects_MatchesBinomial()
    {
        const int deals = 20, k0 = 5;
        const double success = 0.3;
        var r = TestScenarios.Run(CoinBond(deals, 1 - success, AmountFor(k0)));
        var b = r.Bonds[0];
        double exact = Binomial.CDF(success, deals, k0 - 1);
        Exact.WithinStandardErrors(b.Default.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(default)");
        // Nothing is recovered (rate 0): the loss is the amount less the cash 2·check·K.
        double exactLoss = Enumerable.Range(0, k0).Sum(k => Binomial.PMF(success, deals, k) * (AmountFor(k0) - 2 * Check * k));
        double sd = Math.Sqrt(Enumerable.Range(0, k0).Sum(k => Binomial.PMF(success, deals, k) * Math.Pow(AmountFor(k0) - 2 * Check * k, 2)) - exactLoss * exactLoss);
        Exact.WithinStandardErrors(b.Loss.Mean, exactLoss, sd / Math.Sqrt(r.Trials), what: "expected loss");
        Assert.That(b.Loss.StandardErrors.Mean, Is.EqualTo(sd / Math.Sqrt(r.Trials)).Within(0.05 * sd / Math.Sqrt(r.Trials)), "its standard error");
        Assert.That(b.DefaultInYear[0].Probability, Is.EqualTo(b.Default.Probability), "a one-year bond defaults in its year");
    }

    [TestCase(0.5, 0.0)]
    [TestCase(0.3, -1.5)]
    public void Default_CoinFundOneFactor_MatchesIntegralOverFactor(double loading, double stress)
    {
        const int deals = 20, k0 = 5;
        const double q = 0.7;
        string stresses = stress == 0 ? "" : $$"""{ "factor": "macro", "fromYear": 1, "toYear": 1, "shift": {{stress}} }""";
        var r = TestScenarios.Run(CoinBond(deals, q, AmountFor(k0), exposure: $"\"macro\": {loading}", factors: "{ \"name\": \"macro\" }", stresses: stresses));
        double c = Math.Sqrt(1 - loading * loading), threshold = Normal.InvCDF(0, 1, q);
        double exact = Exact.NormalExpectation(s => Exact.BinomialCdf(1 - Normal.CDF(0, 1, (threshold - loading * s) / c), deals, k0 - 1), mean: stress);
        Exact.WithinStandardErrors(r.Bonds[0].Default.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(default)");
        // Tolerance 0.5 of 20 deals: the fund breaches iff K ≤ 4, the bond's event, trial by trial (same trials, same draws).
        Assert.That(r.Bonds[0].Default.Count, Is.EqualTo(r.Funds[0].Breach.Count), "the bond defaults exactly in the trials its fund breaches");
    }

    [Test]
    public void BreakEvenCoupon_CoinFundNoRecovery_MatchesClosedForm()
    {
        // Bondholders receive (1 + c)·A without default, the cash 2·check·K with one; discounted one year at r the
        // expected receipts equal A at c* = ((1 + r)·A − E[2·check·K; K < k0]) / ((1 − p)·A) − 1. The default event does not
        // move with c while (1 + c)·A stays below the next success (c < check / A).
        const int deals = 20, k0 = 8;
        const double success = 0.5, rate = 0.015;
        double amount = AmountFor(k0);
        var r = TestScenarios.Run(CoinBond(deals, 1 - success, amount));
        double p = Binomial.CDF(success, deals, k0 - 1);
        double cash = Enumerable.Range(0, k0).Sum(k => Binomial.PMF(success, deals, k) * 2 * Check * k);
        double exact = ((1 + rate) * amount - cash) / ((1 - p) * amount) - 1;
        Assert.That(exact, Is.LessThan(Check / amount), "the closed form holds in this range");
        var b = r.Bonds[0];
        Assert.That(b.BreakEvenCoupon.StandardError, Is.GreaterThan(0));
        // Linear interpolation between coupons 0.25% apart of a curve linear in c (the default event is fixed): exact.
        Exact.WithinStandardErrors(b.BreakEvenCoupon.Value, exact, b.BreakEvenCoupon.StandardError, what: "break-even coupon");
    }

    [Test]
    public void BreakEvenCoupon_NoDefaultPossible_EqualsRiskFreeRate()
    {
        // Every project succeeds: the bond is riskless and its break-even coupon is the risk-free rate.
        var r = TestScenarios.Run(CoinBond(10, 0, AmountFor(3), coupon: 0.03, trials: 2000));
        Assert.That(r.Bonds[0].Default.Probability, Is.Zero);
        Assert.That(r.Bonds[0].BreakEvenCoupon.Value, Is.EqualTo(0.015).Within(1e-12));
    }

    // Ten projects of 1e6 that all succeed (×2) and exit in year 3: the fund pays 2e7 in year 3 and nothing before.
    private static string Deterministic(string recovery, string enhancement = "", double reserve = 1e6) => $$"""
        { "name": "det-bond", "simulation": { "trials": 1000, "seed": 2 },
          "outcomes": { "sure": { "writeOff": 0, "success": { "fixed": 2.0 }, "exitYears": { "success": 2 } } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": 10, "check": 1e6,
                       "investmentYears": 1, "lifeYears": 3, "outcomes": "sure" } ],
          "bonds": [ { "name": "b", "sources": [ { "fund": "f", "share": 1 } ], "amount": 1e7, "coupon": 0.05, "termYears": 2,
                       "reserve": {{reserve}}, "recovery": {{recovery}} {{enhancement}} } ] }
        """;

    [Test]
    public void Loss_LaterInflowsCoverTheClaim_NoLoss()
    {
        // Year 1: cash 1e6 pays the coupon 5e5. Year 2: 5e5 left against 1.05e7 due → default in year 2, claim 1e7.
        // Year 3: the fund pays 2e7, which repays the claim in full.
        var b = TestScenarios.Run(Deterministic("\"later-inflows\"")).Bonds[0];
        Assert.That(b.Default.Probability, Is.EqualTo(1));
        Assert.That(b.DefaultInYear[1].Probability, Is.EqualTo(1), "in year 2");
        Assert.That(b.Loss.Mean, Is.Zero);
    }

    [Test]
    public void Loss_FixedRecoveryWithEnhancement_SplitByShares()
    {
        // Claim 1e7, 40% recovered: loss 6e6, of which the tool takes half, the local guarantor 30%, the bondholders 20%.
        var b = TestScenarios.Run(Deterministic("0.4", ", \"enhancement\": { \"tool\": 0.5, \"localGuarantor\": 0.3 }")).Bonds[0];
        Assert.That(b.Loss.Mean, Is.EqualTo(6e6).Within(1e-6));
        Assert.That(b.Tool.Mean, Is.EqualTo(3e6).Within(1e-6));
        Assert.That(b.LocalGuarantor.Mean, Is.EqualTo(1.8e6).Within(1e-6));
        Assert.That(b.Bondholders.Mean, Is.EqualTo(1.2e6).Within(1e-6));
        Assert.That(b.ToolCostPerYuan.Value, Is.EqualTo(0.3).Within(1e-12));
    }

    [Test]
    public void Run_LaterInflowsShortOfTheClaim_LossIsTheRest()
    {
        // Inflows 0, 0, 4e6 (a fund paying 4e6 in year 3): default in year 1 (reserve 0 against the coupon 5e5); claim
        // 5e5 + 1e7; recovery 4e6; loss 6.5e6. As a pure function of the inflows.
        var bond = new Bond("b", null, [], 0, 0, 1e7, 0.05, 2, 1, BondAmortisation.Bullet, 0.5, 0, double.NaN, 0.015);
        var o = BondCashFlows.Run(bond, bond.Coupon, [0, 0, 4e6]);
        Assert.That(o.DefaultYear, Is.EqualTo(1));
        Assert.That(o.Claim, Is.EqualTo(1.05e7));
        Assert.That(o.Recovery, Is.EqualTo(4e6));
        Assert.That(o.Loss, Is.EqualTo(6.5e6));
        Assert.That(o.Tool, Is.EqualTo(3.25e6));
        Assert.That(o.Bondholders, Is.EqualTo(3.25e6));
    }

    [Test]
    public void Run_LinearAmortisation_PaysPrincipalEachYear()
    {
        // 1e7 over 2 years at 10%: year 1 due 1e6 + 5e6, year 2 due 5e5 + 5e6; inflows of 6e6 and 5e6 leave 5e5 short in year 2.
        var bond = new Bond("b", null, [], 0, 0, 1e7, 0.1, 2, 1, BondAmortisation.Linear, 0, 0, 0, 0);
        var o = BondCashFlows.Run(bond, bond.Coupon, [6e6, 5e6]);
        Assert.That(o.DefaultYear, Is.EqualTo(2));
        Assert.That(o.Claim, Is.EqualTo(5e5).Within(1e-6));
        var paid = BondCashFlows.Run(bond, bond.Coupon, [6e6, 5.5e6]);
        Assert.That(paid.DefaultYear, Is.Zero);
        Assert.That(paid.ExcessValue, Is.EqualTo(0.15).Within(1e-12), "undiscounted: 1.5e6 of coupons on 1e7");
    }

    [TestCase(BondAmortisation.Bullet)]
    [TestCase(BondAmortisation.Linear)]
    public void Grid_NoDefaultAtTheTopCoupon_EqualsTheAccountRunAtEachCoupon(BondAmortisation amortisation)
    {
        // The shortcut for trials without a default (value linear in the coupon) against the account run coupon by coupon.
        var bond = new Bond("b", null, [], 0, 0, 1e7, 0.02, 3, 2, amortisation, 0, 0, double.NaN, 0.03);
        double[] inflows = [0, 8e6, 8e6, 1.2e7];
        var values = new double[Bond.CouponGrid.Count];
        BondCashFlows.Grid(bond, inflows, values);
        Assert.That(BondCashFlows.Run(bond, Bond.CouponGrid[^1], inflows).DefaultYear, Is.Zero, "the shortcut applies");
        for (int k = 0; k < values.Length; k++)
            Assert.That(values[k], Is.EqualTo(BondCashFlows.Run(bond, Bond.CouponGrid[k], inflows).ExcessValue).Within(1e-12), $"coupon {Bond.CouponGrid[k]}");
    }
}
