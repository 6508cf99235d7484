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
        cases.AddRange(StudentTCopula(trials, threads));
        return cases;
    }

    private static SimulationResult Simulate(string json, int threads)
    {
        var load = ScenarioLoader.Parse(json, "validation.json");
        if (!load.IsValid) throw new InvalidOperationException(string.Join("\n", load.Errors));
        return new SimulationEngine().Run(load.Scenario!, new RunOptions(threads), []);
    }

    private static string Credit(int trials, int loans, double pd, double rho, double lgd, string report, double df = 0) => string.Create(CultureInfo.InvariantCulture, $$"""
        { "name": "validation", "simulation": { "trials": {{trials}}, "seed": 20251125 }, "factors": [ { "name": "macro" } ],{{(df > 0 ? " \"copula\": { \"t\": { \"df\": " + df.ToString(CultureInfo.InvariantCulture) + " } }," : "")}}
          "guarantees": [ { "name": "pool", "loans": { "perYear": {{loans}}, "years": 1, "amount": 1, "termYears": 1, "pd": {{pd}}, "lgd": {{lgd}},
                            "exposure": { "macro": {{Math.Sqrt(rho)}} } }, "shares": { "bank": 1 } } ],
          "report": { "exceedance": [ {{report}} ] } }
        """);

    private static double Integrate(Func<double, double> f) =>
        GaussLegendreRule.Integrate(z => f(z) * Normal.PDF(0, 1, z), -10, 10, 1024);

    /// <summary>E[f(√(W/ν))], W ~ χ²_ν, integrated over s = ln W (the integrand is then smooth at W → 0 for any ν):
    /// the density of s is e^{sν/2 − e^s/2} / (2^{ν/2} Γ(ν/2)).</summary>
    private static double IntegrateMixing(double nu, Func<double, double> f) =>
        GaussLegendreRule.Integrate(s => f(Math.Sqrt(Math.Exp(s) / nu))
            * Math.Exp(0.5 * nu * s - 0.5 * Math.Exp(s) - 0.5 * nu * Math.Log(2) - MathNet.Numerics.SpecialFunctions.GammaLn(0.5 * nu)),
            -120 / nu, 6, 512);

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

    /// <summary>
    /// The Student-t copula (ν = 4): a loan defaults when (√ρ·Z + √(1 − ρ)·ε)/√(W/ν) ≤ T_ν⁻¹(pd), so given Z = z and
    /// W = w its default probability is Φ((T_ν⁻¹(pd)·√(w/ν) − √ρ·z)/√(1 − ρ)); the exact laws integrate the binomial
    /// over z and w (a small pool), or the conditional default rate's distribution over w (the large-pool limit:
    /// P(rate &gt; x) = E_W[Φ((T_ν⁻¹(pd)·√(W/ν) − √(1 − ρ)·Φ⁻¹(x))/√ρ)]); a fund project succeeds when its U = T_ν(X/√(W/ν))
    /// exceeds the write-off share.
    /// </summary>
    private static IEnumerable<ValidationCase> StudentTCopula(int trials, int threads)
    {
        const double nu = 4;
        {
            const int n = 20;
            const double pd = 0.05, rho = 0.2;
            int[] ks = [0, 2, 5];
            double q = StudentT.InvCDF(0, 1, nu, pd);
            var r = Simulate(Credit(trials, n, pd, rho, 1, string.Join(", ", ks), nu), threads).Guarantees[0];
            string name = "20 loans, PD 5%, asset correlation 0.2, t copula ν = 4";
            foreach (var e in r.Loss.Exceedance)
            {
                int k = (int)e.Threshold;
                double exact = IntegrateMixing(nu, m => Integrate(z =>
                    1 - Binomial.CDF(Normal.CDF(0, 1, (q * m - Math.Sqrt(rho) * z) / Math.Sqrt(1 - rho)), n, k)));
                yield return new ValidationCase("Student-t copula (integration over the factor and the mixing)", name, $"P(defaults > {k})", exact, e.Estimate.Probability, e.Estimate.StandardError, e.Estimate.Trials);
            }
        }
        {
            int large = Math.Max(2_000, trials / 5);
            const int n = 20_000;
            const double pd = 0.02, rho = 0.12, x = 0.05;
            double q = StudentT.InvCDF(0, 1, nu, pd);
            var r = Simulate(Credit(large, n, pd, rho, 1, (x * n).ToString("R", CultureInfo.InvariantCulture), nu), threads).Guarantees[0];
            var e = r.Loss.Exceedance[0];
            double exact = IntegrateMixing(nu, m => Normal.CDF(0, 1, (q * m - Math.Sqrt(1 - rho) * Normal.InvCDF(0, 1, x)) / Math.Sqrt(rho)));
            yield return new ValidationCase("Student-t copula large-pool limit", $"{n:N0} loans, PD 2%, asset correlation 0.12, t copula ν = 4", "P(default rate > 5%)",
                exact, e.Estimate.Probability, e.Estimate.StandardError, e.Estimate.Trials);
        }
        {
            const int deals = 20;
            const double writeOff = 0.7, b = 0.5;
            string json = string.Create(CultureInfo.InvariantCulture, $$"""
                { "name": "validation-fund", "simulation": { "trials": {{trials}}, "seed": 20251125 }, "factors": [ { "name": "macro" } ],
                  "copula": { "t": { "df": {{nu}} } },
                  "outcomes": { "coin": { "writeOff": {{writeOff}}, "success": 2.0, "exposureYears": 1 } },
                  "funds": [ { "name": "f", "type": "angel", "commitment": 1e9, "deals": {{deals}}, "check": 1e6, "investmentYears": 1,
                               "outcomes": "coin", "exposure": { "macro": {{b}} } } ] }
                """);
            var f = Simulate(json, threads).Funds[0];
            double q = StudentT.InvCDF(0, 1, nu, writeOff);
            double exact = IntegrateMixing(nu, m => Integrate(z => Binomial.CDF(1 - Normal.CDF(0, 1, (q * m - b * z) / Math.Sqrt(1 - b * b)), deals, 3)));
            yield return new ValidationCase("Student-t copula fund breach probability", "20 projects, 30% succeed at 2x, loading 0.5, t copula ν = 4", "P(loss ratio > 60%)",
                exact, f.Breach.Probability, f.Breach.StandardError, f.Breach.Trials);
        }
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
