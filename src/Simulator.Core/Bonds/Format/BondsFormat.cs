using System.Globalization;
using System.Text.Json;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Bonds.Format;

/// <summary>The <c>bonds</c> list of the scenario format: defaults, validation and the build of <see cref="BondsInstrument"/>.</summary>
public sealed class BondsFormat : InstrumentFormat<BondSpec>
{
    /// <summary>The recovery rule's keyword for recovery from later inflows.</summary>
    public const string LaterInflows = "later-inflows";

    /// <summary>Default risk-free rate for the break-even coupon.</summary>
    public const double RiskFreeRate = 0.015;

    /// <inheritdoc/>
    public override string Kind => BondsInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "bonds";

    /// <inheritdoc/>
    public override string Noun => "bond";

    /// <inheritdoc/>
    /// <remarks>Reads nothing outside its own list (the funds' proceeds come through outputs).</remarks>
    public override IReadOnlyList<string>? SharedFields => [];

    /// <inheritdoc/>
    public override bool ListedWhenAbsent => false;

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override int DefaultHorizonYears(BondSpec b) => (b.IssueYear ?? 1) + (b.TermYears ?? 1) - 1;

    /// <inheritdoc/>
    public override BondSpec Fill(BondSpec b) => b with
    {
        OtherIncome = b.OtherIncome ?? 0,
        Reserve = b.Reserve ?? 0,
        IssueYear = b.IssueYear ?? 1,
        Amortisation = b.Amortisation ?? BondAmortisation.Bullet,
        Enhancement = new EnhancementSpec { Tool = b.Enhancement?.Tool ?? 0, LocalGuarantor = b.Enhancement?.LocalGuarantor ?? 0 },
        Recovery = b.Recovery ?? JsonDocument.Parse($"\"{LaterInflows}\"").RootElement.Clone(),
        RiskFreeRate = b.RiskFreeRate ?? RiskFreeRate,
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<BondSpec> bonds, string listPath, FormatContext context)
    {
        var funds = context.ItemNames("funds");
        var shareOf = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < bonds.Count; i++)
        {
            var b = bonds[i];
            string path = $"{listPath}[{i}]";
            if (b.Enhancement is { } e && (e.Tool ?? 0) + (e.LocalGuarantor ?? 0) > 1 + 1e-12)
                context.Add(path + ".enhancement", $"the shares sum to {F((e.Tool ?? 0) + (e.LocalGuarantor ?? 0))}; tool + localGuarantor must be at most 1 (the bondholders bear the rest)");
            if (b.Recovery is { } r && !RecoveryValid(r))
                context.Add(path + ".recovery", $"value {r.GetRawText()} is not allowed; give \"{LaterInflows}\" or a fixed recovery rate from 0 to 1");
            if (b.Sources is not { } sources) continue;
            if (sources.Count == 0) context.Add(path + ".sources", "no source funds; give at least one { \"fund\": name, \"share\": s }");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int j = 0; j < sources.Count; j++)
            {
                if (sources[j].Fund is not { } fund) continue;
                string sp = $"{path}.sources[{j}].fund";
                if (!funds.Contains(fund))
                    context.Add(sp, $"unknown fund '{fund}'{SpecBinder.Suggest(fund, funds)}; the scenario's funds: {(funds.Count == 0 ? "(none; declare them under \"funds\")" : string.Join(", ", funds.Order(StringComparer.Ordinal)))}");
                else if (!seen.Add(fund))
                    context.Add(sp, $"fund '{fund}' is listed twice; give each source fund once with the issuer's whole share");
                else if (sources[j].Share is { } share)
                    shareOf[fund] = shareOf.GetValueOrDefault(fund) + share;
            }
        }
        foreach (var (fund, total) in shareOf)
            if (total > 1 + 1e-12)
                context.Add(listPath, $"the bonds' shares of fund '{fund}' sum to {F(total)}; a fund's proceeds can be shared out at most once (at most 1)");
    }

    private static bool RecoveryValid(JsonElement r) =>
        r.ValueKind == JsonValueKind.String ? r.GetString() == LaterInflows
        : r.ValueKind == JsonValueKind.Number && r.TryGetDouble(out double x) && x >= 0 && x <= 1;

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<BondSpec> filled, BuildContext context)
    {
        var bonds = filled.Select(b => new Bond(b.Name!, b.Title, [.. b.Sources!.Select(s => new BondSource(s.Fund!, s.Share!.Value))],
            b.OtherIncome!.Value, b.Reserve!.Value, b.Amount!.Value, b.Coupon!.Value, b.TermYears!.Value, b.IssueYear!.Value, b.Amortisation!.Value,
            b.Enhancement!.Tool!.Value, b.Enhancement.LocalGuarantor!.Value,
            b.Recovery!.Value.ValueKind == JsonValueKind.Number ? b.Recovery.Value.GetDouble() : double.NaN, b.RiskFreeRate!.Value)).ToList();
        return new BondsInstrument(bonds);
    }
}
