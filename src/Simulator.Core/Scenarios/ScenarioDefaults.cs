using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Fills in the defaults that do not depend on other fields, so that scenario.json shows what was run and
/// later variants can address every field. Defaults derived from other fields (a fund's investment period,
/// its outcome model, an unset fund tolerance that follows the policy) stay unset so that changing the field
/// they follow still takes effect.
/// </summary>
public static class ScenarioDefaults
{
    /// <summary>Default number of trials.</summary>
    public const int Trials = 100_000;
    /// <summary>Default seed.</summary>
    public const long Seed = 1;
    /// <summary>Default fund life.</summary>
    public const int LifeYears = 10;
    /// <summary>Default investment period (capped at the life).</summary>
    public const int InvestmentYears = 4;
    /// <summary>Default government share.</summary>
    public const double GovernmentShare = 0.5;
    /// <summary>Default exposure window.</summary>
    public const int ExposureYears = 3;

    /// <summary>Default tolerances: the Wuhan rules.</summary>
    public static ToleranceSpec Tolerance => new() { Seed = 0.8, Angel = 0.6, Venture = 0.6, DirectProject = 1.0 };

    /// <summary>Returns a copy of <paramref name="s"/> with its defaults filled in.</summary>
    public static ScenarioSpec Fill(ScenarioSpec s)
    {
        var funds = s.Funds ?? [];
        var tolerance = s.Policy?.Tolerance;
        var defaults = Tolerance;
        var outcomes = new Dictionary<string, OutcomeModelSpec>(StringComparer.Ordinal);
        // Presets used by a fund are written out so that scenario.json shows every number that was run;
        // a custom model with a preset's name replaces the preset, so the filled file runs the same way.
        foreach (var name in funds.Select(OutcomeName).Distinct())
        {
            if (s.Outcomes?.ContainsKey(name) != true && OutcomePresets.All.TryGetValue(name, out var preset)) outcomes[name] = preset;
        }
        foreach (var (name, model) in s.Outcomes ?? []) outcomes[name] = Fill(model);

        // A copy with `with`: fields without defaults (name, title, description, the study) are carried over as written.
        return s with
        {
            Simulation = (s.Simulation ?? new SimulationSpec()) with
            {
                Trials = s.Simulation?.Trials ?? Trials,
                Seed = s.Simulation?.Seed ?? Seed,
                Precision = s.Simulation?.Precision is { } precision
                    ? precision with { CheckEvery = precision.CheckEvery ?? Statistics.PrecisionTarget.DefaultCheckEvery }
                    : null,
                HorizonYears = s.Simulation?.HorizonYears ?? Math.Max(1, funds.Select(f => f.LifeYears ?? LifeYears)
                    .Concat((s.Guarantees ?? []).Select(g => g.Loans is { } l ? (l.Years ?? 1) + (l.TermYears ?? 1) - 1 : 1)).DefaultIfEmpty(1).Max()),
            },
            Factors = (s.Factors ?? []).Select(f => f with { Persistence = f.Persistence ?? 0 }).ToList(),
            Stresses = (s.Stresses ?? []).Select(StressLibrary.Fill).ToList(),
            Policy = new PolicySpec
            {
                Tolerance = new ToleranceSpec
                {
                    Seed = tolerance?.Seed ?? defaults.Seed,
                    Angel = tolerance?.Angel ?? defaults.Angel,
                    Venture = tolerance?.Venture ?? defaults.Venture,
                    DirectProject = tolerance?.DirectProject ?? defaults.DirectProject,
                },
            },
            Outcomes = outcomes,
            // Records copied with `with`: a field added to the format is carried over without being listed here.
            Funds = funds.Select(f => f with
            {
                GovernmentShare = f.GovernmentShare ?? GovernmentShare,
                LifeYears = f.LifeYears ?? LifeYears,
                Exposure = f.Exposure ?? [],
                Fees = new FeesSpec { Management = f.Fees?.Management ?? 0, Carry = f.Fees?.Carry ?? 0, Hurdle = f.Fees?.Hurdle ?? 0 },
                Concession = f.Concession ?? 0,
            }).ToList(),
            Guarantees = (s.Guarantees ?? []).Select(Fill).ToList(),
            Report = new ReportSpec { Exceedance = s.Report?.Exceedance ?? [], LossRatios = s.Report?.LossRatios ?? [] },
        };
    }

    /// <summary>A copy with another simulation block.</summary>
    public static ScenarioSpec With(ScenarioSpec s, SimulationSpec simulation) => s with { Simulation = simulation };

    /// <summary>The outcome model a fund uses: its own, else its type's preset (angel for direct).</summary>
    public static string OutcomeName(FundSpec f) => f.Outcomes ?? f.Type switch
    {
        FundType.Seed => "seed",
        FundType.Venture => "venture",
        _ => "angel",
    };

    /// <summary>Default leverage cap: financing-guarantee companies may guarantee at most 10× net assets.</summary>
    public const double LeverageCap = 10;

    private static GuaranteeSpec Fill(GuaranteeSpec g) => g with
    {
        Loans = g.Loans is not { } l ? null : l with { TermYears = l.TermYears ?? 1, Lgd = l.Lgd ?? DistributionSpec.Fixed(1), Exposure = l.Exposure ?? [] },
        Shares = new SharesSpec { Guarantor = g.Shares?.Guarantor ?? 0, ReGuarantee = g.Shares?.ReGuarantee ?? 0, Bank = g.Shares?.Bank ?? 0, Government = g.Shares?.Government ?? 0 },
        Guarantor = g.Guarantor is not { } q ? null : q with
        {
            LeverageCap = q.LeverageCap ?? LeverageCap, FeeRate = q.FeeRate ?? 0, CostRate = q.CostRate ?? 0, Yield = q.Yield ?? 0,
        },
        Government = (g.Government ?? new GovernmentPoolSpec()) with { ShortfallTo = g.Government?.ShortfallTo ?? ShortfallTo.Guarantor },
    };

    private static OutcomeModelSpec Fill(OutcomeModelSpec m) => m with
    {
        WriteOff = m.WriteOff ?? 0,
        ExposureYears = m.ExposureYears ?? ExposureYears,
    };
}
