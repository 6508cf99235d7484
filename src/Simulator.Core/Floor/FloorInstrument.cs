using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Floor;

/// <summary>
/// A floor on the share of each year's new investment in seed and angel funds and direct projects. Immutable.
/// </summary>
/// <param name="Name">Its name.</param>
/// <param name="Share">The smallest share of a year's new investment that must go to seed/angel funds and direct projects.</param>
/// <param name="Funds">The funds whose new investment is counted.</param>
/// <param name="Years">The simulated years judged: 1..Years (the last year of the counted funds' lives).</param>
public sealed record FloorItem(string Name, double Share, IReadOnlyList<string> Funds, int Years)
{
    /// <summary>Rounding margin: a year meets the floor when its share falls short by less than this share of its total.</summary>
    public const double Epsilon = 1e-9;
}

/// <summary>
/// The floors of a scenario as an instrument. In each trial a floor reads the counted funds' <c>projects</c> outputs
/// (published by the funds), sums each simulated year's checks of seed, angel and direct funds and of all counted
/// funds, and judges each year with any investment: met when the first sum is at least <see cref="FloorItem.Share"/> of
/// the second (docs/model.md, "The 20% floor").
/// </summary>
public sealed class FloorInstrument : IInstrument, IRethresholdable
{
    /// <summary>The kind's name: the scenario format's section.</summary>
    public const string KindName = "floor";

    /// <summary>The funds' per-project output it reads (layout: header [tolerance, type code, startYear, lifeYears,
    /// deals], then per project [investment year, check, U, exit year, multiple]).</summary>
    public const string ProjectsOutput = "projects";

    private const int Header = 5, Stride = 5;

    /// <summary>Type codes of the funds' output that count towards the floor: seed 0, angel 1, direct 2.</summary>
    public const int LastEligibleType = 2;

    /// <summary>Per-floor trials.csv columns after the floor's name and a dot.</summary>
    public static readonly IReadOnlyList<string> ItemColumns = ["metEveryYear", "failedYears"];

    /// <summary>Per-year statistics-only columns, after "floor.year-t.".</summary>
    public static readonly IReadOnlyList<string> YearColumns = ["eligible", "total", "met"];

    private readonly int[] _start, _yearStart;

    /// <summary>The instrument of <paramref name="items"/>, in file order.</summary>
    public FloorInstrument(IReadOnlyList<FloorItem> items)
    {
        Floors = items;
        Items = [.. items.Select(f => f.Name)];
        var columns = new List<TrialColumn>();
        _start = new int[items.Count];
        foreach (var (f, i) in items.Select((f, i) => (f, i)))
        {
            _start[i] = columns.Count;
            for (int c = 0; c < ItemColumns.Count; c++) columns.Add(new TrialColumn($"{f.Name}.{ItemColumns[c]}", Key: c == 0));
        }
        _yearStart = new int[items.Count];
        foreach (var (f, i) in items.Select((f, i) => (f, i)))
        {
            _yearStart[i] = columns.Count;
            for (int t = 1; t <= f.Years; t++)
                foreach (var c in YearColumns) columns.Add(new TrialColumn($"{f.Name}.year-{t}.{c}", ColumnUse.StatisticsOnly));
        }
        Columns = columns;
        Reads = [.. items.SelectMany(f => f.Funds).Distinct().Select(n => $"{n}.{ProjectsOutput}")];
        KeyFigures = [.. items.Select((f, i) =>
            new KeyFigureColumns(new KeyFigure($"{f.Name}.metEveryYearProbability", FigureKind.Mean, FigureUnit.Probability, f.Name), _start[i]))];
    }

    /// <summary>The floors, in file order.</summary>
    public IReadOnlyList<FloorItem> Floors { get; }

    /// <summary>Local index of floor <paramref name="i"/>'s metEveryYear column (failedYears follows).</summary>
    public int Start(int i) => _start[i];

    /// <summary>Local index of floor <paramref name="i"/>'s first per-year column (year 1's eligible, total, met, then year 2's …).</summary>
    public int YearStart(int i) => _yearStart[i];

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public IReadOnlyList<string> Items { get; }

