using System.Text;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Html;

/// <summary>A table cell: its inner HTML (already encoded), and for numbers the exact value behind the text.</summary>
/// <param name="Html">Inner HTML.</param>
/// <param name="Value">Exact value for <c>data-v</c> (sorting, and checking the page against summary.json).</param>
/// <param name="Numeric">Right-aligned with tabular digits.</param>
/// <param name="Class">Extra CSS class.</param>
/// <param name="Title">Tooltip.</param>
internal sealed record Cell(string Html, string? Value = null, bool Numeric = false, string? Class = null, string? Title = null)
{
    /// <summary>A text cell (encoded).</summary>
    public static Cell Text(string? text, string? cssClass = null) => new(HtmlText.Encode(text), Class: cssClass);

    /// <summary>A cell of trusted HTML built by the report itself.</summary>
    public static Cell Markup(string html, string? cssClass = null) => new(html, Class: cssClass);

    /// <summary>A number shown as <paramref name="text"/>, carrying its exact value.</summary>
    public static Cell Number(string text, double value, string? cssClass = null, string? title = null) =>
        new(HtmlText.Encode(text), HtmlText.DataValue(value), true, cssClass, title);

    /// <summary>An empty numeric cell (figure that does not apply).</summary>
    public static Cell Blank => new("", null, true);

    /// <summary>A probability in percent.</summary>
    public static Cell Probability(double p) => Number(FigureText.Probability(p), p);

    /// <summary>A loss ratio or IRR in percent.</summary>
    public static Cell Ratio(double x) => Number(FigureText.Ratio(x), x);

    /// <summary>An amount in million CNY.</summary>
    public static Cell Money(double cny) => Number(FigureText.Money(cny), cny);
}

/// <summary>A column: its header, whether it holds numbers, and a tooltip explaining it.</summary>
/// <param name="Header">Header text.</param>
/// <param name="Numeric">Right-aligned numbers.</param>
/// <param name="Title">Tooltip on the header.</param>
internal sealed record Column(string Header, bool Numeric = false, string? Title = null);

/// <summary>
/// Builds one HTML table. Tables sit in a scrolling wrapper so that a wide one scrolls on its own instead of
/// stretching the page past its plots.
/// </summary>
internal sealed class HtmlTable(params Column[] columns)
{
    // A row without cells (null) is a section heading spanning the table, its text in the class slot's place.
    private readonly List<(Cell[]? Cells, string? Class)> _rows = [];
    private readonly List<(string Text, int Span)> _groups = [];

    /// <summary>Extra CSS classes of the table element.</summary>
    public string? Class { get; init; }

    /// <summary>Id of the table element.</summary>
    public string? Id { get; init; }

    /// <summary>Adds a header row above the column headers spanning several columns (e.g. "Private LPs").</summary>
    public HtmlTable Group(string text, int span)
    {
        _groups.Add((text, span));
        return this;
    }

    /// <summary>Adds a row; <paramref name="cssClass"/> marks e.g. the programme's total row.</summary>
    public HtmlTable Row(IEnumerable<Cell> cells, string? cssClass = null)
    {
        var array = cells.ToArray();
        if (array.Length != columns.Length) throw new ArgumentException($"row has {array.Length} cells, table has {columns.Length} columns");
        _rows.Add((array, cssClass));
        return this;
    }

    /// <summary>Adds a heading row spanning every column (e.g. "Loans" within a scheme's parameters).</summary>
    public HtmlTable Section(string text)
    {
        _rows.Add((null, text));
        return this;
    }

    /// <summary>Rows added so far.</summary>
    public int Count => _rows.Count;

    /// <summary>The table's HTML.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"table-wrap\"><table");
        if (Id is not null) sb.Append(" id=\"").Append(HtmlText.Encode(Id)).Append('"');
        if (Class is not null) sb.Append(" class=\"").Append(Class).Append('"');
        sb.Append(">\n<thead>\n");
        if (_groups.Count > 0)
        {
            sb.Append("<tr class=\"group\">");
            foreach (var (text, span) in _groups)
            {
                sb.Append("<th");
                if (span > 1) sb.Append(" colspan=\"").Append(span).Append('"');
                sb.Append(string.IsNullOrEmpty(text) ? ">" : " class=\"grouped\">").Append(HtmlText.Encode(text)).Append("</th>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("<tr>");
        foreach (var c in columns)
        {
            sb.Append("<th scope=\"col\"");
            if (c.Numeric) sb.Append(" class=\"num\"");
            if (c.Title is not null) sb.Append(" title=\"").Append(HtmlText.Encode(c.Title)).Append('"');
            sb.Append('>').Append(HtmlText.Encode(c.Header)).Append("</th>");
        }
        sb.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (var (cells, rowClass) in _rows)
        {
            if (cells is null)
            {
                sb.Append("<tr class=\"section\"><th colspan=\"").Append(columns.Length).Append("\" scope=\"rowgroup\">")
                    .Append(HtmlText.Encode(rowClass)).Append("</th></tr>\n");
                continue;
            }
            sb.Append("<tr");
            if (rowClass is not null) sb.Append(" class=\"").Append(rowClass).Append('"');
            sb.Append('>');
            for (int i = 0; i < cells.Length; i++)
            {
                var cell = cells[i];
                string? cls = string.Join(' ', new[] { cell.Numeric || columns[i].Numeric ? "num" : null, cell.Class }.Where(x => x is not null));
                sb.Append("<td");
                if (cls.Length > 0) sb.Append(" class=\"").Append(cls).Append('"');
                if (cell.Value is not null) sb.Append(" data-v=\"").Append(HtmlText.Encode(cell.Value)).Append('"');
                if (cell.Title is not null) sb.Append(" title=\"").Append(HtmlText.Encode(cell.Title)).Append('"');
                sb.Append('>').Append(cell.Html).Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table></div>\n");
        return sb.ToString();
    }
}
