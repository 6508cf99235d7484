using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

public class ScenarioLoaderTests
{
    private const string Minimal = """{ "name": "m", "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""";

    [Test]
    public void Parse_MinimalFile_FillsDefaultsFromSpec()
    {
        var s = TestScenarios.Load(Minimal);
        var f = s.Funds[0];
        Assert.Multiple(() =>
        {
            Assert.That(s.Trials, Is.EqualTo(ScenarioDefaults.Trials));
            Assert.That(s.Seed, Is.EqualTo(ScenarioDefaults.Seed));
            Assert.That(f.Tolerance, Is.EqualTo(0.8));
            Assert.That(f.LifeYears, Is.EqualTo(10));
            Assert.That(f.InvestmentYears, Is.EqualTo(4));
            Assert.That(f.Outcomes.Name, Is.EqualTo("seed"));
            Assert.That(f.Fees, Is.EqualTo(Fees.None));
            Assert.That(s.Title, Is.EqualTo("m"));
        });
    }

    [Test]
    public void Parse_CommentsAndTrailingCommas_Accepted()
    {
        var s = TestScenarios.Load("""
            // leading comment
            { "name": "c", /* inline */ "funds": [ { "name": "f", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, }, ], }
            """);
        Assert.That(s.Funds[0].Tolerance, Is.EqualTo(0.6));
    }

