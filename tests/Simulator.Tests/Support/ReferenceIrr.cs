using Simulator.Core.Instruments;

namespace Simulator.Tests.Support;

/// <summary>The IRR solver of version 0.1, the reference the fast solver (<see cref="Irr.Compute"/>) is tested against.</summary>
internal static class ReferenceIrr
{
    /// <summary>The reported IRR of docs/model.md §6 on the reference search: defined for investment flows (the first
    /// non-zero flow negative) whose rate has the sign of the undiscounted net flow, NaN otherwise.</summary>
    public static double ForInvestment(double[] flows)
    {
        double rate = ComputeByBisection(flows);
        if (flows.FirstOrDefault(f => f != 0) > 0) return double.NaN;
        double net = flows.Sum(), noise = Irr.GainNoise * -flows.Where(f => f < 0).Sum();
        return rate > 0 && net < -noise || rate < 0 && net > noise ? double.NaN : rate;
    }

    /// <summary>
    /// The reference search (the solver of version 0.1, kept for tests): the same scan, on the rates themselves,
    /// then bisection of the first sign change to a relative width of 1e-12 of r (absolute below |r| = 1).
    /// </summary>
    public static double ComputeByBisection(ReadOnlySpan<double> flows)
    {
        double paid = 0, received = 0;
        foreach (double f in flows)
        {
            if (f < 0) paid -= f;
            else received += f;
        }
        if (paid <= 0) return double.NaN;
        if (received <= 0) return -1.0;

        double hi = Math.Exp(Irr.LogHigh) - 1, npvHi = Npv(flows, hi);
        for (int i = 1; i <= Irr.GridSteps; i++)
        {
            double lo = Math.Exp(Irr.LogHigh + (Irr.LogLow - Irr.LogHigh) * i / Irr.GridSteps) - 1;
            double npvLo = Npv(flows, lo);
            if (npvLo == 0) return lo;
            if ((npvLo > 0) != (npvHi > 0)) return Bisect(flows, lo, hi, npvLo);
            hi = lo;
            npvHi = npvLo;
        }
        return double.NaN;
    }

    private static double Bisect(ReadOnlySpan<double> flows, double lo, double hi, double npvLo)
    {
        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, Math.Abs(lo)); i++)
        {
            double mid = 0.5 * (lo + hi);
            double npvMid = Npv(flows, mid);
            if ((npvMid > 0) == (npvLo > 0))
            {
                lo = mid;
                npvLo = npvMid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double Npv(ReadOnlySpan<double> flows, double r)
    {
        double v = 0, discount = 1, factor = 1 / (1 + r);
        foreach (double f in flows)
        {
            discount *= factor;
            v += f * discount;
        }
        return v;
    }
}
