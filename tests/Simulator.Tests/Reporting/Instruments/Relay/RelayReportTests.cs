using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.Relay;

/// <summary>The what-if sliders a relay buyer declares, on the example that has one.</summary>
public class RelayReportTests
{
    [Test]
    public void Controls_Example_StartAtTheFileAndEveryValueOfferedIsAccepted()
    {
        using var whatIf = ExampleControls.Start("wuhan-relay-floor.json", 200);
        var controls = ExampleControls.Of(whatIf, "relay[");
        Assert.That(controls.Select(c => c.Path), Is.EquivalentTo(new[]
        {
            "relay[relay].budgetShare", "relay[relay].price.rule", "relay[relay].price.discount", "relay[relay].offer.afterYears",
            "relay[relay].offer.minMark", "relay[relay].information",
        }));
        Assert.That(controls.Select(c => c.Group).Distinct(), Is.EqualTo(new[] { "relay" }));
        ExampleControls.AssertValuesAsFilled(whatIf, controls);
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Controls_VehicleAndOwnTolerance_OfferItsCapitalAndTolerance()
    {
        // A relay of its own vehicle, with a tolerance of its own: its capital replaces the budget share, and its tolerance
        // gets a slider; neither is in the example.
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", """
            { "name": "relay-vehicle", "simulation": { "trials": 100, "seed": 3 },
              "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 10, "check": 4e6 } ],
              "relay": [ { "name": "r", "vehicle": { "capital": 5e7 }, "sellers": [ "seed-a" ], "tolerance": 0.4 } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var controls = ExampleControls.Of(whatIf, "relay[");
        Assert.That(controls.Select(c => c.Path), Is.SupersetOf(new[] { "relay[r].vehicle.capital", "relay[r].tolerance" }));
        Assert.That(controls.Select(c => c.Path), Does.Not.Contain("relay[r].budgetShare"));
        ExampleControls.AssertValuesAsFilled(whatIf, controls);
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Evaluate_BudgetShare_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        const int trials = 2000;
        using var whatIf = ExampleControls.Start("wuhan-relay-floor.json", trials);
        var figures = ExampleControls.EvaluateAsBatch(whatIf, WhatIfTests.Set(("relay[relay].budgetShare", 0.3)), trials);
        // Three times the budget buys more of the sellers' projects (the budget binds in every trial, at either share), at
        // a price of at least 80% of their cost: the first angel fund breaches its tolerance less often, by more than three
        // paired standard errors.
        var angel = figures.Single(f => f.Figure.Name == "relay.angel-2025.breachProbabilityWithRelay");
        Assert.That(angel.Difference.Value, Is.LessThan(-3 * angel.Difference.StandardError));
    }
}
