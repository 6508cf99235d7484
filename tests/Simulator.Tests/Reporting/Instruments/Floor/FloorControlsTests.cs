namespace Simulator.Tests.Reporting.Instruments.Floor;

/// <summary>The what-if page's slider for a floor, on the example that has one.</summary>
public class FloorControlsTests
{
    private const string Example = "wuhan-relay-floor.json";

    [Test]
    public void Controls_RelayFloorExample_OfferTheFloorsShareAtTheFilesValue()
    {
        using var whatIf = ExampleControls.Start(Example, 200);
        var controls = ExampleControls.Of(whatIf, "floor[");
        Assert.That(controls.Select(c => c.Path), Is.EqualTo(new[] { "floor[floor-20].share" }));
        Assert.That(controls[0].Group, Is.EqualTo("floor-20"));
        Assert.That(controls[0].Value, Is.EqualTo(ExampleControls.InFile(whatIf, "floor[floor-20].share")));
    }

    [Test]
    public void Controls_RelayFloorExample_EveryPositionIsASettingTheFormatAccepts()
    {
        using var whatIf = ExampleControls.Start(Example, 200);
        ExampleControls.AssertEveryPositionAccepted(whatIf, ExampleControls.Of(whatIf, "floor["));
    }

    [Test]
    public void Evaluate_FloorShareMoved_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        using var whatIf = ExampleControls.Start(Example, 2000);
        var share = ExampleControls.Of(whatIf, "floor[").Single();
        // 30%: in 2029, the last investment year of the 2027 vintage, about a quarter of the year's new investment goes to
        // seed and angel funds, so a higher floor fails there in some trials.
        var figures = ExampleControls.EvaluateAsBatch(whatIf, ExampleControls.Moved(share, 0.3), 2000);
        // The slider does something: a higher floor is met every year less often.
        Assert.That(figures.Single(f => f.Figure.Name == "floor-20.metEveryYearProbability").Difference.Value, Is.LessThan(0));
    }
}
