using System.Text.Json.Nodes;
using Simulator.Core.Funds;
using Simulator.Core.Outcomes;
using Simulator.Core.Randomness;
using Simulator.Core.Relay;
using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Relay;

/// <summary>The relay buyer against hand-worked deals, its invariance at a budget of 0, and its interim marks.</summary>
public class RelayTests
{
    // Every project returns 2× five years after its investment. The seller invests 5 × 30 in year 1; the relay fund
    // 10 × 100 in year 4 (its budget that year: 10% of 1,000 = 100). Offered three years after investment: in year 4,
    // all five seller projects are still held (they exit in year 6), each with mark E[M | X₁] = 2.
    private static string HandWorked(string relay) => $$"""
        { "name": "relay-hand", "simulation": { "trials": 16, "seed": 3 },
          "outcomes": { "sure": { "writeOff": 0, "success": { "fixed": 2.0 }, "exitYears": { "success": 5 } } },
          "funds": [
            { "name": "s", "type": "seed", "commitment": 1000, "deals": 5, "check": 30, "investmentYears": 1, "lifeYears": 8, "outcomes": "sure" },
            { "name": "v", "type": "venture", "startYear": 4, "commitment": 1000, "deals": 10, "check": 100, "investmentYears": 1, "lifeYears": 6, "outcomes": "sure" } ],
          "relay": [ {{relay}} ] }
        """;

    [Test]
    public void Deals_PricedAtCost_BuyWhatTheBudgetHolds()
    {
        // Price 30 each: three fit in the budget of 100 (90 spent), two are unmet demand (60); the budget binds. The
        // tranche pays 90 for projects worth 3 × 60 = 180: loss ratio 0, loss moved 90 − 180 = −90. The seller gets
        // 90 in year 4 and 2 × 60 in year 6 instead of 5 × 60 in year 6.
        var run = TestScenarios.Run(HandWorked("""{ "name": "r", "fund": "v", "sellers": ["s"], "offer": { "afterYears": 3, "minMark": 1 } }"""));
        var r = run.Get<RelayResult>()!.Items[0];
        Assert.That(r.MeanBudget, Is.EqualTo(100).Within(1e-9));
        Assert.That(r.MeanSpent, Is.EqualTo(90).Within(1e-9));
        Assert.That(r.MeanCost, Is.EqualTo(90).Within(1e-9));
        Assert.That(r.MeanDeals, Is.EqualTo(3));
        Assert.That(r.MeanUnmetDemand, Is.EqualTo(60).Within(1e-9));
        Assert.That(r.BudgetBinds.Probability, Is.EqualTo(1));
        Assert.That(r.MeanProceeds, Is.EqualTo(180).Within(1e-9));
        Assert.That(r.MeanLossMoved, Is.EqualTo(-90).Within(1e-9));
        Assert.That(r.TrancheLossRatio.Mean, Is.Zero);
        var s = r.Sellers.Single();
        Assert.That(s.MeanSold, Is.EqualTo(3));
        // IRRs are kept in single precision, as the funds' are.
        Assert.That(s.Irr!.Mean, Is.EqualTo(Math.Pow(2, 0.2) - 1).Within(1e-6));
        double[] with = [-150, 0, 0, 90, 0, 120];
        Assert.That(s.IrrWithRelay!.Mean, Is.EqualTo(ReferenceIrr.ForInvestment(with)).Within(1e-7));
    }

