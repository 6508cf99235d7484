using MathNet.Numerics.Distributions;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Studies;

/// <summary>
/// Solving for a setting against pools whose answer is exact: the smallest budget with P(pool exhausted) ≤ 5% is a
/// quantile of the pool's loss, binomial without a factor and a one-factor (Vasicek) mixture of binomials with one.
/// </summary>
public class SolverTests
{
    private const string Budget = "guarantees[pool].government.budget";

    /// <summary>One cohort of one-year loans of 1 CNY with LGD 1, all of the loss to the government pool: the pool's loss is
    /// the number of defaults K, and the pool is exhausted in a trial iff K exceeds the budget.</summary>
    private static string Pool(int loans, double pd, int trials, string solve, double loading = 0) => $$"""
        { "name": "solve-pool", "simulation": { "trials": {{trials}}, "seed": 11 },
          "factors": [ { "name": "macro" } ],
          "guarantees": [ { "name": "pool",
              "loans": { "perYear": {{loans}}, "years": 1, "amount": 1, "termYears": 1, "pd": {{pd}}, "lgd": 1, "exposure": { "macro": {{loading}} } },
              "shares": { "government": 1 }, "government": { "budget": {{loans * pd}}, "shortfallTo": "bank" } } ],
          "solve": {{solve}} }
        """;

    private static (SolveResult Result, WhatIf WhatIf) Solve(TempDirectory temp, string json)
    {
        string file = temp.Write("s.json", json);
        var loaded = ScenarioLoader.Load(file);
        Assert.That(loaded.Errors, Is.Empty);
        var scenario = loaded.Scenario!;
        var whatIf = WhatIf.Start(new SimulationEngine(), scenario, File.ReadAllBytes(file), null, new RunOptions(2));
        return (Solver.Solve(whatIf, scenario.Solve!), whatIf);
    }

