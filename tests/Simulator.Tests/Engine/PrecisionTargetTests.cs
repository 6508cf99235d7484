using Simulator.Tests.Support;
using Simulator.Core.Funds;

namespace Simulator.Tests.Engine;

public class PrecisionTargetTests
{
    private static string Scenario(double target, int budget, int checkEvery = 4096) => $$"""
        { "name": "prec", "simulation": { "trials": {{budget}}, "seed": 5, "precision": { "relativeError": {{target}}, "checkEvery": {{checkEvery}} } },
          "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 20, "check": 1e6, "exposure": { "macro": 0.4 } },
                     { "name": "never", "type": "direct", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }
        """;

    [Test]
    [Category("Slow")]
    public void Run_PrecisionTarget_StopsAtSameTrialCountForAnyThreads()
    {
        var s = TestScenarios.Load(Scenario(0.05, 200_000));
        var one = new MemorySink();
        var four = new MemorySink();
        var r1 = TestScenarios.Run(s, 1, one);
        var r4 = TestScenarios.Run(s, 4, four);
        Assert.That(r1.Trials, Is.EqualTo(r4.Trials));
        Assert.That(r1.Trials % 4096, Is.Zero, "runs stop at a checkpoint");
        Assert.That(r1.Trials, Is.LessThan(200_000));
        Assert.That(four.Values, Is.EqualTo(one.Values));
        Assert.That(r1.Precision!.Met, Is.True);
    }

    [Test]
    public void Run_TargetReached_EveryEstimableFigureWithinTarget()
    {
        var r = TestScenarios.Run(Scenario(0.05, 200_000));
        var last = r.Precision!.History[^1];
        Assert.That(last.Trials, Is.EqualTo(r.Trials));
        Assert.That(last.Figures.Where(f => f.Estimable).Select(f => f.RelativeError), Is.All.LessThanOrEqualTo(0.05));
        Assert.That(last.Figures.Single(f => f.Name == "never.breachProbability").Estimable, Is.False, "a 100% tolerance is never breached and must not block stopping");
        // The stop is the first checkpoint that met the target: the one before did not.
        var before = r.Precision.History[^2];
        Assert.That(before.Figures.Where(f => f.Estimable).Any(f => f.RelativeError > 0.05), Is.True);
        Assert.That(r.Funds[0].Breach.Trials, Is.EqualTo(r.Trials));
    }

    [Test]
    public void Run_BudgetTooSmall_SpendsItAndSaysNotMet()
    {
        var r = TestScenarios.Run(Scenario(0.001, 10_000));
        Assert.That(r.Trials, Is.EqualTo(10_000));
        Assert.That(r.Precision!.Met, Is.False);
    }

    [TestCase("0", "relativeError")]
    [TestCase("0.01, \"checkEvery\": 10", "checkEvery")]
    public void Parse_BadPrecision_Rejected(string body, string field)
    {
        var e = TestScenarios.Errors($$"""{ "name": "p", "simulation": { "precision": { "relativeError": {{body}} } }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }""");
        Assert.That(e.Single().Path, Is.EqualTo($"$.simulation.precision.{field}"));
    }
}
