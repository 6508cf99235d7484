using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Ticks and colours shared by the guarantee charts. Amounts are always shown in million CNY
/// (<see cref="Numbers.FigureText.Money"/>), the unit of the console summary, so a number read off a chart can be
/// found again in the table printed after the run.
/// </summary>
internal static class GuaranteeText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Tick labels of a million-CNY axis: thousands separators, no trailing zeros; "0" rather than "-0".</summary>
    internal static string MoneyTick(double million) =>
        Math.Abs(million) < 1e-9 ? "0" : million.ToString("#,0.###", Inv);

    /// <summary>
    /// Fewer ticks than ScottPlot's default, which on a 470-px axis puts a label every 25 px; every 40 or so reads
    /// as easily and leaves the grid quieter behind bar labels.
    /// </summary>
    private const double TickDensity = 0.7;

    /// <summary>An automatic tick generator for a million-CNY axis.</summary>
    internal static NumericAutomatic MoneyTicks() => new() { LabelFormatter = MoneyTick, TickDensity = TickDensity };

    /// <summary>An automatic tick generator for a percent axis whose visible range is 0 to <paramref name="spanPercent"/>.</summary>
    internal static NumericAutomatic PercentTicks(double spanPercent) =>
        new() { LabelFormatter = PercentTickFor(spanPercent), TickDensity = TickDensity };

    /// <summary>
    /// Percent tick labels with as many decimals as the tick spacing needs: probabilities of a safe scheme are
    /// hundredths of a percent, and <see cref="PlotText.PercentTick"/>'s three decimals would print 0.0025% as 0.003%.
    /// Labels above 100% and below 0% are hidden like <see cref="PlotText.PercentTick"/> does, since that range is only
    /// head room.
    /// </summary>
    internal static Func<double, string> PercentTickFor(double spanPercent)
    {
        int decimals = spanPercent <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(-Math.Log10(spanPercent / 10)) + 1, 0, 6);
        string format = "0." + new string('#', Math.Max(1, decimals));
        return p => p > 100.0000001 || p < -0.0000001 ? "" : (Math.Abs(p) < 1e-12 ? "0" : p.ToString(format, Inv)) + "%";
    }

    /// <summary>Ticks at whole years only: a fractional year has no meaning for year-end figures.</summary>
    internal static NumericManual YearTicks(int first, int last, Func<int, string>? label = null)
    {
        var ticks = new NumericManual();
        // Every year up to about 15; beyond that every second or fifth so the labels do not crowd.
        int step = last - first <= 15 ? 1 : last - first <= 30 ? 2 : 5;
        for (int t = first; t <= last; t += step) ticks.AddMajor(t, label?.Invoke(t) ?? t.ToString(Inv));
        return ticks;
    }

    /// <summary>The four parties in legend order, with the colour each keeps on every chart.</summary>
    internal static readonly IReadOnlyList<Party> Parties =
    [
        new("Guarantor", Color.FromHex("#1F77B4"), Colors.White),
        new("Re-guarantee", Color.FromHex("#9467BD"), Colors.White),
        new("Bank", Color.FromHex("#FF7F0E"), Colors.Black),
        new("Government pool", Color.FromHex("#2CA02C"), Colors.White),
    ];

    /// <summary>Colour of the guarantor (its capital and insolvency).</summary>
    internal static Color GuarantorColor => Parties[0].Color;

    /// <summary>Colour of the government pool (its exhaustion).</summary>
    internal static Color GovernmentColor => Parties[3].Color;

    /// <summary>Colour of the insolvency line and zone: ScottPlot's red, which the fund charts keep for tolerances,
    /// the line a reader must not miss.</summary>
    internal static Color DangerColor => PlotStyle.ToleranceColor;

    /// <summary>
    /// Rough share of the data area's width and height a legend takes, for reserving room. The data area is the
    /// image less the frame; 21 px per entry, 16 px per extra line of a multi-line entry, 7.3 px per character of
    /// 13 px DejaVu Sans, as in the fund charts.
    /// </summary>
    internal static (double WidthShare, double HeightShare) LegendShare(IReadOnlyCollection<string> entries, int width = PlotStyle.Width, int height = PlotStyle.Height)
    {
        var lines = entries.Select(e => e.Split('\n')).ToList();
        int longest = lines.SelectMany(l => l).Select(l => l.Length).DefaultIfEmpty(0).Max();
        int extra = lines.Sum(l => l.Length - 1);
        double w = (longest * 7.3 + 50) / (width - 110.0);
        double h = (entries.Count * 21 + extra * 16 + 16) / (double)(height - PlotStyle.FrameHeight);
        return (Math.Min(1, w), Math.Min(1, h));
    }

    /// <summary>A legend line with no symbol, for notes that belong with the legend but to no series.</summary>
    internal static LegendItem Note(string text) => new()
    {
        LabelText = text,
        MarkerShape = MarkerShape.None,
        LineWidth = 0,
    };

    /// <summary>A party: its name and colours.</summary>
    /// <param name="Name">Name in legends.</param>
    /// <param name="Color">Fill colour.</param>
    /// <param name="TextColor">Colour of text written on the fill.</param>
    internal sealed record Party(string Name, Color Color, Color TextColor);
}
