using Simulator.Core.Distributions;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;

namespace Simulator.Tests.Guarantees;

/// <summary>The vectorised lognormal amounts against the scalar quantile of the same draws.</summary>
public class AmountKernelTests
{
    [TestCase(0, 2000)]
    [TestCase(13, 1030)]
    [TestCase(5, 6)]
    public void LogNormal_SameDrawsAsScalarQuantile(int first, int end)
    {
        const ulong key = 0xDEADBEEF12345UL;
        var law = new LogNormalDistribution(3e6, 0.8);
        const double cap = 2e7;
        var amounts = new double[end + 8];
        double total = AmountKernel.LogNormal(key, first, end, law.Median, law.Sigma, cap, amounts);
        var draws = new CounterUniforms(key);
        double expectedTotal = 0;
        for (int i = first; i < end; i++)
        {
            double expected = Math.Min(law.Quantile(draws.At(CounterUniforms.LoanIndex(i, 0, 0))), cap);
            Assert.That(amounts[i], Is.EqualTo(expected).Within(1e-12).Percent, $"loan {i}");
            expectedTotal += expected;
        }
        Assert.That(total, Is.EqualTo(expectedTotal).Within(1e-11).Percent);
        if (end - first > 100) Assert.That(amounts.Skip(first).Take(end - first).Count(a => a == cap), Is.GreaterThan(0), "some amounts reach the cap");
    }
}
