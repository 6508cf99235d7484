using System.Text;

namespace Simulator.Reporting.Html;

/// <summary>
/// The shell shared by report.html and index.html: one self-contained file with inline CSS and scripts, a
/// content-security policy that forbids every network request (a forwarded report must never phone home or
/// depend on a server), and a font stack that renders Chinese titles on Linux, Windows and macOS alike.
/// </summary>
internal static class HtmlPage
{
    /// <summary>Line break of every page: fixed so the bytes are the same on every OS.</summary>
    public const string NewLine = "\n";

    /// <summary>
    /// Fonts: a Latin family first for digits and symbols, then the CJK families of Linux, Windows and macOS for
    /// Chinese. With a CJK font first, a page in lang="zh" draws ±, ×, · and – as full-width glyphs, which breaks up
    /// "5.62% ± 0.10%"; the browser takes each character from the first family that has it, so Chinese still
    /// renders wherever one of the CJK families is installed.
    /// </summary>
    public const string FontStack =
        "\"Segoe UI\", \"Helvetica Neue\", Arial, \"Liberation Sans\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", \"Hiragino Sans GB\", \"WenQuanYi Micro Hei\", sans-serif";

    /// <summary>The page's style sheet (Html/report.css); <c>FONTS</c> in it stands for <see cref="FontStack"/>.</summary>
    private static readonly string Css = Resource("report.css").Replace("FONTS", FontStack, StringComparison.Ordinal);

    /// <summary>
    /// Records problems in the DOM so a headless browser can check a page without a driver (Html/check.js): after
    /// load, <c>data-broken-images</c> (images that did not decode), <c>data-clipped-tables</c> (ids of tables wider
    /// than the page at the window's width, whose last columns a reader must scroll to), <c>data-script-errors</c>
    /// (every uncaught error) and <c>data-checked</c> (the check ran at all). It sits in the head so it also sees
    /// errors of later scripts.
    /// </summary>
    private static readonly string CheckScript = Resource("check.js");

    /// <summary>
    /// Click (or Enter on) a header of a <c>table.sortable</c> to sort by it; again to reverse (Html/sort.js). Numeric
    /// columns sort by each cell's exact <c>data-v</c>, blanks last in either direction; text columns compare as text.
    /// A fragment <c>#sort=N</c> or <c>#sort=N-desc</c> sorts the first table on load (and lets a headless browser test it).
    /// </summary>
    private static readonly string SortScript = Resource("sort.js");

    /// <summary>A complete page around <paramref name="body"/> (the content of &lt;main&gt;).</summary>
    public static string Render(string language, string title, string body, bool sortable, bool wide = false)
    {
        var sb = new StringBuilder(body.Length + 8192);
        sb.Append("<!DOCTYPE html>\n");
        sb.Append("<html lang=\"").Append(language).Append("\">\n<head>\n");
        sb.Append("<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // No request of any kind may leave the page: images are data: URIs, styles and scripts inline.
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
        sb.Append("<meta name=\"generator\" content=\"").Append(HtmlText.Encode(ProgramInfo.NameAndVersion)).Append("\">\n");
        sb.Append("<title>").Append(HtmlText.Encode(title)).Append("</title>\n");
        sb.Append("<style>\n").Append(Css).Append("\n</style>\n");
        sb.Append("<script>\n").Append(CheckScript).Append("\n</script>\n");
        sb.Append("</head>\n<body>\n").Append(wide ? "<main class=\"wide\">\n" : "<main>\n");
        sb.Append(body);
        sb.Append("</main>\n");
        if (sortable) sb.Append("<script>\n").Append(SortScript).Append("\n</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes a page as UTF-8 without a byte-order mark.</summary>
    public static void Write(string path, string html) => File.WriteAllText(path, html, new UTF8Encoding(false));

    /// <summary>
    /// The text of an embedded file of Html/ (EmbeddedResource in the project file), with '\n' line ends and without
    /// the final line end: the pages must not depend on how the repository was checked out, and each piece is
    /// followed by the page's own line end.
    /// </summary>
    private static string Resource(string name)
    {
        using var stream = typeof(HtmlPage).Assembly.GetManifestResourceStream("Simulator.Reporting.Html." + name)
            ?? throw new InvalidOperationException($"embedded resource Html/{name} is missing from the build");
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
    }
}
