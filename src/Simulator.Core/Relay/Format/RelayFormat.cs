using System.Text.Json;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Relay.Format;

/// <summary>The <c>relay</c> list of the scenario format: defaults, validation and the build of <see cref="RelayInstrument"/>.</summary>
public sealed class RelayFormat : InstrumentFormat<RelaySpec>
{
    /// <summary>Default budget share: up to 10% of the relay fund's new investment (武政办〔2025〕67号).</summary>
    public const double BudgetShare = 0.1;

    /// <summary>Default share of the latent variance revealed by the offer date.</summary>
    public const double Information = 0.5;

    /// <summary>Default years from investment to offer.</summary>
    public const int AfterYears = 3;

    /// <summary>Default smallest mark offered.</summary>
    public const double MinMark = 1;

    /// <summary>Default discount on the mark.</summary>
    public const double Discount = 0.2;

    /// <summary>Defaults of a vehicle of its own.</summary>
    public const int VehicleStartYear = 1, VehicleInvestmentYears = 5;

    private static readonly string[] SellerTypes = ["seed", "angel"];
    private static readonly string[] NotRelayTypes = ["seed", "angel", "direct"];

    /// <inheritdoc/>
    public override string Kind => RelayInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "relay";

    /// <inheritdoc/>
    public override string Noun => "relay";

    /// <inheritdoc/>
    public override bool ListedWhenAbsent => false;

    /// <inheritdoc/>
    /// <remarks>The outcome models (its marks); the policy's tolerances reach it through its sellers' outputs.</remarks>
    public override IReadOnlyList<string>? SharedFields => ["policy", "outcomes"];

    /// <inheritdoc/>
    /// <remarks>Its sellers' types and outcome models.</remarks>
    public override IReadOnlyList<string> ItemFields => ["funds"];

    /// <inheritdoc/>
    /// <remarks>The tolerances judge the sellers', the tranche's and the relay fund's loss ratios, which the row keeps
    /// (with each seller's price paid and the relay fund's invested capital): a tolerance move rewrites the breaches
    /// (<see cref="RelayInstrument.Rethreshold"/>) and runs no new trials.</remarks>
    public override IReadOnlyList<string> ThresholdFields => ["policy.rules", "policy.tolerance", "funds[*].tolerance", "relay[*].tolerance"];

    /// <inheritdoc/>
    public override RelaySpec Fill(RelaySpec r) => r with
    {
        BudgetShare = r.BudgetShare ?? BudgetShare,
        Information = r.Information ?? Information,
        Offer = new RelayOfferSpec { AfterYears = r.Offer?.AfterYears ?? AfterYears, MinMark = r.Offer?.MinMark ?? MinMark },
        Price = new RelayPriceSpec { Rule = r.Price?.Rule ?? PriceRule.Cost, Discount = r.Price?.Discount ?? Discount },
        Vehicle = r.Vehicle is { } v
            ? v with { StartYear = v.StartYear ?? VehicleStartYear, InvestmentYears = v.InvestmentYears ?? VehicleInvestmentYears } : null,
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<RelaySpec> items, string listPath, FormatContext context)
    {
        var funds = context.ItemNames("funds");
        string Names() => funds.Count == 0 ? "none declared" : string.Join(", ", funds.Order(StringComparer.Ordinal));
        string? TypeOf(string fund) =>
            context.Item("funds", fund) is { } e && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        for (int i = 0; i < items.Count; i++)
        {
            var r = items[i];
            string path = $"{listPath}[{i}]";
            if (r.Fund is null && r.Vehicle is null)
                context.Add(path, "a relay needs a relay fund (\"fund\": a venture or industry fund of the scenario) or a vehicle of its own (\"vehicle\": { \"capital\": … }); it has neither");
            else if (r.Fund is not null && r.Vehicle is not null)
                context.Add(path, "a relay has either a relay fund (\"fund\") or a vehicle of its own (\"vehicle\"), not both");
            if (r.Fund is { } fund)
            {
                if (!funds.Contains(fund))
                    context.Add(path + ".fund", $"unknown fund '{fund}'{SpecBinder.Suggest(fund, funds)}; allowed: the names of the scenario's funds ({Names()})");
                else if (TypeOf(fund) is { } type && NotRelayTypes.Contains(type))
                    context.Add(path + ".fund", $"'{fund}' is a {type} fund; a relay fund is a venture or industry fund (any type but seed, angel or direct)");
            }
            var sellers = r.Sellers ?? [];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int eligible = 0;
            for (int s = 0; s < sellers.Count; s++)
            {
                string at = $"{path}.sellers[{s}]";
                string seller = sellers[s];
                if (!funds.Contains(seller))
                    context.Add(at, $"unknown fund '{seller}'{SpecBinder.Suggest(seller, funds)}; allowed: the names of the scenario's seed and angel funds ({Names()})");
                else if (!seen.Add(seller))
                    context.Add(at, $"fund '{seller}' appears twice in these sellers; name each seller once");
                else if (TypeOf(seller) is { } type && !SellerTypes.Contains(type))
                    context.Add(at, $"'{seller}' is a {type} fund; a relay buys the projects of seed and angel funds only");
                else eligible++;
            }
            if (sellers.Count > 0 && eligible == 0 && !sellers.Any(s => !funds.Contains(s)))
                context.Add(path + ".sellers", "the relay has no eligible funds: none of its sellers is a seed or angel fund of the scenario");
        }
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<RelaySpec> filled, BuildContext context)
    {
        var curves = new Dictionary<(string, double), MarkCurve>();
        MarkCurve Curve(string seller, double rho)
        {
            var fund = context.Item("funds", seller)!.Value;
            string model = fund.TryGetProperty("outcomes", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : fund.GetProperty("type").GetString()!;
            if (!curves.TryGetValue((model, rho), out var curve)) curves[(model, rho)] = curve = MarkCurve.Of(context.Outcome(model), rho);
            return curve;
        }
        var policy = context.Tolerance;
        // A fund's tolerance as the funds resolve it: its own, else the policy's for its type (PolicyRules.TypeTolerance).
        double ToleranceOf(string name)
        {
            var fund = context.Item("funds", name)!.Value;
            if (fund.TryGetProperty("tolerance", out var own) && own.ValueKind == JsonValueKind.Number) return own.GetDouble();
            bool futureIndustry = fund.TryGetProperty("futureIndustry", out var fi) && fi.ValueKind == JsonValueKind.True;
            return PolicyRules.TypeTolerance(policy, fund.GetProperty("type").GetString()!, futureIndustry);
        }
        return new RelayInstrument([.. filled.Select(r => new RelayItem(
            r.Name!, r.Fund, r.Vehicle is { } v ? new RelayVehicle(v.Capital!.Value, v.StartYear!.Value, v.InvestmentYears!.Value) : null,
            [.. r.Sellers!.Select(s => new RelaySeller(s, Curve(s, r.Information!.Value), ToleranceOf(s)))], r.BudgetShare!.Value, r.Information!.Value,
            r.Offer!.AfterYears!.Value, r.Offer.MinMark!.Value, r.Price!.Rule!.Value, r.Price.Discount!.Value, r.Tolerance,
            r.Fund is { } relayFund ? ToleranceOf(relayFund) : 0))]);
    }
}
