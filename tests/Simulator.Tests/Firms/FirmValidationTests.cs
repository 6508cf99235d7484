using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Firms;

/// <summary>Bad books of firms and bad firm tapes: every problem at once, with its JSON path, or its tape line and column.</summary>
public class FirmValidationTests
{
    private TempDirectory _temp = null!;

    private string _dir => _temp.Path;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-firms");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string Book(string body) => $$"""{ "name": "v", "factors": [ { "name": "macro" } ], "firms": [ { "name": "f", {{body}} } ] }""";

    private const string Loan = "\"loan\": { \"amount\": 1e6, \"pd\": 0.02 }";

    [Test]
    public void Fields_OutOfRange_AllReportedWithPaths()
    {
        var errors = TestScenarios.Errors(Book("\"perYear\": 0, \"years\": 2, \"link\": 1.5, " +
            "\"loan\": { \"amount\": -5, \"pd\": 1.5, \"lgd\": { \"uniform\": [0.5, 1.5] }, \"termYears\": 40 }, " +
            "\"equity\": { \"check\": 1e5, \"outcomes\": \"sede\", \"holder\": \"bnk\" }, \"compensation\": { \"creditLoss\": 2 }, \"exposure\": { \"macro\": 0.99, \"micro\": 0.3 }"));
        var paths = errors.Select(e => e.Path).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "$.firms[0].perYear", "$.firms[0].link", "$.firms[0].loan.amount", "$.firms[0].loan.pd", "$.firms[0].loan.lgd", "$.firms[0].loan.termYears",
            "$.firms[0].equity.outcomes", "$.firms[0].equity.holder", "$.firms[0].compensation.creditLoss", "$.firms[0].exposure.micro",
        }));
        Assert.That(errors.Single(e => e.Path == "$.firms[0].equity.outcomes").Message, Does.Contain("did you mean 'seed'"));
    }

    [Test]
    public void Firms_NeitherGeneratedNorTape_Rejected()
    {
        var e = TestScenarios.Errors(Book(Loan)).Single();
        Assert.That(e.Path, Is.EqualTo("$.firms[0]"));
        Assert.That(e.Message, Does.Contain("perYear").And.Contain("firmTape"));
    }

    [Test]
    public void Loan_MissingAmountWithoutTape_Rejected()
    {
        var e = TestScenarios.Errors(Book("\"perYear\": 1, \"years\": 1, \"loan\": { \"pd\": 0.02 }")).Single();
        Assert.That(e.Path, Is.EqualTo("$.firms[0].loan"));
        Assert.That(e.Message, Does.Contain("missing amount"));
    }

    [Test]
    public void Tape_BadRows_ReportLineAndColumn()
    {
        File.WriteAllLines(Path.Combine(_dir, "firms.csv"),
        [
            "id,entryYear,amount,pd,macro",
            "a,1,1e6,0.02,0.3",
            "b,0,1e6,0.02,0.3",
            "c,1,1e6,2,0.3",
            "a,2,abc,0.02,0.3",
        ]);
        var load = ScenarioLoader.Parse(Book("\"firmTape\": \"firms.csv\", \"loan\": { \"lgd\": 0.5 }"), "bad.json", _dir);
        Assert.That(load.Scenario, Is.Null);
        var errors = load.Errors.Select(e => (e.Line, e.Column, e.Path)).ToList();
        Assert.That(errors, Is.SupersetOf(new (int?, int?, string)[]
        {
            (3, 2, "$.firms[0].firmTape"), (4, 4, "$.firms[0].firmTape"), (5, 1, "$.firms[0].firmTape"), (5, 3, "$.firms[0].firmTape"),
        }));
        Assert.That(load.Errors.First(e => e.Line == 4).Message, Does.Contain("column 'pd'").And.Contain("from 0 to 1"));
    }

    [Test]
    public void Tape_MissingColumnTheBlockDoesNotGive_Rejected()
    {
        File.WriteAllLines(Path.Combine(_dir, "firms.csv"), ["id,entryYear,amount", "a,1,1e6"]);
        var load = ScenarioLoader.Parse(Book("\"firmTape\": \"firms.csv\", \"loan\": { \"lgd\": 0.5 }"), "bad.json", _dir);
        Assert.That(load.Errors.Single().Message, Does.Contain("missing column 'pd'"));
    }

    [Test]
    public void Tape_ValidRows_BuildOneFirmEachInEntryOrder()
    {
        File.WriteAllLines(Path.Combine(_dir, "firms.csv"), ["id,entryYear,amount,pd,link", "late,3,2e6,0.05,1", "early,1,1e6,0.02,0"]);
        var load = ScenarioLoader.Parse(Book("\"firmTape\": \"firms.csv\", \"loan\": { \"lgd\": 0.5, \"termYears\": 2 }"), "ok.json", _dir);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var book = load.Scenario!.Get<Core.Firms.FirmsInstrument>()!.Books[0];
        Assert.That(book.Firms.Select(f => (f.EntryYear, f.Amount.Mean, f.Pd.Mean, f.Link, f.TermYears)),
            Is.EqualTo(new[] { (1, 1e6, 0.02, 0.0, 2), (3, 2e6, 0.05, 1.0, 2) }));
    }
}
