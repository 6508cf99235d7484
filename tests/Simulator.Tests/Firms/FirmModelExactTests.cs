using MathNet.Numerics.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Firms;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Tests.Support;

namespace Simulator.Tests.Firms;

/// <summary>
/// The two-leg firm model against exact values: the joint law of default within the term and write-off for link 0,
/// 0.5 and 1 (PD_T·q, Φ₂(Φ⁻¹(PD_T), Φ⁻¹(q); 0.5), min(PD_T, q)), each leg's marginal against a standalone guarantee
/// pool in the same scenario and the exact write-off probability, hand-worked cash flows, the budget binding, the
/// break-even notional of a deterministic book, and common random numbers across links.
/// </summary>
public class FirmModelExactTests
{
    private const string Outcomes = """
        "outcomes": { "binary": { "writeOff": 0.4, "success": { "multiple": 3 }, "exposureYears": 1 } }
        """;

    private static string OneFirm(double link, double pd = 0.1, int term = 3, int trials = 1000) => $$"""
        { "name": "joint", "simulation": { "trials": {{trials}}, "seed": 11 }, {{Outcomes}},
          "firms": [ { "name": "f", "perYear": 1, "years": 1,
            "loan": { "amount": 1, "termYears": {{term}}, "pd": {{pd}}, "lgd": 1 },
            "equity": { "check": 1, "outcomes": "binary" }, "link": {{link}} } ] }
        """;

