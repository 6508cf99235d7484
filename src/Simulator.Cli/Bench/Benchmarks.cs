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

    /// <summary>Uniform draws compared with a threshold per second on <paramref name="threads"/> threads.</summary>
    public static Rate RawLimit(int threads, double seconds = 1.0)
    {
        const long chunk = 1 << 24;
        long total = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            long local = 0, hits = 0;
            var rng = new Xoshiro256((ulong)t + 1);
            const ulong threshold = 0x0500000000000000UL; // about 2%
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                hits += Kernel(ref rng, chunk, threshold);
                local += chunk;
            }
            Interlocked.Add(ref total, local + (hits < 0 ? 1 : 0));
        });
        return new Rate($"raw limit, {threads} thread(s)", total, "uniform draws compared", clock.Elapsed.TotalSeconds);
    }

    // The loop a credit simulation cannot beat: one 64-bit uniform and one compare per loan-year.
    private static long Kernel(ref Xoshiro256 rng, long count, ulong threshold)
    {
        var local = rng;
        long hits = 0;
        for (long i = 0; i < count; i++) hits += local.NextUInt64() < threshold ? 1 : 0;
        rng = local;
        return hits;
    }

    /// <summary>Runs a scenario through the engine (no files) and returns its rate in <paramref name="unit"/>.</summary>
    public static Rate Engine(string name, string json, int trials, int threads, Func<Scenario, double> itemsPerTrial, string unit)
    {
        var load = ScenarioLoader.Parse(json, name);
        var scenario = load.Scenario!.WithRunSettings(trials, null);
        var engine = new SimulationEngine();
        engine.Run(scenario.WithRunSettings(Math.Min(trials, 200), null), new RunOptions(threads), []); // warm-up (JIT)
        var clock = Stopwatch.StartNew();
        engine.Run(scenario, new RunOptions(threads), []);
        return new Rate($"{name}, {threads} thread(s)", itemsPerTrial(scenario) * trials, unit, clock.Elapsed.TotalSeconds);
    }

    /// <summary>All figures, as printed by <c>simulator bench</c>.</summary>
    public static IReadOnlyList<Rate> All(int poolTrials, int fundTrials)
    {
        int cores = Environment.ProcessorCount;
        var rates = new List<Rate> { RawLimit(1), RawLimit(cores) };
        foreach (int threads in new[] { 1, cores }.Distinct())
        {
            rates.Add(Engine("guarantee pool (10,000 loans x 5 years)", PoolJson, poolTrials, threads, _ => 10_000 * 5, "loan-years"));
            rates.Add(Engine("programme (20 funds x 50 projects)", ProgrammeJson(), fundTrials, threads, _ => 20 * 50, "projects"));
        }
        return rates;
    }

    /// <summary>The table printed by the command.</summary>
    public static void Print(TextWriter w, IReadOnlyList<Rate> rates)
    {
        var inv = CultureInfo.InvariantCulture;
        double rawAll = rates[1].PerSecond;
        w.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, .NET {Environment.Version}");
        w.WriteLine($"  {"measurement",-52}{"rate",16}  {"unit",-24}{"of raw limit (all cores)",26}");
        foreach (var r in rates)
        {
            string ratio = r.Unit == "uniform draws compared" ? "" : string.Create(inv, $"{100 * r.PerSecond / rawAll:F1}%");
            w.WriteLine(string.Create(inv, $"  {r.Name,-52}{r.PerSecond / 1e6,12:F1} M/s  {r.Unit,-24}{ratio,26}"));
        }
    }
}
