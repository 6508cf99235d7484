using System.Globalization;
using System.Text;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Html;

/// <summary>
/// The figures of funds.csv and guarantees.csv as tables. The CSV's thirty-odd columns are split into tables of a
/// few columns each (distribution, breach, returns; loss, who pays, risks, volumes), which fit on a screen.
/// </summary>
internal static class ResultTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The HTML of the tables section's content.</summary>
    public static string Render(SimulationResult result)
    {
        var sb = new StringBuilder();
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) sb.Append(report.Tables(result, instrument));
        return sb.ToString();
    }

    internal static IEnumerable<Cell> LossCells(LossSummary l, Func<double, Cell> cell)
    {
        var se = l.StandardErrors;
        double[] values = [l.Mean, l.Sd, l.P50, l.P90, l.P95, l.P99, l.P999, l.Es99];
        double[] errors = [se.Mean, double.NaN, se.P50, se.P90, se.P95, se.P99, se.P999, se.Es99];
        return values.Select((v, i) => WithError(cell(v), errors[i], cell));
    }

    /// <summary><paramref name="c"/> with "± error (standard error)" as its tooltip, the error formatted like the value.</summary>
    internal static Cell WithError(Cell c, double error, Func<double, Cell> format) =>
        double.IsFinite(error) ? c with { Title = $"± {HtmlText.Decode(format(error).Html)} (standard error)" } : c;

    internal static IEnumerable<Cell> BreachCells(ProbabilityEstimate p) =>
    [
        Cell.Probability(p.Probability), Cell.Probability(p.StandardError), Cell.Probability(p.Ci95Low), Cell.Probability(p.Ci95High),
        Cell.Number(FigureText.Integer(p.Count), p.Count),
    ];

    internal static IEnumerable<Cell> SpreadCells(SpreadSummary? s, Func<double, string> format) =>
        s is null ? Enumerable.Repeat(Cell.Text("—", "muted"), 4) : new[] { s.Mean, s.P5, s.P50, s.P95 }.Select(x => Cell.Number(format(x), x));

    internal static IEnumerable<Cell> ExceedanceCells(LossSummary l, IReadOnlyList<double> thresholds) =>
        thresholds.Select(x => l.Exceedance.FirstOrDefault(e => e.Threshold == x) is { } e
            ? Cell.Number($"{FigureText.Probability(e.Estimate.Probability)} ± {FigureText.Probability(e.Estimate.StandardError)}", e.Estimate.Probability)
            : Cell.Blank);
}
