using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Engine;

/// <summary>Receives every trial's row, in trial order (trials.csv is one).</summary>
public interface ITrialSink
{
    /// <summary>Called once before the first row.</summary>
    void Begin(TrialLayout layout);

    /// <summary>Rows of trials <paramref name="firstTrial"/>.. (1-based), <paramref name="columns"/> values each.</summary>
    void Write(long firstTrial, ReadOnlySpan<double> rows, int columns);

    /// <summary>Called once after the last row.</summary>
    void Complete();
}

/// <summary>
/// A sink that, given a variant's rows beside the base's rows they were made from (<see cref="Studies.Reuse"/>), keeps
/// only what differs from the base and refers to the base for the rest.
/// </summary>
internal interface IReusedRowsSink : ITrialSink
{
    /// <summary>As <see cref="ITrialSink.Write"/>, with <paramref name="baseRows"/>, the base's rows of the same trials
    /// (same layout), and <paramref name="kept"/>, per column whether it is known to hold the base's values (the columns
    /// of instruments the variant keeps).</summary>
    void Write(long firstTrial, ReadOnlySpan<double> rows, ReadOnlySpan<double> baseRows, int columns, IReadOnlyList<bool> kept);
}

/// <summary>Rows computed earlier, read back in trial order (the merge of a sharded run).</summary>
public interface ITrialRows
{
    /// <summary>Called once before the first read, with the layout the rows must have.</summary>
    void Begin(TrialLayout layout);

    /// <summary>Fills <paramref name="rows"/> with the rows of trials <paramref name="firstTrial"/>.. (1-based), <paramref name="columns"/> values each; calls come in trial order.</summary>
    void Read(long firstTrial, Span<double> rows, int columns);
}

/// <summary>How to run: threads (never changes a result), progress reporting, cancellation.</summary>
/// <param name="Threads">Worker threads; 0 means all cores.</param>
/// <param name="Progress">Receives the number of trials done.</param>
public sealed record RunOptions(int Threads = 0, IProgress<long>? Progress = null)
{
    /// <summary>Memory for the per-trial series the statistics keep, and where they spill beyond it (null: <see cref="Statistics.SeriesBudget.Default"/>).</summary>
    public Statistics.SeriesBudget? Memory { get; init; }

    /// <summary>
    /// Where the rows come from instead of being evaluated (null: evaluate them): the rows of an earlier run, e.g. the
    /// shards of a sharded run, read back in trial order.
    /// </summary>
    public ITrialRows? Rows { get; init; }

    /// <summary>
    /// Asks the run to record, for each instrument that records (<see cref="IRecordable"/>), what a later variant of its
    /// trials needs (a replay, a rewrite) (null: nothing is recorded, and the evaluators are the plain ones). Studies ask for it when variants
    /// will reuse the base's trials (<c>Studies/Reuse.cs</c>).
    /// </summary>
    public RunRecording? Recording { get; init; }

    /// <summary>The effective number of threads.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}

/// <summary>
/// Owns the loop: trials are cut into fixed blocks, a batch of blocks is evaluated in parallel (each trial a
/// pure function of its index), then the batch is handed to the sinks and the accumulator strictly in trial
/// order. Results are therefore byte-identical for any thread count, and memory holds one batch of rows
/// plus what the statistics keep.
/// </summary>
public sealed class SimulationEngine
{
    /// <summary>Trials per block.</summary>
    public const int BlockSize = 1024;

    // Batches computed or being delivered at once (sets of row buffers).
    private const int PipelineDepth = 3;

    // Trials evaluated by a worker at a time, and pieces in a block.
    private const int PieceSize = 128, PiecesPerBlock = BlockSize / PieceSize;

