using Simulator.Core.Distributions;
using Simulator.Core.Format;
using Simulator.Core.Instruments;

namespace Simulator.Core.Funds.Format;

/// <summary>The <c>funds</c> list of the scenario format: defaults, validation and the build of <see cref="FundsInstrument"/>.</summary>
public sealed class FundsFormat : InstrumentFormat<FundSpec>
{
    /// <summary>Default fund life.</summary>
    public const int LifeYears = 10;
    /// <summary>Default investment period (capped at the life).</summary>
    public const int InvestmentYears = 4;
    /// <summary>Default government share.</summary>
    public const double GovernmentShare = 0.5;

    /// <inheritdoc/>
    public override string Kind => FundsInstrument.KindName;

    /// <inheritdoc/>
    public override string Field => "funds";

    /// <inheritdoc/>
    public override string Noun => "fund";

    /// <inheritdoc/>
    /// <remarks>Reads the tolerances of the policy and the outcome models.</remarks>
    public override IReadOnlyList<string>? SharedFields => ["policy", "outcomes"];

    /// <inheritdoc/>
    public override IReadOnlyList<string> ThresholdFields => ["policy.rules", "policy.tolerance", "funds[*].tolerance"];

    /// <summary>The outcome model a fund uses: its own, else its type's preset (angel for direct).</summary>
    public static string OutcomeName(FundSpec f) => f.Outcomes ?? f.Type switch
    {
        FundType.Seed => "seed",
        FundType.Venture => "venture",
        FundType.Industry => "industry",
        FundType.Buyout => "buyout",
        _ => "angel",
    };

    /// <summary>
    /// A fund's tolerance under the filled policy <paramref name="t"/>: its own, else (a fund marked futureIndustry, when the
    /// policy gives that category one) the category's, else its type's (industry, buyout: see <see cref="PolicyRules"/>).
    /// </summary>
    public static double ToleranceOf(FundSpec f, ToleranceSpec t) => f.Tolerance
        ?? PolicyRules.TypeTolerance(t, SpecBinder.EnumNames(typeof(FundType)).First(n => n.Value.Equals(f.Type)).Key, f.FutureIndustry == true);

    /// <inheritdoc/>
    public override IEnumerable<string> OutcomeModels(FundSpec item) => [OutcomeName(item)];

    /// <inheritdoc/>
    public override int DefaultHorizonYears(FundSpec item) => (item.StartYear ?? 1) - 1 + (item.LifeYears ?? LifeYears);

    // Defaults derived from other fields (the investment period, the outcome model, a tolerance that follows the policy)
    // stay unset, so that a variant changing the field they follow still takes effect.
    /// <inheritdoc/>
    public override FundSpec Fill(FundSpec f) => f with
    {
        GovernmentShare = f.GovernmentShare ?? GovernmentShare,
        LifeYears = f.LifeYears ?? LifeYears,
        Exposure = f.Exposure ?? [],
        Fees = new FeesSpec { Management = f.Fees?.Management ?? 0, Carry = f.Fees?.Carry ?? 0, Hurdle = f.Fees?.Hurdle ?? 0 },
        Concession = f.Concession ?? 0,
        Exemption = f.Exemption is { } e ? e with { DiligenceFailure = e.DiligenceFailure ?? 0 } : null,
    };

    /// <inheritdoc/>
    public override void Validate(IReadOnlyList<FundSpec> funds, string listPath, FormatContext context)
    {
        long projects = funds.Sum(f => (long)(f.Deals ?? 0));
        if (projects > ScenarioLimits.ProjectsPerTrial)
            context.Add(listPath, $"the funds hold {ScenarioLimits.Count(projects)} projects in all (the sum of their deals); a trial may hold at most {ScenarioLimits.Count(ScenarioLimits.ProjectsPerTrial)} projects");
        for (int i = 0; i < funds.Count; i++) Fund(funds[i], $"{listPath}[{i}]", context);
    }

