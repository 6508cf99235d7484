using ScottPlot;
using ScottPlot.Plottables;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Picks the font of every text element of a plot: the CJK family for text that holds Chinese, a Latin sans face
/// for the rest. Not the CJK face everywhere: ScottPlot places the baseline from the font's bounding box, which
/// for Noto Sans CJK is so tall that tick and legend labels drift upwards and crowd the axes. Set per element
/// rather than through <c>Plot.Font.Set</c>, which also changes ScottPlot's process-wide default font.
/// </summary>
internal static class PlotFonts
{
    // ScottPlot's own "sans" resolves to DejaVu Serif on a bare Linux machine, so we name the family ourselves.
    private static readonly string[] LatinSans = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static readonly Lazy<string?> latinSans = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return LatinSans.Select(n => installed.TryGetValue(n, out string? actual) ? actual : null).FirstOrDefault(n => n is not null);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string? missingWarning;

    /// <summary>The Latin sans family every chart uses for text without Chinese, or null when none of the usual ones is
    /// installed (ScottPlot's default then).</summary>
    internal static string? LatinFamily => latinSans.Value;

    /// <summary>Set once Chinese text had to be drawn without a font that has it.</summary>
    internal static string? MissingWarning => Volatile.Read(ref missingWarning);

    /// <summary>Sets a font on every text element of <paramref name="plot"/>; call once the plot is complete.</summary>
    internal static void Apply(Plot plot)
    {
        string? latin = LatinFamily;
        string? For(string? text)
        {
            if (!CjkFont.NeedsCjk(text)) return latin;
            if (CjkFont.Family is { } cjk) return cjk;
            Volatile.Write(ref missingWarning, CjkFont.MissingWarning);
            return latin;
        }
        void Set(LabelStyle label, string? text)
        {
            if (For(text) is not { } family) return;
            label.FontName = family;
            if (family != latin && label.Rotation == 0) label.OffsetY += CjkFont.BaselineDrift(family, latin, label.FontSize);
        }

        Set(plot.Axes.Title.Label, plot.Axes.Title.Label.Text);
        foreach (var axis in plot.Axes.GetAxes())
        {
            Set(axis.Label, axis.Label.Text);
            // Tick labels are numbers or fund names, which the format keeps ASCII.
            Set(axis.TickLabelStyle, null);
        }

        // Legend items are rebuilt on every render, so only the legend as a whole can carry a font.
        var legendTexts = plot.Legend.GetItems().Select(i => i.LabelText).ToList();
        string? legendFamily = For(legendTexts.FirstOrDefault(CjkFont.NeedsCjk));
        if (legendFamily is not null) plot.Legend.FontName = legendFamily;

        foreach (var plottable in plot.GetPlottables())
        {
            switch (plottable)
            {
                case Text text:
                    Set(text.LabelStyle, text.LabelText);
                    break;
                case BarPlot bars:
                    Set(bars.ValueLabelStyle, bars.Bars.Select(b => b.Label).FirstOrDefault(CjkFont.NeedsCjk));
                    break;
            }
        }
    }
}
