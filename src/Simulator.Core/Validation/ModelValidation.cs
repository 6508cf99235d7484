using System.Globalization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Core.Validation;

/// <summary>One comparison of the engine with an exact value.</summary>
/// <param name="Group">What is checked (for grouping in the report).</param>
/// <param name="Case">The case, with its parameters.</param>
/// <param name="Figure">The figure compared.</param>
/// <param name="Exact">The exact (closed-form or numerically integrated) value.</param>
/// <param name="Simulated">The engine's estimate.</param>
/// <param name="StandardError">The estimate's standard error as the engine reports it.</param>
/// <param name="Trials">Trials run.</param>
public sealed record ValidationCase(string Group, string Case, string Figure, double Exact, double Simulated, double StandardError, long Trials)
{
    /// <summary>(simulated − exact) / standard error.</summary>
    public double Z => StandardError > 0 ? (Simulated - Exact) / StandardError : Simulated == Exact ? 0 : double.PositiveInfinity;
}

/// <summary>
/// Runs the engine on scenarios whose answers are known exactly — the binomial law of independent defaults, exact
/// one-factor loss distributions of small portfolios (numerical integration over the factor), the Vasicek
/// large-pool limit and the Basel IRB capital formula built on it, and fund breach probabilities — and compares.
/// The scenarios go through the same loader as users' files.
/// </summary>
public static class ModelValidation
{
    /// <summary>All cases; <paramref name="trials"/> scales the run sizes (the report uses 100,000).</summary>
    public static IReadOnlyList<ValidationCase> Run(int trials = 100_000, int threads = 0)
    {
        var cases = new List<ValidationCase>();
        cases.AddRange(IndependentDefaults(trials, threads));
        cases.AddRange(SmallOneFactorPool(trials, threads));
        cases.AddRange(LargePool(Math.Max(2_000, trials / 5), threads));
        cases.AddRange(FundBreaches(trials, threads));
        return cases;
    }

    private static SimulationResult Simulate(string json, int threads)
    {
        var load = ScenarioLoader.Parse(json, "validation.json");
        if (!load.IsValid) throw new InvalidOperationException(string.Join("\n", load.Errors));
        return new SimulationEngine().Run(load.Scenario!, new RunOptions(threads), []);
    }

    private static string Credit(int trials, int loans, double pd, double rho, double lgd, string report) => string.Create(CultureInfo.InvariantCulture, $$"""
        { "name": "validation", "simulation": { "trials": {{trials}}, "seed": 20251125 }, "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool", "loans": { "perYear": {{loans}}, "years": 1, "amount": 1, "termYears": 1, "pd": {{pd}}, "lgd": {{lgd}},
                            "exposure": { "macro": {{Math.Sqrt(rho)}} } }, "shares": { "bank": 1 } } ],
          "report": { "exceedance": [ {{report}} ] } }
        """);

    private static double Integrate(Func<double, double> f) =>
        GaussLegendreRule.Integrate(z => f(z) * Normal.PDF(0, 1, z), -10, 10, 1024);

    private static double ConditionalPd(double pd, double rho, double z) =>
        Normal.CDF(0, 1, (Normal.InvCDF(0, 1, pd) - Math.Sqrt(rho) * z) / Math.Sqrt(1 - rho));

    private static IEnumerable<ValidationCase> IndependentDefaults(int trials, int threads)
    {
        const int n = 50;
        const double pd = 0.1;
        int[] ks = [5, 8, 12];
        var r = Simulate(Credit(trials, n, pd, 0, 1, string.Join(", ", ks)), threads).Guarantees[0];
        string name = "50 loans, PD 10%, independent";
        yield return new ValidationCase("Binomial (independent defaults)", name, "mean loss", n * pd, r.Loss.Mean, r.Loss.StandardErrors.Mean, r.Loss.Exceedance[0].Estimate.Trials);
        foreach (var e in r.Loss.Exceedance)
        {
            int k = (int)e.Threshold;
            yield return new ValidationCase("Binomial (independent defaults)", name, $"P(defaults > {k})", 1 - Binomial.CDF(pd, n, k), e.Estimate.Probability, e.Estimate.StandardError, e.Estimate.Trials);
        }
    }

