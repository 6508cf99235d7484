using Simulator.Core.Fitting;
using Simulator.Core.Scenarios;

namespace Simulator.Tests.Fitting;

/// <summary>The exits fit: exact maximum-likelihood estimates where they have a closed form, recovery of known
/// parameters within the bootstrap intervals, and a block that validates as a scenario's outcomes.</summary>
public class ExitFitTests
{
    [Test]
    public void LogNormalFit_AnySample_EqualsClosedFormMle()
    {
        var x = FitData.Exits(FitData.LogNormalTruth, 500, 11).Where(r => r.Multiple >= 1).Select(r => r.Multiple).ToArray();
        var law = SuccessLaw.Fit(SuccessFamily.LogNormal, x);
        double mu = x.Average(Math.Log);
        double sigma = Math.Sqrt(x.Average(v => (Math.Log(v) - mu) * (Math.Log(v) - mu)));
        Assert.That(law.First, Is.EqualTo(mu).Within(1e-12));
        Assert.That(law.Second, Is.EqualTo(sigma).Within(1e-12));
    }

    [Test]
    public void ParetoFit_AnySample_EqualsClosedFormMle()
    {
        var x = FitData.Exits(FitData.ParetoTruth, 500, 12).Where(r => r.Multiple >= 1).Select(r => r.Multiple).ToArray();
        var law = SuccessLaw.Fit(SuccessFamily.Pareto, x);
        double min = x.Min();
        Assert.That(law.First, Is.EqualTo(min));
        Assert.That(law.Second, Is.EqualTo(x.Length / x.Sum(v => Math.Log(v / min))).Within(1e-12));
    }

    [Test]
    public void LogLikelihood_AtMle_IsHigherThanNearby()
    {
        var x = FitData.Exits(FitData.LogNormalTruth, 400, 13).Where(r => r.Multiple >= 1).Select(r => r.Multiple).ToArray();
        foreach (var family in new[] { SuccessFamily.LogNormal, SuccessFamily.Pareto })
        {
            var law = SuccessLaw.Fit(family, x);
            double best = law.LogLikelihood(x);
            foreach (double d in new[] { -0.01, 0.01 })
                Assert.That(new SuccessLaw(family, law.First, law.Second * (1 + d)).LogLikelihood(x), Is.LessThan(best));
        }
    }

    [TestCase(SuccessFamily.Pareto)]
    [TestCase(SuccessFamily.LogNormal)]
    public void Fit_DataFromKnownParameters_RecoversThemWithinIntervals(SuccessFamily family)
    {
        var truth = family == SuccessFamily.Pareto ? FitData.ParetoTruth : FitData.LogNormalTruth;
        var rows = FitData.Exits(truth, 3000, 21);
        var fit = ExitFit.Fit("all", rows, new ExitFitOptions(null, 400, 5));
        Assert.That(fit.Success!.Value.Family, Is.EqualTo(family), "auto picks the family the data come from");
        AssertCovers(fit.WriteOff, truth.WriteOff, "writeOff");
        AssertCovers(fit.Partial, truth.Partial, "partial");
        AssertCovers(fit.PartialMean!, truth.PartialMean, "partial mean");
        AssertCovers(fit.PartialSd!, truth.PartialSd, "partial sd");
        AssertCovers(fit.SuccessSecond!, truth.Success.Second, family == SuccessFamily.Pareto ? "alpha" : "sigma");
        if (family == SuccessFamily.LogNormal) AssertCovers(fit.SuccessFirst!, truth.Success.First, "mu");
        // x_m is the smallest value, never below the truth: within 0.5% above it with ~900 successes.
        else Assert.That(fit.SuccessFirst!.Estimate, Is.InRange(1.0, 1.005));
        for (int band = 0; band < 3; band++)
            AssertCovers(fit.ExitYears[band].Mean, (truth.Years[band].Lo + truth.Years[band].Hi) / 2, $"years of band {band}");
    }

    // Ten 95% intervals checked together would all cover the truth only 60% of the time; widened by half their width
    // on each side (about 2.9 standard errors) each misses with probability ~0.4%, so a failure here means a biased
    // estimate or a too-narrow interval. The intervals' own 95% coverage is checked by the test below.
    private static void AssertCovers(Interval interval, double truth, string what)
    {
        double half = (interval.High - interval.Low) / 2;
        Assert.That(truth, Is.InRange(interval.Low - half, interval.High + half), $"{what}: estimate {interval.Estimate}, 95% interval [{interval.Low}, {interval.High}]");
    }

