using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Simulator.Core.Statistics;

namespace Simulator.Core.Fitting;

/// <summary>The Vasicek fit of one grade's default history.</summary>
/// <param name="Grade">The grade, or "all".</param>
/// <param name="Years">The history, in file order.</param>
/// <param name="Pd">The annual probability of default.</param>
/// <param name="PdSe">Its standard error (observed information).</param>
/// <param name="Rho">The asset correlation ρ.</param>
/// <param name="RhoSe">Its standard error; NaN when ρ is at the boundary 0, where the information says nothing.</param>
/// <param name="LogLikelihood">The maximised log-likelihood (binomial coefficients included).</param>
/// <param name="PooledRate">Defaults ÷ loans over the history: the PD's estimate if years were independent.</param>
public sealed record VasicekResult(string Grade, IReadOnlyList<DefaultRow> Years, double Pd, double PdSe, double Rho, double RhoSe, double LogLikelihood, double PooledRate)
{
    /// <summary>The factor loading √ρ that gives a loan this asset correlation in the scenario format.</summary>
    public double Loading => Math.Sqrt(Rho);

    /// <summary>The default rate of an infinitely large pool at the factor's quantile <paramref name="u"/> (Vasicek).</summary>
    public double RateQuantile(double u) => NormalMath.Cdf((NormalMath.InvCdf(Pd) + Math.Sqrt(Rho) * NormalMath.InvCdf(u)) / Math.Sqrt(1 - Rho));
}

/// <summary>
/// Fits the one-factor Vasicek model to a yearly default history by maximum likelihood: given the year's factor Z,
/// each of the year's n loans defaults independently with p(Z) = Φ((Φ⁻¹(PD) − √ρ Z) / √(1 − ρ)), so the year's
/// likelihood is ∫ Binom(d; n, p(z)) φ(z) dz. Years are independent (a factor with persistence 0).
/// The integral is adaptive Gauss–Hermite: the integrand is log-concave in z, so it is centred on its mode and
/// scaled by its curvature, which keeps 32 points accurate even for years of thousands of loans, where the
/// binomial is a narrow spike in z. MathNet's Nelder–Mead maximises over (Φ⁻¹(PD), logit ρ); the standard errors are
/// the square roots of the diagonal of the inverse observed information (MathNet's numerical Hessian in (PD, ρ)).
/// </summary>
public static class VasicekFit
{
    /// <summary>Fewest years of history in a grade.</summary>
    public const int MinYears = 5;

    private static readonly GaussHermite Rule = new(32);

