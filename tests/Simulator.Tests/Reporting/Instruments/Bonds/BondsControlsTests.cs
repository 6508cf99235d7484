using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.Bonds;

/// <summary>The what-if page's sliders for bonds, on every example that has one.</summary>
public class BondsControlsTests
{
    private const string Bond = "bonds[vc-kcz-bond]";

    [TestCase("vc-bond-tool-sweep.json")]
    [TestCase("vc-bond-downturn.json")]
    public void Controls_Example_OfferTheBondLeversAtTheFileValuesAndEveryReachableValueIsAccepted(string example)
    {
        using var whatIf = ExampleControls.Start(example, 100);
        var controls = ExampleControls.Of(whatIf, "bonds[");
        Assert.That(controls.Select(c => c.Path), Is.EqualTo(new[]
        {
            $"{Bond}.enhancement.tool", $"{Bond}.enhancement.localGuarantor", $"{Bond}.coupon", $"{Bond}.amount", $"{Bond}.reserve",
            $"{Bond}.termYears", $"{Bond}.sources[0].share", $"{Bond}.sources[1].share",
        }));
        foreach (var c in controls)
        {
            Assert.That(c.Group, Is.EqualTo("vc-kcz-bond"));
            Assert.That(c.Label, Does.StartWith("vc-kcz-bond: "));
            Assert.That(c.Value, Is.EqualTo(ExampleControls.InFile(whatIf, c.Path)), c.Path);
        }
        // The shares of a loss stop where the other's base leaves the bondholders nothing; the term where the horizon ends.
        var tool = controls.Single(c => c.Path.EndsWith(".tool", StringComparison.Ordinal));
        Assert.That(tool.Max, Is.EqualTo(1 - ExampleControls.InFile(whatIf, $"{Bond}.enhancement.localGuarantor")));
        var term = controls.Single(c => c.Path.EndsWith(".termYears", StringComparison.Ordinal));
        Assert.That(term.Max, Is.EqualTo(whatIf.Base.Scenario.HorizonYears - ExampleControls.InFile(whatIf, $"{Bond}.issueYear") + 1));
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Controls_TwoBondsOnOneFundAndAHighCoupon_RangesStopWhereTheFormatDoes()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", """
            { "name": "two-bonds", "simulation": { "trials": 100, "seed": 3 },
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 5e6 } ],
              "bonds": [ { "name": "a", "sources": [ { "fund": "f", "share": 0.3 } ], "amount": 1e7, "coupon": 0.4, "termYears": 3 },
                         { "name": "b", "sources": [ { "fund": "f", "share": 0.5 } ], "amount": 1e7, "coupon": 0.02, "termYears": 3 } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var shares = ExampleControls.Of(whatIf, "bonds[").Where(c => c.Path.EndsWith(".share", StringComparison.Ordinal)).ToList();
        Assert.That(shares.Select(c => (c.Path, c.Max)), Is.EqualTo(new[] { ("bonds[a].sources[0].share", 1 - 0.5), ("bonds[b].sources[0].share", 1 - 0.3) }));
        ExampleControls.AssertEveryPositionAccepted(whatIf, shares);
        // A coupon of 40% must not offer three times itself: a coupon is at most 1.
        var coupon = ExampleControls.Of(whatIf, "bonds[a].coupon").Single();
        Assert.That(coupon.Max, Is.EqualTo(1));
        ExampleControls.AssertEveryPositionAccepted(whatIf, [coupon]);
        // One step past the end is refused: the shares would sum above 1.
        Assert.That(whatIf.Check(WhatIfTests.Set(("bonds[a].sources[0].share", shares[0].Max + shares[0].Step))), Is.Not.Empty);
    }

    [Test]
    public void Evaluate_ToolShareMoved_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        using var whatIf = ExampleControls.Start("vc-bond-downturn.json", 1000);
        var figures = ExampleControls.EvaluateAsBatch(whatIf, WhatIfTests.Set(($"{Bond}.enhancement.tool", 0.3)), 1000);
        // The slider does something: in the downturn the bond defaults, and the tool pays 30% of its losses instead of 50%.
        var tool = figures.Single(f => f.Figure.Name == "vc-kcz-bond.toolCost");
        var loss = figures.Single(f => f.Figure.Name == "vc-kcz-bond.expectedLoss");
        Assert.That(loss.Estimate.Value, Is.GreaterThan(0));
        Assert.That(tool.Difference.Value, Is.EqualTo(-0.2 * loss.Estimate.Value).Within(1e-9 * loss.Estimate.Value));
    }
}