    [Test]
    public void RelayFund_WithItsDeals_JudgedUnderBothTolerances()
    {
        // The relay fund's own projects return 0.5×: it invests 1,000 and gets 500, loss ratio 0.5 over its tolerance 0.45.
        // Its three relay deals at cost (90 paid, 180 of outcomes, as above) join its book: loss 1,090 − 680 = 410 on
        // 1,090 (0.3761…), against the allowance 0.45 × 1,000 (its own) + 0.8 × 90 (the seed tolerance on the deals)
        // = 522: no breach.
        string scenario = HandWorked("""{ "name": "r", "fund": "v", "sellers": ["s"] }""")
            .Replace("\"outcomes\": {", "\"policy\": { \"tolerance\": { \"seed\": 0.8, \"venture\": 0.45 } }, \"outcomes\": { \"half\": { \"writeOff\": 0, \"success\": { \"fixed\": 0.5 }, \"exitYears\": { \"success\": 5 } },")
            .Replace("\"lifeYears\": 6, \"outcomes\": \"sure\"", "\"lifeYears\": 6, \"outcomes\": \"half\"");
        var run = TestScenarios.Run(scenario);
        var r = run.Get<RelayResult>()!.Items[0];
        Assert.That(r.MeanDeals, Is.EqualTo(3));
        var f = r.Fund!;
        Assert.That(f.Fund, Is.EqualTo("v"));
        Assert.That(f.MeanLossRatio, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(f.Breach.Probability, Is.EqualTo(1));
        Assert.That(f.Breach.Probability, Is.EqualTo(run.Funds.Single(x => x.Fund.Name == "v").Breach.Probability));
        Assert.That(f.MeanLossRatioWithRelay, Is.EqualTo(410.0 / 1090).Within(1e-12));
        Assert.That(f.BreachWithRelay.Probability, Is.Zero);
        // Under a venture tolerance of 0.3 the allowance is 0.3 × 1,000 + 0.8 × 90 = 372 < 410: a breach either way.
        var strict = TestScenarios.Run(scenario.Replace("\"venture\": 0.45", "\"venture\": 0.3")).Get<RelayResult>()!.Items[0].Fund!;
        Assert.That(strict.Breach.Probability, Is.EqualTo(1));
        Assert.That(strict.BreachWithRelay.Probability, Is.EqualTo(1));
        // A vehicle of its own has no fund figures.
        var vehicle = TestScenarios.Run(HandWorked("""{ "name": "r", "vehicle": { "capital": 2000 }, "sellers": ["s"] }"""));
        Assert.That(vehicle.Get<RelayResult>()!.Items[0].Fund, Is.Null);
    }

    [Test]
    public void Deals_PricedAtDiscountedMark_PayMarkTimesOneMinusDiscount()
    {
        // Price 30 × 2 × 0.75 = 45: two fit (90), three are unmet (135). The tranche pays 90 for 120 of outcomes.
        var run = TestScenarios.Run(HandWorked("""{ "name": "r", "fund": "v", "sellers": ["s"], "price": { "rule": "mark", "discount": 0.25 } }"""));
        var r = run.Get<RelayResult>()!.Items[0];
        Assert.That(r.MeanDeals, Is.EqualTo(2));
        Assert.That(r.MeanCost, Is.EqualTo(90).Within(1e-9));
        Assert.That(r.MeanUnmetDemand, Is.EqualTo(135).Within(1e-9));
        Assert.That(r.MeanLossMoved, Is.EqualTo(90 - 120).Within(1e-9));
    }

    [Test]
    public void Deals_OwnVehicle_BudgetIsShareOfCapitalOverItsYears()
    {
        // A vehicle of 2,000 over years 3..6 invests 500 a year; 10% is 50 in year 4: one deal at cost 30 (the second
        // would make 60).
        var run = TestScenarios.Run(HandWorked("""{ "name": "r", "vehicle": { "capital": 2000, "startYear": 3, "investmentYears": 4 }, "sellers": ["s"] }"""));
        var r = run.Get<RelayResult>()!.Items[0];
        Assert.That(r.MeanBudget, Is.EqualTo(4 * 50).Within(1e-9));
        Assert.That(r.MeanDeals, Is.EqualTo(1));
        Assert.That(r.MeanUnmetDemand, Is.EqualTo(4 * 30).Within(1e-9));
    }

    [Test]
    public void Offers_MarkBelowThreshold_NoDeal()
    {
        var run = TestScenarios.Run(HandWorked("""{ "name": "r", "fund": "v", "sellers": ["s"], "offer": { "minMark": 2.5 } }"""));
        var r = run.Get<RelayResult>()!.Items[0];
        Assert.That(r.MeanDeals, Is.Zero);
        Assert.That(r.BudgetBinds.Probability, Is.Zero);
        Assert.That(r.Sellers[0].IrrWithRelay!.Mean, Is.EqualTo(r.Sellers[0].Irr!.Mean));
    }

    private const string Random = """
        { "name": "relay-random", "simulation": { "trials": 3000, "seed": 11 },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "funds": [
            { "name": "s", "type": "seed", "commitment": 3e8, "deals": 30, "check": { "lognormal": { "median": 6e6, "sigma": 0.5 } }, "investmentYears": 3, "exposure": { "macro": 0.4 } },
            { "name": "a", "type": "angel", "startYear": 2, "commitment": 4e8, "deals": 20, "check": { "uniform": [1.5e7, 2.5e7] }, "investmentYears": 3, "exposure": { "macro": 0.4 } },
            { "name": "v", "type": "venture", "startYear": 2, "commitment": 1.5e9, "deals": 48, "check": 2.5e7, "investmentYears": 6, "exposure": { "macro": 0.4 } } ]RELAY }
        """;

    private const string RelayBlock = """, "relay": [ { "name": "r", "fund": "v", "sellers": ["s", "a"], "budgetShare": BUDGET, "price": { "rule": "mark" } } ]""";

    [Test]
    public void Results_BudgetZero_ByteIdenticalToScenarioWithoutRelay()
    {
        using var dir = new TempDirectory();
        string plain = dir.Write("plain.json", Random.Replace("RELAY", ""));
        string zero = dir.Write("zero.json", Random.Replace("RELAY", RelayBlock.Replace("BUDGET", "0")));
        // The same scenario name: it keys the random streams.
        Assert.That(CliRunner.Run("run", plain, "--out", Path.Combine(dir.Path, "plain"), "-q").Code, Is.EqualTo(0));
        Assert.That(CliRunner.Run("run", zero, "--out", Path.Combine(dir.Path, "zero"), "-q").Code, Is.EqualTo(0));
        string a = Path.Combine(dir.Path, "plain", "relay-random"), b = Path.Combine(dir.Path, "zero", "relay-random");
        Assert.That(File.ReadAllBytes(Path.Combine(b, "funds.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, "funds.csv"))));
        // summary.json: the same but for the relay's own section.
        JsonNode Summary(string folder, bool dropRelay)
        {
            var node = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
            if (dropRelay) node.Remove("relay");
            return node;
        }
        Assert.That(Summary(b, true).ToJsonString(), Is.EqualTo(Summary(a, false).ToJsonString()));
        // trials.csv: the plain run's columns are the first columns of the relay run's, value for value.
        var plainRows = File.ReadAllLines(Path.Combine(a, "trials.csv"));
        var zeroRows = File.ReadAllLines(Path.Combine(b, "trials.csv"));
        Assert.That(zeroRows, Has.Length.EqualTo(plainRows.Length));
        for (int i = 0; i < plainRows.Length; i++) Assert.That(zeroRows[i], Does.StartWith(plainRows[i] + ","));
        // And the relay's own "with relay" figures are the "without" ones.
        var relay = JsonNode.Parse(File.ReadAllText(Path.Combine(b, "summary.json")))!["relay"]![0]!;
        foreach (var seller in relay["sellers"]!.AsArray())
        {
            Assert.That(seller!["breachWithRelay"]!["probability"]!.GetValue<double>(), Is.EqualTo(seller["breach"]!["probability"]!.GetValue<double>()));
            Assert.That(seller["meanIrrWithRelay"]!.GetValue<double>(), Is.EqualTo(seller["meanIrr"]!.GetValue<double>()));
        }
        var fund = relay["relayFund"]!;
        Assert.That(fund["breachWithRelay"]!["probability"]!.GetValue<double>(), Is.EqualTo(fund["breach"]!["probability"]!.GetValue<double>()));
        Assert.That(fund["meanLossRatioWithRelay"]!.GetValue<double>(), Is.EqualTo(fund["meanLossRatio"]!.GetValue<double>()));
    }

    [Test]
    public void Sellers_WithoutRelay_MatchTheFundsOwnBreach()
    {
        // The relay recomputes each seller's loss ratio from its projects; without deals it is the fund's own (no fees in
        // the loss ratio), so P(breach) without relay equals the fund's, trial for trial.
        var run = TestScenarios.Run(Random.Replace("RELAY", RelayBlock.Replace("BUDGET", "0.1")));
        var relay = run.Get<RelayResult>()!.Items[0];
        foreach (var s in relay.Sellers)
            Assert.That(s.Breach.Probability, Is.EqualTo(run.Funds.Single(f => f.Fund.Name == s.Fund).Breach.Probability));
        Assert.That(relay.Fund!.Breach.Probability, Is.EqualTo(run.Funds.Single(f => f.Fund.Name == "v").Breach.Probability));
        Assert.That(relay.MeanDeals, Is.GreaterThan(0));
        Assert.That(relay.MeanSpent, Is.LessThanOrEqualTo(relay.MeanBudget));
    }

    [Test]
    public void Signal_Marginals_StandardNormalWithCorrelationSqrtRho()
    {
        // X₁ = √ρ·X + √(1 − ρ)·W with X and W independent standard normals: E X₁ = 0, Var X₁ = 1, corr(X₁, X) = √ρ.
        const int n = 200_000;
        const double rho = 0.3;
        var x = new CounterUniforms(StreamKey.Hash("test", "x"));
        var w = new CounterUniforms(StreamKey.Hash("test", "w"));
        double sum = 0, squares = 0, cross = 0, xSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double xi = NormalMath.InvCdf(x.At((ulong)i)), x1 = RelayInstrument.Signal(xi, NormalMath.InvCdf(w.At((ulong)i)), rho);
            sum += x1;
            squares += x1 * x1;
            cross += x1 * xi;
            xSquares += xi * xi;
        }
        double mean = sum / n, variance = squares / n - mean * mean;
        double correlation = cross / n / Math.Sqrt(variance * xSquares / n);
        Exact.WithinStandardErrors(mean, 0, 1 / Math.Sqrt(n), what: "mean");
        Exact.WithinStandardErrors(variance, 1, Math.Sqrt(2.0 / n), what: "variance");
        Exact.WithinStandardErrors(correlation, Math.Sqrt(rho), (1 - rho) / Math.Sqrt(n), what: "correlation");
    }

    [Test]
    public void MarkCurve_AveragedOverTheSignal_IsTheMeanMultiple()
    {
        // Tower property: E[m(X₁)] = E[E[M | X₁]] = E[M], for any ρ; at ρ = 1 the mark is the multiple itself, at ρ = 0
        // the mean multiple whatever the signal.
        var model = new OutcomeModel("t", 0.3, 0.3, new Core.Distributions.UniformDistribution(0, 1), new Core.Distributions.UniformDistribution(1, 5),
            double.PositiveInfinity, 1, null, null, null);
        double meanMultiple = 0.3 * 0.5 + 0.4 * 3;
        foreach (double rho in new[] { 0.0, 0.4, 0.9 })
        {
            var curve = new MarkCurve(model, rho);
            Assert.That(Exact.NormalExpectation(curve.Mark), Is.EqualTo(meanMultiple).Within(2e-3), $"ρ = {rho}");
        }
        Assert.That(new MarkCurve(model, 0).Mark(2.5), Is.EqualTo(meanMultiple).Within(1e-3));
        var full = new MarkCurve(model, 1);
        foreach (double x in new[] { -2.0, 0.1, 1.3 })
            Assert.That(full.Mark(x), Is.EqualTo(model.Multiple(ExactNormal.Cdf(x), out _)).Within(2e-2), $"x = {x}");
    }
}
