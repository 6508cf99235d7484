using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Breach probabilities side by side with their 95% intervals: the headline a manager compares across funds,
/// and the intervals show whether a difference is real or Monte Carlo noise.
/// </summary>
internal static class BreachChart
{
    /// <summary>File name of the chart.</summary>
    internal const string FileName = "breach.png";

    /// <summary>Category name of the pooled programme.</summary>
    internal const string ProgrammeLabel = "programme (life-cycle)";

    /// <summary>Writes the chart for <paramref name="result"/> to <paramref name="path"/>.</summary>
    internal static void Write(SimulationResult result, string path)
    {
        using var plot = PlotStyle.Create(
            $"{result.Scenario.Title} — probability of breaching the loss tolerance",
            "Fund (type, loss tolerance)",
            "Breach probability (%)");

        var categories = result.Funds
            .Select(f => new Category(
                f.Fund.Name, $"{PlotText.TypeName(f.Fund.Type)}, {ShortTolerance(f.Fund)}", f.Breach, PlotStyle.SeriesColor(0)))
            .ToList();
        // A programme of one fund is that fund; a second bar would only repeat the first.
        if (Instruments.FundsReport.DistinctProgramme(result) is { } programme)
            categories.Add(new Category(ProgrammeLabel, $"mean tol. {FigureText.Tolerance(programme.MeanTolerance)}", programme.Breach, PlotStyle.ProgrammeColor));

        var bars = categories.Select((c, i) => new Bar
        {
            Position = i,
            Value = c.Estimate.Probability * 100,
            Size = 0.6,
            FillColor = c.Color,
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars);

        AddIntervals(plot, categories);
        AddValueLabels(plot, categories);
        double top = categories.Max(c => c.Estimate.Ci95High) * 100;
        double yMax = top <= 0 ? 1 : top * 1.35; // head room for the value labels and the legend

        var (width, height) = LayOutCategoryAxis(plot, categories);
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            TickDensity = 0.5,
            LabelFormatter = PlotText.PercentTick,
        };
        plot.Axes.SetLimits(-0.6, categories.Count - 0.4, 0, yMax);
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Save(plot, path, width, height);
    }

    // Wilson intervals are asymmetric, so the error bars take separate lengths up and down.
    private static void AddIntervals(Plot plot, List<Category> categories)
    {
        double[] xs = [.. categories.Select((_, i) => (double)i)];
        double[] ys = [.. categories.Select(c => c.Estimate.Probability * 100)];
        var errors = new ScottPlot.Plottables.ErrorBar(
            xs, ys,
            null, null,
            [.. categories.Select(c => (c.Estimate.Ci95High - c.Estimate.Probability) * 100)],
            [.. categories.Select(c => (c.Estimate.Probability - c.Estimate.Ci95Low) * 100)]);
        errors.Color = Colors.Black;
        errors.LineWidth = 1.5f;
        errors.CapSize = 8;
        errors.LegendText = "95% confidence interval (Monte Carlo error)";
        plot.Add.Plottable(errors);
    }

    // Above the interval rather than the bar, so the number never sits on the error bar's cap.
    private static void AddValueLabels(Plot plot, List<Category> categories)
    {
        for (int i = 0; i < categories.Count; i++)
        {
            var label = plot.Add.Text(FigureText.Probability(categories[i].Estimate.Probability), i, categories[i].Estimate.Ci95High * 100);
            label.LabelAlignment = Alignment.LowerCenter;
            label.OffsetY = -3;
            label.LabelFontSize = 14;
            label.LabelBold = true;
        }
    }

    /// <summary>
    /// Writes the category labels under the bars and returns the image size they need: names side by side while
    /// the image stays reasonably wide, slanted beyond that, since wrapping would run them into their neighbours.
    /// </summary>
    private static (int Width, int Height) LayOutCategoryAxis(Plot plot, List<Category> categories)
    {
        int longest = categories.Max(c => Math.Max(c.Name.Length, c.Detail.Length));
        int perCategory = Math.Max(150, longest * 8 + 30);
        bool slanted = 120 + perCategory * categories.Count > MaxWidth;
        var ticks = new NumericManual();
        for (int i = 0; i < categories.Count; i++)
            ticks.AddMajor(i, slanted ? $"{categories[i].Name} ({categories[i].Detail})" : $"{categories[i].Name}\n{categories[i].Detail}");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (!slanted) return (Math.Max(PlotStyle.Width, 120 + perCategory * categories.Count), PlotStyle.Height);

        var style = plot.Axes.Bottom.TickLabelStyle;
        style.Rotation = SlantDegrees;
        style.Alignment = Alignment.MiddleLeft;
        style.OffsetY = 6; // clear of the axis line, which the label's upper half would otherwise cross
        double radians = SlantDegrees * Math.PI / 180;
        // Approximate widths (7.2 px per character at 13 px) are enough to reserve space; nothing is clipped if off by a little.
        double LabelLength(Category c) => (c.Name.Length + c.Detail.Length + 3) * 7.2;
        float labelHeight = (float)(categories.Max(LabelLength) * Math.Sin(radians)) + 16;
        plot.Axes.Bottom.MinimumSize = labelHeight;
        // Labels run right of their bars, the last ones past the data area; keep room for them in the image.
        double overflow = categories.Select((c, i) =>
            LabelLength(c) * Math.Cos(radians) - (categories.Count - 0.5 - i) * SlantedCategoryWidth).Max();
        plot.Axes.Right.MinimumSize = (float)Math.Max(0, overflow);
        int width = Math.Max(PlotStyle.Width, 120 + SlantedCategoryWidth * categories.Count) + (int)plot.Axes.Right.MinimumSize;
        return (width, PlotStyle.Height + (int)labelHeight);
    }

    private static string ShortTolerance(Fund fund) => fund.Type == FundType.Direct
        ? $"tol. {FigureText.Tolerance(fund.Tolerance)}/project"
        : $"tol. {FigureText.Tolerance(fund.Tolerance)}";

    /// <summary>Widest image before category labels are slanted instead.</summary>
    private const int MaxWidth = 1600;

    private const float SlantDegrees = 40;

    /// <summary>Pixels per bar once labels are slanted.</summary>
    private const int SlantedCategoryWidth = 90;

    private sealed record Category(string Name, string Detail, ProbabilityEstimate Estimate, Color Color);
}