    /// <summary>Fraction of <paramref name="n"/> trials of the scenario's first book in which the firm defaults and is written off.</summary>
    private static double JointFrequency(string json, int n, out double defaults, out double writeOffs)
    {
        var scenario = TestScenarios.Load(json);
        var instrument = scenario.Get<FirmsInstrument>()!;
        var evaluator = new FirmEvaluator(instrument.Books[0], instrument.Factors);
        var scratch = evaluator.CreateScratch();
        var paths = new FactorPaths(new EconomyModel([], [], instrument.FactorYears));
        var key = StreamKey.For(11, "joint");
        long joint = 0, d = 0, w = 0;
        for (long t = 1; t <= n; t++)
        {
            var o = evaluator.Evaluate(key, t, paths, scratch);
            if (o.Defaults > 0 && o.WriteOffs > 0) joint++;
            d += o.Defaults;
            w += o.WriteOffs;
        }
        defaults = (double)d / n;
        writeOffs = (double)w / n;
        return (double)joint / n;
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void JointDefaultAndWriteOff_NoFactor_MatchesCopula(double link)
    {
        const int n = 200_000;
        const double pd = 0.1, q = 0.4;
        double pdTerm = 1 - Math.Pow(1 - pd, 3);
        double exact = link switch
        {
            0 => pdTerm * q,
            1 => Math.Min(pdTerm, q),
            _ => BivariateNormal.Cdf(Normal.InvCDF(0, 1, pdTerm), Normal.InvCDF(0, 1, q), link),
        };
        double joint = JointFrequency(OneFirm(link), n, out double defaults, out double writeOffs);
        Exact.WithinStandardErrors(joint, exact, Exact.ProbabilityStandardError(exact, n), what: $"P(default and write-off), link {link}");
        Exact.WithinStandardErrors(defaults, pdTerm, Exact.ProbabilityStandardError(pdTerm, n), what: "P(default within the term)");
        Exact.WithinStandardErrors(writeOffs, q, Exact.ProbabilityStandardError(q, n), what: "P(write-off)");
    }

    [Test]
    public void BivariateNormal_AtOrigin_MatchesArcSine()
    {
        // Sheppard: Φ₂(0, 0; ρ) = 1/4 + asin(ρ)/(2π).
        Assert.That(BivariateNormal.Cdf(0, 0, 0.5), Is.EqualTo(0.25 + Math.Asin(0.5) / (2 * Math.PI)).Within(1e-12));
    }

    [Test]
    [Category("Slow")]
    public void Marginals_SharedFactor_MatchStandalonePoolAndExactWriteOffs()
    {
        // A book of firms, a guarantee pool of the same loans and a direct fund of the same stakes on the same factor: the loan leg's default count has the
        // pool's law for any link, and the equity's write-offs have probability q whatever the factor does.
        const int perYear = 20, years = 2, term = 2, trials = 20_000;
        const double pd = 0.05;
        var r = TestScenarios.Run($$"""
            { "name": "marginals", "simulation": { "trials": {{trials}}, "seed": 5 }, {{Outcomes}},
              "factors": [ { "name": "macro", "persistence": 0.3 } ],
              "firms": [ { "name": "f", "perYear": {{perYear}}, "years": {{years}},
                "loan": { "amount": 1, "termYears": {{term}}, "pd": {{pd}}, "lgd": 1 },
                "equity": { "check": 1, "outcomes": "binary" }, "link": 0.7, "exposure": { "macro": 0.5 } } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": {{perYear}}, "years": {{years}}, "amount": 1, "termYears": {{term}}, "pd": {{pd}}, "lgd": 1,
                "exposure": { "macro": 0.5 } }, "shares": { "bank": 1 } } ],
              "funds": [ { "name": "d", "type": "direct", "commitment": {{perYear * years}}, "deals": {{perYear * years}}, "check": 1,
                "investmentYears": {{years}}, "lifeYears": 12, "outcomes": "binary", "exposure": { "macro": 0.5 } } ] }
            """);
        var firms = r.Firms[0];
        var pool = r.Guarantees[0];
        double firmsN = perYear * years;
        double pdTerm = 1 - Math.Pow(1 - pd, term);
        // Loss = defaults here (amount 1, lgd 1); the pool's and the book's SEs combined.
        double se = Math.Sqrt(Math.Pow(pool.Loss.StandardErrors.Mean, 2) + Math.Pow(firms.CreditLoss.StandardErrors.Mean, 2));
        Exact.WithinStandardErrors(firms.CreditLoss.Mean, pool.Loss.Mean, se, what: "mean defaults, book vs pool");
        Exact.WithinStandardErrors(firms.Defaults, firmsN * pdTerm, firms.CreditLoss.StandardErrors.Mean, what: "mean defaults vs n·PD_T");
        // Write-offs: mean q·n; their sd is at most n/2 (a bound, since the factor correlates them).
        Exact.WithinStandardErrors(firms.WriteOffs, firmsN * 0.4, firmsN * 0.5 / Math.Sqrt(trials), what: "mean write-offs vs n·q");
        Exact.WithinStandardErrors(firms.EquityProceeds, firmsN * 3 * 0.6, firmsN * 3 * 0.5 / Math.Sqrt(trials), what: "mean proceeds vs n·E[M]");
        // The same projects in a direct fund (as many a year, same model and loading): the same mean proceeds.
        var fund = r.Funds[0];
        Assert.That(fund.MeanInvested, Is.EqualTo(firms.Checks));
        Exact.WithinStandardErrors(firms.EquityProceeds, fund.MeanProceeds, Math.Sqrt(2) * firmsN * 3 * 0.5 / Math.Sqrt(trials), what: "mean proceeds, book vs fund");
    }

    private static string Deterministic(double pd, string outcome, string extra = "", int perYear = 1, string holder = "bank") => $$"""
        { "name": "cash", "simulation": { "trials": 10, "seed": 1 },
          "outcomes": { "o": {{outcome}} },
          "firms": [ { "name": "f", "perYear": {{perYear}}, "years": 1,
            "loan": { "amount": 1.0e6, "termYears": 3, "pd": {{pd}}, "lgd": 0.6, "rate": 0.05, "fundingRate": 0.02 },
            "equity": { "check": 2.0e5, "outcomes": "o", "holder": "{{holder}}" },
            "warrant": { "notional": 1.0e5, "strikeMultiple": 1.5 } {{extra}} } ] }
        """;

    [Test]
    public void CashFlows_SureDefaultAndWriteOff_HandWorked()
    {
        // pd 1: default in the entry year, so no interest, one year of funding, loss 0.6e6; a sure write-off: proceeds 0.
        var b = TestScenarios.Run(Deterministic(1, """{ "writeOff": 1 }""",
            """, "compensation": { "creditLoss": 0.5, "investmentLoss": 0.3 }""")).Firms[0];
        Assert.That(b.Interest, Is.EqualTo(0));
        Assert.That(b.Funding, Is.EqualTo(0.02e6).Within(1e-6));
        Assert.That(b.CreditLoss.Mean, Is.EqualTo(0.6e6).Within(1e-6));
        Assert.That(b.EquityProceeds, Is.EqualTo(0));
        Assert.That(b.WarrantPayoff, Is.EqualTo(0));
        Assert.That(b.GovernmentCredit.Mean, Is.EqualTo(0.3e6).Within(1e-6));
        Assert.That(b.GovernmentEquity.Mean, Is.EqualTo(0.06e6).Within(1e-6));
        // −funding − loss + credit compensation − check + equity compensation.
        Assert.That(b.BankNet.Mean, Is.EqualTo(-0.02e6 - 0.6e6 + 0.3e6 - 0.2e6 + 0.06e6).Within(1e-6));
        Assert.That(b.Covered.Probability, Is.EqualTo(0));
        Assert.That(b.BudgetExhausted.Probability, Is.EqualTo(0));
    }

    [Test]
    public void CashFlows_NoDefaultAndSuccess_HandWorked()
    {
        // pd 0: three years of interest and funding; multiple 3: proceeds 0.6e6, warrant 1e5 × (3 − 1.5).
        var b = TestScenarios.Run(Deterministic(0, """{ "success": { "multiple": 3 } }""")).Firms[0];
        Assert.That(b.Interest, Is.EqualTo(3 * 0.05e6).Within(1e-6));
        Assert.That(b.Funding, Is.EqualTo(3 * 0.02e6).Within(1e-6));
        Assert.That(b.EquityProceeds, Is.EqualTo(0.6e6).Within(1e-6));
        Assert.That(b.WarrantPayoff, Is.EqualTo(1.5e5).Within(1e-6));
        Assert.That(b.BankNet.Mean, Is.EqualTo(0.15e6 - 0.06e6 + 1.5e5 + 0.6e6 - 0.2e6).Within(1e-6));
        Assert.That(b.ReferenceNet.Mean, Is.EqualTo(0.15e6 - 0.06e6).Within(1e-6));
        Assert.That(b.Covered.Probability, Is.EqualTo(1));
    }

    [Test]
    public void CashFlows_ExternalHolder_EquityResultLeftOutOfTheBanks()
    {
        var b = TestScenarios.Run(Deterministic(0, """{ "success": { "multiple": 3 } }""", holder: "external")).Firms[0];
        Assert.That(b.BankNet.Mean, Is.EqualTo(0.15e6 - 0.06e6 + 1.5e5).Within(1e-6));
        Assert.That(b.EquityResult, Is.EqualTo(0.4e6).Within(1e-6));
    }

    [Test]
    public void Compensation_BudgetBinds_PaysUpToItAndFlagsExhaustion()
    {
        // Ten sure defaults of 0.6e6 each, half compensated (3e6 claimed) against a budget of 2e6, all in year 1; the
        // write-offs' claims come at exit (year 1 + 10 without an exit law), when nothing is left.
        var b = TestScenarios.Run(Deterministic(1, """{ "writeOff": 1 }""",
            """, "compensation": { "creditLoss": 0.5, "investmentLoss": 0.3, "budget": 2.0e6 }""", perYear: 10)).Firms[0];
        Assert.That(b.GovernmentCredit.Mean, Is.EqualTo(2.0e6).Within(1e-6));
        Assert.That(b.GovernmentEquity.Mean, Is.EqualTo(0));
        Assert.That(b.Government.Mean, Is.EqualTo(2.0e6).Within(1e-6));
        Assert.That(b.BudgetExhausted.Probability, Is.EqualTo(1));
    }

    [Test]
    public void BreakEven_DeterministicDiscount_IsTheInterestGivenUpOverTheUpside()
    {
        // 共赢贷: rate 5% against a reference of 7% on 1e6 for 3 years gives up 6e4 a firm; the warrant pays
        // notional × (3 − 1.5), so the break-even notional is 6e4 / 1.5 = 4e4 (a zero check: only the warrant counts).
        var b = TestScenarios.Run("""
            { "name": "wl", "simulation": { "trials": 10, "seed": 1 }, "outcomes": { "o": { "success": { "multiple": 3 } } },
              "firms": [ { "name": "f", "perYear": 5, "years": 1,
                "loan": { "amount": 1.0e6, "termYears": 3, "pd": 0, "rate": 0.05, "referenceRate": 0.07 },
                "equity": { "check": 0, "outcomes": "o" }, "warrant": { "notional": 1.0e5, "strikeMultiple": 1.5 } } ] }
            """).Firms[0];
        Assert.That(b.BreakEven.Notional, Is.EqualTo(4e4).Within(1e-6));
        Assert.That(b.ReferenceNet.Mean - b.BankNet.Mean, Is.EqualTo(5 * 6e4 - 5 * 1.5e5).Within(1e-6), "the shipped warrants more than make up for the discount");
    }

    [Test]
    public void LinkVariants_CommonRandomNumbers_SameCreditLossesTrialByTrial()
    {
        // The loan leg's draws do not depend on link: variants of link differ in the equity leg only.
        var a = new MemorySink();
        var c = new MemorySink();
        TestScenarios.Run(TestScenarios.Load(OneFirm(0, trials: 500)), 2, a);
        TestScenarios.Run(TestScenarios.Load(OneFirm(1, trials: 500)), 2, c);
        int columns = a.Values.Count / 500; // the row: the book's 7 trials.csv columns first, then its statistics-only ones
        var lossA = a.Values.Where((_, i) => i % columns == 0).ToList();
        var lossC = c.Values.Where((_, i) => i % columns == 0).ToList();
        Assert.That(lossA, Is.EqualTo(lossC));
        Assert.That(lossA.Sum(), Is.GreaterThan(0));
        Assert.That(a.Values.Where((_, i) => i % columns == 2), Is.Not.EqualTo(c.Values.Where((_, i) => i % columns == 2)), "the equity differs");
    }
}
