namespace Simulator.Core.Funds;

/// <summary>Internal rate of return of yearly cash flows (flow t at the end of year t).</summary>
public static class Irr
{
    /// <summary>
    /// The rate r &gt; −1 with Σ flows[t] / (1 + r)^t = 0 over t = 1..n. Returns −1 when nothing is ever
    /// received (a total loss), NaN when nothing is ever paid in. Bisection on the NPV in r, which is
    /// monotone for the LP flows here (payments in come before or alongside receipts); 200 halvings of
    /// [−1, 1e3] reach full double precision.
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

        double lo = -0.999999999, hi = 1000.0;
        double npvLo = Npv(flows, lo);
        if (Npv(flows, hi) * npvLo > 0) return npvLo > 0 ? hi : lo; // no sign change: report the bound
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.Max(1, Math.Abs(lo)); i++)
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
