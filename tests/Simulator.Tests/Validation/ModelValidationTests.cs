using Simulator.Core.Validation;

namespace Simulator.Tests.Validation;

/// <summary>The validation report's cases (docs/validation.md) must all sit within four standard errors.</summary>
public class ModelValidationTests
{
    [Test]
    public void Run_EveryCase_WithinFourStandardErrors()
    {
        var cases = ModelValidation.Run(trials: 40_000, threads: 2);
        Assert.That(cases, Has.Count.GreaterThanOrEqualTo(10));
        Assert.That(cases.Select(c => c.StandardError), Is.All.GreaterThan(0));
        foreach (var c in cases)
            Assert.That(Math.Abs(c.Z), Is.LessThanOrEqualTo(4), $"{c.Group} / {c.Case} / {c.Figure}: exact {c.Exact:G6}, simulated {c.Simulated:G6} ± {c.StandardError:G3}");
    }

    [Test]
    public void Markdown_ListsEveryCaseWithItsZ()
    {
        var cases = new[] { new ValidationCase("G", "c", "f", 1.0, 1.1, 0.05, 100) };
        string md = Simulator.Reporting.Markdown.ValidationReport.Render(cases, "9.9.9", "cmd");
        Assert.That(md, Does.Contain("| c | f | 1 | 1.1 | 0.05 | 2.00 | 100 |"));
        Assert.That(md, Does.Contain("All 1 cases lie within four standard errors."));
    }
}
