using System.Diagnostics;
using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;

namespace Simulator.Cli.Bench;

/// <summary>One measured rate.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Items">Items processed.</param>
/// <param name="Unit">What an item is.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
internal sealed record Rate(string Name, double Items, string Unit, double Seconds)
{
    public double PerSecond => Items / Seconds;

    /// <summary>Threads used.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Whether this is a raw-limit kernel.</summary>
    public bool IsRaw { get; init; }

    /// <summary>Whether this is a result writer's rate (no share of the raw limit applies).</summary>
    public bool IsWriter { get; init; }

    /// <summary>A note printed after the rate (a writer's time and file size).</summary>
    public string Note { get; init; } = "";
}

/// <summary>
/// The speed figures of docs/performance.md: the machine's raw limit (uniform draws compared with a threshold,
/// the innermost operation of a credit simulation) and the engine on a 10,000-loan guarantee pool over 5 years
/// and on a programme of 20 funds of 50 projects. Wall-clock rates of whole engine runs (statistics included),
/// so they compare directly with a user's experience; run with Release builds on an otherwise idle machine.
/// </summary>
internal static class Benchmarks
{
    /// <summary>The guarantee pool: 10,000 loans of 5 years, one factor, one risk class.</summary>
    public const string PoolJson = """
        { "name": "bench-pool", "simulation": { "trials": 1000, "seed": 1 }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": 10000, "years": 1, "amount": 1, "termYears": 5, "pd": 0.02, "lgd": 0.6,
                            "exposure": { "macro": 0.4 } }, "shares": { "bank": 0.8, "government": 0.2 } } ] }
        """;

    /// <summary>20 funds of 50 projects on one factor.</summary>
    public static string ProgrammeJson()
    {
        var funds = Enumerable.Range(1, 20).Select(i => $$"""
            { "name": "f{{i}}", "type": "{{(i % 2 == 0 ? "seed" : "angel")}}", "commitment": 6e8, "deals": 50, "check": 1e7, "exposure": { "macro": 0.4 } }
            """);
        return $$"""{ "name": "bench-funds", "simulation": { "trials": 1000, "seed": 1 }, "factors": [ { "name": "macro" } ], "funds": [ {{string.Join(",", funds)}} ] }""";
    }

