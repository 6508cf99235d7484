using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Xlsx;

/// <summary>
/// summary.xlsx parsed back by the Open XML SDK (not SpreadCheetah, which wrote it): each summary table of the folder
/// is a sheet holding the CSV's values, numbers as numbers equal to the CSV's doubles, and every column of every sheet
/// is explained.
/// </summary>
public class SummaryWorkbookTests
{
    // Funds and a scheme (funds.csv, guarantees.csv) and a variant with a sensitivity analysis (comparison.csv,
    // sensitivity.csv), with undefined values (a fund whose government class has a 0% share).
    private const string Json = """
        { "name": "book", "simulation": { "trials": 3000, "seed": 5 },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 2e7, "deals": 8, "check": 1e6, "exposure": { "macro": 0.5 }, "concession": 0.5 },
                     { "name": "d", "type": "direct", "commitment": 1e7, "deals": 4, "check": 1e6, "governmentShare": 0 } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": 1e6, "termYears": 2, "pd": 0.05, "lgd": 0.6, "exposure": { "macro": 0.4 } },
                            "shares": { "guarantor": 0.4, "bank": 0.3, "government": 0.3 }, "guarantor": { "capital": 4e6 }, "government": { "budget": 5e5 } } ],
          "variants": [ { "name": "small-pool", "set": { "guarantees[g].government.budget": 2e5 } } ],
          "sensitivity": { "output": "programme.breachProbability", "inputs": [ { "path": "funds[s].exposure.macro", "delta": 0.2 } ] } }
        """;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-xlsx");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Run(string output, params string[] more)
    {
        string file = _temp.Write("book.json", Json);
        var (code, _, stderr) = CliRunner.Run([.. new[] { "run", file, "--out", output, "--quiet", "--trials-csv", "none" }, .. more]);
        Assert.That(code, Is.EqualTo(0), stderr);
        return Path.Combine(output, "book");
    }

