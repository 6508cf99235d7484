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

/// <summary>How to run: threads (never changes a result), progress reporting, cancellation.</summary>
/// <param name="Threads">Worker threads; 0 means all cores.</param>
/// <param name="Progress">Receives the number of trials done.</param>
public sealed record RunOptions(int Threads = 0, IProgress<long>? Progress = null)
{
    /// <summary>Memory for the per-trial series the statistics keep, and where they spill beyond it (null: <see cref="Statistics.SeriesBudget.Default"/>).</summary>
    public Statistics.SeriesBudget? Memory { get; init; }

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

    /// <summary>Runs a scenario.</summary>
    public SimulationResult Run(Scenario scenario, RunOptions options, IReadOnlyList<ITrialSink> sinks, CancellationToken cancellation = default)
    {
        IReadOnlyList<(double Scale, double Score)> pilot = [];
        if (scenario.ImportanceSampling is { Shift: null } automatic)
        {
            var (shift, scores) = ImportanceSamplingPilot.Choose(scenario, options.EffectiveThreads);
            scenario = scenario with { ImportanceSampling = automatic with { Shift = shift } };
            pilot = scores;
        }
        var layout = new TrialLayout(scenario);
        var evaluator = new TrialEvaluator(scenario, layout);
        using var accumulator = new ResultAccumulator(scenario, layout, options.Memory ?? Statistics.SeriesBudget.Default);
        int threads = options.EffectiveThreads, columns = layout.Count;
        int blocksPerBatch = threads * 4;
        // Two sets of row buffers: while the workers compute one batch, the previous one goes to the sinks and the
        // accumulator on another thread (writing trials.csv and keeping the statistics overlap the simulation).
        var buffers = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, blocksPerBatch).Select(_ => new double[BlockSize * columns]).ToArray()).ToArray();
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
                    met = checkpoint.Figures.Any(f => f.Estimable)
                        && checkpoint.Figures.Where(f => f.Estimable).All(f => f.RelativeError <= target.RelativeError);
                }
            }
            options.Progress?.Report(met ? n : Math.Min(n, start + (long)blocks * BlockSize));
        }

        Task? delivering = null;
        int current = 0;
        try
        {
            for (long batchStart = 0; batchStart < n; batchStart += (long)blocksPerBatch * BlockSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int blocks = (int)Math.Min(blocksPerBatch, (n - batchStart + BlockSize - 1) / BlockSize);
                long start = batchStart;
                var batch = buffers[current];
                Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation },
                    evaluator.CreateScratch,
                    (b, _, scratch) =>
                    {
                        long first = start + (long)b * BlockSize;
                        int count = (int)Math.Min(BlockSize, n - first);
                        var buffer = batch[b];
                        for (int i = 0; i < count; i++) evaluator.Evaluate(first + i + 1, buffer.AsSpan(i * columns, columns), scratch);
                        return scratch;
                    },
                    _ => { });
                if (delivering is not null)
                {
                    var previous = delivering;
                    delivering = null;
                    previous.GetAwaiter().GetResult(); // rethrows a sink's failure as it was thrown
                }
                if (met) break;
                delivering = Task.Run(() => Deliver(batch, start, blocks), CancellationToken.None);
                current ^= 1;
            }
            if (delivering is not null)
            {
                var last = delivering;
                delivering = null;
                last.GetAwaiter().GetResult();
            }
        }
        finally
        {
            // On cancellation or failure, let a delivery in flight finish before the sinks and series are disposed.
            if (delivering is not null)
            {
                try { delivering.Wait(CancellationToken.None); }
                catch (AggregateException) { }
            }
        }
        foreach (var sink in sinks) sink.Complete();
        var result = accumulator.Summarize(target is null ? null : new Statistics.PrecisionReport(target, n, met, history));
        if (scenario.ImportanceSampling is { Shift: { } applied } sampling)
        {
            var byName = scenario.Economy.Factors.Select((f, k) => (f.Name, applied[k])).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal);
            result = result with { ImportanceSampling = new Statistics.ImportanceSamplingReport(byName, accumulator.EffectiveSampleSize(), sampling.Automatic, pilot) };
        }
        return result;
    }
}
