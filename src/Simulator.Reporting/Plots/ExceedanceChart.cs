using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// P(loss ratio &gt; x) for every fund and the pooled programme on one log-scale chart: the tails, where the
/// tolerance rules bite, differ by orders of magnitude between funds and would vanish on a linear axis.
/// </summary>
internal static class ExceedanceChart
{
    /// <summary>File name of the chart.</summary>
    internal const string FileName = "exceedance.png";

    /// <summary>Loss-ratio grid step: 0.25 percentage points, smooth at 1000 px without thousands of points (the grid on
    /// which large runs keep exact counts).</summary>
    private const int GridSteps = TrialDistribution.GridSteps;

    /// <summary>Writes the chart for <paramref name="result"/> to <paramref name="path"/>.</summary>
    internal static void Write(SimulationResult result, string path)
    {
        using var plot = PlotStyle.Create(
            $"{result.Scenario.Title} — chance of losing more than x",
            "Loss ratio x (share of amount invested)",
            "Probability of a loss ratio above x (% of trials, log scale)");

        long trials = Math.Max(1, result.Programme!.LossRatios.Count);
        // One decade and a bit below the smallest non-zero estimate, 1/trials, so the last points stay visible.
        double bottom = Math.Floor(Math.Log10(1.0 / trials) - 0.3);
        double floorMarkerY = bottom + 0.15;
        var limits = new AxisLimits(-0.01, 1.01, bottom, 0.12);
        var drawn = new List<Coordinates>();
        bool anyNeverExceeded = false;

        for (int i = 0; i < result.Funds.Count; i++)
        {
            var fund = result.Funds[i];
            var f = fund.Fund;
            var color = PlotStyle.SeriesColor(i);
            string label = $"{f.Name} ({PlotText.TypeName(f.Type)}) — {PlotText.ToleranceText(f)}, breach {FigureText.Probability(fund.Breach.Probability)}";
            drawn.AddRange(AddCurve(plot, fund.LossRatios, color, 2, PlotStyle.SeriesPattern(i), label));

            // A direct programme's tolerance applies to single projects, so it has no point on the pooled curve.
            if (f.Type == FundType.Direct) continue;
            double p = fund.Breach.Probability;
            anyNeverExceeded |= p <= 0;
            AddToleranceMarker(plot, f.Tolerance, p > 0 ? Math.Log10(p) : floorMarkerY, p > 0, color);
        }

        // A programme of one fund is that fund: its curve would lie exactly on the fund's and hide it.
        if (Instruments.FundsReport.DistinctProgramme(result) is { } programme)
        {
            string programmeLabel = $"Programme, pooled (life-cycle) — mean tolerance {FigureText.Tolerance(programme.MeanTolerance)}, breach {FigureText.Probability(programme.Breach.Probability)}";
            drawn.AddRange(AddCurve(plot, programme.LossRatios, PlotStyle.ProgrammeColor, 3, LinePattern.Solid, programmeLabel));
            double atMean = programme.LossRatios.Exceedance(programme.MeanTolerance);
            anyNeverExceeded |= atMean <= 0;
            AddToleranceMarker(plot, programme.MeanTolerance, atMean > 0 ? Math.Log10(atMean) : floorMarkerY, atMean > 0, PlotStyle.ProgrammeColor);
        }

        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = "Shaded: 95% confidence band of each curve (Monte Carlo error)",
            FillColor = Colors.Gray.WithAlpha(0.3), LineWidth = 0,
        });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = "On a curve: that series' tolerance (the programme: its mean tolerance)",
            MarkerShape = MarkerShape.FilledDiamond, MarkerSize = 10, MarkerColor = Colors.Gray,
        });
        if (anyNeverExceeded)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"At the bottom: tolerance never exceeded in {FigureText.Integer(trials)} trials",
                MarkerShape = MarkerShape.FilledTriangleDown, MarkerSize = 10, MarkerColor = Colors.Gray,
            });

        if (drawn.Count == 0)
        {
            // Otherwise an empty frame would look like a failed plot.
            var note = plot.Add.Text($"No trial lost anything: every loss ratio is 0% in {FigureText.Integer(trials)} trials", 0.5, (bottom + 0) / 2);
            note.LabelAlignment = Alignment.MiddleCenter;
            note.LabelFontSize = 15;
        }
        plot.Axes.SetLimits(limits);
        PercentAxis.SetShareTicks(plot.Axes.Bottom);
        PercentAxis.SetLogProbabilityTicks(plot.Axes.Left, (int)bottom);
        int items = result.Funds.Count + (Instruments.FundsReport.DistinctProgramme(result) is null ? 0 : 1) + plot.Legend.ManualItems.Count;
        if (items <= MaxLegendItemsInside)
        {
            plot.ShowLegend(LegendPlacement.LeastCrowded(drawn, limits, 0.62, (items * 21 + 16) / (double)(PlotStyle.Height - PlotStyle.FrameHeight),
                Alignment.UpperRight, Alignment.LowerLeft, Alignment.LowerRight, Alignment.UpperLeft));
            PlotStyle.Save(plot, path);
        }
        else
        {
            // A long legend inside would hide the tails; below the chart it only makes the image taller.
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Vertical;
            PlotStyle.Save(plot, path, PlotStyle.Width, PlotStyle.Height + items * 21 + 16);
        }
    }

    /// <summary>Beyond this many legend entries the legend moves below the chart.</summary>
    private const int MaxLegendItemsInside = 7;

    // Zero probabilities have no logarithm; the curve simply stops where the sample runs out.
    private static List<Coordinates> AddCurve(Plot plot, TrialDistribution distribution, Color color, float width, LinePattern pattern, string label)
    {
        var points = new List<Coordinates>(GridSteps + 1);
        var xs = new List<double>();
        var lows = new List<double>();
        var highs = new List<double>();
        for (int k = 0; k <= GridSteps; k++)
        {
            double x = (double)k / GridSteps;
            double p = distribution.Exceedance(x);
            if (p <= 0) continue;
            points.Add(new Coordinates(x, Math.Log10(p)));
            // The 95% band of each point (Wilson; normal under importance sampling, and with the randomisations' error
            // under Sobol or Latin hypercube sampling): where a curve is thin (few trials beyond x) the band widens, so a
            // reader sees how far out the tail is still reliable.
            double low, high;
            if (distribution.GridExceedanceErrors is { } errors && double.IsFinite(errors[k]))
                (low, high) = (p - 1.96 * errors[k], p + 1.96 * errors[k]);
            else if (!distribution.IsWeighted)
            {
                var ci = ProbabilityEstimate.FromCount((long)Math.Round(p * distribution.Count), distribution.Count);
                (low, high) = (ci.Ci95Low, ci.Ci95High);
            }
            else
            {
                double se = distribution.WeightedTail(x).Se;
                (low, high) = (p - 1.96 * se, p + 1.96 * se);
            }
            xs.Add(x);
            lows.Add(Math.Log10(Math.Max(low, p / 100)));
            highs.Add(Math.Log10(high));
        }
        if (xs.Count > 1)
        {
            var band = plot.Add.FillY(xs.ToArray(), lows.ToArray(), highs.ToArray());
            band.FillColor = color.WithAlpha(0.15);
            band.LineWidth = 0;
        }
        var line = plot.Add.ScatterLine(points, color);
        line.LineWidth = width;
        line.LinePattern = pattern;
        line.LegendText = label;
        return points;
    }

    private static void AddToleranceMarker(Plot plot, double tolerance, double y, bool onCurve, Color color)
    {
        var marker = plot.Add.Marker(tolerance, y, onCurve ? MarkerShape.FilledDiamond : MarkerShape.FilledTriangleDown, 12, color);
        marker.MarkerLineColor = Colors.White;
        marker.MarkerLineWidth = 1;
    }
}
