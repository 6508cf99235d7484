using MathNet.Numerics.Distributions;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Engine;

/// <summary>Importance sampling of the factors against exact tails, plain sampling and itself across threads.</summary>
public class ImportanceSamplingTests
{
    private const int Loans = 100;
    private const double Pd = 0.01, Rho = 0.3;

    private static string Pool(string sampling, int trials = 100_000, string thresholds = "30, 70") => $$"""
        { "name": "rare", "simulation": { "trials": {{trials}}, "seed": 3, "importanceSampling": {{sampling}} },
          "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": {{Loans}}, "years": 1, "amount": 1, "termYears": 1, "pd": {{Pd}}, "lgd": 1,
                            "exposure": { "macro": {{Math.Sqrt(Rho)}} } }, "shares": { "bank": 1 } } ],
          "report": { "exceedance": [ {{thresholds}} ] } }
        """;

    private static double ExactTail(int k) => Exact.NormalExpectation(z =>
        1 - Binomial.CDF(Normal.CDF(0, 1, (Normal.InvCDF(0, 1, Pd) - Math.Sqrt(Rho) * z) / Math.Sqrt(1 - Rho)), Loans, k));

    [Test]
    public void RareTail_Automatic_WithinFourStandardErrorsAndTwentyPercentOfExact()
    {
        var r = TestScenarios.Run(Pool("true"));
        Assert.That(r.ImportanceSampling, Is.Not.Null);
        Assert.That(r.ImportanceSampling!.Shift["macro"], Is.LessThan(0), "the shift points at bad years");
        foreach (var e in r.Guarantees[0].Loss.Exceedance)
        {
            double exact = ExactTail((int)e.Threshold);
            Assert.That(exact, Is.LessThan(1e-3));
            Exact.WithinStandardErrors(e.Estimate.Probability, exact, e.Estimate.StandardError, what: $"P(loss > {e.Threshold})");
            Assert.That(e.Estimate.Probability, Is.EqualTo(exact).Within(20).Percent);
        }
        Assert.That(ExactTail(70), Is.LessThan(3e-6), "the far threshold is a one-in-a-few-million event");
    }

    [Test]
    public void RareTail_StandardErrorFarBelowPlainSampling()
    {
        // At the far threshold the automatic shift aims at (p ≈ 3e-7), plain sampling's standard error would be
        // sqrt(p(1 − p)/n) — it would see the event 0.03 times in 100,000 trials.
        var far = TestScenarios.Run(Pool("true")).Guarantees[0].Loss.Exceedance[1];
        double exact = ExactTail(70);
        Assert.That(far.Estimate.StandardError, Is.LessThan(Exact.ProbabilityStandardError(exact, far.Estimate.Trials) / 5));
    }

    [Test]
    public void GivenShift_UsedAsIs_AndModerateFiguresStayUnbiased()
    {
        var r = TestScenarios.Run(Pool("{ \"shift\": { \"macro\": -1 } }", 50_000, "2"));
        Assert.That(r.ImportanceSampling!.Automatic, Is.False);
        Assert.That(r.ImportanceSampling.Shift["macro"], Is.EqualTo(-1));
        var g = r.Guarantees[0];
        Exact.WithinStandardErrors(g.Loss.Mean, Loans * Pd, g.Loss.StandardErrors.Mean, what: "mean loss");
        var e = g.Loss.Exceedance[0];
        Exact.WithinStandardErrors(e.Estimate.Probability, ExactTail(2), e.Estimate.StandardError, what: "P(loss > 2)");
        Assert.That(r.ImportanceSampling.EffectiveSampleSize, Is.InRange(1000, 50_000));
    }

    [Test]
    public void FundBreach_UnderShift_MatchesIntegral()
    {
        var r = TestScenarios.Run("""
            { "name": "f", "simulation": { "trials": 50000, "seed": 4, "importanceSampling": true }, "factors": [ { "name": "macro" } ],
              "outcomes": { "coin": { "writeOff": 0.7, "success": 2.0, "exposureYears": 1 } },
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "outcomes": "coin",
                           "exposure": { "macro": 0.5 }, "tolerance": 0.9 } ] }
            """);
        // Breach of 90% iff fewer than 1 success (k = 0).
        double exact = Exact.NormalExpectation(z => Binomial.CDF(1 - Normal.CDF(0, 1, (Normal.InvCDF(0, 1, 0.7) - 0.5 * z) / Math.Sqrt(0.75)), 20, 0));
        var b = r.Funds[0].Breach;
        Exact.WithinStandardErrors(b.Probability, exact, b.StandardError, what: "P(breach)");
    }

    [Test]
    public void FiguresSameInEveryTrial_UnderShift_ReportedAsThemselves()
    {
        // Fixed checks, a fixed 60% tolerance and a book of 2,000 fixed loans without a guarantor: invested, the
        // programme's tolerance, loans issued and the guaranteed amount are the same in every trial, so the weighted
        // figures must be exactly those values, not the values times the mean of the weights.
        var r = TestScenarios.Run("""
            { "name": "constants", "simulation": { "trials": 20000, "seed": 6, "importanceSampling": { "shift": { "macro": -1 } } },
              "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6, "tolerance": 0.6, "exposure": { "macro": 0.5 } },
                         { "name": "b", "type": "angel", "commitment": 1e8, "deals": 20, "check": 1e6, "tolerance": 0.6, "exposure": { "macro": 0.5 } } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 2000, "years": 1, "amount": 1e6, "termYears": 1, "pd": 0.02, "lgd": 0.6,
                                "exposure": { "macro": 0.45 } }, "shares": { "bank": 0.5, "government": 0.5 },
                                "government": { "budget": 1.5e7, "shortfallTo": "bank" } } ] }
            """);
        var g = r.Guarantees[0];
        double meanWeight = g.Losses.TotalWeight / g.Losses.Count;
        Assert.That(meanWeight, Is.Not.EqualTo(1).Within(1e-3), "the sample's weights do not average 1, so the check can fail");
        Assert.Multiple(() =>
        {
            Assert.That(r.Funds.Select(f => f.MeanInvested), Is.All.EqualTo(2e7));
            Assert.That(r.Programme!.MeanTolerance, Is.EqualTo(0.6));
            Assert.That(g.MeanLoans, Is.EqualTo(2000));
            Assert.That(g.MeanGuaranteed, Is.EqualTo(2e9));
            // Probabilities of the sure event and the shares of a histogram add up to 1.
            Assert.That(g.Losses.Exceedance(-1), Is.EqualTo(1).Within(1e-12));
            Assert.That(g.Losses.Shares(2, x => x > 6e6 ? 1 : 0).Sum(), Is.EqualTo(100).Within(1e-12));
            Assert.That(g.ExhaustedByYear[^1], Is.EqualTo(g.Exhausted.Probability).Within(1e-15));
        });
    }

    [Test]
    public void Run_OneAndFourThreads_IdenticalRowsAndWeights()
    {
        var s = TestScenarios.Load(Pool("true", 8000));
        var one = new MemorySink();
        var four = new MemorySink();
        TestScenarios.Run(s, 1, one);
        TestScenarios.Run(s, 4, four);
        Assert.That(four.Values, Is.EqualTo(one.Values));
    }
}
