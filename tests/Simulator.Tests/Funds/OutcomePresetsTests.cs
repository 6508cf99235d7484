using Simulator.Tests.Support;
using Simulator.Core.Distributions;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Format;

namespace Simulator.Tests.Funds;

/// <summary>The presets reproduce the published shares they are calibrated to (docs/outcome-models.md).</summary>
public class OutcomePresetsTests
{
    private static (double BelowOne, double TenPlus, double FivePlus, double Mean) Shares(string name)
    {
        var spec = OutcomePresets.All[name];
        double q = spec.WriteOff!.Value, r = spec.Partial!.Probability!.Value, s = 1 - q - r;
        var success = (ParetoDistribution)spec.Success!.Multiple!.Build();
        double cap = spec.Success.Cap!.Value;
        double Above(double x) => x <= success.Min ? 1 : Math.Pow(success.Min / x, success.Alpha);
        double mean = r * spec.Partial.Multiple!.Build().Mean + s * success.CappedMean(cap);
        return (q + r, s * Above(10), s * Above(5), mean);
    }

    [Test]
    public void Venture_MatchesCorrelationVentures2004To2013()
    {
        var v = Shares("venture");
        Assert.That(v.BelowOne, Is.EqualTo(0.65).Within(1e-9));
        Assert.That(v.TenPlus, Is.EqualTo(0.04).Within(0.002));
        Assert.That(v.FivePlus, Is.EqualTo(0.10).Within(0.005));
    }

    [Test]
    public void Angel_MatchesWiltbankBoeker2007()
    {
        var a = Shares("angel");
        Assert.That(a.BelowOne, Is.EqualTo(0.52).Within(1e-9));
        Assert.That(a.TenPlus, Is.EqualTo(0.07).Within(0.002));
        Assert.That(a.Mean, Is.EqualTo(2.6).Within(0.1));
    }

    [Test]
    public void Seed_IsWorseThanAngel()
    {
        var s = Shares("seed");
        var a = Shares("angel");
        Assert.That(s.BelowOne, Is.GreaterThan(a.BelowOne));
        Assert.That(s.Mean, Is.LessThan(a.Mean));
    }

    [Test]
    public void Industry_MatchesItsStatedAssumption()
    {
        var i = Shares("industry");
        Assert.That(i.BelowOne, Is.EqualTo(0.40).Within(1e-9));
        Assert.That(i.FivePlus, Is.EqualTo(0.026).Within(0.001));
        Assert.That(i.Mean, Is.EqualTo(1.42).Within(0.01));
    }

    [Test]
    public void Buyout_MatchesItsStatedAssumption()
    {
        var b = Shares("buyout");
        Assert.That(b.BelowOne, Is.EqualTo(0.28).Within(1e-9));
        Assert.That(b.FivePlus, Is.EqualTo(0.017).Within(0.001));
        Assert.That(b.Mean, Is.EqualTo(1.55).Within(0.02));
        // Expected capital lost per yuan of cost: write-offs plus the partial band's shortfall.
        var spec = OutcomePresets.Buyout;
        Assert.That(spec.WriteOff!.Value + spec.Partial!.Probability!.Value * (1 - spec.Partial.Multiple!.Build().Mean), Is.EqualTo(0.17).Within(1e-9));
    }

    [Test]
    public void Presets_RiskOrder_VentureIndustryBuyout()
    {
        var (v, i, b) = (Shares("venture"), Shares("industry"), Shares("buyout"));
        Assert.That(v.BelowOne, Is.GreaterThan(i.BelowOne));
        Assert.That(i.BelowOne, Is.GreaterThan(b.BelowOne));
        Assert.That(v.TenPlus, Is.GreaterThan(i.TenPlus));
        Assert.That(i.TenPlus, Is.GreaterThan(b.TenPlus));
    }
}
