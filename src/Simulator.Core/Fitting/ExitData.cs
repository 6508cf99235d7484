using System.Text.RegularExpressions;
using Simulator.Core.Format;

namespace Simulator.Core.Fitting;

/// <summary>One past exit: the multiple returned on the check (0 = written off), the years from investment to exit,
/// and optionally the stage (which fit it belongs to) and the sector.</summary>
/// <param name="Multiple">Proceeds ÷ check, ≥ 0.</param>
/// <param name="Years">Years held, ≥ 0.</param>
/// <param name="Stage">Stage, or null without a stage column.</param>
/// <param name="Sector">Sector, or null without a sector column.</param>
/// <param name="Line">The line in the file.</param>
public sealed record ExitRow(double Multiple, double Years, string? Stage, string? Sector, int Line);

/// <summary>Reads a CSV of past exits: <c>multiple,years[,stage][,sector]</c>.</summary>
public static class ExitData
{
    /// <summary>The largest multiple accepted: the scenario format's largest success cap.</summary>
    public const double MaxMultiple = 1e6;

    /// <summary>The longest holding period accepted, in years.</summary>
    public const double MaxYears = 100;

    /// <summary>Reads <paramref name="path"/>; every bad cell is reported with its line and column.</summary>
    public static DataRead<ExitRow> Read(string path)
    {
        var rows = new List<ExitRow>();
        var csv = FitCsv.Read(path, "multiple,years,stage,sector", ["multiple", "years"], ["stage", "sector"], (cell, line, csv) =>
        {
            double? m = csv.Number(cell, "multiple", line, 0, MaxMultiple, false,
                "a multiple of the check from 0 (written off) to 1e6, e.g. 0, 0.4 or 3.5");
            double? y = csv.Number(cell, "years", line, 0, MaxYears, false, "years from investment to exit, from 0 to 100");
            string? stage = Label(cell, "stage", line, csv);
            string? sector = cell("sector");
            if (m is { } multiple && y is { } years && (stage is not null || cell("stage") is null))
                rows.Add(new ExitRow(multiple, years, stage, sector, line));
        });
        return csv.Errors.Count > 0 ? new DataRead<ExitRow>([], csv.Errors) : new DataRead<ExitRow>(rows, []);
    }

    // A stage names an outcome model (fit-<stage>), so it must be a valid name: letters, digits, - and _.
    internal static string? Label(Func<string, string?> cell, string name, int line, FitCsv csv)
    {
        string? text = cell(name);
        if (text is null) return null;
        if (text.Length == 0 || text.Length > 40 || !Regex.IsMatch(text, SpecPatterns.Name))
        {
            csv.Add(line, csv.ColumnOf(name), text.Length == 0 ? $"{name}: the cell is empty; give a {name} on every line or remove the column"
                : $"{name}: '{ScenarioLimits.Quote(text)}' is not a valid {name}; allowed: 1 to 40 letters, digits, '-' or '_', starting with a letter or digit (it names the fitted model)");
            return null;
        }
        return text;
    }
}

/// <summary>One year of a default history: loans at the start of the year and how many of them defaulted in it.</summary>
/// <param name="Year">The year (a label; years need not be consecutive).</param>
/// <param name="Loans">Loans on the books, ≥ 1.</param>
/// <param name="Defaults">Defaults among them, 0 to <paramref name="Loans"/>.</param>
/// <param name="Grade">The grade, or null without a grade column.</param>
/// <param name="Line">The line in the file.</param>
public sealed record DefaultRow(int Year, int Loans, int Defaults, string? Grade, int Line);

/// <summary>Reads a CSV of default history: <c>year,loans,defaults[,grade]</c>.</summary>
public static class DefaultData
{
    /// <summary>Reads <paramref name="path"/>; every bad cell, and every line with more defaults than loans, is reported.</summary>
    public static DataRead<DefaultRow> Read(string path)
    {
        var rows = new List<DefaultRow>();
        var seen = new Dictionary<(int, string?), int>();
        var csv = FitCsv.Read(path, "year,loans,defaults,grade", ["year", "loans", "defaults"], ["grade"], (cell, line, csv) =>
        {
            double? year = csv.Number(cell, "year", line, -9999, 9999, true, "a whole year, e.g. 2015");
            double? loans = csv.Number(cell, "loans", line, 1, 100_000_000, true, "a whole number of loans from 1 to 100000000");
            double? defaults = csv.Number(cell, "defaults", line, 0, 100_000_000, true, "a whole number of defaults from 0 to the year's loans");
            string? grade = ExitData.Label(cell, "grade", line, csv);
            if (loans is { } n && defaults is { } d && d > n)
            {
                csv.Add(line, csv.ColumnOf("defaults"), $"defaults: {d:0} defaults are more than the {n:0} loans of the line; allowed: 0 to {n:0}");
                return;
            }
            if (year is not { } y || loans is null || defaults is null || (grade is null && cell("grade") is not null)) return;
            if (seen.TryGetValue(((int)y, grade), out int first))
            {
                csv.Add(line, csv.ColumnOf("year"), $"year: {y:0}{(grade is null ? "" : $" of grade {grade}")} appears twice (first on line {first}); give one line per year{(grade is null ? "" : " and grade")}");
                return;
            }
            seen[((int)y, grade)] = line;
            rows.Add(new DefaultRow((int)y, (int)loans.Value, (int)defaults.Value, grade, line));
        });
        return csv.Errors.Count > 0 ? new DataRead<DefaultRow>([], csv.Errors) : new DataRead<DefaultRow>(rows, []);
    }
}
