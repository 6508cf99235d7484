using Simulator.Reporting.Instruments;
using Simulator.Tests.Studies;

namespace Simulator.Tests.Reporting.Instruments;

/// <summary>The economy's what-if controls (<see cref="InstrumentControls"/>): a slider only for what can move a figure.</summary>
public class InstrumentControlsTests
{
    [Test]
    public void Controls_OneYearEconomy_OfferNoPersistenceThatWouldMoveNothing()
    {
        using var whatIf = ExampleControls.Start("rare-tail-pool.json", 400);
        Assert.That(whatIf.Base.Scenario.Economy.Years, Is.EqualTo(1));
        Assert.That(InstrumentControls.Of(whatIf.Base).Select(c => c.Path), Has.None.EndsWith(".persistence"));
        // Why: a one-year path is its first, stationary draw, so no figure moves with the persistence.
        var (outcome, errors) = whatIf.Evaluate(WhatIfTests.Set(("factors[macro].persistence", 0.9)));
        Assert.That(errors, Is.Empty);
        Assert.That(outcome!.Figures.Select(f => f.Difference.Value), Is.All.EqualTo(0));
    }
}
