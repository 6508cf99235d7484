using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simulator.Core.Distributions;

/// <summary>
/// The standard normal quantile Φ⁻¹ for eight arguments at once: Wichura's algorithm AS 241 (PPND16, Applied
/// Statistics 37, 1988), relative error about 1e-16 in the rational approximations, evaluated branch-free (all
/// three regions are computed and the right one chosen per lane) with .NET's vector logarithm. Measured against
/// MathNet's ErfcInv over 0 &lt; p &lt; 1 down to p = 1e-300, the relative error stays below 1e-14 (test
/// NormalVectorTests). Used where a loop draws many normals, e.g. the amounts of a generated loan book.
/// </summary>
public static class VectorNormal
{
    // Region |p − 0.5| ≤ 0.425.
    private const double A0 = 3.3871328727963666080e0, A1 = 1.3314166789178437745e+2, A2 = 1.9715909503065514427e+3, A3 = 1.3731693765509461125e+4,
        A4 = 4.5921953931549871457e+4, A5 = 6.7265770927008700853e+4, A6 = 3.3430575583588128105e+4, A7 = 2.5090809287301226727e+3;
    private const double B1 = 4.2313330701600911252e+1, B2 = 6.8718700749205790830e+2, B3 = 5.3941960214247511077e+3, B4 = 2.1213794301586595867e+4,
        B5 = 3.9307895800092710610e+4, B6 = 2.8729085735721942674e+4, B7 = 5.2264952788528545610e+3;
    // Tails, r = sqrt(−log(min(p, 1 − p))) ≤ 5.
    private const double C0 = 1.42343711074968357734e0, C1 = 4.63033784615654529590e0, C2 = 5.76949722146069140550e0, C3 = 3.64784832476320460504e0,
        C4 = 1.27045825245236838258e0, C5 = 2.41780725177450611770e-1, C6 = 2.27238449892691845833e-2, C7 = 7.74545014278341407640e-4;
    private const double D1 = 2.05319162663775882187e0, D2 = 1.67638483018380384940e0, D3 = 6.89767334985100004550e-1, D4 = 1.48103976427480074590e-1,
        D5 = 1.51986665636164571966e-2, D6 = 5.47593808499534494600e-4, D7 = 1.05075007164441684324e-9;
    // Far tails, r > 5.
    private const double E0 = 6.65790464350110377720e0, E1 = 5.46378491116411436990e0, E2 = 1.78482653991729133580e0, E3 = 2.96560571828504891230e-1,
        E4 = 2.65321895265761230930e-2, E5 = 1.24266094738807843860e-3, E6 = 2.71155556874348757815e-5, E7 = 2.01033439929228813265e-7;
    private const double F1 = 5.99832206555887937690e-1, F2 = 1.36929880922735805310e-1, F3 = 1.48753612908506148525e-2, F4 = 7.86869131145613259100e-4,
        F5 = 1.84631831751005468180e-5, F6 = 1.42151175831644588870e-7, F7 = 2.04426310338993978564e-15;

    /// <summary>Φ⁻¹(p) lane by lane, for p in (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> InvCdf(Vector512<double> p)
    {
        var half = Vector512.Create(0.5);
        var q = p - half;
        var r = Vector512.Create(0.180625) - q * q;
        var central = q * Poly(r, A0, A1, A2, A3, A4, A5, A6, A7) / Poly(r, 1, B1, B2, B3, B4, B5, B6, B7);

        var tail = Vector512.Min(p, Vector512<double>.One - p);
        var s = Vector512.Sqrt(-Vector512.Log(tail));
        var s1 = s - Vector512.Create(1.6);
        var near = Poly(s1, C0, C1, C2, C3, C4, C5, C6, C7) / Poly(s1, 1, D1, D2, D3, D4, D5, D6, D7);
        var s2 = s - Vector512.Create(5.0);
        var far = Poly(s2, E0, E1, E2, E3, E4, E5, E6, E7) / Poly(s2, 1, F1, F2, F3, F4, F5, F6, F7);
        var tails = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(s, Vector512.Create(5.0)), near, far);
        tails = Vector512.ConditionalSelect(Vector512.LessThan(q, Vector512<double>.Zero), -tails, tails);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(Vector512.Abs(q), Vector512.Create(0.425)), central, tails);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Poly(Vector512<double> x, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        var y = Vector512.Create(c7);
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c6));
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c5));
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c4));
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c3));
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c2));
        y = Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c1));
        return Vector512.FusedMultiplyAdd(y, x, Vector512.Create(c0));
    }
}
