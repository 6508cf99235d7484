using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Securitisations;

/// <summary>The shipped bond-and-ABS example gives the same trials whatever the thread count.</summary>
public class InstrumentReproducibilityTests
{
    [Test]
    public void Run_OneAndTwoThreads_SameTrialRows()
    {
        var load = ScenarioLoader.Load(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "vc-bond-downturn.json"));
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var scenario = load.Scenario!.WithRunSettings(3000, null);
        var one = new MemorySink();
        var two = new MemorySink();
        TestScenarios.Run(scenario, 1, one);
        TestScenarios.Run(scenario, 2, two);
        Assert.That(one.Values, Has.Count.GreaterThan(0));
        Assert.That(one.Values.Where(v => v > 0).Count(), Is.GreaterThan(0));
        Assert.That(two.Values, Is.EqualTo(one.Values));
    }
}
