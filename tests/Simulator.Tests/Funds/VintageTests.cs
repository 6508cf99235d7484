using MathNet.Numerics.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Funds;
using Simulator.Core.Randomness;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>
/// Vintages (<c>startYear</c>): a fund started in year s reads the factor path from year s on, exactly as a year-1
/// fund reads it from year 1; each vintage is pooled alone, and the programme is judged with and without pooling
/// across vintages.
/// </summary>
public class VintageTests
{
    // Coin projects (write-off q, else 2×), equal checks, one investment year; a window of two years on "macro".
    private static string Coin(int startYear, string stresses, double loading = 0.5, int trials = 200_000, string persistence = "0") => $$"""
        { "name": "vintage", "simulation": { "trials": {{trials}}, "seed": 11 },
          "factors": [ { "name": "macro", "persistence": {{persistence}} } ], "stresses": [ {{stresses}} ],
          "outcomes": { "coin": { "writeOff": 0.7, "success": { "fixed": 2.0 }, "exposureYears": 2 } },
          "funds": [ { "name": "f", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "startYear": {{startYear}},
                       "investmentYears": 1, "lifeYears": 6, "outcomes": "coin", "tolerance": 0.6, "exposure": { "macro": {{loading}} } } ] }
        """;

    [Test]
    public void Evaluate_StartYearShiftedPath_GivesTheSameOutcomeAsYearOneFund()
    {
        // Exact, path by path: a start-year-4 fund on a path whose years 4.. hold what years 1.. hold for a year-1
        // fund gives the same figures, bit for bit (same stream, same window sums).
        var late = TestScenarios.Load(Coin(4, "", persistence: "0.4"));
        var early = TestScenarios.Load(Coin(1, "", persistence: "0.4"));
        var lateFund = late.Get<FundsInstrument>()!.Funds[0];
        var earlyFund = early.Get<FundsInstrument>()!.Funds[0];
        Assert.That(lateFund.StartYear, Is.EqualTo(4));
        var factors = late.Economy.Factors;
        var economy = new EconomyModel(factors, [], 12);
        var latePaths = new FactorPaths(economy);
        var earlyPaths = new FactorPaths(economy);
        var key = new StreamKey(5, StreamKey.Hash("scenario", "vintage"));
        var lateEvaluator = new FundEvaluator(lateFund, factors);
        var earlyEvaluator = new FundEvaluator(earlyFund, factors);
        var lateScratch = lateEvaluator.CreateScratch();
        var earlyScratch = earlyEvaluator.CreateScratch();
        for (long trial = 1; trial <= 200; trial++)
        {
            earlyPaths.Draw(key, trial);
            Array.Fill(latePaths.Stressed, double.NaN); // years before the vintage must not be read
            for (int t = 1; t <= 9; t++) latePaths.Stressed[t + 2] = earlyPaths.Stressed[t - 1];
            var a = lateEvaluator.Evaluate(key, trial, latePaths, lateScratch);
            var b = earlyEvaluator.Evaluate(key, trial, earlyPaths, earlyScratch);
            Assert.That((a.LossRatio, a.Proceeds, a.NetIrrGovernment), Is.EqualTo((b.LossRatio, b.Proceeds, b.NetIrrGovernment)), $"trial {trial}");
        }
    }

    [TestCase(1)]
    [TestCase(4)]
    public void Breach_StartYearWithStressInItsFirstYears_MatchesYearOneLaw(int startYear)
    {
        // Persistence 0: the window of years s, s+1 sums two independent levels each shifted by −1, so the systematic
        // draw is N(−2/√2, 1) whatever s; a fund of start year s under a stress in years s..s+1 has the law of a
        // year-1 fund under a stress in years 1..2.
        const double b = 0.5, q = 0.7;
        string stress = $$"""{ "factor": "macro", "fromYear": {{startYear}}, "toYear": {{startYear + 1}}, "shift": -1 }""";
        var r = TestScenarios.Run(Coin(startYear, stress, b));
        double c = Math.Sqrt(1 - b * b), threshold = Normal.InvCDF(0, 1, q);
        // 20 coins of 2×: the loss ratio exceeds 0.6 iff fewer than 4 succeed.
        double exact = Exact.NormalExpectation(s => Exact.BinomialCdf(1 - Normal.CDF(0, 1, (threshold - b * s) / c), 20, 3), mean: -2 / Math.Sqrt(2));
        Exact.WithinStandardErrors(r.Funds[0].Breach.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: "P(breach)");
    }

