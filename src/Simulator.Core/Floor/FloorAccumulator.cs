using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Floor;

/// <summary>Running tallies of every column of each floor.</summary>
internal sealed class FloorAccumulator(FloorInstrument instrument, InstrumentBinding binding, AccumulationContext context) : IInstrumentAccumulator
{
    private readonly TrialWeighting _weighting = context.Weighting;
    private readonly int[] _start = [.. Enumerable.Range(0, instrument.Floors.Count).Select(i => binding.Column(instrument.Start(i)))];
    private readonly int[] _yearStart = [.. Enumerable.Range(0, instrument.Floors.Count).Select(i => binding.Column(instrument.YearStart(i)))];
    private readonly Tally[][] _tallies = [.. instrument.Floors.Select(f => new Tally[2 + 3 * f.Years])]; // metEveryYear, failedYears, then per year

    public void Dispose()
    {
    }

    public void Add(in RowBlock rows)
    {
        for (int f = 0; f < _start.Length; f++)
        {
            var t = _tallies[f];
            for (int i = 0; i < rows.Count; i++)
            {
                double w = rows.Weight(i);
                _weighting.Add(ref t[0], w, rows[i, _start[f]]);
                _weighting.Add(ref t[1], w, rows[i, _start[f] + 1]);
                for (int k = 2; k < t.Length; k++) _weighting.Add(ref t[k], w, rows[i, _yearStart[f] + k - 2]);
            }
        }
    }

    public void AddPrecisionFigures(ICollection<FigurePrecision> figures)
    {
    }

    public Func<IInstrumentResult> Summarize(WorkList work)
    {
        var items = instrument.Floors.Select((f, i) =>
        {
            var t = _tallies[i];
            return new FloorItemResult(f, _weighting.Probability(t[0]), _weighting.Mean(t[1]),
                [.. Enumerable.Range(0, f.Years).Select(y => new FloorYearResult(y + 1, _weighting.Mean(t[2 + 3 * y]), _weighting.Mean(t[3 + 3 * y]),
                    _weighting.Probability(t[4 + 3 * y])))]);
        }).ToList();
        return () => new FloorResult(items);
    }
}

/// <summary>One year of a floor.</summary>
/// <param name="Year">The simulated year.</param>
/// <param name="MeanEligible">Mean new investment in seed and angel funds and direct projects (CNY).</param>
/// <param name="MeanTotal">Mean new investment of all counted funds (CNY).</param>
/// <param name="Met">Probability that the year meets the floor (1 in a year without investment).</param>
public sealed record FloorYearResult(int Year, double MeanEligible, double MeanTotal, ProbabilityEstimate Met)
{
    /// <summary>Whether any counted fund invests in the year (in some trial).</summary>
    public bool HasInvestment => MeanTotal > 0;
}

/// <summary>The results of one floor.</summary>
/// <param name="Floor">The floor.</param>
/// <param name="MetEveryYear">Probability that every year meets it.</param>
/// <param name="MeanFailedYears">Mean number of years that fail it.</param>
/// <param name="Years">Per simulated year 1..<see cref="FloorItem.Years"/>.</param>
public sealed record FloorItemResult(FloorItem Floor, ProbabilityEstimate MetEveryYear, double MeanFailedYears, IReadOnlyList<FloorYearResult> Years)
{
    /// <summary>The years in which it fails in some trial.</summary>
    public IEnumerable<FloorYearResult> FailingYears => Years.Where(y => y.Met.Probability < 1);
}

/// <summary>The results of a scenario's floors.</summary>
/// <param name="Items">Per floor, in file order.</param>
public sealed record FloorResult(IReadOnlyList<FloorItemResult> Items) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => FloorInstrument.KindName;
}
