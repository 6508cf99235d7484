using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;
using Simulator.Core.Funds;
using Simulator.Core.Instruments;
using Simulator.Core.Format;

namespace Simulator.Tests.Scenarios;

public class VariantTests
{
    private const string Funds = """
        "factors": [ { "name": "macro", "persistence": 0.5 } ],
        "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6, "exposure": { "macro": 0.5 } },
                   { "name": "angel-b", "type": "angel", "commitment": 1e8, "deals": 20, "check": 1e6, "exposure": { "macro": 0.5 } } ]
        """;

    private static Scenario Load(string extra, int trials = 4000, long seed = 3) =>
        TestScenarios.Load($$"""{ "name": "v", "simulation": { "trials": {{trials}}, "seed": {{seed}} }, {{Funds}}, {{extra}} }""");

    private static IReadOnlyList<ScenarioError> Errors(string extra) =>
        TestScenarios.Errors($$"""{ "name": "v", {{Funds}}, {{extra}} }""");

    private static (SimulationResult Result, KeyFigureCapture Capture, MemorySink Rows) Run(Scenario s)
    {
        var capture = new KeyFigureCapture(s);
        var rows = new MemorySink();
        var result = TestScenarios.Run(s, 2, capture, rows);
        return (result, capture, rows);
    }

    [Test]
    public void Variant_EqualToBase_IdenticalBitForBit()
    {
        var s = Load("""
            "variants": [ { "name": "same", "set": { "policy.tolerance.seed": 0.8, "funds[angel-b].deals": 20 } } ]
            """);
        var baseRun = Run(s);
        var variant = Run(s.Variants.Single().Scenario);
        Assert.That(variant.Rows.Values, Is.EqualTo(baseRun.Rows.Values));
        var c = PairedComparison.Compare(baseRun.Capture, variant.Capture);
        Assert.That(c.Select(f => f.Difference.Value), Is.All.EqualTo(0));
        Assert.That(c.Where(f => f.Figure.Kind == FigureKind.Mean).Select(f => f.Difference.StandardError), Is.All.EqualTo(0));
    }

    [Test]
    public void Sweep_ToleranceRises_BreachNeverRisesTrialByTrial()
    {
        var s = Load("""
            "sweep": { "policy.tolerance.seed": [0.5, 0.6, 0.7, 0.8, 0.9] }
            """);
        Assert.That(s.Variants.Select(v => v.Name), Is.EqualTo(new[] { "seed-0.5", "seed-0.6", "seed-0.7", "seed-0.8", "seed-0.9" }));
        double[]? previous = null;
        double previousProbability = 1;
        foreach (var v in s.Variants)
        {
            var run = Run(v.Scenario);
            var flags = run.Capture.Find("seed-a.breachProbability")!.Value.Values.ToArray();
            if (previous is not null)
            {
                for (int i = 0; i < flags.Length; i++) Assert.That(flags[i], Is.LessThanOrEqualTo(previous[i]), $"trial {i + 1}");
            }
            Assert.That(run.Result.Funds[0].Breach.Probability, Is.LessThanOrEqualTo(previousProbability));
            Assert.That(run.Result.Funds[1].Breach.Count, Is.EqualTo(Run(s).Result.Funds[1].Breach.Count), "the angel fund is untouched");
            previous = flags;
            previousProbability = run.Result.Funds[0].Breach.Probability;
        }
    }

    [Test]
    public void Sweep_TwoPaths_NamesFromLeavesAndValuesInRowMajorOrder()
    {
        var s = Load("""
            "sweep": { "policy.tolerance.seed": [0.7, 0.8], "funds[angel-b].deals": [10, 30] }
            """, trials: 100);
        Assert.That(s.Variants.Select(v => v.Name), Is.EqualTo(new[] { "seed-0.7_deals-10", "seed-0.7_deals-30", "seed-0.8_deals-10", "seed-0.8_deals-30" }));
        Assert.That(s.Sweep!.Paths, Is.EqualTo(new[] { "policy.tolerance.seed", "funds[angel-b].deals" }));
        Assert.That(s.Variants[3].Scenario.Funds[1].Deals, Is.EqualTo(30));
        Assert.That(s.Variants[3].Scenario.Funds[0].Tolerance, Is.EqualTo(0.8));
    }

