using Simulator.Core.Format;
using Simulator.Reporting.Html;

namespace Simulator.Tests.Reporting.Html;

/// <summary>The inputs table shows a check's cap (check.cap) after its law.</summary>
public class InputTablesCapTests
{
    [Test]
    public void DistributionText_CappedLogNormal_NamesTheCap()
    {
        var d = new DistributionSpec(DistributionKind.LogNormal, [8e6, 0.5]) { Cap = 2e7 };
        Assert.That(InputTables.DistributionText(d, money: true), Is.EqualTo("lognormal, median 8.0, σ 0.5, capped at 20.0"));
    }

    [Test]
    public void DistributionText_NoCap_Unchanged()
    {
        var d = new DistributionSpec(DistributionKind.Uniform, [1.5e7, 2.5e7]);
        Assert.That(InputTables.DistributionText(d, money: true), Is.EqualTo("uniform 15.0 – 25.0"));
    }
}