    /// <summary>The smallest integer k with P(K &gt; k) ≤ <paramref name="tail"/>, for P(K &gt; k) decreasing in k.</summary>
    private static int Quantile(Func<int, double> survival, int max, double tail)
    {
        int lo = 0, hi = max;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (survival(mid) <= tail) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    [Test]
    public void Solve_IndependentBinomialPool_ExactQuantileWithinInterval()
    {
        const int loans = 20_000;
        const double pd = 0.02;
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, Pool(loans, pd, 2000, $$"""{ "vary": "{{Budget}}", "target": "pool.exhaustionProbability <= 5%", "range": [300, 600] }"""));
        using (whatIf)
        {
            // Exhausted iff K > budget: the smallest budget with P(exhausted) ≤ 5% is the smallest k with P(K > k) ≤ 5%.
            int exact = Quantile(k => 1 - Exact.BinomialCdf(pd, loans, k), loans, 0.05);
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved));
            Assert.That(r.Direction, Is.EqualTo(-1));
            Assert.That(Solver.MeetsAbove(r), Is.True);
            Assert.That(r.Figure, Is.LessThanOrEqualTo(0.05));
            Assert.That(exact, Is.InRange(r.Low95, r.High95), r.Message);
            // Not vacuous: the interval is the delta method's, a few loans wide (sd of K is 19.8, n = 2000 trials).
            Assert.That(r.High95 - r.Low95, Is.InRange(1.0, 12.0), r.Message);
            // The solution is a budget the Monte Carlo curve meets, to within the tolerance ((600 − 300)/10^4) of its step.
            Assert.That(r.Solution - Math.Floor(r.Solution), Is.LessThan(0.03 + 1e-9), r.Message);
            Assert.That(r.Monotone, Is.True);
        }
    }

    [Test]
    public void Solve_OneFactorPool_ExactMixtureQuantileWithinInterval()
    {
        const int loans = 20_000;
        const double pd = 0.02, loading = 0.3;
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, Pool(loans, pd, 4000, $$"""{ "vary": "{{Budget}}", "target": "pool.exhaustionProbability <= 0.05", "range": [400, 3000] }""", loading));
        using (whatIf)
        {
            // Given the year's factor z, defaults are binomial with θ(z) = Φ((Φ⁻¹(pd) − b z)/√(1 − b²)); integrate over z.
            double Theta(double z) => Normal.CDF(0, 1, (Normal.InvCDF(0, 1, pd) - loading * z) / Math.Sqrt(1 - loading * loading));
            double Survival(int k) => Exact.NormalExpectation(z => 1 - Exact.BinomialCdf(Theta(z), loans, k));
            int exact = Quantile(Survival, loans, 0.05);
            // The large-pool (Vasicek) limit is close but not the answer: the finite pool's binomial noise widens the tail.
            double vasicek = loans * Normal.CDF(0, 1, (Normal.InvCDF(0, 1, pd) + loading * Normal.InvCDF(0, 1, 0.95)) / Math.Sqrt(1 - loading * loading));
            Assert.That(exact, Is.EqualTo(vasicek).Within(3).Percent);
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved));
            Assert.That(exact, Is.InRange(r.Low95, r.High95), r.Message);
            Assert.That(r.High95 - r.Low95, Is.LessThan(0.1 * exact), r.Message);
            Assert.That(r.Monotone, Is.True);
        }
    }

    [Test]
    public void Solve_TargetOutsideRange_UnreachableWithBothEnds()
    {
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, Pool(2000, 0.02, 500, $$"""{ "vary": "{{Budget}}", "target": "pool.exhaustionProbability <= 5%", "range": [10, 30] }"""));
        using (whatIf)
        {
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Unreachable));
            Assert.That(r.Evaluations, Has.Count.EqualTo(2), "only the ends are evaluated");
            Assert.That(double.IsNaN(r.Solution), Is.True);
            Assert.That(r.Message, Does.Contain("cannot be reached in the range [10, 30]").And.Contain("neither meets")
                .And.Contain($"at {Budget} = 10").And.Contain("at 30"));
        }
    }

    [Test]
    public void Solve_CommonRandomNumbers_FigureMonotoneInBudgetTrialByTrial()
    {
        // On common random numbers a larger budget can only leave fewer trials exhausted: every evaluation, in budget
        // order, is at or below the one before, not merely within noise.
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, Pool(500, 0.05, 1000, $$"""{ "vary": "{{Budget}}", "target": "pool.exhaustionProbability <= 1%", "range": [5, 200] }""", 0.4));
        using (whatIf)
        {
            var sorted = r.Evaluations.OrderBy(e => e.Value).ToList();
            Assert.That(sorted, Has.Count.GreaterThan(6));
            for (int i = 1; i < sorted.Count; i++) Assert.That(sorted[i].Figure, Is.LessThanOrEqualTo(sorted[i - 1].Figure));
            Assert.That(r.Monotone, Is.True);
            Assert.That(r.Bracket.High - r.Bracket.Low, Is.LessThanOrEqualTo((200 - 5) / 1e4 + 1e-12));
        }
    }

    [Test]
    public void Solve_ToleranceEqualTarget_ReusesTheBaseTrialsAndCrossesFivePercent()
    {
        // A tolerance only decides which loss ratios breach: each evaluation rewrites the base's rows (no new trials), and
        // the solution is where P(breach) crosses 5%, between two evaluations on either side of it.
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, """
            { "name": "solve-tolerance", "simulation": { "trials": 4000, "seed": 3 },
              "factors": [ { "name": "macro", "persistence": 0.5 } ],
              "funds": [ { "name": "seed-a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "exposure": { "macro": 0.4 } } ],
              "solve": { "vary": "funds[seed-a].tolerance", "target": "seed-a.breachProbability = 0.05", "range": [0.3, 1] } }
            """);
        using (whatIf)
        {
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved));
            Assert.That(r.Direction, Is.EqualTo(-1));
            Assert.That(r.Monotone, Is.True);
            var sorted = r.Evaluations.OrderBy(e => e.Value).ToList();
            Assert.That(sorted.Any(e => e.Value <= r.Solution && e.Figure >= 0.05) && sorted.Any(e => e.Value >= r.Solution && e.Figure <= 0.05), Is.True);
            Assert.That(r.Low95, Is.LessThan(r.Solution));
            Assert.That(r.High95, Is.GreaterThan(r.Solution));
        }
    }

    [Test]
    public void Solve_IntegerField_TriesIntegersOnly()
    {
        // loans.perYear takes integers: the largest book whose pool (budget 20) is exhausted in at most 5% of trials.
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, Pool(1000, 0.02, 1000, """{ "vary": "guarantees[pool].loans.perYear", "target": "pool.exhaustionProbability <= 5%", "range": [200, 2000] }"""));
        using (whatIf)
        {
            Assert.That(r.Plan.Integer, Is.True);
            Assert.That(r.Evaluations.All(e => e.Value == Math.Floor(e.Value)), Is.True);
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved));
            Assert.That(Solver.MeetsAbove(r), Is.False, "more loans, more exhaustion: the answer is a largest value");
            Assert.That(r.Bracket.High - r.Bracket.Low, Is.EqualTo(1));
        }
    }

    [Test]
    public void Solve_LeverageCap_LargestCapWithInsolvencyAtMostOnePercentIsExact()
    {
        // One cohort of one-year loans of 1 CNY with LGD 1, all of the loss to a guarantor of capital C = 100 that
        // earns and spends nothing: the cap lets n = ⌊cap · C⌋ loans through, and the guarantor is insolvent iff the
        // defaults K ~ Binomial(n, pd) exceed C (a loss equal to the capital empties it without insolvency). The
        // largest cap with P(insolvent) ≤ 1% is therefore n*/C, n* the largest n with P(Bin(n, pd) > C) ≤ 1%: any cap
        // in [n*/C, (n* + 1)/C) gives the same book.
        const int capital = 100;
        const double pd = 0.05;
        using var temp = new TempDirectory();
        var (r, whatIf) = Solve(temp, $$"""
            { "name": "solve-leverage", "simulation": { "trials": 4000, "seed": 17 },
              "guarantees": [ { "name": "book",
                  "loans": { "perYear": 4000, "years": 1, "amount": 1, "termYears": 1, "pd": {{pd}}, "lgd": 1 },
                  "shares": { "guarantor": 1 },
                  "guarantor": { "capital": {{capital}}, "leverageCap": 10, "feeRate": 0, "costRate": 0, "yield": 0 } } ],
              "solve": { "vary": "guarantees[book].guarantor.leverageCap", "target": "book.insolvencyProbability <= 1%", "range": [2, 40] } }
            """);
        using (whatIf)
        {
            int n = 0;
            while (1 - Exact.BinomialCdf(pd, n + 1, capital) <= 0.01) n++;
            double exact = (double)n / capital;
            Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved), r.Message);
            Assert.That(Solver.MeetsAbove(r), Is.False, "a larger cap issues more loans: the answer is a largest value");
            Assert.That(r.Figure, Is.LessThanOrEqualTo(0.01), r.Message);
            Assert.That(r.Monotone, Is.True);
            // The answer's interval (delta method, from the figure's SE and the local slope) holds the exact cap's step.
            Assert.That(r.High95, Is.GreaterThanOrEqualTo(exact), r.Message);
            Assert.That(r.Low95, Is.LessThan(exact + 1.0 / capital), r.Message);
            // Not vacuous: P(insolvent) rises by about 0.1 per unit of cap here, so the interval is a few hundredths wide.
            Assert.That(r.High95 - r.Low95, Is.InRange(0.01, 0.5), r.Message);
            // On common random numbers a larger cap adds loans and keeps each loan's draw: in cap order the figure never falls.
            var sorted = r.Evaluations.OrderBy(e => e.Value).ToList();
            for (int i = 1; i < sorted.Count; i++) Assert.That(sorted[i].Figure, Is.GreaterThanOrEqualTo(sorted[i - 1].Figure));
        }
    }

    private static IEnumerable<string> ExamplesWithSolve() =>
        Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "scenarios"), "*.json").Order(StringComparer.Ordinal)
            .Where(f => ScenarioLoader.Load(f).Scenario?.Solve is not null);

    [Test]
    public void Examples_AtLeastOneShipsASolveBlock() => Assert.That(ExamplesWithSolve(), Is.Not.Empty);

    [TestCaseSource(nameof(ExamplesWithSolve))]
    [Category("Slow")]
    public void Example_SolveBlock_SolvesAsShipped(string path)
    {
        var scenario = ScenarioLoader.Load(path).Scenario!;
        using var whatIf = WhatIf.Start(new SimulationEngine(), scenario, File.ReadAllBytes(path), null, new RunOptions(2));
        var r = Solver.Solve(whatIf, scenario.Solve!);
        Assert.That(r.Status, Is.EqualTo(SolveStatus.Solved), r.Message);
        Assert.That(r.Monotone, Is.True);
        // The answers docs/variants.md §12 gives, from runs of the files as shipped.
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        string? sentence = Path.GetFileName(path) switch
        {
            "tech-sme-4222-budget.json" => "The budget that keeps the 4222 pool solvent 95% of the time " + string.Create(invariant,
                $"is {r.Solution / 1e6:F1} million CNY (95% interval {r.Low95 / 1e6:F1} to {r.High95 / 1e6:F1} million)"),
            "tech-sme-4222-leverage.json" => "The largest leverage cap that keeps the 4222 guarantor solvent 99% of the time " + string.Create(invariant,
                $"is {r.Solution:F1}× (95% interval {r.Low95:F1}× to {r.High95:F1}×)"),
            _ => null,
        };
        if (sentence is null) return;
        string docs = File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "docs", "variants.md"));
        Assert.That(docs, Does.Contain(sentence));
    }

    [TestCase("5%", SolveRelation.AtMost, 0.05)]
    [TestCase("0.05", SolveRelation.AtMost, 0.05)]
    [TestCase("1e-2", SolveRelation.AtMost, 0.01)]
    public void TargetParse_Forms_ValueAndRelation(string value, SolveRelation relation, double expected)
    {
        var t = SolveTarget.Parse($"pool.exhaustionProbability <= {value}", out var problem);
        Assert.That(problem, Is.Null);
        Assert.That(t!.Figure, Is.EqualTo("pool.exhaustionProbability"));
        Assert.That(t.Relation, Is.EqualTo(relation));
        Assert.That(t.Value, Is.EqualTo(expected).Within(1e-15));
        Assert.That(SolveTarget.Parse("x.y>=3", out _)!.Relation, Is.EqualTo(SolveRelation.AtLeast));
        Assert.That(SolveTarget.Parse("x.y = 3", out _)!.Relation, Is.EqualTo(SolveRelation.Equal));
    }

    [TestCase("pool.exhaustionProbability < 5%")]
    [TestCase("pool.exhaustionProbability <= five")]
    [TestCase("<= 0.05")]
    public void TargetParse_BadSyntax_SaysTheForm(string text)
    {
        Assert.That(SolveTarget.Parse(text, out var problem), Is.Null);
        Assert.That(problem, Does.Contain("is not of the form \"<key-figure> <= value\""));
    }
}
