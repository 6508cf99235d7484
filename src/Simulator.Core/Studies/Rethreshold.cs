using System.Text.Json.Nodes;
using Simulator.Core.Engine;
using Simulator.Core.Format;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Studies;

/// <summary>
/// Keeps every row of a run in memory, block by block as the engine delivered them, for variants that only change
/// thresholds (<see cref="Rethreshold"/>). Stops keeping them, and keeps none, once they would pass
/// <see cref="MaxBytes"/>.
/// </summary>
internal sealed class RowStore : ITrialSink
{
    /// <summary>The most memory the rows may take (256 MiB: 100,000 trials of 300 columns, or a million of 30).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private long _values;

    /// <summary>The rows, in trial order, as the engine delivered them (the blocks the accumulator added).</summary>
    public List<double[]> Blocks { get; } = [];

    /// <summary>Values per row.</summary>
    public int Columns { get; private set; }

    /// <summary>Whether the rows passed <see cref="MaxBytes"/> (then none are kept).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Whether a run of <paramref name="trials"/> trials of <paramref name="scenario"/> fits.</summary>
    public static bool Fits(Scenario scenario, long trials) => trials * new TrialLayout(scenario).Count * sizeof(double) <= MaxBytes;

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        Columns = layout.Count;
        Blocks.Clear();
        Overflowed = false;
        _values = 0;
    }

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        if (Overflowed) return;
        _values += rows.Length;
        if (_values * sizeof(double) > MaxBytes)
        {
            Overflowed = true;
            Blocks.Clear();
            return;
        }
        Blocks.Add(rows.ToArray());
    }

    /// <inheritdoc />
    public void Complete() { }
}

/// <summary>
/// The exact shortcut for variants that only move thresholds (a fund's tolerance): such a variant's trials are the
/// base's, and only the columns the thresholds decide differ, so its rows are the base's rewritten by each instrument
/// (<see cref="IRethresholdable"/>) and handed to the sinks and the statistics in the same blocks, in the same order, as
/// the engine would: the same bytes in every result file, without a new trial.
/// </summary>
internal static class Rethreshold
{
    // Fields no variant changes (the study's own) or that do not change trials (the stamp).
    private static readonly string[] Ignored = ["programVersion", "simulation", "variants", "sweep", "sensitivity"];

    /// <summary>
    /// How to rewrite a base row of <paramref name="baseScenario"/> into one of <paramref name="variant"/>, or null when
    /// the variant changes anything but thresholds (then it must run its own trials).
    /// </summary>
    public static Action<Span<double>>? For(Scenario baseScenario, Scenario variant)
    {
        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        var fields = kinds.SelectMany(k => k.Format.ThresholdFields).ToList();
        if (fields.Count == 0) return null;
        if (!JsonNode.DeepEquals(Strip(baseScenario.FilledJson, fields), Strip(variant.FilledJson, fields))) return null;

        var layout = new TrialLayout(variant);
        var baseInstruments = baseScenario.Instruments();
        var rewrites = new List<(IRethresholdable Base, IInstrument Variant, InstrumentBinding Binding)>();
        for (int i = 0; i < baseInstruments.Count; i++)
        {
            bool hasThresholds = kinds.Any(k => k.Format.Kind == baseInstruments[i].Kind && k.Format.ThresholdFields.Count > 0);
            if (!hasThresholds) continue; // every field of the kind compared equal: its columns are the base's
            if (baseInstruments[i] is not IRethresholdable r || !r.CanRethreshold(layout.Instruments[i])) return null;
            rewrites.Add((r, layout.Instruments[i], layout.Bindings[i]));
        }
        return row =>
        {
            foreach (var (r, v, binding) in rewrites) r.Rethreshold(v, binding, row);
        };
    }

    /// <summary>
    /// Runs <paramref name="variant"/> from the base's <paramref name="rows"/>: each block rewritten by
    /// <paramref name="rewrite"/>, then handed to the sinks and the statistics as <see cref="SimulationEngine.Run"/> would.
    /// </summary>
    public static SimulationResult Run(Scenario variant, RowStore rows, Action<Span<double>> rewrite, RunOptions options, IReadOnlyList<ITrialSink> sinks,
        CancellationToken cancellation)
    {
        var layout = new TrialLayout(variant);
        int columns = layout.Count;
        using var accumulator = new ResultAccumulator(variant, layout, options.Memory ?? SeriesBudget.Default);
        foreach (var sink in sinks) sink.Begin(layout);
        long first = 1;
        foreach (var block in rows.Blocks)
        {
            cancellation.ThrowIfCancellationRequested();
            var copy = (double[])block.Clone();
            for (int at = 0; at < copy.Length; at += columns) rewrite(copy.AsSpan(at, columns));
            foreach (var sink in sinks) sink.Write(first, copy, columns);
            accumulator.Add(copy, columns);
            first += copy.Length / columns;
            options.Progress?.Report(first - 1);
        }
        foreach (var sink in sinks) sink.Complete();
        var result = accumulator.Summarize();
        // As the engine reports a run under a given shift: no pilot of its own.
        if (variant.ImportanceSampling is { Shift: { } applied } sampling)
        {
            var byName = variant.Economy.Factors.Select((f, k) => (f.Name, applied[k])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal);
            result = result with { ImportanceSampling = new ImportanceSamplingReport(byName, accumulator.EffectiveSampleSize(), sampling.Automatic, []) };
        }
        return result;
    }

    private static JsonNode Strip(string filledJson, IReadOnlyList<string> fields)
    {
        var root = JsonNode.Parse(filledJson)!.AsObject();
        foreach (var name in Ignored) root.Remove(name);
        foreach (var field in fields) Remove(root, field.Split('.'), 0);
        return root;
    }

    /// <summary>Removes the field at <paramref name="parts"/> (<c>[*]</c>: in every item of the list).</summary>
    private static void Remove(JsonNode? node, string[] parts, int at)
    {
        if (node is not JsonObject obj) return;
        string part = parts[at];
        bool each = part.EndsWith("[*]", StringComparison.Ordinal);
        string name = each ? part[..^3] : part;
        if (at == parts.Length - 1 && !each)
        {
            obj.Remove(name);
            return;
        }
        if (!each)
        {
            Remove(obj[name], parts, at + 1);
            return;
        }
        if (obj[name] is not JsonArray items) return;
        foreach (var item in items)
        {
            if (at == parts.Length - 1) continue; // "[*]" alone would remove items; a threshold is a field of them
            Remove(item, parts, at + 1);
        }
    }
}