    [Test]
    public void Breach_StressBeforeTheVintage_ChangesNothing()
    {
        var calm = TestScenarios.Run(Coin(4, "", trials: 20_000));
        var early = TestScenarios.Run(Coin(4, """{ "factor": "macro", "fromYear": 1, "toYear": 3, "shift": -3 }""", trials: 20_000));
        Assert.That(early.Funds[0].Breach.Count, Is.EqualTo(calm.Funds[0].Breach.Count));
        Assert.That(early.Funds[0].LossRatio.Mean, Is.EqualTo(calm.Funds[0].LossRatio.Mean));
    }

    private const string TwoVintages = """
        { "name": "two", "simulation": { "trials": 100000, "seed": 3 },
          "outcomes": { "coin": { "writeOff": 0.7, "success": { "fixed": 2.0 }, "exposureYears": 1 } },
          "funds": [ { "name": "a", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 5, "outcomes": "coin", "tolerance": 0.6 },
                     { "name": "b", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 5, "outcomes": "coin", "tolerance": 0.6, "startYear": 3 },
                     { "name": "c", "type": "seed", "commitment": 1e9, "deals": 20, "check": 1e6, "investmentYears": 1, "lifeYears": 5, "outcomes": "coin", "tolerance": 0.6, "startYear": 3 } ] }
        """;

    [Test]
    public void Vintages_IndependentCoinFunds_MatchBinomialWithAndWithoutPooling()
    {
        var run = TestScenarios.Run(TwoVintages);
        var r = run.Get<FundsResult>()!;
        Assert.That(r.Vintages.Select(v => (v.StartYear, string.Join(",", v.Funds))), Is.EqualTo(new[] { (1, "a"), (3, "b,c") }));
        // Vintage 1: 20 coins, breach iff K ≤ 3; vintage 3: 40 coins, iff K ≤ 7; programme: 60 coins, iff K ≤ 11.
        double p1 = Exact.BinomialCdf(0.3, 20, 3), p3 = Exact.BinomialCdf(0.3, 40, 7), pooled = Exact.BinomialCdf(0.3, 60, 11);
        double any = 1 - (1 - p1) * (1 - p3);
        foreach (var (got, exact, what) in new[]
        {
            (r.Vintages[0].Breach.Probability, p1, "vintage-1"), (r.Vintages[1].Breach.Probability, p3, "vintage-3"),
            (r.BreachByVintage!.Probability, any, "any vintage"), (r.Programme!.Breach.Probability, pooled, "pooled"),
        })
            Exact.WithinStandardErrors(got, exact, Exact.ProbabilityStandardError(exact, run.Trials), what: what);
        Assert.That(pooled, Is.LessThan(any / 2), "pooling across vintages must matter in this case");
    }

    [Test]
    public void Columns_OneVintage_HaveNoVintageColumns()
    {
        var instrument = TestScenarios.Load(Coin(3, "")).Get<FundsInstrument>()!;
        Assert.That(instrument.Columns.Select(c => c.Name), Has.None.Contains("vintage"));
        Assert.That(instrument.FactorYears, Is.EqualTo(3 + 6 - 1), "factors are drawn to the fund's last calendar year");
    }

    [Test]
    public void Columns_TwoVintages_NameEachVintageAndTheUnpooledBreach()
    {
        var instrument = TestScenarios.Load(TwoVintages).Get<FundsInstrument>()!;
        Assert.That(instrument.Columns.Select(c => c.Name), Is.SupersetOf(new[]
            { "vintage-1.lossRatio", "vintage-1.breach", "vintage-3.lossRatio", "vintage-3.breach", "programme.breachByVintage" }));
        Assert.That(instrument.KeyFigures.Select(k => k.Figure.Name), Does.Contain("programme.breachProbabilityByVintage"));
    }
}
