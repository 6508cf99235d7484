using System.Text;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;
using Simulator.Core.Format;

namespace Simulator.Tests.Scenarios;

/// <summary>Text that cannot be read as a scenario at all: bytes that are not UTF-8, broken escapes, syntax errors,
/// absurd sizes. Each is one clear error with its position and nearest path, never an exception.</summary>
public class ScenarioTextTests
{
    private const string Fund = """{ "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 }""";

    private static LoadResult Parse(byte[] utf8) => ScenarioLoader.Parse(utf8, "bad.json", null);

    private static byte[] Bytes(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    [Test]
    public void Parse_HalfAChineseCharacterInAString_ReportsLineColumnAndPath()
    {
        // E5 AE are the first two of the three bytes of 安 (E5 AE 89): half a character, as a cut-off copy leaves it.
        var result = Parse(Bytes("{ \"name\": \"u\",\n  \"description\": \"", [0xE5, 0xAE], $"\", \"funds\": [ {Fund} ] }}"));
        var e = result.Errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Path, Is.EqualTo("$.description"));
            Assert.That(e.Line, Is.EqualTo(2));
            Assert.That(e.Column, Is.EqualTo(19));
            Assert.That(e.Message, Does.Contain("not valid UTF-8").And.Contain("E5 AE"));
        });
    }

    [Test]
    public void Parse_InvalidUtf8InAKey_ReportsTheEnclosingObject()
    {
        var result = Parse(Bytes($"{{ \"name\": \"u\", \"funds\": [ {Fund} ], \"x", [0xFF], "\": 1 }"));
        var e = result.Errors.Single();
        Assert.That(e.Path, Is.EqualTo("$"));
        Assert.That(e.Message, Does.Contain("FF"));
    }

    [Test]
    public void Parse_InvalidUtf8AfterValidChinese_ColumnCountsCharacters()
    {
        // 种子 is two characters but six bytes: the column is in characters, as editors show it (12 + 2 before the bad byte).
        var result = Parse(Bytes("{ \"title\": \"种子", [0xC3], "\" }"));
        Assert.That(result.Errors.Single().Column, Is.EqualTo(15));
    }

    [Test]
    public void Parse_LoneSurrogateEscape_ReportedNotThrown()
    {
        var errors = TestScenarios.Errors($$"""{ "name": "u", "title": "a\uD800b", "funds": [ {{Fund}} ] }""");
        var e = errors.Single();
        Assert.That(e.Path, Is.EqualTo("$.title"));
        Assert.That(e.Message, Does.Contain("\\uD800"));
    }

    [Test]
    public void Parse_LoneSurrogateEscapeInAKey_ReportedNotThrown()
    {
        var errors = TestScenarios.Errors($$"""{ "name": "u", "funds": [ { "name\uDC00": "f" } ] }""");
        Assert.That(errors.Single().Path, Is.EqualTo("$.funds[0]"));
    }

    [TestCase("{ \"name\": \"u\",\n  \"funds\": [ oops ] }", "$.funds[0]", 2, 14)]
    [TestCase("{ \"name\": \"u\", \"funds\": [ { \"name\": \"f\", \"deals\": , \"check\": 1 } ] }", "$.funds[0].deals", 1, 51)]
    [TestCase("{ \"name\": \"u\", \"funds\": [ { \"name\": \"f\" \"deals\": 1 } ] }", "$.funds[0]", 1, 41)]
    [TestCase("{ \"name\": \"u\", \"simulation\": { \"trials\": 1e5 ", "$.simulation", 1, 46)]
    public void Parse_SyntaxError_NearestPathAndPosition(string json, string path, int line, int column)
    {
        var e = TestScenarios.Errors(json).Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Path, Is.EqualTo(path));
            Assert.That((e.Line, e.Column), Is.EqualTo((line, column)));
            Assert.That(e.Message, Does.StartWith("invalid JSON"));
        });
    }

    [Test]
    public void Parse_ColumnOnALongLine_CountedFromTheLastValue()
    {
        // One line of many values: each column is counted on from the previous one, and must still be exact.
        string values = string.Join(", ", Enumerable.Repeat("0.5", 500));
        string json = $$"""{ "name": "u", "report": { "lossRatios": [ {{values}}, 2 ] }, "funds": [ {{Fund}} ] }""";
        var e = TestScenarios.Errors(json).Single();
        Assert.That(e.Path, Is.EqualTo("$.report.lossRatios[500]"));
        Assert.That(e.Column, Is.EqualTo(json.IndexOf(", 2 ]", StringComparison.Ordinal) + 3));
    }

    [Test]
    public void Parse_FileLargerThanTheLimit_RefusedWithSizeAndLimit()
    {
        var bytes = new byte[ScenarioLoader.MaxFileBytes + 10];
        Array.Fill(bytes, (byte)' ');
        var e = ScenarioLoader.Parse(bytes, "big.json", null).Errors.Single();
        Assert.That(e.Message, Does.Contain("10,485,770 bytes").And.Contain("at most 10,485,760"));
    }

    [Test]
    public void Load_FileLargerThanTheLimit_RefusedBeforeReading()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, "big.json");
        using (var stream = File.Create(path)) stream.SetLength(50L * 1024 * 1024);
        var e = ScenarioLoader.Load(path).Errors.Single();
        Assert.That(e.Message, Does.Contain("52,428,800 bytes"));
    }

    [Test]
    public void Parse_DescriptionOverTheLimit_RefusedWithLengthAndLimit()
    {
        var e = TestScenarios.Errors($$"""{ "name": "u", "description": "{{new string('x', 10_001)}}", "funds": [ {{Fund}} ] }""").Single();
        Assert.That(e.Path, Is.EqualTo("$.description"));
        Assert.That(e.Message, Does.Contain("10,001 characters").And.Contain("at most 10,000"));
    }

    [Test]
    public void Parse_LongUnknownKey_QuotedShortly()
    {
        string key = new('k', 5000);
        var e = TestScenarios.Errors($$"""{ "name": "u", "{{key}}": 1, "funds": [ {{Fund}} ] }""").Single();
        Assert.That(e.ToString(), Has.Length.LessThan(600));
    }

    [Test]
    public void Parse_ThousandsOfErrors_ListsAThousandAndCountsTheRest()
    {
        string fields = string.Join(", ", Enumerable.Range(0, 1500).Select(i => $"\"x{i}\": 1"));
        var errors = TestScenarios.Errors($$"""{ "name": "u", {{fields}}, "funds": [ {{Fund}} ] }""");
        Assert.That(errors, Has.Count.EqualTo(ScenarioLimits.ErrorsListed + 1));
        Assert.That(errors[^1].Message, Does.Contain("500 more errors"));
    }
}
