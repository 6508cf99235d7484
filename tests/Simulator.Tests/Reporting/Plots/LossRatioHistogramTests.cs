using Simulator.Core.Funds;
using SkiaSharp;
using Simulator.Core.Engine;
using Simulator.Reporting.Plots;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Plots;

/// <summary>
/// The loss-ratio histogram read back from its pixels: the tolerance line is drawn where the tolerance is, on the
/// chart's linear x axis, and spans the plot's height (not only its legend sample).
/// </summary>
public class LossRatioHistogramTests
{
    private static string Scenario(double tolerance) => $$"""
        { "name": "hist", "simulation": { "trials": 2000, "seed": 3 },
          "funds": [ { "name": "a", "type": "seed", "commitment": 1e8, "deals": 20, "check": 4e6, "tolerance": {{tolerance.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } ] }
        """;

    /// <summary>The x pixel of the longest vertical run of the tolerance colour, and that run's length.</summary>
    private static (int X, int Run) ToleranceLine(double tolerance)
    {
        var result = TestScenarios.Run(Scenario(tolerance));
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "h.png");
        LossRatioHistogram.Write(result.Funds[0], "hist", path);
        using var bitmap = SKBitmap.Decode(path);
        var red = new SKColor(0xD6, 0x27, 0x28);
        int bestX = -1, bestRun = 0;
        for (int x = 0; x < bitmap.Width; x++)
        {
            int run = 0;
            for (int y = 0; y < bitmap.Height; y++)
            {
                var c = bitmap.GetPixel(x, y);
                bool isRed = Math.Abs(c.Red - red.Red) < 12 && Math.Abs(c.Green - red.Green) < 12 && Math.Abs(c.Blue - red.Blue) < 12;
                run = isRed ? run + 1 : 0;
                if (run > bestRun) (bestX, bestRun) = (x, run);
            }
        }
        return (bestX, bestRun);
    }

    [Test]
    public void Write_ThreeTolerances_LineMovesLinearlyAcrossThePlot()
    {
        var low = ToleranceLine(0.2);
        var mid = ToleranceLine(0.5);
        var high = ToleranceLine(0.8);
        Assert.Multiple(() =>
        {
            Assert.That(low.X, Is.LessThan(mid.X));
            Assert.That(mid.X, Is.LessThan(high.X));
            // The axis runs linearly from -0.01 to 1.01: 0.5 sits halfway between 0.2 and 0.8, to within the line's width.
            Assert.That(mid.X, Is.EqualTo((low.X + high.X) / 2.0).Within(2.5));
            // A line over the plot's height, not the legend's short sample.
            Assert.That(Math.Min(low.Run, Math.Min(mid.Run, high.Run)), Is.GreaterThan(200));
        });
    }
}
