using Simulator.Core.Scenarios;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

/// <summary>Names, titles, sizes and counts a scenario may not exceed, and the messages that say so.</summary>
public class ScenarioLimitsTests
{
    private const string Fund = """{ "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 }""";

    private static string WithFund(string fields) => $$"""{ "name": "u", {{fields}}, "funds": [ {{Fund}} ] }""";

    [Test]
    public void Parse_ChineseFundName_SaysAsciiAndPointsToTitle()
    {
        var e = TestScenarios.Errors("""{ "name": "u", "funds": [ { "name": "种子基金", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""").Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].name"));
        Assert.That(e.Message, Does.Contain("ASCII letters A-Z/a-z, digits, '_' and '-'").And.Contain("\"title\""));
    }

    [Test]
    public void Parse_FundAndGuaranteeTitles_KeptInTheFilledScenario()
    {
        var s = TestScenarios.Load("""
            { "name": "u",
              "funds": [ { "name": "f", "title": "种子基金A", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
              "guarantees": [ { "name": "g", "title": "科技担保4222", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.02 }, "shares": { "bank": 1 } } ] }
            """);
        string json = ScenarioJsonWriter.ToJson(s);
        Assert.Multiple(() =>
        {
            Assert.That(s.Spec().Funds![0].Title, Is.EqualTo("种子基金A"));
            Assert.That(s.Spec().Guarantees![0].Title, Is.EqualTo("科技担保4222"));
            Assert.That(json, Does.Contain("\"title\": \"种子基金A\"").And.Contain("\"title\": \"科技担保4222\""));
        });
    }

    [Test]
    public void ToJson_TapeSchemeWithTitle_KeepsTheTitle()
    {
        using var temp = new TempDirectory();
        temp.Write("book.csv", "id,amount,pd,lgd,termYears,startYear\nA,1e6,0.02,0.5,1,1\n");
        var load = ScenarioLoader.Parse("""{ "name": "u", "guarantees": [ { "name": "g", "title": "宁科贷", "loanTape": "book.csv", "shares": { "bank": 1 } } ] }""",
            Path.Combine(temp.Path, "s.json"), temp.Path);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        Assert.That(ScenarioJsonWriter.ToJson(load.Scenario!), Does.Contain("\"title\": \"宁科贷\""));
    }

    [Test]
    public void Parse_TitleOverTheLimit_Refused()
    {
        var e = TestScenarios.Errors(WithFund($"\"title\": \"{new string('题', 201)}\"")).Single();
        Assert.That(e.Message, Does.Contain("201 characters").And.Contain("at most 200"));
    }

    [TestCase("""{ "name": "u\n", "funds": [ FUND ] }""", "$.name")]
    [TestCase("""{ "name": "u", "funds": [ { "name": "f\n", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""", "$.funds[0].name")]
    [TestCase("""{ "name": "u", "factors": [ { "name": "macro\n" } ], "funds": [ FUND ] }""", "$.factors[0].name")]
    [TestCase("""{ "name": "u", "outcomes": { "m\n": { "writeOff": 1 } }, "funds": [ FUND ] }""", "$.outcomes[\"m\\n\"]")]
    [TestCase("""{ "name": "u", "funds": [ FUND ], "variants": [ { "name": "v\n", "set": { "funds[f].deals": 5 } } ] }""", "$.variants[0].name")]
    public void Parse_NameWithTrailingNewline_Rejected(string json, string path)
    {
        var errors = TestScenarios.Errors(json.Replace("FUND", Fund, StringComparison.Ordinal));
        Assert.That(errors.Select(e => e.Path), Does.Contain(path));
    }

    [Test]
    public void Parse_NameOf64Characters_Accepted()
    {
        var s = TestScenarios.Load($$"""{ "name": "{{new string('n', 64)}}", "funds": [ {{Fund}} ] }""");
        Assert.That(s.Name, Has.Length.EqualTo(64));
    }

    [TestCase("name")]
    [TestCase("funds[0].name")]
    [TestCase("guarantees[0].name")]
    public void Parse_NameOf240Characters_RefusedAtValidation(string which)
    {
        string longName = new('n', 240);
        string json = """{ "name": "SCENARIO", "funds": [ { "name": "FUND", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ], "guarantees": [ { "name": "SCHEME", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.02 }, "shares": { "bank": 1 } } ] }"""
            .Replace("SCENARIO", which == "name" ? longName : "u", StringComparison.Ordinal)
            .Replace("FUND", which == "funds[0].name" ? longName : "f", StringComparison.Ordinal)
            .Replace("SCHEME", which == "guarantees[0].name" ? longName : "g", StringComparison.Ordinal);
        var e = TestScenarios.Errors(json).Single();
        Assert.That(e.Path, Is.EqualTo("$." + which));
        Assert.That(e.Message, Does.Contain("240 characters").And.Contain("at most 64 characters"));
    }

    [Test]
    public void Parse_SweepOfTenThousandCombinations_RefusedWithCountAndLimit()
    {
        string values = string.Join(", ", Enumerable.Range(1, 100));
        var e = TestScenarios.Errors(WithFund($$"""
            "sweep": { "funds[f].deals": [ {{values}} ], "funds[f].lifeYears": [ {{values}} ] }
            """)).Single();
        Assert.That(e.Path, Is.EqualTo("$.sweep"));
        Assert.That(e.Message, Does.Contain("10,000 variants").And.Contain("100 × 100").And.Contain("at most 1,000"));
    }

    [Test]
    public void Parse_VariantsAndSensitivityInputs_CountedTogether()
    {
        string variants = string.Join(", ", Enumerable.Range(0, 999).Select(i => $$"""{ "name": "v{{i}}", "set": { "funds[f].deals": 5 } }"""));
        var e = TestScenarios.Errors(WithFund($$"""
            "variants": [ {{variants}} ],
            "sensitivity": { "output": "f.breachProbability", "inputs": [ { "path": "funds[f].deals", "delta": 1 } ] }
            """)).Single();
        Assert.That(e.Message, Does.Contain("1,001 variants").And.Contain("999 in \"variants\"").And.Contain("2 for 1 sensitivity inputs"));
    }

    [Test]
    public void Parse_CommitmentAbove1e15_MessageGivesTheBound()
    {
        var e = TestScenarios.Errors("""{ "name": "u", "funds": [ { "name": "f", "type": "seed", "commitment": 1e308, "deals": 10, "check": 1e6 } ] }""").Single();
        Assert.That(e.Message, Does.Contain("1e308").And.EndWith("allowed: a number > 0 and ≤ 1e15"));
    }

    [Test]
    public void Parse_NegativeSeed_RangePrintedAsIntegers()
    {
        var e = TestScenarios.Errors(WithFund("\"simulation\": { \"seed\": -1 }")).Single();
        Assert.That(e.Message, Does.EndWith("allowed: an integer from 0 to 9223372036854775807"));
    }

    [Test]
    public void Parse_LargestSeed_Accepted()
    {
        Assert.That(TestScenarios.Load(WithFund("\"simulation\": { \"seed\": 9223372036854775807 }")).Seed, Is.EqualTo(long.MaxValue));
    }

    [TestCase("lossRatios", "0.5")]
    [TestCase("exceedance", "1e6")]
    public void Parse_HundredsOfThousandsOfThresholds_RefusedQuickly(string list, string value)
    {
        // One line of 200,000 values: before the limit, positions were counted from the start of the line for each
        // value (quadratic), and every threshold was bound and checked.
        string values = string.Join(",", Enumerable.Repeat(value, 200_000));
        var e = TestScenarios.Errors(WithFund($"\"report\": {{ \"{list}\": [ {values} ] }}")).Single();
        Assert.That(e.Path, Is.EqualTo($"$.report.{list}"));
        Assert.That(e.Message, Does.Contain("200,000 items").And.Contain("at most 1,000"));
    }

    [Test]
    public void Parse_ThousandThresholds_Accepted()
    {
        string values = string.Join(",", Enumerable.Range(0, 1000).Select(i => (i / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(TestScenarios.Load(WithFund($"\"report\": {{ \"lossRatios\": [ {values} ] }}")).ReportLossRatios, Has.Count.EqualTo(1000));
    }

    private static string Funds(int count) => $$"""{ "name": "u", "funds": [ {{string.Join(", ", Enumerable.Range(0, count).Select(i =>
        $$$"""{ "name": "f{{{i}}}", "type": "seed", "commitment": 1e8, "deals": 100000, "check": 1e3 }"""))}} ] }""";

    [Test]
    public void Parse_HundredFundsOfHundredThousandDeals_Refused()
    {
        var e = TestScenarios.Errors(Funds(100)).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds"));
        Assert.That(e.Message, Does.Contain("10,000,000 projects").And.Contain("at most 1,000,000"));
    }

    [Test]
    public void Parse_AMillionProjects_Accepted()
    {
        Assert.That(TestScenarios.Load(Funds(10)).Funds.Sum(f => f.Deals), Is.EqualTo(1_000_000));
    }

    [Test]
    public void Parse_MoreThanTenMillionLoans_Refused()
    {
        string schemes = string.Join(", ", Enumerable.Range(0, 11).Select(i => $$"""{ "name": "g{{i}}", "loans": { "perYear": 1000000, "years": 1, "amount": 1e6, "pd": 0.02 }, "shares": { "bank": 1 } }"""));
        var e = TestScenarios.Errors($$"""{ "name": "u", "guarantees": [ {{schemes}} ] }""").Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees"));
        Assert.That(e.Message, Does.Contain("11,000,000 loans").And.Contain("at most 10,000,000"));
    }

    [Test]
    public void Parse_MoreThanAThousandFunds_Refused()
    {
        string funds = string.Join(", ", Enumerable.Range(0, 1001).Select(i => $$"""{ "name": "f{{i}}", "type": "seed", "commitment": 1e8, "deals": 1, "check": 1e3 }"""));
        var e = TestScenarios.Errors($$"""{ "name": "u", "funds": [ {{funds}} ] }""").Single();
        Assert.That(e.Message, Does.Contain("1,001 items").And.Contain("at most 1,000"));
    }

    [Test]
    public void Parse_MoreThanAHundredFactors_Refused()
    {
        string factors = string.Join(", ", Enumerable.Range(0, 101).Select(i => $$"""{ "name": "x{{i}}" }"""));
        var e = TestScenarios.Errors(WithFund($"\"factors\": [ {factors} ]")).Single();
        Assert.That(e.Path, Is.EqualTo("$.factors"));
        Assert.That(e.Message, Does.Contain("at most 100"));
    }
}
