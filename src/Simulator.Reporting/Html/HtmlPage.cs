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

    private const string Css = """
        :root { --fg: #1d2330; --muted: #566074; --line: #dde2ea; --head: #eef2f7; --accent: #1f4e99; --bad: #b42318; --good: #067647; --zebra: #f8f9fc; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; font-family: FONTS; color: var(--fg); background: #fff; font-size: 15px; line-height: 1.55; }
        main { max-width: 1160px; margin: 0 auto; padding: 28px 32px 56px; }
        main.wide { max-width: 1480px; }
        td.scenario { font-weight: 600; white-space: nowrap; }
        td.scenario .file { font-weight: 400; font-size: 12.5px; color: var(--muted); }
        td.title { min-width: 200px; max-width: 360px; }
        td.messages { min-width: 220px; max-width: 420px; }
        td.nowrap { white-space: nowrap; }
        table.sortable thead th.num { white-space: normal; min-width: 90px; }
        h1 { font-size: 26px; line-height: 1.3; margin: 0 0 6px; }
        h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 16px; margin: 24px 0 6px; }
        h4 { font-size: 14.5px; margin: 16px 0 4px; }
        table.grid td.name { text-align: left; }
        p { margin: 6px 0 10px; }
        .lede { color: var(--muted); margin-bottom: 4px; }
        .meta { color: var(--muted); font-size: 13px; }
        nav.toc { margin: 14px 0 0; font-size: 14px; }
        nav.toc a { margin-right: 14px; }
        a { color: var(--accent); }
        .note { color: var(--muted); font-size: 13.5px; max-width: 900px; }
        .table-wrap { overflow-x: auto; margin: 6px 0 14px; max-width: 100%; }
        table { border-collapse: collapse; font-size: 14px; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        thead th { background: var(--head); font-weight: 600; border-bottom: 2px solid #c3cbd8; vertical-align: bottom; }
        thead tr.group th { border-bottom: 1px solid #c3cbd8; text-align: center; }
        thead tr.group th.grouped { border-left: 2px solid #fff; border-right: 2px solid #fff; }
        th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.name { white-space: nowrap; font-weight: 600; }
        tbody tr:nth-child(even) td { background: var(--zebra); }
        tr.total td { font-weight: 600; border-top: 2px solid #c3cbd8; }
        td.sig { font-weight: 700; }
        td.muted, span.muted { color: var(--muted); }
        td.wrap { white-space: normal; min-width: 220px; max-width: 520px; }
        td.long { white-space: normal; text-align: left; min-width: 140px; max-width: 300px; }
        table.parameters td.num { white-space: normal; min-width: 92px; max-width: 220px; }
        td.param { font-weight: 400; color: var(--muted); white-space: nowrap; text-align: left; }
        tr.section th { background: #fff; text-align: left; font-weight: 600; padding-top: 12px; border-bottom: 1px solid #c3cbd8; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0 18px; }
        .card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px; padding: 8px 14px; min-width: 210px; max-width: 360px; }
        .card .label { color: var(--muted); font-size: 13px; }
        .card .value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; }
        .card .detail { color: var(--muted); font-size: 13px; }
        figure { margin: 14px 0 30px; }
        figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
        figcaption { color: var(--muted); font-size: 14px; margin-top: 6px; max-width: 1000px; }
        .missing { color: var(--bad); }
        code { font-family: "Noto Sans Mono CJK SC", ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
        .status-ok { color: var(--good); font-weight: 600; }
        .status-invalid, .status-failed { color: var(--bad); font-weight: 600; }
        ul.errors { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
        ul.errors li { word-break: break-word; }
        table.sortable thead th { cursor: pointer; user-select: none; }
        table.sortable thead th::after { content: " \2195"; color: #9aa3b2; font-weight: 400; }
        table.sortable thead th[aria-sort="ascending"]::after { content: " \25B2"; color: var(--fg); }
        table.sortable thead th[aria-sort="descending"]::after { content: " \25BC"; color: var(--fg); }
        details { margin: 14px 0; }
        details > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
        ul.method { margin: 8px 0; padding-left: 20px; max-width: 960px; }
        ul.method li { margin: 3px 0; }
        @media print { main { max-width: none; padding: 0; } figure, table { break-inside: avoid; } .table-wrap { overflow: visible; } }
        """;

    /// <summary>
    /// Records problems in the DOM so a headless browser can check a page without a driver: after load,
    /// <c>data-broken-images</c> (images that did not decode), <c>data-script-errors</c> (every uncaught error) and
    /// <c>data-checked</c> (the check ran at all). It sits in the head so it also sees errors of later scripts.
    /// </summary>
    private const string CheckScript = """
        (function () {
          var errors = [];
          function record() { if (document.body) document.body.setAttribute('data-script-errors', errors.join('\n')); }
          window.addEventListener('error', function (e) {
            if (e instanceof ErrorEvent) { errors.push((e.message || 'error') + ' (line ' + (e.lineno || 0) + ')'); record(); }
          });
          window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); record(); });
          window.addEventListener('load', function () {
            var broken = 0, images = document.images;
            for (var i = 0; i < images.length; i++) { if (!images[i].complete || images[i].naturalWidth === 0) broken++; }
            document.body.setAttribute('data-images', String(images.length));
            document.body.setAttribute('data-broken-images', String(broken));
            record();
            document.body.setAttribute('data-checked', 'true');
          });
        })();
        """;

    /// <summary>
    /// Click (or Enter on) a header of a <c>table.sortable</c> to sort by it; again to reverse. Numeric columns sort
    /// by each cell's exact <c>data-v</c>, blanks last in either direction; text columns compare as text. A fragment
    /// <c>#sort=N</c> or <c>#sort=N-desc</c> sorts the first table on load (and lets a headless browser test it).
    /// </summary>
    private const string SortScript = """
        (function () {
          function numberOf(cell) { var v = cell.getAttribute('data-v'); return v === null || v === '' ? null : parseFloat(v); }
          function textOf(cell) { var v = cell.getAttribute('data-v'); return (v === null ? cell.textContent : v).trim(); }
          function sort(table, th, col) {
            var ascending = th.getAttribute('aria-sort') !== 'ascending';
            var heads = th.parentNode.cells;
            for (var i = 0; i < heads.length; i++) heads[i].removeAttribute('aria-sort');
            th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
            var numeric = th.classList.contains('num');
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col], y = b.cells[col];
              if (numeric) {
                var p = numberOf(x), q = numberOf(y);
                if (p === null || q === null) return p === q ? 0 : p === null ? 1 : -1;
                return ascending ? p - q : q - p;
              }
              var s = textOf(x), t = textOf(y);
              if (s === '' || t === '') return s === t ? 0 : s === '' ? 1 : -1;
              return ascending ? s.localeCompare(t) : t.localeCompare(s);
            });
            for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
          }
          var tables = document.querySelectorAll('table.sortable');
          for (var t = 0; t < tables.length; t++) {
            (function (table) {
              var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
              for (var c = 0; c < heads.length; c++) {
                (function (th, col) {
                  th.tabIndex = 0;
                  th.addEventListener('click', function () { sort(table, th, col); });
                  th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(table, th, col); } });
                })(heads[c], c);
              }
            })(tables[t]);
          }
          // index.html#sort=4-desc opens sorted by the fifth column, largest first: a link can carry the order.
          var m = /^#sort=(\d+)(-desc)?$/.exec(location.hash);
          if (m && tables.length > 0) {
            var row = tables[0].tHead.rows[tables[0].tHead.rows.length - 1], col = parseInt(m[1], 10);
            if (col < row.cells.length) {
              if (m[2]) row.cells[col].setAttribute('aria-sort', 'ascending');
              sort(tables[0], row.cells[col], col);
            }
          }
        })();
        """;

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
        sb.Append("<style>\n").Append(Normalize(Css.Replace("FONTS", FontStack, StringComparison.Ordinal))).Append("\n</style>\n");
        sb.Append("<script>\n").Append(Normalize(CheckScript)).Append("\n</script>\n");
        sb.Append("</head>\n<body>\n").Append(wide ? "<main class=\"wide\">\n" : "<main>\n");
        sb.Append(body);
        sb.Append("</main>\n");
        if (sortable) sb.Append("<script>\n").Append(Normalize(SortScript)).Append("\n</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes a page as UTF-8 without a byte-order mark.</summary>
    public static void Write(string path, string html) => File.WriteAllText(path, html, new UTF8Encoding(false));

    // Raw string literals take the source file's line endings; pages must not depend on how the repository was checked out.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
