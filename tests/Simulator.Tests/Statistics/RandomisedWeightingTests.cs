using Simulator.Core.Comparison;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Json;
using Simulator.Tests.Support;

namespace Simulator.Tests.Statistics;

/// <summary>
/// Under Sobol or Latin hypercube factor draws every standard error is the spread of the R = 16 randomisations' own estimates over √R: the
/// tests recompute those estimates from the trials' rows (trial i is of randomisation (i − 1) mod 16), check the errors
/// are valid against an exact value over seeds, and that they do not depend on the thread count.
/// </summary>
public class RandomisedWeightingTests
{
    private const int R = 16;

    // One cohort of loans, one year: the mean loss is exactly loans × PD; half of it is the government's, up to a budget.
    private static string Pool(int trials, int seed, string extra = "", double pd = 0.05, int loans = 2000, string sampling = "sobol") => $$"""
        { "name": "qmc", "simulation": { "trials": {{trials}}, "seed": {{seed}}, "sampling": "{{sampling}}"{{extra}} }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": {{loans}}, "years": 1, "amount": 1, "termYears": 1, "pd": {{pd.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "lgd": 1,
                            "exposure": { "macro": 0.45 } }, "shares": { "bank": 0.5, "government": 0.5 }, "government": { "budget": 60, "shortfallTo": "bank" } } ] }
        """;

    /// <summary>The rows of a run, with its layout.</summary>
    private static (SimulationResult Result, double[] Rows, TrialLayout Layout) RunWithRows(Scenario scenario, params ITrialSink[] more)
    {
        var sink = new MemorySink();
        var result = TestScenarios.Run(scenario, 2, [sink, .. more]);
        return (result, [.. sink.Values], new TrialLayout(scenario));
    }

    /// <summary>Each randomisation's value of <paramref name="statistic"/> over its trials' (value, weight) pairs.</summary>
    private static double[] PerRandomisation(double[] rows, TrialLayout layout, string column, Func<List<(double X, double W)>, double> statistic)
    {
        int c = layout.IndexOf(column), width = layout.Count;
        Assert.That(c, Is.GreaterThanOrEqualTo(0), column);
        var batches = Enumerable.Range(0, R).Select(_ => new List<(double, double)>()).ToArray();
        for (int p = 0; p * width < rows.Length; p++)
            batches[p % R].Add((rows[p * width + c], layout.WeightColumn >= 0 ? rows[p * width + layout.WeightColumn] : 1));
        return [.. batches.Select(statistic)];
    }

    private static double WeightedMean(List<(double X, double W)> b) => b.Sum(t => t.W * t.X) / b.Sum(t => t.W);

