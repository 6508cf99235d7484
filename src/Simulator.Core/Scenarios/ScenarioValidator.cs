using System.Globalization;
using Simulator.Core.Distributions;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Rules that involve more than one field: unique and reserved names, references between items, band
/// probabilities, supports of distributions, loadings whose squares must sum below 1, periods within the
/// fund life. Runs on whatever the binder could read, so a file's errors are reported together.
/// </summary>
internal sealed class ScenarioValidator(ErrorSink errors, string baseDirectory, Dictionary<string, object> fileCache)
{
    /// <summary>What each kind read from its input files, by kind field and item index.</summary>
    public Dictionary<string, Dictionary<int, object>> Loaded { get; } = new(StringComparer.Ordinal);

    /// <summary>Problems found in input files.</summary>
    public List<ScenarioError> FileErrors { get; } = [];

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    public void Validate(ScenarioSpec raw)
    {
        var factors = raw.Factors ?? [];
        var factorNames = factors.Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        UniqueNames(factors.Select(f => f.Name), "$.factors", "factor");

        var stresses = raw.Stresses ?? [];
        // A stress names the items it applies to in a list named after their kind ("funds", "guarantees").
        var kindNames = InstrumentKinds.Of(typeof(ScenarioSpec)).ToDictionary(k => k.Format.Field,
            k => (ISet<string>)k.Items(raw).Cast<INamedSpec>().Select(x => x.Name).OfType<string>().ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var fundSet = kindNames.GetValueOrDefault("funds") ?? new HashSet<string>();
        var guaranteeSet = kindNames.GetValueOrDefault("guarantees") ?? new HashSet<string>();
        for (int i = 0; i < stresses.Count; i++)
            StressLibrary.Validate(stresses[i], $"$.stresses[{i}]", factorNames, fundSet, guaranteeSet, errors.Add);

        if (raw.Policy?.Rules is { } rules && !PolicyRules.All.ContainsKey(rules))
            errors.Add("$.policy.rules", $"unknown rule set '{ScenarioLimits.Quote(rules)}'{SpecBinder.Suggest(rules, PolicyRules.Names)}; allowed: {string.Join(", ", PolicyRules.Names)}");

        var custom = raw.Outcomes ?? [];
        foreach (var (name, model) in custom)
        {
            string path = JsonPositionMap.ChildPath("$.outcomes", name);
            if (!SpecPatterns.IsName(name))
                errors.Add(path, $"name '{ScenarioLimits.Quote(name)}' is not allowed; {SpecPatterns.NameRule}");
            OutcomeModel(model, path);
        }
        var modelNames = custom.Keys.Concat(OutcomePresets.All.Keys).ToHashSet(StringComparer.Ordinal);

        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        // A list refused for its size reads as absent; saying the scenario has none would mislead.
        bool refused = errors.Errors.Any(e => kinds.Any(k => e.Path == "$." + k.Format.Field));
        if (kinds.All(k => k.Items(raw).Count == 0) && !refused)
            errors.Add(kinds.Count == 0 || !kinds[0].Present(raw) ? "$" : "$." + kinds[0].Format.Field,
                $"the scenario has no {string.Join(" and no ", kinds.Select(k => k.Format.Field))}; add at least one entry to {InstrumentKinds.FieldList(kinds)}");
        var names = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var k in kinds)
            names[k.Format.Field] = k.Items(raw).Cast<INamedSpec>().Select(x => x.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var factorList = factors.Select(f => f.Name).OfType<string>().ToList();
        var earlier = new List<InstrumentKind>();
        var lookup = ItemLookup.Over(raw);
        foreach (var k in kinds)
        {
            var items = k.Items(raw);
            string listPath = "$." + k.Format.Field;
            UniqueNames(items.Cast<INamedSpec>().Select(x => x.Name), listPath, k.Format.Noun);
            // Result columns are named after items of every kind, so a name is unique across kinds too.
            for (int i = 0; i < items.Count; i++)
            {
                if (((INamedSpec)items[i]).Name is not { } n) continue;
                if (earlier.FirstOrDefault(e => names[e.Format.Field].Contains(n)) is { } other)
                    errors.Add($"{listPath}[{i}].name", $"'{n}' is also a {other.Format.Noun}'s name; result columns are named after {InstrumentKinds.ItemsNoun(kinds)}, so the names must differ");
            }
            var kindContext = new FormatContext(errors.Add, factorList, modelNames, names, errors.File, baseDirectory, fileCache,
                path => errors.Errors.Any(e => e.Path == path)) { ItemLookup = lookup };
            k.Format.Validate(items, listPath, kindContext);
            Loaded[k.Format.Field] = kindContext.Loaded;
            FileErrors.AddRange(kindContext.FileErrors);
            earlier.Add(k);
        }

        if (raw.Simulation?.ImportanceSampling is { } sampling) ImportanceSampling(sampling, factorNames);
        if (raw.Simulation?.Sampling is { } method && method is not ("random" or "sobol" or "lhs"))
            errors.Add("$.simulation.sampling", $"value \"{method}\" is not allowed; allowed: \"random\" (plain Monte Carlo, the default), \"sobol\" (scrambled Sobol points) or \"lhs\" (Latin hypercube sampling)");
        VariantCount(raw);

        var ratios = raw.Report?.LossRatios ?? [];
        for (int i = 0; i < ratios.Count; i++)
        {
            if (ratios[i] is < 0 or > 1) errors.Add($"$.report.lossRatios[{i}]", $"value {F(ratios[i])} is out of range; allowed: a loss ratio from 0 to 1");
        }
    }

    private void ImportanceSampling(System.Text.Json.JsonElement e, HashSet<string> factorNames)
    {
        const string path = "$.simulation.importanceSampling";
        const string allowed = "allowed: true (automatic), false, or { \"shift\": { \"<factor>\": <mean shift in sd, from -6 to 6> } }";
        if (e.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) return;
        if (e.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            errors.Add(path, $"value {SpecBinder.Show(e)} is not allowed; {allowed}");
            return;
        }
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name != "shift")
            {
                errors.Add(JsonPositionMap.ChildPath(path, p.Name), $"unknown field '{p.Name}'{SpecBinder.Suggest(p.Name, ["shift"])}; {allowed}");
                continue;
            }
            if (p.Value.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                errors.Add(path + ".shift", $"value {SpecBinder.Show(p.Value)} is not allowed; {allowed}");
                continue;
            }
            foreach (var f in p.Value.EnumerateObject())
            {
                string at = JsonPositionMap.ChildPath(path + ".shift", f.Name);
                if (!factorNames.Contains(f.Name))
                    errors.Add(at, $"unknown factor '{f.Name}'{SpecBinder.Suggest(f.Name, factorNames)}; declared factors: {FormatContext.FactorList(factorNames)}");
                if (f.Value.ValueKind != System.Text.Json.JsonValueKind.Number || f.Value.GetDouble() is < -6 or > 6)
                    errors.Add(at, $"value {SpecBinder.Show(f.Value)} is not allowed; a shift is a number of standard deviations from -6 to 6 (negative shifts towards bad years)");
            }
        }
        if (!e.TryGetProperty("shift", out _)) errors.Add(path, $"missing field 'shift'; {allowed}");
    }

    private void UniqueNames(IEnumerable<string?> names, string listPath, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var n in names)
        {
            if (n is not null)
            {
                if (!seen.Add(n)) errors.Add($"{listPath}[{i}].name", $"{what} name '{n}' is used twice; names must be unique in their list");
                if (n == "programme") errors.Add($"{listPath}[{i}].name", "the name 'programme' is reserved for the whole programme; choose another name");
            }
            i++;
        }
    }

    private void OutcomeModel(OutcomeModelSpec m, string path)
    {
        double q = m.WriteOff ?? 0, r = m.Partial?.Probability ?? 0;
        if (q + r > 1 + 1e-12)
            errors.Add(path, $"writeOff {F(q)} plus partial.probability {F(r)} is {F(q + r)}; together they must not exceed 1 (the success band takes the rest)");
        if (m.Partial?.Multiple is { } pm)
        {
            var d = pm.Build();
            if (d.SupportMin < 0 || d.SupportMax > 1 || (d.SupportMax == 1 && d.SupportMaxAttained))
                errors.Add(path + ".partial.multiple", $"the partial band's multiple must lie in [0, 1); this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
        }
        if (m.Success is null && q + r < 1 - 1e-12)
            errors.Add(path, $"missing field 'success': the success band has probability {F(1 - q - r)} (1 − writeOff − partial.probability) and needs a multiple");
        if (m.Success?.Multiple is { } sm)
        {
            var d = sm.Build();
            if (d.SupportMin < 0) errors.Add(path + ".success", "a success multiple must be ≥ 0");
            else if (m.Success.Cap is null && DrawLimits.Draws(d).High > DrawLimits.MaxDraw)
                errors.Add(path + ".success", $"{DrawLimits.TooLarge(d)}; a success multiple must stay ≤ 1e15: give the band a \"cap\" (at most 1000000)");
        }
        foreach (var (band, dist) in new[] { ("writeOff", m.ExitYears?.WriteOff), ("partial", m.ExitYears?.Partial), ("success", m.ExitYears?.Success) })
        {
            if (dist is not null && dist.Build().SupportMin < 0)
                errors.Add($"{path}.exitYears.{band}", "exit years are counted from the investment year and must be ≥ 0");
        }
    }

    // Counted before any variant is built: expanding a sweep of a million combinations would take hours.
    private void VariantCount(ScenarioSpec raw)
    {
        long listed = raw.Variants?.Count ?? 0, inputs = raw.Sensitivity?.Inputs?.Count ?? 0, combinations = 0;
        var sizes = raw.Sweep?.Values.Select(v => (long)v.Count).ToList() ?? [];
        if (sizes.Count > 0)
        {
            combinations = 1;
            foreach (long n in sizes) combinations = n == 0 ? 0 : combinations > long.MaxValue / Math.Max(1, n) ? long.MaxValue : combinations * n;
        }
        long total = listed + 2 * inputs;
        total = combinations > long.MaxValue - total ? long.MaxValue : total + combinations;
        if (total <= ScenarioLimits.Variants) return;
        var parts = new List<string>();
        if (listed > 0) parts.Add($"{ScenarioLimits.Count(listed)} in \"variants\"");
        if (combinations > 0)
            parts.Add($"{(combinations == long.MaxValue ? "more than " + ScenarioLimits.Count(long.MaxValue) : ScenarioLimits.Count(combinations))} sweep combinations, {string.Join(" × ", sizes.Select(ScenarioLimits.Count))}");
        if (inputs > 0) parts.Add($"{ScenarioLimits.Count(2 * inputs)} for {ScenarioLimits.Count(inputs)} sensitivity inputs");
        string path = combinations > 0 ? "$.sweep" : listed > 0 ? "$.variants" : "$.sensitivity";
        errors.Add(path, $"the file asks for {(total == long.MaxValue ? "more than " + ScenarioLimits.Count(long.MaxValue) : ScenarioLimits.Count(total))} variants ({string.Join(", ", parts)}); " +
            $"at most {ScenarioLimits.Count(ScenarioLimits.Variants)} variants are allowed in one file: sweep fewer values, or split the file");
    }
}
