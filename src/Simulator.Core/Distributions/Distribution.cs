using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Statistics;

namespace Simulator.Core.Distributions;

/// <summary>
/// A one-dimensional distribution used by the model through its quantile function, so that a single
/// uniform draw can be mapped monotonically (the copula of the spec: a bad factor draw means a low
/// quantile everywhere). Instances are immutable and thread-safe.
/// </summary>
public abstract class Distribution
{
    /// <summary>The quantile function inf{x : F(x) ≥ u} for u in (0, 1).</summary>
    public abstract double Quantile(double u);

    /// <summary>
    /// <see cref="Quantile"/> of every element of <paramref name="u"/> into <paramref name="result"/> (which may be the
    /// same span). The same values as <see cref="Quantile"/> unless a law documents a vectorised form.
    /// </summary>
    public virtual void Quantiles(ReadOnlySpan<double> u, Span<double> result)
    {
        if (result.Length < u.Length) throw new ArgumentException("result is shorter than the input", nameof(result));
        for (int i = 0; i < u.Length; i++) result[i] = Quantile(u[i]);
    }

    /// <summary>The mean (may be +∞ for heavy tails).</summary>
    public abstract double Mean { get; }

    /// <summary>Lower end of the support.</summary>
    public abstract double SupportMin { get; }

    /// <summary>Upper end of the support (+∞ if unbounded); for continuous laws the end itself has probability 0.</summary>
    public abstract double SupportMax { get; }

    /// <summary>True when the upper end of the support is reached with positive probability (fixed, table).</summary>
    public virtual bool SupportMaxAttained => false;
}

/// <summary>A constant.</summary>
public sealed class FixedDistribution(double value) : Distribution
{
    /// <summary>The constant value.</summary>
    public double Value { get; } = value;
    /// <inheritdoc />
    public override double Quantile(double u) => Value;
    /// <inheritdoc />
    public override double Mean => Value;
    /// <inheritdoc />
    public override double SupportMin => Value;
    /// <inheritdoc />
    public override double SupportMax => Value;
    /// <inheritdoc />
    public override bool SupportMaxAttained => true;
}

/// <summary>Uniform on [a, b].</summary>
public sealed class UniformDistribution(double a, double b) : Distribution
{
    /// <summary>Lower bound.</summary>
    public double A { get; } = a;
    /// <summary>Upper bound.</summary>
    public double B { get; } = b;
    /// <inheritdoc />
    public override double Quantile(double u) => A + u * (B - A);
    /// <inheritdoc />
    public override double Mean => 0.5 * (A + B);
    /// <inheritdoc />
    public override double SupportMin => A;
    /// <inheritdoc />
    public override double SupportMax => B;
}

/// <summary>Lognormal given by its median m and log-scale sigma s: X = m · exp(s · N(0,1)).</summary>
public sealed class LogNormalDistribution(double median, double sigma) : Distribution
{
    /// <summary>Median.</summary>
    public double Median { get; } = median;
    /// <summary>Standard deviation of log X.</summary>
    public double Sigma { get; } = sigma;
    /// <inheritdoc />
    public override double Quantile(double u) => Median * Math.Exp(Sigma * NormalMath.InvCdf(u));
    /// <inheritdoc />
    public override double Mean => Median * Math.Exp(0.5 * Sigma * Sigma);
    /// <inheritdoc />
    public override double SupportMin => 0;
    /// <inheritdoc />
    public override double SupportMax => double.PositiveInfinity;
}

/// <summary>Pareto (type I) with scale x_m and shape α: P(X &gt; x) = (x_m / x)^α for x ≥ x_m.</summary>
public sealed class ParetoDistribution(double min, double alpha) : Distribution
{
    private readonly double _exponent = -1.0 / alpha;
    /// <summary>Scale x_m (the minimum).</summary>
    public double Min { get; } = min;
    /// <summary>Shape α.</summary>
    public double Alpha { get; } = alpha;
    /// <inheritdoc />
    public override double Quantile(double u) => Min * Math.Pow(1.0 - u, _exponent);

