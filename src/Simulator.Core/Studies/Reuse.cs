using System.Text.Json.Nodes;
using Simulator.Core.Engine;
using Simulator.Core.Format;
using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Studies;

/// <summary>
/// Keeps every row of a run in memory, block by block as the engine delivered them, for variants that only change
/// thresholds or leave instruments untouched (<see cref="Reuse"/>). Stops keeping them, and keeps none, once they would pass
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

    /// <summary>The memory the rows kept take.</summary>
    public long Bytes => Overflowed ? 0 : _values * sizeof(double);

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

/// <summary>What a variant does to one instrument of its base.</summary>
internal enum ReuseStep
{
    /// <summary>None of the fields it reads changed: its columns and its results are the base's.</summary>
    Keep,
    /// <summary>Only its threshold fields changed: its columns are the base's, rewritten (<see cref="IRethresholdable"/>).</summary>
    Rethreshold,
    /// <summary>Its model changed (or that of an instrument whose outputs it reads): it is evaluated again.</summary>
    Evaluate,
    /// <summary>Only its replay fields changed (and its thresholds): its columns are written again from the events the base
    /// recorded, settled under the variant's settings (<see cref="IReplayable"/>); trials the recording cannot serve are
    /// evaluated anew.</summary>
    Replay,
}

/// <summary>
/// The exact shortcuts of a variant whose trials are its base's (common random numbers, the same trials and shift):
/// an instrument none of whose fields changed keeps the base's columns in each row and the base's results, an instrument
/// whose threshold fields alone changed rewrites its columns of the base's rows (a fund's tolerance), and only the
/// instruments whose model changed — with those that read their outputs — are evaluated again, on the base's rows. The
/// rows then go to the sinks and the statistics in the same blocks and order as the engine's, so every result file is
/// the one a run of new trials writes, to the last bit, at the cost of the changed instruments alone.
/// </summary>
/// <remarks>
/// Which fields an instrument reads is declared by its kind's format: its own list, <see cref="IInstrumentFormat.SharedFields"/>
/// and every field no kind may declare (<see cref="BuildContext.DeclarableFields"/>); a variant that changes one of the
/// latter (factors, stresses, the report's thresholds, the horizon) runs anew. Nothing here names a kind.
/// </remarks>
internal sealed class Reuse
{
    // Fields no variant changes (the study's own) or that do not change trials (the stamp).
    private static readonly string[] Ignored = ["programVersion", "simulation", "variants", "sweep", "sensitivity", "solve"];

    // Recorded: whether the rewrite judges values the base recorded (a direct programme's project losses).
    private readonly IReadOnlyList<(int Index, IRethresholdable Base, IInstrument Variant, InstrumentBinding Binding, bool Recorded)> _rewrites;
    private readonly IReadOnlyList<(int Index, IReplayable Base, IInstrument Variant, InstrumentBinding Binding)> _replays;

    private Reuse(IReadOnlyList<ReuseStep> steps, IReadOnlyList<bool> evaluated, IReadOnlyList<(int, IRethresholdable, IInstrument, InstrumentBinding, bool)> rewrites,
        IReadOnlyList<(int, IReplayable, IInstrument, InstrumentBinding)> replays)
    {
        Steps = steps;
        Evaluated = evaluated;
        _rewrites = rewrites;
        _replays = replays;
    }

    /// <summary>Per instrument of the scenario (in its order), what the variant does to it.</summary>
    public IReadOnlyList<ReuseStep> Steps { get; }

    /// <summary>Per instrument, whether it is evaluated: those whose model changed, and those whose outputs they read
    /// (evaluated again for their outputs; their columns come out as the base's).</summary>
    public IReadOnlyList<bool> Evaluated { get; }

    /// <summary>Whether any instrument is evaluated (otherwise the rows are the base's, at most rewritten).</summary>
    public bool Evaluates => Evaluated.Any(e => e);

    /// <summary>Whether some instrument replays the base's recording (<see cref="ReuseStep.Replay"/>).</summary>
    public bool Replays => _replays.Count > 0;

    /// <summary>Whether the variant needs the base's recording (<see cref="RunRecording"/>): it replays an instrument, or
    /// rewrites one from values only the recording keeps (a direct programme's tolerance).</summary>
    public bool UsesRecording => Replays || _rewrites.Any(r => r.Recorded);

