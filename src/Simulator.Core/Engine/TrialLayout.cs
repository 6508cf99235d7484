using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Engine;

/// <summary>
/// The columns of one trial's row. Every figure of a trial is a double in a flat row, so the engine moves rows in
/// blocks without per-trial allocation. The row holds the importance-sampling weight (when there is one), then every
/// instrument's trials.csv columns in instrument order — the first <see cref="CsvCount"/> columns are trials.csv's, in
/// its order — then every instrument's statistics-only columns. The layout also fixes the order in which instruments
/// are evaluated within a trial (every output written before it is read) and the per-trial output buffer.
/// </summary>
public sealed class TrialLayout
{
    private readonly bool[] _singlePrecision, _key;
    private readonly Dictionary<string, int> _index;

    /// <summary>The layout of a scenario's instruments.</summary>
    public TrialLayout(Scenario scenario) : this(scenario.Instruments(), scenario.ImportanceSampling is not null, new InstrumentRun(scenario.Name, scenario.Economy))
    {
    }

    /// <summary>The layout of <paramref name="instruments"/>, with a weight column first when <paramref name="weighted"/>.</summary>
    public TrialLayout(IReadOnlyList<IInstrument> instruments, bool weighted, InstrumentRun run)
    {
        Instruments = instruments;
        var names = new List<string>();
        var single = new List<bool>();
        var key = new List<bool>();
        // Importance sampling: each trial's likelihood-ratio weight comes first (spec §7's "weight" column).
        WeightColumn = weighted ? 0 : -1;
        if (weighted)
        {
            names.Add("weight");
            single.Add(false);
            key.Add(true);
        }
        var csvStart = new int[instruments.Count];
        for (int i = 0; i < instruments.Count; i++)
        {
            csvStart[i] = names.Count;
            foreach (var c in instruments[i].Columns.Where(c => c.Use == ColumnUse.Csv)) Add(c);
        }
        CsvCount = names.Count;
        var statisticsStart = new int[instruments.Count];
        for (int i = 0; i < instruments.Count; i++)
        {
            statisticsStart[i] = names.Count;
            foreach (var c in instruments[i].Columns.Where(c => c.Use == ColumnUse.StatisticsOnly)) Add(c);
        }
        Columns = names;
        _singlePrecision = [.. single];
        _key = [.. key];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Count; c++) _index.TryAdd(names[c], c);

        // Outputs: the vectors some instrument reads, laid end to end in one per-trial buffer. Outputs nobody reads all
        // share one region at its end (written, never read), so an instrument may write them unconditionally while the
        // buffer stays as small as the links of this scenario need; InstrumentBinding.IsRead lets it skip that work.
        var read = instruments.SelectMany(i => i.Reads).ToHashSet(StringComparer.Ordinal);
        var outputOffset = new Dictionary<string, int>(StringComparer.Ordinal);
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var outputLength = new Dictionary<string, int>(StringComparer.Ordinal);
        var outputs = new int[instruments.Count][];
        var unread = new List<(int Instrument, int Output)>();
        int length = 0, discard = 0;
        for (int i = 0; i < instruments.Count; i++)
        {
            outputs[i] = new int[instruments[i].Outputs.Count];
            for (int o = 0; o < outputs[i].Length; o++)
            {
                var output = instruments[i].Outputs[o];
                owner[output.Name] = i;
                outputLength[output.Name] = output.Length;
                if (!read.Contains(output.Name))
                {
                    unread.Add((i, o));
                    discard = Math.Max(discard, output.Length);
                    continue;
                }
                outputs[i][o] = length;
                outputOffset[output.Name] = length;
                length += output.Length;
            }
        }
        foreach (var (i, o) in unread) outputs[i][o] = length;
        var readOutputs = outputs.Select(o => new bool[o.Length]).ToArray();
        for (int i = 0; i < instruments.Count; i++)
            for (int o = 0; o < outputs[i].Length; o++) readOutputs[i][o] = read.Contains(instruments[i].Outputs[o].Name);
        OutputLength = length + discard;
        EvaluationOrder = InstrumentGraph.Order(instruments, owner);
        Bindings = instruments.Select((inst, i) => new InstrumentBinding(csvStart[i], inst.Columns.Count(c => c.Use == ColumnUse.Csv), statisticsStart[i], outputs[i],
            inst.Reads.Where(outputOffset.ContainsKey).ToDictionary(r => r, r => outputOffset[r], StringComparer.Ordinal), run,
            inst.Reads.Where(outputLength.ContainsKey).ToDictionary(r => r, r => outputLength[r], StringComparer.Ordinal)) { ReadOutputs = readOutputs[i] }).ToList();

        void Add(TrialColumn c)
        {
            names.Add(c.Name);
            single.Add(c.SinglePrecision);
            key.Add(c.Key);
        }
    }

    /// <summary>The instruments, in scenario order.</summary>
    public IReadOnlyList<IInstrument> Instruments { get; }

    /// <summary>Where each instrument's columns and outputs sit, aligned with <see cref="Instruments"/>.</summary>
    public IReadOnlyList<InstrumentBinding> Bindings { get; }

    /// <summary>Indices into <see cref="Instruments"/> in the order they are evaluated within a trial.</summary>
    public IReadOnlyList<int> EvaluationOrder { get; }

    /// <summary>Length of the per-trial output buffer.</summary>
    public int OutputLength { get; }

    /// <summary>
    /// Whether column <paramref name="column"/> is a figure kept to float precision for its statistics (the net
    /// multiples and IRRs): trials.csv writes such a value as the shortest decimal of that float, the very value its
    /// statistics use, so a quantile recomputed from the file equals the one in summary.json.
    /// </summary>
    public bool IsSinglePrecision(int column) => _singlePrecision[column];

    /// <summary>
    /// The columns the format requires (spec §5: each fund's lossRatio, programme.lossRatio, each guarantee's loss
    /// and four party payments), with the importance-sampling weight when there is one — what trials.csv keeps
    /// with <c>--trials-csv key</c>. Indices in row order.
    /// </summary>
    public IReadOnlyList<int> KeyColumns() => Enumerable.Range(0, CsvCount).Where(c => _key[c]).ToList();

    /// <summary>The index of the column named <paramref name="name"/>, −1 when there is none.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int c) ? c : -1;

    /// <summary>Index of the importance-sampling weight, −1 without importance sampling.</summary>
    public int WeightColumn { get; }

    /// <summary>Column names (without the leading <c>trial</c> column of the CSV).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of columns.</summary>
    public int Count => Columns.Count;

    /// <summary>The first columns that go to trials.csv.</summary>
    public int CsvCount { get; }
}
