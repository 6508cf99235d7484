using Simulator.Core.Economy;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Instruments;

/// <summary>
/// Where one instrument's columns and outputs sit in a run: its trials.csv columns are contiguous from
/// <see cref="CsvStart"/>, its statistics-only columns from <see cref="StatisticsStart"/> (after every instrument's
/// trials.csv columns), its outputs and the outputs it reads at offsets of the per-trial output buffer.
/// </summary>
public sealed class InstrumentBinding
{
    private readonly int[] _outputs;
    private readonly IReadOnlyDictionary<string, int> _reads;
    private readonly IReadOnlyDictionary<string, int>? _readLengths;

    /// <summary>Binds an instrument to its places; <paramref name="readLengths"/> gives the length of each output it reads.</summary>
    public InstrumentBinding(int csvStart, int csvCount, int statisticsStart, int[] outputs, IReadOnlyDictionary<string, int> reads, InstrumentRun run,
        IReadOnlyDictionary<string, int>? readLengths = null)
    {
        _readLengths = readLengths;
        CsvStart = csvStart;
        CsvCount = csvCount;
        StatisticsStart = statisticsStart;
        _outputs = outputs;
        _reads = reads;
        Run = run;
    }

    /// <summary>Row index of its first trials.csv column.</summary>
    public int CsvStart { get; }

    /// <summary>Number of its trials.csv columns.</summary>
    public int CsvCount { get; }

    /// <summary>Row index of its first statistics-only column.</summary>
    public int StatisticsStart { get; }

    /// <summary>The scenario run.</summary>
    public InstrumentRun Run { get; }

    /// <summary>The row index of its column <paramref name="local"/> (an index into <see cref="IInstrument.Columns"/>).</summary>
    public int Column(int local) => local < CsvCount ? CsvStart + local : StatisticsStart + (local - CsvCount);

    /// <summary>The offset in the output buffer of its output <paramref name="local"/> (an index into <see cref="IInstrument.Outputs"/>).</summary>
    public int Output(int local) => _outputs[local];

    /// <summary>Which of the instrument's outputs some instrument of the scenario reads (all, when not set).</summary>
    public IReadOnlyList<bool>? ReadOutputs { get; init; }

    /// <summary>
    /// Whether some instrument reads output <paramref name="local"/>. An output nobody reads may be left unwritten (its
    /// offset is a shared region that nothing reads).
    /// </summary>
    public bool IsRead(int local) => ReadOutputs is null || ReadOutputs[local];

    /// <summary>The offset in the output buffer of another instrument's output it reads, by name.</summary>
    public int Read(string name) => _reads[name];

    /// <summary>The length of another instrument's output it reads, by name (the reader need not know the writer's model).</summary>
    public int ReadLength(string name) => _readLengths is { } lengths ? lengths[name] : throw new InvalidOperationException($"the binding has no lengths of its reads ({name})");
}

/// <summary>One trial as an instrument sees it.</summary>
/// <param name="key">The run's stream key: an item's stream is <c>Key.Stream(Trial, hash of the item)</c>.</param>
/// <param name="trial">The trial, 1-based.</param>
/// <param name="paths">The factor paths of the trial.</param>
/// <param name="outputs">The per-trial output buffer: instruments evaluated earlier have written what this one reads.</param>
public readonly ref struct TrialContext(StreamKey key, long trial, FactorPaths paths, Span<double> outputs)
{
    /// <summary>The run's stream key.</summary>
    public StreamKey Key { get; } = key;

    /// <summary>The trial, 1-based.</summary>
    public long Trial { get; } = trial;

    /// <summary>The trial's factor paths.</summary>
    public FactorPaths Paths { get; } = paths;

    /// <summary>The per-trial output buffer.</summary>
    public Span<double> Outputs { get; } = outputs;
}

/// <summary>
/// Evaluates an instrument's part of a trial: a pure function of the scenario, the stream key, the trial, the factor
/// paths and the outputs it reads. Shared by the engine's threads; per-thread buffers live in the scratch object.
/// </summary>
public interface IInstrumentEvaluator
{
    /// <summary>New per-thread buffers (created once per thread, never per trial).</summary>
    object CreateScratch();

    /// <summary>Writes the trial's values into its columns of <paramref name="row"/> and its outputs.</summary>
    void Evaluate(in TrialContext trial, Span<double> row, object scratch);
}

/// <summary>A few trials' rows, read a column at a time (the accumulator's unit of work).</summary>
public readonly ref struct RowBlock
{
    private readonly ReadOnlySpan<double> _rows;
    private readonly Span<double> _buffer;
    private readonly int _columns;

    /// <summary>Wraps <paramref name="rows"/> (whole rows of <paramref name="columns"/> values) with a buffer of one value per row.</summary>
    public RowBlock(ReadOnlySpan<double> rows, int columns, Span<double> buffer, ReadOnlySpan<double> weights)
    {
        _rows = rows;
        _columns = columns;
        _buffer = buffer;
        Weights = weights;
    }

    /// <summary>Number of rows.</summary>
    public int Count => _buffer.Length;

    /// <summary>The rows' importance-sampling weights (empty under plain sampling).</summary>
    public ReadOnlySpan<double> Weights { get; }

    /// <summary>Row <paramref name="i"/>'s weight (1 under plain sampling).</summary>
    public double Weight(int i) => Weights.IsEmpty ? 1 : Weights[i];

    /// <summary>Row <paramref name="i"/>'s value in <paramref name="column"/>.</summary>
    public double this[int i, int column] => _rows[i * _columns + column];

    /// <summary>The column's values, in row order (valid until the next call).</summary>
    public Span<double> Column(int column)
    {
        for (int i = 0; i < _buffer.Length; i++) _buffer[i] = _rows[i * _columns + column];
        return _buffer;
    }
}

/// <summary>What an instrument's accumulator needs of the run.</summary>
/// <param name="Weighting">How trials are weighted; every statistic goes through it.</param>
/// <param name="ExpectedTrials">Trials the run may reach (sizes the series).</param>
/// <param name="ReportLossRatios">Extra loss-ratio thresholds the report asks for.</param>
/// <param name="ReportExceedance">Loss thresholds the report asks for.</param>
public sealed record AccumulationContext(TrialWeighting Weighting, long ExpectedTrials, IReadOnlyList<double> ReportLossRatios, IReadOnlyList<double> ReportExceedance)
{
    /// <summary>The memory budget of the run's series.</summary>
    public SeriesBudget Budget => Weighting.Budget;
}

/// <summary>
/// Gathers an instrument's columns, trial by trial in trial order, into what its statistics need, and summarises
/// them at the end. Disposing it deletes its series' temporary files.
/// </summary>
public interface IInstrumentAccumulator : IDisposable
{
    /// <summary>Adds a few rows (the weighting has already counted them).</summary>
    void Add(in RowBlock rows);

    /// <summary>The figures a precision target watches, on the trials so far.</summary>
    void AddPrecisionFigures(ICollection<FigurePrecision> figures);

    /// <summary>Queues the summaries on <paramref name="work"/>; the returned function builds the result once it has run.</summary>
    Func<IInstrumentResult> Summarize(WorkList work);
}