    [Test]
    [Category("Slow")]
    public void PairedStandardError_MatchesSpreadOfIndependentReruns()
    {
        // 30 independent seeds: the sd of the 30 differences (variant − base) must agree with the paired SE
        // each run reports. With 29 degrees of freedom the ratio lies in [0.74, 1.26] 95% of the time.
        var diffs = new List<double>();
        var ses = new List<double>();
        var unpaired = new List<double>();
        for (int seed = 1; seed <= 30; seed++)
        {
            var s = Load("""
                "variants": [ { "name": "more-deals", "set": { "funds[seed-a].deals": 30, "policy.tolerance.seed": 0.75 } } ]
                """, trials: 3000, seed: seed);
            var b = Run(s);
            var v = Run(s.Variants[0].Scenario);
            var f = PairedComparison.Compare(b.Capture, v.Capture).Single(x => x.Figure.Name == "seed-a.breachProbability");
            diffs.Add(f.Difference.Value);
            ses.Add(f.Difference.StandardError);
            unpaired.Add(Math.Sqrt(b.Result.Funds[0].Breach.StandardError * b.Result.Funds[0].Breach.StandardError + f.Estimate.StandardError * f.Estimate.StandardError));
        }
        var (_, sd) = Core.Statistics.Empirical.MeanSd(diffs.ToArray());
        double ratio = sd / ses.Average();
        Assert.That(ratio, Is.InRange(0.6, 1.5), $"sd of differences {sd:G3}, mean paired SE {ses.Average():G3}");
        Assert.That(ses.Average(), Is.LessThan(0.8 * unpaired.Average()), "pairing must cut the standard error of the difference");
    }

    [Test]
    public void Set_UnknownField_SuggestsAndPointsAtTheSetting()
    {
        var e = Errors("""
            "variants": [ { "name": "x", "set": { "policy.tolerance.sed": 0.7 } } ]
            """).Single();
        Assert.That(e.Path, Is.EqualTo("$.variants[0].set[\"policy.tolerance.sed\"]"));
        Assert.That(e.Message, Does.Contain("unknown field 'sed'").And.Contain("did you mean 'seed'"));
        Assert.That(e.Line, Is.Not.Null);
    }

    [Test]
    public void Set_MissingListItem_ListsTheItems()
    {
        var e = Errors("""
            "variants": [ { "name": "x", "set": { "funds[seed-b].deals": 7 } } ]
            """).Single();
        Assert.That(e.Message, Does.Contain("no item named 'seed-b'").And.Contain("seed-a, angel-b"));
    }

    [TestCase("\"high\"", "expected a number")]
    [TestCase("1.5", "out of range")]
    public void Set_BadValue_ReportedLikeAnyValidationError(string value, string expected)
    {
        var e = Errors($$"""
            "variants": [ { "name": "x", "set": { "policy.tolerance.seed": {{value}} } } ]
            """).Single();
        Assert.That(e.Path, Is.EqualTo("$.variants[0].set[\"policy.tolerance.seed\"]"));
        Assert.That(e.Message, Does.Contain("variant 'x' sets policy.tolerance.seed").And.Contain(expected));
    }

    [Test]
    public void Set_CrossFieldRuleBroken_Reported()
    {
        var e = Errors("""
            "variants": [ { "name": "x", "set": { "funds[0].exposure.macro": 0.99, "funds[0].exposure.ai": 0.5 } } ]
            """);
        Assert.That(e.Select(x => x.Message), Has.Some.Contains("unknown factor 'ai'"));
    }

