namespace Simulator.Core.Instruments;

/// <summary>
/// An LP fund's distribution waterfall (European, whole-fund), year by year on end-of-year cash flows, shared by the
/// kinds that hold LP interests (a fund, a fund-of-funds): 1. return of contributed capital to the LPs; 2. a preferred
/// return at the hurdle rate, compounded yearly on unreturned capital and unpaid preference; 3. a 100% catch-up to the
/// GP until it holds <c>carry</c> of the profit distributed; 4. the rest split carry / (1 − carry). Then the LPs' share
/// is divided between the government and private LPs by <c>governmentShare</c>, and once the government has received
/// back everything it paid in, <c>concession</c> of its further (profit) distributions goes to the private LPs — when
/// there are any: with <c>governmentShare</c> 1 nothing is ceded. Documented in docs/model.md §6.
/// </summary>
public static class LpWaterfall
{
    /// <summary>Computes LP flows. All spans are indexed by year − 1 and have the fund's life as length.</summary>
    /// <param name="contributions">Paid in by all LPs in each year (checks and fees).</param>
    /// <param name="proceeds">Gross proceeds from exits in each year.</param>
    /// <param name="carry">The GP's carried interest, with full catch-up.</param>
    /// <param name="hurdle">The LPs' preferred return, compounded yearly.</param>
    /// <param name="governmentShare">Government share of contributions and LP distributions.</param>
    /// <param name="concession">Share of the government's profit ceded to private LPs (ignored without private LPs).</param>
    /// <param name="governmentFlows">Output: net flows of the government (−paid in + received).</param>
    /// <param name="privateFlows">Output: net flows of the private LPs.</param>
    /// <param name="toManager">Share of what the government cedes that goes to the manager (GP) rather than to the private
    /// (social) LPs; with no private LPs only this share is ceded.</param>
    /// <returns>Totals paid in and received by each LP class (for net multiples).</returns>
    public static LpTotals Run(ReadOnlySpan<double> contributions, ReadOnlySpan<double> proceeds, double carry, double hurdle,
        double governmentShare, double concession, Span<double> governmentFlows, Span<double> privateFlows, double toManager = 0)
    {
        double unreturned = 0, preference = 0, lpProfit = 0, gpTotal = 0;
        double governmentPaid = 0;
        foreach (double c in contributions) governmentPaid += governmentShare * c;
        double governmentReceived = 0, governmentNetReceived = 0, privateReceived = 0, totalPaid = 0, cededTotal = 0;
        // Without private LPs (governmentShare 1) there is no one to cede to: ceding would take the money out of
        // every account (the private class has no share, so no multiple or IRR reports it).
        if (governmentShare >= 1)
        {
            // Only the manager's part can be ceded then (the policy's 给予…管理人…奖励), none to absent social LPs.
            concession *= toManager;
            toManager = 1;
        }
        double cededToManager = 0;

        for (int t = 0; t < contributions.Length; t++)
        {
            preference += hurdle * (unreturned + preference);
            unreturned += contributions[t];

            // The flows are finite, so the native min and max (one instruction each) equal Math.Min and Math.Max.
            double d = proceeds[t], toLp = 0;
            double x = double.MinNative(d, unreturned);
            toLp += x;
            unreturned -= x;
            d -= x;

            x = double.MinNative(d, preference);
            toLp += x;
            preference -= x;
            lpProfit += x;
            d -= x;

            if (carry > 0 && d > 0)
            {
                double target = carry / (1 - carry) * lpProfit;
                x = double.MinNative(d, double.MaxNative(0, target - gpTotal));
                gpTotal += x;
                d -= x;
                gpTotal += carry * d;
            }
            toLp += (1 - carry) * d;
            lpProfit += (1 - carry) * d;

            double governmentGross = governmentShare * toLp;
            double profitBefore = double.MaxNative(0, governmentReceived - governmentPaid);
            governmentReceived += governmentGross;
            double ceded = concession * (double.MaxNative(0, governmentReceived - governmentPaid) - profitBefore);

            // The manager's part leaves the LPs' accounts; with toManager 0 the private LPs get the whole of it, bit for bit.
            double manager = toManager * ceded, toPrivate = ceded - manager;
            totalPaid += contributions[t];
            cededTotal += ceded;
            cededToManager += manager;
            governmentNetReceived += governmentGross - ceded;
            privateReceived += (1 - governmentShare) * toLp + toPrivate;
            governmentFlows[t] = -governmentShare * contributions[t] + governmentGross - ceded;
            privateFlows[t] = -(1 - governmentShare) * contributions[t] + (1 - governmentShare) * toLp + toPrivate;
        }
        return new LpTotals(governmentShare * totalPaid, governmentNetReceived, (1 - governmentShare) * totalPaid, privateReceived)
        {
            Ceded = cededTotal,
            CededToManager = cededToManager,
        };
    }
}

/// <summary>Totals of one trial's LP cash flows.</summary>
/// <param name="GovernmentPaid">Paid in by the government.</param>
/// <param name="GovernmentReceived">Received by the government, after the concession.</param>
/// <param name="PrivatePaid">Paid in by private LPs.</param>
/// <param name="PrivateReceived">Received by private LPs, including the concession.</param>
public readonly record struct LpTotals(double GovernmentPaid, double GovernmentReceived, double PrivatePaid, double PrivateReceived)
{
    /// <summary>Total ceded by the government to the private LPs under the concession (0 when nothing was ceded:
    /// then both classes' net flows are the LPs' flows scaled by their shares, and their IRRs are equal).</summary>
    public double Ceded { get; init; }

    /// <summary>The part of <see cref="Ceded"/> paid to the manager (GP); the rest went to the private (social) LPs.</summary>
    public double CededToManager { get; init; }

    /// <summary>Government net multiple (NaN when it paid nothing).</summary>
    public double GovernmentMultiple => GovernmentPaid > 0 ? GovernmentReceived / GovernmentPaid : double.NaN;

    /// <summary>Private LPs' net multiple (NaN when they paid nothing).</summary>
    public double PrivateMultiple => PrivatePaid > 0 ? PrivateReceived / PrivatePaid : double.NaN;
}
