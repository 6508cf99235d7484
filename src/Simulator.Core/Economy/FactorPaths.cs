using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Economy;

/// <summary>
/// One trial's factor levels: Z_k,t for every factor and year, drawn from the factor's own stream, plus the
/// stressed levels L_k,t = Z_k,t + shift_k,t. A reusable buffer: <see cref="Draw(Randomness.StreamKey, long)"/> overwrites it.
/// </summary>
public sealed class FactorPaths
{
    private readonly EconomyModel _economy;
    private readonly ulong[] _factorHashes;
    private readonly long _trials;

    /// <summary>The stream of the t copula's mixing draw: one per trial, keyed like an item, so it depends on nothing
    /// but (seed, scenario, trial) and never shifts the factors' own streams.</summary>
    internal static readonly ulong MixingHash = StreamKey.Hash("copula", "mixing");

    /// <summary>Allocates the buffer for an economy; <paramref name="trials"/>, the run's trial count, sizes the Latin
    /// hypercubes' strata (needed only with <see cref="FactorSampling.LatinHypercube"/>).</summary>
    public FactorPaths(EconomyModel economy, long trials = 0)
    {
        _economy = economy;
        _trials = trials;
        _factorHashes = economy.Factors.Select(f => StreamKey.Hash("factor", f.Name)).ToArray();
        Raw = new double[economy.Factors.Count * economy.Years];
        Stressed = new double[Raw.Length];
    }

    /// <summary>Unstressed levels, [k * Years + t − 1].</summary>
    public double[] Raw { get; }

    /// <summary>Stressed levels, [k * Years + t − 1].</summary>
    public double[] Stressed { get; }

    /// <summary>
    /// The trial's t-copula mixing scale √(W/ν), W ~ χ²_ν (1 under the Gaussian copula): one draw per trial, shared by
    /// every factor, year and item, so an event of probability pd happens when its latent X ≤ T_ν⁻¹(pd)·Mixing and an
    /// outcome's uniform is T_ν(X / Mixing) (<see cref="Economy.Copula"/>).
    /// </summary>
    public double Mixing { get; private set; } = 1.0;

    /// <summary>The economy's copula.</summary>
    public Copula Copula => _economy.Copula;

    /// <summary>Number of years per factor.</summary>
    public int Years => _economy.Years;

    /// <summary>Draws the paths of trial <paramref name="trial"/>.</summary>
    public void Draw(StreamKey key, long trial) => Draw(key, trial, null, 0);

    /// <summary>
    /// Draws the paths of trial <paramref name="trial"/> with importance sampling: factor k's innovations in years
    /// 1..<paramref name="shiftYears"/> are drawn from N(μ_k, 1) instead of N(0, 1). Returns the log of the
    /// likelihood ratio Π exp(−μ_k·η + μ_k²/2) that reweights the trial to the model's law (0 without a shift).
    /// </summary>
    public double Draw(StreamKey key, long trial, double[]? shift, int shiftYears)
    {
        int years = _economy.Years, factors = _factorHashes.Length;
        double logWeight = 0;
        var sobol = Sobol(key);
        var latin = Latin(key);
        int offset = _economy.Copula.IsGaussian ? 0 : 1; // the Sobol (or hypercube) dimension of factor 0 in year 1
        // Under the Gaussian copula no stream is touched: files without a copula draw what they always drew.
        if (!_economy.Copula.IsGaussian)
        {
            double u = sobol is not null ? sobol.Coordinate(trial, 0) : key.Stream(trial, MixingHash).NextOpenUnit();
            if (latin is not null) u = latin.Coordinate(trial, 0, u);
            Mixing = _economy.Copula.Mixing(u);
        }
        for (int k = 0; k < factors; k++)
        {
            var rng = key.Stream(trial, _factorHashes[k]);
            double phi = _economy.Factors[k].Persistence;
            double innovationScale = Math.Sqrt(1 - phi * phi);
            double z = 0;
            for (int t = 1; t <= years; t++)
            {
                // Under Sobol sampling, coordinate offset + (t − 1)·K + k of the trial's point; the stream is still read, so
                // dimensions past the direction numbers' table get the plain draw they would have had.
                double u = rng.NextOpenUnit();
                int dimension = offset + (t - 1) * factors + k;
                if (sobol is not null && dimension < sobol.Dimensions) u = sobol.Coordinate(trial, dimension);
                // Under Latin hypercube sampling the plain draw places the point within its stratum.
                else if (latin is not null) u = latin.Coordinate(trial, dimension, u);
                double eta = NormalMath.InvCdf(u);
                if (shift is not null && t <= shiftYears && shift[k] != 0)
                {
                    double mu = shift[k];
                    eta += mu;
                    logWeight += -mu * eta + 0.5 * mu * mu;
                }
                // Year 1 starts in the stationary distribution, so every Z_k,t is standard normal.
                z = t == 1 ? eta : phi * z + innovationScale * eta;
                int i = k * years + t - 1;
                Raw[i] = z;
                Stressed[i] = z + _economy.ShiftAt(k, t);
            }
        }
        return logWeight;
    }

    // The run's randomisations, made on the first draw of a key (per thread: a few milliseconds) and kept while the key lasts.
    private ScrambledSobol? _sobol;
    private StreamKey _sobolKey;

    private ScrambledSobol? Sobol(StreamKey key)
    {
        if (!_economy.Sobol) return null;
        if (_sobol is null || _sobolKey != key)
        {
            _sobol = new ScrambledSobol(key, _economy.SobolDimensions);
            _sobolKey = key;
        }
        return _sobol;
    }

    private LatinHypercube? _latin;
    private StreamKey _latinKey;

    private LatinHypercube? Latin(StreamKey key)
    {
        if (_economy.Sampling != FactorSampling.LatinHypercube) return null;
        if (_latin is null || _latinKey != key)
        {
            if (_trials < 1) throw new InvalidOperationException("Latin hypercube sampling needs the run's trial count (FactorPaths(economy, trials))");
            _latin = new LatinHypercube(key, _economy.SobolDimensions, _trials);
            _latinKey = key;
        }
        return _latin;
    }

    /// <summary>The systematic draw of a window: the stressed levels of years start..start+w−1 summed and divided
    /// by the unstressed sum's standard deviation, so it is standard normal without stresses.</summary>
    public double WindowDraw(int k, int start, int w, double invSqrtVariance)
    {
        int years = _economy.Years, baseIndex = k * years;
        double sum = 0;
        for (int t = start; t < start + w; t++) sum += Stressed[baseIndex + t - 1];
        return sum * invSqrtVariance;
    }
}
