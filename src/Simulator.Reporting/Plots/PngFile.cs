using ScottPlot;
using SkiaSharp;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Draws charts into PNG files. The pixels are ScottPlot's own (the plot rendered on a surface as
/// <c>Plot.SavePng</c> renders it); only the PNG encoder's settings differ from ScottPlot's: the "up" row filter and
/// zlib level 3 instead of all five filters tried on every row at level 6. Measured on this project's charts
/// (1000 × 600 to 1000 × 1100 pixels): encoding about 4.5 times faster (a fund histogram 19 → 4 ms, the exceedance
/// chart 42 → 9 ms), files within 5% of the size; encoding was three quarters of the time of drawing a chart.
/// </summary>
internal static class PngFile
{
    private static readonly SKPngEncoderOptions Options = new(SKPngEncoderFilterFlags.Up, 3);

    /// <summary>The surface a chart is drawn on: 32-bit RGBA, premultiplied, as ScottPlot uses.</summary>
    internal static SKSurface CreateSurface(int width, int height) =>
        SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));

    /// <summary>Draws <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels into a PNG file.</summary>
    internal static void Write(Plot plot, string path, int width, int height)
    {
        using var surface = CreateSurface(width, height);
        plot.Render(surface.Canvas, width, height);
        Write(surface, path);
    }

    /// <summary>Encodes what has been drawn on <paramref name="surface"/> into a PNG file.</summary>
    internal static void Write(SKSurface surface, string path)
    {
        using var data = Encode(surface) ?? throw new IOException($"could not encode {path} as PNG");
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>What has been drawn on <paramref name="surface"/> as PNG bytes (null if Skia cannot encode it).</summary>
    internal static SKData? Encode(SKSurface surface)
    {
        using var pixels = surface.PeekPixels();
        return pixels.Encode(Options);
    }
}
