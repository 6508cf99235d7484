using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Engine;

/// <summary>
/// The hot loop allocates nothing per trial: after a warm-up, evaluating thousands of trials with the same
/// per-thread scratch allocates no bytes on the heap (allocation counts, not timings, so the test is exact).
/// </summary>
public class AllocationTests
{
    private static long BytesPerThreeThousandTrials(string scenarioFile)
    {
        var load = ScenarioLoader.Load(Path.Combine(TestScenarios.RepositoryRoot, "scenarios", scenarioFile));
        Assert.That(load.Errors, Is.Empty);
        var scenario = load.Scenario!;
        var layout = new TrialLayout(scenario);
        var evaluator = new TrialEvaluator(scenario, layout);
        var scratch = evaluator.CreateScratch();
        var row = new double[layout.Count];
        // Warm-up long enough for the JIT's tiers and on-stack replacement to settle (they allocate a little).
        for (int t = 1; t <= 20_000; t++) evaluator.Evaluate(t, row, scratch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 20_001; t <= 23_000; t++) evaluator.Evaluate(t, row, scratch);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [TestCase("tech-sme-4222.json")]
    [TestCase("ningxia-ningkedai.json")]
    [TestCase("shanghai-xindongli.json")]
    [Category("Slow")]
    public void Evaluate_GuaranteeScenario_AllocatesNothingPerTrial(string file) =>
        Assert.That(BytesPerThreeThousandTrials(file), Is.Zero);

    [TestCase("wuhan-seed-angel.json")]
    [TestCase("sector-programme.json")]
    [TestCase("combined-programme.json")]
    [Category("Slow")]
    public void Evaluate_FundScenario_AllocatesNothingPerTrial(string file) =>
        Assert.That(BytesPerThreeThousandTrials(file), Is.Zero);
}
