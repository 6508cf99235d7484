using System.Text.Json;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Floor.Format;

/// <summary>The <c>floor</c> list of the scenario format: defaults, validation and the build of <see cref="FloorInstrument"/>.</summary>
public sealed class FloorFormat : InstrumentFormat<FloorSpec>
{
    /// <summary>Default share: 20% (武政办〔2025〕67号).</summary>
    public const double Share = 0.2;

    /// <inheritdoc/>
    public override string Kind => FloorInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "floor";

    /// <inheritdoc/>
    public override string Noun => "floor";

    /// <inheritdoc/>
    public override bool ListedWhenAbsent => false;

    /// <inheritdoc/>
    public override IReadOnlyList<string>? SharedFields => [];

    /// <inheritdoc/>
    /// <remarks>The counted funds' start years and lives (the years it judges).</remarks>
    public override IReadOnlyList<string> ItemFields => ["funds"];

    /// <inheritdoc/>
    /// <remarks>The funds' tolerances: they judge the funds (and a relay), never the floor, which counts checks by type
    /// and year. Declared so that a tolerance move keeps the floor's columns (<see cref="FloorInstrument.Rethreshold"/>
    /// changes nothing) instead of evaluating it and, for its inputs, the funds.</remarks>
    public override IReadOnlyList<string> ThresholdFields => ["funds[*].tolerance"];

    /// <inheritdoc/>
    public override FloorSpec Fill(FloorSpec f) => f with { Share = f.Share ?? Share };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<FloorSpec> items, string listPath, FormatContext context)
    {
        var funds = context.ItemNames("funds");
        for (int i = 0; i < items.Count; i++)
        {
            string path = $"{listPath}[{i}]";
            if (funds.Count == 0) context.Add(path, "a floor counts the new investment of the scenario's funds, and the scenario has none; add funds or remove the floor");
            var listed = items[i].Funds;
            if (listed is null) continue;
            if (listed.Count == 0) context.Add(path + ".funds", "the list is empty; name the funds to count, or leave the field out to count every fund");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int k = 0; k < listed.Count; k++)
            {
                if (!funds.Contains(listed[k]))
                    context.Add($"{path}.funds[{k}]", $"unknown fund '{listed[k]}'{SpecBinder.Suggest(listed[k], funds)}; allowed: the names of the scenario's funds ({(funds.Count == 0 ? "none declared" : string.Join(", ", funds.Order(StringComparer.Ordinal)))})");
                else if (!seen.Add(listed[k]))
                    context.Add($"{path}.funds[{k}]", $"fund '{listed[k]}' appears twice; name each fund once");
            }
        }
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<FloorSpec> filled, BuildContext context)
    {
        int LastYear(string fund)
        {
            var f = context.Item("funds", fund)!.Value;
            int start = f.TryGetProperty("startYear", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 1;
            return start - 1 + f.GetProperty("lifeYears").GetInt32();
        }
        return new FloorInstrument([.. filled.Select(f =>
        {
            var funds = f.Funds ?? context.ItemNames("funds");
            return new FloorItem(f.Name!, f.Share!.Value, funds, funds.Max(LastYear));
        })]);
    }
}
