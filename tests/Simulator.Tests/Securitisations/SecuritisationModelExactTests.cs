using MathNet.Numerics.Distributions;
using Simulator.Core.Securitisations;
using Simulator.Tests.Support;

namespace Simulator.Tests.Securitisations;

/// <summary>
/// Tranches against exact results: a one-year pool of n loans of 1 with LGD 1 and zero rates loses D (the number of
/// defaults), so the senior tranche loses max(0, D − J − C) for a subordinate size J and guarantor capital C, against
/// the binomial law and the one-factor integral; and hand-worked waterfalls.
/// </summary>
public class SecuritisationModelExactTests
{
    private static string Pool(int n, double pd, double seniorShare, string exposure = "", string factors = "", string guarantor = "", int trials = 100_000) => $$"""
        { "name": "abs", "simulation": { "trials": {{trials}}, "seed": 5 }, "factors": [ {{factors}} ],
          "securitisations": [ { "name": "d", "loans": [ { "count": {{n}}, "amount": 1, "pd": {{pd}} } ], "exposure": { {{exposure}} },
              "senior": { "share": {{seniorShare}} } {{guarantor}} } ] }
        """;

    // P(D > j) and E[max(0, D − j)] for D ~ Binomial(n, p).
    private static (double Tail, double Excess) Binomial(int n, double p, double j) =>
        (Enumerable.Range(0, n + 1).Where(k => k > j + 1e-9).Sum(k => MathNet.Numerics.Distributions.Binomial.PMF(p, n, k)),
         Enumerable.Range(0, n + 1).Sum(k => MathNet.Numerics.Distributions.Binomial.PMF(p, n, k) * Math.Max(0, k - j)));

    [Test]
    public void SeniorLoss_IndependentLoans_MatchesBinomial()
    {
        const int n = 12;
        const double pd = 0.1, share = 0.75; // J = 3: the senior loses iff more than 3 of 12 default
        var r = TestScenarios.Run(Pool(n, pd, share));
        var d = r.Securitisations[0];
        var (tail, excess) = Binomial(n, pd, 3);
        Exact.WithinStandardErrors(d.SeniorDefault.Probability, tail, Exact.ProbabilityStandardError(tail, r.Trials), what: "P(senior loss)");
        Exact.WithinStandardErrors(d.SeniorLoss.Mean, excess, d.SeniorLoss.StandardErrors.Mean, what: "senior expected loss");
        Exact.WithinStandardErrors(d.SubordinateLoss.Mean, n * pd - excess, d.SubordinateLoss.StandardErrors.Mean, what: "subordinate expected loss");
        Assert.That(d.SeniorLoss.Mean + d.SubordinateLoss.Mean, Is.EqualTo(d.PoolLoss.Mean).Within(1e-9), "the tranches share the pool's loss, trial by trial");
    }

    [TestCase(0.5, 0.0)]
    [TestCase(0.4, 3.0)]
    public void SeniorLoss_OneFactorPoolWithGuarantor_MatchesIntegralOverFactor(double loading, double capital)
    {
        const int n = 12;
        const double pd = 0.05, share = 10.0 / 12; // J = 2
        string guarantor = capital > 0 ? $$""", "shortfallGuarantor": { "capital": {{capital}} }""" : "";
        var r = TestScenarios.Run(Pool(n, pd, share, $"\"macro\": {loading}", "{ \"name\": \"macro\" }", guarantor));
        var d = r.Securitisations[0];
        double c = Math.Sqrt(1 - loading * loading), q = Normal.InvCDF(0, 1, pd);
        double j = 2 + capital;
        double tail = Exact.NormalExpectation(s => Binomial(n, Normal.CDF(0, 1, (q - loading * s) / c), j).Tail);
        double excess = Exact.NormalExpectation(s => Binomial(n, Normal.CDF(0, 1, (q - loading * s) / c), j).Excess);
        Exact.WithinStandardErrors(d.SeniorDefault.Probability, tail, Exact.ProbabilityStandardError(tail, r.Trials), what: "P(senior loss)");
        Exact.WithinStandardErrors(d.SeniorLoss.Mean, excess, d.SeniorLoss.StandardErrors.Mean, what: "senior expected loss");
        if (capital > 0)
        {
            // The guarantor is called whenever D > 2 and is insolvent whenever D > 2 + capital.
            double called = Exact.NormalExpectation(s => Binomial(n, Normal.CDF(0, 1, (q - loading * s) / c), 2).Tail);
            Exact.WithinStandardErrors(d.GuarantorInsolvent.Probability, tail, Exact.ProbabilityStandardError(tail, r.Trials), what: "P(guarantor insolvent)");
            double paid = Exact.NormalExpectation(s => Binomial(n, Normal.CDF(0, 1, (q - loading * s) / c), 2).Excess) - excess;
            Exact.WithinStandardErrors(d.ShortfallPaid.Mean, paid, d.ShortfallPaid.StandardErrors.Mean, what: "guarantor payments");
            Assert.That(called, Is.GreaterThan(tail));
        }
    }

