using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

/// <summary>Variant names become folder names: generated ones always fit, paths with absurd indices are reported.</summary>
public class VariantNameTests
{
    private const string Fund = """{ "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "outcomes": "OUTCOME" }""";

    [Test]
    public void Expand_SweepOfLongValues_NamesFitAndStayDistinct()
    {
        // Two model names that differ only in their last character, each near the length limit: the sweep names
        // "outcomes-<name>_seed-0.5" are longer than 64 and must be shortened without becoming equal.
        string a = new string('a', 63) + "x", b = new string('a', 63) + "y";
        var s = TestScenarios.Load($$"""
            { "name": "u", "outcomes": { "{{a}}": { "writeOff": 0.5, "success": 2 }, "{{b}}": { "writeOff": 0.4, "success": 2 } },
              "funds": [ {{Fund.Replace("OUTCOME", a, StringComparison.Ordinal)}} ],
              "sweep": { "funds[f].outcomes": [ "{{a}}", "{{b}}" ], "policy.tolerance.seed": [ 0.5 ] } }
            """);
        var names = s.Variants.Select(v => v.Name).ToList();
        Assert.That(names, Has.All.Length.LessThanOrEqualTo(64));
        Assert.That(names, Is.Unique);
        Assert.That(names, Has.All.Matches<string>(n => System.Text.RegularExpressions.Regex.IsMatch(n!, "^outcomes-a+-[0-9a-f]{8}$")));
    }

    [Test]
    public void Expand_SensitivityOfALongFactorLoading_NamesFit()
    {
        string factor = new('m', 64);
        var s = TestScenarios.Load($$"""
            { "name": "u", "factors": [ { "name": "{{factor}}" } ],
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "{{factor}}": 0.3 } } ],
              "sensitivity": { "output": "f.breachProbability", "inputs": [ { "path": "funds[f].exposure.{{factor}}", "delta": 0.1 } ] } }
            """);
        var names = s.Variants.Select(v => v.Name).ToList();
        Assert.That(names, Has.All.Length.LessThanOrEqualTo(64));
        Assert.That(names[0], Does.EndWith("-down"));
        Assert.That(names[1], Does.EndWith("-up"));
    }

    [Test]
    public void Expand_SweepOfChineseTitles_NamedByPosition()
    {
        // Text without ASCII letters or digits would give every variant the same name.
        var s = TestScenarios.Load($$"""
            { "name": "u", "funds": [ {{Fund.Replace("OUTCOME", "seed", StringComparison.Ordinal)}} ],
              "sweep": { "funds[f].title": [ "种子基金", "天使基金" ] } }
            """);
        Assert.That(s.Variants.Select(v => v.Name), Is.EqualTo(new[] { "title-v1", "title-v2" }));
    }

    [Test]
    public void Parse_PathWithAnIndexBeyondInt_ReportedNotThrown()
    {
        var e = TestScenarios.Errors($$"""
            { "name": "u", "funds": [ {{Fund.Replace("OUTCOME", "seed", StringComparison.Ordinal)}} ],
              "variants": [ { "name": "v", "set": { "funds[99999999999].deals": 3 } } ] }
            """).Single();
        Assert.That(e.Path, Is.EqualTo("$.variants[0].set[\"funds[99999999999].deals\"]"));
        Assert.That(e.Message, Does.Contain("index [99999999999]"));
    }
}
