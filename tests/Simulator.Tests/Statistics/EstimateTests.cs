using Simulator.Core.Statistics;

namespace Simulator.Tests.Statistics;

/// <summary>The estimate value type: a value and its standard error, travelling together.</summary>
public class EstimateTests
{
    [Test]
    public void Ci95_ValueAndError_IsValuePlusMinus196Errors()
    {
        var (low, high) = new Estimate(10, 2).Ci95;
        Assert.That(low, Is.EqualTo(10 - 1.959963984540054 * 2).Within(1e-12));
        Assert.That(high, Is.EqualTo(10 + 1.959963984540054 * 2).Within(1e-12));
    }

    [Test]
    public void RelativeError_NegativeValue_UsesItsMagnitude() =>
        Assert.That(new Estimate(-4, 1).RelativeError, Is.EqualTo(0.25));

    [Test]
    public void RelativeError_ZeroValue_IsNaN() => Assert.That(new Estimate(0, 1).RelativeError, Is.NaN);

    [TestCase(2.0, 1.0, true)]
    [TestCase(1.9, 1.0, false)]
    [TestCase(-2.0, 1.0, true)]
    public void IsSignificant_ValueAgainstError_ComparesWith196Errors(double value, double se, bool significant) =>
        Assert.That(new Estimate(value, se).IsSignificant, Is.EqualTo(significant));

    [Test]
    public void NaN_Always_HasNaNParts() => Assert.That(double.IsNaN(Estimate.NaN.Value) && double.IsNaN(Estimate.NaN.StandardError), Is.True);
}
