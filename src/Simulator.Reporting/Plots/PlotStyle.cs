using ScottPlot;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The look every chart shares (size, font sizes, colours) and the one place plots are saved, so fonts are
/// chosen for all text however the chart was built.
/// </summary>
internal static class PlotStyle
{
    /// <summary>Image width in pixels: wide enough for fund names under bars and long legend entries.</summary>
    internal const int Width = 1000;

    /// <summary>Image height in pixels.</summary>
    internal const int Height = 600;

    /// <summary>Colour of the programme (pooled) series; dark so it stands apart from the funds' palette.</summary>
    internal static readonly Color ProgrammeColor = Color.FromHex("#222222");

    /// <summary>Colour of tolerance lines: the one thing a reader must not miss.</summary>
    internal static readonly Color ToleranceColor = Color.FromHex("#D62728");

    // Category10 without its red, which is reserved for tolerances, then Category20's lighter tones of the same hues
    // (its light red left out too): a programme of vintages and a fund-of-funds has ten or more series in one chart,
    // and with nine colours the tenth bar took the first fund's blue (wuhan-vintages-fof's comparison chart).
    private static readonly string[] SeriesHex =
        ["#1F77B4", "#FF7F0E", "#2CA02C", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
         "#AEC7E8", "#FFBB78", "#98DF8A", "#C5B0D5", "#C49C94", "#F7B6D2", "#C7C7C7", "#DBDB8D", "#9EDAE5"];

    /// <summary>Colour of the <paramref name="index"/>-th fund; cycles when there are more funds than colours.</summary>
    internal static Color SeriesColor(int index) => Color.FromHex(SeriesHex[index % SeriesHex.Length]);

    /// <summary>Line pattern of the <paramref name="index"/>-th fund: dashed once the colours repeat, so two funds
    /// never share both colour and pattern (up to twice the palette).</summary>
    internal static LinePattern SeriesPattern(int index) => index / SeriesHex.Length % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;

    /// <summary>A plot with the shared title and axis-label styling.</summary>
    internal static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Axes.Title.Label.FontSize = 18;
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontSize = 15;
            axis.TickLabelStyle.FontSize = 13;
        }
        plot.Legend.FontSize = 13;
        return plot;
    }

    /// <summary>Pixels of a plot's height taken by the title, the x axis and margins rather than the data area.</summary>
    internal const int FrameHeight = 130;

    /// <summary>Fits the title, applies the fonts and writes the PNG; a chart with many funds may ask for a larger size.</summary>
    internal static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        PlotTitle.Fit(plot, width, height);
        PlotFonts.Apply(plot);
        PngFile.Write(plot, path, width, height);
    }

    /// <summary>Labels every histogram bar taller than <paramref name="yTop"/> (cut off at the top) with its share.</summary>
    internal static void LabelCutBars(Plot plot, double[] shares, double width, double yTop)
    {
        for (int i = 0; i < shares.Length; i++)
        {
            if (shares[i] <= yTop) continue;
            bool leftHalf = i < shares.Length / 2;
            // Written beside the bar, towards the middle, so it stays inside the plot.
            double x = leftHalf ? (i + 1) * width : i * width;
            var text = plot.Add.Text($"↑ {FigureText.Ratio(shares[i] / 100)} of trials (bar cut off)", x, yTop);
            text.LabelAlignment = leftHalf ? Alignment.UpperLeft : Alignment.UpperRight;
            text.OffsetX = leftHalf ? 4 : -4;
            text.OffsetY = 4;
            text.LabelFontSize = 13;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.85); // legible where it crosses a marker line
            text.LabelPadding = 2;
        }
    }
}
