using Simulator.Core.Economy;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Economy;

public class CopulaTests
{
    private static string Pool(string copula) => $$"""
        { "name": "pool", "simulation": { "trials": 40000, "seed": 7 }, "factors": [ { "name": "macro" } ], {{copula}}
          "guarantees": [ { "name": "pool", "loans": { "perYear": 100, "years": 1, "amount": 1, "termYears": 1, "pd": 0.05, "lgd": 1,
                            "exposure": { "macro": 0.4 } }, "shares": { "bank": 1 } } ],
          "report": { "exceedance": [ 30 ] } }
        """;

    [Test]
    public void Draw_Gaussian_MixingIsOneAndFactorsUnchanged()
    {
        var gaussian = new FactorPaths(new EconomyModel([new Factor("macro", 0.5)], [], 3));
        var t = new FactorPaths(new EconomyModel([new Factor("macro", 0.5)], [], 3, Copula.StudentT(4)));
        var key = StreamKey.For(1, "x");
        gaussian.Draw(key, 17);
        t.Draw(key, 17);
        Assert.That(gaussian.Mixing, Is.EqualTo(1.0));
        Assert.That(t.Mixing, Is.Not.EqualTo(1.0));
        // The mixing has a stream of its own: the factor levels are the Gaussian run's.
        Assert.That(t.Raw, Is.EqualTo(gaussian.Raw));
    }

    [Test]
    public void Draw_StudentT_MixingSquaredHasMeanOne()
    {
        // W/ν with W ~ χ²_ν has mean 1 and variance 2/ν.
        const int n = 50_000;
        const double nu = 5;
        var paths = new FactorPaths(new EconomyModel([new Factor("macro", 0)], [], 1, Copula.StudentT(nu)));
        var key = StreamKey.For(3, "mix");
        double sum = 0;
        for (int i = 1; i <= n; i++)
        {
            paths.Draw(key, i);
            sum += paths.Mixing * paths.Mixing;
        }
        Assert.That(sum / n, Is.EqualTo(1).Within(4 * Math.Sqrt(2 / nu / n)));
    }

    [Test]
    public void Run_StudentT_SameMeanFatterTailThanGaussian()
    {
        var gaussian = TestScenarios.Run(Pool("")).Guarantees[0];
        var t = TestScenarios.Run(Pool("""  "copula": { "t": { "df": 3 } }, """)).Guarantees[0];
        // One year, one cohort: every loan's PD is exactly 5% under either copula, so the mean loss is 5 loans.
        Assert.That(gaussian.Loss.Mean, Is.EqualTo(5).Within(4 * gaussian.Loss.StandardErrors.Mean));
        Assert.That(t.Loss.Mean, Is.EqualTo(5).Within(4 * t.Loss.StandardErrors.Mean));
        // Tail dependence: more than 30 of 100 defaults is far likelier under the t copula at the same PD and loading.
        var g30 = gaussian.Loss.Exceedance[0].Estimate;
        var t30 = t.Loss.Exceedance[0].Estimate;
        Assert.That(t30.Probability - g30.Probability,
            Is.GreaterThan(4 * Math.Sqrt(t30.StandardError * t30.StandardError + g30.StandardError * g30.StandardError)));
    }

    [Test]
    public void Run_StudentT_OneThreadAndFourThreads_IdenticalRows()
    {
        var scenario = TestScenarios.Load(Pool("""  "copula": { "t": { "df": 4 } }, """));
        var one = new MemorySink();
        var four = new MemorySink();
        TestScenarios.Run(scenario, 1, one);
        TestScenarios.Run(scenario, 4, four);
        Assert.That(four.Values, Is.EqualTo(one.Values));
    }

    [TestCase("0.5")]
    [TestCase("\"four\"")]
    public void Parse_BadDegreesOfFreedom_RefusedWithPath(string df)
    {
        var e = TestScenarios.Errors(Pool($$"""  "copula": { "t": { "df": {{df}} } }, """)).Single();
        Assert.That(e.Path, Is.EqualTo("$.copula.t.df"));
    }

    [Test]
    public void Parse_WithoutCopula_ScenarioJsonHasNoCopula()
    {
        Assert.That(TestScenarios.Load(Pool("")).FilledJson, Does.Not.Contain("copula"));
        Assert.That(TestScenarios.Load(Pool("""  "copula": { "t": { "df": 4 } }, """)).Economy.Copula.DegreesOfFreedom, Is.EqualTo(4));
    }

    [Test]
    public void ToUniform_StudentT_IsTCdfOfScaledLatent()
    {
        var t = Copula.StudentT(4);
        double[] x = [-2.5, 0.1, 1.7];
        t.ToUniform(x, 0.8);
        Assert.That(x, Is.EqualTo(new[] { StudentTMath.Cdf(-2.5 / 0.8, 4), StudentTMath.Cdf(0.1 / 0.8, 4), StudentTMath.Cdf(1.7 / 0.8, 4) }).Within(1e-15));
    }
}

/// <summary>The t copula keeps the marginals of a firm's two legs (the loan's default in its one year, the equity's
/// write-off) while the shared factor and mixing draw make them fail together more often than independently.</summary>
public class CopulaFirmTests
{
    [Test]
    public void Evaluate_StudentT_FirmMarginalsExact()
    {
        const int n = 100_000;
        const double pd = 0.05, q = 0.4;
        var scenario = TestScenarios.Load("""
            { "name": "tfirm", "simulation": { "trials": 10, "seed": 2 }, "factors": [ { "name": "macro" } ], "copula": { "t": { "df": 4 } },
              "outcomes": { "binary": { "writeOff": 0.4, "success": { "multiple": 3 }, "exposureYears": 1 } },
              "firms": [ { "name": "f", "perYear": 1, "years": 1, "loan": { "amount": 1, "termYears": 1, "pd": 0.05, "lgd": 1 },
                           "equity": { "check": 1, "outcomes": "binary" }, "exposure": { "macro": 0.6 } } ] }
            """);
        var instrument = scenario.Get<Simulator.Core.Firms.FirmsInstrument>()!;
        var evaluator = new Simulator.Core.Firms.FirmEvaluator(instrument.Books[0], instrument.Factors, scenario.Economy.Copula);
        var scratch = evaluator.CreateScratch();
        var paths = new FactorPaths(scenario.Economy);
        var key = StreamKey.For(2, "tfirm");
        long defaults = 0, writeOffs = 0, joint = 0;
        for (long t = 1; t <= n; t++)
        {
            paths.Draw(key, t);
            var o = evaluator.Evaluate(key, t, paths, scratch);
            defaults += o.Defaults;
            writeOffs += o.WriteOffs;
            if (o.Defaults > 0 && o.WriteOffs > 0) joint++;
        }
        Exact.WithinStandardErrors((double)defaults / n, pd, Exact.ProbabilityStandardError(pd, n), what: "P(default)");
        Exact.WithinStandardErrors((double)writeOffs / n, q, Exact.ProbabilityStandardError(q, n), what: "P(write-off)");
        Assert.That((double)joint / n, Is.GreaterThan(pd * q + 4 * Exact.ProbabilityStandardError(pd * q, n)), "the legs share the factor and W");
    }
}
