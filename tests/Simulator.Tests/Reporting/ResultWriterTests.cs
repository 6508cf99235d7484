using Simulator.Reporting;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

/// <summary>What a run writes where: trials.csv's columns for the base and its variants, and the size warning.</summary>
public class ResultWriterTests
{
    private static string Scenario(int trials, int variants) => $$"""
        { "name": "big", "simulation": { "trials": {{trials}}, "seed": 1 },
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 },
                     { "name": "a", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6 } ],
          "sweep": { "policy.tolerance.seed": [{{string.Join(", ", Enumerable.Range(0, variants).Select(i => (0.5 + 0.01 * i).ToString(System.Globalization.CultureInfo.InvariantCulture)))}}] } }
        """;

    [Test]
    public void TrialsCsvChoice_Default_AllForTheBaseKeyForVariants()
    {
        var scenario = TestScenarios.Load(Scenario(100, 2));
        Assert.That(TrialsCsvColumns.AllForBase.For(scenario), Is.EqualTo(TrialsCsvColumns.All));
        Assert.That(TrialsCsvColumns.AllForBase.For(scenario.Variants[0].Scenario), Is.EqualTo(TrialsCsvColumns.Key));
        Assert.That(TrialsCsvColumns.All.For(scenario.Variants[0].Scenario), Is.EqualTo(TrialsCsvColumns.All));
        Assert.That(ResultWriter.TrialsSink(Path.GetTempPath(), TrialsCsvColumns.None, scenario), Is.Null);
    }

    [Test]
    public void TrialsCsvWarning_BatchOfSeveralGigabytes_WarnsWithTheSizeAndWhatKeyWouldWrite()
    {
        // Twenty million trials of two funds and one variant: the base's 19 columns and the trial number, the variant's
        // four required ones, about 10 bytes a value.
        var big = TestScenarios.Load(Scenario(20_000_000, 1));
        string? warning = ResultWriter.TrialsCsvWarning([big], TrialsCsvColumns.AllForBase);
        Assert.That(warning, Is.EqualTo("the trials.csv files of this run will take about 4.8 GB of disk; --trials-csv key writes only the required columns "
            + "(about 1.6 GB), --trials-csv none writes none (every other result file stays the same)"));
        Assert.That(ResultWriter.TrialsCsvWarning([big], TrialsCsvColumns.Key), Is.Null, "the required columns of one run stay below the threshold");
        Assert.That(ResultWriter.TrialsCsvWarning([TestScenarios.Load(Scenario(40_000, 25))], TrialsCsvColumns.All), Is.Null, "an example-sized sweep");
    }

    [Test]
    public void TrialsCsvBytes_SweepOfVariants_DefaultWritesFarLessThanAll()
    {
        var sweep = TestScenarios.Load(Scenario(40_000, 25));
        long all = ResultWriter.TrialsCsvBytes([sweep], TrialsCsvColumns.All);
        long byDefault = ResultWriter.TrialsCsvBytes([sweep], TrialsCsvColumns.AllForBase);
        Assert.That(byDefault, Is.LessThan(all / 3));
        Assert.That(ResultWriter.TrialsCsvBytes([sweep], TrialsCsvColumns.None), Is.Zero);
    }
}
