using Simulator.Core.Instruments;

namespace Simulator.Core.Funds;

/// <summary>
/// The fund's distribution waterfall: <see cref="LpWaterfall"/> (shared with the kinds that hold LP interests) with the
/// fund's carry and hurdle. Documented in docs/model.md.
/// </summary>
public static class Waterfall
{
    /// <summary>Computes LP flows (see <see cref="LpWaterfall.Run"/>).</summary>
    /// <param name="contributions">Paid in by all LPs in each year (checks and fees).</param>
    /// <param name="proceeds">Gross proceeds from exits in each year.</param>
    /// <param name="fees">Fee terms.</param>
    /// <param name="governmentShare">Government share of contributions and LP distributions.</param>
    /// <param name="concession">Share of the government's profit ceded to private LPs (ignored without private LPs).</param>
    /// <param name="governmentFlows">Output: net flows of the government (−paid in + received).</param>
    /// <param name="privateFlows">Output: net flows of the private LPs.</param>
    /// <returns>Totals paid in and received by each LP class (for net multiples).</returns>
    /// <param name="toManager">Share of the ceded profit paid to the manager rather than to the private LPs.</param>
    public static LpTotals Run(ReadOnlySpan<double> contributions, ReadOnlySpan<double> proceeds, Fees fees,
        double governmentShare, double concession, Span<double> governmentFlows, Span<double> privateFlows, double toManager = 0) =>
        LpWaterfall.Run(contributions, proceeds, fees.Carry, fees.Hurdle, governmentShare, concession, governmentFlows, privateFlows, toManager);
}
