using ScottPlot;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Guarantees;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The probability that the government pool has run out, and that the guarantor has become insolvent, by the end
/// of each year: when in the programme a budget or capital top-up would be needed. Written even when neither ever
/// happened, with a note saying so, so that an absent chart is never mistaken for an unchecked risk.
/// </summary>
internal static class GuaranteeExhaustionChart
{
    /// <summary>File name of a scheme's chart.</summary>
    internal static string FileName(GuaranteeResult g) => $"exhaustion-{g.Guarantee.Name}.png";

    /// <summary>Approximate width of a point label ("99.97%", bold 12 px), for spacing them.</summary>
    private const double LabelPixels = 52;

    /// <summary>Approximate width of the data area in pixels.</summary>
    private const double DataPixels = PlotStyle.Width - 110;

    /// <summary>Height of the figure drawn for a one-year book, which has no course over time to plot.</summary>
    internal const int SingleYearHeight = 320;

    /// <summary>Whether the book of <paramref name="g"/> runs a single year: its chart is a figure, not a plot of one point.</summary>
    internal static bool IsSingleYear(GuaranteeResult g) => g.ExhaustedByYear.Count == 1;

    /// <summary>Writes the chart for <paramref name="g"/> to <paramref name="path"/>.</summary>
    internal static void Write(GuaranteeResult g, string scenarioTitle, string path)
    {
        if (IsSingleYear(g))
        {
            WriteSingleYear(g, scenarioTitle, path);
            return;
        }
        bool hasGuarantor = g.Guarantee.Guarantor is not null;
        using var plot = PlotStyle.Create(
            hasGuarantor
                ? $"{scenarioTitle} — {g.Guarantee.Name}: pool exhausted, guarantor insolvent"
                : $"{scenarioTitle} — {g.Guarantee.Name}: pool exhausted",
            "Year (probability that it has happened by the end of the year)",
            "Probability (% of trials, cumulative)");

        int years = g.ExhaustedByYear.Count;
        double[] xs = [.. Enumerable.Range(1, years).Select(t => (double)t)];
        double[] exhausted = [.. g.ExhaustedByYear.Select(p => p * 100)];
        double[] insolvent = [.. g.InsolventByYear.Select(p => p * 100)];
        long trials = g.Exhausted.Trials;

        // A pool without limits, or without a share, can never fall short; a line at 0% would suggest it was at risk.
        var pool = g.Guarantee.Government;
        string? poolCannot = g.Guarantee.Shares.Government <= 0 ? "no government share"
            : !double.IsFinite(pool.Budget) && !double.IsFinite(pool.CapRate) ? "no budget or cap"
            : null;
        var entries = new List<string>();
        var series = new List<double[]>();
        if (poolCannot is null)
        {
            string text = $"Government pool exhausted (cannot pay its share){ByTheEnd(g.Exhausted, years)}";
            var line = plot.Add.Scatter(xs, exhausted, GuaranteeText.GovernmentColor);
            line.LineWidth = 2.5f;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.MarkerSize = 9;
            line.LegendText = text;
            entries.Add(text);
            series.Add(exhausted);
        }
        else
        {
            string text = $"Government pool cannot be exhausted: {poolCannot}";
            plot.Legend.ManualItems.Add(GuaranteeText.Note(text));
            entries.Add(text);
        }

        if (hasGuarantor)
        {
            // Dashed with square markers so it stays visible where it runs on top of the pool's line (both at 0).
            string text = $"Guarantor insolvent (capital used up){ByTheEnd(g.Insolvent, years)}";
            var line = plot.Add.Scatter(xs, insolvent, GuaranteeText.GuarantorColor);
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.MarkerShape = MarkerShape.OpenSquare;
            line.MarkerSize = 11;
            line.MarkerLineWidth = 2;
            line.LegendText = text;
            entries.Add(text);
            series.Add(insolvent);
        }
        else
        {
            string text = "No guarantor in this scheme, so no insolvency to show";
            plot.Legend.ManualItems.Add(GuaranteeText.Note(text));
            entries.Add(text);
        }

        double highest = series.SelectMany(s => s).DefaultIfEmpty(0).Max();
        bool never = highest <= 0;
        if (never) AddNeverNote(plot, g, poolCannot is null, hasGuarantor, trials);

        var legend = GuaranteeText.LegendShare(entries);
        // Never: a flat line at 0% needs an axis to sit on; twice the 95% upper bound shows the range the truth may
        // lie in. Otherwise the largest value with room for the point labels, and head room for the legend.
        double dataTop = never ? Math.Max(1e-4, g.Exhausted.Ci95High * 100 * 2) : Math.Min(100, highest) * 1.1;
        double top = dataTop / Math.Max(0.3, 1 - legend.HeightShare - 0.06);
        bool below = !never && LabelPoints(plot, xs, poolCannot is null ? exhausted : null, hasGuarantor ? insolvent : null);
        // Room under 0% for labels of points below the other series, else just enough that lines at 0% stay visible.
        double bottom = -top * (below ? 0.08 : 0.03);
        // Half a label's width beyond the first and last year, so their labels are not clipped at the frame.
        double pad = Math.Max(0.5, LabelPixels / 2 / (DataPixels / years) * 1.15);
        var limits = new AxisLimits(1 - pad, years + pad, bottom, top);
        var points = series.SelectMany(s => xs.Select((x, i) => new Coordinates(x, s[i])));
        var corner = LegendPlacement.LeastCrowded(points, limits, legend.WidthShare, legend.HeightShare + 0.06,
            Alignment.UpperLeft, Alignment.UpperRight);
        plot.Axes.SetLimits(limits);
        plot.Axes.Bottom.TickGenerator = GuaranteeText.YearTicks(1, years);
        plot.Axes.Left.TickGenerator = GuaranteeText.PercentTicks(Math.Min(top, 100));
        plot.ShowLegend(corner);
        PlotStyle.Save(plot, path);
    }

