using Simulator.Core.Instruments;
using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

public class WaterfallTests
{
    private static LpTotals Run(double[] contributions, double[] proceeds, Fees fees, double g, double c, out double[] gov, out double[] priv)
    {
        gov = new double[contributions.Length];
        priv = new double[contributions.Length];
        return Waterfall.Run(contributions, proceeds, fees, g, c, gov, priv);
    }

    [Test]
    public void Run_NoHurdle_GpGetsCarryOfProfit()
    {
        var t = Run([100, 0, 0], [0, 0, 200], new Fees(0, 0.2, 0), 0, 0, out _, out var priv);
        Assert.That(t.PrivateReceived, Is.EqualTo(180).Within(1e-9));
        Assert.That(priv, Is.EqualTo(new[] { -100.0, 0, 180 }).Within(1e-9));
    }

    [Test]
    public void Run_HurdleWithFullCatchUp_GpEndsWithCarryOfProfit()
    {
        // Pref 100·(1.08² − 1) = 16.64, catch-up 4.16, rest 79.2 split 80/20: LP 180, GP 20.
        var t = Run([100, 0, 0], [0, 0, 200], new Fees(0, 0.2, 0.08), 0, 0, out _, out _);
        Assert.That(t.PrivateReceived, Is.EqualTo(180).Within(1e-9));
    }

    [Test]
    public void Run_ProfitBelowHurdle_AllToLps()
    {
        var t = Run([100, 0, 0], [0, 0, 110], new Fees(0, 0.2, 0.08), 0, 0, out _, out _);
        Assert.That(t.PrivateReceived, Is.EqualTo(110).Within(1e-9));
    }

    [Test]
    public void Run_Concession_CedesShareOfGovernmentProfitOnly()
    {
        // LPs receive 180 on 100. Government (50%) paid 50, gets 90 gross: profit 40, half ceded.
        var t = Run([100, 0, 0], [0, 0, 200], new Fees(0, 0.2, 0), 0.5, 0.5, out _, out _);
        Assert.Multiple(() =>
        {
            Assert.That(t.GovernmentReceived, Is.EqualTo(70).Within(1e-9));
            Assert.That(t.PrivateReceived, Is.EqualTo(110).Within(1e-9));
            Assert.That(t.GovernmentMultiple, Is.EqualTo(1.4).Within(1e-12));
            Assert.That(t.PrivateMultiple, Is.EqualTo(2.2).Within(1e-12));
        });
    }

    [Test]
    public void Run_LossMakingFund_ConcessionCedesNothing()
    {
        var t = Run([100, 0, 0], [0, 0, 60], Fees.None, 0.5, 1.0, out _, out _);
        Assert.That(t.GovernmentReceived, Is.EqualTo(30).Within(1e-9));
        Assert.That(t.PrivateReceived, Is.EqualTo(30).Within(1e-9));
    }

    [Test]
    public void Run_ConcessionWithoutPrivateLps_CedesNothingAndConservesMoney()
    {
        // governmentShare 1: the LPs' distributions (180 on 100 after a 20% carry) all go to the government;
        // a concession has no private LP to go to, so nothing may leave the government's account.
        var t = Run([100, 0, 0], [0, 0, 200], new Fees(0, 0.2, 0), 1, 0.5, out var gov, out var priv);
        Assert.Multiple(() =>
        {
            Assert.That(t.Ceded, Is.Zero);
            Assert.That(t.GovernmentReceived + t.PrivateReceived, Is.EqualTo(180).Within(1e-9), "received = distributions to the LPs");
            Assert.That(t.GovernmentReceived, Is.EqualTo(180).Within(1e-9));
            Assert.That(t.GovernmentMultiple, Is.EqualTo(1.8).Within(1e-12));
            Assert.That(gov, Is.EqualTo(new[] { -100.0, 0, 180 }).Within(1e-9));
            Assert.That(priv, Is.All.EqualTo(0));
        });
    }

    [Test]
    public void Evaluate_GovernmentOnlyFundWithConcession_SameAsWithout()
    {
        static string Fund(double concession) => $$"""
            { "name": "gov-only", "simulation": { "trials": 2000, "seed": 3 },
              "funds": [ { "name": "f", "type": "seed", "commitment": 2e8, "governmentShare": 1, "deals": 20, "check": 5e6,
                           "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.06 }, "concession": {{concession}} } ] }
            """;
        var with = TestScenarios.Run(Fund(0.5)).Funds[0];
        var without = TestScenarios.Run(Fund(0)).Funds[0];
        Assert.That(without.NetMultipleGovernment!.P95, Is.GreaterThan(1), "some trials make a profit the concession would cede");
        Assert.Multiple(() =>
        {
            Assert.That(with.NetMultipleGovernment!.Mean, Is.EqualTo(without.NetMultipleGovernment.Mean));
            Assert.That(with.NetIrrGovernment!.Mean, Is.EqualTo(without.NetIrrGovernment!.Mean));
            Assert.That(with.NetMultiplePrivate, Is.Null, "no private LPs, no private figures");
        });
    }

