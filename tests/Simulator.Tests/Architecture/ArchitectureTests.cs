using System.Text.RegularExpressions;
using Simulator.Tests.Support;

namespace Simulator.Tests.Architecture;

/// <summary>Randomness is always a parameter; model and engine code never read the clock.</summary>
public class ArchitectureTests
{
    private static readonly Regex Forbidden = new(@"new\s+Random\s*\(|Random\.Shared|DateTime\.(Now|UtcNow)|Guid\.NewGuid|Environment\.TickCount", RegexOptions.Compiled);

    [Test]
    public void CoreSources_UseNoAmbientRandomnessOrClock()
    {
        var offenders = Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "src", "Simulator.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Forbidden.IsMatch(x.line))
            .Select(x => $"{x.f}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void AllSources_NeverCreateUnseededOrSharedRandom()
    {
        var offenders = Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"new\s+Random\s*\(|Random\.Shared|DateTime\.Now"))
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Core_DoesNotReferenceReportingOrCli()
    {
        var references = typeof(Simulator.Core.Scenarios.Scenario).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(references, Has.None.StartsWith("Simulator.Reporting").And.None.StartsWith("Simulator.Cli").And.None.StartsWith("ScottPlot"));
    }
}
