using System.Globalization;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Instruments;

/// <summary>fundOfFunds.csv: one row per fund-of-funds with the figures of summary.json, here those of a hand-worked case.</summary>
public class FundsOfFundsCsvTests
{
    [Test]
    public void WriteTables_HandWorkedFundOfFunds_RowHoldsItsFigures()
    {
        // As FundsOfFundsTests.Waterfall_HandWorkedCase_MatchesEveryFigure: paid in 51.5, paid out 86.15, gross multiple 2,
        // government look-through 0.6 · 50 = 30, no loss.
        var scenario = TestScenarios.Load("""
            { "name": "fofcsv", "simulation": { "trials": 64, "seed": 1 },
              "outcomes": { "sure": { "writeOff": 0, "success": { "fixed": 2.0 }, "exitYears": { "success": 2 } } },
              "funds": [ { "name": "sub", "type": "seed", "commitment": 100, "governmentShare": 1, "deals": 1, "check": 100, "investmentYears": 1,
                           "lifeYears": 4, "startYear": 2, "outcomes": "sure", "fees": { "carry": 0.2 } } ],
              "fundOfFunds": [ { "name": "mother", "commitments": [ { "fund": "sub", "share": 0.5 } ], "governmentShare": 0.6,
                                 "fees": { "management": 0.01, "carry": 0.1 }, "concession": 0.5, "tolerance": 0.2 } ] }
            """);
        using var temp = new TempDirectory("fofcsv");
        HtmlTestSupport.RunInto(scenario, temp.Path);
        var lines = File.ReadAllLines(Path.Combine(temp.Path, "fundOfFunds.csv"));
        Assert.That(lines, Has.Length.EqualTo(2));
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        double At(string column) => double.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
        Assert.That(row[0], Is.EqualTo("mother"));
        Assert.That(At("tolerance"), Is.EqualTo(0.2));
        Assert.That(At("breach.probability"), Is.Zero);
        Assert.That(At("lossRatio.mean"), Is.Zero);
        Assert.That(At("meanPaidIn"), Is.EqualTo(51.5).Within(1e-9));
        Assert.That(At("meanDistributed"), Is.EqualTo(86.15).Within(1e-9));
        Assert.That(At("netMultiple"), Is.EqualTo(86.15 / 51.5).Within(1e-12));
        Assert.That(At("grossMultiple"), Is.EqualTo(2).Within(1e-12));
        Assert.That(At("feeDrag"), Is.EqualTo(2 - 86.15 / 51.5).Within(1e-12));
        Assert.That(At("governmentLookThrough"), Is.EqualTo(30).Within(1e-9));
        Assert.That(At("lookThroughLossRatio"), Is.Zero);
    }
}
