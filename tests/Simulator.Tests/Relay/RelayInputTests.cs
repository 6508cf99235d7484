using Simulator.Tests.Support;

namespace Simulator.Tests.Relay;

/// <summary>Bad relay and floor input through the command line: exit code 2, the JSON path, no result folder.</summary>
public class RelayInputTests
{
    private static string Scenario(string relay, string floor = "") => $$"""
        { "name": "bad-relay", "simulation": { "trials": 100 },
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 },
                     { "name": "v", "type": "venture", "commitment": 1e9, "deals": 20, "check": 2e7 } ],
          "relay": [ {{relay}} ]{{floor}} }
        """;

    private static void Refused(string json, params string[] paths)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.json", json);
        string output = Path.Combine(dir.Path, "out");
        var (code, _, stderr) = CliRunner.Run("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2), stderr);
        foreach (string path in paths) Assert.That(stderr, Does.Contain(path), stderr);
        Assert.That(Directory.Exists(Path.Combine(output, "bad-relay")), Is.False);
    }

    [Test]
    public void Relay_NoEligibleSellers_ExitsTwoWithPath() =>
        Refused(Scenario("""{ "name": "r", "fund": "v", "sellers": ["v"] }"""), "$.relay[0].sellers[0]", "no eligible funds", "seed and angel funds only");

    [Test]
    public void Relay_UnknownFunds_ExitsTwoWithPaths() =>
        Refused(Scenario("""{ "name": "r", "fund": "vc", "sellers": ["s", "seed-9"] }"""), "$.relay[0].fund", "unknown fund 'vc'", "$.relay[0].sellers[1]", "unknown fund 'seed-9'");

    [Test]
    public void Relay_SeedFundAsRelayFund_ExitsTwoWithPath() =>
        Refused(Scenario("""{ "name": "r", "fund": "s", "sellers": ["s"] }"""), "$.relay[0].fund", "is a seed fund");

    [Test]
    public void Relay_SharesAboveOne_ExitsTwoWithEveryPath() =>
        Refused(Scenario("""{ "name": "r", "fund": "v", "sellers": ["s"], "budgetShare": 1.5, "information": 2 }""",
            """, "floor": [ { "name": "f", "share": 1.2 } ]"""), "$.relay[0].budgetShare", "$.relay[0].information", "$.floor[0].share");

    [Test]
    public void Relay_NeitherFundNorVehicle_ExitsTwoWithPath() =>
        Refused(Scenario("""{ "name": "r", "sellers": ["s"] }"""), "$.relay[0]", "neither");

    [Test]
    public void Floor_UnknownFund_ExitsTwoWithPath() =>
        Refused(Scenario("""{ "name": "r", "fund": "v", "sellers": ["s"] }""", """, "floor": [ { "name": "f", "funds": ["s", "nope"] } ]"""), "$.floor[0].funds[1]");
}
