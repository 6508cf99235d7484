using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simulator.Core.Format;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Turns "variants", "sweep" and "sensitivity" into variant scenarios: each applies its settings to the base
/// scenario with defaults filled in (as JSON), then goes through the same binding, validation and building as a
/// file, so a wrong path or a value of the wrong type is reported at the setting that caused it, with the
/// allowed values. Every variant keeps the base's name, hence its random numbers (common random numbers).
/// </summary>
internal sealed partial class VariantExpander(ErrorSink errors, string fileLabel, string? baseDirectory, Dictionary<string, object> fileCache)
{
    private JsonObject _base = new();
    private Scenario _baseScenario = null!;
    private JsonNode? _writtenTolerance;

    /// <param name="filled">The base, filled.</param>
    /// <param name="baseScenario">The base as built.</param>
    /// <param name="written">The base's policy block as the file wrote it (before its rule set was resolved).</param>
    public Scenario Expand(ScenarioSpec filled, Scenario baseScenario, PolicySpec? written = null)
    {
        _baseScenario = baseScenario;
        _writtenTolerance = written?.Tolerance is { } t ? JsonSerializer.SerializeToNode(t, ScenarioJson.SerializerOptions) : null;
        // The base as variants start from: every field of the filled file but the study itself and the stamp.
        var plain = filled with { ProgramVersion = null, Variants = null, Sweep = null, Sensitivity = null, Solve = null };
        _base = JsonSerializer.SerializeToNode(plain, ScenarioJson.SerializerOptions)!.AsObject();

        var variants = new List<ScenarioVariant>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(ScenarioVariant? v, string at)
        {
            if (v is null) return;
            if (names.TryGetValue(v.Name, out var other))
            {
                errors.Add(at, $"variant name '{v.Name}' is also produced by {other}; variant names must be unique");
                return;
            }
            names[v.Name] = at;
            variants.Add(v);
        }

        var list = filled.Variants ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            var v = list[i];
            string at = $"$.variants[{i}]";
            if (v.Name is null || v.Set is null) continue;
            if (v.Set.Count == 0) errors.Add(at + ".set", "a variant must set at least one field");
            var settings = v.Set.Select(kv => (kv.Key, (JsonNode?)JsonNode.Parse(kv.Value.GetRawText()), JsonPositionMap.ChildPath(at + ".set", kv.Key))).ToList();
            Add(Build(v.Name, VariantOrigin.Variant, settings, at), at + ".name");
        }

        SweepPlan? sweep = null;
        if (filled.Sweep is { Count: > 0 } grid) sweep = ExpandSweep(grid, v => Add(v, "$.sweep"));
        else if (filled.Sweep is { Count: 0 }) errors.Add("$.sweep", "the sweep is empty; give at least one path with a list of values");

