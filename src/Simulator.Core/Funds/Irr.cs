namespace Simulator.Core.Funds;

/// <summary>Internal rate of return of yearly cash flows (flow t at the end of year t).</summary>
public static class Irr
{
    /// <summary>
    /// The rate r &gt; −1 with Σ flows[t] / (1 + r)^t = 0 over t = 1..n. Returns −1 when nothing is ever
    /// received (a total loss), NaN when nothing is ever paid in or no root exists. Fund flows can change sign
    /// more than once (fees paid in the last year after the last exit), which can add a spurious root near
    /// −100%; the economically meaningful one is the largest, so the search scans down from +1000% on a
    /// geometric grid of 1 + r for the first sign change, then bisects it to 1e-12. The grid has 48 geometric steps from 1 + r = 1001 down to 1e-9 (each a factor of about 1.8), fine
    /// enough that two roots of real fund flows never share a step.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> flows)
    {
        double paid = 0, received = 0;
        foreach (double f in flows)
        {
            if (f < 0) paid -= f;
            else received += f;
        }
        if (paid <= 0) return double.NaN;
        if (received <= 0) return -1.0;

        const int GridPoints = 48;
        const double LogHigh = 6.908754779315221, LogLow = -20.72326583694641; // ln(1001), ln(1e-9)
        double hi = Math.Exp(LogHigh) - 1, npvHi = Npv(flows, hi);
        for (int i = 1; i <= GridPoints; i++)
        {
            double lo = Math.Exp(LogHigh + (LogLow - LogHigh) * i / GridPoints) - 1;
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
