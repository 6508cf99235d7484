using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScottPlot;
using Simulator.Core.Comparison;
using Simulator.Core.Scenarios;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Plots;

/// <summary>
/// What the comparison charts need to know about key figures: which are headlines, how each is named for a reader,
/// the unit it is shown in and the colour its fund or scheme keeps on every panel.
/// </summary>
internal static partial class ComparisonFigures
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Half-width of a 95% interval in standard errors.</summary>
    internal const double Z95 = 1.96;

    /// <summary>Whether <paramref name="f"/> is a fund's or the programme's breach probability.</summary>
    internal static bool IsBreach(KeyFigure f) => f.Name.EndsWith(".breachProbability", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="f"/> is a scheme's government cost.</summary>
    internal static bool IsGovernmentCost(KeyFigure f) => f.Name.EndsWith(".governmentCost", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="f"/> is a scheme's fiscal leverage.</summary>
    internal static bool IsLeverage(KeyFigure f) => f.Name.EndsWith(".fiscalLeverage", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="f"/> is a fund's mean net IRR to its private LPs.</summary>
    internal static bool IsPrivateIrr(KeyFigure f) => f.Name.EndsWith(".netIrrPrivateLp", StringComparison.Ordinal);

    /// <summary>The programme's breach probability, the headline of a programme of funds.</summary>
    internal const string ProgrammeBreach = "programme.breachProbability";

    /// <summary>The field part of a figure name (breachProbability, governmentCost, …).</summary>
    internal static string Measure(KeyFigure f) => f.Name[(f.Name.LastIndexOf('.') + 1)..];

    /// <summary>The measure in words: "breach probability", "government cost".</summary>
    internal static string MeasureWords(KeyFigure f) => Measure(f) switch
    {
        "breachProbability" => "breach probability",
        "p99LossRatio" => "99th-percentile loss ratio",
        "meanLoss" => "mean credit loss",
        "p99Loss" => "99th-percentile credit loss",
        "governmentCost" => "government cost",
        "exhaustionProbability" => "probability the government pool is exhausted",
        "insolvencyProbability" => "probability the guarantor becomes insolvent",
        "fiscalLeverage" => "fiscal leverage",
        "netMultiplePrivateLp" => "net multiple to private LPs",
        "netIrrPrivateLp" => "net IRR to private LPs",
        "netMultipleGovernment" => "net multiple to the government",
        "netIrrGovernment" => "net IRR to the government",
        var other => other,
    };

    /// <summary>"programme breach probability", "tech-sme government cost".</summary>
    internal static string Describe(KeyFigure f) => $"{f.Item} {MeasureWords(f)}";

    /// <summary>Legend name of a figure's fund, scheme or the programme.</summary>
    internal static string ItemLabel(KeyFigure f) => f.Item == "programme" ? BreachChart.ProgrammeLabel : f.Item;

    /// <summary>Factor from the figure's own unit to the unit it is drawn in (percent, million CNY, x).</summary>
    internal static double Scale(KeyFigure f) => f.Unit switch
    {
        FigureUnit.Probability or FigureUnit.LossRatio or FigureUnit.Rate => 100,
        FigureUnit.Money => 1 / FigureText.Million,
        _ => 1,
    };

    /// <summary>Whether the figure is a share drawn in percent (differences in percentage points).</summary>
    internal static bool IsShare(KeyFigure f) => f.Unit is FigureUnit.Probability or FigureUnit.LossRatio or FigureUnit.Rate;

    /// <summary>Axis unit of a value: "%", "million CNY" or "×".</summary>
    internal static string ValueUnit(KeyFigure f) => IsShare(f) ? "%" : f.Unit == FigureUnit.Money ? FigureText.MoneyUnit : "×";

    /// <summary>Axis unit of a difference: "percentage points", "million CNY" or "×".</summary>
    internal static string DiffUnit(KeyFigure f) => IsShare(f) ? "percentage points" : f.Unit == FigureUnit.Money ? FigureText.MoneyUnit
        : f.Unit == FigureUnit.Multiple ? "×, of the money paid in" : LeverageUnit;

    /// <summary>How fiscal leverage reads: the amount guaranteed per yuan of government cost.</summary>
    internal const string LeverageUnit = "×, CNY guaranteed per CNY of government cost";

    /// <summary>
    /// A difference signed, with its short unit: "+3.44 pt", "-99.1M", "+40.8×"; the digits as the report's tables and
    /// the console write them (<see cref="FigureText"/>).
    /// </summary>
    internal static string DiffLabel(KeyFigure f, double diff) => WithShortUnit(f, FigureText.Difference(f.Unit, diff), diff);

    /// <summary>A value with its short unit: "6.94%", "199.2M", "41.2×".</summary>
    internal static string ValueLabel(KeyFigure f, double value) => WithShortUnit(f, FigureText.Value(f.Unit, value), value);

    /// <summary>An unsigned spread (half a confidence interval) with its short unit: "±0.16 pt", "±2.1M".</summary>
    internal static string SpreadLabel(KeyFigure f, double spread) => "±" + WithShortUnit(f, FigureText.Spread(f.Unit, spread), spread);

    // Amounts carry no unit in the tables, whose headers name it; on a chart an "M" says what they are.
    private static string WithShortUnit(KeyFigure f, string text, double x) => f.Unit == FigureUnit.Money && double.IsFinite(x) ? text + "M" : text;

    /// <summary>Tick labels of a colour bar of values in percent: digits to suit the size (12.3, 1.23, 0.012).</summary>
    internal static string PercentTick(double v)
    {
        double a = Math.Abs(v);
        if (a == 0) return "0%";
        string format = a >= 1000 ? "#,0" : a >= 10 ? "0.0" : a >= 0.1 ? "0.00" : "0." + new string('0', Math.Min(6, (int)Math.Ceiling(-Math.Log10(a)) + 1));
        return v.ToString(format, Inv) + "%";
    }

    /// <summary>Tick labels of a difference axis: signed, so a reader sees at once which side is worse.</summary>
    internal static string DiffTick(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString("+#,0.###;-#,0.###", Inv);

    /// <summary>Colour of a figure's fund, scheme or the programme: the fund's or scheme's position in the file.</summary>
    internal static Color ItemColor(Scenario scenario, KeyFigure f)
    {
        bool fundMeasure = Measure(f) is "breachProbability" or "p99LossRatio" || f.Unit is FigureUnit.Multiple or FigureUnit.Rate;
        if (fundMeasure && f.Item == "programme") return PlotStyle.ProgrammeColor;
        int index = fundMeasure
            ? scenario.Funds.Select(x => x.Name).ToList().IndexOf(f.Item)
            : scenario.Guarantees.Select(x => x.Name).ToList().IndexOf(f.Item);
        if (index >= 0) return PlotStyle.SeriesColor(index);
        // Items that are neither a fund nor a scheme (a vintage, a fund-of-funds, a bond, a book of firms) take the
        // colours after the funds' and schemes', in the order of the scenario's key figures, so no two share one grey.
        var others = scenario.Instruments().SelectMany(i => i.KeyFigures).Select(k => k.Figure.Item).Distinct()
            .Where(item => item != "programme" && !scenario.Funds.Any(x => x.Name == item) && !scenario.Guarantees.Any(x => x.Name == item)).ToList();
        int other = others.IndexOf(f.Item);
        return other >= 0 ? PlotStyle.SeriesColor(scenario.Funds.Count + scenario.Guarantees.Count + other) : Colors.Gray;
    }

    /// <summary>
    /// The value of a numeric field at <paramref name="path"/> in the base scenario as run (defaults filled in), or
    /// null when the path holds no number; used to mark the base on a sweep's axis.
    /// </summary>
    internal static double? BaseNumber(Scenario scenario, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonSerializer.SerializeToNode(scenario.Spec(), Formats.Serializer);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        string text = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        foreach (Match m in PathSegment().Matches(text))
        {
            if (node is null) return null;
            if (m.Groups["field"].Success) node = (node as JsonObject)?[m.Groups["field"].Value];
            else if (node is not JsonArray array) return null;
            else if (m.Groups["index"].Success)
            {
                int k = int.Parse(m.Groups["index"].Value, Inv);
                node = k < array.Count ? array[k] : null;
            }
            else node = array.FirstOrDefault(n => (n as JsonObject)?["name"] is JsonValue v && v.TryGetValue(out string? s) && s == m.Groups["item"].Value);
        }
        return node is JsonValue value && value.TryGetValue(out double d) ? d : null;
    }

    [GeneratedRegex(@"\.?(?<field>[A-Za-z0-9_-]+)|\[(?<index>[0-9]+)\]|\[(?<item>[A-Za-z0-9][A-Za-z0-9_-]*)\]")]
    private static partial Regex PathSegment();

    /// <summary>How the values of a swept or varied path are shown: the axis label and the tick text.</summary>
    /// <param name="Label">Axis label: the path and its unit.</param>
    /// <param name="Format">Text of a value as written in the scenario.</param>
    internal sealed record PathAxis(string Label, Func<double, string> Format);

    private static readonly HashSet<string> ShareLeaves = new(StringComparer.Ordinal)
    {
        "pd", "lgd", "writeOff", "governmentShare", "yield", "guarantor", "reGuarantee", "bank", "government",
        "management", "carry", "hurdle",
    };

    private static readonly HashSet<string> MoneyLeaves = new(StringComparer.Ordinal)
    {
        "commitment", "capital", "budget", "median", "check", "maxPerBorrower", "amount", "mean",
    };

    /// <summary>
    /// The axis of a path's values: shares (tolerances, rates, probabilities, party shares) in percent, amounts in
    /// million CNY, anything else as written in the scenario file, since its unit is the file's.
    /// </summary>
    internal static PathAxis AxisFor(string path, IEnumerable<double> values)
    {
        var list = values.ToList();
        string leaf = Leaf(path);
        bool shareLike = path.Contains("tolerance", StringComparison.Ordinal) || leaf.EndsWith("Rate", StringComparison.Ordinal)
            || ShareLeaves.Contains(leaf);
        if (shareLike && list.All(v => v >= 0 && v <= 1))
            return new PathAxis($"{path} (%)", v => (v * 100).ToString("0.##", Inv) + "%");
        if (MoneyLeaves.Contains(leaf) && list.Any(v => Math.Abs(v) >= 1e4))
            return new PathAxis($"{path} ({FigureText.MoneyUnit})", v => GuaranteeText.MoneyTick(v / FigureText.Million));
        return new PathAxis($"{path} (value as set in the scenario)", Raw);
    }

    /// <summary>A value of a scenario field as a reader would write it: 0.35, 12, 4.2e8 as 420M.</summary>
    internal static string Raw(double v)
    {
        double a = Math.Abs(v);
        if (a >= 1e6) return (v / 1e6).ToString("#,0.###", Inv) + "M";
        return v.ToString("0.####", Inv);
    }

    /// <summary>The last field of a path (policy.tolerance.seed → seed).</summary>
    internal static string Leaf(string path)
    {
        string leaf = path;
        foreach (Match m in PathSegment().Matches(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path))
            if (m.Groups["field"].Success) leaf = m.Groups["field"].Value;
        return leaf;
    }
}
