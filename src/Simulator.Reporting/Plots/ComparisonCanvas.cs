using ScottPlot;
using SkiaSharp;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Writes several plots stacked into one PNG, each panel with its own axes, so the comparison charts can show
/// probabilities, money and leverage against the same variants or swept values without mixing units on one axis.
/// </summary>
internal static class ComparisonCanvas
{
    /// <summary>A panel: the plot and its height in pixels.</summary>
    /// <param name="Plot">The plot, complete.</param>
    /// <param name="Height">Its height in the image.</param>
    internal sealed record Panel(Plot Plot, int Height);

    /// <summary>
    /// Applies the fonts to every panel and writes them top to bottom into <paramref name="path"/>; a single panel
    /// is saved as any other chart is.
    /// </summary>
    internal static void Save(IReadOnlyList<Panel> panels, string path, int width = PlotStyle.Width)
    {
        if (panels.Count == 1)
        {
            PlotStyle.Save(panels[0].Plot, path, width, panels[0].Height);
            return;
        }
        foreach (var panel in panels)
        {
            PlotTitle.Fit(panel.Plot, width, panel.Height);
            PlotFonts.Apply(panel.Plot);
        }
        int height = panels.Sum(p => p.Height);
        using var surface = PngFile.CreateSurface(width, height);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        int top = 0;
        // Each panel rendered on its own surface: a plot clears the whole canvas it is drawn on. The panel's pixels
        // are copied as they are; a round trip through PNG, as Plot.GetImageBytes would take, gives the same opaque
        // pixels at the cost of an encode and a decode per panel.
        foreach (var panel in panels)
        {
            using var image = Render(panel.Plot, width, panel.Height);
            canvas.DrawImage(image, 0, top);
            top += panel.Height;
        }
        // A thin rule between panels, so each reads as its own chart.
        using var rule = new SKPaint { Color = new SKColor(0xCC, 0xCC, 0xCC), StrokeWidth = 1, IsAntialias = false };
        top = 0;
        foreach (var panel in panels.Take(panels.Count - 1))
        {
            top += panel.Height;
            canvas.DrawLine(20, top - 0.5f, width - 20, top - 0.5f, rule);
        }
        PngFile.Write(surface, path);
    }

    /// <summary>The plot drawn on a surface of its own, as ScottPlot's <c>Plot.GetImage</c> draws it.</summary>
    private static SKImage Render(Plot plot, int width, int height)
    {
        using var surface = PngFile.CreateSurface(width, height);
        plot.Render(surface.Canvas, width, height);
        return surface.Snapshot();
    }

    /// <summary>Sets the Latin sans face on <paramref name="style"/> (text that is numbers and ASCII names), for elements
    /// <see cref="PlotFonts.Apply"/> does not know, such as a colour bar.</summary>
    internal static void UseLatin(LabelStyle style)
    {
        if (PlotFonts.LatinFamily is { } family) style.FontName = family;
    }

    /// <summary>
    /// Gives tick labels, Latin axis labels and a Latin legend the face PlotFonts will give them when the plot is
    /// saved, so a layout measured before then (the data area's width) is the one drawn; text with Chinese is left
    /// to PlotFonts, which also corrects its baseline.
    /// </summary>
    internal static void UseFinalFaces(Plot plot)
    {
        if (PlotFonts.LatinFamily is not { } family) return;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontName = family;
            if (!CjkFont.NeedsCjk(axis.Label.Text)) axis.Label.FontName = family;
        }
        if (!plot.Legend.GetItems().Any(i => CjkFont.NeedsCjk(i.LabelText))) plot.Legend.FontName = family;
    }

    /// <summary>Width in pixels of <paramref name="text"/> in the regular Latin face at <paramref name="size"/>.</summary>
    internal static float TextWidth(string text, float size)
    {
        using var typeface = SKTypeface.FromFamilyName(PlotFonts.LatinFamily);
        using var font = new SKFont(typeface, size);
        return text.Split('\n').Max(l => font.MeasureText(l));
    }

    /// <summary>
    /// Widens the x range of a plot until every value label, written beside its point (to the right or the left),
    /// fits inside the data area; returns the range and leaves it set. The data area's width comes from rendering
    /// the plot at its final size, since it depends on tick labels and legends.
    /// </summary>
    internal static (double Left, double Right) FitLabels(
        Plot plot, int width, int height, double left, double right, double bottom, double top,
        IEnumerable<(double X, string Text, bool ToRight)> labels, float fontSize)
    {
        var needs = labels.Select(l => (l.X, Pixels: TextWidth(l.Text, fontSize) + 12.0, l.ToRight)).ToList();
        UseFinalFaces(plot);
        for (int pass = 0; pass < 6; pass++)
        {
            plot.Axes.SetLimits(left, right, bottom, top);
            plot.RenderInMemory(width, height);
            double pixels = plot.LastRender.DataRect.Width;
            if (pixels <= 0) break;
            double perPixel = (right - left) / pixels;
            double newLeft = left, newRight = right;
            foreach (var (x, px, toRight) in needs)
            {
                if (toRight) newRight = Math.Max(newRight, x + px * perPixel);
                else newLeft = Math.Min(newLeft, x - px * perPixel);
            }
            if (newLeft >= left && newRight <= right) break;
            left = newLeft;
            right = newRight;
        }
        plot.Axes.SetLimits(left, right, bottom, top);
        return (left, right);
    }
}
