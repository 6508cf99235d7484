using System.Text.Json;

namespace Simulator.Core.Scenarios;

/// <summary>Reads the format's distributions, checking each kind's parameters.</summary>
internal static class DistributionBinder
{
    private const string Allowed = "a number, or an object with one of: {\"fixed\": x}, {\"uniform\": [a, b]}, {\"lognormal\": {\"median\": m, \"sigma\": s}}, {\"pareto\": {\"min\": xm, \"alpha\": a}}, {\"beta\": {\"mean\": m, \"sd\": s}}, {\"table\": [[value, probability], ...]}";

    public static DistributionSpec? Bind(JsonElement e, string path, ErrorSink errors)
    {
        if (e.ValueKind == JsonValueKind.Number) return Number(e, path, errors) is { } x ? DistributionSpec.Fixed(x) : null;
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"value {SpecBinder.Show(e)} is not a distribution; expected {Allowed}");
            return null;
        }
        var props = e.EnumerateObject().ToList();
        if (props.Count != 1)
        {
            errors.Add(path, $"a distribution object has exactly one key; found {props.Count}; expected {Allowed}");
            return null;
        }
        var p = props[0];
        string at = JsonPositionMap.ChildPath(path, p.Name);
        int kind = DistributionSpec.Keys.ToList().IndexOf(p.Name);
        if (kind < 0)
        {
            errors.Add(at, $"unknown distribution '{p.Name}'{SpecBinder.Suggest(p.Name, DistributionSpec.Keys)}; allowed: {string.Join(", ", DistributionSpec.Keys)}");
            return null;
        }
        switch ((DistributionKind)kind)
        {
            case DistributionKind.Fixed:
                return Number(p.Value, at, errors) is { } x ? DistributionSpec.Fixed(x) : null;
            case DistributionKind.Uniform:
            {
                if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() != 2)
                {
                    errors.Add(at, $"value {SpecBinder.Show(p.Value)} is not allowed; expected [a, b] with a ≤ b");
                    return null;
                }
                double? a = Number(p.Value[0], at + "[0]", errors), b = Number(p.Value[1], at + "[1]", errors);
                if (a is null || b is null) return null;
                if (a > b)
                {
                    errors.Add(at, $"uniform [{a}, {b}] has a > b; write the lower bound first");
                    return null;
                }
                return new DistributionSpec(DistributionKind.Uniform, [a.Value, b.Value]);
            }
            case DistributionKind.LogNormal:
                return TwoParameters(p.Value, at, errors, DistributionKind.LogNormal, "median", "sigma",
                    (m, s) => m <= 0 ? ("median", "must be greater than 0") : s < 0 ? ("sigma", "must be ≥ 0") : default);
            case DistributionKind.Pareto:
                return TwoParameters(p.Value, at, errors, DistributionKind.Pareto, "min", "alpha",
                    (m, a) => m <= 0 ? ("min", "must be greater than 0") : a <= 0 ? ("alpha", "must be greater than 0") : default);
            case DistributionKind.Beta:
                return TwoParameters(p.Value, at, errors, DistributionKind.Beta, "mean", "sd",
                    (m, s) => m is <= 0 or >= 1 ? ("mean", "must lie strictly between 0 and 1")
                        : s <= 0 ? ("sd", "must be greater than 0")
                        : s * s >= m * (1 - m) ? ("sd", $"is too large for mean {m}: sd² must be below mean·(1 − mean) = {m * (1 - m):G4}, i.e. sd < {Math.Sqrt(m * (1 - m)):G4}")
                        : default);
            default:
                return Table(p.Value, at, errors);
        }
    }

    private static double? Number(JsonElement e, string path, ErrorSink errors)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && double.IsFinite(d)) return d;
        errors.Add(path, $"value {SpecBinder.Show(e)} is not allowed; expected a finite number");
        return null;
    }

    private static DistributionSpec? TwoParameters(JsonElement e, string path, ErrorSink errors, DistributionKind kind,
        string first, string second, Func<double, double, (string? Field, string? Problem)> check)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"value {SpecBinder.Show(e)} is not allowed; expected {{\"{first}\": x, \"{second}\": y}}");
            return null;
        }
        double? a = null, b = null;
        bool ok = true;
        foreach (var p in e.EnumerateObject())
        {
            string at = JsonPositionMap.ChildPath(path, p.Name);
            if (p.Name == first) a = Number(p.Value, at, errors);
            else if (p.Name == second) b = Number(p.Value, at, errors);
            else
            {
                errors.Add(at, $"unknown field '{p.Name}'{SpecBinder.Suggest(p.Name, [first, second])}; allowed fields here: {first}, {second}");
                ok = false;
            }
        }
        foreach (var (name, value) in new[] { (first, a), (second, b) })
        {
            if (value is null && !e.TryGetProperty(name, out _))
            {
                errors.Add(path, $"missing required field '{name}'");
                ok = false;
            }
        }
        if (!ok || a is null || b is null) return null;
        var (field, problem) = check(a.Value, b.Value);
        if (field is not null)
        {
            double shown = field == first ? a.Value : b.Value;
            errors.Add(JsonPositionMap.ChildPath(path, field), $"value {shown.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range: {field} {problem}");
            return null;
        }
        return new DistributionSpec(kind, [a.Value, b.Value]);
    }

    private static DistributionSpec? Table(JsonElement e, string path, ErrorSink errors)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
        {
            errors.Add(path, $"value {SpecBinder.Show(e)} is not allowed; expected a non-empty array of [value, probability] pairs");
            return null;
        }
        var rows = new List<(double, double)>();
        bool ok = true;
        int i = 0;
        foreach (var row in e.EnumerateArray())
        {
            string at = $"{path}[{i++}]";
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != 2)
            {
                errors.Add(at, $"value {SpecBinder.Show(row)} is not allowed; expected [value, probability]");
                ok = false;
                continue;
            }
            double? v = Number(row[0], at + "[0]", errors), q = Number(row[1], at + "[1]", errors);
            if (v is null || q is null)
            {
                ok = false;
                continue;
            }
            if (q < 0 || q > 1)
            {
                errors.Add(at + "[1]", $"probability {q} is out of range; allowed: 0 to 1");
                ok = false;
                continue;
            }
            rows.Add((v.Value, q.Value));
        }
        if (!ok) return null;
        double sum = rows.Sum(r => r.Item2);
        if (Math.Abs(sum - 1) > 1e-9)
        {
            errors.Add(path, $"table probabilities sum to {sum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}; they must sum to 1");
            return null;
        }
        return new DistributionSpec(DistributionKind.Table, [], rows);
    }
}
