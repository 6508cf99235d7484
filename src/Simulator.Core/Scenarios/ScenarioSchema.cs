using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>JSON conventions of the scenario format, shared by scenario.json and the schema.</summary>
public static class ScenarioJson
{
    /// <summary>camelCase, nulls omitted, indented, Chinese left readable, '\n' line ends.</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}

/// <summary>
/// The JSON Schema (draft 2020-12) of scenario files, generated from the spec classes and their attributes
/// (the same ones the binder enforces), so it cannot drift from what the program accepts.
/// </summary>
public static class ScenarioSchema
{
    /// <summary>The schema as indented JSON text.</summary>
    public static string Generate()
    {
        var exporterOptions = new JsonSchemaExporterOptions { TransformSchemaNode = Transform };
        var schema = ScenarioJson.SerializerOptions.GetJsonSchemaAsNode(typeof(ScenarioSpec), exporterOptions).AsObject();
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "Simulator scenario",
            ["description"] = "A scenario of government-guided venture funds under loss-tolerance rules. Comments and trailing commas are accepted.",
        };
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            root[key] = value;
        }
        return root.ToJsonString(ScenarioJson.SerializerOptions) + "\n";
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var type = context.TypeInfo.Type;
        var attributes = context.PropertyInfo?.AttributeProvider;
        if (type == typeof(DistributionSpec)) node = DistributionSchema();
        else if (type == typeof(SuccessSpec)) node = new JsonObject { ["anyOf"] = new JsonArray(node, DistributionSchema()) };
        if (node is not JsonObject obj) return node;

        // Value types are declared nullable only to tell "absent" from "given"; null itself is not allowed.
        if (obj["type"] is JsonArray types)
        {
            var nonNull = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            obj["type"] = nonNull.Count == 1 ? nonNull[0] : new JsonArray(nonNull.Select(t => (JsonNode)t).ToArray());
        }
        if (obj["enum"] is JsonArray values)
        {
            var nonNull = values.Where(v => v is not null).Select(v => v!.DeepClone()).ToArray();
            obj["enum"] = new JsonArray(nonNull);
        }
        if (context.PropertyInfo is null && type.IsClass && type.Assembly == typeof(ScenarioSpec).Assembly && obj["properties"] is JsonObject)
        {
            obj["additionalProperties"] = false;
            var required = type.GetProperties()
                .Where(p => p.GetCustomAttribute<RequiredAttribute>() is not null)
                .Select(p => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();
            if (required.Length > 0) obj["required"] = new JsonArray(required);
        }
        if (attributes is not null)
        {
            if (Attribute<DescriptionAttribute>(attributes) is { } d) obj["description"] = d.Description;
            if (Attribute<RangeAttribute>(attributes) is { } r) AddRange(obj, r);
            // JSON Schema patterns are ECMA-262, where \z is no anchor but '$' already matches only at the very end.
            if (Attribute<RegularExpressionAttribute>(attributes) is { } re) obj["pattern"] = re.Pattern.Replace(@"\z", "$", StringComparison.Ordinal);
            if (Attribute<MaxLengthAttribute>(attributes) is { } length) obj[obj["type"]?.ToString() == "string" ? "maxLength" : obj["type"]?.ToString() == "object" ? "maxProperties" : "maxItems"] = length.Length;
        }
        return obj;
    }

    private static T? Attribute<T>(ICustomAttributeProvider provider) where T : Attribute =>
        provider.GetCustomAttributes(typeof(T), true).OfType<T>().FirstOrDefault();

    private static void AddRange(JsonObject obj, RangeAttribute r)
    {
        double min = Convert.ToDouble(r.Minimum, CultureInfo.InvariantCulture), max = Convert.ToDouble(r.Maximum, CultureInfo.InvariantCulture);
        obj[r.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = min;
        if (max < 1e18) obj[r.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = max; // not the seed's long.MaxValue
    }

    private static JsonObject DistributionSchema()
    {
        // Beside any kind's key: draws above it become it (check.cap, a limit on a single project's investment).
        static JsonObject Cap() => new() { ["type"] = "number", ["exclusiveMinimum"] = 0, ["maximum"] = 1e15, ["description"] = "Upper cap on the draws: min(x, cap)." };
        static JsonObject Two(string key, string a, string b, string description) => new()
        {
            ["type"] = "object",
            ["description"] = description,
            ["properties"] = new JsonObject
            {
                [key] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { [a] = new JsonObject { ["type"] = "number" }, [b] = new JsonObject { ["type"] = "number" } },
                    ["required"] = new JsonArray(a, b),
                    ["additionalProperties"] = false,
                },
                ["cap"] = Cap(),
            },
            ["required"] = new JsonArray(key),
            ["additionalProperties"] = false,
        };
        return new JsonObject
        {
            ["description"] = "A number (fixed) or one distribution.",
            ["oneOf"] = new JsonArray(
                new JsonObject { ["type"] = "number" },
                new JsonObject
                {
                    ["type"] = "object", ["description"] = "A constant.",
                    ["properties"] = new JsonObject { ["fixed"] = new JsonObject { ["type"] = "number" }, ["cap"] = Cap() },
                    ["required"] = new JsonArray("fixed"), ["additionalProperties"] = false,
                },
                new JsonObject
                {
                    ["type"] = "object", ["description"] = "Uniform on [a, b].",
                    ["properties"] = new JsonObject
                    {
                        ["uniform"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 2, ["maxItems"] = 2 },
                        ["cap"] = Cap(),
                    },
                    ["required"] = new JsonArray("uniform"), ["additionalProperties"] = false,
                },
                Two("lognormal", "median", "sigma", "Lognormal: median · exp(sigma · N(0,1))."),
                Two("pareto", "min", "alpha", "Pareto: P(X > x) = (min/x)^alpha."),
                Two("beta", "mean", "sd", "Beta on [0, 1] by mean and standard deviation."),
                new JsonObject
                {
                    ["type"] = "object", ["description"] = "Discrete: [value, probability] pairs, probabilities summing to 1.",
                    ["properties"] = new JsonObject
                    {
                        ["table"] = new JsonObject
                        {
                            ["type"] = "array", ["minItems"] = 1,
                            ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number" }, ["minItems"] = 2, ["maxItems"] = 2 },
                        },
                        ["cap"] = Cap(),
                    },
                    ["required"] = new JsonArray("table"), ["additionalProperties"] = false,
                }),
        };
    }
}
