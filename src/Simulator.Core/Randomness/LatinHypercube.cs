namespace Simulator.Core.Randomness;

/// <summary>
/// Latin hypercube sampling of the factor draws (<c>"simulation": { "sampling": "lhs" }</c>, docs/precision.md): R
/// independent Latin hypercubes. As with <see cref="ScrambledSobol"/>, trial i (1-based) is point n = ⌊(i − 1)/R⌋ of
/// randomisation r = (i − 1) mod R, which holds M_r = ⌊N/R⌋ (+1 for r &lt; N mod R) of the run's N trials. In every
/// dimension j the point's coordinate is (π_r,j(n) + u)/M_r, with u the uniform the plain draw would have used and
/// π_r,j a random permutation of 0..M_r − 1: the M_r points of a randomisation fall one in each of M_r equal strata of
/// every dimension, so every factor's yearly innovations are exactly stratified, while the dimensions are paired at
/// random (no joint stratification, unlike Sobol points).
/// <para>
/// π_r,j(n) = (F(n) + c) mod M_r, F a keyed four-round Feistel permutation of the smallest power of four at least M_r
/// walked back into 0..M_r − 1 (cycle walking), c a random rotation: computed per point, nothing stored, so a point is a
/// pure function of (seed, scenario, N, trial) and results are byte-identical for any thread count or sharding. The
/// rotation makes every point's stratum uniform on 0..M_r − 1 (up to M_r/2⁶⁴) whatever F, so every point is uniform on
/// (0, 1) and every randomisation's mean unbiased; the R randomisations are independent (keys from a stream of their
/// own), so the spread of their R estimates gives the standard error. A run stopped early (a precision target) leaves
/// its randomisations' strata partly empty: still unbiased, but without the stratification's gain.
/// </para>
/// </summary>
public sealed class LatinHypercube
{
    /// <summary>Independent randomisations R (the same as Sobol's, so the statistics treat both alike).</summary>
    public const int Randomisations = ScrambledSobol.Randomisations;

    private const int Rounds = 4, KeysPerDimension = Rounds + 1;
    private readonly long _trials;
    private readonly int _dimensions;
    private readonly ulong[] _keys;            // [(r × dimensions + j) × 5 + k]: four round keys, then the rotation
    private readonly long[] _points;           // M_r
    private readonly int[] _halfBits;          // bits of each half of the Feistel block, per randomisation

    /// <summary>The hypercubes of <paramref name="dimensions"/> dimensions for a run of <paramref name="trials"/> trials
    /// with stream key <paramref name="key"/>.</summary>
    public LatinHypercube(StreamKey key, int dimensions, long trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "a Latin hypercube needs the run's trial count");
        _trials = trials;
        _dimensions = dimensions;
        _keys = new ulong[Randomisations * dimensions * KeysPerDimension];
        _points = new long[Randomisations];
        _halfBits = new int[Randomisations];
        ulong hash = StreamKey.Hash("lhs", "permutation");
        for (int r = 0; r < Randomisations; r++)
        {
            long m = trials / Randomisations + (r < trials % Randomisations ? 1 : 0);
            _points[r] = m;
            int bits = m <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(m - 1));
            _halfBits[r] = Math.Max(1, (bits + 1) / 2);
            var rng = key.Stream(r, hash);
            for (int k = 0; k < dimensions * KeysPerDimension; k++) _keys[r * dimensions * KeysPerDimension + k] = rng.NextUInt64();
        }
    }

    /// <summary>Dimensions.</summary>
    public int Dimensions => _dimensions;

    /// <summary>The randomisation of trial <paramref name="trial"/> (1-based).</summary>
    public static int RandomisationOf(long trial) => (int)((trial - 1) % Randomisations);

    /// <summary>The stratum π_r,j(n) of trial <paramref name="trial"/>'s point in dimension <paramref name="j"/>, and the
    /// number of strata M_r.</summary>
    public (long Stratum, long Strata) Stratum(long trial, int j)
    {
        if (trial < 1 || trial > _trials) throw new ArgumentOutOfRangeException(nameof(trial), trial, $"trials run from 1 to {_trials}");
        long n = (trial - 1) / Randomisations;
        int r = (int)((trial - 1) % Randomisations);
        long m = _points[r];
        int at = (r * _dimensions + j) * KeysPerDimension;
        int half = _halfBits[r];
        ulong mask = (1UL << half) - 1, x = (ulong)n;
        // Cycle walking: the Feistel permutation of 0..4^half − 1, applied until the value falls below M_r again.
        do
        {
            ulong left = x >> half, right = x & mask;
            for (int k = 0; k < Rounds; k++)
                (left, right) = (right, left ^ (SplitMix64.Mix(_keys[at + k] ^ right) & mask));
            x = (left << half) | right;
        }
        while (x >= (ulong)m);
        long stratum = (long)((x + _keys[at + Rounds] % (ulong)m) % (ulong)m);
        return (stratum, m);
    }

    /// <summary>Coordinate <paramref name="j"/> of trial <paramref name="trial"/>'s point, in (0, 1): stratum
    /// π_r,j(n) of M_r, placed in it by the plain uniform <paramref name="u"/>.</summary>
    public double Coordinate(long trial, int j, double u)
    {
        var (stratum, strata) = Stratum(trial, j);
        // (M − 1 + u)/M can round to 1 for u just below 1 and a large M: kept inside the open interval.
        return Math.Min((stratum + u) / strata, Math.BitDecrement(1.0));
    }
}
