using Simulator.Core.Scenarios;

namespace Simulator.Benchmarks;

/// <summary>
/// The benchmark models, read from bench/scenarios/*.json (embedded at build time, so the files stay the one
/// definition shared with <c>bench/run.sh</c> and the NumPy references).
/// </summary>
internal static class BenchScenarios
{
    /// <summary>Loan-years per trial of pool.json: 10,000 loans over 5 years.</summary>
    public const int PoolLoanYears = 10_000 * 5;

    /// <summary>Projects per trial of programme.json: 20 funds of 50 projects.</summary>
    public const int ProgrammeProjects = 20 * 50;

    /// <summary>Loads an embedded scenario (<c>pool</c> or <c>programme</c>) with the given number of trials.</summary>
    public static Scenario Load(string name, int trials)
    {
        using var stream = typeof(BenchScenarios).Assembly.GetManifestResourceStream($"scenarios.{name}.json")
            ?? throw new InvalidOperationException($"bench/scenarios/{name}.json is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var load = ScenarioLoader.Parse(memory.ToArray(), $"bench/scenarios/{name}.json", null);
        if (!load.IsValid) throw new InvalidOperationException(string.Join(Environment.NewLine, load.Errors.Select(e => e.ToString())));
        return load.Scenario!.WithRunSettings(trials, null);
    }
}
