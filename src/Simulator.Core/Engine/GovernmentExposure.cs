using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>The government's net cost through one item, in the mean.</summary>
/// <param name="Kind">The item's instrument kind.</param>
/// <param name="Item">The item.</param>
/// <param name="Mean">Mean net cost, CNY (negative: a gain).</param>
/// <param name="StandardError">Its standard error.</param>
public sealed record GovernmentCostPart(string Kind, string Item, double Mean, double StandardError);

/// <summary>
/// The government's whole exposure across every instrument of a scenario: in each trial, the sum of what it paid
/// less what it received through every item (fund contributions net of distributions, pool payments, …), undiscounted.
/// </summary>
/// <param name="NetCost">Distribution of the total net cost per trial (mean, sd, quantiles, es99, with standard errors).</param>
/// <param name="Parts">Its split by item, in scenario order: each item's mean net cost with its standard error.</param>
public sealed record GovernmentExposure(LossSummary NetCost, IReadOnlyList<GovernmentCostPart> Parts);

/// <summary>Adds up the instruments' government cost columns trial by trial and keeps what the exposure's statistics need.</summary>
internal sealed class GovernmentExposureAccumulator : IDisposable
{
    private readonly TrialWeighting _weighting;
    private readonly (string Kind, string Item, int Column)[] _columns;
    private readonly Tally[] _parts;
    private readonly TrialSeries<double> _total;

    private GovernmentExposureAccumulator(TrialWeighting weighting, (string, string, int)[] columns, long trials)
    {
        _weighting = weighting;
        _columns = columns;
        _parts = new Tally[columns.Length];
        _total = new TrialSeries<double>(weighting.Budget, trials);
    }

    /// <summary>The accumulator of <paramref name="layout"/>'s government columns; null when no instrument declares any.</summary>
    public static GovernmentExposureAccumulator? For(TrialLayout layout, TrialWeighting weighting, long trials)
    {
        var columns = layout.Instruments
            .SelectMany((instrument, i) => instrument.GovernmentCosts.Select(g => (instrument.Kind, g.Item, layout.Bindings[i].Column(g.Column))))
            .ToArray();
        return columns.Length == 0 ? null : new GovernmentExposureAccumulator(weighting, columns, trials);
    }

    public void Add(in RowBlock rows)
    {
        Span<double> totals = stackalloc double[rows.Count];
        totals.Clear();
        for (int c = 0; c < _columns.Length; c++)
        {
            int column = _columns[c].Column;
            Tally tally = _parts[c];
            for (int i = 0; i < rows.Count; i++)
            {
                double x = rows[i, column];
                totals[i] += x;
                _weighting.Add(ref tally, rows.Weight(i), x);
            }
            _parts[c] = tally;
        }
        _total.Add(totals);
    }

    public Func<GovernmentExposure> Summarize(WorkList work)
    {
        var netCost = work.Add(() => _weighting.Summarize(_total, []));
        var parts = _columns.Select((c, i) =>
        {
            var (mean, error) = _weighting.MeanWithError(_parts[i]);
            return new GovernmentCostPart(c.Kind, c.Item, mean, error);
        }).ToList();
        return () => new GovernmentExposure(netCost(), parts);
    }

    public void Dispose() => _total.Dispose();
}
