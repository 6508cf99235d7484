using Simulator.Core.Scenarios;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Scenarios;

/// <summary>The shipped examples stay valid and runnable.</summary>
public class ExampleScenariosTests
{
    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "scenarios"), "*.json").Order(StringComparer.Ordinal);

    [Test]
    public void Examples_AtLeastThreeShipped() => Assert.That(Examples().Count(), Is.GreaterThanOrEqualTo(3));

    [TestCaseSource(nameof(Examples))]
    [Category("Slow")]
    public void Example_IsValidAndRuns(string path)
    {
        var load = ScenarioLoader.Load(path);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var result = TestScenarios.Run(load.Scenario!.WithRunSettings(2000, null));
        Assert.That(load.Scenario!.InstrumentList.Sum(i => i.Items.Count), Is.GreaterThan(0), "every example holds some item");
        if (result.Programme is { } p) Assert.That(p.LossRatio.Mean, Is.InRange(0, 1));
        foreach (var g in result.Guarantees) Assert.That(g.MeanGuaranteed, Is.GreaterThan(0), g.Guarantee.Name);
    }
}