    private static IEnumerable<ValidationCase> SmallOneFactorPool(int trials, int threads)
    {
        const int n = 20;
        const double pd = 0.05, rho = 0.2;
        int[] ks = [0, 2, 5];
        var r = Simulate(Credit(trials, n, pd, rho, 1, string.Join(", ", ks)), threads).Guarantees[0];
        string name = "20 loans, PD 5%, asset correlation 0.2";
        foreach (var e in r.Loss.Exceedance)
        {
            int k = (int)e.Threshold;
            double exact = Integrate(z => 1 - Binomial.CDF(ConditionalPd(pd, rho, z), n, k));
            yield return new ValidationCase("Exact one-factor portfolio (integration over the factor)", name, $"P(defaults > {k})", exact, e.Estimate.Probability, e.Estimate.StandardError, e.Estimate.Trials);
        }
    }

    private static IEnumerable<ValidationCase> LargePool(int trials, int threads)
    {
        const int n = 20_000;
        const double pd = 0.02, rho = 0.12, lgd = 0.45;
        double VasicekQuantile(double q) => Normal.CDF(0, 1, (Normal.InvCDF(0, 1, pd) + Math.Sqrt(rho) * Normal.InvCDF(0, 1, q)) / Math.Sqrt(1 - rho));
        double x = 0.05; // loss fraction (of exposure at default count) threshold
        var r = Simulate(Credit(trials, n, pd, rho, lgd, (x * n * lgd).ToString("R", CultureInfo.InvariantCulture)), threads).Guarantees[0];
        string name = $"{n:N0} loans, PD 2%, asset correlation 0.12, LGD 45%";
        var e = r.Loss.Exceedance[0];
        double vasicekTail = 1 - Normal.CDF(0, 1, (Math.Sqrt(1 - rho) * Normal.InvCDF(0, 1, x) - Normal.InvCDF(0, 1, pd)) / Math.Sqrt(rho));
        yield return new ValidationCase("Vasicek large-pool limit", name, "P(default rate > 5%)", vasicekTail, e.Estimate.Probability, e.Estimate.StandardError, e.Estimate.Trials);
        yield return new ValidationCase("Vasicek large-pool limit", name, "p99 loss / exposure", lgd * VasicekQuantile(0.99), r.Loss.P99 / n, r.Loss.StandardErrors.P99 / n, e.Estimate.Trials);
        // Basel IRB: K = LGD·[Φ((Φ⁻¹(PD) + √R·Φ⁻¹(0.999)) / √(1 − R)) − PD], the 99.9% loss quantile net of expected loss.
        double irb = lgd * (VasicekQuantile(0.999) - pd);
        yield return new ValidationCase("Basel IRB capital formula", name + ", R = 0.12", "p999 loss / exposure − PD·LGD", irb, r.Loss.P999 / n - pd * lgd, r.Loss.StandardErrors.P999 / n, e.Estimate.Trials);
    }

    private static IEnumerable<ValidationCase> FundBreaches(int trials, int threads)
    {
        const int deals = 20;
        const double q = 0.7, b = 0.5;
        string Json(string exposure) => $$"""
            { "name": "validation-fund", "simulation": { "trials": {{trials}}, "seed": 20251125 }, "factors": [ { "name": "macro" } ],
              "outcomes": { "coin": { "writeOff": {{q}}, "success": 2.0, "exposureYears": 1 } },
              "funds": [ { "name": "f", "type": "angel", "commitment": 1e9, "deals": {{deals}}, "check": 1e6, "investmentYears": 1,
                           "outcomes": "coin", "exposure": { {{exposure}} } } ] }
            """;
        // Loss ratio max(0, 1 − k/10) with k successes: breach of 60% iff k ≤ 3.
        var independent = Simulate(Json(""), threads).Funds[0];
        yield return new ValidationCase("Fund breach probability", "20 projects, 30% succeed at 2x, independent", "P(loss ratio > 60%)",
            Binomial.CDF(1 - q, deals, 3), independent.Breach.Probability, independent.Breach.StandardError, independent.Breach.Trials);
        var correlated = Simulate(Json($"\"macro\": {b}"), threads).Funds[0];
        double exact = Integrate(z => Binomial.CDF(1 - Normal.CDF(0, 1, (Normal.InvCDF(0, 1, q) - b * z) / Math.Sqrt(1 - b * b)), deals, 3));
        yield return new ValidationCase("Fund breach probability", "20 projects, 30% succeed at 2x, loading 0.5", "P(loss ratio > 60%)",
            exact, correlated.Breach.Probability, correlated.Breach.StandardError, correlated.Breach.Trials);
    }
}
