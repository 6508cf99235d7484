using System.Globalization;
using System.Text.Json.Nodes;
using Simulator.Core.Comparison;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Instruments;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments;

/// <summary>A kind's what-if controls on a shipped example: what the page offers, and whether each position a user can
/// reach is a setting the format accepts.</summary>
internal static class ExampleControls
{
    /// <summary>A what-if on <c>scenarios/<paramref name="example"/></c> with <paramref name="trials"/> trials.</summary>
    public static WhatIf Start(string example, int trials) =>
        WhatIfTests.Start(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", example), trials);

    /// <summary>The controls of the base whose path starts with one of <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<WhatIfControl> Of(WhatIf whatIf, params string[] prefixes) =>
        [.. InstrumentControls.Of(whatIf.Base).Where(c => prefixes.Any(p => c.Path.StartsWith(p, StringComparison.Ordinal)))];

    /// <summary>The value at <paramref name="path"/> in the file as written; null when the file leaves it out.</summary>
    public static double? InFile(WhatIf whatIf, string path) =>
        ScenarioPath.Parse(path, out string? problem) is { } parsed ? parsed.Get(whatIf.File)?.GetValue<double>() : throw new ArgumentException(problem, nameof(path));

    /// <summary>Each control's value is the one the scenario holds at its path with defaults filled in (a choice's, the index
    /// of the name there).</summary>
    public static void AssertValuesAsFilled(WhatIf whatIf, IEnumerable<WhatIfControl> controls)
    {
        var filled = JsonNode.Parse(whatIf.Base.Scenario.FilledJson)!.AsObject();
        foreach (var c in controls)
        {
            var written = (ScenarioPath.Parse(c.Path, out string? problem) ?? throw new ArgumentException(problem, nameof(controls))).Get(filled);
            Assert.That(written, Is.Not.Null, $"{c.Path}: not in the filled scenario");
            if (c.Options is { } options) Assert.That(options[(int)c.Value], Is.EqualTo(written!.GetValue<string>()), c.Path);
            else Assert.That(c.Value, Is.EqualTo(written!.GetValue<double>()), c.Path);
        }
    }

    /// <summary>The setting the page sends for <paramref name="control"/> at <paramref name="value"/>: the path (a choice's
    /// name for its index), and its balance moved the other way.</summary>
    public static List<KeyValuePair<string, JsonNode?>> Moved(WhatIfControl control, double value)
    {
        var set = control.Options is { } options
            ? [KeyValuePair.Create(control.Path, (JsonNode?)JsonValue.Create(options[(int)value]))]
            : WhatIfTests.Set((control.Path, value));
        // As the page sends it: the balance rounded to 12 decimals (0.1 − (0.30000000000000004 − 0.2) is −2.8e-17, not 0).
        if (control.Balance is { } balance) set.AddRange(WhatIfTests.Set((balance, Math.Round(control.BalanceValue - (value - control.Value), 12))));
        return set;
    }

    /// <summary>Each control at its min, at its max and one step either side of its value (where within the range) is a
    /// setting the format accepts, and the value lies in the range on the slider's grid (a browser snaps a value off it).</summary>
    public static void AssertEveryPositionAccepted(WhatIf whatIf, IEnumerable<WhatIfControl> controls)
    {
        foreach (var c in controls)
        {
            Assert.That(c.Group, Is.Not.Empty, c.Path);
            Assert.That(c.Step, Is.Positive, c.Path);
            Assert.That(c.Value, Is.InRange(c.Min, c.Max), c.Path);
            double steps = (c.Value - c.Min) / c.Step;
            Assert.That(steps, Is.EqualTo(Math.Round(steps)).Within(1e-9), $"{c.Path}: its value is not on the slider's grid");
            var positions = new List<double> { c.Min, c.Max };
            if (c.Value + c.Step <= c.Max) positions.Add(c.Value + c.Step);
            if (c.Value - c.Step >= c.Min) positions.Add(c.Value - c.Step);
            foreach (double v in positions)
                Assert.That(whatIf.Check(Moved(c, v)), Is.Empty, $"{c.Path} = {v.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Evaluates <paramref name="set"/> as the page does and asserts that it equals the batch run of the same
    /// variant to the last digit (summary.json and every key figure with its difference); returns the what-if's figures.</summary>
    public static IReadOnlyList<FigureComparison> EvaluateAsBatch(WhatIf whatIf, List<KeyValuePair<string, JsonNode?>> set, int trials)
    {
        var (outcome, errors) = whatIf.Evaluate(set);
        Assert.That(errors, Is.Empty);
        using var temp = new TempDirectory();
        var batch = WhatIfTests.Batch(whatIf, temp.Path, set, trials);
        Assert.That(WhatIfTests.Summary(outcome!.Result), Is.EqualTo(WhatIfTests.Summary(batch.Variants[0])));
        var expected = batch.Comparison!.Find(WhatIf.VariantName)!.Figures;
        Assert.That(outcome.Figures.Select(f => (f.Figure.Name, f.Estimate, f.Difference)),
            Is.EqualTo(expected.Select(f => (f.Figure.Name, f.Estimate, f.Difference))));
        return outcome.Figures;
    }
}
