using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The guarantor's capital year by year as a fan (median and the 5th–95th percentile band), against the zero line
/// below which it is insolvent: shows when in the programme the guarantor's buffer is thinnest, which a single
/// insolvency probability cannot.
/// </summary>
internal static class GuaranteeCapitalChart
{
    /// <summary>File name of a scheme's chart.</summary>
    internal static string FileName(GuaranteeResult g) => $"capital-{g.Guarantee.Name}.png";

    /// <summary>Whether the scheme has a chart: only with a guarantor, whose capital is tracked.</summary>
    internal static bool Applies(GuaranteeResult g) => g.CapitalByYear.Count > 0;

    /// <summary>Writes the chart for <paramref name="g"/> to <paramref name="path"/>.</summary>
    internal static void Write(GuaranteeResult g, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create(
            $"{scenarioTitle} — {g.Guarantee.Name}: guarantor capital by year",
            "Year (capital at the end of the year; 0 = start)",
            $"Guarantor capital ({FigureText.MoneyUnit})");

        // Year 0 is the starting capital, the same in every trial; anchoring the fan there shows how far it moves.
        double start = (g.Guarantee.Guarantor?.Capital ?? g.CapitalByYear[0].P50) / FigureText.Million;
        int years = g.CapitalByYear.Count;
        double[] xs = [.. Enumerable.Range(0, years + 1).Select(t => (double)t)];
        double[] p5 = [start, .. g.CapitalByYear.Select(c => c.P5 / FigureText.Million)];
        double[] p50 = [start, .. g.CapitalByYear.Select(c => c.P50 / FigureText.Million)];
        double[] p95 = [start, .. g.CapitalByYear.Select(c => c.P95 / FigureText.Million)];

        double high = p95.Max(), low = Math.Min(0, p5.Min());
        double span = Math.Max(high - low, Math.Abs(high) * 0.1 + 1e-9);
        double bottom = low - span * 0.1; // room for the zone below zero and its label

        // The insolvency zone first, so everything else is drawn over it.
        var zone = plot.Add.FillY([-0.5, years + 0.5], [bottom, bottom], [0, 0]);
        zone.FillColor = GuaranteeText.DangerColor.WithAlpha(0.08);
        zone.LineWidth = 0;

        var band = plot.Add.FillY(xs, p5, p95);
        band.FillColor = GuaranteeText.GuarantorColor.WithAlpha(0.25);
        band.LineWidth = 0; // its outline would close the band with a vertical edge at the last year
        band.LegendText = "5th–95th percentile of trials (90% of trials inside the band)";
        foreach (double[] edge in (double[][])[p5, p95])
        {
            var line = plot.Add.ScatterLine(xs, edge, GuaranteeText.GuarantorColor.WithAlpha(0.6));
            line.LineWidth = 1; // no legend text: the band's entry covers it
        }

        var median = plot.Add.Scatter(xs, p50, GuaranteeText.GuarantorColor);
        median.LineWidth = 2.5f;
        median.MarkerSize = 7;
        median.LegendText = $"Median (start {FigureText.MoneyWithUnit(start * FigureText.Million)})";

        var zero = plot.Add.HorizontalLine(0, 2, GuaranteeText.DangerColor, LinePattern.Dashed);
        zero.ExcludeFromLegend = true;
        // At the bottom left of the zone: below every percentile (the zone reaches past the lowest p5) and next to
        // year 0, where capital is still the starting amount, so no line runs through the label.
        var label = plot.Add.Text("insolvent below 0", -0.35, bottom);
        label.LabelAlignment = Alignment.LowerLeft;
        label.OffsetX = 4;
        label.OffsetY = -3;
        label.LabelFontSize = 13;
        label.LabelBold = true;
        label.LabelFontColor = GuaranteeText.DangerColor;

        var insolvent = g.Insolvent;
        var entries = new List<string> { band.LegendText, median.LegendText };
        string insolvency = insolvent.Probability > 0
            ? $"Insolvent by year {years}: {PlotText.ProbabilityWithInterval(insolvent.Probability, insolvent.Ci95Low, insolvent.Ci95High)}"
            : $"Never insolvent in {FigureText.Integer(insolvent.Trials)} trials";
        plot.Legend.ManualItems.Add(GuaranteeText.Note(insolvency));
        entries.Add(insolvency);

        var legend = GuaranteeText.LegendShare(entries);
        // Head room on top for the legend, in whichever corner the fan leaves emptier.
        double top = high + span * (0.08 + legend.HeightShare * 1.25);
        var limits = new AxisLimits(-0.4, years + 0.5, bottom, top);
        var points = xs.SelectMany((x, i) => new[] { new Coordinates(x, p5[i]), new Coordinates(x, p50[i]), new Coordinates(x, p95[i]) });
        var corner = LegendPlacement.LeastCrowded(points, limits, legend.WidthShare, legend.HeightShare + 0.04,
            Alignment.UpperRight, Alignment.UpperLeft);
        plot.Axes.SetLimits(limits);
        plot.Axes.Bottom.TickGenerator = GuaranteeText.YearTicks(0, years);
        plot.Axes.Left.TickGenerator = GuaranteeText.MoneyTicks();
        plot.ShowLegend(corner);
        PlotStyle.Save(plot, path);
    }
}