        SensitivityPlan? sensitivity = filled.Sensitivity is { } s ? ExpandSensitivity(s, v => Add(v, "$.sensitivity")) : null;
        SolvePlan? solve = filled.Solve is { } solveSpec ? ExpandSolve(solveSpec) : null;
        return baseScenario with { Variants = variants, Sweep = sweep, Sensitivity = sensitivity, Solve = solve };
    }

    private SweepPlan? ExpandSweep(Dictionary<string, List<JsonElement>> grid, Action<ScenarioVariant?> add)
    {
        var keys = grid.Keys.ToList();
        var paths = new List<ScenarioPath>();
        foreach (var key in keys)
        {
            string at = JsonPositionMap.ChildPath("$.sweep", key);
            if (ScenarioPath.Parse(key, out var problem) is { } p) paths.Add(p);
            else errors.Add(at, problem!);
            if (grid[key].Count == 0) errors.Add(at, "the list of values is empty; give at least one value");
        }
        if (paths.Count != keys.Count || keys.Any(k => grid[k].Count == 0)) return null;

        // Name parts: the leaf field, or the whole path where two swept paths share a leaf.
        var leaves = paths.Select(p => p.Leaf).ToList();
        var labels = paths.Select((p, i) => leaves.Count(l => l == leaves[i]) > 1 ? Safe(p.Text) : leaves[i]).ToList();
        var combos = new List<int[]> { Array.Empty<int>() };
        foreach (var key in keys) combos = combos.SelectMany(c => Enumerable.Range(0, grid[key].Count).Select(j => c.Append(j).ToArray())).ToList();
        foreach (var combo in combos)
        {
            var settings = new List<(string, JsonNode?, string)>();
            var parts = new List<string>();
            for (int k = 0; k < keys.Count; k++)
            {
                var value = grid[keys[k]][combo[k]];
                settings.Add((keys[k], JsonNode.Parse(value.GetRawText()), $"{JsonPositionMap.ChildPath("$.sweep", keys[k])}[{combo[k]}]"));
                parts.Add($"{labels[k]}-{ValueLabel(value, combo[k])}");
            }
            add(Build(Fit(string.Join("_", parts)), VariantOrigin.Sweep, settings, "$.sweep"));
        }
        return new SweepPlan(keys, keys.Select(k => (IReadOnlyList<string>)grid[k].Select(v => v.GetRawText()).ToList()).ToList(),
            keys.Select(k => (IReadOnlyList<double?>)grid[k].Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToList()).ToList());
    }

    private SensitivityPlan? ExpandSensitivity(SensitivitySpec s, Action<ScenarioVariant?> add)
    {
        var figureNames = _baseScenario.Instruments().SelectMany(i => i.KeyFigures).Select(f => f.Figure.Name).ToList();
        bool ok = true;
        if (s.Output is { } output && !figureNames.Contains(output))
        {
            errors.Add("$.sensitivity.output", $"unknown output '{output}'{SpecBinder.Suggest(output, figureNames)}; allowed: {string.Join(", ", figureNames)}");
            ok = false;
        }
        var inputs = new List<SensitivityInput>();
        var list = s.Inputs ?? [];
        if (list.Count == 0) errors.Add("$.sensitivity.inputs", "give at least one input to move");
        for (int i = 0; i < list.Count; i++)
        {
            var input = list[i];
            string at = $"$.sensitivity.inputs[{i}]";
            if (input.Path is null) continue;
            if (ScenarioPath.Parse(input.Path, out var problem) is not { } path)
            {
                errors.Add(at + ".path", problem!);
                continue;
            }
            if (path.Get(_base) is not JsonValue v || !v.TryGetValue(out double baseValue))
            {
                errors.Add(at + ".path", $"'{input.Path}' is not a number in this scenario (with defaults filled in); a sensitivity input must be a numeric field");
                continue;
            }
            if (input.Delta is not null && input.Relative is not null)
            {
                errors.Add(at, "give either delta or relative, not both");
                continue;
            }
            double step = input.Delta is { } d ? Math.Abs(d) : (input.Relative ?? 0.1) * Math.Abs(baseValue);
            if (step == 0)
            {
                errors.Add(at, $"the step is 0 (base value {baseValue.ToString("R", CultureInfo.InvariantCulture)}); give an absolute \"delta\"");
                continue;
            }
            string stem = Fit($"sens-{i + 1}-{Safe(path.Leaf)}", ScenarioLimits.NameLength - "-down".Length);
            double low = baseValue - step, high = baseValue + step;
            var down = Build(stem + "-down", VariantOrigin.SensitivityDown, [(input.Path, JsonValue.Create(low), at)], at);
            var up = Build(stem + "-up", VariantOrigin.SensitivityUp, [(input.Path, JsonValue.Create(high), at)], at);
            add(down);
            add(up);
            if (down is not null && up is not null) inputs.Add(new SensitivityInput(input.Path, baseValue, low, high, down.Name, up.Name));
            else ok = false;
        }
        return ok && s.Output is not null ? new SensitivityPlan(s.Output, inputs) : null;
    }

    private ScenarioVariant? Build(string name, VariantOrigin origin, IReadOnlyList<(string Path, JsonNode? Value, string At)> settings, string at,
        Action<string, string>? report = null)
    {
        report ??= errors.Add;
        var node = _base.DeepClone().AsObject();
        // The filled base holds its rule set's tolerances as if written; a setting of another rule set starts from the
        // tolerances the file wrote, so that the new set fills the rest (fields written, and the setting's own, still win).
        if (settings.Any(s => s.Path.Trim() == "policy.rules") && node["policy"] is JsonObject policy)
        {
            policy.Remove("tolerance");
            if (_writtenTolerance is not null) policy["tolerance"] = _writtenTolerance.DeepClone();
        }
        var canonical = new List<(string Canonical, string Path, string At)>();
        bool ok = true;
        foreach (var (pathText, value, settingAt) in settings)
        {
            if (ScenarioPath.Parse(pathText, out var problem) is not { } path)
            {
                report(settingAt, problem!);
                ok = false;
                continue;
            }
            if (path.Segments[0].Field is "name" or "variants" or "sweep" or "sensitivity" or "solve" or "simulation")
            {
                report(settingAt, $"a variant cannot set '{path.Segments[0].Field}': variants keep the base scenario's name, seed and trials, hence its random numbers");
                ok = false;
                continue;
            }
            canonical.Add((path.Canonical(node), pathText, settingAt));
            if (path.Set(node, value) is { } missing)
            {
                report(settingAt, $"variant '{name}': {missing}");
                ok = false;
            }
        }
        if (!ok) return null;

        var read = ScenarioLoader.Read(Encoding.UTF8.GetBytes(node.ToJsonString()), $"variant '{name}'", baseDirectory, fileCache);
        if (read.Errors.Count > 0 || read.Spec is null)
        {
            foreach (var e in read.Errors)
            {
                var setting = canonical.FirstOrDefault(c => e.Path == c.Canonical || e.Path.StartsWith(c.Canonical + ".", StringComparison.Ordinal) || e.Path.StartsWith(c.Canonical + "[", StringComparison.Ordinal));
                if (setting.At is not null) report(setting.At, $"variant '{name}' sets {setting.Path}: {e.Message}");
                else report(at, $"variant '{name}': {e.Path}: {e.Message}");
            }
            return null;
        }
        var scenario = ScenarioBuilder.Build(ScenarioDefaults.Fill(read.Spec), fileLabel, baseDirectory ?? Directory.GetCurrentDirectory(), read.Loaded) with { VariantName = name };
        var recorded = settings.Select(s => new VariantSetting(s.Path, s.Value?.ToJsonString() ?? "null",
            s.Value is JsonValue jv && jv.TryGetValue(out double x) ? x : null)).ToList();
        return new ScenarioVariant(name, origin, recorded, scenario);
    }

    /// <summary>
    /// Checks a solve block: its target names a key figure, its range is [lo, hi] with lo &lt; hi, and the field can be set to
    /// either end (each end built as a variant, so a wrong path or a value out of the field's range is reported at the
    /// solve's field with the variants' messages). An integer field is recognised by its refusing a value between two
    /// integers: the solver then tries integers only.
    /// </summary>
    private SolvePlan? ExpandSolve(SolveSpec s)
    {
        bool ok = true;
        SolveTarget? target = null;
        if (s.Target is { } text)
        {
            target = SolveTarget.Parse(text, out var problem);
            if (target is null)
            {
                errors.Add("$.solve.target", problem!);
                ok = false;
            }
            else
            {
                var figureNames = _baseScenario.Instruments().SelectMany(i => i.KeyFigures).Select(f => f.Figure.Name).ToList();
                if (!figureNames.Contains(target.Figure))
                {
                    errors.Add("$.solve.target", $"unknown figure '{target.Figure}'{SpecBinder.Suggest(target.Figure, figureNames)}; allowed: {string.Join(", ", figureNames)}");
                    ok = false;
                }
            }
        }
        if (s.Range is { } range && (range.Count != 2 || !(range[0] < range[1])))
        {
            errors.Add("$.solve.range", range.Count != 2
                ? $"the range has {range.Count} number(s); give two, [lo, hi], e.g. [1.0e7, 2.0e8]"
                : $"the range [{Number(range[0])}, {Number(range[1])}] is empty; give [lo, hi] with lo < hi");
            ok = false;
        }
        if (s.Vary is not { } vary || s.Range is not { Count: 2 } r || !ok || target is null) return null;
        if (ScenarioPath.Parse(vary, out var pathProblem) is not { } path)
        {
            errors.Add("$.solve.vary", pathProblem!);
            return null;
        }
        if (path.Get(_base) is { } present && (present is not JsonValue v || !v.TryGetValue(out double _)))
        {
            errors.Add("$.solve.vary", $"'{vary}' is not a number in this scenario (with defaults filled in); a solve varies a numeric field");
            return null;
        }
        if (path.Set(_base.DeepClone().AsObject(), JsonValue.Create(r[0])) is { } missing)
        {
            errors.Add("$.solve.vary", missing);
            return null;
        }
        var low = Build("solve-low", VariantOrigin.Variant, [(vary, JsonValue.Create(r[0]), "$.solve.range[0]")], "$.solve");
        var high = Build("solve-high", VariantOrigin.Variant, [(vary, JsonValue.Create(r[1]), "$.solve.range[1]")], "$.solve");
        if (low is null || high is null) return null;
        bool integer = false;
        if (Math.Floor(r[0]) == r[0] && Math.Floor(r[1]) == r[1] && r[1] - r[0] >= 1)
        {
            bool refused = false;
            Build("solve-probe", VariantOrigin.Variant, [(vary, JsonValue.Create(r[0] + 0.5), "$.solve")], "$.solve", (_, _) => refused = true);
            integer = refused;
        }
        return new SolvePlan(vary, target, r[0], r[1], s.Tolerance, integer);
    }

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();

    private static string Safe(string text) => Unsafe().Replace(text, "-").Trim('-');

    /// <summary>
    /// A generated variant name that fits in <paramref name="max"/> characters: it names a folder, and long swept values
    /// or paths would otherwise exceed what the file system holds. A longer name keeps its start and ends in eight hex
    /// digits of a hash of the whole name, so that names that differ only further on stay different.
    /// </summary>
    internal static string Fit(string name, int max = ScenarioLimits.NameLength)
    {
        if (name.Length <= max) return name;
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(max - hash.Length - 1)].TrimEnd('-', '_', '.') + "-" + hash;
    }

    private static string ValueLabel(JsonElement value, int index) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture), // keeps the sign: shift--1
        // Text without any ASCII letter or digit (e.g. Chinese) is named by its position, as objects are.
        JsonValueKind.String => Safe(value.GetString()!) is { Length: > 0 } safe ? safe : $"v{index + 1}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => $"v{index + 1}",
    };
}