    /// <summary>
    /// Vectorised quantiles x_m · exp(−ln(1 − u)/α), eight at a time, with the exponential and logarithm of
    /// <see cref="SimdMath"/>. Relative difference from <see cref="Quantile"/> (which calls <see cref="Math.Pow"/>) at
    /// most (2 + |ln(x/x_m)|)·2.2e-16, i.e. below 1e-15 for x ≤ 200·x_m (measured in the tests); 1 − u below the
    /// normal range (u within 2.2e-308 of 1) goes through <see cref="Quantile"/>. An element's result depends only
    /// on its value (the same with AVX-512 or AVX2 only; without 256-bit SIMD this is <see cref="Quantile"/>).
    /// </summary>
    public override void Quantiles(ReadOnlySpan<double> u, Span<double> result)
    {
        int n = u.Length, i = 0;
        if (result.Length < n) throw new ArgumentException("result is shorter than the input", nameof(result));
        if (!Vector256.IsHardwareAccelerated)
        {
            base.Quantiles(u, result); // emulated vectors would be slower than Math.Pow
            return;
        }
        ref double input = ref MemoryMarshal.GetReference(u);
        ref double output = ref MemoryMarshal.GetReference(result);
        // With at least one whole vector, the last elements are one vector overlapping the one before (the overlap
        // gets the same values twice), loaded before the loop because result may be u.
        bool overlap = n >= Vector512<double>.Count && n % Vector512<double>.Count != 0;
        var lastValue = overlap ? Vector512.LoadUnsafe(ref input, (nuint)(n - Vector512<double>.Count)) : default;
        for (; i + Vector512<double>.Count <= n; i += Vector512<double>.Count)
        {
            var value = Vector512.LoadUnsafe(ref input, (nuint)i);
            var quantile = Kernel(value, out var rare);
            if (rare != Vector512<double>.Zero) quantile = Rare(value, quantile, rare);
            quantile.StoreUnsafe(ref output, (nuint)i);
        }
        if (overlap)
        {
            var quantile = Kernel(lastValue, out var rare);
            if (rare != Vector512<double>.Zero) quantile = Rare(lastValue, quantile, rare);
            quantile.StoreUnsafe(ref output, (nuint)(n - Vector512<double>.Count));
        }
        else if (i < n)
        {
            Span<double> pad = stackalloc double[Vector512<double>.Count];
            pad.Fill(0.5);
            u[i..].CopyTo(pad);
            var value = Vector512.Create(pad);
            var quantile = Kernel(value, out var rare);
            if (rare != Vector512<double>.Zero) quantile = Rare(value, quantile, rare);
            quantile.CopyTo(pad);
            pad[..(n - i)].CopyTo(result[i..]);
        }
    }

    private const double MinNormal = 2.2250738585072014e-308;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<double> Kernel(Vector512<double> u, out Vector512<double> rare)
    {
        var w = Vector512<double>.One - u;
        var usable = Vector512.GreaterThanOrEqual(w, Vector512.Create(MinNormal));
        rare = ~usable;
        var log = SimdMath.Log(Vector512.ConditionalSelect(usable, w, Vector512<double>.One));
        return Vector512.Create(Min) * SimdMath.Exp(Vector512.Create(_exponent) * log);
    }

    // Lanes whose 1 − u is subnormal, zero, negative or NaN: the scalar function (rare; kept out of the loop body).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Vector512<double> Rare(Vector512<double> u, Vector512<double> quantile, Vector512<double> rare)
    {
        for (int k = 0; k < Vector512<double>.Count; k++)
            if (rare[k] != 0) quantile = quantile.WithElement(k, Quantile(u[k]));
        return quantile;
    }

    /// <inheritdoc />
    public override double Mean => Alpha > 1 ? Alpha * Min / (Alpha - 1) : double.PositiveInfinity;
    /// <inheritdoc />
    public override double SupportMin => Min;
    /// <inheritdoc />
    public override double SupportMax => double.PositiveInfinity;
}

/// <summary>
/// Beta on [0, 1] given by mean and standard deviation. MathNet's exact inverse is a root search, far too
/// slow per project, so the quantile function is tabulated at set-up: 8,192 equal steps of u on
/// [1/64, 63/64], where it is smooth, interpolated linearly; and in each tail 1,024 log-spaced points down to
/// 1e-6, interpolated linearly in log u → log x (the tails of a beta quantile are power laws, so this is
/// nearly exact); beyond 1e-6 (two draws in a million) the exact inverse. The error is below 1e-6 (checked in the tests).
/// </summary>
public sealed class BetaDistribution : Distribution
{
    private const int MiddleIntervals = 8192, TailPoints = 1024;
    private const double MiddleLow = 1.0 / 64, MiddleHigh = 63.0 / 64, TailLow = 1e-6;
    private readonly double[] _middle;
    private readonly double[] _lowerLogX, _upperLogY; // log Q(u) and log(1 − Q(1 − v)) at log-spaced u, v
    private readonly double _logTailLow, _logStep;

