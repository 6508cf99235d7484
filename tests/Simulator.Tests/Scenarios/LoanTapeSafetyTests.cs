using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

/// <summary>Loan tapes a scenario file may name: only in its own folder, and their bad cells quoted shortly.</summary>
public class LoanTapeSafetyTests
{
    private const string Header = "id,amount,pd,lgd,termYears,startYear";

    private TempDirectory _temp = null!;

    private string Folder => Path.Combine(_temp.Path, "scenarios");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("simulator-tape-safety");
        // A file beside the scenarios' folder, shaped like /etc/passwd: it must never be read nor quoted.
        _temp.Write("secret.csv", "root:x:0:0:root:/root:/bin/bash-and-some-more-text-to-be-long\n");
        _temp.Write("scenarios/tapes/book.csv", $"{Header}\nA,1e6,0.02,0.5,1,1\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private LoadResult Load(string tape) => ScenarioLoader.Parse(
        $$"""{ "name": "u", "guarantees": [ { "name": "g", "loanTape": {{System.Text.Json.JsonSerializer.Serialize(tape)}}, "shares": { "bank": 1 } } ] }""",
        Path.Combine(Folder, "s.json"), Folder);

    [TestCase("../secret.csv")]
    [TestCase("tapes/../../secret.csv")]
    [TestCase("../../../../../../../../../../etc/passwd")]
    public void Parse_TapeOutsideTheScenarioFolder_RefusedWithoutReadingIt(string tape)
    {
        var e = Load(tape).Errors.Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees[0].loanTape"));
        Assert.That(e.Message, Does.Contain("outside the scenario file's folder").And.Not.Contain("root:x"));
    }

    [Test]
    public void Parse_AbsolutePathOutsideTheFolder_Refused()
    {
        var e = Load(Path.Combine(_temp.Path, "secret.csv")).Errors.Single();
        Assert.That(e.Message, Does.Contain("outside"));
    }

    [Test]
    public void Parse_AbsolutePathInsideTheFolder_Accepted()
    {
        var load = Load(Path.Combine(Folder, "tapes", "book.csv"));
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
    }

    [Test]
    public void Parse_SymbolicLinkPointingOutside_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(Folder, "tapes", "link.csv"), Path.Combine(_temp.Path, "secret.csv"));
        var e = Load("tapes/link.csv").Errors.Single();
        Assert.That(e.Message, Does.Contain("outside").And.Not.Contain("root:x"));
    }

    [Test]
    public void Parse_LinkedFolderPointingOutside_Refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Folder, "up"), _temp.Path);
        var e = Load("up/secret.csv").Errors.Single();
        Assert.That(e.Message, Does.Contain("outside"));
    }

    [Test]
    public void Parse_TapeWithALongForeignFirstLine_QuotesAtMost40Characters()
    {
        File.Copy(Path.Combine(_temp.Path, "secret.csv"), Path.Combine(Folder, "tapes", "copy.csv"));
        var e = Load("tapes/copy.csv").Errors.First(x => x.Message.StartsWith("unknown column", StringComparison.Ordinal));
        Assert.That(e.Message, Does.Contain("'root:x:0:0:root:/root:/bin/bash-and-som…'").And.Not.Contain("more-text"));
    }

    [TestCase("1e400", "value '1e400' is not a number")]
    [TestCase("9999999999999999999999999", "value 9999999999999999999999999 is out of range")]
    public void Parse_TapeAmountThatOverflows_ReportedWithTheAllowedRange(string amount, string problem)
    {
        File.WriteAllText(Path.Combine(Folder, "tapes", "big.csv"), $"{Header}\nA,{amount},0.02,0.5,1,1\n");
        var e = Load("tapes/big.csv").Errors.Single();
        Assert.That((e.Path, e.Line, e.Column), Is.EqualTo(("$.guarantees[0].loanTape", 2, 2)));
        Assert.That(e.Message, Does.Contain(problem).And.EndWith("allowed: an amount in CNY greater than 0 and at most 1e15"));
    }
}
