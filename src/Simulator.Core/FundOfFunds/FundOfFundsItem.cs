namespace Simulator.Core.FundOfFunds;

/// <summary>
/// A fund-of-funds (母基金) as simulated: stakes in funds of the scenario, its own LPs (the government's share and
/// private LPs), its own fees, carry and concession, and its tolerance judged on its paid-in capital. Immutable.
/// </summary>
/// <param name="Name">Its name.</param>
/// <param name="Commitments">Its stakes in sub-funds, in file order.</param>
/// <param name="GovernmentShare">The government's share of its LP interests.</param>
/// <param name="Management">Annual management fee on its capital in the sub-funds not yet returned.</param>
/// <param name="Carry">Its GP's carried interest, with full catch-up.</param>
/// <param name="Hurdle">Its LPs' preferred return, compounded yearly.</param>
/// <param name="Concession">Share of the government's profit at its level ceded to its private LPs.</param>
/// <param name="Tolerance">Its loss tolerance, on its paid-in capital.</param>
public sealed record FundOfFundsItem(string Name, IReadOnlyList<SubFundStake> Commitments, double GovernmentShare,
    double Management, double Carry, double Hurdle, double Concession, double Tolerance)
{
    /// <summary>The breach margin, as for funds: a loss ratio breaches when it exceeds the tolerance by more than this.</summary>
    public const double BreachEpsilon = 1e-9;

    /// <summary>Share of what the government cedes at this level paid to its manager rather than to its private (social)
    /// LPs; null when the file did not give it (then 0, and the split is not reported).</summary>
    public double? ConcessionToManager { get; init; }
}

/// <summary>A stake of a fund-of-funds in a sub-fund.</summary>
/// <param name="Fund">The sub-fund's name.</param>
/// <param name="Share">The share of the sub-fund's LP interests it holds, on the government LPs' terms.</param>
public sealed record SubFundStake(string Fund, double Share);
