using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Simulator.Reporting.Xlsx;

/// <summary>One summary table of a result folder for the workbook: its CSV file and what its figures mean.</summary>
/// <param name="File">The table's file in the folder (funds.csv, …); its sheet is named after it.</param>
/// <param name="Notes">Figure or column → meaning (<see cref="ColumnGlossary.Explain"/>).</param>
internal sealed record WorkbookTable(string File, IReadOnlyDictionary<string, string> Notes);

/// <summary>
/// Writes summary.xlsx: an <c>about</c> sheet (the run and what each sheet holds), one sheet per summary table of the
/// folder (funds.csv, guarantees.csv, …, comparison.csv: the same rows and columns, standard errors included, numbers
/// as numbers) and a <c>columns</c> sheet explaining every column of every table.
/// <para>
/// The sheets are read back from the CSV files just written rather than built again from the results: the workbook
/// then holds exactly the tables' values (the shortest round-trip text parses back to the very double) and cannot
/// drift from them, and the writer needs nothing of any instrument. The file is the same bytes on every run
/// (the zip entries get a fixed time, and the document properties, which would carry the time of writing, are left out).
/// </para>
/// </summary>
internal static class SummaryWorkbook
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "summary.xlsx";

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/> from <paramref name="tables"/> (those that exist).</summary>
    public static void Write(string folder, IReadOnlyList<(string Label, string Value)> about, IEnumerable<WorkbookTable> tables) =>
        WriteAsync(folder, about, tables.Where(t => File.Exists(Path.Combine(folder, t.File))).ToList()).GetAwaiter().GetResult();

    // The zip's entry times: its format's earliest date, as reproducible builds use.
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task WriteAsync(string folder, IReadOnlyList<(string Label, string Value)> about, IReadOnlyList<WorkbookTable> tables)
    {
        using var buffer = new MemoryStream();
        await WriteBookAsync(buffer, folder, about, tables);
        // SpreadCheetah stamps each zip entry with the time of writing, so two runs would differ in those bytes; the
        // entries are copied into the file with a fixed time instead (the workbook is small: tens of kilobytes).
        buffer.Position = 0;
        using var source = new ZipArchive(buffer, ZipArchiveMode.Read);
        await using var file = new FileStream(Path.Combine(folder, FileName), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var target = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            var copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = EntryTime;
            await using var from = entry.Open();
            await using var to = copy.Open();
            await from.CopyToAsync(to);
        }
    }

    private static async Task WriteBookAsync(Stream stream, string folder, IReadOnlyList<(string Label, string Value)> about, IReadOnlyList<WorkbookTable> tables)
    {
        // Cell references make the sheets readable by readers that need them (ADO OleDb, some R and Python readers).
        var options = new SpreadCheetahOptions { DocumentProperties = null, WriteCellReferenceAttributes = true };
        await using var book = await Spreadsheet.CreateNewAsync(stream, options);
        var style = new Style();
        style.Font.Bold = true;
        var bold = book.AddStyle(style);

        await book.StartWorksheetAsync("about", Columns(28, 100));
        foreach (var (label, value) in about) await book.AddRowAsync([new Cell(label, bold), new Cell(value)]);
        await book.AddRowAsync([]);
        await book.AddRowAsync([new Cell("sheet", bold), new Cell("contents", bold)]);
        foreach (var t in tables)
            await book.AddRowAsync([new Cell(SheetName(t.File)), new Cell($"{t.File}: the same rows and columns, numbers as numbers (see the columns sheet)")]);
        await book.AddRowAsync([new Cell("columns"), new Cell("What each column of each sheet means")]);

        var glossary = new List<(string Sheet, string Column, string Meaning)>();
        foreach (var t in tables)
        {
            var rows = ReadCsv(Path.Combine(folder, t.File));
            var header = rows[0];
            // A column is numeric when every non-empty cell parses as a number; the first (the row's name) stays text.
            var numeric = Enumerable.Range(0, header.Length)
                .Select(c => c > 0 && rows.Skip(1).All(r => c >= r.Length || r[c].Length == 0 || Number(r[c]) is not null)).ToArray();
            var sheet = Columns(24);
            sheet.FrozenRows = 1;
            sheet.FrozenColumns = 1;
            await book.StartWorksheetAsync(SheetName(t.File), sheet);
            await book.AddRowAsync(header.Select(h => new Cell(h, bold)).ToArray());
            foreach (var r in rows.Skip(1))
            {
                await book.AddRowAsync(r.Select((text, c) => numeric[c] ? new Cell(Number(text)) : new Cell(text.Length == 0 ? null : text)).ToArray());
            }
            glossary.AddRange(header.Select(h => (SheetName(t.File), h, ColumnGlossary.Explain(h, t.Notes))));
        }

        var columns = Columns(16, 36, 120);
        columns.FrozenRows = 1;
        await book.StartWorksheetAsync("columns", columns);
        await book.AddRowAsync([new Cell("sheet", bold), new Cell("column", bold), new Cell("meaning", bold)]);
        foreach (var (sheetName, column, meaning) in glossary) await book.AddRowAsync([new Cell(sheetName), new Cell(column), new Cell(meaning)]);
        await book.FinishAsync();
    }

    /// <summary>A table's sheet: its file name without the extension.</summary>
    internal static string SheetName(string file) => Path.GetFileNameWithoutExtension(file);

    private static WorksheetOptions Columns(params double[] widths)
    {
        var options = new WorksheetOptions();
        for (int i = 0; i < widths.Length; i++) options.Column(i + 1).Width = widths[i];
        return options;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : null;

    private static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, Csv.TrialsCsvSink.Configuration);
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record ?? []);
        return rows;
    }
}
