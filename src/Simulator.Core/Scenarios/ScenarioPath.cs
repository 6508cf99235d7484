using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Simulator.Core.Scenarios;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// A path into a scenario as in spec §6: fields with <c>.</c>, list items by index <c>[0]</c> or by name
/// <c>[seed-a]</c>, e.g. <c>funds[seed-a].exposure.macro</c> or <c>guarantees[0].government.capRate</c>.
/// Paths are checked against the format's classes, so a misspelt field is reported with a suggestion even where
/// the filled-in scenario simply omits an optional field.
/// </summary>
public sealed partial class ScenarioPath
{
    private ScenarioPath(string text, IReadOnlyList<Segment> segments)
    {
        Text = text;
        Segments = segments;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    internal IReadOnlyList<Segment> Segments { get; }

    /// <summary>The last field name (for naming sweep variants).</summary>
    public string Leaf => Segments.LastOrDefault(s => s.Field is not null)?.Field ?? Text;

    internal sealed record Segment(string? Field, int? Index, string? ItemName);

    [GeneratedRegex(@"\G(?:\.?(?<field>[A-Za-z0-9_-]+)|\[(?<index>[0-9]+)\]|\[(?<item>[A-Za-z0-9][A-Za-z0-9_-]*)\])")]
    private static partial Regex SegmentPattern();

    /// <summary>Parses a path; null with a message when it is malformed.</summary>
    public static ScenarioPath? Parse(string text, out string? problem)
    {
        problem = null;
        var segments = new List<Segment>();
        int position = 0;
        string t = text.StartsWith("$.", StringComparison.Ordinal) ? text[2..] : text;
        var pattern = SegmentPattern();
        while (position < t.Length)
        {
            var m = pattern.Match(t, position);
            if (!m.Success || m.Length == 0 || (position == 0 && t[0] == '.'))
            {
                problem = $"path '{ScenarioLimits.Quote(text)}' is malformed at character {position + 1}; write fields with '.', list items as [0] or [name], e.g. funds[seed-a].deals";
                return null;
            }
            if (m.Groups["field"].Success) segments.Add(new Segment(m.Groups["field"].Value, null, null));
            else if (m.Groups["index"].Success)
            {
                if (!int.TryParse(m.Groups["index"].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    problem = $"path '{ScenarioLimits.Quote(text)}' has the index [{ScenarioLimits.Quote(m.Groups["index"].Value)}] at character {position + 1}, beyond any list; allowed: an index from 0 to the list's length − 1";
                    return null;
                }
                segments.Add(new Segment(null, index, null));
            }
            else segments.Add(new Segment(null, null, m.Groups["item"].Value));
            position += m.Length;
        }
        if (segments.Count == 0 || segments[0].Field is null)
        {
            problem = $"path '{ScenarioLimits.Quote(text)}' must start with a field name, e.g. policy.tolerance.seed";
            return null;
        }
        return new ScenarioPath(text, segments);
    }

    /// <summary>
    /// Sets the value at this path in <paramref name="root"/> (the filled-in scenario as JSON). Returns null on
    /// success, else a message saying what does not exist and what does.
    /// </summary>
    public string? Set(JsonObject root, JsonNode? value)
    {
        JsonNode current = root;
        Type? type = typeof(ScenarioSpec);
        for (int i = 0; i < Segments.Count; i++)
        {
            var s = Segments[i];
            bool last = i == Segments.Count - 1;
            if (s.Field is { } field)
            {
                if (current is not JsonObject obj) return $"'{Prefix(i)}' is not an object, so it has no field '{field}'";
                Type? next = null;
                if (type is not null && IsDictionary(type, out var valueType)) next = valueType;
                else if (type is not null && type != typeof(JsonElement) && type != typeof(DistributionSpec))
                {
                    var props = SpecClassProperties(type);
                    if (!props.TryGetValue(field, out var prop))
                        return $"unknown field '{ScenarioLimits.Quote(field)}' in '{Prefix(i)}'{SpecBinder.Suggest(field, props.Keys)}; fields there: {string.Join(", ", props.Keys)}";
                    next = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
                    // Inside a distribution the JSON form ({"lognormal": {"median": …}}) is addressed as written;
                    // the binder checks the result like any file.
                    if (next == typeof(DistributionSpec) || next == typeof(SuccessSpec) && obj[field] is JsonValue) next = typeof(JsonElement);
                }
                if (last)
                {
                    obj[field] = value;
                    return null;
                }
                if (obj[field] is null)
                {
                    if (next is not null && (IsList(next, out _) || next == typeof(JsonElement)))
                        return $"'{Prefix(i + 1)}' is empty in this scenario; set the whole list instead";
                    obj[field] = new JsonObject();
                }
                current = obj[field]!;
                type = next;
            }
            else
            {
                if (current is not JsonArray array) return $"'{Prefix(i)}' is not a list, so it has no item {Describe(s)}";
                int index;
                if (s.Index is { } k)
                {
                    if (k >= array.Count) return $"'{Prefix(i)}' has {array.Count} item(s); index {k} does not exist";
                    index = k;
                }
                else
                {
                    var names = array.Select(n => (n as JsonObject)?["name"]?.GetValue<string>()).ToList();
                    index = names.IndexOf(s.ItemName);
                    if (index < 0)
                        return $"'{Prefix(i)}' has no item named '{ScenarioLimits.Quote(s.ItemName!)}'{SpecBinder.Suggest(s.ItemName!, names.OfType<string>())}; items: {string.Join(", ", names.OfType<string>())}";
                }
                type = type is not null && IsList(type, out var itemType) ? itemType : null;
                if (last)
                {
                    array[index] = value;
                    return null;
                }
                current = array[index]!;
            }
        }
        return null;
    }

    /// <summary>The path in the form validation errors use (<c>$.funds[0].deals</c>), item names resolved to
    /// indices in <paramref name="root"/>.</summary>
    public string Canonical(JsonObject root)
    {
        var sb = new System.Text.StringBuilder("$");
        JsonNode? current = root;
        foreach (var s in Segments)
        {
            if (s.Field is { } field)
            {
                sb.Append('.').Append(field);
                current = (current as JsonObject)?[field];
            }
            else
            {
                int index = s.Index ?? (current as JsonArray)?.Select(n => (n as JsonObject)?["name"]?.GetValue<string>()).ToList().IndexOf(s.ItemName) ?? -1;
                sb.Append('[').Append(index >= 0 ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : s.ItemName).Append(']');
                current = current is JsonArray a && index >= 0 && index < a.Count ? a[index] : null;
            }
        }
        return sb.ToString();
    }

    /// <summary>Reads the value at this path, or null when it does not exist.</summary>
    public JsonNode? Get(JsonObject root)
    {
        JsonNode? current = root;
        foreach (var s in Segments)
        {
            if (s.Field is { } field) current = (current as JsonObject)?[field];
            else if (current is JsonArray array)
            {
                int index = s.Index ?? array.Select(n => (n as JsonObject)?["name"]?.GetValue<string>()).ToList().IndexOf(s.ItemName);
                current = index >= 0 && index < array.Count ? array[index] : null;
            }
            else current = null;
            if (current is null) return null;
        }
        return current;
    }

    private string Prefix(int segments)
    {
        var parts = new System.Text.StringBuilder();
        foreach (var s in Segments.Take(segments))
        {
            if (s.Field is not null) parts.Append(parts.Length == 0 ? s.Field : "." + s.Field);
            else parts.Append(Describe(s));
        }
        return parts.Length == 0 ? "$" : parts.ToString();
    }

    private static string Describe(Segment s) => s.Index is { } k ? $"[{k}]" : $"[{s.ItemName}]";

    private static Dictionary<string, System.Reflection.PropertyInfo> SpecClassProperties(Type type) => SpecBinder.JsonProperties(type);

    private static bool IsDictionary(Type t, out Type? valueType)
    {
        valueType = null;
        if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(Dictionary<,>)) return false;
        valueType = t.GetGenericArguments()[1];
        return true;
    }

    private static bool IsList(Type t, out Type? itemType)
    {
        itemType = null;
        if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(List<>)) return false;
        itemType = t.GetGenericArguments()[0];
        return true;
    }
}
