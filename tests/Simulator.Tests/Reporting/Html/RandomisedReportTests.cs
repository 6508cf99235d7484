using Simulator.Reporting.Html;
using Simulator.Tests.Support;
using static Simulator.Tests.Reporting.HtmlTestSupport;

namespace Simulator.Tests.Reporting.Html;

/// <summary>A run on Sobol points or Latin hypercubes says, in its report's method notes and inputs, that every standard
/// error is the randomisations'; a plain run's report says nothing of it.</summary>
public class RandomisedReportTests
{
    private static string Report(string sampling)
    {
        using var temp = new TempDirectory("simulator-randomised");
        var scenario = TestScenarios.Load($$"""
            { "name": "r", "simulation": { "trials": 2048, "seed": 3{{sampling}} }, "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "f", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.4 } } ] }
            """);
        var (result, comparison, plots) = RunInto(scenario, temp.Path);
        ScenarioReport.Write(result, comparison, plots, temp.Path);
        return File.ReadAllText(Path.Combine(temp.Path, "report.html"));
    }

    [TestCase(""", "sampling": "sobol" """, "scrambled Sobol points")]
    [TestCase(""", "sampling": "lhs" """, "Latin hypercubes")]
    public void Write_RandomisedSampling_SaysWhichStandardErrors(string sampling, string method)
    {
        string html = Report(sampling);
        Assert.That(html, Does.Contain($"Standard errors: the factors were drawn as {method} in 16 independent randomisations"));
        Assert.That(html, Does.Contain($"Factor draws: {method} in 16 independent randomisations"));
    }

    [Test]
    public void Write_PlainSampling_NoRandomisationNotes()
    {
        string html = Report("");
        Assert.That(html, Does.Not.Contain("randomisations"));
    }
}