    /// <summary>
    /// A one-year book: a single point on a full chart says nothing a number would not, so the probabilities are
    /// written out large, with their intervals, under the chart's title.
    /// </summary>
    private static void WriteSingleYear(GuaranteeResult g, string scenarioTitle, string path)
    {
        bool hasGuarantor = g.Guarantee.Guarantor is not null;
        using var plot = PlotStyle.Create(
            hasGuarantor
                ? $"{scenarioTitle} — {g.Guarantee.Name}: pool exhausted, guarantor insolvent in its one year"
                : $"{scenarioTitle} — {g.Guarantee.Name}: pool exhausted in its one year",
            "", "");
        var pool = g.Guarantee.Government;
        string? poolCannot = g.Guarantee.Shares.Government <= 0 ? "no government share"
            : !double.IsFinite(pool.Budget) && !double.IsFinite(pool.CapRate) ? "no budget or cap"
            : null;
        var rows = new List<(string Figure, string Text, string Detail, Color Color)>
        {
            poolCannot is null
                ? (FigureText.Probability(g.Exhausted.Probability), "Government pool exhausted within the year", Interval(g.Exhausted), GuaranteeText.GovernmentColor)
                : ("—", "The government pool cannot be exhausted", poolCannot, Colors.Gray),
            hasGuarantor
                ? (FigureText.Probability(g.Insolvent.Probability), "Guarantor insolvent within the year", Interval(g.Insolvent), GuaranteeText.GuarantorColor)
                : ("—", "No guarantor in this scheme", "so no insolvency", Colors.Gray),
        };
        for (int i = 0; i < rows.Count; i++)
        {
            double y = rows.Count - i;
            var figure = plot.Add.Text(rows[i].Figure, 0.34, y);
            figure.LabelAlignment = Alignment.MiddleRight;
            figure.LabelFontSize = 30;
            figure.LabelBold = true;
            figure.LabelFontColor = rows[i].Color;
            var text = plot.Add.Text(rows[i].Text, 0.37, y);
            text.LabelAlignment = Alignment.LowerLeft;
            text.LabelFontSize = 16;
            var detail = plot.Add.Text(rows[i].Detail, 0.37, y);
            detail.LabelAlignment = Alignment.UpperLeft;
            detail.OffsetY = 4;
            detail.LabelFontSize = 13;
            detail.LabelFontColor = Colors.DimGray;
        }
        plot.Axes.SetLimits(0, 1, 0.4, rows.Count + 0.6);
        plot.HideAxesAndGrid();
        plot.Axes.Title.IsVisible = true;
        PlotStyle.Save(plot, path, PlotStyle.Width, SingleYearHeight);
    }

