using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Core.Distributions;

namespace Simulator.Core.Format;

/// <summary>Kinds of distribution of the format.</summary>
public enum DistributionKind
{
    /// <summary>A constant (also written as a plain number).</summary>
    Fixed,
    /// <summary>Uniform on [a, b].</summary>
    Uniform,
    /// <summary>Lognormal by median and sigma.</summary>
    LogNormal,
    /// <summary>Pareto by min and alpha.</summary>
    Pareto,
    /// <summary>Beta by mean and sd.</summary>
    Beta,
    /// <summary>Discrete table of [value, probability].</summary>
    Table,
}

/// <summary>
/// A distribution as written in a scenario file: a plain number, or an object with exactly one of
/// <c>fixed</c>, <c>uniform</c>, <c>lognormal</c>, <c>pareto</c>, <c>beta</c>, <c>table</c>.
/// </summary>
[JsonConverter(typeof(DistributionSpecJsonConverter))]
public sealed record DistributionSpec(DistributionKind Kind, IReadOnlyList<double> Parameters, IReadOnlyList<(double Value, double Probability)>? Table = null)
{
    /// <summary>The JSON keys of the kinds, in the order of <see cref="DistributionKind"/>.</summary>
    public static readonly IReadOnlyList<string> Keys = ["fixed", "uniform", "lognormal", "pareto", "beta", "table"];

    /// <summary>A constant.</summary>
    public static DistributionSpec Fixed(double x) => new(DistributionKind.Fixed, [x]);

    /// <summary>An upper cap on the draws, min(x, cap) (written <c>"cap"</c> beside the kind's key; null: none).</summary>
    public double? Cap { get; init; }

    /// <summary>Builds the runtime distribution (parameters must have been validated), capped when <see cref="Cap"/> is set.</summary>
    public Distribution Build()
    {
        var law = BuildUncapped();
        if (Cap is not { } cap) return law;
        return law is FixedDistribution f ? new FixedDistribution(Math.Min(f.Value, cap)) : new CappedDistribution(law, cap);
    }

    private Distribution BuildUncapped() => Kind switch
    {
        DistributionKind.Fixed => new FixedDistribution(Parameters[0]),
        DistributionKind.Uniform => new UniformDistribution(Parameters[0], Parameters[1]),
        DistributionKind.LogNormal => new LogNormalDistribution(Parameters[0], Parameters[1]),
        DistributionKind.Pareto => new ParetoDistribution(Parameters[0], Parameters[1]),
        DistributionKind.Beta => Beta(Parameters[0], Parameters[1]),
        DistributionKind.Table => new TableDistribution(Table!),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    // Tabulating a beta quantile function takes about 0.1 s, and a file builds the same few laws again for each of its
    // (up to 1,000) variants, in validation and in the scenario: each law is tabulated once. The law is immutable and
    // depends only on its parameters, so sharing it changes no result.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Mean, double Sd), BetaDistribution> Betas = new();

    private static BetaDistribution Beta(double mean, double sd)
    {
        if (Betas.TryGetValue((mean, sd), out var known)) return known;
        if (Betas.Count >= 256) Betas.Clear(); // a bound on the memory (about 80 KB a law), far above what one batch uses
        return Betas.GetOrAdd((mean, sd), key => new BetaDistribution(key.Mean, key.Sd));
    }

    /// <summary>Equality by value (records compare lists by reference).</summary>
    public bool Equals(DistributionSpec? other) =>
        other is not null && Kind == other.Kind && Cap == other.Cap && Parameters.SequenceEqual(other.Parameters)
        && (Table ?? []).SequenceEqual(other.Table ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Parameters.Count > 0 ? Parameters[0] : 0);
}

/// <summary>Writes a <see cref="DistributionSpec"/> in the format's canonical form (plain number when fixed).</summary>
public sealed class DistributionSpecJsonConverter : JsonConverter<DistributionSpec>
{
    /// <inheritdoc />
    public override DistributionSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Scenario files are read by ScenarioLoader, which reports every error with its path.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DistributionSpec value, JsonSerializerOptions options)
    {
        var p = value.Parameters;
        switch (value.Kind)
        {
            case DistributionKind.Fixed when value.Cap is null:
                writer.WriteNumberValue(p[0]);
                return;
            case DistributionKind.Fixed:
                writer.WriteStartObject();
                writer.WriteNumber("fixed", p[0]);
                WriteCap(writer, value);
                writer.WriteEndObject();
                return;
            case DistributionKind.Uniform:
                writer.WriteStartObject();
                writer.WriteStartArray("uniform");
                writer.WriteNumberValue(p[0]);
                writer.WriteNumberValue(p[1]);
                writer.WriteEndArray();
                WriteCap(writer, value);
                writer.WriteEndObject();
                return;
            case DistributionKind.Table:
                writer.WriteStartObject();
                writer.WriteStartArray("table");
                foreach (var (v, q) in value.Table!)
                {
                    writer.WriteStartArray();
                    writer.WriteNumberValue(v);
                    writer.WriteNumberValue(q);
                    writer.WriteEndArray();
                }
                writer.WriteEndArray();
                WriteCap(writer, value);
                writer.WriteEndObject();
                return;
        }
        var (key, a, b) = value.Kind switch
        {
            DistributionKind.LogNormal => ("lognormal", "median", "sigma"),
            DistributionKind.Pareto => ("pareto", "min", "alpha"),
            _ => ("beta", "mean", "sd"),
        };
        writer.WriteStartObject();
        writer.WriteStartObject(key);
        writer.WriteNumber(a, p[0]);
        writer.WriteNumber(b, p[1]);
        writer.WriteEndObject();
        WriteCap(writer, value);
        writer.WriteEndObject();
    }

    private static void WriteCap(Utf8JsonWriter writer, DistributionSpec value)
    {
        if (value.Cap is { } cap) writer.WriteNumber("cap", cap);
    }
}
