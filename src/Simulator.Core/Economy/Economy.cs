namespace Simulator.Core.Economy;

/// <summary>A systematic factor: a standard normal per year following AR(1) with the given persistence.</summary>
/// <param name="Name">Factor name.</param>
/// <param name="Persistence">AR(1) coefficient φ in (−1, 1).</param>
public sealed record Factor(string Name, double Persistence);

/// <summary>A shift of a factor's level in years <paramref name="FromYear"/>..<paramref name="ToYear"/>.</summary>
/// <param name="Factor">Index of the factor in <see cref="EconomyModel.Factors"/>.</param>
/// <param name="FromYear">First year (1-based).</param>
/// <param name="ToYear">Last year (inclusive).</param>
/// <param name="Shift">Added to Z in those years.</param>
public sealed record Stress(int Factor, int FromYear, int ToYear, double Shift);

/// <summary>How the factor draws are sampled (<c>"simulation": { "sampling": … }</c>).</summary>
public enum FactorSampling
{
    /// <summary>Plain Monte Carlo: each factor's own random stream.</summary>
    Random,
    /// <summary>Scrambled Sobol points in 16 randomisations (<see cref="Randomness.ScrambledSobol"/>).</summary>
    Sobol,
    /// <summary>Latin hypercubes in 16 randomisations (<see cref="Randomness.LatinHypercube"/>).</summary>
    LatinHypercube,
}

/// <summary>
/// The factors and stresses of a scenario, and the years the factor paths must cover. Immutable.
/// </summary>
public sealed class EconomyModel
{
    private readonly double[] _shift; // [factor * Years + (year - 1)]

    /// <summary>Creates the model; <paramref name="years"/> is the number of years any item needs; the copula is Gaussian
    /// unless given.</summary>
    public EconomyModel(IReadOnlyList<Factor> factors, IReadOnlyList<Stress> stresses, int years, Copula? copula = null, FactorSampling sampling = FactorSampling.Random)
    {
        Copula = copula ?? Copula.Gaussian;
        Sampling = sampling;
        Factors = factors;
        Stresses = stresses;
        Years = Math.Max(1, years);
        _shift = new double[factors.Count * Years];
        foreach (var s in stresses)
        {
            for (int t = s.FromYear; t <= Math.Min(s.ToYear, Years); t++) _shift[s.Factor * Years + t - 1] += s.Shift;
        }
    }

    /// <summary>How the factors and the idiosyncratic terms depend on each other (Gaussian or Student t).</summary>
    public Copula Copula { get; }

    /// <summary>Whether the factor draws (and the t copula's mixing draw) come from scrambled Sobol points
    /// (<see cref="Randomness.ScrambledSobol"/>) instead of the factors' streams.</summary>
    public bool Sobol => Sampling == FactorSampling.Sobol;

    /// <summary>How the factor draws are sampled.</summary>
    public FactorSampling Sampling { get; }

    /// <summary>Whether the trials fall in independent randomisations (Sobol points or Latin hypercubes), whose spread
    /// gives every standard error.</summary>
    public bool Randomised => Sampling != FactorSampling.Random;

    /// <summary>The Sobol (or Latin hypercube) dimensions a trial uses: the mixing draw first (under the t copula), then year by year every
    /// factor (the early years, which every item sees, get the best-distributed dimensions).</summary>
    public int SobolDimensions => (Copula.IsGaussian ? 0 : 1) + Factors.Count * Years;

    /// <summary>The name of the sampling in the results ("sobol", "lhs"; "random" for plain Monte Carlo).</summary>
    public string SamplingName => Sampling switch { FactorSampling.Sobol => "sobol", FactorSampling.LatinHypercube => "lhs", _ => "random" };

    /// <summary>Factors in file order.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>Stresses.</summary>
    public IReadOnlyList<Stress> Stresses { get; }

    /// <summary>Years 1..Years are drawn in every trial.</summary>
    public int Years { get; }

    /// <summary>Total stress shift of factor <paramref name="k"/> in year <paramref name="year"/>.</summary>
    public double ShiftAt(int k, int year) => year >= 1 && year <= Years ? _shift[k * Years + year - 1] : 0.0;

    /// <summary>
    /// Variance of the sum of <paramref name="w"/> consecutive years of a unit-variance AR(1) with coefficient
    /// φ: Σ_i Σ_j φ^|i−j| = w + 2 Σ_{d=1}^{w−1} (w − d) φ^d. Dividing a window's sum by its square root gives a
    /// standard normal (the spec's "rescaled to unit variance").
    /// </summary>
    public static double WindowSumVariance(double phi, int w)
    {
        double v = w, p = 1;
        for (int d = 1; d < w; d++)
        {
            p *= phi;
            v += 2 * (w - d) * p;
        }
        return v;
    }
}
