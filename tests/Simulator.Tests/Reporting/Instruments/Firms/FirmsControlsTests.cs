using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments.Firms;

/// <summary>The what-if page's sliders for books of firms, on every example that has one.</summary>
public class FirmsControlsTests
{
    // Per example, the book and the settings its sliders offer: PD and rate of generated loans, the warrant's notional and
    // strike where there is one, the link where a second leg pays, the compensation's shares (credit always: a book
    // without compensation starts at 0) and budget, the loadings.
    [TestCase("xian-tou-dai-lian-dong.json", "xian-pilot", "loan.pd loan.rate warrant.notional warrant.strikeMultiple link compensation.creditLoss compensation.investmentLoss compensation.budget exposure.macro")]
    [TestCase("abc-warrant-book.json", "abc-options", "loan.pd loan.rate warrant.notional warrant.strikeMultiple link compensation.creditLoss exposure.macro")]
    [TestCase("gongying-loan.json", "gongying", "loan.pd loan.rate compensation.creditLoss exposure.macro")]
    [TestCase("shared-macro-firms.json", "tdld", "loan.pd loan.rate link compensation.creditLoss compensation.investmentLoss compensation.budget exposure.macro")]
    public void Controls_Example_OfferTheBookLeversAtTheFileValuesAndEveryReachableValueIsAccepted(string example, string book, string fields)
    {
        using var whatIf = ExampleControls.Start(example, 100);
        var controls = ExampleControls.Of(whatIf, "firms[");
        Assert.That(controls.Select(c => c.Path), Is.EqualTo(fields.Split(' ').Select(f => $"firms[{book}].{f}")));
        foreach (var c in controls)
        {
            Assert.That(c.Group, Is.EqualTo(book));
            Assert.That(c.Label, Does.StartWith(book + ": "));
            // A compensation the file leaves out pays nothing: its shares start at 0.
            double expected = ExampleControls.InFile(whatIf, c.Path) ?? (c.Path.Contains(".compensation.", StringComparison.Ordinal) ? 0 : double.NaN);
            Assert.That(c.Value, Is.EqualTo(expected), c.Path);
        }
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Controls_TapeBook_OfferOnlyTheCompensation()
    {
        // A tape's columns override the block's PD, rate and loadings firm by firm: sliders over them would move only some firms.
        using var temp = new TempDirectory();
        temp.Write("firms.csv", "id,entryYear,amount,pd\nf1,1,1000000,0.02\nf2,2,2000000,0.05\n");
        string file = temp.Write("s.json", """
            { "name": "tape-book", "simulation": { "trials": 100, "seed": 3 }, "factors": [ { "name": "macro" } ],
              "firms": [ { "name": "t", "firmTape": "firms.csv", "loan": { "rate": 0.04 }, "exposure": { "macro": 0.3 },
                           "compensation": { "creditLoss": 0.4, "budget": 1e6 } } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var controls = ExampleControls.Of(whatIf, "firms[");
        Assert.That(controls.Select(c => c.Path), Is.EqualTo(new[] { "firms[t].compensation.creditLoss", "firms[t].compensation.budget" }));
        Assert.That(controls.Select(c => c.Value), Is.EqualTo(new[] { 0.4, 1e6 }));
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Controls_ValuesBetweenStepsAndAHighRate_SlidersOnTheirGridWithinTheFormat()
    {
        // A PD of 1.25% on steps of 0.1% from 0 would snap to 1.2% or 1.3% in the browser: the slider starts at 0.05% instead.
        // A rate above 50% must not offer twice itself: a rate is at most 1.
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", """
            { "name": "off-grid", "simulation": { "trials": 100, "seed": 3 }, "factors": [ { "name": "macro" } ],
              "firms": [ { "name": "b", "perYear": 10, "years": 1, "loan": { "amount": 1e6, "pd": 0.0125, "rate": 0.6437 },
                           "equity": { "check": 1e5 }, "warrant": { "notional": 1e5, "strikeMultiple": 1.23 }, "link": 0.33,
                           "exposure": { "macro": 0.3 }, "compensation": { "creditLoss": 0.333, "investmentLoss": 0.125 } } ] }
            """);
        using var whatIf = WhatIfTests.Start(file, 100);
        var controls = ExampleControls.Of(whatIf, "firms[");
        Assert.That(controls.Single(c => c.Path == "firms[b].loan.pd").Min, Is.EqualTo(0.0005).Within(1e-15));
        Assert.That(controls.Single(c => c.Path == "firms[b].loan.rate").Max, Is.EqualTo(1));
        ExampleControls.AssertEveryPositionAccepted(whatIf, controls);
    }

    [Test]
    public void Evaluate_LoanRateMoved_EqualsTheBatchRunOfTheSameVariantToTheLastDigit()
    {
        using var whatIf = ExampleControls.Start("xian-tou-dai-lian-dong.json", 1000);
        var figures = ExampleControls.EvaluateAsBatch(whatIf, WhatIfTests.Set(("firms[xian-pilot].loan.rate", 0.05)), 1000);
        // The slider does something: 0.5 points more interest on every loan while it performs raises the bank's net result.
        var net = figures.Single(f => f.Figure.Name == "xian-pilot.meanBankNet");
        Assert.That(net.Difference.Value, Is.GreaterThan(0));
    }
}
