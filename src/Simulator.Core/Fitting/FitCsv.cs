using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Simulator.Core.Format;

namespace Simulator.Core.Fitting;

/// <summary>
/// The CSV reading shared by the fits: a header naming the columns (any order, case-insensitive), then one row per
/// record; lines starting with # are comments (e.g. where the data come from, or that they are synthetic). Every
/// bad header name, missing column and bad cell is collected with its line and column, so a user fixes a file in
/// one pass; after <see cref="MaxErrors"/> problems the rest are summarised in one line.
/// </summary>
internal sealed class FitCsv
{
    /// <summary>More problems than this are summarised: a file with a wrong separator would otherwise print every line.</summary>
    public const int MaxErrors = 100;

    private readonly string file;
    private readonly List<DataError> errors = [];
    private int suppressed;

    private FitCsv(string file) => this.file = file;

    /// <summary>The problems found so far (the summary line of suppressed ones included).</summary>
    public IReadOnlyList<DataError> Errors => suppressed == 0 ? errors : [.. errors, new DataError(file, null, null, $"{suppressed} more problem(s) not shown")];

    /// <summary>Adds a problem at a line and column.</summary>
    public void Add(int? line, int? column, string message)
    {
        if (errors.Count < MaxErrors) errors.Add(new DataError(file, line, column, message));
        else suppressed++;
    }

    /// <summary>
    /// Reads <paramref name="path"/>: checks the header against <paramref name="required"/> and <paramref name="optional"/>
    /// columns and calls <paramref name="row"/> for each data line with the reader (the cells by column name), the
    /// line number and the reader itself for its problems. Returns the reader holding every problem.
    /// </summary>
    public static FitCsv Read(string path, string example, IReadOnlyList<string> required, IReadOnlyList<string> optional,
        Action<Func<string, string?>, int, FitCsv> row)
    {
        var csv = new FitCsv(path);
        if (!File.Exists(path))
        {
            csv.Add(null, null, Directory.Exists(path) ? "is a folder; give a CSV file" : "file not found");
            return csv;
        }
        if (InputFile.NotRegular(path) is { } what)
        {
            csv.Add(null, null, $"is {what}, not a regular file; give a CSV file");
            return csv;
        }
        try
        {
            using var reader = new StreamReader(path);
            var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, DetectColumnCountChanges = false, BadDataFound = null, AllowComments = true, Comment = '#' };
            using var parser = new CsvParser(reader, config);
            if (!parser.Read())
            {
                csv.Add(1, null, $"the file is empty; its first line must be a header such as {example}");
                return csv;
            }
            var header = parser.Record!;
            var allowed = required.Concat(optional).ToList();
            var column = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < header.Length; c++)
            {
                string name = header[c];
                string? known = allowed.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                    csv.Add(1, c + 1, $"unknown column '{ScenarioLimits.Quote(name)}'{SpecBinder.Suggest(name, allowed)}; allowed columns: {string.Join(", ", allowed)} (a header such as {example})");
                else if (!column.TryAdd(known, c))
                    csv.Add(1, c + 1, $"column '{known}' appears twice");
            }
            foreach (var r in required.Where(r => !column.ContainsKey(r)))
                csv.Add(1, null, $"the header has no '{r}' column; required columns: {string.Join(", ", required)} (a header such as {example})");
            if (csv.errors.Count > 0) return csv;
            csv.Locate(column);
            while (parser.Read())
            {
                var record = parser.Record!;
                int line = parser.RawRow;
                if (record.All(string.IsNullOrWhiteSpace)) continue; // blank lines, e.g. at the end
                string? Cell(string name) => column.TryGetValue(name, out int c) ? c < record.Length ? record[c] : "" : null;
                row(Cell, line, csv);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvHelperException)
        {
            csv.Add(null, null, $"cannot read the file: {e.Message}");
        }
        return csv;
    }

    /// <summary>The column's position in the header (1-based) for error messages; the reader passes it with each cell.</summary>
    public int? ColumnOf(string name) => columnNumbers.TryGetValue(name, out int c) ? c : null;

    private readonly Dictionary<string, int> columnNumbers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The cell of column <paramref name="name"/> as a number in [<paramref name="min"/>, <paramref name="max"/>], or null
    /// with a problem naming the line, the column, the value and what is allowed.
    /// </summary>
    public double? Number(Func<string, string?> cell, string name, int line, double min, double max, bool integer, string allowed)
    {
        string text = cell(name) ?? "";
        int? col = ColumnOf(name);
        if (text.Length == 0)
        {
            Add(line, col, $"{name}: the cell is empty; allowed: {allowed}");
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            Add(line, col, $"{name}: '{ScenarioLimits.Quote(text)}' is not a number; allowed: {allowed}");
            return null;
        }
        if (v < min || v > max || (integer && v != Math.Floor(v)))
        {
            Add(line, col, $"{name}: value {text} is out of range; allowed: {allowed}");
            return null;
        }
        return v;
    }

    /// <summary>Records where each column is, for <see cref="ColumnOf"/>: called once the header is known.</summary>
    internal void Locate(IReadOnlyDictionary<string, int> columns)
    {
        foreach (var (k, v) in columns) columnNumbers[k] = v + 1;
    }
}