    /// <summary>Creates the law from its mean and sd (requires 0 &lt; mean &lt; 1 and sd² &lt; mean(1 − mean)).</summary>
    public BetaDistribution(double mean, double sd)
    {
        MeanValue = mean;
        Sd = sd;
        double common = mean * (1 - mean) / (sd * sd) - 1;
        Alpha = mean * common;
        Beta = (1 - mean) * common;
        _middle = new double[MiddleIntervals + 1];
        for (int i = 0; i <= MiddleIntervals; i++) _middle[i] = ExactQuantile(MiddleLow + (MiddleHigh - MiddleLow) * i / MiddleIntervals);
        _logTailLow = Math.Log(TailLow);
        _logStep = (Math.Log(MiddleLow) - _logTailLow) / (TailPoints - 1);
        _lowerLogX = new double[TailPoints];
        _upperLogY = new double[TailPoints];
        for (int i = 0; i < TailPoints; i++)
        {
            double u = Math.Exp(_logTailLow + i * _logStep);
            _lowerLogX[i] = SafeLog(ExactQuantile(u));
            _upperLogY[i] = SafeLog(1 - ExactQuantile(1 - u));
        }
    }

    /// <summary>Mean as given.</summary>
    public double MeanValue { get; }
    /// <summary>Standard deviation as given.</summary>
    public double Sd { get; }
    /// <summary>First shape parameter.</summary>
    public double Alpha { get; }
    /// <summary>Second shape parameter.</summary>
    public double Beta { get; }

    // log of 0 would poison the interpolation with −∞ − (−∞); the smallest double's log maps back to 0.
    private static double SafeLog(double x) => Math.Log(Math.Max(x, double.Epsilon));

    /// <summary>The same values as <see cref="Quantile"/>, called directly (not virtually) in the loop.</summary>
    public override void Quantiles(ReadOnlySpan<double> u, Span<double> result)
    {
        if (result.Length < u.Length) throw new ArgumentException("result is shorter than the input", nameof(result));
        for (int i = 0; i < u.Length; i++) result[i] = Quantile(u[i]);
    }

    /// <summary>The exact quantile (slow).</summary>
    public double ExactQuantile(double u) => MathNet.Numerics.Distributions.Beta.InvCDF(Alpha, Beta, u);

    /// <summary>
    /// The x with I_x(a, b) = v for a lower-tail probability v &lt; 1e-6 (x below e^<paramref name="logUpper"/>,
    /// the table's first point): bisection on log x, 80 steps of the regularized incomplete beta. The upper tail
    /// is the lower tail of Beta(b, a) at 1 − x. Unlike MathNet's root finder it allocates nothing, so the trial
    /// loop stays allocation-free even on these two draws in a million.
    /// </summary>
    private static double FarTail(double a, double b, double v, double logUpper)
    {
        double lo = -745, hi = Math.Min(0, logUpper + 1e-9);
        for (int k = 0; k < 80 && hi - lo > 1e-15 * Math.Max(1, Math.Abs(hi)); k++)
        {
            double mid = 0.5 * (lo + hi);
            if (MathNet.Numerics.SpecialFunctions.BetaRegularized(a, b, Math.Exp(mid)) < v) lo = mid;
            else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }

    /// <inheritdoc />
    public override double Quantile(double u)
    {
        if (u >= MiddleLow && u <= MiddleHigh)
        {
            double x = (u - MiddleLow) / (MiddleHigh - MiddleLow) * MiddleIntervals;
            int i = Math.Min((int)x, MiddleIntervals - 1);
            return _middle[i] + (x - i) * (_middle[i + 1] - _middle[i]);
        }
        bool lower = u < MiddleLow;
        double v = lower ? u : 1 - u;
        if (v < TailLow) return lower ? FarTail(Alpha, Beta, v, _lowerLogX[0]) : 1 - FarTail(Beta, Alpha, v, _upperLogY[0]);
        double t = (Math.Log(v) - _logTailLow) / _logStep;
        int j = Math.Min((int)t, TailPoints - 2);
        var table = lower ? _lowerLogX : _upperLogY;
        double logValue = table[j] + (t - j) * (table[j + 1] - table[j]);
        return lower ? Math.Exp(logValue) : 1 - Math.Exp(logValue);
    }

    /// <inheritdoc />
    public override double Mean => MeanValue;
    /// <inheritdoc />
    public override double SupportMin => 0;
    /// <inheritdoc />
    public override double SupportMax => 1;
}

/// <summary>A discrete law from (value, probability) pairs; the quantile function is read over values in
/// increasing order so that a low uniform means a low value.</summary>
public sealed class TableDistribution : Distribution
{
    private readonly double[] _values;
    private readonly double[] _cumulative;