    [Test]
    public void Run_ScenarioWithVariants_WorkbookHoldsEveryTableValueForValueAndExplainsEveryColumn()
    {
        string folder = Run(Path.Combine(_temp.Path, "out"));
        var sheets = ReadWorkbook(Path.Combine(folder, "summary.xlsx"));
        string[] tables = ["funds.csv", "guarantees.csv", "comparison.csv", "sensitivity.csv"];
        Assert.That(sheets.Keys, Is.EqualTo(new[] { "about" }.Concat(tables.Select(Path.GetFileNameWithoutExtension)).Append("columns")));

        int numbers = 0, empty = 0;
        var explained = sheets["columns"].Skip(1).ToDictionary(r => (r[0].Text, r[1].Text), r => r[2].Text);
        foreach (string table in tables)
        {
            var csv = ReadCsv(Path.Combine(folder, table));
            var sheet = sheets[Path.GetFileNameWithoutExtension(table)];
            Assert.That(sheet, Has.Count.EqualTo(csv.Count), $"{table}: rows");
            for (int r = 0; r < csv.Count; r++)
            {
                for (int c = 0; c < csv[r].Length; c++)
                {
                    string text = csv[r][c], where = $"{table}, row {r + 1}, column {csv[0][c]}";
                    var cell = c < sheet[r].Count ? sheet[r][c] : (null, "");
                    if (text.Length == 0)
                    {
                        Assert.That(cell.Text, Is.Empty, where);
                        empty++;
                    }
                    else if (r > 0 && c > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x))
                    {
                        // A number cell (no type attribute) whose text reads back to the CSV's double, bit for bit.
                        Assert.That(cell.Type, Is.Null, where);
                        Assert.That(BitConverter.DoubleToInt64Bits(double.Parse(cell.Text, CultureInfo.InvariantCulture)), Is.EqualTo(BitConverter.DoubleToInt64Bits(x)), where);
                        numbers++;
                    }
                    else
                    {
                        Assert.That(cell.Text, Is.EqualTo(text), where);
                    }
                }
            }
            // Every column is explained in its own words, not merely named.
            foreach (string column in csv[0])
            {
                Assert.That(explained.TryGetValue((Path.GetFileNameWithoutExtension(table), column), out var meaning), Is.True, $"{table}: {column} is not in the columns sheet");
                Assert.That(meaning, Has.Length.GreaterThan(column.Length + 10), $"{table}: {column}");
            }
        }
        Assert.That(numbers, Is.GreaterThan(200));
        Assert.That(empty, Is.GreaterThan(0), "the direct fund's government returns are undefined");
        Assert.That(explained[("funds", "lossRatio.se.p99")], Does.Contain("standard error").And.Contain("99% quantile").And.Contain("Loss ratio"));
        Assert.That(explained[("comparison", "s.breachProbability.diffSE")], Does.Contain("paired standard error").And.Contain("probability"));
        var about = sheets["about"].Where(r => r.Count > 0).ToDictionary(r => r[0].Text, r => r.Count > 1 ? r[1].Text : "");
        Assert.That(about["scenario"], Is.EqualTo("book"));
        Assert.That(about["trials"], Is.EqualTo("3000"));
        Assert.That(about, Does.Not.ContainKey("standard errors"), "plain sampling: the columns sheet's formulas hold");
        // Each variant's folder has its own workbook of its own tables.
        Assert.That(ReadWorkbook(Path.Combine(folder, "variants", "small-pool", "summary.xlsx")).Keys, Is.EqualTo(new[] { "about", "funds", "guarantees", "columns" }));
    }

    [Test]
    public void Run_SobolSampling_AboutSheetSaysTheErrorsAreTheRandomisations()
    {
        string file = _temp.Write("sobol.json", Json.Replace("\"seed\": 5 }", "\"seed\": 5, \"sampling\": \"sobol\" }"));
        var (code, _, stderr) = CliRunner.Run(["run", file, "--out", Path.Combine(_temp.Path, "sobol"), "--quiet", "--trials-csv", "none"]);
        Assert.That(code, Is.EqualTo(0), stderr);
        var about = ReadWorkbook(Path.Combine(_temp.Path, "sobol", "book", "summary.xlsx"))["about"].Where(r => r.Count > 0).ToDictionary(r => r[0].Text, r => r.Count > 1 ? r[1].Text : "");
        Assert.That(about["standard errors"], Does.StartWith("Scrambled Sobol points in 16 independent randomisations"));
    }

    [Test]
    public void Run_TwiceAndNoXlsx_SameBytesOrNoWorkbookAndOtherFilesUnchanged()
    {
        string first = Run(Path.Combine(_temp.Path, "first")), second = Run(Path.Combine(_temp.Path, "second"), "--threads", "1");
        string none = Run(Path.Combine(_temp.Path, "none"), "--no-xlsx");
        Assert.That(File.ReadAllBytes(Path.Combine(second, "summary.xlsx")), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, "summary.xlsx"))));
        Assert.That(Directory.GetFiles(none, "*.xlsx", SearchOption.AllDirectories), Is.Empty);
        foreach (var name in new[] { "summary.json", "funds.csv", "guarantees.csv", "comparison.csv" })
            Assert.That(File.ReadAllBytes(Path.Combine(none, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, name))), name);
        Assert.That(File.ReadAllText(Path.Combine(first, "report.html")), Does.Contain("summary.xlsx"));
        Assert.That(File.ReadAllText(Path.Combine(none, "report.html")), Does.Not.Contain("summary.xlsx"));
    }

    /// <summary>Each sheet's rows in order, each cell's type attribute (null for a number) and text, by its column reference.</summary>
    private static Dictionary<string, List<List<(string? Type, string Text)>>> ReadWorkbook(string path)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var workbook = document.WorkbookPart!;
        var sheets = new Dictionary<string, List<List<(string? Type, string Text)>>>();
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var rows = new List<List<(string? Type, string Text)>>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new List<(string? Type, string Text)>();
                foreach (var cell in row.Elements<Cell>())
                {
                    int column = Column(cell.CellReference!.Value!);
                    while (cells.Count < column) cells.Add((null, ""));
                    string text = cell.InlineString?.Text?.Text ?? cell.CellValue?.Text ?? "";
                    cells.Add((cell.DataType?.InnerText, text));
                }
                rows.Add(cells);
            }
            sheets[sheet.Name!.Value!] = rows;
        }
        return sheets;
    }

    // "AB12" → 27 (0-based column 27).
    private static int Column(string reference)
    {
        int column = 0;
        foreach (char ch in reference.TakeWhile(char.IsAsciiLetter)) column = column * 26 + (ch - 'A' + 1);
        return column - 1;
    }

    private static List<string[]> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, TrialsCsvSink.Configuration);
        var rows = new List<string[]>();
        while (parser.Read()) rows.Add(parser.Record!);
        return rows;
    }
}
