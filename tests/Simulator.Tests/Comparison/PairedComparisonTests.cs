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
            Assert.That(figures["f.breachProbability"].Value, Is.EqualTo(r.Funds[0].Breach.Probability).Within(1e-15));
            Assert.That(figures["f.p99LossRatio"].Value, Is.EqualTo(r.Funds[0].LossRatio.P99));
            Assert.That(figures["programme.p99LossRatio"].Value, Is.EqualTo(r.Programme!.LossRatio.P99));
            Assert.That(figures["g.p99Loss"].Value, Is.EqualTo(r.Guarantees[0].Loss.P99));
            Assert.That(figures["g.governmentCost"].Value, Is.EqualTo(r.Guarantees[0].Government.Mean).Within(1e-6));
            Assert.That(figures["g.exhaustionProbability"].Value, Is.EqualTo(r.Guarantees[0].Exhausted.Probability).Within(1e-15));
            Assert.That(figures["g.fiscalLeverage"].Value, Is.EqualTo(r.Guarantees[0].FiscalLeverage).Within(1e-9));
            Assert.That(figures["f.breachProbability"].StandardError, Is.EqualTo(r.Funds[0].Breach.StandardError).Within(1e-3).Percent.Or.EqualTo(r.Funds[0].Breach.StandardError).Within(0.01 * r.Funds[0].Breach.StandardError));
            Assert.That(figures.Values.Select(f => f.Diff), Is.All.EqualTo(0));
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
        Assert.That((loss.Value, loss.StandardError), Is.EqualTo((5e7, 0.0)));
    }
}
