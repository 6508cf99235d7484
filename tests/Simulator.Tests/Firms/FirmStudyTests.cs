using Simulator.Core.Engine;
using Simulator.Core.Firms;
using Simulator.Core.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Firms;

/// <summary>Books of firms in a study: variants of the 共赢贷 kind compare the break-even notional, and variants of link
/// leave the loan leg unchanged (common random numbers).</summary>
public class FirmStudyTests
{
    private sealed class Quiet : IStudyObserver
    {
        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result) { }
    }

    [Test]
    public void Comparison_DiscountWithWarrantVariant_BreakEvenFigureIsTheVariantsOwn()
    {
        var study = new Study(new SimulationEngine()).Run(TestScenarios.Load("""
            { "name": "gyd", "simulation": { "trials": 3000, "seed": 3 }, "factors": [ { "name": "macro" } ],
              "firms": [ { "name": "b", "perYear": 10, "years": 1,
                "loan": { "amount": 1e6, "termYears": 2, "pd": 0.03, "lgd": 0.6, "rate": 0.05, "referenceRate": 0.05 },
                "equity": { "check": 0, "outcomes": "angel" }, "link": 0.5, "exposure": { "macro": 0.3 } } ],
              "variants": [
                { "name": "discount", "set": { "firms[b].loan.rate": 0.04, "firms[b].warrant": { "notional": 1e5 } } },
                { "name": "linked", "set": { "firms[b].link": 1.0 } } ] }
            """), new RunOptions(2), new Quiet());
        var discount = study.Comparison!.Find("discount")!.Figures.Single(f => f.Figure.Name == "b.breakEvenNotional");
        var own = study.Variants[0].Firms[0].BreakEven;
        Assert.That(own.Notional, Is.GreaterThan(0), "a discount needs some upside to break even");
        Assert.That(discount.Estimate.Value, Is.EqualTo(own.Notional).Within(1e-6 * own.Notional));
        Assert.That(study.Base.Firms[0].BreakEven.Notional, Is.EqualTo(0).Within(1e-6), "at the reference rate there is nothing to make up");

        var linked = study.Comparison!.Find("linked")!.Figures.Single(f => f.Figure.Name == "b.meanCreditLoss");
        Assert.That((linked.Difference.Value, linked.Difference.StandardError), Is.EqualTo((0.0, 0.0)), "link moves the equity leg only");
    }
}
