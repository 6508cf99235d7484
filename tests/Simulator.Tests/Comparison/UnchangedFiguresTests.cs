using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Tests.Support;

namespace Simulator.Tests.Comparison;

/// <summary>Figures whose per-trial values a variant leaves as they are take the base's own entry: the same numbers, no new passes.</summary>
public class UnchangedFiguresTests
{
    private const string Json = """
        { "name": "unchanged", "simulation": { "trials": 4000, "seed": 9 }, "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 } },
                     { "name": "angel-b", "type": "angel", "commitment": 2e8, "deals": 12, "check": 1e7, "exposure": { "macro": 0.4 } } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 40, "years": 2, "amount": 1e6, "pd": 0.04, "lgd": 0.5, "exposure": { "macro": 0.3 } },
                            "shares": { "bank": 0.5, "government": 0.5 }, "government": { "shortfallTo": "bank" } } ],
          "variants": [ { "name": "angel", "set": { "funds[angel-b].tolerance": 0.7 } } ] }
        """;

    [Test]
    public void Compare_WithBaseFigures_UnchangedFiguresAreTheBaseEntriesAndEveryFigureEqualsTheFullComputation()
    {
        var scenario = TestScenarios.Load(Json);
        using var baseCapture = new KeyFigureCapture(scenario);
        TestScenarios.Run(scenario, 2, baseCapture);
        var variant = scenario.Variants[0].Scenario;
        using var variantCapture = new KeyFigureCapture(variant);
        TestScenarios.Run(variant, 2, variantCapture);

        var baseFigures = PairedComparison.Compare(baseCapture, baseCapture);
        var fast = PairedComparison.Compare(baseCapture, variantCapture, baseFigures);
        var full = PairedComparison.Compare(baseCapture, variantCapture);
        Assert.That(fast, Is.EqualTo(full));
        var reused = fast.Where(f => baseFigures.Any(b => ReferenceEquals(b, f))).Select(f => f.Figure.Name).ToList();
        // Only the angel fund's breach flag and the programme's change with the angel tolerance.
        Assert.That(reused, Does.Contain("seed-a.breachProbability").And.Contain("g.meanLoss").And.Contain("angel-b.p99LossRatio"));
        Assert.That(reused, Does.Not.Contain("angel-b.breachProbability").And.Not.Contain("programme.breachProbability"));
    }
}