    [Test]
    public void ManagementFee_FixedMultipleOne_NetMultipleIsInvestedOverPaidIn()
    {
        // Every project returns exactly its check at the end of year 10. Fees: 2% of the commitment in years
        // 1–4, then 2% of the cost still held (all of it) in years 5–10.
        var r = TestScenarios.Run("""
            { "name": "fee", "simulation": { "trials": 100 },
              "outcomes": { "one": { "writeOff": 0, "success": 1.0 } },
              "funds": [ { "name": "f", "type": "venture", "commitment": 1e8, "deals": 40, "check": 2e6, "investmentYears": 4, "lifeYears": 10,
                           "outcomes": "one", "fees": { "management": 0.02 } } ] }
            """);
        double invested = 40 * 2e6, fees = 0.02 * 1e8 * 4 + 0.02 * invested * 6;
        Assert.That(r.Funds[0].NetMultiplePrivate!.Mean, Is.EqualTo(invested / (invested + fees)).Within(1e-6));
        Assert.That(r.Funds[0].LossRatio.Mean, Is.EqualTo(0), "the loss ratio is gross of fees");
    }
}

public class IrrTests
{
    [TestCase(new[] { -100.0, 110 }, 0.10)]
    [TestCase(new[] { -100.0, 0, 121 }, 0.10)]
    [TestCase(new[] { -100.0, 0, 0, 50 }, -0.2062994740159002)]
    public void Compute_KnownFlows_ReturnsRate(double[] flows, double expected) =>
        Assert.That(Irr.Compute(flows), Is.EqualTo(expected).Within(1e-10));

    [Test]
    public void Compute_FeeAfterLastExit_FindsTheMeaningfulRoot()
    {
        // Paid 100, received 72 in year 5, a last fee of 1 in year 6: NPV has a spurious root near −100%;
        // the meaningful IRR is near (72/100)^(1/4) − 1 = −7.9%, a little lower for the fee.
        double irr = Irr.Compute([-100.0, 0, 0, 0, 72, -1]);
        double npv = -100 / (1 + irr) + 72 / Math.Pow(1 + irr, 5) - 1 / Math.Pow(1 + irr, 6);
        Assert.That(npv, Is.EqualTo(0).Within(1e-9));
        Assert.That(irr, Is.InRange(-0.09, -0.079));
    }

    [Test]
    public void ForInvestment_ReceiptsBeforeLaterCall_IsUndefined()
    {
        // Receipts of 0.45 and 0.45 before a call of 3.0: a multiple of 0.3, but the NPV's root is a borrowing rate.
        double[] flows = [0.45, 0.45, -3.0];
        Assert.That(Irr.Compute(flows), Is.EqualTo(1.13).Within(0.01), "the root the scan finds");
        Assert.That(Irr.ForInvestment(flows), Is.NaN);
    }

    [Test]
    public void ForInvestment_SmallPaymentThenReceiptsThenLargeCall_IsUndefined()
    {
        // Paid in first, but a root above 0 with a net loss: the receipts act as a loan.
        double[] flows = [-0.01, 0.45, 0.45, -3.0];
        Assert.That(Irr.Compute(flows), Is.GreaterThan(0));
        Assert.That(flows.Sum(), Is.LessThan(0));
        Assert.That(Irr.ForInvestment(flows), Is.NaN);
    }

    [TestCase(new[] { -100.0, 0, 0, 0, 72, -1 })]
    [TestCase(new[] { 0.0, -100, 0, 121 })]
    [TestCase(new[] { -100.0, 0, 0 })]
    [TestCase(new[] { -100.0, 30, -10, 100, 5 })]
    public void ForInvestment_InvestmentFlows_SameAsCompute(double[] flows) =>
        Assert.That(Irr.ForInvestment(flows), Is.EqualTo(Irr.Compute(flows)));

    [Test]
    public void Compute_NothingReceived_IsMinusOne() => Assert.That(Irr.Compute([-100.0, 0, 0]), Is.EqualTo(-1));

    [Test]
    public void Compute_NothingPaid_IsUndefined() => Assert.That(Irr.Compute([0.0, 10]), Is.NaN);
}
