using ScottPlot;
using SkiaSharp;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Keeps a chart's title inside its image. Titles start with the scenario's title, free text of any length, and
/// ScottPlot centres a title over the data area without clipping it to the image, so a long one lost both ends
/// (14 of the examples' 70 charts). A title that is a little too wide is set a little smaller; a longer one is
/// broken into lines: after the scenario title's " — " first, then between words (or between Chinese characters),
/// never below a size that still reads.
/// </summary>
internal static class PlotTitle
{
    /// <summary>Space kept free between the title and each edge of the image, in pixels.</summary>
    internal const int Margin = 20;

    /// <summary>Smallest size of a title on one line: below it a second line reads better.</summary>
    private const float MinSingleLineSize = 16;

    /// <summary>Smallest size of a title on several lines.</summary>
    private const float MinSize = 13;

    /// <summary>Fits the title of <paramref name="plot"/> into an image <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    internal static void Fit(Plot plot, int width, int height)
    {
        var label = plot.Axes.Title.Label;
        // Lines broken earlier (a panel fitted before it was stacked) are joined again, so fitting twice changes nothing.
        string text = label.Text.Replace(" —\n", " — ", StringComparison.Ordinal).Replace('\n', ' ');
        if (string.IsNullOrWhiteSpace(text)) return;
        float size = label.FontSize;
        // The whole title is drawn in one face, the CJK one when any of it is Chinese (PlotFonts), so every line is measured in it.
        string? family = Family(text);
        float Width(string line, float s) => Measure(line, s, family);
        // Most titles are far narrower than the image: no need to lay the chart out to know where its centre is.
        if (Width(text, size) <= width / 2.0 - 2 * Margin) return;

        // The title is centred over the data area, which a legend beside it or long tick labels push off centre.
        ComparisonCanvas.UseFinalFaces(plot);
        plot.RenderInMemory(width, height);
        float centre = plot.LastRender.DataRect.HorizontalCenter;
        float available = 2 * Math.Min(centre, width - centre) - 2 * Margin;

        for (float s = size; s >= MinSingleLineSize; s--)
        {
            if (Width(text, s) > available) continue;
            Set(label, [text], s);
            return;
        }
        int cut = text.IndexOf(" — ", StringComparison.Ordinal);
        string[] parts = cut > 0 ? [text[..(cut + 2)], text[(cut + 3)..]] : [text];
        for (float s = size; s >= MinSize; s--)
        {
            var lines = parts.SelectMany(p => Wrap(p, line => Width(line, s) <= available)).ToList();
            // Two lines at a larger size read better than three at a smaller one; beyond that, the fewest lines.
            if (lines.Count <= 2 || s <= MinSize)
            {
                Set(label, lines, s);
                return;
            }
        }
    }

    private static void Set(LabelStyle label, IReadOnlyList<string> lines, float size)
    {
        label.Text = string.Join("\n", lines);
        label.FontSize = size;
    }

    /// <summary>
    /// <paramref name="text"/> broken into lines that <paramref name="fits"/>: after a space, or between two Chinese
    /// characters (which need no space); a single word wider than a line stays whole.
    /// </summary>
    internal static IEnumerable<string> Wrap(string text, Func<string, bool> fits)
    {
        var lines = new List<string>();
        string line = "";
        foreach (string token in Tokens(text))
        {
            string candidate = line + token;
            if (line.Length > 0 && !fits(candidate.TrimEnd()))
            {
                lines.Add(line.TrimEnd());
                line = token.TrimStart();
            }
            else
            {
                line = candidate;
            }
        }
        if (line.Trim().Length > 0) lines.Add(line.TrimEnd());
        return lines;
    }

    /// <summary>Pieces between which a line may break: words with their trailing space, and single CJK characters.</summary>
    private static IEnumerable<string> Tokens(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            bool cjk = CjkFont.NeedsCjk(text[i].ToString());
            if (text[i] == ' ' || cjk)
            {
                // A Chinese character is a piece of its own; a space ends the word before it.
                if (cjk && i > start) yield return text[start..i];
                if (cjk) start = i;
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }
        if (start < text.Length) yield return text[start..];
    }

    /// <summary>The family PlotFonts gives a label holding <paramref name="text"/>.</summary>
    internal static string? Family(string text) => CjkFont.NeedsCjk(text) ? CjkFont.Family ?? PlotFonts.LatinFamily : PlotFonts.LatinFamily;

    /// <summary>Width in pixels of one line of <paramref name="text"/> in bold at <paramref name="size"/> in <paramref name="family"/>.</summary>
    internal static float Measure(string text, float size, string? family)
    {
        using var typeface = SKTypeface.FromFamilyName(family, SKFontStyle.Bold);
        using var font = new SKFont(typeface, size);
        return font.MeasureText(text);
    }
}