    /// <summary>Creates the table; probabilities must be non-negative and sum to 1.</summary>
    public TableDistribution(IReadOnlyList<(double Value, double Probability)> rows)
    {
        var sorted = rows.OrderBy(r => r.Value).ToArray();
        Rows = rows.ToArray();
        _values = sorted.Select(r => r.Value).ToArray();
        _cumulative = new double[sorted.Length];
        double total = sorted.Sum(r => r.Probability), c = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            c += sorted[i].Probability / total;
            _cumulative[i] = c;
        }
        _cumulative[^1] = 1.0;
    }

    /// <summary>The rows as given.</summary>
    public IReadOnlyList<(double Value, double Probability)> Rows { get; }

    /// <inheritdoc />
    public override double Quantile(double u)
    {
        for (int i = 0; i < _cumulative.Length; i++)
        {
            if (_cumulative[i] >= u) return _values[i];
        }
        return _values[^1];
    }

    /// <inheritdoc />
    public override double Mean => Rows.Sum(r => r.Value * r.Probability) / Rows.Sum(r => r.Probability);
    /// <inheritdoc />
    public override double SupportMin => _values[0];
    /// <inheritdoc />
    public override double SupportMax => _values[^1];
    /// <inheritdoc />
    public override bool SupportMaxAttained => true;
}

/// <summary>Another law shifted by a constant (used by the exits-delayed stress).</summary>
public sealed class ShiftedDistribution(Distribution inner, double shift) : Distribution
{
    /// <summary>The unshifted law.</summary>
    public Distribution Inner { get; } = inner;
    /// <summary>The shift.</summary>
    public double Shift { get; } = shift;
    /// <inheritdoc />
    public override double Quantile(double u) => Inner.Quantile(u) + Shift;
    /// <inheritdoc />
    public override double Mean => Inner.Mean + Shift;
    /// <inheritdoc />
    public override double SupportMin => Inner.SupportMin + Shift;
    /// <inheritdoc />
    public override double SupportMax => Inner.SupportMax + Shift;
    /// <inheritdoc />
    public override bool SupportMaxAttained => Inner.SupportMaxAttained;
}

/// <summary>
/// Another law capped from above: min(X, cap), quantile min(Q(u), cap) (a check-size cap, <c>check.cap</c>: a rule's
/// limit on a single project's investment). Monotone in u, so the copula of the spec is kept.
/// </summary>
public sealed class CappedDistribution : Distribution
{
    private readonly Lazy<double> _mean;

    /// <summary>The law <paramref name="inner"/> capped at <paramref name="cap"/>.</summary>
    public CappedDistribution(Distribution inner, double cap)
    {
        Inner = inner;
        Cap = cap;
        _mean = new Lazy<double>(() => CappedMean(inner, cap));
    }

    /// <summary>The uncapped law.</summary>
    public Distribution Inner { get; }
    /// <summary>The cap.</summary>
    public double Cap { get; }
    /// <inheritdoc />
    public override double Quantile(double u) => Math.Min(Inner.Quantile(u), Cap);
    /// <inheritdoc />
    public override void Quantiles(ReadOnlySpan<double> u, Span<double> result)
    {
        Inner.Quantiles(u, result);
        for (int i = 0; i < u.Length; i++) result[i] = Math.Min(result[i], Cap);
    }
    /// <inheritdoc />
    /// <remarks>E[min(X, cap)] = ∫₀¹ min(Q(u), cap) du by the midpoint rule on 2²⁰ points, once: the integrand is bounded
    /// by the cap and monotone, so the error is below (cap − SupportMin)/2²⁰.</remarks>
    public override double Mean => _mean.Value;
    /// <inheritdoc />
    public override double SupportMin => Math.Min(Inner.SupportMin, Cap);
    /// <inheritdoc />
    public override double SupportMax => Math.Min(Inner.SupportMax, Cap);
    /// <inheritdoc />
    public override bool SupportMaxAttained => Cap < Inner.SupportMax || Inner.SupportMaxAttained;

    private static double CappedMean(Distribution inner, double cap)
    {
        if (inner.SupportMax <= cap) return inner.Mean;
        const int n = 1 << 20, chunk = 4096;
        var u = new double[chunk];
        double sum = 0;
        for (int start = 0; start < n; start += chunk)
        {
            for (int i = 0; i < chunk; i++) u[i] = (start + i + 0.5) / n;
            inner.Quantiles(u, u);
            for (int i = 0; i < chunk; i++) sum += Math.Min(u[i], cap);
        }
        return sum / n;
    }
}