    [Test]
    public void Variants_DuplicateNamesAndNameChange_Rejected()
    {
        var errors = Errors("""
            "variants": [ { "name": "x", "set": { "policy.tolerance.seed": 0.7 } }, { "name": "x", "set": { "policy.tolerance.seed": 0.6 } },
                          { "name": "y", "set": { "name": "other" } } ]
            """);
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("must be unique").And.Some.Contains("cannot set 'name'"));
    }

    [Test]
    public void Sensitivity_MovesInputUpAndDown()
    {
        var s = Load("""
            "sensitivity": { "output": "programme.breachProbability",
              "inputs": [ { "path": "funds[seed-a].exposure.macro", "delta": 0.1 }, { "path": "funds[angel-b].commitment" } ] }
            """, trials: 100);
        var plan = s.Sensitivity!;
        Assert.That(plan.Inputs[0].Low, Is.EqualTo(0.4).Within(1e-12));
        Assert.That(plan.Inputs[0].High, Is.EqualTo(0.6).Within(1e-12));
        Assert.That(plan.Inputs[1].High, Is.EqualTo(1.1e8).Within(1), "relative 10% by default");
        Assert.That(s.Variants.Select(v => v.Origin), Is.EqualTo(new[] { VariantOrigin.SensitivityDown, VariantOrigin.SensitivityUp, VariantOrigin.SensitivityDown, VariantOrigin.SensitivityUp }));
        Assert.That(s.Variants[1].Scenario.Funds[0].Loadings[0], Is.EqualTo(0.6).Within(1e-12));
    }

    [Test]
    public void Sensitivity_UnknownOutputAndNonNumericInput_Reported()
    {
        var errors = Errors("""
            "sensitivity": { "output": "programme.breachProbabilty", "inputs": [ { "path": "funds[seed-a].type" } ] }
            """);
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains("did you mean 'programme.breachProbability'").And.Some.Contains("not a number"));
    }

    [Test]
    public void Set_InsideDistribution_Accepted()
    {
        var s = TestScenarios.Load("""
            { "name": "d", "simulation": { "trials": 10 },
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": { "lognormal": { "median": 1e6, "sigma": 0.5 } } } ],
              "variants": [ { "name": "wider", "set": { "funds[f].check.lognormal.sigma": 0.9 } } ] }
            """);
        var check = (Core.Distributions.LogNormalDistribution)s.Variants[0].Scenario.Funds[0].Check;
        Assert.That(check.Sigma, Is.EqualTo(0.9));
    }

    [Test]
    public void Sweep_NegativeValues_KeepTheirSign()
    {
        var s = Load("""
            "stresses": [ { "factor": "macro", "fromYear": 1, "shift": -1 } ],
            "sweep": { "stresses[0].shift": [-1, 1] }
            """, trials: 10);
        Assert.That(s.Variants.Select(v => v.Name), Is.EqualTo(new[] { "shift--1", "shift-1" }));
    }

    [Test]
    public void Set_Simulation_RejectedBecauseItWouldBreakCommonRandomNumbers()
    {
        var e = Errors("""
            "variants": [ { "name": "x", "set": { "simulation.seed": 9 } } ]
            """).Single();
        Assert.That(e.Message, Does.Contain("cannot set 'simulation'"));
    }

    [Test]
    public void LibraryStress_VariantMovesIt_TakesEffect()
    {
        var s = Load("""
            "stresses": [ { "use": "macro-downturn" } ],
            "variants": [ { "name": "later", "set": { "stresses[0].fromYear": 3 } }, { "name": "longer", "set": { "stresses[0].years": 4 } } ]
            """, trials: 10);
        Assert.That(s.Economy.Stresses.Single(), Is.EqualTo(new Core.Economy.Stress(0, 1, 2, -1.5)));
        Assert.That(s.Variants[0].Scenario.Economy.Stresses.Single(), Is.EqualTo(new Core.Economy.Stress(0, 3, 4, -1.5)));
        Assert.That(s.Variants[1].Scenario.Economy.Stresses.Single(), Is.EqualTo(new Core.Economy.Stress(0, 1, 4, -1.5)));
    }
}
