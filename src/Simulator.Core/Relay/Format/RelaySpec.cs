using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Simulator.Core.Format;
using Simulator.Core.Relay;

namespace Simulator.Core.Relay.Format;

/// <summary>
/// A relay buyer (接力投资): a government-backed venture or industry fund (or a vehicle of its own) that spends up to a
/// share of its new investment each year buying seed and angel funds' projects at an interim mark.
/// </summary>
public sealed record RelaySpec : INamedSpec
{
    /// <summary>Name.</summary>
    [Required, RegularExpression(SpecPatterns.Name), MaxLength(ScenarioLimits.NameLength), Description("Relay name, unique among all items; names its columns and results.")]
    public string? Name { get; init; }

    /// <summary>Display title.</summary>
    [MaxLength(ScenarioLimits.TitleLength), Description("Display title (any language).")]
    public string? Title { get; init; }

    /// <summary>Relay fund.</summary>
    [Description("The relay fund: a fund of the scenario of a type other than seed, angel or direct (a venture or industry fund); its yearly new investment sets the budget. Give this or vehicle.")]
    public string? Fund { get; init; }

    /// <summary>Own vehicle.</summary>
    [Description("A relay vehicle of its own, instead of a fund of the scenario: its capital spread evenly over its investment years sets the yearly new investment. Give this or fund.")]
    public RelayVehicleSpec? Vehicle { get; init; }

    /// <summary>Sellers.</summary>
    [Required, MinLength(1), MaxLength(ScenarioLimits.ListItems), Description("The funds whose projects it may buy: seed or angel funds of the scenario (funds[].name).")]
    public List<string>? Sellers { get; init; }

    /// <summary>Budget share.</summary>
    [Range(0.0, 1.0), Description("Share of the relay fund's new investment of a year it may spend on relay deals in that year (default 0.1).")]
    public double? BudgetShare { get; init; }

    /// <summary>Interim information.</summary>
    [Range(0.0, 1.0), Description("ρ: the share of the variance of a project's latent draw revealed by the offer date; the mark is E[multiple | interim signal] (default 0.5).")]
    public double? Information { get; init; }

    /// <summary>Offer rule.</summary>
    [Description("Which projects are offered: those still held a number of years after their investment, with a mark at least a threshold.")]
    public RelayOfferSpec? Offer { get; init; }

    /// <summary>Price rule.</summary>
    [Description("The price of a relay deal: the project's cost, or its mark × (1 − discount) × cost.")]
    public RelayPriceSpec? Price { get; init; }

    /// <summary>Tolerance.</summary>
    [Range(0.0, 1.0), Description("Tolerance of the relay tranche on its cost (default: the sellers' tolerances, weighted by the prices paid to each: the seed/angel tolerance).")]
    public double? Tolerance { get; init; }
}

/// <summary>A relay vehicle with capital of its own.</summary>
public sealed record RelayVehicleSpec
{
    /// <summary>Capital.</summary>
    [Required, Range(0.0, 1e15), Description("Capital it invests (CNY), spread evenly over its investment years.")]
    public double? Capital { get; init; }

    /// <summary>Start year.</summary>
    [Range(1, 50), Description("Simulated year of its first investment year (default 1).")]
    public int? StartYear { get; init; }

    /// <summary>Investment years.</summary>
    [Range(1, 30), Description("Number of investment years (default 5).")]
    public int? InvestmentYears { get; init; }
}

/// <summary>Which projects are offered to the relay buyer.</summary>
public sealed record RelayOfferSpec
{
    /// <summary>Holding years.</summary>
    [Range(1, 15), Description("A project is offered this many years after its investment year, if still held then (default 3).")]
    public int? AfterYears { get; init; }

    /// <summary>Mark threshold.</summary>
    [Range(0.0, 1000.0), Description("Offered only if its interim mark (expected multiple) is at least this (default 1).")]
    public double? MinMark { get; init; }
}

/// <summary>The price of a relay deal.</summary>
public sealed record RelayPriceSpec
{
    /// <summary>Rule.</summary>
    [Description("cost: the project's check; mark: check × mark × (1 − discount) (default cost).")]
    public PriceRule? Rule { get; init; }

    /// <summary>Discount.</summary>
    [Range(0.0, 1.0), Description("Discount on the mark under the mark rule (default 0.2; ignored under cost).")]
    public double? Discount { get; init; }
}
