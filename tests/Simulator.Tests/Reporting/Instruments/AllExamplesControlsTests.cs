using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments;

/// <summary>
/// Every slider the what-if page offers on every shipped example, whatever kind declares it (funds, schemes, firms,
/// bonds, securitisations, relay buyers, funds-of-funds, floors, the economy): its value lies in its range on the
/// slider's grid, and every position a user can reach (min, max, a step either side) is a setting the format accepts,
/// so that no move on a shipped example answers with an error. (That each value is the scenario's, defaults and the
/// policy's tolerances included, the kinds' own controls tests check.)
/// </summary>
public class AllExamplesControlsTests
{
    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "scenarios"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(Examples))]
    public void Controls_Example_EveryPositionAccepted(string example)
    {
        using var whatIf = ExampleControls.Start(example, 200);
        var controls = ExampleControls.Of(whatIf, "");
        Assert.That(controls, Is.Not.Empty);
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }
}
