using Simulator.Reporting.Plots;
using Simulator.Tests.Support;
using SkiaSharp;

namespace Simulator.Tests.Reporting;

/// <summary>
/// Every chart's title stays inside its image (issue 18, item 12: 14 of the examples' 70 charts lost the ends of
/// their titles). The titles are measured where they were drawn: the ink in each title band of the PNG, against
/// the image's width.
/// </summary>
public class PlotTitleTests
{
    /// <summary>Least space between a title's ink and an edge of the image, in pixels.</summary>
    private const int MinMargin = PlotTitle.Margin / 2;

    private static IEnumerable<string> Examples() =>
        Directory.GetFiles(Path.Combine(TestScenarios.RepositoryRoot, "scenarios"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Category("Slow")]
    [TestCaseSource(nameof(Examples))]
    public void Charts_ExampleScenario_EveryTitleInsideTheImage(string file)
    {
        using var temp = new TempDirectory("simulator-titles");
        // The titles depend on the names and titles of the file, not on the number of trials.
        var (_, _, plots) = HtmlTestSupport.RunInto(HtmlTestSupport.Example(file, 1000), temp.Path);
        Assert.That(plots, Is.Not.Empty);
        foreach (string plot in plots)
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(temp.Path, plot));
            var bands = TitleInk(bitmap);
            Assert.That(bands, Is.Not.Empty, $"{file}: {plot} has no title");
            foreach (var (top, left, right) in bands)
            {
                Assert.That(right - left, Is.GreaterThan(100), $"{file}: {plot}: the title at row {top} is barely there");
                Assert.That(left, Is.GreaterThanOrEqualTo(MinMargin), $"{file}: {plot}: the title at row {top} reaches the left edge ({left} px)");
                Assert.That(right, Is.LessThan(bitmap.Width - MinMargin), $"{file}: {plot}: the title at row {top} reaches the right edge ({right} of {bitmap.Width} px)");
            }
        }
    }

    [Test]
    public void Wrap_LongTitle_BreaksBetweenWordsAndChineseCharacters()
    {
        var lines = PlotTitle.Wrap("全国“4321”政银担分险 tech-SME guarantees", line => line.Length <= 13).ToList();
        Assert.That(lines, Is.EqualTo(new[] { "全国“4321”政银担分险", "tech-SME", "guarantees" }));
        Assert.That(string.Concat(PlotTitle.Wrap("武汉种子基金", line => line.Length <= 4)), Is.EqualTo("武汉种子基金"), "nothing lost or added");
    }

    private static bool Ink(SKColor c) => c.Red < 195 || c.Green < 195 || c.Blue < 195;

    /// <summary>
    /// The extent of the ink above each panel's data frame: from the top, or from a panel's separating rule (a light
    /// grey line across), down to the frame's top edge (a dark line across at least 40% of the image); in a chart
    /// without a frame, of all its ink.
    /// </summary>
    private static List<(int Top, int Left, int Right)> TitleInk(SKBitmap bitmap)
    {
        int w = bitmap.Width;
        var bands = new List<(int Top, int Left, int Right)>();
        int top = 0, left = w, right = -1;
        bool inBand = true;
        for (int y = 0; y < bitmap.Height; y++)
        {
            int run = 0, longestInk = 0, longestRule = 0, ruleRun = 0;
            for (int x = 0; x < w; x++)
            {
                var c = bitmap.GetPixel(x, y);
                run = Ink(c) ? run + 1 : 0;
                longestInk = Math.Max(longestInk, run);
                ruleRun = c.Red is >= 195 and <= 215 && c.Red == c.Green && c.Green == c.Blue ? ruleRun + 1 : 0;
                longestRule = Math.Max(longestRule, ruleRun);
            }
            if (inBand && longestInk >= 0.4 * w)
            {
                if (right >= 0) bands.Add((top, left, right));
                inBand = false;
                continue;
            }
            if (!inBand && longestRule >= 0.8 * w)
            {
                (inBand, top, left, right) = (true, y + 1, w, -1);
                continue;
            }
            if (!inBand) continue;
            for (int x = 0; x < w; x++)
            {
                if (!Ink(bitmap.GetPixel(x, y))) continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
            }
        }
        // A chart without a frame (a figure written out as text): all its ink must keep off the edges.
        if (inBand && right >= 0) bands.Add((top, left, right));
        return bands;
    }
}