    /// <summary>
    /// Runs a scenario. With <see cref="RunOptions.Rows"/> the rows are read from there instead of evaluated (a merge
    /// of shards): everything else — the pilot, the sinks, the statistics, where a precision target stops — is the
    /// same, so the result is the one of a run that evaluated them.
    /// </summary>
    public SimulationResult Run(Scenario scenario, RunOptions options, IReadOnlyList<ITrialSink> sinks, CancellationToken cancellation = default)
    {
        var (resolved, pilot) = ResolveSampling(scenario, options);
        scenario = resolved;
        var layout = new TrialLayout(scenario);
        using var accumulator = new ResultAccumulator(scenario, layout, options.Memory ?? Statistics.SeriesBudget.Default);
        int columns = layout.Count;
        var randomisations = scenario.Economy.Randomised ? new RandomisationFigures(scenario.Economy.SamplingName) : null;
        if (randomisations is not null) sinks = [.. sinks, randomisations];
        foreach (var sink in sinks) sink.Begin(layout);

        long n = scenario.Trials;
        var target = scenario.Precision;
        long checkEvery = target is null ? long.MaxValue : (target.CheckEvery + BlockSize - 1) / BlockSize * BlockSize;
        var history = new List<Statistics.Checkpoint>();
        bool met = false;

        // Hands one computed batch on, strictly in trial order. Checks fall at fixed trial counts and see the trials in
        // order, so where a run stops does not depend on the thread count; trials computed past the stopping point
        // (the rest of the batch, and the batch computed meanwhile) are discarded.
        void Deliver(double[][] batch, long start, int blocks)
        {
            for (int b = 0; b < blocks && !met; b++)
            {
                long first = start + (long)b * BlockSize;
                int count = (int)Math.Min(BlockSize, n - first);
                var rows = batch[b].AsSpan(0, count * columns);
                foreach (var sink in sinks) sink.Write(first + 1, rows, columns);
                accumulator.Add(rows, columns);
                long done = accumulator.Count;
                if (target is not null && (done % checkEvery == 0 || done == n))
                {
                    var checkpoint = accumulator.Checkpoint();
                    history.Add(checkpoint);
                    Volatile.Write(ref met, checkpoint.Figures.Any(f => f.Estimable)
                        && checkpoint.Figures.Where(f => f.Estimable).All(f => f.RelativeError <= target.RelativeError));
                }
            }
            options.Progress?.Report(met ? n : Math.Min(n, start + (long)blocks * BlockSize));
        }

        Pipeline(scenario, layout, 0, n, options, Deliver, () => Volatile.Read(ref met), cancellation);
        foreach (var sink in sinks) sink.Complete();
        var result = accumulator.Summarize(target is null ? null : new Statistics.PrecisionReport(target, n, met, history));
        if (scenario.ImportanceSampling is { Shift: { } applied } sampling)
        {
            var byName = scenario.Economy.Factors.Select((f, k) => (f.Name, applied[k])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal);
            result = result with { ImportanceSampling = new Statistics.ImportanceSamplingReport(byName, accumulator.EffectiveSampleSize(), sampling.Automatic, pilot) };
        }
        if (randomisations is not null) result = result with { QuasiRandom = randomisations.Report() };
        return result;
    }

    /// <summary>
    /// Evaluates only the trials of <paramref name="range"/> and hands their rows, in trial order and numbered as in the
    /// whole run, to <paramref name="sinks"/>; no statistics are kept (a shard of a run: its rows are merged later).
    /// A precision target does not stop it: it is a budget, and the merge stops where the whole run would.
    /// </summary>
    /// <returns>The scenario as run: with importance sampling, its shift chosen by the pilot (the same in every shard).</returns>
    public Scenario Evaluate(Scenario scenario, TrialRange range, RunOptions options, IReadOnlyList<ITrialSink> sinks, CancellationToken cancellation = default)
    {
        if (range.First < 1 || range.Last > scenario.Trials || range.Count < 0)
            throw new ArgumentOutOfRangeException(nameof(range), range, $"the range must lie within trials 1 to {scenario.Trials}");
        scenario = ResolveSampling(scenario, options).Scenario;
        var layout = new TrialLayout(scenario);
        int columns = layout.Count;
        foreach (var sink in sinks) sink.Begin(layout);
        long end = range.Last;
        void Deliver(double[][] batch, long start, int blocks)
        {
            for (int b = 0; b < blocks; b++)
            {
                long first = start + (long)b * BlockSize;
                int count = (int)Math.Min(BlockSize, end - first);
                foreach (var sink in sinks) sink.Write(first + 1, batch[b].AsSpan(0, count * columns), columns);
            }
            options.Progress?.Report(Math.Min(end, start + (long)blocks * BlockSize) - (range.First - 1));
        }
        Pipeline(scenario, layout, range.First - 1, end, options with { Rows = null, Recording = null }, Deliver, () => false, cancellation);
        foreach (var sink in sinks) sink.Complete();
        return scenario;
    }

