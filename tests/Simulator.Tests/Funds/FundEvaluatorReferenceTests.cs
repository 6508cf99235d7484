using Simulator.Core.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Funds;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Funds;

/// <summary>
/// The fast fund evaluator (projects in vectorised passes) against a plain project-by-project evaluation written
/// like version 0.1: the same three uniforms per project, MathNet's Φ and Φ⁻¹, <see cref="OutcomeModel.Multiple"/>,
/// the virtual quantile functions, and the bisection IRR. The model must be unchanged: the same bands, multiples
/// (to the documented last-bit differences of Φ, Φ⁻¹ and the vectorised Pareto quantile), exit years, cash flows
/// and figures.
/// </summary>
public class FundEvaluatorReferenceTests
{
    private static FundTrialOutcome Reference(Fund fund, EconomyModel economy, StreamKey key, long trial, FactorPaths paths)
    {
        var model = fund.Outcomes;
        int w = model.ExposureYears, life = fund.LifeYears;
        var used = Enumerable.Range(0, fund.Loadings.Count).Where(k => fund.Loadings[k] != 0).ToArray();
        var systematic = new double[fund.InvestmentYears + 1];
        for (int y = 1; y <= fund.InvestmentYears; y++)
            foreach (int k in used)
                systematic[y] += fund.Loadings[k] * paths.WindowDraw(k, y, w, 1 / Math.Sqrt(EconomyModel.WindowSumVariance(economy.Factors[k].Persistence, w)));
        double scale = Math.Sqrt(Math.Max(0, 1 - fund.SystematicVariance));
        var contributions = new double[life];
        var proceedsByYear = new double[life];
        var held = new double[life + 2];
        var draws = new CounterUniforms(key.Derive(trial, StreamKey.Hash("fund", fund.Name)));
        double invested = 0, proceeds = 0;
        int projectBreaches = 0;
        for (int k = 0; k < fund.Deals; k++)
        {
            int year = fund.InvestmentYear(k);
            // docs/model.md §9: project k's uniform for purpose p (0 check, 1 shock, 2 exit) is at index 4k + p.
            double uCheck = draws.At(4UL * (ulong)k), uShock = draws.At(4UL * (ulong)k + 1), uExit = draws.At(4UL * (ulong)k + 2);
            double check = fund.Check.Quantile(uCheck);
            double x = systematic[year] + scale * ExactNormal.InvCdf(uShock);
            double multiple = model.Multiple(ExactNormal.Cdf(x), out var band);
            var exitLaw = model.ExitYears(band);
            int exit = exitLaw is null ? life : Math.Min(life, year + (int)Math.Floor(Math.Max(0, exitLaw.Quantile(uExit)) + 0.5));
            invested += check;
            proceeds += check * multiple;
            contributions[year - 1] += check;
            proceedsByYear[exit - 1] += check * multiple;
            held[year] += check;
            held[exit + 1] -= check;
            if (fund.Type == FundType.Direct && Math.Max(0, 1 - multiple) > fund.Tolerance + Fund.BreachEpsilon) projectBreaches++;
        }
        if (fund.Fees.Management > 0)
        {
            double heldCost = 0;
            for (int t = 1; t <= life; t++)
            {
                heldCost += held[t];
                double feeBase = heldCost > FundEvaluator.HeldCostNoise * invested ? heldCost : 0;
                contributions[t - 1] += fund.Fees.Management * (t <= fund.InvestmentYears ? fund.Commitment : feeBase);
            }
        }
        var governmentFlows = new double[life];
        var privateFlows = new double[life];
        var totals = Waterfall.Run(contributions, proceedsByYear, fund.Fees, fund.GovernmentShare, fund.Concession, governmentFlows, privateFlows);
        double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds) / invested) : 0;
        return new FundTrialOutcome
        {
            Invested = invested,
            Proceeds = proceeds,
            LossRatio = lossRatio,
            Breach = fund.Type == FundType.Direct ? projectBreaches > 0 : lossRatio > fund.Tolerance + Fund.BreachEpsilon,
            ProjectBreaches = projectBreaches,
            NetMultiplePrivate = totals.PrivateMultiple,
            NetMultipleGovernment = totals.GovernmentMultiple,
            NetIrrPrivate = ReferenceIrr.ForInvestment(privateFlows),
            NetIrrGovernment = ReferenceIrr.ForInvestment(governmentFlows),
        };
    }

    private static void AssertClose(double fast, double reference, double relative, string what)
    {
        if (double.IsNaN(reference))
        {
            Assert.That(fast, Is.NaN, what);
            return;
        }
        Assert.That(fast, Is.EqualTo(reference).Within(relative * Math.Max(1, Math.Abs(reference))), what);
    }

    private static void CompareScenario(Scenario scenario, int trials)
    {
        var key = StreamKey.For(scenario.Seed, scenario.Name);
        var paths = new FactorPaths(scenario.Economy);
        var evaluators = scenario.Funds.Select(f => new FundEvaluator(f, scenario.Economy.Factors)).ToArray();
        var scratch = evaluators.Select(e => e.CreateScratch()).ToArray();
        for (long trial = 1; trial <= trials; trial++)
        {
            paths.Draw(key, trial);
            for (int f = 0; f < evaluators.Length; f++)
            {
                var fund = scenario.Funds[f];
                var fast = evaluators[f].Evaluate(key, trial, paths, scratch[f]);
                var reference = Reference(fund, scenario.Economy, key, trial, paths);
                string at = $"{fund.Name}, trial {trial}";
                // Sums of the same terms in the same order: exact, except for multiples moved in their last bits.
                AssertClose(fast.Invested, reference.Invested, 1e-15, $"invested, {at}");
                AssertClose(fast.Proceeds, reference.Proceeds, 1e-13, $"proceeds, {at}");
                AssertClose(fast.LossRatio, reference.LossRatio, 1e-13, $"loss ratio, {at}");
                Assert.That(fast.Breach, Is.EqualTo(reference.Breach), $"breach, {at}");
                Assert.That(fast.ProjectBreaches, Is.EqualTo(reference.ProjectBreaches), $"project breaches, {at}");
                AssertClose(fast.NetMultiplePrivate, reference.NetMultiplePrivate, 1e-13, $"private multiple, {at}");
                AssertClose(fast.NetMultipleGovernment, reference.NetMultipleGovernment, 1e-13, $"government multiple, {at}");
                AssertClose(fast.NetIrrPrivate, reference.NetIrrPrivate, 1e-11, $"private IRR, {at}");
                AssertClose(fast.NetIrrGovernment, reference.NetIrrGovernment, 1e-11, $"government IRR, {at}");
            }
        }
    }

    private static Scenario FromFile(string file)
    {
        var load = ScenarioLoader.Load(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", file));
        Assert.That(load.Errors, Is.Empty);
        return load.Scenario!;
    }

    [Test]
    public void Evaluate_SectorProgramme_MatchesProjectByProjectReference() =>
        // Lognormal and uniform checks, beta partials, Pareto and lognormal successes, a table of exit years, fees,
        // hurdles, carry, a concession and a direct programme.
        CompareScenario(FromFile("sector-programme.json"), 400);

    [Test]
    public void Evaluate_Downturn_MatchesProjectByProjectReference() =>
        CompareScenario(FromFile("wuhan-downturn.json"), 400);

    [Test]
    public void Evaluate_PresetsWithDirectBreachesAndNoExitLaws_MatchProjectByProjectReference() =>
        CompareScenario(TestScenarios.Load("""
            { "name": "mix", "simulation": { "trials": 10, "seed": 7 }, "factors": [ { "name": "macro", "persistence": 0.5 } ],
              "outcomes": { "late": { "writeOff": 0.4, "partial": { "probability": 0.6, "multiple": { "uniform": [0, 1] } } },
                            "capped": { "writeOff": 0.2, "success": { "multiple": { "pareto": { "min": 1.5, "alpha": 1.1 } }, "cap": 4 },
                                        "exitYears": { "success": { "uniform": [0, 30] } } } },
              "funds": [
                { "name": "v", "type": "venture", "commitment": 1e9, "deals": 53, "check": 1e7, "exposure": { "macro": 0.5 },
                  "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 }, "governmentShare": 0.3, "concession": 1.0 },
                { "name": "d", "type": "direct", "commitment": 1e8, "deals": 9, "check": 1e6, "tolerance": 0.5, "outcomes": "late",
                  "governmentShare": 1.0 },
                { "name": "c", "type": "seed", "commitment": 1e8, "deals": 17, "check": { "uniform": [1e6, 3e6] }, "outcomes": "capped",
                  "investmentYears": 6, "lifeYears": 8, "governmentShare": 0 } ] }
            """), 600);

    [Test]
    public void TrialEvaluator_AllFundsProjectsInOnePass_SameFiguresAsEachFundAlone()
    {
        // The trial evaluator runs Φ⁻¹ and Φ once over the projects of all six funds (35, 30, 25, 25, 20 and 12 deals,
        // so most funds start inside a vector); every figure must be exactly what the fund's own Evaluate gives.
        var scenario = TestScenarios.Load(File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "sector-programme.json")));
        var layout = new Simulator.Core.Engine.TrialLayout(scenario);
        var trialEvaluator = new Simulator.Core.Engine.TrialEvaluator(scenario, layout);
        var trialScratch = trialEvaluator.CreateScratch();
        var key = StreamKey.For(scenario.Seed, scenario.Name);
        var paths = new FactorPaths(scenario.Economy);
        var evaluators = scenario.Funds.Select(f => new FundEvaluator(f, scenario.Economy.Factors)).ToArray();
        var scratch = evaluators.Select(e => e.CreateScratch()).ToArray();
        var row = new double[layout.Count];
        for (long trial = 1; trial <= 300; trial++)
        {
            trialEvaluator.Evaluate(trial, row, trialScratch);
            paths.Draw(key, trial);
            for (int f = 0; f < evaluators.Length; f++)
            {
                var alone = evaluators[f].Evaluate(key, trial, paths, scratch[f]);
                int c = layout.IndexOf($"{scenario.Funds[f].Name}.lossRatio");
                double[] expected = [alone.LossRatio, alone.Invested, alone.Proceeds, alone.NetMultiplePrivate, alone.NetMultipleGovernment, alone.NetIrrPrivate, alone.NetIrrGovernment];
                double[] actual = [row[c + FundsInstrument.LossRatio], row[c + FundsInstrument.Invested],
                    row[c + FundsInstrument.Proceeds], row[c + FundsInstrument.MultiplePrivate],
                    row[c + FundsInstrument.MultipleGovernment], row[c + FundsInstrument.IrrPrivate],
                    row[c + FundsInstrument.IrrGovernment]];
                Assert.That(actual, Is.EqualTo(expected), $"{scenario.Funds[f].Name}, trial {trial}");
            }
        }
    }

    [Test]
    public void Evaluate_ReusedScratch_GivesTheSameOutcomeInAnyOrder()
    {
        var scenario = FromFile("sector-programme.json");
        var key = StreamKey.For(scenario.Seed, scenario.Name);
        var paths = new FactorPaths(scenario.Economy);
        var evaluator = new FundEvaluator(scenario.Funds[0], scenario.Economy.Factors);
        var scratch = evaluator.CreateScratch();
        var forward = new List<FundTrialOutcome>();
        for (long t = 1; t <= 50; t++)
        {
            paths.Draw(key, t);
            forward.Add(evaluator.Evaluate(key, t, paths, scratch));
        }
        for (long t = 50; t >= 1; t--)
        {
            paths.Draw(key, t);
            Assert.That(evaluator.Evaluate(key, t, paths, evaluator.CreateScratch()), Is.EqualTo(forward[(int)t - 1]), $"trial {t}");
        }
    }

    [Test]
    public void ParetoBatchQuantiles_AnyLengthOffsetOrAliasing_DependOnlyOnTheValue()
    {
        // The last elements of a span that is not a whole number of vectors are computed as one vector overlapping
        // the one before (loaded before the loop, since the output may be the input): every element must get the
        // value it gets anywhere else, for every length, including in place.
        var pareto = new ParetoDistribution(1.938, 1.32);
        var rng = new Random(5);
        var u = Enumerable.Range(0, 41).Select(_ => rng.NextDouble()).ToArray();
        u[12] = 1.0; // a lane for the scalar rules
        var whole = new double[u.Length];
        pareto.Quantiles(u, whole);
        for (int offset = 0; offset < 9; offset++)
        {
            for (int length = 1; offset + length <= u.Length; length++)
            {
                var part = new double[length];
                pareto.Quantiles(u.AsSpan(offset, length), part);
                Assert.That(part, Is.EqualTo(whole[offset..(offset + length)]), $"offset {offset}, length {length}");
                var inPlace = u[offset..(offset + length)];
                pareto.Quantiles(inPlace, inPlace);
                Assert.That(inPlace, Is.EqualTo(part), $"in place, offset {offset}, length {length}");
            }
        }
    }

    [Test]
    public void OutcomeModel_BatchQuantiles_AgreeWithScalar()
    {
        // The default batch is the scalar function; the Pareto one is vectorised (x_m·exp(−ln(1 − u)/α)).
        var beta = new BetaDistribution(0.3, 0.2);
        var pareto = new ParetoDistribution(1.938, 1.32);
        var rng = new Random(4);
        var u = Enumerable.Range(0, 10_001).Select(_ => rng.NextDouble()).Append(1e-17).Append(1 - 1e-16).Append(0.5).ToArray();
        var b = new double[u.Length];
        beta.Quantiles(u, b);
        Assert.That(b, Is.EqualTo(u.Select(beta.Quantile).ToArray()));
        var p = new double[u.Length];
        pareto.Quantiles(u, p);
        double max = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double scalar = pareto.Quantile(u[i]);
            double error = Math.Abs(p[i] - scalar) / scalar;
            if (scalar <= 200 * pareto.Min) max = Math.Max(max, error);
            Assert.That(error, Is.LessThanOrEqualTo((2 + Math.Log(scalar / pareto.Min)) * 2.3e-16), $"u = {u[i]:R}");
        }
        TestContext.Out.WriteLine($"Pareto batch vs Math.Pow: max relative difference {max:E2} below 200·x_m");
        Assert.That(max, Is.LessThan(1e-15));
        // Outside (0, 1) the scalar rules apply, also in place and in a partial last vector.
        double[] special = [0.25, 1.0, 1.5, double.NaN, 0.5, 0.75, 0.1, 0.2, 1.0, 0.3];
        var expected = special.Select(pareto.Quantile).ToArray();
        pareto.Quantiles(special, special);
        Assert.That(special, Is.EqualTo(expected).Within(1e-13).Percent); // 1e-15 relative
    }
}
