using Simulator.Core.Guarantees;
using Simulator.Tests.Support;

namespace Simulator.Tests.Engine;

public class SobolSamplingTests
{
    // One cohort, one year: the mean loss is exactly loans × PD, and nearly all of its variance is the factor's.
    private static string Pool(string sampling, int trials = 16384) => $$"""
        { "name": "qmc", "simulation": { "trials": {{trials}}, "seed": 3{{sampling}} }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": 2000, "years": 1, "amount": 1, "termYears": 1, "pd": 0.05, "lgd": 1,
                            "exposure": { "macro": 0.45 } }, "shares": { "bank": 1 } } ] }
        """;

    [Test]
    public void Run_Sobol_UnbiasedWithSmallerErrorThanPlainSampling()
    {
        var result = TestScenarios.Run(Pool(""", "sampling": "sobol" """));
        var report = result.QuasiRandom!;
        Assert.That(report.Randomisations, Is.EqualTo(16));
        var mean = report.Figures.Single(f => f.Name == "pool.meanLoss");
        Assert.That(mean.Estimate, Is.EqualTo(result.Guarantees[0].Loss.Mean).Within(1e-9 * mean.Estimate));
        Assert.That(mean.Estimate, Is.EqualTo(100).Within(4 * mean.StandardError));
        // The plain error on as many trials is the iid one, sd/√n; the run's own error of the mean is the randomisations'.
        var loss = result.Guarantees[0].Loss;
        Assert.That(mean.PlainStandardError, Is.EqualTo(loss.Sd / Math.Sqrt(result.Trials)).Within(0.01 * mean.PlainStandardError));
        Assert.That(loss.StandardErrors.Mean, Is.EqualTo(mean.StandardError).Within(1e-9 * mean.StandardError));
        Assert.That(mean.VarianceReduction, Is.GreaterThan(4));
    }

    [Test]
    public void Run_Sobol_OneThreadAndFourThreads_IdenticalRows()
    {
        var scenario = TestScenarios.Load(Pool(""", "sampling": "sobol" """, 3000).Replace("\"factors\"", "\"copula\": { \"t\": { \"df\": 5 } }, \"factors\""));
        var one = new MemorySink();
        var four = new MemorySink();
        TestScenarios.Run(scenario, 1, one);
        TestScenarios.Run(scenario, 4, four);
        Assert.That(four.Values, Is.EqualTo(one.Values));
    }

    [Test]
    public void Run_PlainSampling_NoQuasiRandomReport() => Assert.That(TestScenarios.Run(Pool("", 2000)).QuasiRandom, Is.Null);

    [Test]
    public void Parse_UnknownSampling_RefusedWithPathAndAllowedValues()
    {
        var e = TestScenarios.Errors(Pool(""", "sampling": "halton" """)).Single();
        Assert.That(e.Path, Is.EqualTo("$.simulation.sampling"));
        Assert.That(e.Message, Does.Contain("halton").And.Contain("sobol"));
    }
}
