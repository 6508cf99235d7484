using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Format;

namespace Simulator.Tests.Support;

/// <summary>Builds scenarios from JSON text and runs them in memory.</summary>
internal static class TestScenarios
{
    public static Scenario Load(string json)
    {
        var result = ScenarioLoader.Parse(json, "test.json");
        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Errors));
        return result.Scenario!;
    }

    public static IReadOnlyList<ScenarioError> Errors(string json)
    {
        var result = ScenarioLoader.Parse(json, "bad.json");
        Assert.That(result.Scenario, Is.Null, "expected the scenario to be rejected");
        return result.Errors;
    }

    public static SimulationResult Run(Scenario scenario, int threads = 2, params ITrialSink[] sinks) =>
        new SimulationEngine().Run(scenario, new RunOptions(threads), sinks);

    public static SimulationResult Run(string json, int threads = 2) => Run(Load(json), threads);

    /// <summary>The repository root (holds Simulator.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Simulator.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}

/// <summary>Collects rows in memory (for determinism tests).</summary>
internal sealed class MemorySink : ITrialSink
{
    public List<double> Values { get; } = [];
    public long FirstTrialSeen { get; private set; } = -1;

    public void Begin(TrialLayout layout) { }

    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        if (FirstTrialSeen < 0) FirstTrialSeen = firstTrial;
        Values.AddRange(rows.ToArray());
    }

    public void Complete() { }
}
