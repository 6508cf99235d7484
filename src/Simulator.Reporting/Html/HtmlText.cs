using System.Globalization;
using System.Net;

namespace Simulator.Reporting.Html;

/// <summary>
/// Encoding and the number formats of the HTML pages. Everything is formatted with the invariant culture so a
/// report reads the same on every machine and its bytes do not depend on the user's locale.
/// </summary>
internal static class HtmlText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One million CNY, the unit of every amount on the pages.</summary>
    public const double Million = 1e6;

    /// <summary>Shown for a figure that is undefined (NaN) in the result.</summary>
    public const string NotAvailable = "n/a";

    /// <summary>Decodes HTML entities (to reuse a formatted cell's text in a tooltip, which is encoded again).</summary>
    public static string Decode(string html) => WebUtility.HtmlDecode(html);

    /// <summary>HTML-encodes a string (null reads as empty).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// A fraction as a percentage with <paramref name="decimals"/> decimals. A non-zero value that would round to
    /// zero gets two significant digits instead: "0.00%" next to an event that did happen would tell a reader it
    /// never does.
    /// </summary>
    public static string Percent(double fraction, int decimals)
    {
        if (double.IsNaN(fraction)) return NotAvailable;
        double pct = fraction * 100;
        double unit = Math.Pow(10, -decimals) / 2;
        if (pct != 0 && Math.Abs(pct) < unit)
        {
            int d = Math.Min(12, 1 - (int)Math.Floor(Math.Log10(Math.Abs(pct))));
            return pct.ToString("F" + d, Invariant) + "%";
        }
        return pct.ToString("F" + decimals, Invariant) + "%";
    }

    /// <summary>A probability: percent with two decimals (the console's and the breach chart's precision).</summary>
    public static string Probability(double p) => Percent(p, 2);

    /// <summary>A loss ratio or an IRR: percent with one decimal.</summary>
    public static string Ratio(double x) => Percent(x, 1);

    /// <summary>A tolerance: as many decimals as it has (80%, 71.3%), at most one.</summary>
    public static string Tolerance(double x) => double.IsNaN(x) ? NotAvailable : (x * 100).ToString("0.#", Invariant) + "%";

    /// <summary>An amount in CNY shown in million CNY with one decimal and thousands separators.</summary>
    public static string Money(double cny)
    {
        if (double.IsNaN(cny)) return NotAvailable;
        double m = cny / Million;
        if (m != 0 && Math.Abs(m) < 0.05)
        {
            int d = Math.Min(8, 1 - (int)Math.Floor(Math.Log10(Math.Abs(m))));
            return m.ToString("N" + d, Invariant);
        }
        return m.ToString("N1", Invariant);
    }

    /// <summary>A net multiple of the money paid in.</summary>
    public static string Multiple(double x) => double.IsNaN(x) ? NotAvailable : x.ToString("F2", Invariant) + "×";

    /// <summary>Fiscal leverage: guaranteed amount per yuan of government cost; infinite when the government never pays.</summary>
    public static string Leverage(double x) =>
        double.IsNaN(x) ? NotAvailable : double.IsInfinity(x) ? "∞" : x.ToString("N1", Invariant) + "×";

    /// <summary>A count or mean count, with thousands separators and up to one decimal.</summary>
    public static string Count(double x) => double.IsNaN(x) ? NotAvailable : x.ToString("#,0.#", Invariant);

    /// <summary>An integer with thousands separators.</summary>
    public static string Integer(long x) => x.ToString("N0", Invariant);

    /// <summary>A plain input number: large amounts with separators, others as written (up to six decimals).</summary>
    public static string Plain(double x)
    {
        if (double.IsNaN(x)) return NotAvailable;
        if (double.IsPositiveInfinity(x)) return "∞";
        return Math.Abs(x) >= 1e5 ? x.ToString("#,0.######", Invariant) : x.ToString("0.######", Invariant);
    }

    /// <summary>Whether a text holds Chinese (or Japanese) characters: decides the page language.</summary>
    public static bool HasCjk(string? text) => text is not null && text.Any(c =>
        c is >= '\u3000' and <= '\u303F' or >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF'
            or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF');

    /// <summary>The invariant round-trip text of a value for a <c>data-v</c> attribute (sorting, checking); null when undefined.</summary>
    public static string? DataValue(double x) => double.IsNaN(x) ? null : double.IsPositiveInfinity(x) ? "Infinity" : Formats.Number(x);
}
