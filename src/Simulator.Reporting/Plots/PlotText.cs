using System.Globalization;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Wording and tick labels shared by the charts (their figures read as <see cref="FigureText"/> writes them, as in the
/// report's tables and on the console); always invariant culture so plots do not change with the machine.
/// </summary>
internal static class PlotText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A share in [0, 1] as a whole percent, for axis ticks at round values.</summary>
    internal static string TickPercent(double share) => (share * 100).ToString("0.##", Inv) + "%";

    /// <summary>"3.21% (95% CI 3.10%–3.32%)": a probability and its interval, each as <see cref="FigureText.Probability"/> writes it.</summary>
    internal static string ProbabilityWithInterval(double p, double low, double high) =>
        $"{FigureText.Probability(p)} (95% CI {FigureText.Probability(low)}–{FigureText.Probability(high)})";

    /// <summary>The fund type as the scenario file spells it.</summary>
    internal static string TypeName(FundType type) => type switch
    {
        FundType.Seed => "seed",
        FundType.Angel => "angel",
        FundType.Venture => "venture",
        FundType.Industry => "industry",
        FundType.Buyout => "buyout",
        _ => "direct",
    };

    /// <summary>How a fund's tolerance reads; a direct programme's tolerance applies to each project alone.</summary>
    internal static string ToleranceText(Fund fund) =>
        fund.Type == FundType.Direct ? $"per-project tolerance {FigureText.Tolerance(fund.Tolerance)}" : $"tolerance {FigureText.Tolerance(fund.Tolerance)}";

    /// <summary>Formats percent ticks of a linear axis, hiding those above 100% that exist only as head room for
    /// labels and legend: a "120%" tick would read as nonsense.</summary>
    internal static string PercentTick(double percent) =>
        percent > 100.0000001 || percent < -0.0000001 ? "" : percent.ToString("0.###", Inv) + "%";
}
