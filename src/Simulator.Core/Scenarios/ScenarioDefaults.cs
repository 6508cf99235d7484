using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Fills in the defaults that do not depend on other fields, so that scenario.json shows what was run and
/// later variants can address every field. Defaults derived from other fields (a fund's investment period,
/// its outcome model, an unset fund tolerance that follows the policy) stay unset so that changing the field
/// they follow still takes effect. Each instrument kind fills its own items (<see cref="IInstrumentFormat.Fill"/>).
/// </summary>
public static class ScenarioDefaults
{
    /// <summary>Default number of trials.</summary>
    public const int Trials = 100_000;
    /// <summary>Default seed.</summary>
    public const long Seed = 1;
    /// <summary>Default exposure window.</summary>
    public const int ExposureYears = 3;

    /// <summary>Default tolerances: the Wuhan rules (<see cref="PolicyRules.Wuhan2025"/>).</summary>
    public static ToleranceSpec Tolerance => PolicyRules.Wuhan2025.Tolerance;

    /// <summary>Returns a copy of <paramref name="s"/> with its defaults filled in.</summary>
    public static ScenarioSpec Fill(ScenarioSpec s)
    {
        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        var outcomes = new Dictionary<string, OutcomeModelSpec>(StringComparer.Ordinal);
        // Presets used by an item are written out so that scenario.json shows every number that was run;
        // a custom model with a preset's name replaces the preset, so the filled file runs the same way.
        foreach (var name in kinds.SelectMany(k => k.Items(s).SelectMany(k.Format.OutcomeModels)).Distinct())
        {
            if (s.Outcomes?.ContainsKey(name) != true && OutcomePresets.All.TryGetValue(name, out var preset)) outcomes[name] = preset;
        }
        foreach (var (name, model) in s.Outcomes ?? []) outcomes[name] = Fill(model);

        // A copy with `with`: fields without defaults (name, title, description, the study) are carried over as written.
        var filled = s with
        {
            Simulation = (s.Simulation ?? new SimulationSpec()) with
            {
                Trials = s.Simulation?.Trials ?? Trials,
                Seed = s.Simulation?.Seed ?? Seed,
                Precision = s.Simulation?.Precision is { } precision
                    ? precision with { CheckEvery = precision.CheckEvery ?? Statistics.PrecisionTarget.DefaultCheckEvery }
                    : null,
                HorizonYears = s.Simulation?.HorizonYears ?? Math.Max(1, kinds.SelectMany(k => k.Items(s).Select(k.Format.DefaultHorizonYears)).DefaultIfEmpty(1).Max()),
            },
            Factors = (s.Factors ?? []).Select(f => f with { Persistence = f.Persistence ?? 0 }).ToList(),
            Stresses = (s.Stresses ?? []).Select(StressLibrary.Fill).ToList(),
            Policy = PolicyRules.Fill(s.Policy),
            Outcomes = outcomes,
            Report = new ReportSpec { Exceedance = s.Report?.Exceedance ?? [], LossRatios = s.Report?.LossRatios ?? [] },
        };
        // Every kind's list is written, empty when absent, so that variants can address it (unless the kind asks to stay
        // unlisted when absent, see IInstrumentFormat.ListedWhenAbsent).
        return WithKinds(filled, kinds.Select(k => k.Present(s) || k.Format.ListedWhenAbsent ? k.ToList(k.Items(s).Select(k.Format.Fill)) : null!).ToList());
    }

    /// <summary>A copy of <paramref name="s"/> with each registered kind's list replaced (in <see cref="InstrumentKinds.Of"/> order).</summary>
    internal static ScenarioSpec WithKinds(ScenarioSpec s, IReadOnlyList<object> lists)
    {
        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        // Records are copied with their compiler-generated clone, as `with` does; the lists are set through their init accessors.
        var copy = s with { };
        for (int i = 0; i < kinds.Count; i++) kinds[i].Property.SetValue(copy, lists[i]);
        return copy;
    }

    /// <summary>
    /// A copy of <paramref name="s"/> whose items have their input files (loan tapes, …) copied by <paramref name="copy"/>
    /// (source path, folder, file name → the path to write), as scenario.json refers to them.
    /// </summary>
    public static ScenarioSpec WithCopiedFiles(ScenarioSpec s, string baseDirectory, Func<string, string, string, string> copy)
    {
        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        return WithKinds(s, kinds.Select(k => k.Present(s)
            ? k.ToList(k.Items(s).Select(item => k.Format.WithCopiedFiles(item, baseDirectory, copy)))
            : null!).ToList());
    }

    /// <summary>A copy with another simulation block.</summary>
    public static ScenarioSpec With(ScenarioSpec s, SimulationSpec simulation) => s with { Simulation = simulation };

    private static OutcomeModelSpec Fill(OutcomeModelSpec m) => m with
    {
        WriteOff = m.WriteOff ?? 0,
        ExposureYears = m.ExposureYears ?? ExposureYears,
    };
}
