using Simulator.Core.Statistics;
using Simulator.Tests.Support;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Statistics;

/// <summary>Reported standard errors agree with the spread of independent reruns (30 seeds, fixed).</summary>
public class StandardErrorTests
{
    private static string Scenario(long seed) => $$"""
        { "name": "se", "simulation": { "trials": 4000, "seed": {{seed}} }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 60, "years": 2, "amount": { "lognormal": { "median": 1e6, "sigma": 0.7 } },
              "termYears": 2, "pd": 0.04, "lgd": { "beta": { "mean": 0.6, "sd": 0.2 } }, "exposure": { "macro": 0.4 } },
              "shares": { "bank": 1 } } ] }
        """;

    [Test]
    [Category("Slow")]
    public void StandardErrors_MeanQuantilesAndEs_MatchSpreadOfReruns()
    {
        var summaries = Enumerable.Range(1, 30).Select(seed => TestScenarios.Run(Scenario(seed)).Guarantees[0].Loss).ToList();
        void Check(string what, Func<LossSummary, double> estimate, Func<LossSummary, double> reported)
        {
            var (_, sd) = Empirical.MeanSd(summaries.Select(estimate).ToArray());
            double mean = summaries.Select(reported).Average();
            // 29 degrees of freedom: the ratio of an sd to its true value lies in [0.74, 1.26] 95% of the time;
            // the order-statistic and asymptotic formulas add their own approximation error.
            Assert.That(sd / mean, Is.InRange(0.55, 1.6), $"{what}: sd over reruns {sd:G3}, mean reported SE {mean:G3}");
        }
        Check("mean", l => l.Mean, l => l.StandardErrors.Mean);
        Check("p50", l => l.P50, l => l.StandardErrors.P50);
        Check("p90", l => l.P90, l => l.StandardErrors.P90);
        Check("p99", l => l.P99, l => l.StandardErrors.P99);
        Check("es99", l => l.Es99, l => l.StandardErrors.Es99);
    }

    [Test]
    public void QuantileStandardError_FlatSample_IsZero()
    {
        Assert.That(Empirical.QuantileStandardError(Enumerable.Repeat(3.0, 1000).ToArray(), 0.99), Is.Zero);
    }
}