    /// <inheritdoc />
    public int FactorYears => 1;

    /// <inheritdoc />
    public int ShockYears => 0;

    /// <inheritdoc />
    public IReadOnlyList<TrialColumn> Columns { get; }

    /// <inheritdoc />
    public IReadOnlyList<TrialOutput> Outputs => [];

    /// <inheritdoc />
    public IReadOnlyList<string> Reads { get; }

    /// <inheritdoc />
    public IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <inheritdoc />
    public IReadOnlyList<GovernmentCostColumn> GovernmentCosts => [];

    /// <inheritdoc />
    public IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding) => new Evaluator(this, binding);

    /// <inheritdoc />
    public IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context) => new FloorAccumulator(this, binding, context);

    /// <inheritdoc />
    public void AddExposure(Span<double> exposure)
    {
        // A rule on amounts, not a risk.
    }

    /// <inheritdoc />
    public IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate) => [];

    /// <summary>
    /// One trial of floor <paramref name="f"/> from the counted funds' <c>projects</c> outputs at <paramref name="offsets"/>:
    /// per year t (1-based) its eligible and total new investment and whether it met the floor into
    /// <paramref name="years"/>[3(t − 1) ..], and the number of years that failed (returned).
    /// </summary>
    public static int Evaluate(FloorItem f, ReadOnlySpan<int> offsets, ReadOnlySpan<double> outputs, Span<double> years)
    {
        years.Clear();
        foreach (int offset in offsets)
        {
            bool eligible = outputs[offset + 1] <= LastEligibleType;
            int deals = (int)outputs[offset + 4];
            for (int k = 0, o = offset + Header; k < deals; k++, o += Stride)
            {
                int t = (int)outputs[o] - 1;
                double check = outputs[o + 1];
                years[3 * t + 1] += check;
                if (eligible) years[3 * t] += check;
            }
        }
        int failed = 0;
        for (int t = 0; t < f.Years; t++)
        {
            double eligibleSum = years[3 * t], total = years[3 * t + 1];
            bool met = eligibleSum >= (f.Share - FloorItem.Epsilon) * total;
            years[3 * t + 2] = met ? 1 : 0;
            failed += met ? 0 : 1;
        }
        return failed;
    }

    /// <inheritdoc />
    /// <remarks>Always: no column of a floor depends on a tolerance (it reads the funds' checks, types and years, never
    /// the tolerance in their outputs' header), so a variant that moves only tolerances leaves its columns as they are.</remarks>
    public bool CanRethreshold(IInstrument variant, bool recorded) => variant is FloorInstrument;

    /// <inheritdoc />
    /// <remarks>Changes nothing: see <see cref="CanRethreshold"/>.</remarks>
    public void Rethreshold(IInstrument variant, InstrumentBinding binding, Span<double> row, ReadOnlySpan<long> recorded)
    {
    }

    private sealed class Evaluator(FloorInstrument owner, InstrumentBinding binding) : IInstrumentEvaluator
    {
        private readonly int[][] _offsets = [.. owner.Floors.Select(f => f.Funds.Select(n => binding.Read($"{n}.{ProjectsOutput}")).ToArray())];
        private readonly int[] _start = [.. owner._start.Select(binding.Column)];
        private readonly int[] _yearStart = [.. owner._yearStart.Select(binding.Column)];

        public object CreateScratch() => new double[3 * owner.Floors.Select(f => f.Years).DefaultIfEmpty(0).Max()];

        public void Evaluate(in TrialContext trial, Span<double> row, object scratch)
        {
            var years = (double[])scratch;
            for (int i = 0; i < _start.Length; i++)
            {
                var f = owner.Floors[i];
                var span = years.AsSpan(0, 3 * f.Years);
                int failed = FloorInstrument.Evaluate(f, _offsets[i], trial.Outputs, span);
                row[_start[i]] = failed == 0 ? 1 : 0;
                row[_start[i] + 1] = failed;
                span.CopyTo(row.Slice(_yearStart[i], span.Length));
            }
        }
    }
}
