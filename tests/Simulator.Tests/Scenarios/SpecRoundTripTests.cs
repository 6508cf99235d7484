using System.Collections;
using System.Reflection;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;
using Simulator.Core.Format;

namespace Simulator.Tests.Scenarios;

/// <summary>
/// One list of the format's fields: the spec records are copied with <c>with</c>, so a field added to the format is
/// carried through defaults, variants and scenario.json without being listed again. This test fails when any field of
/// any spec record is lost on the way: it loads a file that sets every field, writes scenario.json, loads that again,
/// and requires every property of every spec record to hold a value somewhere — in the base and in a variant.
/// </summary>
public class SpecRoundTripTests
{
    // Not written back on purpose: the study (each run's folder holds its own scenario.json).
    private static readonly HashSet<string> NotWritten = ["ScenarioSpec.Variants", "ScenarioSpec.Sweep", "ScenarioSpec.Sensitivity", "ScenarioSpec.Solve"];

    private static string Fixture => Path.Combine(TestScenarios.RepositoryRoot, "tests", "Simulator.Tests", "Scenarios", "Fixtures", "every-field.json");

    [Test]
    public void ScenarioJson_FileSettingEveryField_KeepsEveryFieldOfEverySpecRecord()
    {
        var loaded = ScenarioLoader.Load(Fixture);
        Assert.That(loaded.Errors, Is.Empty, () => string.Join("\n", loaded.Errors));
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "scenario.json");
        ScenarioJsonWriter.Write(loaded.Scenario!, path);
        var again = ScenarioLoader.Load(path);
        Assert.That(again.Errors, Is.Empty, () => string.Join("\n", again.Errors));

        var missing = Missing(again.Scenario!.Spec()).Where(p => !NotWritten.Contains(p)).ToList();
        Assert.That(missing, Is.Empty, "fields lost between the file and scenario.json");
        // Written twice, the same text: nothing is filled in differently the second time.
        Assert.That(ScenarioJsonWriter.ToJson(again.Scenario!), Is.EqualTo(ScenarioJsonWriter.ToJson(loaded.Scenario!).Replace("every-field-tape.csv", "loan-tapes/tape.csv").Replace("every-field-firms.csv", "firm-tapes/firm-tape.csv")));
    }

    [Test]
    public void Variant_FileSettingEveryField_KeepsEveryFieldOfEverySpecRecord()
    {
        var loaded = ScenarioLoader.Load(Fixture);
        Assert.That(loaded.Errors, Is.Empty, () => string.Join("\n", loaded.Errors));
        var variant = loaded.Scenario!.Variants.Single().Scenario;
        // programVersion is informational (set in scenario.json, ignored on input); the fixture does not set it.
        var missing = Missing(variant.Spec()).Where(p => !NotWritten.Contains(p) && p != "ScenarioSpec.ProgramVersion").ToList();
        Assert.That(missing, Is.Empty, "fields lost between the base and its variant");
        Assert.That(variant.Funds.Single(f => f.Name == "seed-a").Deals, Is.EqualTo(14));
    }

    [Test]
    public void Spec_CopyChanged_LeavesTheScenarioUnchanged()
    {
        // The scenario keeps the filled file as text and hands out copies, so no caller can change what was run.
        var scenario = ScenarioLoader.Load(Fixture).Scenario!;
        var copy = scenario.Spec();
        copy.Funds![0] = copy.Funds[0] with { Deals = 999 };
        copy.Factors!.Clear();
        Assert.That(scenario.Spec().Funds![0].Deals, Is.Not.EqualTo(999));
        Assert.That(scenario.Spec().Factors, Is.Not.Empty);
    }

    [Test]
    public void Missing_SpecWithANullField_NamesIt()
    {
        // The check itself can fail: a spec without a fund title is reported.
        var loaded = ScenarioLoader.Load(Fixture);
        var spec = loaded.Scenario!.Spec();
        var stripped = spec with { Funds = [.. spec.Funds!.Select(f => f with { Title = null })] };
        Assert.That(Missing(stripped), Does.Contain("FundSpec.Title"));
    }

    /// <summary>"Type.Property" of every spec record property that holds no value anywhere in <paramref name="spec"/>.</summary>
    private static IReadOnlyList<string> Missing(ScenarioSpec spec)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new SortedSet<string>(StringComparer.Ordinal);
        Walk(spec, seen, all);
        return all.Where(p => !seen.Contains(p)).ToList();
    }

    private static bool IsSpec(Type t) => t.Assembly == typeof(ScenarioSpec).Assembly && t.Name.EndsWith("Spec", StringComparison.Ordinal) && t.IsClass;

    private static void Walk(object? value, HashSet<string> seen, SortedSet<string> all)
    {
        if (value is null) return;
        var type = value.GetType();
        if (IsSpec(type) && type != typeof(DistributionSpec))
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                string name = $"{type.Name}.{p.Name}";
                all.Add(name);
                var v = p.GetValue(value);
                if (v is null || v is ICollection { Count: 0 }) continue;
                seen.Add(name);
                Walk(v, seen, all);
            }
            return;
        }
        if (value is IDictionary dictionary)
        {
            foreach (var v in dictionary.Values) Walk(v, seen, all);
        }
        else if (value is IEnumerable list and not string)
        {
            foreach (var v in list) Walk(v, seen, all);
        }
    }
}
