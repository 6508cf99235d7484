using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

/// <summary>Loan tapes whose cells overflow: reported with the allowed range, never thrown.</summary>
public class LoanTapeSafetyTests
{
    private const string Header = "id,amount,pd,lgd,termYears,startYear";

    private TempDirectory _temp = null!;

    private string Folder => Path.Combine(_temp.Path, "scenarios");

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("simulator-tape-safety");
        _temp.Write("scenarios/tapes/book.csv", $"{Header}\nA,1e6,0.02,0.5,1,1\n");
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private LoadResult Load(string tape) => ScenarioLoader.Parse(
        $$"""{ "name": "u", "guarantees": [ { "name": "g", "loanTape": {{System.Text.Json.JsonSerializer.Serialize(tape)}}, "shares": { "bank": 1 } } ] }""",
        Path.Combine(Folder, "s.json"), Folder);

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
