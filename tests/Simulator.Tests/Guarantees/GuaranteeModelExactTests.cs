using MathNet.Numerics.Distributions;
using Simulator.Tests.Support;
using Simulator.Core.Guarantees;

namespace Simulator.Tests.Guarantees;

/// <summary>
/// Credit losses against exact results of the same model: binomial for independent defaults, one-dimensional
/// integrals over the factor for one-factor books (homogeneous and heterogeneous tapes), the Vasicek limit for
/// a large pool, and deterministic default streams (pd = 1) against hand-worked waterfalls.
/// </summary>
public class GuaranteeModelExactTests
{
    private TempDirectory _temp = null!;

    private string _dir => _temp.Path;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-tape");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string Generated(int perYear, double pd, string exposure = "", string factors = "", int trials = 100_000, int term = 1, int years = 1, string stresses = "", string extra = "") => $$"""
        { "name": "credit", "simulation": { "trials": {{trials}}, "seed": 8 },
          "factors": [ {{factors}} ], "stresses": [ {{stresses}} ],
          "guarantees": [ { "name": "g",
              "loans": { "perYear": {{perYear}}, "years": {{years}}, "amount": 1, "termYears": {{term}}, "pd": {{pd}}, "lgd": 1, "exposure": { {{exposure}} } },
              "shares": { "bank": 1 } {{extra}} } ] }
        """;

    [Test]
    public void Loss_IndependentDefaults_MatchesBinomial()
    {
        const int n = 50;
        const double pd = 0.1;
        var r = TestScenarios.Run(Generated(n, pd));
        var g = r.Guarantees[0];
        double exactMean = n * pd, sd = Math.Sqrt(n * pd * (1 - pd));
        Exact.WithinStandardErrors(g.Loss.Mean, exactMean, sd / Math.Sqrt(r.Trials), what: "mean loss");
        Assert.That(g.Loss.Sd, Is.EqualTo(sd).Within(4 * sd / Math.Sqrt(2.0 * r.Trials)));
        foreach (var (q, got) in new[] { (0.5, g.Loss.P50), (0.9, g.Loss.P90), (0.99, g.Loss.P99) })
        {
            int exact = 0;
            while (Binomial.CDF(pd, n, exact) < q) exact++;
            Assert.That(got, Is.EqualTo(exact), $"p{q}");
        }
        Assert.That(g.Bank.Mean, Is.EqualTo(g.Loss.Mean), "the bank carries everything here");
    }

    [Test]
    public void Defaults_MultiYearTerm_MarginalAnnualPdHolds()
    {
        const int n = 40;
        const double pd = 0.05;
        var r = TestScenarios.Run(Generated(n, pd, term: 3));
        double p = 1 - Math.Pow(1 - pd, 3);
        Exact.WithinStandardErrors(r.Guarantees[0].MeanDefaults, n * p, Math.Sqrt(n * p * (1 - p) / r.Trials), what: "defaults over 3 years");
    }

    [Test]
    public void Defaults_StressInYearTwo_RaisesThatYearsPd()
    {
        // persistence 0, loading b: year-2 marginal PD under a −2 shift is Φ(Φ⁻¹(pd) + 2b); years are independent.
        const int n = 40;
        const double pd = 0.05, b = 0.5;
        var r = TestScenarios.Run(Generated(n, pd, $"\"macro\": {b}", "{ \"name\": \"macro\" }", term: 3,
            stresses: """{ "factor": "macro", "fromYear": 2, "shift": -2 }"""));
        double p2 = Normal.CDF(0, 1, Normal.InvCDF(0, 1, pd) + 2 * b);
        double p = 1 - (1 - pd) * (1 - p2) * (1 - pd);
        double sdBound = n * 0.5; // a loose bound on the sd of correlated default counts, for the tolerance
        Exact.WithinStandardErrors(r.Guarantees[0].MeanDefaults, n * p, sdBound / Math.Sqrt(r.Trials), what: "defaults with a year-2 stress");
        Assert.That(p, Is.GreaterThan(1.5 * (1 - Math.Pow(1 - pd, 3))), "the stress matters");
    }

    private string Tape(string name, IEnumerable<string> rows, string header = "id,amount,pd,lgd,termYears,startYear,rho")
    {
        File.WriteAllLines(Path.Combine(_dir, name), rows.Prepend(header));
        return name;
    }

    private string TapeScenario(string tape, double[] thresholds, int trials = 100_000) => $$"""
        { "name": "tape", "simulation": { "trials": {{trials}}, "seed": 4 }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "g", "loanTape": "{{tape}}", "shares": { "bank": 1 } } ],
          "report": { "exceedance": [ {{string.Join(", ", thresholds)}} ] } }
        """;

    [Test]
    public void Evaluate_GeneratedBookAndSameTape_SameDefaultsTrialByTrial()
    {
        // A generated book of fixed amounts and LGD (settled by counting defaults per word) and a tape of the same
        // loans (settled loan by loan) draw the same numbers, so every trial gives the same defaults and loss.
        const int perYear = 100, years = 3, term = 2;
        const double pd = 0.08, rho = 0.25;
        string tape = Tape("same.csv", Enumerable.Range(0, perYear * years).Select(i => $"L{i},2,{pd},0.5,{term},{i / perYear + 1},{rho}"));
        var fromTape = Core.Scenarios.ScenarioLoader.Parse($$"""
            { "name": "same", "simulation": { "trials": 2000, "seed": 4 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loanTape": "{{tape}}", "shares": { "bank": 1 } } ] }
            """, "tape.json", _dir);
        Assert.That(fromTape.Errors, Is.Empty, () => string.Join("\n", fromTape.Errors));
        var generated = TestScenarios.Load($$"""
            { "name": "same", "simulation": { "trials": 2000, "seed": 4 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": {{perYear}}, "years": {{years}}, "amount": 2, "termYears": {{term}},
                "pd": {{pd}}, "lgd": 0.5, "exposure": { "macro": {{Math.Sqrt(rho)}} } }, "shares": { "bank": 1 } } ] }
            """);
        var a = new MemorySink();
        var b = new MemorySink();
        TestScenarios.Run(generated, 2, a);
        TestScenarios.Run(fromTape.Scenario!, 2, b);
        Assert.That(a.Values, Has.Count.EqualTo(b.Values.Count));
        Assert.That(a.Values.Where(v => !double.IsNaN(v)).Sum(), Is.GreaterThan(0));
        for (int i = 0; i < a.Values.Count; i++)
        {
            if (double.IsNaN(b.Values[i])) Assert.That(a.Values[i], Is.NaN, $"value {i}");
            else Assert.That(a.Values[i], Is.EqualTo(b.Values[i]).Within(1e-9 * (1 + Math.Abs(b.Values[i]))), $"value {i}");
        }
    }

    [Test]
    public void Exceedance_HomogeneousOneFactorTape_MatchesIntegral()
    {
        const int n = 100;
        const double pd = 0.05, rho = 0.2;
        string tape = Tape("homo.csv", Enumerable.Range(1, n).Select(i => $"L{i},1,{pd},1,1,1,{rho}"));
        double[] thresholds = [5, 10, 20];
        var load = Core.Scenarios.ScenarioLoader.Parse(TapeScenario(tape, thresholds), "tape.json", _dir);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        var r = TestScenarios.Run(load.Scenario!);
        double threshold = Normal.InvCDF(0, 1, pd), sq = Math.Sqrt(rho), c = Math.Sqrt(1 - rho);
        foreach (var e in r.Guarantees[0].Loss.Exceedance)
        {
            double exact = Exact.NormalExpectation(z => 1 - Binomial.CDF(Normal.CDF(0, 1, (threshold - sq * z) / c), n, (int)e.Threshold));
            Exact.WithinStandardErrors(e.Estimate.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: $"P(loss > {e.Threshold})");
        }
    }

    [Test]
    public void Exceedance_HeterogeneousOneFactorTape_MatchesIntegralOfConvolution()
    {
        // 60 loans of 1 at pd 2% and 30 loans of 2 at pd 8%, all with rho 0.15.
        const double rho = 0.15;
        var rows = Enumerable.Range(1, 60).Select(i => $"a{i},1,0.02,1,1,1,{rho}")
            .Concat(Enumerable.Range(1, 30).Select(i => $"b{i},2,0.08,1,1,1,{rho}"));
        string tape = Tape("hetero.csv", rows);
        double[] thresholds = [4, 8, 16];
        var load = Core.Scenarios.ScenarioLoader.Parse(TapeScenario(tape, thresholds), "tape.json", _dir);
        var r = TestScenarios.Run(load.Scenario!);
        double sq = Math.Sqrt(rho), c = Math.Sqrt(1 - rho);
        double Exceed(double z, double x)
        {
            double pa = Normal.CDF(0, 1, (Normal.InvCDF(0, 1, 0.02) - sq * z) / c), pb = Normal.CDF(0, 1, (Normal.InvCDF(0, 1, 0.08) - sq * z) / c);
            double below = 0;
            for (int kb = 0; kb <= 30 && 2 * kb <= x; kb++)
                below += Binomial.PMF(pb, 30, kb) * Binomial.CDF(pa, 60, Math.Min(60, x - 2 * kb));
            return 1 - below;
        }
        foreach (var e in r.Guarantees[0].Loss.Exceedance)
        {
            double exact = Exact.NormalExpectation(z => Exceed(z, e.Threshold));
            Exact.WithinStandardErrors(e.Estimate.Probability, exact, Exact.ProbabilityStandardError(exact, r.Trials), what: $"P(loss > {e.Threshold})");
        }
    }

    [Test]
    public void LossQuantiles_LargePool_ApproachVasicekLimit()
    {
        const int n = 10_000;
        const double pd = 0.02, rho = 0.15;
        var r = TestScenarios.Run(Generated(n, pd, $"\"macro\": {Math.Sqrt(rho)}", "{ \"name\": \"macro\" }", trials: 20_000));
        double Vasicek(double q) => n * Normal.CDF(0, 1, (Normal.InvCDF(0, 1, pd) + Math.Sqrt(rho) * Normal.InvCDF(0, 1, q)) / Math.Sqrt(1 - rho));
        var l = r.Guarantees[0].Loss;
        Assert.That(l.P90, Is.EqualTo(Vasicek(0.90)).Within(5).Percent);
        Assert.That(l.P99, Is.EqualTo(Vasicek(0.99)).Within(5).Percent);
        Assert.That(l.Mean, Is.EqualTo(n * pd).Within(3).Percent);
    }

    [Test]
    public void Waterfall_DeterministicDefaults_MatchesHandWorked()
    {
        // pd = 1: every loan defaults in its first year. Three loans of 100, LGD 0.5: three losses of 50. The
        // pool's share is 10 each; a budget of 25 pays 10, 10, 5 and the last 5 goes to the guarantor.
        var r = TestScenarios.Run("""
            { "name": "det", "simulation": { "trials": 10 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": 3, "years": 1, "amount": 100, "termYears": 1, "pd": 1, "lgd": 0.5 },
                  "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                  "guarantor": { "capital": 1000 },
                  "government": { "budget": 25, "shortfallTo": "guarantor" } } ] }
            """);
        var g = r.Guarantees[0];
        Assert.Multiple(() =>
        {
            Assert.That(g.Loss.Mean, Is.EqualTo(150));
            Assert.That(g.Guarantor.Mean, Is.EqualTo(65));
            Assert.That(g.ReGuarantee.Mean, Is.EqualTo(30));
            Assert.That(g.Bank.Mean, Is.EqualTo(30));
            Assert.That(g.Government.Mean, Is.EqualTo(25));
            Assert.That(g.Exhausted.Probability, Is.EqualTo(1));
            Assert.That(g.ExhaustedByYear, Is.EqualTo(new[] { 1.0 }));
            Assert.That(g.FiscalLeverage, Is.EqualTo(300 / 25.0));
            Assert.That(g.Insolvent.Probability, Is.Zero);
            Assert.That(g.CapitalByYear[0].P50, Is.EqualTo(1000 - 65));
        });
    }

    [Test]
    public void Waterfall_DeterministicDefaults_InsolvencyAndLeverage()
    {
        // Capital 50, leverage 2: of four loans of 40 offered in year 1 only two fit (80 ≤ 100, 120 > 100).
        // Both default (pd = 1, LGD 1): guarantor owes 40% of 40 = 16 twice, has 50: pays 32, solvent.
        // Year 2 offers four more; capital 18 allows 36 outstanding: none of 40 fits.
        var r = TestScenarios.Run("""
            { "name": "det2", "simulation": { "trials": 5 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": 4, "years": 2, "amount": 40, "termYears": 1, "pd": 1, "lgd": 1 },
                  "shares": { "guarantor": 0.4, "bank": 0.6 },
                  "guarantor": { "capital": 50, "leverageCap": 2 } } ] }
            """);
        var g = r.Guarantees[0];
        Assert.That(g.MeanLoans, Is.EqualTo(2));
        Assert.That(g.Guarantor.Mean, Is.EqualTo(32));
        Assert.That(g.CapitalByYear.Select(c => c.P50), Is.EqualTo(new[] { 18.0, 18.0 }));

        var insolvent = TestScenarios.Run("""
            { "name": "det3", "simulation": { "trials": 5 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": 3, "years": 1, "amount": 100, "termYears": 1, "pd": 1, "lgd": 1 },
                  "shares": { "guarantor": 0.5, "bank": 0.5 },
                  "guarantor": { "capital": 120, "leverageCap": 10 } } ] }
            """).Guarantees[0];
        // Guarantor owes 50 per loan: pays 50, 50, then 20 of 50 and is insolvent; the bank takes the other 30.
        Assert.That(insolvent.Guarantor.Mean, Is.EqualTo(120));
        Assert.That(insolvent.Bank.Mean, Is.EqualTo(150 + 30));
        Assert.That(insolvent.Insolvent.Probability, Is.EqualTo(1));
    }

    [Test]
    public void Suspension_PayoutRateTrigger_StopsLaterCohorts()
    {
        // Year 1: 10 loans of 100, pd = 1 → guarantor pays 100% of 1,000 ≫ 5% of 1,000: suspended, so years 2–3 issue nothing.
        var r = TestScenarios.Run("""
            { "name": "susp", "simulation": { "trials": 5 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": 10, "years": 3, "amount": 100, "termYears": 1, "pd": 1, "lgd": 1 },
                  "shares": { "guarantor": 1 }, "guarantor": { "capital": 1e6 }, "suspendAbovePayoutRate": 0.05 } ] }
            """);
        Assert.That(r.Guarantees[0].MeanLoans, Is.EqualTo(10));
        Assert.That(r.Guarantees[0].Suspended.Probability, Is.EqualTo(1));
    }

    [Test]
    public void Amount_CappedAtMaxPerBorrower()
    {
        var r = TestScenarios.Run("""
            { "name": "cap", "simulation": { "trials": 200 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": 100, "years": 1, "amount": { "uniform": [1, 3] }, "maxPerBorrower": 2, "termYears": 1, "pd": 0 },
                  "shares": { "bank": 1 } } ] }
            """);
        // E[min(U(1,3), 2)] = 0.5·1.5 + 0.5·2 = 1.75 per loan.
        Assert.That(r.Guarantees[0].MeanGuaranteed / 100, Is.EqualTo(1.75).Within(0.02));
        Assert.That(r.Guarantees[0].Loss.Mean, Is.Zero);
    }

    [Test]
    public void PoolAndTrigger_LimitsMetExactlyInBinaryRounding_MatchBinomial()
    {
        // 25 loans of 1 million a year for two years, pd 10%, LGD 1: each default costs the pool and the guarantor 300,000.
        // The pool's cap and the trigger are 3.6% of the guaranteed amount: 900,000 after year 1 (899,999.9999999999 in
        // binary) and 1,800,000 after year 2 (1,799,999.9999999998). Exactly: year 1 exhausts the pool and suspends new
        // loans iff K1 ≥ 4 defaults; otherwise year 2 issues 25 more loans, and K1 + K2 ≥ 7 exhausts the pool and trips the trigger.
        const int n = 25;
        const double pd = 0.1;
        var r = TestScenarios.Run($$"""
            { "name": "ties", "simulation": { "trials": 20000, "seed": 5 },
              "guarantees": [ { "name": "g",
                  "loans": { "perYear": {{n}}, "years": 2, "amount": 1e6, "termYears": 1, "pd": {{pd}}, "lgd": 1 },
                  "shares": { "guarantor": 0.3, "bank": 0.4, "government": 0.3 }, "guarantor": { "capital": 1e9, "leverageCap": 100 },
                  "government": { "capRate": 0.036, "shortfallTo": "bank" }, "suspendAbovePayoutRate": 0.036 } ] }
            """).Guarantees[0];
        double Pmf(int k) => Binomial.PMF(pd, n, k);
        double open = Exact.BinomialCdf(pd, n, 3);
        double exhausted = 1 - open + Enumerable.Range(0, 4).Sum(k => Pmf(k) * (1 - Exact.BinomialCdf(pd, n, 6 - k)));
        long trials = r.Exhausted.Trials;
        Exact.WithinStandardErrors(r.Exhausted.Probability, exhausted, Exact.ProbabilityStandardError(exhausted, trials), what: "P(exhausted)");
        // The trigger sees the same sums as the pool: suspended (in year 1 or 2) exactly when exhausted.
        Exact.WithinStandardErrors(r.Suspended.Probability, exhausted, Exact.ProbabilityStandardError(exhausted, trials), what: "P(suspended)");
        Exact.WithinStandardErrors(r.MeanLoans, n + n * open, n * Math.Sqrt(open * (1 - open) / trials), what: "loans issued");
    }
}
