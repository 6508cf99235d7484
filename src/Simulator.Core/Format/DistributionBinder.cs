using System.Text.Json;

namespace Simulator.Core.Format;

/// <summary>
/// Reads the format's distributions, checking each kind's parameters. Every parameter is bounded to where the law
/// stays finite and quick to set up: numbers within ±1e15 (the format's bound on money), a lognormal sigma of at
/// most 10 (e^(10·8.5) is the widest spread of a draw), a Pareto alpha of at least 0.01 (below, the quantile's
/// exponent −1/alpha leaves the doubles), a beta sd of at least 0.001 (below, the shape parameters run into the
/// millions and the tabulation takes seconds to minutes, then fails).
/// </summary>
internal static class DistributionBinder
{
    /// <summary>Largest magnitude of any number in a distribution.</summary>
    public const double MaxNumber = 1e15;
    /// <summary>Largest lognormal sigma.</summary>
    public const double MaxSigma = 10;
    /// <summary>Smallest Pareto alpha.</summary>
    public const double MinAlpha = 0.01;
    /// <summary>Smallest beta standard deviation.</summary>
    public const double MinBetaSd = 0.001;

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
        // "cap" beside the kind's key caps the draws: min(x, cap) (check.cap: a limit on a single project's investment).
        double? cap = null;
        bool capOk = true;
        int capIndex = props.FindIndex(x => x.Name == "cap");
        if (capIndex >= 0)
        {
            var capProperty = props[capIndex];
            props.RemoveAt(capIndex);
            string capAt = JsonPositionMap.ChildPath(path, "cap");
            cap = Number(capProperty.Value, capAt, errors);
            if (cap is <= 0)
            {
                errors.Add(capAt, $"value {SpecBinder.Show(capProperty.Value)} is out of range; a cap is greater than 0 and at most 1e15");
                cap = null;
            }
            capOk = cap is not null;
        }
        if (props.Count != 1)
        {
            errors.Add(path, $"a distribution object has exactly one key besides an optional \"cap\"; found {props.Count}; expected {Allowed}");
            return null;
        }
        var bound = BindKind(props[0], path, errors);
        if (bound is null || !capOk) return null;
        return cap is null ? bound : bound with { Cap = cap };
    }

    private static DistributionSpec? BindKind(JsonProperty p, string path, ErrorSink errors)
    {
        string at = JsonPositionMap.ChildPath(path, p.Name);
        int kind = DistributionSpec.Keys.ToList().IndexOf(p.Name);
        if (kind < 0)
        {
            errors.Add(at, $"unknown distribution '{ScenarioLimits.Quote(p.Name)}'{SpecBinder.Suggest(p.Name, DistributionSpec.Keys)}; allowed: {string.Join(", ", DistributionSpec.Keys)}");
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
                    (m, s) => m is <= 0 or > MaxNumber ? ("median", "must be greater than 0 and at most 1e15") : s is < 0 or > MaxSigma ? ("sigma", "must be from 0 to 10") : default);
            case DistributionKind.Pareto:
                return TwoParameters(p.Value, at, errors, DistributionKind.Pareto, "min", "alpha",
                    (m, a) => m is <= 0 or > MaxNumber ? ("min", "must be greater than 0 and at most 1e15") : a < MinAlpha ? ("alpha", "must be at least 0.01 (give the success band a cap for heavy tails)") : default);
            case DistributionKind.Beta:
                return TwoParameters(p.Value, at, errors, DistributionKind.Beta, "mean", "sd",
                    (m, s) => m is <= 0 or >= 1 ? ("mean", "must lie strictly between 0 and 1")
                        : m * (1 - m) <= MinBetaSd * MinBetaSd ? ("mean", "is too close to 0 or 1 for any sd of at least 0.001 (mean·(1 − mean) must exceed 1e-6); write such a mean as a fixed number")
                        : s < MinBetaSd ? ("sd", "must be at least 0.001; for a narrower law write the mean as a fixed number")
                        : s * s >= m * (1 - m) ? ("sd", $"is too large for mean {m}: sd² must be below mean·(1 − mean) = {m * (1 - m):G4}, i.e. sd < {Math.Sqrt(m * (1 - m)):G4}")
                        : default);
            default:
                return Table(p.Value, at, errors);
        }
    }

    // Parameters of the two-parameter laws are bounded by their own rules (bounded: false), which name the field's range.
    private static double? Number(JsonElement e, string path, ErrorSink errors, bool bounded = true)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && double.IsFinite(d))
        {
            if (!bounded || Math.Abs(d) <= MaxNumber) return d;
            errors.Add(path, $"value {SpecBinder.Show(e)} is out of range; allowed: a number from -1e15 to 1e15");
            return null;
        }
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
            if (p.Name == first) a = Number(p.Value, at, errors, bounded: false);
            else if (p.Name == second) b = Number(p.Value, at, errors, bounded: false);
            else
            {
                errors.Add(at, $"unknown field '{ScenarioLimits.Quote(p.Name)}'{SpecBinder.Suggest(p.Name, [first, second])}; allowed fields here: {first}, {second}");
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
            errors.Add(JsonPositionMap.ChildPath(path, field), $"value {SpecBinder.Number(shown)} is out of range: {field} {problem}");
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
        if (e.GetArrayLength() > ScenarioLimits.ListItems)
        {
            // Each draw searches the rows, so their number is a cost per project and loan.
            errors.Add(path, $"the table has {ScenarioLimits.Count(e.GetArrayLength())} rows; at most {ScenarioLimits.Count(ScenarioLimits.ListItems)} are allowed");
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
