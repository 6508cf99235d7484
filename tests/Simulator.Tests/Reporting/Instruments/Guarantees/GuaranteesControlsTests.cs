using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.Guarantees;

/// <summary>A scheme's sliders when its settings are off the sliders' steps: each starts where its base value lies on
/// the grid (a browser snaps a value off it, so the page would otherwise move a setting nobody touched).</summary>
public class GuaranteesControlsTests
{
    private const string Json = """
        { "name": "grid", "simulation": { "trials": 200, "seed": 3 }, "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 40, "years": 2, "amount": 1e6, "pd": 0.0125, "lgd": 0.5, "exposure": { "macro": 0.355 } },
                            "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.175, "government": 0.225 },
                            "guarantor": { "capital": 2e7 }, "government": { "budget": 5e6, "capRate": 0.0375 } } ] }
        """;

    [Test]
    public void Controls_ValuesOffTheStep_StartOnTheGridThroughTheBaseAndEveryPositionIsAccepted()
    {
        using var temp = new TempDirectory();
        using var whatIf = WhatIfTests.Start(temp.Write("grid.json", Json), 200);
        var controls = ExampleControls.Of(whatIf, "guarantees[g]");
        Assert.That(controls.Select(c => (c.Path, c.Value)), Is.SupersetOf(new[]
        {
            ("guarantees[g].shares.government", 0.225), ("guarantees[g].government.capRate", 0.0375), ("guarantees[g].loans.pd", 0.0125),
            ("guarantees[g].loans.exposure.macro", 0.355),
        }));
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }
}
