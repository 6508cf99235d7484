using System.Text.Json.Serialization;

namespace Simulator.Core.Relay;

/// <summary>
/// A relay buyer (接力投资) as simulated. Immutable. It reads its sellers' (and its relay fund's) per-project outputs,
/// so it needs nothing of the funds' model (docs/model.md, "Relay buyer").
/// </summary>
/// <param name="Name">Its name.</param>
/// <param name="Fund">The relay fund's name, or null for a vehicle of its own.</param>
/// <param name="Vehicle">The vehicle of its own (null with a relay fund).</param>
/// <param name="Sellers">The seller funds, in file order, each with its mark curve.</param>
/// <param name="BudgetShare">Share of the relay fund's yearly new investment it may spend.</param>
/// <param name="Information">ρ, the share of a project's latent variance revealed by the offer date.</param>
/// <param name="AfterYears">Years after its investment year at which a project still held is offered.</param>
/// <param name="MinMark">Smallest mark offered.</param>
/// <param name="Rule">The price rule.</param>
/// <param name="Discount">Discount on the mark under <see cref="PriceRule.Mark"/>.</param>
/// <param name="Tolerance">The relay tranche's tolerance, or null for the sellers' (weighted by price).</param>
/// <param name="FundTolerance">The relay fund's tolerance, as the funds resolve it (0 for a vehicle of its own).</param>
public sealed record RelayItem(string Name, string? Fund, RelayVehicle? Vehicle, IReadOnlyList<RelaySeller> Sellers, double BudgetShare,
    double Information, int AfterYears, double MinMark, PriceRule Rule, double Discount, double? Tolerance, double FundTolerance)
{
    /// <summary>The breach margin, as for funds.</summary>
    public const double BreachEpsilon = 1e-9;

    /// <summary>The price of a project of cost <paramref name="check"/> and mark <paramref name="mark"/>.</summary>
    public double Price(double check, double mark) => Rule == PriceRule.Cost ? check : check * mark * (1 - Discount);
}

/// <summary>A relay vehicle of its own: <paramref name="Capital"/> spread evenly over its investment years.</summary>
/// <param name="Capital">Capital (CNY).</param>
/// <param name="StartYear">Simulated year of its first investment year.</param>
/// <param name="InvestmentYears">Investment years.</param>
public sealed record RelayVehicle(double Capital, int StartYear, int InvestmentYears)
{
    /// <summary>Its new investment in simulated year <paramref name="year"/>.</summary>
    public double NewInvestment(int year) => year >= StartYear && year < StartYear + InvestmentYears ? Capital / InvestmentYears : 0;
}

/// <summary>A seller fund, the mark curve of its outcome model and its tolerance.</summary>
/// <param name="Fund">The seller's name.</param>
/// <param name="Marks">E[multiple | interim signal] of its outcome model.</param>
/// <param name="Tolerance">Its tolerance, as the funds resolve it (its own, else the policy's for its type). Taken from
/// the scenario rather than from the header of the seller's <c>projects</c> output, so that a variant that moves only
/// tolerances rewrites the relay's breaches with the variant's values while the funds' outputs are the base's.</param>
public sealed record RelaySeller(string Fund, MarkCurve Marks, double Tolerance);

/// <summary>How a relay deal is priced.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PriceRule>))]
public enum PriceRule
{
    /// <summary>At the project's cost (its check).</summary>
    [JsonStringEnumMemberName("cost")] Cost,
    /// <summary>At check × mark × (1 − discount).</summary>
    [JsonStringEnumMemberName("mark")] Mark,
}