    [TestCase("seed", 0.8)]
    [TestCase("angel", 0.6)]
    [TestCase("venture", 0.6)]
    [TestCase("direct", 1.0)]
    public void Parse_PolicyDefaults_AreWuhanRules(string type, double expected)
    {
        var s = TestScenarios.Load(Minimal.Replace("\"seed\"", $"\"{type}\""));
        Assert.That(s.Funds[0].Tolerance, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_FundTolerance_OverridesPolicy()
    {
        var s = TestScenarios.Load("""{ "name": "m", "policy": { "tolerance": { "seed": 0.7 } }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 }, { "name": "g", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "tolerance": 0.5 } ] }""");
        Assert.That(s.Funds.Select(f => f.Tolerance), Is.EqualTo(new[] { 0.7, 0.5 }));
    }

    [Test]
    public void Parse_InvalidJson_ReportsLineAndColumn()
    {
        var errors = TestScenarios.Errors("{\n  \"name\": \"x\",\n  \"funds\": [ oops ]\n}");
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Line, Is.EqualTo(3));
        Assert.That(errors[0].Message, Does.StartWith("invalid JSON"));
        Assert.That(errors[0].ToString(), Does.StartWith("bad.json:3:"));
    }

    [Test]
    public void Parse_WrongType_NamesPathLineAndValue()
    {
        var errors = TestScenarios.Errors("""
            { "name": "m",
              "funds": [ { "name": "f", "type": "seed", "commitment": "lots", "deals": 10, "check": 1e6 } ] }
            """);
        var e = errors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(e.Path, Is.EqualTo("$.funds[0].commitment"));
            Assert.That(e.Line, Is.EqualTo(2));
            Assert.That(e.Message, Does.Contain("\"lots\"").And.Contain("number"));
        });
    }

    [Test]
    public void Parse_OutOfRange_SaysWhatIsAllowed()
    {
        var e = TestScenarios.Errors(Minimal.Replace("\"deals\": 10", "\"deals\": -3")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].deals"));
        Assert.That(e.Message, Does.Contain("-3").And.Contain("from 1 to 100000"));
    }

    [Test]
    public void Parse_LifeBeyond15Years_Rejected()
    {
        var e = TestScenarios.Errors(Minimal.Replace("\"deals\": 10", "\"deals\": 10, \"lifeYears\": 16")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].lifeYears"));
        Assert.That(e.Message, Does.Contain("from 1 to 15"));
    }

    [Test]
    public void Parse_UnknownField_SuggestsClosestName()
    {
        var e = TestScenarios.Errors(Minimal.Replace("\"deals\"", "\"deal\"")).First(x => x.Path.EndsWith(".deal", StringComparison.Ordinal));
        Assert.That(e.Message, Does.Contain("unknown field 'deal'").And.Contain("did you mean 'deals'"));
    }

    [Test]
    public void Parse_ManyProblems_ReportsAllAtOnce()
    {
        var errors = TestScenarios.Errors("""
            { "name": "bad name!", "simulaton": {},
              "factors": [ { "name": "macro", "persistence": 1.5 } ],
              "funds": [ { "name": "f", "type": "sead", "commitment": 0, "deals": 10, "check": 1e6, "exposure": { "macro": 0.8, "ai": 0.7 } } ] }
            """);
        var paths = errors.Select(e => e.Path).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "$.name", "$.simulaton", "$.factors[0].persistence", "$.funds[0].type", "$.funds[0].commitment",
            "$.funds[0].exposure.ai", "$.funds[0].exposure",
        }));
        Assert.That(errors.Single(e => e.Path == "$.funds[0].type").Message, Does.Contain("did you mean 'seed'"));
    }

    [TestCase("0.8, \"ai\": 0.6", "sum to 1")]
    [TestCase("0.9, \"ai\": 0.5", "sum to 1.06")]
    public void Parse_LoadingsSquaresReachOne_Rejected(string loadings, string expected)
    {
        var json = """{ "name": "m", "factors": [ {"name": "macro"}, {"name": "ai"} ], "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": LOADINGS } } ] }""".Replace("LOADINGS", loadings);
        var e = TestScenarios.Errors(json).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].exposure"));
        Assert.That(e.Message, Does.Contain(expected).And.Contain("less than 1"));
    }

    [Test]
    public void Parse_MissingRequiredField_NamesIt()
    {
        var e = TestScenarios.Errors("""{ "name": "m", "funds": [ { "name": "f", "type": "seed", "deals": 10, "check": 1e6 } ] }""").Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0]"));
        Assert.That(e.Message, Does.Contain("missing required field 'commitment'"));
    }

    [Test]
    public void Parse_DuplicateKey_Rejected()
    {
        var e = TestScenarios.Errors(Minimal.Replace("\"deals\": 10", "\"deals\": 10, \"deals\": 12")).Single();
        Assert.That(e.Message, Does.Contain("appears twice"));
    }

    [Test]
    public void Parse_DuplicateAndReservedNames_Rejected()
    {
        var errors = TestScenarios.Errors("""{ "name": "m", "funds": [ { "name": "programme", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 }, { "name": "programme", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""");
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("reserved").And.Some.Contains("used twice"));
    }

    [Test]
    public void Parse_UnknownReferences_SuggestDeclaredNames()
    {
        var errors = TestScenarios.Errors("""
            { "name": "m", "factors": [ { "name": "macro" } ],
              "stresses": [ { "factor": "marco", "fromYear": 1, "shift": -1 } ],
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "outcomes": "angle" } ] }
            """);
        Assert.That(errors.Single(e => e.Path == "$.stresses[0].factor").Message, Does.Contain("did you mean 'macro'"));
        Assert.That(errors.Single(e => e.Path == "$.funds[0].outcomes").Message, Does.Contain("did you mean 'angel'"));
    }

    [Test]
    public void Parse_BadDistributions_EachReported()
    {
        var errors = TestScenarios.Errors("""
            { "name": "m",
              "outcomes": {
                "a": { "writeOff": 0.5, "partial": { "probability": 0.2, "multiple": { "uniform": [0.5, 1.5] } }, "success": { "lognormal": { "median": -1, "sigma": 1 } } },
                "b": { "writeOff": 0.8, "partial": { "probability": 0.3, "multiple": 0.5 }, "success": { "table": [[1, 0.5], [2, 0.4]] } },
                "c": { "writeOff": 0.5, "success": { "beta": { "mean": 0.5, "sd": 0.6 } } },
                "d": { "writeOff": 0.5, "success": { "gamma": { "k": 1 } } }
              },
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }
            """);
        var byPath = errors.ToLookup(e => e.Path);
        Assert.Multiple(() =>
        {
            Assert.That(byPath["$.outcomes.a.partial.multiple"].Single().Message, Does.Contain("[0, 1)"));
            Assert.That(byPath["$.outcomes.a.success.lognormal.median"].Single().Message, Does.Contain("greater than 0"));
            Assert.That(byPath["$.outcomes.b"].Single().Message, Does.Contain("must not exceed 1"));
            Assert.That(byPath["$.outcomes.b.success.table"].Single().Message, Does.Contain("sum to 0.9"));
            Assert.That(byPath["$.outcomes.c.success.beta.sd"].Single().Message, Does.Contain("too large"));
            Assert.That(byPath["$.outcomes.d.success.gamma"].Single().Message, Does.Contain("unknown distribution"));
        });
    }

    [TestCase("\"always\"", "$.simulation.importanceSampling")]
    [TestCase("{ \"shift\": { \"marco\": -2 } }", "$.simulation.importanceSampling.shift.marco")]
    [TestCase("{ \"shift\": { \"macro\": -9 } }", "$.simulation.importanceSampling.shift.macro")]
    [TestCase("{ \"shfit\": {} }", "$.simulation.importanceSampling.shfit")]
    public void Parse_BadImportanceSampling_ReportedWithPath(string value, string path)
    {
        var errors = TestScenarios.Errors(Minimal.Replace("\"funds\"", $"\"factors\": [ {{ \"name\": \"macro\" }} ], \"simulation\": {{ \"importanceSampling\": {value} }}, \"funds\""));
        Assert.That(errors.Select(e => e.Path), Does.Contain(path));
    }

    [Test]
    public void Parse_InvestmentPeriodLongerThanLife_Rejected()
    {
        var e = TestScenarios.Errors(Minimal.Replace("\"deals\": 10", "\"deals\": 10, \"investmentYears\": 8, \"lifeYears\": 6")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].investmentYears"));
    }

    [Test]
    public void Parse_AllDistributionKinds_Accepted()
    {
        var s = TestScenarios.Load("""
            { "name": "m",
              "outcomes": { "x": { "writeOff": 0.3,
                  "partial": { "probability": 0.2, "multiple": { "beta": { "mean": 0.4, "sd": 0.2 } } },
                  "success": { "multiple": { "pareto": { "min": 1, "alpha": 1.2 } }, "cap": 50 },
                  "exitYears": { "writeOff": { "fixed": 2 }, "partial": { "table": [[3, 0.5], [5, 0.5]] }, "success": { "lognormal": { "median": 5, "sigma": 0.3 } } } } },
              "funds": [ { "name": "f", "type": "venture", "commitment": 1e8, "deals": 10, "check": { "uniform": [1e6, 2e6] }, "outcomes": "x" } ] }
            """);
        Assert.That(s.Funds[0].Outcomes.Cap, Is.EqualTo(50));
    }

    [Test]
    public void Parse_CustomModelNamedLikePreset_ReplacesPreset()
    {
        var s = TestScenarios.Load("""{ "name": "m", "outcomes": { "seed": { "writeOff": 1 } }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""");
        Assert.That(s.Funds[0].Outcomes.WriteOff, Is.EqualTo(1));
    }

    [Test]
    public void Load_MissingFile_ReportsCannotRead()
    {
        var result = ScenarioLoader.Load("/nonexistent/x.json");
        Assert.That(result.Errors.Single().Message, Does.Contain("cannot read"));
    }
}
