using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Instruments;

/// <summary>
/// The contract's links between instruments: outputs are written before they are read whatever the scenario order,
/// reads of missing outputs and cycles are refused with the instruments named, and columns are laid out with every
/// trials.csv column before every statistics-only one.
/// </summary>
public class InstrumentContractTests
{
    /// <summary>A test instrument: writes trial × <paramref name="factor"/> to its column and output, plus what it reads.</summary>
    private sealed class Probe(string kind, double factor, string[] reads, bool statisticsColumn = false) : IInstrument
    {
        public string Kind => kind;
        public IReadOnlyList<string> Items => [kind];
        public int FactorYears => 1;
        public int ShockYears => 1;
        public IReadOnlyList<TrialColumn> Columns =>
            statisticsColumn ? [new($"{kind}.value"), new($"{kind}.internal", ColumnUse.StatisticsOnly)] : [new($"{kind}.value")];
        public IReadOnlyList<TrialOutput> Outputs => [new($"{kind}.out", 2)];
        public IReadOnlyList<string> Reads => reads;
        public IReadOnlyList<KeyFigureColumns> KeyFigures => [];
        public IReadOnlyList<GovernmentCostColumn> GovernmentCosts => [];
        public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(factor, binding, reads, statisticsColumn);
        public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => throw new NotSupportedException();
        public void AddExposure(Span<double> exposure) { }
        public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) => [];

        private sealed class Evaluator(double factor, InstrumentBinding binding, string[] reads, bool statisticsColumn) : IInstrumentEvaluator
        {
            public object CreateScratch() => new object();

            public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
            {
                double read = 0;
                foreach (var r in reads) read += trial.Outputs[binding.Read(r)] + trial.Outputs[binding.Read(r) + 1];
                double own = trial.Trial * factor;
                trial.Outputs[binding.Output(0)] = own;
                trial.Outputs[binding.Output(0) + 1] = own;
                row[binding.Column(0)] = own + read;
                if (statisticsColumn) row[binding.Column(1)] = -own;
            }
        }
    }

    private static readonly Core.Scenarios.Scenario Scenario = TestScenarios.Load("""
        { "name": "contract", "simulation": { "trials": 10 }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }
        """);

    private static TrialLayout Layout(params IInstrument[] instruments) =>
        new(instruments, weighted: false, new InstrumentRun(Scenario.Name, Scenario.Economy));

    [Test]
    public void Evaluate_ReaderBeforeWriterInScenarioOrder_ReadsTheWriterOfTheSameTrial()
    {
        // The reader comes first in the scenario; the layout evaluates the writer first.
        var layout = Layout(new Probe("reader", 1, ["writer.out"]), new Probe("writer", 10, []));
        Assert.That(layout.EvaluationOrder, Is.EqualTo(new[] { 1, 0 }));
        var evaluator = new TrialEvaluator(Scenario, layout);
        var row = new double[layout.Count];
        var scratch = evaluator.CreateScratch();
        foreach (long trial in new long[] { 3, 7 })
        {
            evaluator.Evaluate(trial, row, scratch);
            // reader: trial·1 + the writer's two outputs (trial·10 each).
            Assert.That(row[layout.IndexOf("reader.value")], Is.EqualTo(trial * 1 + 2 * trial * 10));
            Assert.That(row[layout.IndexOf("writer.value")], Is.EqualTo(trial * 10));
        }
    }

    [Test]
    public void Layout_StatisticsOnlyColumns_FollowEveryCsvColumn()
    {
        var layout = Layout(new Probe("a", 1, [], statisticsColumn: true), new Probe("b", 2, []));
        Assert.That(layout.Columns, Is.EqualTo(new[] { "a.value", "b.value", "a.internal" }));
        Assert.That(layout.CsvCount, Is.EqualTo(2));
        Assert.That(layout.Bindings[0].Column(1), Is.EqualTo(2));
    }

    [Test]
    public void Layout_ReadOfAnOutputNobodyWrites_IsRefusedNamingTheReader()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Layout(new Probe("bond", 1, ["seed-a.out"])));
        Assert.That(e!.Message, Does.Contain("bond reads 'seed-a.out'"));
    }

    [Test]
    public void Problems_CycleOfReads_NamesEveryInstrumentInIt()
    {
        IInstrument[] instruments = [new Probe("a", 1, ["c.out"]), new Probe("b", 1, ["a.out"]), new Probe("c", 1, ["b.out"]), new Probe("d", 1, [])];
        var owner = new Dictionary<string, int> { ["a.out"] = 0, ["b.out"] = 1, ["c.out"] = 2, ["d.out"] = 3 };
        var problems = InstrumentGraph.Problems(instruments, owner);
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.Contain("a → c → b → a"));
        Assert.Throws<InvalidOperationException>(() => InstrumentGraph.Order(instruments, owner));
    }

    [Test]
    public void Problems_InstrumentReadingItsOwnOutput_IsACycle()
    {
        var problems = InstrumentGraph.Problems([new Probe("fof", 1, ["fof.out"])], new Dictionary<string, int> { ["fof.out"] = 0 });
        Assert.That(problems.Single(), Does.Contain("fof → fof"));
    }

    [Test]
    public void Instruments_FundsAndGuaranteesScenario_AreFundsThenGuaranteesWithTheFormatsColumns()
    {
        var scenario = TestScenarios.Load("""
            { "name": "both", "simulation": { "trials": 10 },
              "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 3, "years": 2, "amount": 1e6, "pd": 0.05, "lgd": 0.5 },
                                "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                                "guarantor": { "capital": 1e8 } } ] }
            """);
        var layout = new TrialLayout(scenario);
        Assert.That(layout.Instruments.Where(i => i.Items.Count > 0).Select(i => i.Kind), Is.EqualTo(new[] { "funds", "guarantees" }));
        Assert.That(layout.Columns[0], Is.EqualTo("f.lossRatio"));
        Assert.That(layout.Columns[layout.CsvCount - 1], Is.EqualTo("g.capital"));
        Assert.That(layout.KeyColumns().Select(c => layout.Columns[c]),
            Is.EqualTo(new[] { "f.lossRatio", "programme.lossRatio", "g.loss", "g.guarantor", "g.reGuarantee", "g.bank", "g.government" }));
    }
}
