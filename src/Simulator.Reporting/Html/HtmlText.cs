using System.Globalization;
using System.Net;

namespace Simulator.Reporting.Html;

/// <summary>
/// Encoding and the input numbers of the HTML pages (figures read as <see cref="Numbers.FigureText"/> writes them).
/// Everything is formatted with the invariant culture so a report reads the same on every machine and its bytes do
/// not depend on the user's locale.
/// </summary>
internal static class HtmlText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Decodes HTML entities (to reuse a formatted cell's text in a tooltip, which is encoded again).</summary>
    public static string Decode(string html) => WebUtility.HtmlDecode(html);

    /// <summary>HTML-encodes a string (null reads as empty).</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A plain input number: large amounts with separators, others as written (up to six decimals).</summary>
    public static string Plain(double x)
    {
        if (double.IsNaN(x)) return Numbers.FigureText.NotAvailable;
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