    /// <summary>Uniform draws compared with a threshold per second on <paramref name="threads"/> threads, for
    /// one kernel of <see cref="RawLimit"/>.</summary>
    public static Rate Raw(string kernel, Func<ulong, long, ulong, long> run, int threads, double seconds = 0.6)
    {
        const long chunk = 1 << 22;
        const ulong threshold = 0x0520000000000000UL; // about 2%, the pool's PD
        run(1, chunk, threshold); // JIT
        long total = 0, hits = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long local = 0, localHits = 0;
            // Every thread draws at least one chunk: on a loaded machine a thread may start after a short window has
            // closed, and a window without draws has no rate (and no hits to check).
            ulong seed = (ulong)t * 1_000_003 + 1;
            do
            {
                localHits += run(seed++, chunk, threshold);
                local += chunk;
            }
            while (clock.Elapsed.TotalSeconds < seconds);
            Interlocked.Add(ref total, local);
            Interlocked.Add(ref hits, localHits);
        });
        double elapsed = clock.Elapsed.TotalSeconds;
        if (hits <= 0) throw new InvalidOperationException("raw-limit kernel drew no hits");
        return new Rate($"raw limit: {kernel}, {threads} thread(s)", total, "uniform draws compared", elapsed) { Threads = threads, IsRaw = true };
    }

    /// <summary>Runs a scenario through the engine (no files) and returns its rate in <paramref name="unit"/>.</summary>
    public static Rate Engine(string name, string json, int trials, int threads, Func<Scenario, double> itemsPerTrial, string unit, double warmUpSeconds = 1.0)
    {
        var load = ScenarioLoader.Parse(json, name);
        var scenario = load.Scenario!.WithRunSettings(trials, null);
        var engine = new SimulationEngine();
        // Warm-up until the JIT's tiers have settled (about a second of running), so the figure is the steady rate;
        // bench/run.sh times whole `run` commands for the user's view, start-up included.
        var warm = Stopwatch.StartNew();
        do engine.Run(scenario.WithRunSettings(Math.Min(trials, 1000), null), new RunOptions(threads), []);
        while (warm.Elapsed.TotalSeconds < warmUpSeconds);
        var clock = Stopwatch.StartNew();
        engine.Run(scenario, new RunOptions(threads), []);
        return new Rate($"{name}, {threads} thread(s)", itemsPerTrial(scenario) * trials, unit, clock.Elapsed.TotalSeconds) { Threads = threads };
    }

    /// <summary>Two funds and a guarantee scheme: a trial table of 35 columns of loss ratios, flags, amounts, counts and
    /// float returns, the mix the writers meet in the examples.</summary>
    public const string WriterJson = """
        { "name": "bench-writers", "simulation": { "trials": 1000, "seed": 1 }, "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "funds": [ { "name": "seed", "type": "seed", "commitment": 2e8, "deals": 40, "check": 5e6, "exposure": { "macro": 0.4 }, "concession": 0.5 },
                     { "name": "angel", "type": "angel", "commitment": 2e8, "deals": 20, "check": 1e7, "exposure": { "macro": 0.4 } } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": 200, "years": 3, "amount": { "lognormal": { "median": 2e6, "sigma": 0.5 } }, "termYears": 3,
                            "pd": 0.03, "lgd": 0.6, "exposure": { "macro": 0.4 } }, "shares": { "guarantor": 0.4, "bank": 0.2, "government": 0.4 },
                            "guarantor": { "capital": 5e7 }, "government": { "budget": 2e7 } } ] }
        """;

    /// <summary>
    /// A trial-table writer's rate: <paramref name="rows"/> rows of <see cref="WriterJson"/> streamed into a sink in the
    /// engine's blocks of 1,024, as a run writes them. The engine's rows of 65,536 trials are computed once and fed
    /// again with later trial numbers, so the time is the writer's alone (Snappy's window and the Parquet dictionary's
    /// sample see no repeat). The file goes to the system's temporary folder and is deleted.
    /// </summary>
    public static Rate Writer(string format, int rows, int threads)
    {
        var scenario = ScenarioLoader.Parse(WriterJson, "bench-writers").Scenario!.WithRunSettings(Math.Min(rows, 65_536), null);
        var capture = new RowCapture();
        new SimulationEngine().Run(scenario, new RunOptions(threads), [capture]);
        var layout = new TrialLayout(scenario);
        string folder = Directory.CreateTempSubdirectory("simulator-bench-").FullName;
        try
        {
            string path = Path.Combine(folder, format == "parquet" ? Reporting.ResultWriter.TrialsParquetFile : Reporting.ResultWriter.TrialsFile);
            // A short file first, so the JIT and the codec's tables are warm.
            Feed(format, Path.Combine(folder, "warm-up"), layout, capture, Math.Min(rows, 20_000));
            // CPU time beside the wall-clock time: on a loaded machine it is what the writer itself took (the Parquet writer
            // runs on one thread; trials.csv formats on all cores, so its CPU time is the sum over them).
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            Feed(format, path, layout, capture, rows);
            double seconds = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            long bytes = new FileInfo(path).Length;
            string codec = format == "parquet" ? $", {Reporting.Csv.TrialsParquetSink.Codec}" : "";
            return new Rate(string.Create(CultureInfo.InvariantCulture, $"trials.{format} writer ({rows:N0} rows x {layout.CsvCount + 1} columns{codec})"), rows, "trial rows", seconds)
            {
                Threads = threads, IsWriter = true,
                Note = string.Create(CultureInfo.InvariantCulture, $"{seconds:F2} s ({cpuSeconds:F2} s CPU), {bytes / 1e6:F1} MB"),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Feed(string format, string path, TrialLayout layout, RowCapture capture, int rows)
    {
        ITrialSink sink = format == "parquet" ? new Reporting.Csv.TrialsParquetSink(path) : new Reporting.Csv.TrialsCsvSink(path);
        sink.Begin(layout);
        int columns = capture.Columns, captured = capture.Rows.Count / columns;
        const int block = 1024;
        for (int done = 0; done < rows;)
        {
            int start = done % captured, count = Math.Min(block, Math.Min(rows - done, captured - start));
            sink.Write(done + 1, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(capture.Rows).Slice(start * columns, count * columns), columns);
            done += count;
        }
        sink.Complete();
    }

    /// <summary>Keeps the rows a run delivers.</summary>
    private sealed class RowCapture : ITrialSink
    {
        public List<double> Rows { get; } = [];

        public int Columns { get; private set; }

        public void Begin(TrialLayout layout) => Columns = layout.Count;

        public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns) => Rows.AddRange(rows);

        public void Complete()
        {
        }
    }

    /// <summary>All figures, as printed by <c>simulator bench</c>; <paramref name="only"/> picks pool, funds, tapes
    /// (the default kernel on the loan tapes' shape) or writers (empty: all); the raw limit is always measured.</summary>
    public static IReadOnlyList<Rate> All(int poolTrials, int fundTrials, IReadOnlyCollection<string> only, bool quick = false, int writerRows = 1_000_000)
    {
        double seconds = quick ? 0.05 : 0.6, warmUp = quick ? 0 : 1.0;
        bool Wants(string what) => only.Count == 0 || only.Contains(what);
        int cores = Environment.ProcessorCount;
        var rates = new List<Rate>();
        foreach (var (kernel, run) in RawLimit.Kernels)
        {
            foreach (int threads in new[] { 1, cores }.Distinct()) rates.Add(Raw(kernel, run, threads, seconds));
        }
        foreach (int threads in new[] { 1, cores }.Distinct())
        {
            if (Wants("pool")) rates.Add(Engine("guarantee pool (10,000 loans x 5 years)", PoolJson, poolTrials, threads, _ => 10_000 * 5, "loan-years", warmUp));
            if (Wants("funds")) rates.Add(Engine("programme (20 funds x 50 projects)", ProgrammeJson(), fundTrials, threads, _ => 20 * 50, "projects", warmUp));
        }
        // The default kernel on the tapes' shape, against the raw limit in CPU time (Threads 0: one thread, CPU time).
        if (Wants("tapes")) rates.AddRange(TapeKernels.All(quick ? 0.05 : 1.0));
        // The trial-table writers run on the consumer thread of a run (trials.csv formats its rows on all cores).
        if (Wants("writers"))
        {
            foreach (string format in new[] { "parquet", "csv" }) rates.Add(Writer(format, writerRows, cores));
        }
        return rates;
    }

    /// <summary>The table printed by the command: every rate, and each engine rate as a share of the raw limit
    /// (the fastest kernel) on the same number of threads.</summary>
    public static void Print(TextWriter w, IReadOnlyList<Rate> rates)
    {
        var inv = CultureInfo.InvariantCulture;
        var limit = rates.Where(r => r.IsRaw).GroupBy(r => r.Threads).ToDictionary(g => g.Key, g => g.Max(r => r.PerSecond));
        w.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, " +
            $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}, 512-bit vectors: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        w.WriteLine($"  {"measurement",-72}{"rate",14}  {"unit",-24}{"of raw limit",14}");
        foreach (var r in rates)
        {
            string ratio = r.IsRaw || r.IsWriter ? "" : string.Create(inv, $"{100 * r.PerSecond / limit[r.Threads]:F1}%");
            w.WriteLine(string.Create(inv, $"  {r.Name,-72}{r.PerSecond / 1e6,10:F2} M/s  {r.Unit,-24}{ratio,14}{(r.Note.Length > 0 ? "  " + r.Note : "")}"));
        }
        foreach (var (threads, best) in limit.OrderBy(x => x.Key))
        {
            w.WriteLine(threads == 0
                ? string.Create(inv, $"  raw limit per CPU second of one thread: {best / 1e6:F1} M/s")
                : string.Create(inv, $"  raw limit (best kernel), {threads} thread(s): {best / 1e6:F1} M/s"));
        }
    }
}
