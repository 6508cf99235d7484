using Simulator.Core.Statistics;

namespace Simulator.Core.Economy;

/// <summary>
/// The dependence between the factors and the items' idiosyncratic terms (docs/model.md, "Copula"). Every latent
/// variable of the model is X = Σ b_k·Z_k + √(1 − Σ b²)·ε with standard normal Z and ε. Under the Gaussian copula (the
/// default) X is used as it is. Under the Student-t copula with ν degrees of freedom every latent variable of a trial is
/// divided by the same √(W/ν), W ~ χ²_ν drawn once per trial (<see cref="FactorPaths.Mixing"/>), so each X/√(W/ν)
/// is Student-t with ν degrees of freedom and the marginals are kept exact by working on the t scale: an event with
/// probability pd happens when X/√(W/ν) ≤ T_ν⁻¹(pd), i.e. when X ≤ T_ν⁻¹(pd)·√(W/ν) (<see cref="Quantile"/> times the
/// mixing), and an outcome's uniform is U = T_ν(X/√(W/ν)) (<see cref="ToUniform(Span{double}, double)"/>) instead of Φ(X).
/// The common W makes large systematic and idiosyncratic moves happen together: tail dependence that the Gaussian
/// copula lacks.
/// </summary>
public sealed class Copula
{
    private Copula(double degreesOfFreedom) => DegreesOfFreedom = degreesOfFreedom;

    /// <summary>The Gaussian copula (no mixing).</summary>
    public static Copula Gaussian { get; } = new(double.PositiveInfinity);

    /// <summary>The Student-t copula with <paramref name="degreesOfFreedom"/> (&gt; 0) degrees of freedom.</summary>
    public static Copula StudentT(double degreesOfFreedom) =>
        degreesOfFreedom > 0 && double.IsFinite(degreesOfFreedom) ? new(degreesOfFreedom) : throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom));

    /// <summary>ν; +∞ for the Gaussian copula.</summary>
    public double DegreesOfFreedom { get; }

    /// <summary>Whether this is the Gaussian copula.</summary>
    public bool IsGaussian => double.IsPositiveInfinity(DegreesOfFreedom);

    /// <summary>
    /// The latent threshold of probability <paramref name="p"/> on the copula's scale: Φ⁻¹(p) (Gaussian) or T_ν⁻¹(p);
    /// ±∞ for p ≤ 0 and p ≥ 1. Computed once per class or loan, not per trial.
    /// </summary>
    public double Quantile(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        return IsGaussian ? NormalMath.InvCdf(p) : StudentTMath.InvCdf(p, DegreesOfFreedom);
    }

    /// <summary>The mixing scale √(W/ν) of a trial from a uniform <paramref name="u"/> in (0, 1): W = F⁻¹_χ²ν(u). 1 for
    /// the Gaussian copula.</summary>
    public double Mixing(double u) => IsGaussian ? 1.0 : Math.Sqrt(StudentTMath.ChiSquareInvCdf(u, DegreesOfFreedom) / DegreesOfFreedom);

    /// <summary>
    /// Latent variables to uniforms in place: Φ(x) (Gaussian; <paramref name="mixing"/> is 1) or T_ν(x / mixing), so each
    /// uniform is exactly uniform whatever the copula.
    /// </summary>
    public void ToUniform(Span<double> latent, double mixing)
    {
        if (IsGaussian)
        {
            NormalMath.Cdf(latent, latent);
            return;
        }
        double inverse = 1 / mixing, nu = DegreesOfFreedom;
        for (int i = 0; i < latent.Length; i++) latent[i] = StudentTMath.Cdf(latent[i] * inverse, nu);
    }

    /// <summary>One latent variable to its uniform (see <see cref="ToUniform(Span{double}, double)"/>).</summary>
    public double ToUniform(double latent, double mixing) => IsGaussian ? NormalMath.Cdf(latent) : StudentTMath.Cdf(latent / mixing, DegreesOfFreedom);
}