    // The automatic importance-sampling shift, chosen by the pilot (deterministic: its streams derive from the seed).
    private static (Scenario Scenario, IReadOnlyList<(double Scale, double Score)> Pilot) ResolveSampling(Scenario scenario, RunOptions options)
    {
        if (scenario.ImportanceSampling is not { Shift: null } automatic) return (scenario, []);
        var (shift, scores) = ImportanceSamplingPilot.Choose(scenario, options.EffectiveThreads);
        return (scenario with { ImportanceSampling = automatic with { Shift = shift } }, scores);
    }

    /// <summary>
    /// Fills batches of rows of trials <paramref name="from"/>+1 … <paramref name="to"/> (evaluated on all cores, or read
    /// from <see cref="RunOptions.Rows"/>) and hands each to <paramref name="deliver"/> in order on another thread.
    /// </summary>
    private static void Pipeline(Scenario scenario, TrialLayout layout, long from, long to, RunOptions options,
        Action<double[][], long, int> deliver, Func<bool> stopped, CancellationToken cancellation)
    {
        int threads = options.EffectiveThreads, columns = layout.Count;
        var source = options.Rows;
        var evaluator = source is null ? new TrialEvaluator(scenario, layout, null, options.Recording) : null;
        int blocksPerBatch = threads * 4;
        // Sets of row buffers: while the workers compute one batch, earlier ones go to the sinks and the accumulator on
        // another thread (writing trials.csv and keeping the statistics overlap the simulation). Three sets rather than
        // two, so the workers need not wait for the batch just before theirs to be delivered: with two, the cores idled
        // during the serial part of each delivery (about 7% of a 20-fund programme run).
        var buffers = Enumerable.Range(0, PipelineDepth).Select(_ => Enumerable.Range(0, blocksPerBatch).Select(_ => new double[BlockSize * columns]).ToArray()).ToArray();
        source?.Begin(layout);

        // Deliveries run one after another in batch order; a buffer set is filled again only after its delivery.
        var deliveries = new DeliveryChain(PipelineDepth);
        try
        {
            int k = 0;
            for (long batchStart = from; batchStart < to; batchStart += (long)blocksPerBatch * BlockSize, k++)
            {
                cancellation.ThrowIfCancellationRequested();
                int slot = k % PipelineDepth;
                deliveries.WaitFor(slot);
                if (stopped()) break;
                int blocks = (int)Math.Min(blocksPerBatch, (to - batchStart + BlockSize - 1) / BlockSize);
                long start = batchStart;
                var batch = buffers[slot];
                if (source is not null)
                {
                    // Read in trial order on this thread, while the batch before is delivered on another.
                    for (int b = 0; b < blocks; b++)
                    {
                        long first = start + (long)b * BlockSize;
                        int count = (int)Math.Min(BlockSize, to - first);
                        source.Read(first + 1, batch[b].AsSpan(0, count * columns), columns);
                    }
                }
                else
                {
                    var evaluate = evaluator!;
                    // Handed out in pieces of a block, so that the cores finish a batch together even when a delivery
                    // takes turns with one of them (with whole blocks, the other core idled at the end of each batch).
                    Parallel.For(0, blocks * PiecesPerBlock, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation },
                        evaluate.CreateScratch,
                        (p, _, scratch) =>
                        {
                            int b = p / PiecesPerBlock, at = p % PiecesPerBlock * PieceSize;
                            long first = start + (long)b * BlockSize + at;
                            int count = (int)Math.Min(PieceSize, to - first);
                            var buffer = batch[b];
                            for (int i = 0; i < count; i++) evaluate.Evaluate(first + i + 1, buffer.AsSpan((at + i) * columns, columns), scratch);
                            return scratch;
                        },
                        _ => { });
                }
                deliveries.Queue(slot, () => deliver(batch, start, blocks));
            }
            deliveries.Complete();
        }
        finally
        {
            deliveries.Drain();
        }
    }
}
