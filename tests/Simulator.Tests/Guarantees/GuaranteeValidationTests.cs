using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Guarantees;

public class GuaranteeValidationTests
{
    private TempDirectory _temp = null!;

    private string _dir => _temp.Path;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-gv");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string Scheme(string body) => $$"""{ "name": "v", "factors": [ { "name": "macro" } ], "guarantees": [ { "name": "g", {{body}} } ] }""";

    private const string Loans = "\"loans\": { \"perYear\": 10, \"years\": 2, \"amount\": 1e6, \"pd\": 0.02 }";

    [Test]
    public void Shares_NotSummingToOne_ReportedWithPath()
    {
        var e = TestScenarios.Errors(Scheme(Loans + ", \"shares\": { \"guarantor\": 0.4, \"reGuarantee\": 0.2, \"bank\": 0.2, \"government\": 0.1 }, \"guarantor\": { \"capital\": 1e8 }")).Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees[0].shares"));
        Assert.That(e.Message, Does.Contain("sum to 0.9").And.Contain("must sum to 1"));
    }

    [Test]
    public void GuarantorShareWithoutGuarantor_Rejected()
    {
        var e = TestScenarios.Errors(Scheme(Loans + ", \"shares\": { \"guarantor\": 0.5, \"bank\": 0.5 }")).Single();
        Assert.That(e.Message, Does.Contain("no \"guarantor\" block"));
    }

    [Test]
    public void LoansAndTapeTogether_Rejected()
    {
        var e = TestScenarios.Errors(Scheme(Loans + ", \"loanTape\": \"x.csv\", \"shares\": { \"bank\": 1 }"));
        Assert.That(e.Select(x => x.Message), Has.Some.Contains("keep one"));
    }

    [Test]
    public void Loans_BadFields_AllReported()
    {
        var errors = TestScenarios.Errors(Scheme("\"loans\": { \"perYear\": 0, \"years\": 2, \"amount\": -5, \"pd\": 1.5, \"lgd\": { \"uniform\": [0.5, 1.5] }, \"exposure\": { \"macro\": 0.99, \"micro\": 0.3 } }, \"shares\": { \"bank\": 1 }"));
        var paths = errors.Select(e => e.Path).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "$.guarantees[0].loans.perYear", "$.guarantees[0].loans.pd", "$.guarantees[0].loans.amount",
            "$.guarantees[0].loans.lgd", "$.guarantees[0].loans.exposure.micro", "$.guarantees[0].loans.exposure",
        }));
    }

    [Test]
    public void Tape_BadRows_ReportLineAndColumn()
    {
        File.WriteAllLines(Path.Combine(_dir, "bad.csv"),
        [
            "id,amount,pd,lgd,termYears,startYear,macro",
            "a,1000,0.02,0.5,3,1,0.3",
            "b,lots,0.02,0.5,3,1,0.3",
            "c,1000,1.2,0.5,3,1,0.3",
            "a,1000,0.02,0.5,0,1,0.3",
            "d,1000,0.02,0.5,3,1,1.5",
        ]);
        var load = ScenarioLoader.Parse(Scheme("\"loanTape\": \"bad.csv\", \"shares\": { \"bank\": 1 }"), Path.Combine(_dir, "s.json"), _dir);
        var lines = load.Errors.Select(e => (e.Line, e.Column, e.Message)).ToList();
        Assert.That(load.Scenario, Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Some.Matches<(int?, int?, string)>(x => x.Item1 == 3 && x.Item2 == 2 && x.Item3.Contains("'lots' is not a number")));
            Assert.That(lines, Has.Some.Matches<(int?, int?, string)>(x => x.Item1 == 4 && x.Item2 == 3 && x.Item3.Contains("column 'pd'")));
            Assert.That(lines, Has.Some.Matches<(int?, int?, string)>(x => x.Item1 == 5 && x.Item3.Contains("appears twice")));
            Assert.That(lines, Has.Some.Matches<(int?, int?, string)>(x => x.Item1 == 5 && x.Item2 == 5 && x.Item3.Contains("termYears")));
            Assert.That(lines, Has.Some.Matches<(int?, int?, string)>(x => x.Item1 == 6 && x.Item2 == 7 && x.Item3.Contains("a loading in")));
        });
        Assert.That(load.Errors[0].File, Does.EndWith("bad.csv"));
        Assert.That(load.Errors[0].Path, Is.EqualTo("$.guarantees[0].loanTape"));
    }

    [Test]
    public void Tape_BadHeader_NamesMissingAndUnknownColumns()
    {
        File.WriteAllLines(Path.Combine(_dir, "h.csv"), ["id,amount,pd,lgd,term,startYear", "a,1,0.1,1,1,1"]);
        var load = ScenarioLoader.Parse(Scheme("\"loanTape\": \"h.csv\", \"shares\": { \"bank\": 1 }"), "s.json", _dir);
        Assert.That(load.Errors.Select(e => e.Message), Has.Some.Contains("unknown column 'term'").And.Some.Contains("missing column 'termYears'"));
    }

    [Test]
    public void Tape_Missing_SaysWhereItLooked()
    {
        var load = ScenarioLoader.Parse(Scheme("\"loanTape\": \"nope.csv\", \"shares\": { \"bank\": 1 }"), "s.json", _dir);
        Assert.That(load.Errors.Single().Message, Does.Contain("not found"));
    }

    [Test]
    public void Tape_RhoAndFactorColumns_GiveLoadings()
    {
        File.WriteAllLines(Path.Combine(_dir, "ok.csv"), ["id,amount,pd,lgd,termYears,startYear,rho", "a,5,0.1,0.4,2,3,0.25", "b,7,0.1,0.4,1,1,0.25"]);
        var load = ScenarioLoader.Parse(Scheme("\"loanTape\": \"ok.csv\", \"shares\": { \"bank\": 1 }"), "s.json", _dir);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var book = (Core.Guarantees.TapeBook)load.Scenario!.Guarantees[0].Book;
        Assert.That(book.Ids, Is.EqualTo(new[] { "b", "a" }), "rows are issued by start year");
        Assert.That(book.Classes.Single().Loadings[0], Is.EqualTo(0.5));
        Assert.That(book.LastYear, Is.EqualTo(4));
    }

    [Test]
    public void Tape_ClassesAndOrder_ByExactNumbersThenStartYearAndPosition()
    {
        // 0.02, 2e-2 and 0.020000000000000001 are one double: one class; 0.0200000000000001 is another, and so is a
        // loading of -0 against 0 (their texts differed before; their bits differ now). Rows are issued by start year,
        // then in file order.
        File.WriteAllLines(Path.Combine(_dir, "k.csv"),
        [
            "id,amount,pd,lgd,termYears,startYear,macro",
            "a,5,0.02,0.4,1,3,0.3",
            "b,5,2e-2,0.4,1,1,0.3",
            "c,5,0.020000000000000001,0.4,1,2,0.3",
            "d,5,0.0200000000000001,0.4,1,1,0.3",
            "e,5,0.02,0.4,1,3,0",
            "f,5,0.02,0.4,1,1,-0",
            "g,5,0.02,0.4,1,2,0.3",
        ]);
        var load = ScenarioLoader.Parse(Scheme("\"loanTape\": \"k.csv\", \"shares\": { \"bank\": 1 }"), "s.json", _dir);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var book = (Core.Guarantees.TapeBook)load.Scenario!.Guarantees[0].Book;
        Assert.That(book.Ids, Is.EqualTo(new[] { "b", "d", "f", "c", "g", "a", "e" }));
        Assert.That(book.Classes, Has.Count.EqualTo(4));
        Assert.That(book.ClassOf, Is.EqualTo(new[] { 0, 1, 3, 0, 0, 0, 2 }), "classes numbered in file order: a, d, e, f");
    }
}