    /// <summary>Fits every grade, or the whole history as "all"; too few years is a problem, not an exception.</summary>
    public static (IReadOnlyList<VasicekResult> Fits, IReadOnlyList<DataError> Errors) FitAll(string file, IReadOnlyList<DefaultRow> rows)
    {
        var groups = rows.Any(r => r.Grade is not null)
            ? rows.GroupBy(r => r.Grade!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())).ToList()
            : [("all", rows.ToList())];
        var errors = new List<DataError>();
        if (rows.Count == 0) errors.Add(new DataError(file, null, null, $"the file has no years; at least {MinYears} are needed to fit"));
        foreach (var (grade, list) in groups)
        {
            string where = grade == "all" ? "the file" : $"grade '{grade}'";
            if (list.Count < MinYears)
                errors.Add(new DataError(file, null, null, $"too few rows to fit: {where} has {list.Count} year(s); at least {MinYears} are needed (the correlation shows only in how default rates vary from year to year)"));
            else if (list.All(r => r.Defaults == 0))
                errors.Add(new DataError(file, null, null, $"cannot fit {where}: no year has a default, so the PD's maximum-likelihood estimate is 0; fit a longer or larger history"));
            else if (list.All(r => r.Defaults == r.Loans))
                errors.Add(new DataError(file, null, null, $"cannot fit {where}: every loan defaulted in every year"));
        }
        if (errors.Count > 0) return ([], errors);
        return (groups.Select(g => Fit(g.Item1, g.Item2)).ToList(), []);
    }

    /// <summary>The maximum-likelihood fit of one history.</summary>
    public static VasicekResult Fit(string grade, IReadOnlyList<DefaultRow> years)
    {
        long loans = years.Sum(y => (long)y.Loans), defaults = years.Sum(y => (long)y.Defaults);
        double pooled = (double)defaults / loans;
        double start = NormalMath.InvCdf(Math.Clamp(pooled, 1e-6, 1 - 1e-6));
        double best = double.PositiveInfinity;
        Vector<double>? argmin = null;
        // Two starts: the correlation's likelihood can be flat near 0, and Nelder–Mead from a single point may stop
        // on a shoulder; the better of the two optima is kept.
        foreach (double rho0 in new[] { 0.02, 0.2 })
        {
            var objective = ObjectiveFunction.Value(v => -LogLikelihood(years, NormalMath.Cdf(v[0]), Logistic(v[1])));
            var result = NelderMeadSimplex.Minimum(objective, Vector<double>.Build.Dense([start, Math.Log(rho0 / (1 - rho0))]),
                Vector<double>.Build.Dense([0.2, 1.0]), 1e-10, 5000);
            if (result.FunctionInfoAtMinimum.Value < best) (best, argmin) = (result.FunctionInfoAtMinimum.Value, result.MinimizingPoint);
        }
        double pd = NormalMath.Cdf(argmin![0]);
        double rho = Logistic(argmin[1]);
        var (pdSe, rhoSe) = StandardErrors(years, pd, rho);
        return new VasicekResult(grade, years, pd, pdSe, rho, rhoSe, -best, pooled);
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    // The observed information in (PD, ρ): the Hessian of −log L by central differences, steps small against each
    // parameter and its distance from the boundary; its inverse is the estimates' covariance (MathNet's 2×2 inverse).
    // At ρ ≈ 0 the maximum is on the boundary and the curvature in ρ is no standard error: only the PD's is given.
    private static (double Pd, double Rho) StandardErrors(IReadOnlyList<DefaultRow> years, double pd, double rho)
    {
        double hp = Math.Min(pd, 1 - pd) * 1e-3;
        double F(double p, double r) => -LogLikelihood(years, p, r);
        double f0 = F(pd, rho);
        double app = (F(pd + hp, rho) - 2 * f0 + F(pd - hp, rho)) / (hp * hp);
        if (rho < 1e-4) return (1 / Math.Sqrt(app), double.NaN);
        double hr = Math.Min(rho, 1 - rho) * 1e-3;
        double arr = (F(pd, rho + hr) - 2 * f0 + F(pd, rho - hr)) / (hr * hr);
        double apr = (F(pd + hp, rho + hr) - F(pd + hp, rho - hr) - F(pd - hp, rho + hr) + F(pd - hp, rho - hr)) / (4 * hp * hr);
        var cov = Matrix<double>.Build.DenseOfArray(new[,] { { app, apr }, { apr, arr } }).Inverse();
        return (Math.Sqrt(cov[0, 0]), Math.Sqrt(cov[1, 1]));
    }

    /// <summary>The log-likelihood of the history under (PD, ρ), binomial coefficients included.</summary>
    public static double LogLikelihood(IReadOnlyList<DefaultRow> years, double pd, double rho)
    {
        if (!(pd > 0 && pd < 1 && rho >= 0 && rho < 1)) return double.NegativeInfinity;
        double a = NormalMath.InvCdf(pd) / Math.Sqrt(1 - rho);
        double c = Math.Sqrt(rho / (1 - rho));
        double sum = 0;
        foreach (var y in years) sum += SpecialFunctions.BinomialLn(y.Loans, y.Defaults) + YearLogIntegral(y.Loans, y.Defaults, a, c);
        return sum;
    }

    // log ∫ p(z)^d (1 − p(z))^(n−d) φ(z) dz with p(z) = Φ(a − c z).
    internal static double YearLogIntegral(int n, int d, double a, double c)
    {
        double H(double z) => LogPhi(a - c * z) * d + LogPhi(c * z - a) * (n - d) - 0.5 * z * z;
        if (c < 1e-12) return H(0);
        // The mode: H is concave (log Φ is concave), so a golden-section search on a wide bracket finds it.
        double lo = -40, hi = 40;
        const double g = 0.6180339887498949;
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        double f1 = H(x1), f2 = H(x2);
        while (hi - lo > 1e-9)
        {
            if (f1 < f2) { lo = x1; x1 = x2; f1 = f2; x2 = lo + g * (hi - lo); f2 = H(x2); }
            else { hi = x2; x2 = x1; f2 = f1; x1 = hi - g * (hi - lo); f1 = H(x1); }
        }
        double mode = 0.5 * (lo + hi);
        double hMode = H(mode);
        double step = 1e-3;
        double curvature = -(H(mode + step) - 2 * hMode + H(mode - step)) / (step * step);
        double scale = curvature > 1e-12 ? 1 / Math.Sqrt(curvature) : 1;
        // ∫ e^H(z) dz = ∫ e^H(m + s x) s dx = s · E[e^(H(m + s x) + x²/2) · √(2π)] over the rule's standard normal x.
        double total = 0;
        for (int i = 0; i < Rule.Nodes.Length; i++)
        {
            double x = Rule.Nodes[i];
            total += Rule.Weights[i] * Math.Exp(H(mode + scale * x) - hMode + 0.5 * x * x);
        }
        return hMode + Math.Log(total * scale);
    }

    // log Φ(x), accurate far into the lower tail where Φ underflows (Mills-ratio asymptotics below −30).
    private static double LogPhi(double x)
    {
        if (x > -30) return Math.Log(NormalMath.Cdf(x));
        double x2 = x * x;
        return -0.5 * x2 - Math.Log(-x) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(1 - 1 / x2 + 3 / (x2 * x2));
    }
}
