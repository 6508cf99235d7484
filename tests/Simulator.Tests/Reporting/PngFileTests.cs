using SkiaSharp;
using Simulator.Reporting.Plots;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

/// <summary>Charts are encoded with faster PNG settings than ScottPlot's; the pixels must be ScottPlot's own.</summary>
public class PngFileTests
{
    [Test]
    public void Write_Chart_SamePixelsAsScottPlotsSavePng()
    {
        using var dir = new TempDirectory();
        var rng = new Random(2);
        using var plot = PlotStyle.Create("Loss ratio — 测试 fund", "loss ratio", "share of trials (%)");
        plot.Add.Bars(Enumerable.Range(0, 40).Select(_ => rng.NextDouble() * 10).ToArray());
        plot.Add.VerticalLine(20, 2, ScottPlot.Colors.Red);
        PlotFonts.Apply(plot);
        string ours = Path.Combine(dir.Path, "ours.png"), theirs = Path.Combine(dir.Path, "theirs.png");
        PngFile.Write(plot, ours, 800, 500);
        plot.SavePng(theirs, 800, 500);

        using var a = SKBitmap.Decode(ours);
        using var b = SKBitmap.Decode(theirs);
        Assert.That((a.Width, a.Height), Is.EqualTo((800, 500)));
        Assert.That((b.Width, b.Height), Is.EqualTo((800, 500)));
        var pa = a.Pixels;
        var pb = b.Pixels;
        Assert.That(pa.Count(p => p != pa[0]), Is.GreaterThan(1000), "the chart was drawn");
        Assert.That(pa, Is.EqualTo(pb), "pixels");
        Assert.That(new FileInfo(ours).Length, Is.LessThan(1.3 * new FileInfo(theirs).Length), "size (the run's charts: about 6% larger)");
    }
}
