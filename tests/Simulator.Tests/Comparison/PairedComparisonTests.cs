using Simulator.Core.Comparison;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Comparison;

public class PairedComparisonTests
{
    [TestCase("")]
    [TestCase(", \"importanceSampling\": { \"shift\": { \"macro\": -1 } }")]
    public void Compare_FigureValues_MatchTheRunsSummary(string sampling)
    {
        var s = TestScenarios.Load("""
            { "name": "c", "simulation": { "trials": 5000, "seed": 2 SAMPLING }, "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "f", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.4 } } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 50, "years": 2, "amount": 1e6, "pd": 0.05, "exposure": { "macro": 0.4 } },
                                "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 2e6, "shortfallTo": "bank" } } ] }
            """.Replace("SAMPLING", sampling));
        var capture = new KeyFigureCapture(s);
        var r = TestScenarios.Run(s, 2, capture);
        var figures = PairedComparison.Compare(capture, capture).ToDictionary(f => f.Figure.Name);
        Assert.Multiple(() =>
        {
            Assert.That(figures["f.breachProbability"].Estimate.Value, Is.EqualTo(r.Funds[0].Breach.Probability).Within(1e-15));
            Assert.That(figures["f.p99LossRatio"].Estimate.Value, Is.EqualTo(r.Funds[0].LossRatio.P99));
            Assert.That(figures["programme.p99LossRatio"].Estimate.Value, Is.EqualTo(r.Programme!.LossRatio.P99));
            Assert.That(figures["g.p99Loss"].Estimate.Value, Is.EqualTo(r.Guarantees[0].Loss.P99));
            Assert.That(figures["g.governmentCost"].Estimate.Value, Is.EqualTo(r.Guarantees[0].Government.Mean).Within(1e-6));
            Assert.That(figures["g.exhaustionProbability"].Estimate.Value, Is.EqualTo(r.Guarantees[0].Exhausted.Probability).Within(1e-15));
            Assert.That(figures["g.fiscalLeverage"].Estimate.Value, Is.EqualTo(r.Guarantees[0].FiscalLeverage).Within(1e-9));
            Assert.That(figures["f.breachProbability"].Estimate.StandardError, Is.EqualTo(r.Funds[0].Breach.StandardError).Within(1e-3).Percent.Or.EqualTo(r.Funds[0].Breach.StandardError).Within(0.01 * r.Funds[0].Breach.StandardError));
            Assert.That(figures.Values.Select(f => f.Difference.Value), Is.All.EqualTo(0));
        });
    }

    [Test]
    public void Compare_ImportanceSampledFigureSameInEveryTrial_ValueExactWithNoError()
    {
        // pd 1 and LGD 1 on 50 fixed loans: the mean loss is 50 million in every trial, whatever the weights.
        var s = TestScenarios.Load("""
            { "name": "sure", "simulation": { "trials": 4000, "seed": 2, "importanceSampling": { "shift": { "macro": -1 } } }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 50, "years": 1, "amount": 1e6, "termYears": 1, "pd": 1, "lgd": 1, "exposure": { "macro": 0.4 } },
                                "shares": { "bank": 0.5, "government": 0.5 } } ] }
            """);
        var capture = new KeyFigureCapture(s);
        var r = TestScenarios.Run(s, 2, capture);
        var loss = PairedComparison.Compare(capture, capture).Single(f => f.Figure.Name == "g.meanLoss");
        Assert.That(r.Guarantees[0].Loss.Mean, Is.EqualTo(5e7));
        Assert.That((loss.Estimate.Value, loss.Estimate.StandardError), Is.EqualTo((5e7, 0.0)));
    }

    [Test]
    public void Compare_ReturnFigures_MeansOverDefinedTrialsMatchTheSummary()
    {
        var s = TestScenarios.Load("""
            { "name": "r", "simulation": { "trials": 4000, "seed": 5 }, "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "governmentShare": 0.4, "deals": 10, "check": 1e6, "exposure": { "macro": 0.4 },
                           "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 } },
                         { "name": "gov", "type": "angel", "commitment": 1e8, "governmentShare": 1, "deals": 10, "check": 1e6 } ] }
            """);
        var capture = new KeyFigureCapture(s);
        var r = TestScenarios.Run(s, 2, capture);
        var figures = PairedComparison.Compare(capture, capture).ToDictionary(f => f.Figure.Name);
        var f = r.Funds[0];
        Assert.Multiple(() =>
        {
            // The summary's statistics of returns are kept to float precision, the key figures to double.
            Assert.That(figures["f.netIrrPrivateLp"].Estimate.Value, Is.EqualTo(f.NetIrrPrivate!.Mean).Within(1e-6));
            Assert.That(figures["f.netMultiplePrivateLp"].Estimate.Value, Is.EqualTo(f.NetMultiplePrivate!.Mean).Within(1e-6));
            Assert.That(figures["f.netIrrGovernment"].Estimate.Value, Is.EqualTo(f.NetIrrGovernment!.Mean).Within(1e-6));
            Assert.That(figures["f.netIrrPrivateLp"].Estimate.StandardError, Is.EqualTo(f.NetIrrPrivate.StandardErrors.Mean).Within(1).Percent);
            Assert.That(figures.Keys, Has.No.Member("gov.netIrrPrivateLp"), "a fund without private LPs has no private LPs' figures");
            Assert.That(figures.Keys, Has.Member("gov.netIrrGovernment"));
        });
    }

    [Test]
    public void Compare_ExitsDelayed_MovesTheIrrsNotTheBreachProbability()
    {
        // A stress that only shifts exits in time (issue 18, item 15): the comparison must show what it moves.
        const string Json = """
            { "name": "d", "simulation": { "trials": 3000, "seed": 9 }, "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "f", "type": "angel", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 },
                           "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 } } ],
              "variants": [ { "name": "late", "set": { "stresses": [ { "use": "exits-delayed", "years": 2 } ] } } ] }
            """;
        var s = TestScenarios.Load(Json);
        using var baseCapture = new KeyFigureCapture(s);
        using var lateCapture = new KeyFigureCapture(s.Variants[0].Scenario);
        TestScenarios.Run(s, 2, baseCapture);
        TestScenarios.Run(s.Variants[0].Scenario, 2, lateCapture);
        var late = PairedComparison.Compare(baseCapture, lateCapture).ToDictionary(f => f.Figure.Name);

        Assert.That(late["f.breachProbability"].Difference.Value, Is.Zero);
        Assert.That(late["f.netIrrPrivateLp"].Difference.Value, Is.LessThan(-2 * late["f.netIrrPrivateLp"].Difference.StandardError));
        Assert.That(late["f.netIrrGovernment"].Difference.Value, Is.LessThan(-2 * late["f.netIrrGovernment"].Difference.StandardError));
        Assert.That(late["f.netIrrPrivateLp"].Difference.StandardError, Is.GreaterThan(0));
    }
}
