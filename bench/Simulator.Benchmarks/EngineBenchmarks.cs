using BenchmarkDotNet.Attributes;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;

namespace Simulator.Benchmarks;

/// <summary>
/// Whole engine runs of bench/scenarios/pool.json and programme.json: every trial evaluated and every statistic of
/// the result computed, no files written (as <c>simulator bench</c>). One operation is one loan-year (pool) or one
/// project (programme), so BenchmarkDotNet's mean is the time per item.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private const int PoolTrials = 256;
    private const int ProgrammeTrials = 2048;

    private readonly SimulationEngine _engine = new();
    private Scenario _pool = null!;
    private Scenario _programme = null!;

    /// <summary>Worker threads: 1 and all cores.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>The values of <see cref="Threads"/>.</summary>
    public static IEnumerable<int> ThreadCounts => new[] { 1, Environment.ProcessorCount }.Distinct();

    /// <summary>Loads the scenarios.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pool = BenchScenarios.Load("pool", PoolTrials);
        _programme = BenchScenarios.Load("programme", ProgrammeTrials);
    }

    /// <summary>The 10,000-loan pool over 5 years, 256 trials; per loan-year.</summary>
    [Benchmark(OperationsPerInvoke = PoolTrials * BenchScenarios.PoolLoanYears)]
    public SimulationResult Pool() => _engine.Run(_pool, new RunOptions(Threads), []);

    /// <summary>20 funds of 50 projects, 2,048 trials; per project.</summary>
    [Benchmark(OperationsPerInvoke = ProgrammeTrials * BenchScenarios.ProgrammeProjects)]
    public SimulationResult Programme() => _engine.Run(_programme, new RunOptions(Threads), []);
}
