using System.Globalization;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.FundOfFunds.Format;

/// <summary>The <c>fundOfFunds</c> list of the scenario format: defaults, validation and the build of <see cref="FundsOfFundsInstrument"/>.</summary>
public sealed class FundsOfFundsFormat : InstrumentFormat<FundOfFundsSpec>
{
    /// <summary>Default government share of a fund-of-funds: a government fund-of-funds.</summary>
    public const double GovernmentShare = 1;

    /// <inheritdoc/>
    public override string Kind => FundsOfFundsInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "fundOfFunds";

    /// <inheritdoc/>
    public override string Noun => "fund-of-funds";

    /// <inheritdoc/>
    /// <remarks>Reads the policy's angel tolerance (a fund-of-funds' default).</remarks>
    public override IReadOnlyList<string>? SharedFields => ["policy"];

    /// <inheritdoc/>
    public override bool ListedWhenAbsent => false;

    /// <inheritdoc/>
    /// <remarks>A fund-of-funds without a tolerance of its own follows policy.tolerance (fundOfFunds, else angel), so the
    /// policy's tolerances and rule set are thresholds of this kind too: a variant moving them rewrites its breach column.</remarks>
    public override IReadOnlyList<string> ThresholdFields => ["policy.rules", "policy.tolerance", "fundOfFunds[*].tolerance"];

    /// <inheritdoc/>
    public override FundOfFundsSpec Fill(FundOfFundsSpec f) => f with
    {
        GovernmentShare = f.GovernmentShare ?? GovernmentShare,
        Fees = new FundOfFundsFeesSpec { Management = f.Fees?.Management ?? 0, Carry = f.Fees?.Carry ?? 0, Hurdle = f.Fees?.Hurdle ?? 0 },
        Concession = f.Concession ?? 0,
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<FundOfFundsSpec> items, string listPath, FormatContext context)
    {
        var funds = context.ItemNames("funds");
        var own = items.Select(i => i.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var total = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var commitments = items[i].Commitments ?? [];
            for (int c = 0; c < commitments.Count; c++)
            {
                string path = $"{listPath}[{i}].commitments[{c}].fund";
                if (commitments[c].Fund is not { } fund) continue;
                if (fund == items[i].Name)
                    context.Add(path, $"'{fund}' is this fund-of-funds itself; a fund-of-funds commits to funds of the scenario (funds[].name), not to itself");
                else if (own.Contains(fund))
                    context.Add(path, $"'{fund}' is a fund-of-funds; a fund-of-funds commits to funds of the scenario (funds[].name), not to another fund-of-funds");
                else if (!funds.Contains(fund))
                    context.Add(path, $"unknown fund '{fund}'{SpecBinder.Suggest(fund, funds)}; allowed: the names of the scenario's funds ({Names(funds)})");
                else if (!seen.Add(fund))
                    context.Add(path, $"fund '{fund}' appears twice in these commitments; give one commitment per fund with the whole share");
                else if (commitments[c].Share is { } share)
                    total[fund] = total.GetValueOrDefault(fund) + share;
            }
        }
        foreach (var (fund, sum) in total.Where(x => x.Value > 1 + 1e-12))
            context.Add(listPath, $"the shares of fund '{fund}' held by the funds-of-funds sum to {sum.ToString("0.######", CultureInfo.InvariantCulture)}; they must sum to at most 1 (the whole of the fund's LP interests)");
    }

    private static string Names(IReadOnlySet<string> names) => names.Count == 0 ? "none declared" : string.Join(", ", names.Order(StringComparer.Ordinal));

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<FundOfFundsSpec> filled, BuildContext context) =>
        new FundsOfFundsInstrument([.. filled.Select(f => new FundOfFundsItem(
            f.Name!, [.. f.Commitments!.Select(c => new SubFundStake(c.Fund!, c.Share!.Value))], f.GovernmentShare!.Value,
            f.Fees!.Management!.Value, f.Fees.Carry!.Value, f.Fees.Hurdle!.Value, f.Concession!.Value,
            f.Tolerance ?? PolicyRules.FundOfFunds(context.Tolerance)) { ConcessionToManager = f.ConcessionToManager })]);
}
