using Simulator.Core.Statistics;
using Simulator.Cli;
using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Tests.Support;
using Simulator.Core.Scenarios;

namespace Simulator.Tests.Cli;

/// <summary>The tables printed after a run.</summary>
public class ConsoleSummaryTests
{
    [Test]
    public void PrintComparison_SmallStandardError_ShownWithItsFirstDigit()
    {
        // A paired standard error of 0.045 million printed as "± 0.0M" (issue 18, item 17): an exact-looking zero.
        var scenario = TestScenarios.Load("""{ "name": "c", "funds": [ { "name": "f", "type": "seed", "commitment": 1e7, "deals": 2, "check": 1e6 } ] }""");
        var cost = new KeyFigure("s.governmentCost", FigureKind.Mean, FigureUnit.Money, "s");
        var breach = new KeyFigure("f.breachProbability", FigureKind.Mean, FigureUnit.Probability, "f");
        var variant = new ScenarioVariant("cheaper", VariantOrigin.Variant, [], scenario);
        var comparison = new ComparisonResult(scenario,
            [new FigureComparison(breach, new Estimate(0.05, 0.001), new Estimate(0, 0)), new FigureComparison(cost, new Estimate(31.5e6, 0.2e6), new Estimate(0, 0))],
            [new VariantOutcome(variant, [new FigureComparison(breach, new Estimate(0.06, 0.001), new Estimate(0.01, 0.0004)), new FigureComparison(cost, new Estimate(25.1e6, 0.2e6), new Estimate(-6.4e6, 0.045e6))])]);
        var w = new StringWriter();

        ConsoleSummary.PrintComparison(w, comparison);

        string row = w.ToString().Split('\n').Single(l => l.StartsWith("  cheaper", StringComparison.Ordinal));
        Assert.That(row, Does.Contain("+1.00 ± 0.04 pt").And.Contain("-6.40 ± 0.05M"));
    }

    [Test]
    public void Print_OneFund_NoProgrammeRowRepeatingIt()
    {
        var result = TestScenarios.Run("""{ "name": "one", "simulation": { "trials": 500, "seed": 1 }, "funds": [ { "name": "solo", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""");
        var w = new StringWriter();

        ConsoleSummary.Print(w, result, TimeSpan.FromSeconds(1));

        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(l => l.StartsWith("  solo ", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(lines, Has.None.StartsWith("  programme"));
    }
}