    private static Securitisation Deal(double pdSecond, bool trap, double capital) => new("d", null,
        [new PoolLoan(1e6, 0.1, 0, 0.5, 2), new PoolLoan(1e6, 0.1, pdSecond, 0.5, 2)], [], 0.5, 0.05, 0.08, trap, capital);

    [Test]
    public void Waterfall_PerformingPool_PaysEveryoneAndReleasesTheRest()
    {
        // Year 1: 2e5 interest pays senior 5e4 and subordinate 8e4 interest; 7e4 is trapped. Year 2: 2.2e6 + 7e4 pays
        // 5e4 + 1e6 senior, 8e4 + 1e6 subordinate, releases 1.4e5.
        var o = TrancheEvaluator.Waterfall(Deal(0, true, 0), [0, 0]);
        Assert.That((o.SeniorLoss, o.SubordinateLoss, o.ShortfallPaid, o.InsolventYear), Is.EqualTo((0.0, 0.0, 0.0, 0)));
        Assert.That(o.Released, Is.EqualTo(1.4e5).Within(1e-6));
    }

    [Test]
    public void Waterfall_DefaultInYearOne_GuarantorPaysUntilInsolvent()
    {
        // Year 1: loan 2 defaults (recovers 5e5) and loan 1 pays 1e5: 6e5 pays senior interest 5e4 and 5.5e5 of the 1e6
        // principal due (the notes' excess over the 1e6 still performing); the guarantor's 3e5 covers part of the 4.5e5
        // short and it is insolvent; the subordinate's 8e4 interest is lost. Year 2: 1.1e6 pays senior 7.5e3 + 1.5e5,
        // subordinate 8e4 interest and 8.625e5 of its 1e6: it loses 8e4 + 1.375e5.
        var o = TrancheEvaluator.Waterfall(Deal(1, true, 3e5), [0, 1]);
        Assert.That(o.SeniorLoss, Is.Zero);
        Assert.That(o.ShortfallPaid, Is.EqualTo(3e5));
        Assert.That(o.InsolventYear, Is.EqualTo(1));
        Assert.That(o.SubordinateLoss, Is.EqualTo(2.175e5).Within(1e-6));
        Assert.That(o.PoolLoss, Is.EqualTo(5e5));
    }

    [Test]
    public void Waterfall_ExcessReleasedInsteadOfTrapped_LaterShortfallNotCovered()
    {
        // Loan 2 defaults in year 2 with nothing recovered (lgd 1): trapped year-1 spread (7e4) softens the subordinate's loss.
        var deal = new Securitisation("d", null, [new PoolLoan(1e6, 0.1, 0, 0.5, 2), new PoolLoan(1e6, 0.1, 1, 1, 2)], [], 0.5, 0.05, 0.08, true, 0);
        var trapped = TrancheEvaluator.Waterfall(deal, [0, 2]);
        var released = TrancheEvaluator.Waterfall(deal with { TrapExcess = false }, [0, 2]);
        Assert.That(released.SubordinateLoss - trapped.SubordinateLoss, Is.EqualTo(7e4).Within(1e-6));
        Assert.That(released.Released - trapped.Released, Is.EqualTo(7e4).Within(1e-6));
    }

    [TestCase(0.0, 5, "AAA")]
    [TestCase(0.002, 5, "AA")]
    [TestCase(0.02, 5, "BBB")]
    [TestCase(0.5, 3, "CCC")]
    public void Grade_SeniorPd_FollowsTheDocumentedTable(double pd, int years, string grade) =>
        Assert.That(TrancheGrade.Of(pd, years), Is.EqualTo(grade));
}
