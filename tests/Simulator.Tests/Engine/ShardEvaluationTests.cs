using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Tests.Support;

namespace Simulator.Tests.Engine;

/// <summary>
/// The engine's two paths for sharded runs: <see cref="SimulationEngine.Evaluate"/> computes exactly the rows a whole
/// run computes for its trials, and <see cref="RunOptions.Rows"/> makes a run use given rows instead of evaluating.
/// </summary>
public class ShardEvaluationTests
{
    private const string Json = """
        { "name": "engine-shards", "simulation": { "trials": 2500, "seed": 4, "importanceSampling": true },
          "factors": [ { "name": "macro", "persistence": 0.4 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.4 } } ] }
        """;

    /// <summary>Keeps every row it is given, with the trial numbers.</summary>
    private sealed class Capture : ITrialSink, ITrialRows
    {
        public List<(long Trial, double[] Row)> Rows { get; } = [];

        public void Begin(TrialLayout layout) { }

        public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
        {
            for (int i = 0; i < rows.Length / columns; i++) Rows.Add((firstTrial + i, rows.Slice(i * columns, columns).ToArray()));
        }

        public void Complete() { }

        public void Read(long firstTrial, Span<double> rows, int columns)
        {
            for (int i = 0; i < rows.Length / columns; i++) Rows[(int)(firstTrial - 1) + i].Row.CopyTo(rows.Slice(i * columns, columns));
        }
    }

    [Test]
    public void Evaluate_Range_RowsAreTheWholeRunsRowsOfThoseTrials()
    {
        var scenario = TestScenarios.Load(Json);
        var whole = new Capture();
        TestScenarios.Run(scenario, 2, whole);
        var part = new Capture();
        // A range that starts inside a block and ends inside another.
        var range = new TrialRange(1000, 2100);
        var asRun = new SimulationEngine().Evaluate(scenario, range, new RunOptions(2), [part]);
        Assert.That(part.Rows.Select(r => r.Trial), Is.EqualTo(Enumerable.Range(1000, 1101).Select(t => (long)t)));
        for (int i = 0; i < part.Rows.Count; i++) Assert.That(part.Rows[i].Row, Is.EqualTo(whole.Rows[999 + i].Row), $"trial {part.Rows[i].Trial}");
        Assert.That(asRun.ImportanceSampling!.Shift, Is.Not.Null, "the pilot's shift is resolved, as in the whole run");
    }

    [Test]
    public void Run_WithRows_UsesThemInsteadOfEvaluating()
    {
        var scenario = TestScenarios.Load(Json);
        var rows = new Capture();
        var evaluated = TestScenarios.Run(scenario, 2, rows);
        // Every trial's fund loss ratio set to 1 (total loss): the result must show the given rows, not evaluated ones.
        var layout = new TrialLayout(evaluated.Scenario);
        int column = layout.IndexOf("s.lossRatio");
        Assert.That(column, Is.GreaterThanOrEqualTo(0));
        foreach (var (_, row) in rows.Rows) row[column] = 1;
        var replayed = new SimulationEngine().Run(scenario, new RunOptions(2) { Rows = rows }, []);
        Assert.That(replayed.Funds.Single().LossRatios.Exceedance(0.99), Is.EqualTo(1).Within(1e-12));
        Assert.That(evaluated.Funds.Single().LossRatios.Exceedance(0.99), Is.LessThan(1));
    }

    [Test]
    public void Evaluate_RangeBeyondTrials_Throws()
    {
        var scenario = TestScenarios.Load(Json);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulationEngine().Evaluate(scenario, new TrialRange(2000, 2501), new RunOptions(1), []));
    }
}
