using System.Text.RegularExpressions;
using Simulator.Cli;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Numbers;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>
/// The console output the documentation shows is what the program prints for the scenario shown, at its trials and
/// seed (issue 18, item 18: the README's headline table and scenario-format.md's worked example had drifted). Only
/// the elapsed times may differ. After an intended change, run with UPDATE_DOCS=1 to rewrite the blocks (keeping
/// their times) and review the diff.
/// </summary>
public partial class DocumentedOutputTests
{
    private static string Root => TestScenarios.RepositoryRoot;

    [Test]
    public void Readme_HeadlineTable_IsWhatTheExampleScenarioPrints()
    {
        string path = Path.Combine(Root, "README.md");
        var load = ScenarioLoader.Load(Path.Combine(Root, "scenarios", "wuhan-seed-angel.json"));
        Assert.That(load.Errors, Is.Empty);
        var result = TestScenarios.Run(load.Scenario!);
        CheckBlock(path, "wuhan-seed-angel: ", Printed(result, "output/wuhan-seed-angel"));

        // The sentence under the block reads the seed fund's figures off the same run.
        var seed = result.Funds.Single(f => f.Fund.Name == "seed-a");
        string readme = File.ReadAllText(path);
        string nothingLost = ((1 - seed.LossRatios.Exceedance(0)) * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
        foreach (string phrase in new[] { $"in {nothingLost}% of them the fund loses nothing", $"breached in {FigureText.Percent(seed.Breach.Probability, 1)} of trials" })
            Assert.That(readme.Contains(phrase, StringComparison.Ordinal), Is.True, $"README's reading of the chart should say: {phrase}");
    }

    [Test]
    public void ScenarioFormat_WorkedExample_IsWhatItsScenarioPrints()
    {
        string path = Path.Combine(Root, "docs", "scenario-format.md");
        string doc = File.ReadAllText(path);
        var json = Regex.Match(doc, "```jsonc\n// scenarios/hubei-pilot.json\n(.*?)```", RegexOptions.Singleline);
        Assert.That(json.Success, Is.True, "the worked example's scenario block");
        var result = TestScenarios.Run(TestScenarios.Load(json.Groups[1].Value));
        CheckBlock(path, "hubei-pilot: ", Printed(result, "/tmp/results/hubei-pilot"));

        // The reading under the block quotes the seed fund's and the programme's breach probabilities.
        string text = Regex.Replace(File.ReadAllText(path), @"\s+", " ");
        var seed = result.Funds.Single(f => f.Fund.Name == "seed-1").Breach;
        foreach (string phrase in new[]
        {
            $"Read: in {FigureText.Percent(seed.Probability, 1)} of the simulated fund lives",
            $"interval {FigureText.Percent(seed.Ci95Low, 1).TrimEnd('%')}–{FigureText.Percent(seed.Ci95High, 1)},",
            $"in {FigureText.Percent(result.Programme!.Breach.Probability, 1)} of trials.",
        })
        {
            Assert.That(text.Contains(phrase, StringComparison.Ordinal), Is.True, $"scenario-format.md's reading of the example should say: {phrase}");
        }
    }

    /// <summary>What <c>simulator run</c> prints for <paramref name="result"/> written to <paramref name="folder"/>.</summary>
    private static string Printed(Core.Engine.SimulationResult result, string folder)
    {
        var w = new StringWriter { NewLine = "\n" };
        ConsoleSummary.Print(w, result, TimeSpan.FromSeconds(1));
        ConsoleSummary.PrintWritten(w, folder, TimeSpan.FromSeconds(1));
        return w.ToString();
    }

    /// <summary>
    /// Compares the lines of the document's code block from the one starting with <paramref name="firstLine"/> to the
    /// "->" line with <paramref name="printed"/>, times aside; rewrites them under UPDATE_DOCS=1.
    /// </summary>
    private static void CheckBlock(string path, string firstLine, string printed)
    {
        string doc = File.ReadAllText(path);
        var block = Regex.Match(doc, $"^{Regex.Escape(firstLine)}.*?\n  -> [^\n]*\n", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.That(block.Success, Is.True, $"{Path.GetFileName(path)}: no block starting with '{firstLine}'");
        string documented = block.Value;
        if (Mask(documented) == Mask(printed)) return;
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            // The documented times stay: a test host's times say nothing about the command's.
            var times = Time().Matches(documented).Select(m => m.Value).ToList();
            int k = 0;
            string updated = Time().Replace(printed, m => k < times.Count ? times[k++] : m.Value);
            File.WriteAllText(path, doc[..block.Index] + updated + doc[(block.Index + block.Length)..]);
            Assert.Inconclusive($"{Path.GetFileName(path)}: block rewritten");
        }
        Assert.That(Mask(documented), Is.EqualTo(Mask(printed)),
            $"{Path.GetFileName(path)} shows output the program no longer prints; run the tests with UPDATE_DOCS=1 to rewrite it, or replace it with:\n{printed}");
    }

    private static string Mask(string text) => Time().Replace(text, "<t> s");

    [GeneratedRegex(@"\b\d+\.\d s\b")]
    private static partial Regex Time();
}
