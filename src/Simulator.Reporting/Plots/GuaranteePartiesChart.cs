using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Who pays a scheme's credit losses, in an average trial and in the worst 1%: the contract splits every default
/// by fixed shares, but budgets, caps and insolvency move losses between parties exactly in the bad trials, and
/// the two stacked bars side by side show how far.
/// </summary>
internal static class GuaranteePartiesChart
{
    /// <summary>File name of a scheme's chart.</summary>
    internal static string FileName(GuaranteeResult g) => $"parties-{g.Guarantee.Name}.png";

    /// <summary>Width of a bar in category units (categories are one unit apart).</summary>
    private const double BarSize = 0.5;

    /// <summary>A segment needs this many pixels of height to carry its label inside.</summary>
    private const double InsideLabelPixels = 18;

    /// <summary>Writes the chart for <paramref name="g"/> to <paramref name="path"/>.</summary>
    internal static void Write(GuaranteeResult g, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create(
            $"{scenarioTitle} — {g.Guarantee.Name}: who pays the credit losses",
            "",
            $"Credit losses paid ({FigureText.MoneyUnit})");

        long trials = g.Losses.Count;
        long worst = Math.Clamp((long)Math.Ceiling(trials / 100.0), 1, Math.Max(1, trials));
        PartySummary[] parties = [g.Guarantor, g.ReGuarantee, g.Bank, g.Government];
        double[][] amounts =
        [
            [.. parties.Select(p => Math.Max(0, p.Mean))],
            [.. parties.Select(p => Math.Max(0, p.WorstPercentMean))],
        ];
        double[] totals = [.. amounts.Select(a => a.Sum() / FigureText.Million)];

        var (legend, notes) = LegendEntries(g.Guarantee);
        double yTop = AxisTop(totals, GuaranteeText.LegendShare([.. legend, .. notes]));
        double pixelsPerMillion = (PlotStyle.Height - PlotStyle.FrameHeight) / yTop;

        // Stacked government first, so that read from the top down the bars follow the legend: the guarantor, the
        // first party of "4222", sits on top.
        var order = Enumerable.Range(0, parties.Length).Reverse().ToArray();
        var bases = new double[amounts.Length];
        var segments = new List<Segment>();
        foreach (int p in order)
        {
            var party = GuaranteeText.Parties[p];
            var bars = new List<Bar>();
            for (int c = 0; c < amounts.Length; c++)
            {
                double value = amounts[c][p] / FigureText.Million;
                bars.Add(new Bar
                {
                    Position = c,
                    ValueBase = bases[c],
                    Value = bases[c] + value,
                    Size = BarSize,
                    FillColor = party.Color,
                    LineColor = Colors.White,
                    LineWidth = value > 0 ? 1 : 0,
                });
                if (value > 0) segments.Add(new Segment(c, p, bases[c], value, totals[c]));
                bases[c] += value;
            }
            plot.Add.Bars(bars);
        }
        // Listed by hand: ScottPlot would list the parties in the order they were stacked, bottom first.
        for (int p = 0; p < parties.Length; p++)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = legend[p],
                FillColor = GuaranteeText.Parties[p].Color,
                LineWidth = 0,
                MarkerShape = MarkerShape.None,
            });
        foreach (string note in notes) plot.Legend.ManualItems.Add(GuaranteeText.Note(note));

        LabelSegments(plot, segments, pixelsPerMillion);
        LabelTotals(plot, totals);
        if (totals.Max() <= 0)
        {
            // Otherwise an empty frame would look like a failed plot.
            var note = plot.Add.Text($"No credit loss in any of the {FigureText.Integer(trials)} trials: nobody paid anything", 0.7, yTop / 2);
            note.LabelAlignment = Alignment.MiddleCenter;
            note.LabelFontSize = 15;
        }

        var ticks = new NumericManual();
        ticks.AddMajor(0, $"Mean trial\n(average over all {FigureText.Integer(trials)} trials)");
        ticks.AddMajor(1, $"Worst 1% of trials\n(average over the {FigureText.Integer(worst)} with the largest credit loss)");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = GuaranteeText.MoneyTicks();
        plot.Axes.SetLimits(-0.5, 1.95, 0, yTop);
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }

    /// <summary>
    /// Legend text per party (in party order) with its contract share, then notes on the pool's limits, which make
    /// the actual split differ from the contract. Kept to short lines: the legend sits over the mean bar and must not
    /// reach across to the worst-1% bar.
    /// </summary>
    internal static (string[] Parties, List<string> Notes) LegendEntries(Guarantee guarantee)
    {
        var s = guarantee.Shares;
        // Without a guarantor the ledger hands its share to the bank; say so rather than show an unpaid share.
        string guarantor = guarantee.Guarantor is not null ? $"Guarantor — contract share {FigureText.Tolerance(s.Guarantor)}"
            : s.Guarantor > 0 ? $"Guarantor — none; its {FigureText.Tolerance(s.Guarantor)} share falls to the bank"
            : "Guarantor — none in this scheme";
        var pool = guarantee.Government;
        var limits = new List<string>();
        if (double.IsFinite(pool.Budget)) limits.Add($"budget {FigureText.MoneyWithUnit(pool.Budget)}");
        if (double.IsFinite(pool.CapRate)) limits.Add($"cap {FigureText.Tolerance(pool.CapRate)} of amount guaranteed");
        var notes = new List<string>();
        if (s.Government > 0)
        {
            if (limits.Count == 0) notes.Add("Pool limit: none");
            else
            {
                notes.Add($"Pool limit: {string.Join(", ", limits)}");
                notes.Add($"Beyond the limit: paid by {ShortfallName(pool.ShortfallTo)}");
            }
        }
        string[] parties =
        [
            guarantor,
            $"Re-guarantee — contract share {FigureText.Tolerance(s.ReGuarantee)}",
            $"Bank — contract share {FigureText.Tolerance(s.Bank)}",
            $"Government pool — contract share {FigureText.Tolerance(s.Government)}",
        ];
        return (parties, notes);
    }

    private static string ShortfallName(ShortfallTo to) => to switch
    {
        ShortfallTo.Guarantor => "the guarantor",
        ShortfallTo.Bank => "the bank",
        _ => "the others pro rata",
    };

    /// <summary>Head room for the totals above the bars and for the legend, which sits over the mean bar; the
    /// worst-1% bar is normally the taller one and stands clear of the legend on the right.</summary>
    private static double AxisTop(double[] totals, (double WidthShare, double HeightShare) legend)
    {
        double highest = totals.Max();
        if (highest <= 0) return 1;
        double top = highest * 1.12;
        double free = 1 - legend.HeightShare - 0.1;
        // The legend spans the mean bar and, when it is wide, the worst-1% bar too.
        double under = legend.WidthShare > 0.55 ? highest : totals[0];
        return Math.Max(top, under / Math.Max(0.3, free));
    }

    /// <summary>
    /// Each segment's share of its bar (and amount) inside the segment when it is tall enough; the others to the
    /// right of the bar with a leader line, pushed apart so they never overlap, since a small share (often the
    /// government's) is exactly what a policy designer looks for.
    /// </summary>
    private static void LabelSegments(Plot plot, List<Segment> segments, double pixelsPerMillion)
    {
        foreach (var group in segments.GroupBy(s => s.Category))
        {
            var outside = new List<Segment>();
            foreach (var s in group)
            {
                string text = SegmentText(s);
                if (s.Value * pixelsPerMillion >= InsideLabelPixels)
                {
                    var label = plot.Add.Text(text, s.Category, s.Base + s.Value / 2);
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = 13;
                    label.LabelBold = true;
                    label.LabelFontColor = GuaranteeText.Parties[s.Party].TextColor;
                }
                else outside.Add(s);
            }

            double gap = InsideLabelPixels / pixelsPerMillion;
            double previous = double.NegativeInfinity;
            foreach (var s in outside.OrderBy(s => s.Base))
            {
                double mid = s.Base + s.Value / 2;
                double y = Math.Max(mid, previous + gap);
                previous = y;
                double edge = s.Category + BarSize / 2;
                double x = edge + 0.06;
                var leader = plot.Add.Line(edge, mid, x - 0.01, y);
                leader.LineColor = Colors.DimGray;
                leader.LineWidth = 1;
                // In the party's colour, as the name would not fit between the bars.
                var label = plot.Add.Text(SegmentText(s), x, y);
                label.LabelAlignment = Alignment.MiddleLeft;
                label.LabelFontSize = 13;
                label.LabelBold = true;
                label.LabelFontColor = GuaranteeText.Parties[s.Party].Color;
            }
        }
    }

    /// <summary>"9.3% (19.6)": share of the bar, then the amount in million CNY.</summary>
    private static string SegmentText(Segment s) => $"{FigureText.Ratio(s.Value / s.Total)} ({FigureText.Money(s.Value * FigureText.Million)})";

    private static void LabelTotals(Plot plot, double[] totals)
    {
        for (int c = 0; c < totals.Length; c++)
        {
            var label = plot.Add.Text($"Total {FigureText.Money(totals[c] * FigureText.Million)}", c, totals[c]);
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -4;
            label.LabelFontSize = 14;
            label.LabelBold = true;
        }
    }

    /// <param name="Category">0 for the mean trial, 1 for the worst 1%.</param>
    /// <param name="Party">Index into <see cref="GuaranteeText.Parties"/>.</param>
    /// <param name="Base">Bottom of the segment (million CNY).</param>
    /// <param name="Value">Height of the segment (million CNY).</param>
    /// <param name="Total">Height of its bar (million CNY).</param>
    private sealed record Segment(int Category, int Party, double Base, double Value, double Total);
}
