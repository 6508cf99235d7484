using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Html;

/// <summary>What a plot is and how to read it, from its file name (the names ResultPlots and ComparisonPlots write).</summary>
/// <param name="File">File name, relative to the result folder.</param>
/// <param name="Heading">Short heading above the chart.</param>
/// <param name="Caption">One line telling a reader how to read it.</param>
/// <param name="IsComparison">Whether it belongs to the comparison section (comparison*.png, tornado*.png).</param>
internal sealed record PlotInfo(string File, string Heading, string Caption, bool IsComparison);

/// <summary>
/// Captions of the charts. A chart without a reading guide gets misread (a log axis, a cut-off bar, a mean
/// against a percentile), so every chart gets one line saying what the marks mean.
/// </summary>
internal static class PlotCaptions
{
    /// <summary>The heading and caption of <paramref name="file"/>.</summary>
    public static PlotInfo Describe(string file, SimulationResult result, ComparisonResult? comparison)
    {
        string name = Path.GetFileNameWithoutExtension(file);
        if (name.StartsWith("lossratio-", StringComparison.Ordinal))
        {
            string fund = name["lossratio-".Length..];
            var f = result.Funds.FirstOrDefault(x => x.Fund.Name == fund);
            string tolerance = f is null ? "the tolerance" : f.Fund.Type == FundType.Direct
                ? $"the per-project tolerance ({HtmlText.Tolerance(f.Fund.Tolerance)})"
                : $"the tolerance ({HtmlText.Tolerance(f.Fund.Tolerance)})";
            return new PlotInfo(file, $"Loss ratio — {fund}",
                $"Bars: share of trials per loss-ratio bin (loss as a share of the amount invested). Red line: {tolerance}; trials to its right breach it. " +
                "Dashed black line: the mean; dotted grey line: the 99th percentile. A bar cut off at the top is labelled with its height.", false);
        }
        if (name == "exceedance")
        {
            return new PlotInfo(file, "Exceedance curves",
                "Each curve: the probability (log scale) that a fund's loss ratio exceeds the value on the horizontal axis; the thick black curve is the programme pooled over its life. " +
                "Diamonds: each series' tolerance, so the height there is its breach probability; one step down the axis is ten times less likely. " +
                "Shaded: 95% bands, wide where a tail rests on a handful of trials.", false);
        }
        if (name == "breach")
        {
            return new PlotInfo(file, "Breach probabilities",
                "Bars: probability of breaching the loss tolerance per fund and for the programme (life-cycle evaluation). " +
                "Whiskers: 95% confidence intervals; where two whiskers overlap, the difference may be Monte Carlo noise.", false);
        }
        if (Scheme(name, "loss-") is { } loss)
        {
            return new PlotInfo(file, $"Credit losses — {loss}",
                "Bars: share of trials per bin of total credit loss (million CNY). Dashed black line: the mean; dotted grey line: the 99th percentile; " +
                "red line: the expected shortfall (mean of the worst 1% of trials), the figure to size a compensation pool against.", false);
        }
        if (Scheme(name, "parties-") is { } parties)
        {
            return new PlotInfo(file, $"Who pays — {parties}",
                "Stacked bars: what each party pays in an average trial (left) and in the worst 1% of trials (right), in million CNY. " +
                "Where the split differs from the contract shares, the pool's budget or cap or the guarantor's insolvency moved losses between parties.", false);
        }
        if (Scheme(name, "capital-") is { } capital)
        {
            return new PlotInfo(file, $"Guarantor capital — {capital}",
                "Line: the guarantor's median capital at the end of each year (million CNY); shaded band: 5th to 95th percentile of trials. " +
                "Below the red dashed zero line the guarantor is insolvent.", false);
        }
        if (Scheme(name, "exhaustion-") is { } exhaustion)
        {
            bool guarantor = result.Guarantees.FirstOrDefault(g => g.Guarantee.Name == exhaustion)?.Guarantee.Guarantor is not null;
            return guarantor
                ? new PlotInfo(file, $"Pool exhaustion and insolvency — {exhaustion}",
                    "Lines: probability that the government pool has run out (green) and that the guarantor is insolvent (blue) by the end of each year; " +
                    "the year a line rises is when a budget or capital top-up would be needed.", false)
                : new PlotInfo(file, $"Pool exhaustion — {exhaustion}",
                    "Line: probability that the government pool has run out by the end of each year; " +
                    "the year it rises is when a budget top-up would be needed.", false);
        }
        if (name == "convergence")
        {
            return new PlotInfo(file, "Convergence",
                "Each curve: a watched figure's running estimate divided by its final value as trials were added, shaded with its 95% band; " +
                "the band around 1 is the precision target, and a run stops once every curve's band has narrowed into it.", false);
        }
        if (name.StartsWith("tornado", StringComparison.Ordinal))
        {
            string output = comparison?.Base.Sensitivity?.Output ?? "the output";
            return new PlotInfo(file, "Sensitivity (tornado)",
                $"Each bar: how far {output} moves from its base value when one input is moved down and up by its step, all else unchanged; " +
                "the longest bars, on top, are the inputs that matter most. Exact swings with their standard errors are in the table below.", true);
        }
        if (name.StartsWith("comparison", StringComparison.Ordinal))
        {
            return new PlotInfo(file, "Variants compared",
                "Key figures of the base and of each variant, all run on the same random numbers, so the differences between them are the effect of the settings, " +
                "not noise; exact differences ± paired standard errors are in the table below.", true);
        }
        return new PlotInfo(file, name, "Chart written with the results; see the tables for the exact figures.", false);
    }

    private static string? Scheme(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;
}
