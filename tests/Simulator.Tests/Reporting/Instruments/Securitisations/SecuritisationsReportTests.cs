using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.Securitisations;

/// <summary>The what-if sliders a securitisation declares, on the examples that have one.</summary>
public class SecuritisationsReportTests
{
    [TestCase("ip-abs-shenzhen.json")]
    [TestCase("vc-bond-downturn.json")]
    public void Controls_Example_StartAtTheFileAndEveryValueOfferedIsAccepted(string example)
    {
        using var whatIf = ExampleControls.Start(example, 200);
        var controls = ExampleControls.Of(whatIf, "securitisations[");
        Assert.That(controls.Select(c => c.Path), Is.EquivalentTo(new[]
        {
            "securitisations[ip-abs].senior.share", "securitisations[ip-abs].senior.coupon", "securitisations[ip-abs].excessSpread",
            "securitisations[ip-abs].shortfallGuarantor.capital", "securitisations[ip-abs].loans[0].pd", "securitisations[ip-abs].loans[1].pd",
            "securitisations[ip-abs].exposure.macro",
        }));
        Assert.That(controls.Select(c => c.Group).Distinct(), Is.EqualTo(new[] { "ip-abs" }));
        ExampleControls.AssertValuesAsFilled(whatIf, controls);
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Controls_DealWithoutGuarantor_OffersOneFromNone()
    {
        // A file without a shortfall guarantor: the slider starts at none and its values set one up, as a variant would.
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", """
            { "name": "abs-no-guarantor", "simulation": { "trials": 100, "seed": 3 },
              "securitisations": [ { "name": "d", "loans": [ { "count": 5, "amount": 1e6, "pd": 0.02 } ], "senior": { "share": 0.9 } } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var capital = ExampleControls.Of(whatIf, "securitisations[d].shortfallGuarantor.capital").Single();
        Assert.That((capital.Min, capital.Value, capital.Max), Is.EqualTo((0.0, 0.0, 0.2 * 5e6)));
        Assert.That(whatIf.Check(WhatIfTests.Set((capital.Path, capital.Max))), Is.Empty);
    }

    [Test]
    public void Evaluate_PoolPd_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        const int trials = 4000;
        using var whatIf = ExampleControls.Start("ip-abs-shenzhen.json", trials);
        var figures = ExampleControls.EvaluateAsBatch(whatIf, WhatIfTests.Set(("securitisations[ip-abs].loans[0].pd", 0.09)), trials);
        // Tripling the PD of 8 of the 12 loans eats through the subordinate tranche: its expected loss rises by far more
        // than its paired standard error.
        var subordinate = figures.Single(f => f.Figure.Name == "ip-abs.subordinateExpectedLoss");
        Assert.That(subordinate.Difference.Value, Is.GreaterThan(5 * subordinate.Difference.StandardError));
    }
}
