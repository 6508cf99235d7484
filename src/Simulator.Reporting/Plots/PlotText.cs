using System.Globalization;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Number wording shared by the charts, so that a probability reads the same in a legend, a bar label and
/// summary.json's neighbours in the report; always invariant culture so plots do not change with the machine.
/// </summary>
internal static class PlotText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A share in [0, 1] as a whole percent, for axis ticks at round values.</summary>
    internal static string TickPercent(double share) => (share * 100).ToString("0.##", Inv) + "%";

    /// <summary>A loss ratio or tolerance as a percent with at most one decimal (80%, 23.4%).</summary>
    internal static string Percent(double share) => (share * 100).ToString("0.#", Inv) + "%";

    /// <summary>
    /// A probability as a percent with enough digits to tell small tail probabilities apart (3.21%, 0.0042%);
    /// exact 0 and 1 stay short because they are common (a fund that never or always breaches).
    /// </summary>
    internal static string Probability(double p) => ProbabilityNumber(p) + "%";

    /// <summary>The 95% interval as "3.10–3.32%".</summary>
    internal static string Interval(double low, double high) => ProbabilityNumber(low) + "–" + Probability(high);

    /// <summary>"3.21% (95% CI 3.10–3.32%)".</summary>
    internal static string ProbabilityWithInterval(double p, double low, double high) =>
        $"{Probability(p)} (95% CI {Interval(low, high)})";

    /// <summary>A trial count with thousands separators (20,000).</summary>
    internal static string Count(long n) => n.ToString("N0", Inv);

    /// <summary>The fund type as the scenario file spells it.</summary>
    internal static string TypeName(FundType type) => type switch
    {
        FundType.Seed => "seed",
        FundType.Angel => "angel",
        FundType.Venture => "venture",
        _ => "direct",
    };

    /// <summary>How a fund's tolerance reads; a direct programme's tolerance applies to each project alone.</summary>
    internal static string ToleranceText(Fund fund) =>
        fund.Type == FundType.Direct ? $"per-project tolerance {Percent(fund.Tolerance)}" : $"tolerance {Percent(fund.Tolerance)}";

    private static string ProbabilityNumber(double p)
    {
        double v = p * 100;
        if (v <= 0) return "0";
        if (v >= 100) return "100";
        // Two significant digits at least, two decimals at most for ordinary sizes, so 3.21 and 0.0042 both read
        // well; near 100% the distance to 100 sets the digits, or 99.98% would print as 100.0%.
        int decimals = 100 - v < 0.1 ? Decimals(100 - v) : Decimals(v);
        return v.ToString("F" + decimals.ToString(Inv), Inv);
    }

    private static int Decimals(double v) => v >= 10 ? 1 : v >= 0.1 ? 2 : Math.Min(6, (int)Math.Ceiling(-Math.Log10(v)) + 1);

    /// <summary>Formats percent ticks of a linear axis, hiding those above 100% that exist only as head room for
    /// labels and legend: a "120%" tick would read as nonsense.</summary>
    internal static string PercentTick(double percent) =>
        percent > 100.0000001 || percent < -0.0000001 ? "" : percent.ToString("0.###", Inv) + "%";
}
