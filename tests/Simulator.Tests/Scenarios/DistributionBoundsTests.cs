using Simulator.Core.Scenarios;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Scenarios;

/// <summary>Distribution parameters are bounded to where every draw, and so every result, is finite; values
/// outside are refused at validation with the path and the allowed range, never run into NaN or thrown.</summary>
public class DistributionBoundsTests
{
    private static string WithCheck(string check) =>
        $$"""{ "name": "u", "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": {{check}} } ] }""";

    private static string WithAmount(string amount, string extra = "") =>
        $$"""{ "name": "u", "guarantees": [ { "name": "g", "loans": { "perYear": 10, "years": 2, "amount": {{amount}}, "pd": 0.1 {{extra}} }, "shares": { "bank": 1 } } ] }""";

    [Test]
    public void Parse_LognormalSigmaOf1e308_RefusedWithRange()
    {
        var e = TestScenarios.Errors(WithCheck("""{ "lognormal": { "median": 1e6, "sigma": 1e308 } }""")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].check.lognormal.sigma"));
        Assert.That(e.Message, Does.Contain("1e308").And.Contain("from 0 to 10"));
    }

    [Test]
    public void Parse_UniformOfPlusMinus1e308_BothEndsRefused()
    {
        var errors = TestScenarios.Errors(WithCheck("""{ "uniform": [-1e308, 1e308] }"""));
        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { "$.funds[0].check.uniform[0]", "$.funds[0].check.uniform[1]" }));
        Assert.That(errors[0].Message, Does.Contain("from -1e15 to 1e15"));
    }

    [TestCase("1e308")]
    [TestCase("""{ "table": [[1e308, 0.5], [1, 0.5]] }""")]
    [TestCase("""{ "lognormal": { "median": 1e300, "sigma": 1 } }""")]
    public void Parse_LoanAmountBeyond1e15_Refused(string amount)
    {
        var e = TestScenarios.Errors(WithAmount(amount)).Single();
        Assert.That(e.Path, Does.StartWith("$.guarantees[0].loans.amount"));
        Assert.That(e.Message, Does.Contain("1e15"));
    }

    [Test]
    public void Parse_CheckThatCanDrawBeyond1e15_RefusedWithTheDraw()
    {
        // Median 1e6 and sigma 5 reach 1e6 · e^(5 · 8.2) ≈ 7e23 at the highest uniform.
        var e = TestScenarios.Errors(WithCheck("""{ "lognormal": { "median": 1e6, "sigma": 5 } }""")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].check"));
        Assert.That(e.Message, Does.Contain("can draw 6.7").And.Contain("e23").And.Contain("≤ 1e15"));
    }

    [Test]
    public void Parse_WideAmountWithMaxPerBorrower_Accepted()
    {
        var s = TestScenarios.Load(WithAmount("""{ "lognormal": { "median": 3e6, "sigma": 3 } }""", ", \"maxPerBorrower\": 3e7"));
        Assert.That(s.Guarantees, Has.Count.EqualTo(1));
    }

    [Test]
    public void Parse_UncappedSuccessBeyond1e15_RefusedAndAcceptedWithCap()
    {
        const string model = """{ "name": "u", "outcomes": { "m": { "writeOff": 0.5, "success": SUCCESS } }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "outcomes": "m" } ] }""";
        var e = TestScenarios.Errors(model.Replace("SUCCESS", """{ "pareto": { "min": 1, "alpha": 1 } }""", StringComparison.Ordinal)).Single();
        Assert.That(e.Path, Is.EqualTo("$.outcomes.m.success"));
        Assert.That(e.Message, Does.Contain("\"cap\""));
        var s = TestScenarios.Load(model.Replace("SUCCESS", """{ "multiple": { "pareto": { "min": 1, "alpha": 1 } }, "cap": 100 }""", StringComparison.Ordinal));
        Assert.That(s.Funds[0].Outcomes.Cap, Is.EqualTo(100));
    }

    [Test]
    public void Parse_ParetoAlphaBelowTheBound_Refused()
    {
        var e = TestScenarios.Errors(WithCheck("""{ "pareto": { "min": 1e3, "alpha": 1e-300 } }""")).Single();
        Assert.That(e.Path, Is.EqualTo("$.funds[0].check.pareto.alpha"));
        Assert.That(e.Message, Does.Contain("at least 0.01"));
    }

    [TestCase(4.9e-324)]
    [TestCase(1e-300)]
    [TestCase(1e-20)]
    [TestCase(0.0009)]
    public void Parse_BetaWithTinySd_RefusedWithoutException(double sd)
    {
        string json = $$"""{ "name": "u", "guarantees": [ { "name": "g", "loans": { "perYear": 10, "years": 2, "amount": 1e6, "pd": 0.1, "lgd": { "beta": { "mean": 0.5, "sd": {{sd.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}} } } }, "shares": { "bank": 1 } } ] }""";
        var e = TestScenarios.Errors(json).Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees[0].loans.lgd.beta.sd"));
        Assert.That(e.Message, Does.Contain("at least 0.001"));
    }

    [Test]
    public void Parse_BetaMeanTooCloseToZeroForAnySd_NamesTheMean()
    {
        var e = TestScenarios.Errors(WithAmount("1e6", ", \"lgd\": { \"beta\": { \"mean\": 1e-7, \"sd\": 0.001 } }")).Single();
        Assert.That(e.Path, Is.EqualTo("$.guarantees[0].loans.lgd.beta.mean"));
        Assert.That(e.Message, Does.Contain("too close to 0 or 1"));
    }

    [Test]
    public void Parse_TableOfMoreThanAThousandRows_Refused()
    {
        string rows = string.Join(", ", Enumerable.Range(0, 1001).Select(i => $"[{i}, 0]"));
        var e = TestScenarios.Errors(WithCheck($$"""{ "table": [ {{rows}} ] }""")).Single();
        Assert.That(e.Message, Does.Contain("1,001 rows").And.Contain("at most 1,000"));
    }

    [Test]
    public void Run_EveryParameterAtItsBound_AllResultsFinite()
    {
        // The widest laws the format allows, in every role: the results stay finite.
        var r = TestScenarios.Run(TestScenarios.Load("""
            { "name": "edge", "simulation": { "trials": 2000, "seed": 5 },
              "outcomes": { "wild": { "writeOff": 0.1,
                  "partial": { "probability": 0.2, "multiple": { "beta": { "mean": 0.5, "sd": 0.001 } } },
                  "success": { "multiple": { "pareto": { "min": 1e15, "alpha": 0.01 } }, "cap": 1e6 },
                  "exitYears": { "success": { "lognormal": { "median": 1e15, "sigma": 10 } }, "writeOff": { "uniform": [0, 1e15] } } } },
              "funds": [ { "name": "f", "type": "venture", "commitment": 1e15, "deals": 20, "check": { "uniform": [0, 1e15] }, "outcomes": "wild",
                           "fees": { "management": 0.2, "carry": 0.5, "hurdle": 1 } } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 100, "years": 50, "amount": 1e15, "termYears": 30, "pd": 1,
                                "lgd": { "beta": { "mean": 0.999, "sd": 0.001 } } },
                                "shares": { "guarantor": 0.5, "government": 0.5 }, "guarantor": { "capital": 1e15, "leverageCap": 1000, "feeRate": 0.2, "yield": 0.5 } } ] }
            """));
        var f = r.Funds[0];
        var g = r.Guarantees[0];
        double[] figures =
        [
            f.LossRatio.Mean, f.LossRatio.Sd, f.MeanInvested, f.MeanProceeds, f.NetMultiplePrivate!.Mean, f.NetMultipleGovernment!.Mean,
            g.Loss.Mean, g.Loss.Sd, g.Loss.P999, g.MeanGuaranteed, g.Guarantor.Mean, g.Government.WorstPercentMean, g.CapitalByYear[^1].P95,
        ];
        Assert.That(figures, Has.All.Matches<double>(double.IsFinite));
    }
}
