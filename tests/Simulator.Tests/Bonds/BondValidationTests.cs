using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Bonds;

/// <summary>Bad bonds are refused with every problem at once, each with its JSON path, the value and what is allowed.</summary>
public class BondValidationTests
{
    private static string Scenario(string bond) => $$"""
        { "name": "bad-bond",
          "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
          "bonds": [ {{bond}} ] }
        """;

    [Test]
    public void Validate_UnknownFundSharesAboveOneNegativeCoupon_AllReportedWithPaths()
    {
        var errors = TestScenarios.Errors(Scenario("""
            { "name": "b", "sources": [ { "fund": "seed-aa", "share": 0.3 }, { "fund": "seed-a", "share": 1.5 } ],
              "amount": 1e8, "coupon": -0.01, "termYears": 5 }
            """));
        string text = string.Join("\n", errors);
        Assert.That(errors.Select(e => e.Path), Is.SupersetOf(new[] { "$.bonds[0].sources[0].fund", "$.bonds[0].sources[1].share", "$.bonds[0].coupon" }), text);
        Assert.That(errors.First(e => e.Path == "$.bonds[0].sources[0].fund").Message, Does.Contain("unknown fund 'seed-aa'").And.Contain("seed-a"));
        Assert.That(errors.All(e => e.Line is not null), text);
    }

    [Test]
    public void Validate_EnhancementAboveOneAndBadRecovery_Reported()
    {
        var errors = TestScenarios.Errors(Scenario("""
            { "name": "b", "sources": [ { "fund": "seed-a", "share": 0.3 } ], "amount": 1e8, "coupon": 0.02, "termYears": 5,
              "enhancement": { "tool": 0.6, "localGuarantor": 0.6 }, "recovery": "later" }
            """));
        Assert.That(errors.Select(e => e.Path), Is.SupersetOf(new[] { "$.bonds[0].enhancement", "$.bonds[0].recovery" }), string.Join("\n", errors));
        Assert.That(errors.First(e => e.Path == "$.bonds[0].recovery").Message, Does.Contain("\"later\"").And.Contain("later-inflows"));
    }

    [Test]
    public void Validate_FundSharedOutTwiceAboveOne_Reported()
    {
        var errors = TestScenarios.Errors($$"""
            { "name": "bad-bond",
              "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
              "bonds": [ { "name": "b1", "sources": [ { "fund": "seed-a", "share": 0.6 } ], "amount": 1e8, "coupon": 0.02, "termYears": 5 },
                         { "name": "b2", "sources": [ { "fund": "seed-a", "share": 0.6 } ], "amount": 1e8, "coupon": 0.02, "termYears": 5 } ] }
            """);
        Assert.That(errors.Single().Path, Is.EqualTo("$.bonds"));
        Assert.That(errors.Single().Message, Does.Contain("'seed-a'").And.Contain("1.2"));
    }

    [Test]
    public void Run_BadBond_ExitsTwoWithPathAndNoResultFolder()
    {
        using var temp = new TempDirectory();
        string file = Path.Combine(temp.Path, "bad-bond.json");
        File.WriteAllText(file, Scenario("""
            { "name": "b", "sources": [ { "fund": "nope", "share": 0.3 } ], "amount": 1e8, "coupon": 0.02, "termYears": 5 }
            """));
        string output = Path.Combine(temp.Path, "out");
        using var host = CliHost.Build();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(["run", file, "--out", output], host.Services, new StringWriter(), stderr, CancellationToken.None).GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(2), stderr.ToString());
        Assert.That(stderr.ToString(), Does.Contain("$.bonds[0].sources[0].fund").And.Contain("unknown fund 'nope'"));
        Assert.That(Directory.Exists(Path.Combine(output, "bad-bond")), Is.False);
    }
}
