using Simulator.Core.Format;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.FundOfFunds;

/// <summary>The what-if page's sliders for a fund-of-funds, on the example that has one.</summary>
public class FundsOfFundsControlsTests
{
    private const string Example = "wuhan-vintages-fof.json";
    private const string Fof = "fundOfFunds[wuhan-fof]";

    [Test]
    public void Controls_VintagesExample_OfferTheFundOfFundsLeversAtTheFilesValues()
    {
        using var whatIf = ExampleControls.Start(Example, 200);
        var controls = ExampleControls.Of(whatIf, "fundOfFunds[", "policy.tolerance.fundOfFunds");
        Assert.That(controls.Select(c => c.Path), Is.SupersetOf(new[]
        {
            "policy.tolerance.fundOfFunds", $"{Fof}.tolerance", $"{Fof}.governmentShare", $"{Fof}.commitments[0].share", $"{Fof}.commitments[5].share",
            $"{Fof}.fees.management", $"{Fof}.fees.carry", $"{Fof}.fees.hurdle", $"{Fof}.concession",
        }));
        Assert.That(controls.Where(c => c.Path.StartsWith(Fof, StringComparison.Ordinal)).Select(c => c.Group), Is.All.EqualTo("wuhan-fof"));
        // The file leaves out its tolerance (the rule set wuhan-2025's: a fund-of-funds follows angel) and its concession (0).
        double ruleSet = PolicyRules.FundOfFunds(PolicyRules.Wuhan2025.Tolerance);
        foreach (var c in controls)
        {
            double? expected = ExampleControls.InFile(whatIf, c.Path)
                ?? (c.Path.EndsWith("tolerance.fundOfFunds", StringComparison.Ordinal) || c.Path.EndsWith(".tolerance", StringComparison.Ordinal) ? ruleSet
                : c.Path.EndsWith(".concession", StringComparison.Ordinal) ? 0 : null);
            Assert.That(c.Value, Is.EqualTo(expected), c.Path);
        }
    }

    [Test]
    public void Controls_VintagesExample_EveryPositionIsASettingTheFormatAccepts()
    {
        using var whatIf = ExampleControls.Start(Example, 200);
        ExampleControls.AssertEveryPositionAccepted(whatIf, ExampleControls.Of(whatIf, "fundOfFunds[", "policy.tolerance.fundOfFunds"));
    }

    [Test]
    public void Controls_TwoFundsOfFundsInOneFund_StakeStopsAtWhatTheOtherLeaves()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", """
            { "name": "two-fof", "simulation": { "trials": 100, "seed": 3 },
              "funds": [ { "name": "sub", "type": "seed", "commitment": 1e8, "deals": 10, "check": 8e6 } ],
              "fundOfFunds": [ { "name": "a", "commitments": [ { "fund": "sub", "share": 0.3 } ] },
                               { "name": "b", "commitments": [ { "fund": "sub", "share": 0.45 } ], "governmentShare": 0.8, "concessionToManager": 0.25 } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var controls = ExampleControls.Of(whatIf, "fundOfFunds[");
        Assert.That(controls.Single(c => c.Path == "fundOfFunds[a].commitments[0].share").Max, Is.EqualTo(0.55).Within(1e-12));
        Assert.That(controls.Single(c => c.Path == "fundOfFunds[b].commitments[0].share").Max, Is.EqualTo(0.7).Within(1e-12));
        Assert.That(controls.Single(c => c.Path == "fundOfFunds[b].concessionToManager").Value, Is.EqualTo(0.25));
        Assert.That(controls.Any(c => c.Path == "fundOfFunds[a].concessionToManager"), Is.False);
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
        // One step beyond a stake's max is refused: the slider ends where the format does.
        var beyond = controls.Single(c => c.Path == "fundOfFunds[a].commitments[0].share");
        Assert.That(whatIf.Check(ExampleControls.Moved(beyond, beyond.Max + beyond.Step)), Is.Not.Empty);
    }

    [Test]
    public void Evaluate_ManagementFeeMoved_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        using var whatIf = ExampleControls.Start(Example, 2000);
        var fee = ExampleControls.Of(whatIf, $"{Fof}.fees.management").Single();
        var figures = ExampleControls.EvaluateAsBatch(whatIf, ExampleControls.Moved(fee, fee.Max), 2000);
        // The slider does something: a higher fee at the fund-of-funds' level takes more of its LPs' money.
        Assert.That(figures.Single(f => f.Figure.Name == "wuhan-fof.feeDrag").Difference.Value, Is.GreaterThan(0));
    }
}
