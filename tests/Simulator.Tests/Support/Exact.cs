using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace Simulator.Tests.Support;

/// <summary>Exact values of the model in cases with closed forms or one-dimensional integrals.</summary>
internal static class Exact
{
    /// <summary>∫ f(s) φ(s − mean) ds over the real line, by Gauss–Legendre on [mean − 10, mean + 10].</summary>
    public static double NormalExpectation(Func<double, double> f, double mean = 0) =>
        GaussLegendreRule.Integrate(s => f(s) * Normal.PDF(mean, 1, s), mean - 10, mean + 10, 1024);

    /// <summary>P(K ≤ k) for K ~ Binomial(n, p).</summary>
    public static double BinomialCdf(double p, int n, int k) => k < 0 ? 0 : Binomial.CDF(p, n, k);

    /// <summary>Asserts that a Monte Carlo estimate is within <paramref name="z"/> standard errors of the exact value.</summary>
    public static void WithinStandardErrors(double estimate, double exact, double standardError, double z = 4, string what = "")
    {
        Assert.That(standardError, Is.GreaterThan(0), "a zero standard error would make the check vacuous");
        double score = (estimate - exact) / standardError;
        Assert.That(Math.Abs(score), Is.LessThanOrEqualTo(z),
            $"{what}: estimate {estimate:G6}, exact {exact:G6}, standard error {standardError:G3}, z = {score:F2}");
    }

    /// <summary>Binomial standard error of a probability estimate from <paramref name="n"/> trials at the exact p.</summary>
    public static double ProbabilityStandardError(double p, long n) => Math.Sqrt(p * (1 - p) / n);
}