    [Test]
    public void BootstrapInterval_ManyDataSets_CoversAlphaAboutNinetyFivePercentOfTheTime()
    {
        // 60 data sets of 400 exits: the percentile interval of α should cover the truth in ~57; the binomial sd is 1.7,
        // and the MLE's small-sample bias (n/(n−2) with x_m estimated) costs a little coverage.
        int covered = 0;
        for (int k = 0; k < 60; k++)
        {
            var fit = ExitFit.Fit("all", FitData.Exits(FitData.ParetoTruth, 400, 100 + (ulong)k), new ExitFitOptions(SuccessFamily.Pareto, 200, 7));
            if (FitData.ParetoTruth.Success.Second >= fit.SuccessSecond!.Low && FitData.ParetoTruth.Success.Second <= fit.SuccessSecond.High) covered++;
        }
        Assert.That(covered, Is.InRange(51, 60));
    }

    [Test]
    public void Fit_SameSeed_SameIntervals_OtherSeed_Different()
    {
        var rows = FitData.Exits(FitData.ParetoTruth, 300, 31);
        var a = ExitFit.Fit("all", rows, new ExitFitOptions(null, 200, 1));
        var b = ExitFit.Fit("all", rows, new ExitFitOptions(null, 200, 1));
        var c = ExitFit.Fit("all", rows, new ExitFitOptions(null, 200, 2));
        Assert.That(b.SuccessSecond, Is.EqualTo(a.SuccessSecond));
        Assert.That(b.SuccessGoodness, Is.EqualTo(a.SuccessGoodness));
        Assert.That(c.SuccessSecond!.Low, Is.Not.EqualTo(a.SuccessSecond!.Low));
        Assert.That(c.SuccessSecond.Estimate, Is.EqualTo(a.SuccessSecond.Estimate), "the estimate does not depend on the seed");
    }

    [Test]
    public void Goodness_WrongFamily_HasSmallPValue_RightFamily_DoesNot()
    {
        var rows = FitData.Exits(FitData.LogNormalTruth, 2000, 41);
        var right = ExitFit.Fit("all", rows, new ExitFitOptions(SuccessFamily.LogNormal, 200, 3));
        var wrong = ExitFit.Fit("all", rows, new ExitFitOptions(SuccessFamily.Pareto, 200, 3));
        Assert.That(wrong.SuccessGoodness!.KsP, Is.LessThan(0.01));
        Assert.That(wrong.SuccessGoodness.AdP, Is.LessThan(0.01));
        Assert.That(right.SuccessGoodness!.KsP, Is.GreaterThan(0.01));
        Assert.That(right.SuccessGoodness.AdP, Is.GreaterThan(0.01));
    }

    [Test]
    public void GoodnessPValues_DataFromTheFittedFamilies_AreRoughlyUniform()
    {
        // Under the null a p-value is uniform: of 80 data sets about 8 (binomial sd 2.7) should have p < 0.1 for each of
        // the four tests. A bootstrap that ignored the re-estimation of the parameters would give far fewer; one that
        // compared unlike statistics, far more.
        var below = new int[4];
        for (int k = 0; k < 80; k++)
        {
            var fit = ExitFit.Fit("all", FitData.Exits(FitData.LogNormalTruth, 400, 1000 + (ulong)k), new ExitFitOptions(SuccessFamily.LogNormal, 100, (ulong)k));
            double[] p = [fit.PartialGoodness!.KsP, fit.PartialGoodness.AdP, fit.SuccessGoodness!.KsP, fit.SuccessGoodness.AdP];
            for (int i = 0; i < 4; i++) if (p[i] < 0.1) below[i]++;
        }
        TestContext.Out.WriteLine(string.Join(", ", below));
        Assert.That(below, Has.All.InRange(2, 17));
    }

