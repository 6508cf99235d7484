using MathNet.Numerics.Distributions;
using Simulator.Core.Statistics;

namespace Simulator.Core.Fitting;

/// <summary>The two laws a success band is fitted with.</summary>
public enum SuccessFamily
{
    /// <summary>Lognormal: ln M normal with mean μ and sd σ (the format's median e^μ and sigma σ).</summary>
    LogNormal,
    /// <summary>Pareto: P(M &gt; x) = (x_m/x)^α for x ≥ x_m.</summary>
    Pareto,
}

/// <summary>
/// A fitted success law with two parameters: (μ, σ) for the lognormal, (x_m, α) for the Pareto. Both are the exact
/// maximum-likelihood estimates, which have closed forms: for the lognormal the mean and the (1/n) standard
/// deviation of ln M (MathNet's <c>LogNormal.Estimate</c> gives the 1/(n−1) one, rescaled here); for the Pareto
/// x_m = the smallest value and α = n / Σ ln(M/x_m).
/// </summary>
/// <param name="Family">Which law.</param>
/// <param name="First">μ (lognormal) or x_m (Pareto).</param>
/// <param name="Second">σ (lognormal) or α (Pareto).</param>
public readonly record struct SuccessLaw(SuccessFamily Family, double First, double Second)
{
    /// <summary>The maximum-likelihood fit of <paramref name="family"/> to <paramref name="x"/> (all &gt; 0, at least 2 distinct).</summary>
    public static SuccessLaw Fit(SuccessFamily family, IReadOnlyList<double> x)
    {
        int n = x.Count;
        if (family == SuccessFamily.LogNormal)
        {
            // MathNet's estimator uses the sample variance (divisor n − 1); the MLE divides by n.
            var ln = LogNormal.Estimate(x);
            return new SuccessLaw(family, ln.Mu, ln.Sigma * Math.Sqrt((n - 1.0) / n));
        }
        double min = double.PositiveInfinity;
        for (int i = 0; i < n; i++) min = Math.Min(min, x[i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.Log(x[i] / min);
        return new SuccessLaw(family, min, n / sum);
    }

    /// <summary>P(M ≤ x).</summary>
    public double Cdf(double x) => Family == SuccessFamily.LogNormal
        ? x <= 0 ? 0 : NormalMath.Cdf((Math.Log(x) - First) / Second)
        : x <= First ? 0 : 1 - Math.Pow(First / x, Second);

    /// <summary>The value at cumulative probability <paramref name="u"/> in (0, 1).</summary>
    public double Quantile(double u) => Family == SuccessFamily.LogNormal
        ? Math.Exp(First + Second * NormalMath.InvCdf(u))
        : First * Math.Pow(1 - u, -1 / Second);

    /// <summary>The log-likelihood of <paramref name="x"/>.</summary>
    public double LogLikelihood(IReadOnlyList<double> x)
    {
        double sum = 0;
        foreach (double v in x)
        {
            if (Family == SuccessFamily.LogNormal)
            {
                double z = (Math.Log(v) - First) / Second;
                sum += -Math.Log(v * Second) - 0.5 * Math.Log(2 * Math.PI) - 0.5 * z * z;
            }
            else sum += v < First ? double.NegativeInfinity : Math.Log(Second) + Second * Math.Log(First) - (Second + 1) * Math.Log(v);
        }
        return sum;
    }

    /// <summary>The law in the scenario format's words, e.g. <c>lognormal median 2.83, sigma 0.71</c>.</summary>
    public override string ToString() => Family == SuccessFamily.LogNormal
        ? FormattableString.Invariant($"lognormal median {Math.Exp(First):G4}, sigma {Second:G4}")
        : FormattableString.Invariant($"Pareto min {First:G4}, alpha {Second:G4}");
}
