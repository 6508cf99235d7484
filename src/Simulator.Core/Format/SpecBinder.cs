using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Simulator.Core.Format;

/// <summary>
/// Reads a parsed JSON document into the spec classes, driven by their properties and attributes, and
/// collects every problem instead of stopping at the first: wrong types, unknown fields (with a
/// suggestion), missing required fields, values out of range, malformed names and distributions.
/// Cross-field rules live in the scenario's validator and in each instrument kind's format.
/// </summary>
internal sealed class SpecBinder(ErrorSink errors)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public T? Bind<T>(JsonElement root) where T : class => (T?)BindValue(root, typeof(T), "$", null);

    private object? BindValue(JsonElement e, Type type, string path, PropertyInfo? property)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (e.ValueKind == JsonValueKind.Null)
        {
            errors.Add(path, $"null is not allowed here; remove the field or give {Describe(underlying, property)}");
            return null;
        }

        if (underlying == typeof(JsonElement)) return e.Clone();
        if (underlying == typeof(string)) return BindString(e, path, property);
        if (underlying == typeof(double)) return BindDouble(e, path, property);
        if (underlying == typeof(int) || underlying == typeof(long)) return BindInteger(e, underlying, path, property);
        if (underlying == typeof(bool))
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            errors.Add(path, $"value {Show(e)} is not allowed; expected true or false");
            return null;
        }
        if (underlying.IsEnum) return BindEnum(e, underlying, path);
        if (underlying == typeof(DistributionSpec)) return DistributionBinder.Bind(e, path, errors);
        if (underlying == typeof(SuccessSpec) && !(e.ValueKind == JsonValueKind.Object && HasAnyOf(e, "multiple", "cap")))
        {
            // Shorthand of the spec: a distribution directly under "success" is its multiple.
            var multiple = DistributionBinder.Bind(e, path, errors);
            return multiple is null ? null : new SuccessSpec { Multiple = multiple };
        }
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
            return BindList(e, underlying, path, property);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return BindDictionary(e, underlying, path, property);
        return BindObject(e, underlying, path);
    }

    private static bool HasAnyOf(JsonElement e, params string[] names) =>
        e.EnumerateObject().Any(p => names.Contains(p.Name, StringComparer.Ordinal));

    private object? BindString(JsonElement e, string path, PropertyInfo? property)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected a string");
            return null;
        }
        string s = e.GetString()!;
        // A list property's own limit counts its items, not the characters of each.
        int max = property?.PropertyType == typeof(string) ? property.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? ScenarioLimits.TextLength : ScenarioLimits.TextLength;
        var pattern = property?.GetCustomAttribute<RegularExpressionAttribute>();
        if (pattern is not null && (s.Length > max || !Regex.IsMatch(s, pattern.Pattern)))
        {
            string length = s.Length > max ? $" ({ScenarioLimits.Count(s.Length)} characters)" : "";
            // Funds, guarantees and the scenario carry a title for display names in other scripts.
            string hint = property!.DeclaringType?.GetProperty("Title") is not null ? "; give a display name in any language as \"title\"" : "";
            errors.Add(path, $"name {Show(e)}{length} is not allowed; {SpecPatterns.NameRule}{hint}");
        }
        else if (s.Length > max)
        {
            errors.Add(path, $"the text has {ScenarioLimits.Count(s.Length)} characters; at most {ScenarioLimits.Count(max)} are allowed here");
        }
        return s;
    }

    private object? BindDouble(JsonElement e, string path, PropertyInfo? property)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected {Describe(typeof(double), property)}");
            return null;
        }
        var range = property?.GetCustomAttribute<RangeAttribute>();
        if (range is not null && !InRange(d, range))
        {
            errors.Add(path, $"value {Show(e)} is out of range; allowed: {Describe(typeof(double), property)}");
        }
        return d;
    }

    private object? BindInteger(JsonElement e, Type type, string path, PropertyInfo? property)
    {
        long value;
        if (e.ValueKind != JsonValueKind.Number || !TryGetWholeNumber(e, out value)
            || (type == typeof(int) && value is < int.MinValue or > int.MaxValue))
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected {Describe(type, property)}");
            return null;
        }
        var range = property?.GetCustomAttribute<RangeAttribute>();
        if (range is not null && !InRange(value, range))
        {
            errors.Add(path, $"value {Show(e)} is out of range; allowed: {Describe(type, property)}");
        }
        return type == typeof(int) ? (object)(int)value : value;
    }

    private static bool TryGetWholeNumber(JsonElement e, out long value)
    {
        if (e.TryGetInt64(out value)) return true;
        // Accept 1e5 or 100000.0 as an integer: users write trial counts that way.
        if (e.TryGetDouble(out double d) && Math.Floor(d) == d && Math.Abs(d) < 9.0e18)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    private object? BindEnum(JsonElement e, Type type, string path)
    {
        var names = EnumNames(type);
        if (e.ValueKind == JsonValueKind.String && names.TryGetValue(e.GetString()!, out var v)) return v;
        string hint = e.ValueKind == JsonValueKind.String ? Suggest(e.GetString()!, names.Keys) : "";
        errors.Add(path, $"value {Show(e)} is not allowed; allowed: {string.Join(" | ", names.Keys)}{hint}");
        return null;
    }

    internal static Dictionary<string, object> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
            f => f.GetCustomAttribute<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name),
            f => f.GetValue(null)!, StringComparer.Ordinal);

    private object? BindList(JsonElement e, Type listType, string path, PropertyInfo? property)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected an array");
            return null;
        }
        // Checked before any item is read, so that an absurd list costs nothing.
        int count = e.GetArrayLength(), max = property?.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? ScenarioLimits.OtherItems;
        if (count > max)
        {
            errors.Add(path, $"the list has {ScenarioLimits.Count(count)} items; at most {ScenarioLimits.Count(max)} are allowed here");
            return null;
        }
        var itemType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        int i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var bound = BindValue(item, itemType, $"{path}[{i}]", property);
            if (bound is not null) list.Add(bound);
            i++;
        }
        return list;
    }

    private object? BindDictionary(JsonElement e, Type dictType, string path, PropertyInfo? property)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected an object of name: value pairs");
            return null;
        }
        int count = e.EnumerateObject().Count(), max = property?.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? ScenarioLimits.OtherItems;
        if (count > max)
        {
            errors.Add(path, $"the object has {ScenarioLimits.Count(count)} entries; at most {ScenarioLimits.Count(max)} are allowed here");
            return null;
        }
        var valueType = dictType.GetGenericArguments()[1];
        var dict = (IDictionary)Activator.CreateInstance(dictType, StringComparer.Ordinal)!;
        foreach (var p in e.EnumerateObject())
        {
            var bound = BindValue(p.Value, valueType, JsonPositionMap.ChildPath(path, p.Name), null);
            if (bound is not null) dict[p.Name] = bound;
        }
        return dict;
    }

    private object? BindObject(JsonElement e, Type type, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"value {Show(e)} is not allowed; expected an object");
            return null;
        }
        var props = JsonProperties(type);
        var instance = Activator.CreateInstance(type)!;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            string childPath = JsonPositionMap.ChildPath(path, p.Name);
            if (!props.TryGetValue(p.Name, out var prop))
            {
                errors.Add(childPath, $"unknown field '{ScenarioLimits.Quote(p.Name)}'{Suggest(p.Name, props.Keys)}; allowed fields here: {string.Join(", ", props.Keys)}");
                continue;
            }
            present.Add(p.Name);
            var value = BindValue(p.Value, prop.PropertyType, childPath, prop);
            if (value is not null) prop.SetValue(instance, value);
        }
        foreach (var (name, prop) in props)
        {
            if (!present.Contains(name) && prop.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                errors.Add(path, $"missing required field '{name}' ({Describe(Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType, prop)})");
            }
        }
        return instance;
    }

    /// <summary>The JSON names of a spec class's properties, in declaration order.</summary>
    internal static Dictionary<string, PropertyInfo> JsonProperties(Type type)
    {
        var result = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            result[JsonNamingPolicy.CamelCase.ConvertName(p.Name)] = p;
        }
        return result;
    }

    private static bool InRange(double v, RangeAttribute r)
    {
        double min = Convert.ToDouble(r.Minimum, Inv), max = Convert.ToDouble(r.Maximum, Inv);
        bool lowOk = r.MinimumIsExclusive ? v > min : v >= min;
        bool highOk = r.MaximumIsExclusive ? v < max : v <= max;
        return lowOk && highOk;
    }

    // Integers compared exactly: near long.MaxValue a double cannot tell neighbouring values apart.
    private static bool InRange(long v, RangeAttribute r)
    {
        decimal min = Convert.ToDecimal(r.Minimum, Inv), max = Convert.ToDecimal(r.Maximum, Inv);
        bool lowOk = r.MinimumIsExclusive ? v > min : v >= min;
        bool highOk = r.MaximumIsExclusive ? v < max : v <= max;
        return lowOk && highOk;
    }

    /// <summary>Human description of what a property allows, from its type and range.</summary>
    internal static string Describe(Type type, PropertyInfo? property)
    {
        var r = property?.GetCustomAttribute<RangeAttribute>();
        string kind = type == typeof(int) || type == typeof(long) ? "an integer" : type == typeof(double) ? "a number" : type == typeof(string) ? "a string" : type == typeof(DistributionSpec) ? "a number or a distribution" : type.IsEnum ? string.Join(" | ", EnumNames(type).Keys) : "an object";
        if (r is null) return kind;
        string min = Bound(r.Minimum), max = Bound(r.Maximum);
        if (!r.MinimumIsExclusive && !r.MaximumIsExclusive) return $"{kind} from {min} to {max}";
        string lo = r.MinimumIsExclusive ? $"> {min}" : $"≥ {min}";
        string hi = r.MaximumIsExclusive ? $"< {max}" : $"≤ {max}";
        return $"{kind} {lo} and {hi}";
    }

    /// <summary>
    /// A bound of a range as users write it: integers in full (9223372036854775807, 100000), other numbers in the
    /// shortest form with a lower-case exponent (1e15, 0.2).
    /// </summary>
    internal static string Bound(object bound) => bound switch
    {
        int or long => Convert.ToString(bound, Inv)!,
        string text => text,
        double d when Math.Floor(d) == d && Math.Abs(d) < 1e15 => ((long)d).ToString(Inv),
        double d => Number(d),
        _ => Convert.ToString(bound, Inv)!,
    };

    /// <summary>A number in the shortest form that reads back the same, with a lower-case exponent (1e15, 2.5e-7).</summary>
    internal static string Number(double d)
    {
        // "R" writes 1e15 as 1000000000000000 and 1e16 as 1E+16; an exponent reads better from 1e15 on.
        if (d != 0 && (Math.Abs(d) >= 1e15 || Math.Abs(d) < 1e-4)) return d.ToString("0.################e0", Inv);
        return d.ToString("R", Inv);
    }

    /// <summary>The value as written, shortened for messages.</summary>
    internal static string Show(JsonElement e) => ScenarioLimits.Quote(e.GetRawText());

    /// <summary>", did you mean 'x'?" when a close match exists.</summary>
    internal static string Suggest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = string.Equals(c, given, StringComparison.OrdinalIgnoreCase) ? 0 : Levenshtein(given.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best is not null && bestDistance <= Math.Max(2, given.Length / 3) ? $" (did you mean '{best}'?)" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

/// <summary>Collects errors with their positions.</summary>
internal sealed class ErrorSink(string file, JsonPositionMap positions)
{
    private readonly List<ScenarioError> _errors = [];
    private int _more;

    /// <summary>The file as named by the user.</summary>
    public string File => file;

    /// <summary>The errors, at most <see cref="ScenarioLimits.ErrorsListed"/> and then one line counting the rest.</summary>
    public IReadOnlyList<ScenarioError> Errors => _more == 0 ? _errors :
        [.. _errors, new ScenarioError(file, "$", null, null, $"... and {ScenarioLimits.Count(_more)} more errors, not listed (at most {ScenarioLimits.Count(ScenarioLimits.ErrorsListed)} are); fix these first")];

    public void Add(string path, string message)
    {
        if (_errors.Count >= ScenarioLimits.ErrorsListed)
        {
            _more++;
            return;
        }
        var (line, column) = positions.Find(path);
        _errors.Add(new ScenarioError(file, path, line, column, message));
    }
}