    /// <summary>"95% CI 19.82%–20.93% over 20,000 trials", or "in none of 20,000 trials: below 0.018% at 95% confidence".</summary>
    private static string Interval(ProbabilityEstimate e) => e.Probability > 0
        ? $"95% CI {FigureText.Probability(e.Ci95Low)}–{FigureText.Probability(e.Ci95High)} over {FigureText.Integer(e.Trials)} trials"
        : $"in none of {FigureText.Integer(e.Trials)} trials: below {FigureText.Probability(e.Ci95High)} at 95% confidence";

    /// <summary>" — 91.7% (95% CI …) by the end of year 7", or " — never in 20,000 trials".</summary>
    private static string ByTheEnd(ProbabilityEstimate e, int years) => e.Probability > 0
        ? $" — {PlotText.ProbabilityWithInterval(e.Probability, e.Ci95Low, e.Ci95High)} by the end of year {years}"
        : $" — never in {FigureText.Integer(e.Trials)} trials";

    /// <summary>
    /// Writes non-zero values next to their markers, the year-by-year figures a budget plan needs: above the point,
    /// or below it where the other series is higher that year, so two close values never overprint. A value equal
    /// to the year before is left out (the flat line says it), and with many years only every few years are
    /// labelled so neighbours do not overlap; the last year always is. Returns whether any label went below.
    /// </summary>
    private static bool LabelPoints(Plot plot, double[] xs, double[]? pool, double[]? insolvent)
    {
        int years = xs.Length;
        int every = Math.Max(1, (int)Math.Ceiling(LabelPixels * 1.15 / (DataPixels / Math.Max(1, years))));
        bool anyBelow = false;
        for (int i = 0; i < years; i++)
        {
            bool scheduled = i == years - 1 || (i % every == 0 && years - 1 - i >= every);
            if (!scheduled) continue;
            if (pool is not null) Label(pool, GuaranteeText.GovernmentColor, insolvent is not null && insolvent[i] > pool[i]);
            if (insolvent is not null) Label(insolvent, GuaranteeText.GuarantorColor, pool is not null && insolvent[i] <= pool[i]);

            void Label(double[] values, Color color, bool under)
            {
                double percent = values[i];
                if (percent <= 0) return;
                if (i > 0 && i < years - 1 && values[i] == values[i - 1]) return;
                var text = plot.Add.Text(FigureText.Probability(percent / 100), xs[i], percent);
                text.LabelAlignment = under ? Alignment.UpperCenter : Alignment.LowerCenter;
                text.OffsetY = under ? 10 : -8; // clear of the markers, which are 9 and 11 px
                text.LabelFontSize = 12;
                text.LabelBold = true;
                text.LabelFontColor = color;
                text.LabelBackgroundColor = Colors.White.WithAlpha(0.8); // legible where it crosses a line
                anyBelow |= under;
            }
        }
        return anyBelow;
    }

    /// <summary>
    /// Says in the plot that the events were checked and never happened, with the 95% upper bound the trial count
    /// supports: a policy designer reads "0 in 20,000" as "below about 0.02%", not as "impossible".
    /// </summary>
    private static void AddNeverNote(Plot plot, GuaranteeResult g, bool poolCanRunOut, bool hasGuarantor, long trials)
    {
        string what = (poolCanRunOut, hasGuarantor) switch
        {
            (true, true) => "Pool never exhausted and guarantor never insolvent",
            (true, false) => "Pool never exhausted",
            (false, true) => "Guarantor never insolvent",
            _ => "",
        };
        if (what.Length == 0) return; // nothing could happen, and the legend already says why
        string bound = poolCanRunOut && hasGuarantor ? "each probability is" : "the probability is";
        string text = $"{what} in {FigureText.Integer(trials)} trials:\n{bound} below {FigureText.Probability(g.Exhausted.Ci95High)} at 95% confidence";
        var note = plot.Add.Text(text, (g.ExhaustedByYear.Count + 1) / 2.0, 0);
        note.LabelAlignment = Alignment.LowerCenter;
        note.OffsetY = -40;
        note.LabelFontSize = 15;
        note.LabelBackgroundColor = Colors.White.WithAlpha(0.9);
        note.LabelPadding = 6;
    }
}