    private static string F(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static void Fund(FundSpec f, string path, FormatContext context)
    {
        if (f.Outcomes is { } o && !context.OutcomeModelNames.Contains(o))
            context.Add(path + ".outcomes", $"unknown outcome model '{o}'{SpecBinder.Suggest(o, context.OutcomeModelNames)}; allowed: the presets seed, angel, venture, industry, buyout or a model defined under \"outcomes\"");

        if (f.Exposure is { } exposure) context.Exposure(exposure, path + ".exposure");
        if (f.Exemption?.FactorThreshold is { } threshold && (f.Exposure is null || f.Exposure.Values.All(b => b == 0)))
            context.Add(path + ".exemption.factorThreshold", $"value {F(threshold)} needs a systematic draw, but the fund has no factor exposure; give the fund an exposure or leave factorThreshold out");

        int life = f.LifeYears ?? LifeYears;
        if (f.InvestmentYears is { } inv && inv > life)
            context.Add(path + ".investmentYears", $"value {inv} exceeds lifeYears {life}; the investment period must fit in the fund life");

        if (f.Check is { } check)
        {
            Distribution d = check.Build();
            if (d.SupportMin < 0 || d.Mean <= 0)
                context.Add(path + ".check", $"a check must be ≥ 0 with a positive mean; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}] with mean {F(d.Mean)}");
            else if (DrawLimits.Draws(d).High > DrawLimits.MaxDraw)
                context.Add(path + ".check", $"{DrawLimits.TooLarge(d)}; a check must stay ≤ 1e15 (CNY): narrow the distribution");
        }
    }

    /// <inheritdoc/>
    public override IInstrument Build(IReadOnlyList<FundSpec> filled, BuildContext context)
    {
        var tolerance = context.Tolerance;
        var funds = new List<Fund>();
        foreach (var f in filled)
        {
            int life = f.LifeYears!.Value;
            double fundTolerance = ToleranceOf(f, tolerance);
            var fund = new Fund(
                f.Name!, f.Type!.Value, f.Commitment!.Value, f.GovernmentShare!.Value, f.Deals!.Value, f.Check!.Build(),
                f.InvestmentYears ?? Math.Min(InvestmentYears, life), life, context.Outcome(OutcomeName(f)), context.Loadings(f.Exposure!),
                fundTolerance, new Fees(f.Fees!.Management!.Value, f.Fees.Carry!.Value, f.Fees.Hurdle!.Value), f.Concession!.Value)
            {
                StartYear = f.StartYear ?? 1,
                ConcessionToManager = f.ConcessionToManager,
                // A fund without an exemption of its own has the policy's (docs/scenario-format.md, "policy").
                Exemption = (f.Exemption ?? context.Exemption) is { } e ? new Exemption(e.Probability!.Value, e.FactorThreshold, e.DiligenceFailure!.Value) : null,
            };
            foreach (var stress in context.ModelStresses)
                if (stress.Funds is not { } only || only.Contains(fund.Name)) fund = Apply(stress, fund);
            funds.Add(fund);
        }
        return new FundsInstrument(funds, context.Factors);
    }

    private static Fund Apply(StressSpec stress, Fund f)
    {
        var m = f.Outcomes;
        switch (stress.Use)
        {
            case StressSpec.ExitsDelayed:
            {
                double years = stress.Years!.Value;
                Distribution? Later(Distribution? d) => d is null ? null : new ShiftedDistribution(d, years);
                return f with { Outcomes = m with { ExitWriteOff = Later(m.ExitWriteOff), ExitPartial = Later(m.ExitPartial), ExitSuccess = Later(m.ExitSuccess) } };
            }
            case StressSpec.WriteOffsUp:
            {
                double q = Math.Min(1, m.WriteOff + stress.Points!.Value);
                // The added write-offs come from the partial and success bands in proportion to their sizes.
                double partial = m.WriteOff < 1 ? m.PartialProbability * (1 - q) / (1 - m.WriteOff) : 0;
                return f with { Outcomes = m with { WriteOff = q, PartialProbability = partial } };
            }
            default:
                return f;
        }
    }
}