    /// <summary>
    /// What <paramref name="variant"/> can take from the rows and results of <paramref name="baseScenario"/>, or null
    /// when it must run every instrument on new trials: it changes a field every instrument reads, or its rows would not
    /// have the base's columns, or every instrument changed. With <paramref name="recorded"/> (the base recorded its
    /// recordable instruments' trials, <see cref="RunRecording"/>), an instrument whose replay fields alone changed is
    /// replayed rather than evaluated, and one whose thresholds act on recorded values (a direct programme's per-project
    /// tolerance) is rewritten rather than evaluated.
    /// </summary>
    public static Reuse? For(Scenario baseScenario, Scenario variant, bool recorded = false)
    {
        var kinds = InstrumentKinds.Of(typeof(ScenarioSpec));
        var baseInstruments = baseScenario.Instruments();
        var variantInstruments = variant.Instruments();
        if (baseInstruments.Count != kinds.Count || variantInstruments.Count != kinds.Count) return null;
        for (int i = 0; i < kinds.Count; i++)
            if (baseInstruments[i].Kind != kinds[i].Format.Kind || variantInstruments[i].Kind != kinds[i].Format.Kind) return null;
        // The economy every instrument reads: its factors and stresses are compared as fields below; its length follows
        // the instruments' horizons.
        if (baseScenario.Economy.Years != variant.Economy.Years || baseScenario.HorizonYears != variant.HorizonYears) return null;

        var a = Root(baseScenario.FilledJson);
        var b = Root(variant.FilledJson);
        var own = kinds.Select(k => k.Format.Field).ToHashSet(StringComparer.Ordinal);
        var declarable = BuildContext.DeclarableFields;
        foreach (var field in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Where(f => !own.Contains(f) && !declarable.Contains(f)))
            if (!JsonNode.DeepEquals(a[field], b[field])) return null;

        var layout = new TrialLayout(variant);
        if (!layout.Columns.SequenceEqual(new TrialLayout(baseScenario).Columns, StringComparer.Ordinal)) return null;

        var steps = new ReuseStep[kinds.Count];
        for (int i = 0; i < kinds.Count; i++)
        {
            var format = kinds[i].Format;
            string[] fields = [format.Field, .. format.SharedFields ?? declarable, .. format.ItemFields];
            JsonObject sectionA = Section(a, fields), sectionB = Section(b, fields);
            if (JsonNode.DeepEquals(sectionA, sectionB)) steps[i] = ReuseStep.Keep;
            else if (format.ThresholdFields.Count > 0 && JsonNode.DeepEquals(Strip(sectionA, format.ThresholdFields), Strip(sectionB, format.ThresholdFields))
                && baseInstruments[i] is IRethresholdable r && r.CanRethreshold(layout.Instruments[i], recorded)) steps[i] = ReuseStep.Rethreshold;
            else if (recorded && format.ReplayFields.Count > 0
                && JsonNode.DeepEquals(Strip(sectionA, [.. format.ReplayFields, .. format.ThresholdFields]), Strip(sectionB, [.. format.ReplayFields, .. format.ThresholdFields]))
                && baseInstruments[i] is IReplayable p && p.CanReplay(layout.Instruments[i])
                // A replayed instrument is written alone, after the evaluated ones: it reads no outputs and none of its are read.
                && variantInstruments[i].Reads.Count == 0 && !variantInstruments.Any(v => v.Reads.Intersect(variantInstruments[i].Outputs.Select(o => o.Name)).Any()))
                steps[i] = ReuseStep.Replay;
            else steps[i] = ReuseStep.Evaluate;
            // A kind with no items in either (no relay, no floor) has no columns, outputs or reads: evaluating it would
            // only draw each trial's factor paths for nothing, although its section (which holds the funds it could
            // read) moved.
            if (baseInstruments[i].Items.Count == 0 && variantInstruments[i].Items.Count == 0) steps[i] = ReuseStep.Keep;
        }

        // Readers of a changed instrument's outputs change with it (thresholds decide columns, never outputs); the
        // instruments whose outputs an evaluated one reads are evaluated too, for their outputs.
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < kinds.Count; i++)
            foreach (var output in variantInstruments[i].Outputs) owner[output.Name] = i;
        var evaluated = new bool[kinds.Count];
        for (bool grew = true; grew;)
        {
            grew = false;
            for (int i = 0; i < kinds.Count; i++)
            {
                if (steps[i] == ReuseStep.Evaluate) evaluated[i] = true;
                if (steps[i] != ReuseStep.Evaluate && variantInstruments[i].Reads.Any(r => owner.TryGetValue(r, out int j) && steps[j] == ReuseStep.Evaluate))
                {
                    steps[i] = ReuseStep.Evaluate;
                    grew = true;
                }
                if (!evaluated[i]) continue;
                foreach (var r in variantInstruments[i].Reads)
                {
                    if (owner.TryGetValue(r, out int j) && !evaluated[j])
                    {
                        evaluated[j] = true;
                        grew = true;
                    }
                }
            }
        }
        if (evaluated.All(e => e)) return null;
        var rewrites = Enumerable.Range(0, kinds.Count).Where(i => steps[i] == ReuseStep.Rethreshold && !evaluated[i])
            .Select(i => (i, (IRethresholdable)baseInstruments[i], layout.Instruments[i], layout.Bindings[i],
                !((IRethresholdable)baseInstruments[i]).CanRethreshold(layout.Instruments[i], recorded: false))).ToList();
        var replays = Enumerable.Range(0, kinds.Count).Where(i => steps[i] == ReuseStep.Replay)
            .Select(i => (i, (IReplayable)baseInstruments[i], layout.Instruments[i], layout.Bindings[i])).ToList();
        return new Reuse(steps, evaluated, rewrites, replays);
    }

    /// <summary>
    /// Runs <paramref name="variant"/> from the base's <paramref name="rows"/> and results (<paramref name="baseResult"/>):
    /// each block of rows copied, its changed instruments evaluated on all cores, its thresholds rewritten, then handed
    /// to the sinks and the statistics as <see cref="SimulationEngine.Run"/> would (with nothing to evaluate, a few rows
    /// at a time, and the key figures' capture keeps only what differs from the base's); the kept instruments' results
    /// are the base's. Replayed instruments settle the events the base recorded, and rewrites that need them judge the values
    /// it recorded (<paramref name="recording"/>, required when <see cref="UsesRecording"/>).
    /// </summary>
    public SimulationResult Run(Scenario variant, RowStore rows, SimulationResult baseResult, RunOptions options, IReadOnlyList<ITrialSink> sinks,
        CancellationToken cancellation, RunRecording? recording = null)
    {
        var layout = new TrialLayout(variant);
        int columns = layout.Count;
        // A base stopped by a precision target summarised a run sized for more trials: its results are recomputed.
        var reused = baseResult.Trials == baseResult.Scenario.Trials
            ? Steps.Select((s, i) => s == ReuseStep.Keep ? baseResult.Instruments[i] : null).ToList()
            : null;
        using var accumulator = new ResultAccumulator(variant, layout, options.Memory ?? SeriesBudget.Default, reused);
        var evaluator = Evaluates ? new TrialEvaluator(variant, layout, Evaluated) : null;
        if (UsesRecording && recording is not { Usable: true }) throw new InvalidOperationException("this variant needs the base's recording");
        var rewrites = _rewrites.ToArray();
        // Per rewrite, the recording it judges (null: it needs none, and is given an empty span).
        var recorded = _rewrites.Select(r => r.Recorded ? recording!.Instruments[r.Index] ?? throw new InvalidOperationException("the base recorded nothing for a rewrite that needs it") : null).ToArray();
        var replayers = _replays.Select(r => r.Base.CreateReplayer(r.Variant, r.Binding, recording!.Instruments[r.Index]!)).ToArray();
        var work = evaluator is null && replayers.Length == 0 ? null : new Work(variant, evaluator, replayers);
        foreach (var sink in sinks) sink.Begin(layout);
        int threads = options.EffectiveThreads;
        // Blocks evaluated at a time on all cores, as the engine's batches (Pipeline).
        int perBatch = Math.Max(1, threads * 4);
        // Per column, whether it is known to hold the base's values: the columns of the instruments kept as they were. A
        // sink that keeps what differs from the base (the key figures' capture) need not look at them.
        var kept = new bool[columns];
        for (int i = 0; i < Steps.Count; i++)
        {
            if (Steps[i] != ReuseStep.Keep || Evaluated[i]) continue;
            var binding = layout.Bindings[i];
            int own = layout.Instruments[i].Columns.Count;
            for (int c = 0; c < own; c++) kept[binding.Column(c)] = true;
        }
        // Rewrites the thresholds of rows (trials from trial; base: the base's same rows), then hands them to the sinks and
        // the statistics.
        void Deliver(long trial, Span<double> rows, ReadOnlySpan<double> baseRows)
        {
            if (rewrites.Length > 0)
            {
                long at = trial;
                for (int row = 0; row < rows.Length; row += columns, at++)
                {
                    for (int k = 0; k < rewrites.Length; k++)
                    {
                        var (_, r, v, binding, _) = rewrites[k];
                        r.Rethreshold(v, binding, rows.Slice(row, columns), recorded[k] is { } values ? values.Of(at) : default);
                    }
                }
            }
            foreach (var sink in sinks)
            {
                if (sink is IReusedRowsSink reusing) reusing.Write(trial, rows, baseRows, columns, kept);
                else sink.Write(trial, rows, columns);
            }
            accumulator.Add(rows, columns);
        }

        // Without instruments to evaluate or replay, and with sinks that take the base's rows beside the variant's (the key
        // figures' capture), a block is not copied whole: a few rows at a time are copied into a small buffer that stays
        // in the cache, rewritten there and handed on, on this thread (it would have nothing else to do while another
        // delivered them, and waiting took CPU). Copying every block of 100,000 trials into buffers (140 MB for
        // wuhan-relay-floor) took longer than delivering them. Sinks that write files get the engine's blocks.
        if (work is null && sinks.All(s => s is IReusedRowsSink))
        {
            var small = new double[RowsInCache * columns];
            long trial = 1;
            foreach (var original in rows.Blocks)
            {
                cancellation.ThrowIfCancellationRequested();
                for (int from = 0; from < original.Length; from += small.Length)
                {
                    var part = original.AsSpan(from, Math.Min(small.Length, original.Length - from));
                    var copy = small.AsSpan(0, part.Length);
                    part.CopyTo(copy);
                    Deliver(trial, copy, part);
                    trial += part.Length / columns;
                }
                options.Progress?.Report(trial - 1);
            }
        }
        else Pipeline(rows, columns, perBatch, work, threads, Deliver, options.Progress, cancellation);
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

    /// <summary>Rewrites, then hands to the sinks and the statistics, rows of trials from <paramref name="trial"/>
    /// (<paramref name="baseRows"/>: the base's same rows).</summary>
    private delegate void Delivery(long trial, Span<double> rows, ReadOnlySpan<double> baseRows);

    /// <summary>
    /// Copies the base's rows a few blocks at a time, evaluates (or replays) the changed instruments on all cores, and
    /// delivers each batch in trial order on another thread while the cores fill the next batch, as the engine's pipeline
    /// does: delivered on this thread between batches, the rows' statistics and sinks (serial) left the second core idle
    /// for about a fifth of a replayed move.
    /// </summary>
    private static void Pipeline(RowStore rows, int columns, int perBatch, Work? work, int threads, Delivery deliver, IProgress<long>? progress,
        CancellationToken cancellation)
    {
        var buffers = Enumerable.Range(0, Depth).Select(_ => Enumerable.Range(0, perBatch).Select(_ => Array.Empty<double>()).ToArray()).ToArray();
        var deliveries = new DeliveryChain(Depth);
        try
        {
            long first = 1;
            for (int at = 0, k = 0; at < rows.Blocks.Count; at += perBatch, k++)
            {
                cancellation.ThrowIfCancellationRequested();
                int slot = k % Depth;
                deliveries.WaitFor(slot);
                var set = buffers[slot];
                var batch = new Memory<double>[Math.Min(perBatch, rows.Blocks.Count - at)];
                var originals = new double[batch.Length][];
                for (int j = 0; j < batch.Length; j++)
                {
                    // Copied into buffers of the run, not new arrays: a block is a third of a megabyte (the large-object
                    // heap), and allocating every block of 100,000 trials anew cost a gen-2 collection after another.
                    var block = originals[j] = rows.Blocks[at + j];
                    if (set[j].Length < block.Length) set[j] = new double[block.Length];
                    block.CopyTo(set[j], 0);
                    batch[j] = set[j].AsMemory(0, block.Length);
                }
                long start = first;
                foreach (var memory in batch) first += memory.Length / columns;
                if (work is not null) Evaluate(work, batch, start, columns, threads, cancellation);
                long delivered = first - 1;
                // Delivered in trial order, after every batch before it.
                deliveries.Queue(slot, () =>
                {
                    long trial = start;
                    for (int j = 0; j < batch.Length; j++)
                    {
                        deliver(trial, batch[j].Span, originals[j]);
                        trial += originals[j].Length / columns;
                    }
                    progress?.Report(delivered);
                });
            }
            deliveries.Complete();
        }
        finally
        {
            deliveries.Drain();
        }
    }

    // Rows evaluated by a worker at a time.
    private const int PieceSize = 128;

    // Rows copied and delivered at a time when a block is not copied whole: a multiple of the statistics' own group of
    // rows (ResultAccumulator), small enough to stay in the second-level cache (64 rows of 175 columns: 90 KB).
    private const int RowsInCache = 64;

    // Batches in flight: three sets of buffers, as the engine's pipeline, so the cores need not wait for the delivery of
    // the batch just before theirs.
    private const int Depth = 3;

    /// <summary>The changed instruments of a variant: those evaluated again, and those replayed.</summary>
    private sealed class Work(Scenario variant, TrialEvaluator? evaluator, IReplayer[] replayers)
    {
        private readonly StreamKey _key = StreamKey.For(variant.Seed, variant.Name);

        public (TrialEvaluator.Scratch? Evaluator, object[] Replayers, TrialPaths Paths) CreateScratch() =>
            (evaluator?.CreateScratch(), replayers.Select(r => r.CreateScratch()).ToArray(),
             new TrialPaths(new Economy.FactorPaths(variant.Economy, variant.Trials), _key, variant.ImportanceSampling?.Shift, variant.ImportanceSampling?.ShiftYears ?? 0));

        public void Evaluate(long trial, Span<double> row, (TrialEvaluator.Scratch? Evaluator, object[] Replayers, TrialPaths Paths) scratch)
        {
            evaluator?.Evaluate(trial, row, scratch.Evaluator!);
            for (int r = 0; r < replayers.Length; r++) replayers[r].Replay(_key, trial, scratch.Paths, row, scratch.Replayers[r]);
        }
    }

    /// <summary>Evaluates (or replays) the changed instruments into the rows of <paramref name="batch"/> (trials from <paramref name="first"/>).</summary>
    private static void Evaluate(Work evaluator, Memory<double>[] batch, long first, int columns, int threads, CancellationToken cancellation)
    {
        var starts = new long[batch.Length];
        var pieces = new List<(int Block, int Row, int Count)>();
        long trial = first;
        for (int b = 0; b < batch.Length; b++)
        {
            starts[b] = trial;
            int count = batch[b].Length / columns;
            for (int r = 0; r < count; r += PieceSize) pieces.Add((b, r, Math.Min(PieceSize, count - r)));
            trial += count;
        }
        Parallel.For(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation },
            evaluator.CreateScratch,
            (p, _, scratch) =>
            {
                var (b, row, count) = pieces[p];
                var block = batch[b].Span;
                for (int i = row; i < row + count; i++) evaluator.Evaluate(starts[b] + i, block.Slice(i * columns, columns), scratch);
                return scratch;
            },
            _ => { });
    }

    private static JsonObject Root(string filledJson)
    {
        var root = JsonNode.Parse(filledJson)!.AsObject();
        foreach (var name in Ignored) root.Remove(name);
        return root;
    }

    private static JsonObject Section(JsonObject root, IEnumerable<string> fields)
    {
        var section = new JsonObject();
        foreach (var field in fields)
            if (root.TryGetPropertyValue(field, out var value)) section[field] = value?.DeepClone();
        return section;
    }

    private static JsonObject Strip(JsonObject section, IReadOnlyList<string> fields)
    {
        var copy = section.DeepClone().AsObject();
        foreach (var field in fields) Remove(copy, field.Split('.'), 0);
        return copy;
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
