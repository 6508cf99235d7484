using System.Text.RegularExpressions;
using NetArchTest.Rules;
using Simulator.Tests.Support;
using Simulator.Core.Scenarios;

namespace Simulator.Tests.Architecture;

/// <summary>
/// The folder rules of the instrument contract: the engine and the generic writers iterate over instruments and name
/// none; instrument folders reach each other only through the contract.
/// </summary>
public class FolderRulesTests
{
    /// <summary>The model namespace of every registered kind (its format's namespace without ".Format"), so a new kind is
    /// held to the rules as soon as it is registered.</summary>
    private static readonly string[] InstrumentNamespaces = [.. Simulator.Core.Format.InstrumentKinds.Of(typeof(ScenarioSpec))
        .Select(k => k.Format.GetType().Namespace!).Select(n => n.EndsWith(".Format", StringComparison.Ordinal) ? n[..^".Format".Length] : n)];

    private static IEnumerable<TestCaseData> InstrumentPairs() =>
        from a in InstrumentNamespaces from b in InstrumentNamespaces where a != b select new TestCaseData(a, b);

    private static IEnumerable<string> ModelNamespaces() =>
        [.. InstrumentNamespaces, "Simulator.Core.Economy", "Simulator.Core.Distributions", "Simulator.Core.Statistics", "Simulator.Core.Instruments", "Simulator.Core.Outcomes"];

    private static IEnumerable<string> FormatNamespaces() => InstrumentNamespaces.Select(n => n + ".Format");

    [Test]
    public void InstrumentNamespaces_Registered_FindsTheFirstTwoKinds() =>
        Assert.That(InstrumentNamespaces, Is.SupersetOf(new[] { "Simulator.Core.Funds", "Simulator.Core.Guarantees" }));

    private static Types Core => Types.InAssembly(typeof(Scenario).Assembly);

    private static Types Reporting => Types.InAssembly(typeof(Simulator.Reporting.ResultWriter).Assembly);

    private static void AssertHolds(ConditionList rule, string what)
    {
        var result = rule.GetResult();
        Assert.That(result.IsSuccessful, Is.True, () => $"{what}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Test]
    public void Engine_AnyType_NamesNoInstrument() =>
        AssertHolds(Core.That().ResideInNamespace("Simulator.Core.Engine").ShouldNot().HaveDependencyOnAny(InstrumentNamespaces), "engine types naming an instrument");

    [Test]
    public void Statistics_AnyType_NamesNoInstrument() =>
        AssertHolds(Core.That().ResideInNamespace("Simulator.Core.Statistics").ShouldNot().HaveDependencyOnAny([.. InstrumentNamespaces, "Simulator.Core.Engine"]),
            "statistics types naming an instrument or the engine");

    [TestCaseSource(nameof(InstrumentPairs))]
    public void InstrumentFolder_AnyType_DoesNotReferenceAnotherInstrument(string instrument, string other) =>
        AssertHolds(Core.That().ResideInNamespace(instrument).ShouldNot().HaveDependencyOn(other), $"{instrument} types referencing {other}");

    [TestCase("Simulator.Reporting.ResultWriter")]
    [TestCase("Simulator.Reporting.Json.SummaryJsonWriter")]
    [TestCase("Simulator.Reporting.Plots.ResultPlots")]
    [TestCase("Simulator.Reporting.Html.ScenarioReport")]
    [TestCase("Simulator.Reporting.Html.ResultTables")]
    [TestCase("Simulator.Reporting.Html.PlotCaptions")]
    [TestCase("Simulator.Reporting.Html.BatchEntry")]
    [TestCase("Simulator.Reporting.Html.InputTables")]
    public void GenericWriter_NamesNoInstrument(string writer) =>
        AssertHolds(Reporting.That().ResideInNamespace(writer[..writer.LastIndexOf('.')]).And().HaveName(writer[(writer.LastIndexOf('.') + 1)..])
            .ShouldNot().HaveDependencyOnAny(InstrumentNamespaces), $"{writer} naming an instrument");

    [Test]
    public void ConsoleSummary_NamesNoInstrument() =>
        AssertHolds(Types.InAssembly(typeof(Simulator.Cli.ExitCodes).Assembly).That().HaveNameStartingWith("ConsoleSummary").ShouldNot().HaveDependencyOnAny(InstrumentNamespaces),
            "the console summary naming an instrument");

    [Test]
    public void Core_Sources_BuildNoMarkdownOrHtml()
    {
        // HTML tags or Markdown table rules in string literals: reports are the Reporting library's job.
        var markup = new Regex(@"""[^""]*(<(h[1-6]|p|div|table|tr|td|th|ul|li|section|figure)[ >]|\|---)", RegexOptions.Compiled);
        var offenders = Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "src", "Simulator.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => markup.IsMatch(x.line))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void Core_Library_HoldsNoBenchmarkOnlyCode() =>
        Assert.That(typeof(Scenario).Assembly.GetTypes().Select(t => t.Name), Has.None.EqualTo("RawLimit"));

    [TestCaseSource(nameof(ModelNamespaces))]
    public void ModelFolder_AnyType_DoesNotReferenceTheFileFormat(string model) =>
        AssertHolds(Core.That().ResideInNamespace(model).And().DoNotResideInNamespace(model + ".Format")
            .ShouldNot().HaveDependencyOnAny(["Simulator.Core.Scenarios", "Simulator.Core.Format", model + ".Format"]), $"{model} types referencing the format");

    /// <summary>
    /// An instrument kind's format (its spec records and defaults, validation and build) reaches the rest of the file
    /// only through the shared vocabulary (<c>Simulator.Core.Format</c>), never through the scenario as a whole: that is
    /// what lets a new kind be added with one registration line.
    /// </summary>
    [TestCaseSource(nameof(FormatNamespaces))]
    public void InstrumentFormat_AnyType_DoesNotReferenceTheScenario(string format) =>
        AssertHolds(Core.That().ResideInNamespace(format).ShouldNot().HaveDependencyOn("Simulator.Core.Scenarios"), $"{format} types referencing the scenario");

    [Test]
    public void ScenarioLoader_AnyType_NamesNoInstrumentModel() =>
        AssertHolds(Core.That().HaveName("ScenarioLoader").Or().HaveName("ScenarioBuilder").Or().HaveName("ScenarioDefaults").Or().HaveName("ScenarioValidator")
            .ShouldNot().HaveDependencyOnAny(InstrumentNamespaces), "the loader, builder, defaults and validator naming an instrument kind");

    // Folder cycles removed: the first folder may use the second, never the reverse.
    [TestCase("Simulator.Core.Statistics", "Simulator.Core.Distributions")]
    [TestCase("Simulator.Core.Scenarios", "Simulator.Core.Comparison")]
    [TestCase("Simulator.Core.Format", "Simulator.Core.Scenarios")]
    [TestCase("Simulator.Core.Outcomes", "Simulator.Core.Funds")]
    [TestCase("Simulator.Core.Funds", "Simulator.Core.Scenarios")]
    [TestCase("Simulator.Core.Guarantees", "Simulator.Core.Scenarios")]
    [TestCase("Simulator.Core.Bonds", "Simulator.Core.Scenarios")]
    [TestCase("Simulator.Core.Securitisations", "Simulator.Core.Scenarios")]
    public void Folder_AnyType_DoesNotReferenceAFolderThatUsesIt(string folder, string user) =>
        AssertHolds(Core.That().ResideInNamespace(folder).ShouldNot().HaveDependencyOn(user), $"{folder} types referencing {user}");
}