    [Test]
    public void KolmogorovSmirnovAndAndersonDarling_OnePoint_MatchHandComputedValues()
    {
        // One point at 0.5 against the uniform: D = max(1 − 0.5, 0.5 − 0) = 0.5; A² = −1 − (ln 0.5 + ln 0.5) = 2 ln 2 − 1.
        Assert.That(GoodnessOfFit.KolmogorovSmirnov([0.5], x => x), Is.EqualTo(0.5));
        Assert.That(GoodnessOfFit.AndersonDarling([0.5], x => x), Is.EqualTo(2 * Math.Log(2) - 1).Within(1e-15));
        // Two points at 0.25 and 0.75: D = 0.25; A² = −2 − ½[1·(ln ¼ + ln ¼) + 3·(ln ¾ + ln ¾)].
        Assert.That(GoodnessOfFit.KolmogorovSmirnov([0.25, 0.75], x => x), Is.EqualTo(0.25));
        Assert.That(GoodnessOfFit.AndersonDarling([0.25, 0.75], x => x),
            Is.EqualTo(-2 - 0.5 * (2 * Math.Log(0.25) + 3 * 2 * Math.Log(0.75))).Within(1e-14));
    }

    [Test]
    public void YearTable_ProbabilitiesSumToOneExactly_AndRoundAsTheSimulator()
    {
        var fit = ExitFit.Fit("all", FitData.Exits(FitData.ParetoTruth, 997, 51), new ExitFitOptions(null, 100, 1));
        foreach (var band in fit.ExitYears)
        {
            Assert.That(band.Table.Sum(r => r.Probability), Is.EqualTo(1).Within(1e-12));
            Assert.That(band.Table.Select(r => r.Years), Is.Ordered.And.Unique);
        }
        // Write-offs are held uniform on [1, 4]: rounded halves up, years 1 … 4 with shares 1/6, 1/3, 1/3, 1/6.
        Assert.That(fit.ExitYears[0].Table.Select(r => r.Years), Is.EqualTo(new[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void OutcomeBlock_PastedIntoAScenario_Validates()
    {
        var rows = FitData.Exits(FitData.ParetoTruth, 300, 61, "seed").Concat(FitData.Exits(FitData.LogNormalTruth, 300, 62, "venture")).ToList();
        var (fits, errors) = ExitFit.FitAll("exits.csv", rows, new ExitFitOptions(null, 100, 1));
        Assert.That(errors, Is.Empty);
        Assert.That(fits.Select(f => f.ModelName), Is.EqualTo(new[] { "fit-seed", "fit-venture" }));
        string block = OutcomeBlock.Write(fits, "exits.csv").Trim();
        string scenario = "{ \"name\": \"fitted\", \"simulation\": { \"trials\": 1000 }, " + block[1..^1] + """
            , "funds": [ { "name": "s", "type": "seed", "commitment": 3e8, "deals": 30, "check": 1e7, "outcomes": "fit-seed" },
                         { "name": "v", "type": "venture", "commitment": 3e8, "deals": 30, "check": 1e7, "outcomes": "fit-venture" } ] }
            """;
        var loaded = ScenarioLoader.Parse(scenario);
        Assert.That(loaded.Errors, Is.Empty, string.Join("\n", loaded.Errors));
    }

    [Test]
    public void OutcomeBlock_NoSuccesses_SharesSumToOne()
    {
        var rows = FitData.Exits(FitData.ParetoTruth, 300, 71).Where(r => r.Multiple < 1).ToList();
        var (fits, _) = ExitFit.FitAll("exits.csv", rows, new ExitFitOptions(null, 100, 1));
        string block = OutcomeBlock.Write(fits, "exits.csv").Trim();
        string scenario = "{ \"name\": \"fitted\", " + block[1..^1]
            + ", \"funds\": [ { \"name\": \"s\", \"type\": \"seed\", \"commitment\": 3e8, \"deals\": 30, \"check\": 1e7, \"outcomes\": \"fit-all\" } ] }";
        Assert.That(ScenarioLoader.Parse(scenario).Errors, Is.Empty);
    }

    [Test]
    public void FitAll_TooFewRows_ReportsEveryGroupAtOnce()
    {
        var rows = FitData.Exits(FitData.ParetoTruth, 12, 81, "seed")
            .Concat(FitData.Exits(FitData.ParetoTruth, 200, 82, "angel").Where(r => r.Multiple == 0 || r.Multiple >= 1 || r.Line % 50 == 0)).ToList();
        var (fits, errors) = ExitFit.FitAll("exits.csv", rows, new ExitFitOptions(null, 100, 1));
        Assert.That(fits, Is.Empty);
        var text = errors.Select(e => e.ToString()).ToList();
        Assert.That(text, Has.Some.Contains("stage 'seed' has 12 exit(s); at least 20 are needed"));
        Assert.That(text, Has.Some.Contains("too few rows to fit the partial band: stage 'angel'"));
        Assert.That(text, Has.All.StartsWith("exits.csv: error: "));
    }
}