    private static double Error(double[] estimates)
    {
        double mean = estimates.Average();
        return Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (R - 1) / R);
    }

    [TestCase("", "sobol")]
    [TestCase(""", "importanceSampling": { "shift": { "macro": -1 } }""", "sobol")]
    [TestCase("", "lhs")]
    public void Summarize_Randomised_ErrorsAreTheSpreadOfTheRandomisationsEstimates(string extra, string sampling)
    {
        var (result, rows, layout) = RunWithRows(TestScenarios.Load(Pool(8000, 3, extra, sampling: sampling)));
        var g = result.Guarantees[0];
        double lossError = Error(PerRandomisation(rows, layout, "pool.loss", WeightedMean));
        double governmentError = Error(PerRandomisation(rows, layout, "pool.government", WeightedMean));
        double exhaustedError = Error(PerRandomisation(rows, layout, "pool.exhausted", WeightedMean));
        Assert.Multiple(() =>
        {
            Assert.That(g.Loss.StandardErrors.Mean, Is.EqualTo(lossError).Within(1e-9 * lossError));
            Assert.That(g.Government.StandardErrors.Mean, Is.EqualTo(governmentError).Within(1e-9 * governmentError));
            Assert.That(g.Exhausted.StandardError, Is.EqualTo(exhaustedError).Within(1e-9 * exhaustedError));
            Assert.That(g.Exhausted.Ci95High - g.Exhausted.Probability, Is.EqualTo(1.959963984540054 * exhaustedError).Within(1e-9 * exhaustedError));
            // Year 1 is the only year: exhausted by its end is exhausted.
            Assert.That(g.ByYearStandardErrors[0].Exhausted, Is.EqualTo(exhaustedError).Within(1e-9 * exhaustedError));
            // The estimates themselves are the run's over all the trials, and the errors are the quasiRandom block's.
            Assert.That(result.QuasiRandom!.Figures.Single(f => f.Name == "pool.meanLoss").StandardError, Is.EqualTo(lossError).Within(1e-9 * lossError));
            // The factor carries most of the loss's variance, so the randomisations' error is well below the iid one.
            Assert.That(g.Loss.StandardErrors.Mean, Is.LessThan(0.5 * result.QuasiRandom.Figures.Single(f => f.Name == "pool.meanLoss").PlainStandardError));
        });
        if (extra.Length == 0)
        {
            // Quantiles: each randomisation's own p99, the ⌈0.99·m⌉-th smallest of its m trials.
            double p99Error = Error(PerRandomisation(rows, layout, "pool.loss", b =>
            {
                var sorted = b.Select(t => t.X).Order().ToArray();
                return sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1];
            }));
            Assert.That(g.Loss.StandardErrors.P99, Is.EqualTo(p99Error).Within(1e-9 * p99Error));
            // Never suspended (no guarantor): no spread to measure, so the error is 0 and the interval Wilson's, not [0, 0].
            Assert.That((g.Suspended.Count, g.Suspended.StandardError), Is.EqualTo((0L, 0.0)));
            Assert.That(g.Suspended.Ci95High, Is.EqualTo(Simulator.Core.Statistics.ProbabilityEstimate.FromCount(0, result.Trials).Ci95High).And.GreaterThan(0));
        }
    }

    [Test]
    public void Summarize_SobolFund_ReturnFiguresErrorsFromTheRandomisations()
    {
        var scenario = TestScenarios.Load("""
            { "name": "qmc-fund", "simulation": { "trials": 4000, "seed": 4, "sampling": "sobol" }, "factors": [ { "name": "macro" } ],
              "funds": [ { "name": "f", "type": "angel", "commitment": 1e8, "governmentShare": 0.3, "deals": 20, "check": 2e6, "exposure": { "macro": 0.5 } } ] }
            """);
        var (result, rows, layout) = RunWithRows(scenario);
        var f = result.Funds[0];
        // The mean over the trials where the figure is defined; the summary keeps floats' shortest decimals.
        double multipleError = Error(PerRandomisation(rows, layout, "f.netMultiple.privateLp", b =>
        {
            var defined = b.Where(t => !double.IsNaN(t.X)).Select(t => (double)(float)t.X).ToList();
            return defined.Average();
        }));
        double breachError = Error(PerRandomisation(rows, layout, "f.breach", WeightedMean));
        // The exceedance chart's band at loss ratio 0.3 (grid point 120 of 400): the randomisations' P(loss ratio > 0.3).
        double bandError = Error(PerRandomisation(rows, layout, "f.lossRatio", b => b.Count(t => t.X > 120.0 / 400) / (double)b.Count));
        Assert.Multiple(() =>
        {
            Assert.That(f.LossRatios.GridExceedanceErrors![120], Is.EqualTo(bandError).Within(1e-9 * bandError));
            Assert.That(f.NetMultiplePrivate!.StandardErrors.Mean, Is.EqualTo(multipleError).Within(1e-6 * multipleError));
            Assert.That(f.Breach.StandardError, Is.EqualTo(breachError).Within(1e-9 * breachError));
        });
    }

    [Test]
    public void Compare_SobolVariant_PairedErrorIsTheSpreadOfTheRandomisationsDifferences()
    {
        // Same name and seed: the variant draws the same numbers with a higher PD.
        var baseScenario = TestScenarios.Load(Pool(4000, 7));
        var variantScenario = TestScenarios.Load(Pool(4000, 7, pd: 0.06));
        var baseCapture = new KeyFigureCapture(baseScenario);
        var variantCapture = new KeyFigureCapture(variantScenario);
        var (baseResult, baseRows, layout) = RunWithRows(baseScenario, baseCapture);
        var (_, variantRows, _) = RunWithRows(variantScenario, variantCapture);
        var loss = PairedComparison.Compare(baseCapture, variantCapture).Single(f => f.Figure.Name == "pool.meanLoss");
        var own = PerRandomisation(variantRows, layout, "pool.loss", WeightedMean);
        var baseMeans = PerRandomisation(baseRows, layout, "pool.loss", WeightedMean);
        double diffError = Error([.. own.Zip(baseMeans, (a, b) => a - b)]);
        var self = PairedComparison.Compare(baseCapture, baseCapture).Single(f => f.Figure.Name == "pool.meanLoss");
        Assert.Multiple(() =>
        {
            Assert.That(loss.Estimate.StandardError, Is.EqualTo(Error(own)).Within(1e-9 * Error(own)));
            Assert.That(loss.Difference.StandardError, Is.EqualTo(diffError).Within(1e-9 * diffError));
            Assert.That(loss.Difference.Value, Is.EqualTo(20).Within(4 * diffError), "2,000 loans × 1 point of PD");
            Assert.That(self.Estimate.StandardError, Is.EqualTo(baseResult.Guarantees[0].Loss.StandardErrors.Mean).Within(1e-9 * self.Estimate.StandardError));
        });
    }

    /// <summary>
    /// Over 100 seeds the pool's mean loss (exactly 1,000 × 5% = 50) falls within t(15)'s 97.5% point of the reported
    /// error about 95% of the time, and the mean of z² is near ν/(ν − 2) = 15/13 for 16 randomisations: the error is
    /// neither understated (coverage) nor overstated (z² far below 1, as plain sampling's error gives). Bounds: three
    /// binomial standard errors of the coverage over 100 seeds, three standard errors of the mean of z² (Var(t²₁₅) = 3.39).
    /// </summary>
    [TestCase("sobol")]
    [TestCase("lhs")]
    public void Run_RandomisedOverSeeds_ErrorCoversTheExactMean(string sampling)
    {
        const int seeds = 100;
        const double t975 = 2.131449545559323, nu = R - 1;
        var z = new double[seeds];
        var plainZ = new double[seeds];
        for (int s = 0; s < seeds; s++)
        {
            var result = TestScenarios.Run(Pool(2048, 101 + s, loans: 1000, sampling: sampling), 1);
            var mean = result.QuasiRandom!.Figures.Single(f => f.Name == "pool.meanLoss");
            z[s] = (result.Guarantees[0].Loss.Mean - 50) / result.Guarantees[0].Loss.StandardErrors.Mean;
            plainZ[s] = (mean.Estimate - 50) / mean.PlainStandardError;
        }
        double coverage = z.Count(v => Math.Abs(v) <= t975) / (double)seeds;
        double meanSquare = z.Average(v => v * v), expected = nu / (nu - 2);
        double varianceOfSquare = 2 * nu * nu * (nu - 1) / ((nu - 2) * (nu - 2) * (nu - 4));
        double band = 3 * Math.Sqrt(varianceOfSquare / seeds);
        Assert.Multiple(() =>
        {
            Assert.That(coverage, Is.GreaterThanOrEqualTo(0.95 - 3 * Math.Sqrt(0.95 * 0.05 / seeds)));
            Assert.That(meanSquare, Is.InRange(expected - band, expected + band));
            // Plain sampling's formula on the same runs overstates the error: its z² is far below 1.
            Assert.That(plainZ.Average(v => v * v), Is.LessThan(expected - band));
        });
    }

    [TestCase("sobol")]
    [TestCase("lhs")]
    public void Run_RandomisedOneAndTwoThreads_SummaryJsonByteIdentical(string sampling)
    {
        var scenario = TestScenarios.Load(Pool(3000, 5, """, "importanceSampling": true""", sampling: sampling));
        string Summary(int threads)
        {
            using var stream = new MemoryStream();
            SummaryJsonWriter.Write(TestScenarios.Run(scenario, threads), stream);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
        string one = Summary(1);
        Assert.That(one, Does.Contain("\"standardErrors\": \"randomisations"));
        Assert.That(Summary(2), Is.EqualTo(one));
    }
}
