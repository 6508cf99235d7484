using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Simulator.Core.Format;

namespace Simulator.Core.Firms.Format;

/// <summary>A firm tape as read: ids, entry years, and the values of each optional column present (by column name).</summary>
/// <param name="Path">The tape's full path.</param>
/// <param name="Ids">Firm ids, in file order.</param>
/// <param name="EntryYear">Entry years.</param>
/// <param name="Values">Per optional column present, its values in file order.</param>
public sealed record FirmTape(string Path, IReadOnlyList<string> Ids, IReadOnlyList<int> EntryYear, IReadOnlyDictionary<string, double[]> Values);

/// <summary>
/// Reads a CSV firm tape: one row per firm with columns id, entryYear and any of the book's fields (amount, termYears,
/// pd, lgd, rate, fundingRate, check, notional, strikeMultiple, link) and one loading column per factor. Every bad
/// cell is reported with its line and column; nothing runs if any is bad.
/// </summary>
internal static class FirmTapeReader
{
    /// <summary>The optional columns with their ranges: (name, min, max, min exclusive, integer, what is allowed).</summary>
    public static readonly IReadOnlyList<(string Name, double Min, double Max, bool MinExclusive, bool Integer, string Allowed)> Fields =
    [
        ("amount", 0, 1e15, true, false, "a loan amount in CNY greater than 0 and at most 1e15"),
        ("termYears", 1, 30, false, true, "an integer term from 1 to 30 years"),
        ("pd", 0, 1, false, false, "an annual probability of default from 0 to 1"),
        ("lgd", 0, 1, false, false, "a loss given default from 0 to 1"),
        ("rate", -1, 1, false, false, "an annual interest rate from −1 to 1"),
        ("fundingRate", -1, 1, false, false, "an annual funding rate from −1 to 1"),
        ("check", 0, 1e15, false, false, "an equity check in CNY from 0 to 1e15"),
        ("notional", 0, 1e15, false, false, "a warrant notional in CNY from 0 to 1e15"),
        ("strikeMultiple", 0, 1e6, false, false, "a strike multiple from 0 to 1e6"),
        ("link", 0, 1, false, false, "a link from 0 to 1"),
    ];

    private const int MaxErrors = 100;

    /// <summary>Reads the tape, or null with its problems added to <paramref name="errors"/>; <paramref name="required"/>
    /// are optional columns the book cannot do without (its block gives no value for them).</summary>
    public static FirmTape? Read(string path, string displayPath, string jsonPath, IReadOnlyList<string> factors, IReadOnlyCollection<string> required, List<ScenarioError> errors)
    {
        int before = errors.Count;
        void Add(int? line, int? column, string message) => errors.Add(new ScenarioError(displayPath, jsonPath, line, column, message));
        if (!File.Exists(path))
        {
            Add(null, null, $"firm tape not found (looked for {path}); the path is relative to the scenario file");
            return null;
        }
        if (InputFile.NotRegular(path) is { } what)
        {
            Add(null, null, $"the firm tape {path} is {what}, not a regular file; give a CSV file");
            return null;
        }
        var ids = new List<string>();
        var entry = new List<int>();
        var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        int problems = 0;
        try
        {
            using var reader = new StreamReader(path);
            var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, DetectColumnCountChanges = false, BadDataFound = null };
            using var parser = new CsvParser(reader, config);
            if (!parser.Read())
            {
                Add(1, null, "the firm tape is empty; its first line must be a header such as id,entryYear,amount,pd");
                return null;
            }
            var header = parser.Record!;
            var allowed = new List<string> { "id", "entryYear" };
            allowed.AddRange(Fields.Select(f => f.Name));
            allowed.AddRange(factors);
            var column = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < header.Length; c++)
            {
                string name = header[c];
                if (!allowed.Contains(name))
                    Add(1, c + 1, $"unknown column '{ScenarioLimits.Quote(name)}'{SpecBinder.Suggest(name, allowed)}; allowed columns: {string.Join(", ", allowed)}");
                else if (!column.TryAdd(name, c))
                    Add(1, c + 1, $"column '{ScenarioLimits.Quote(name)}' appears twice");
            }
            foreach (var name in new[] { "id", "entryYear" }.Concat(required).Where(r => !column.ContainsKey(r)))
                Add(1, null, name is "id" or "entryYear"
                    ? $"missing column '{name}'; the header needs id,entryYear"
                    : $"missing column '{name}': the book's block gives no {name}, so the tape must");
            if (errors.Count > before) return null;
            var present = Fields.Where(f => column.ContainsKey(f.Name)).ToList();
            foreach (var f in present) values[f.Name] = [];
            foreach (var f in factors.Where(column.ContainsKey)) values[f] = [];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (parser.Read())
            {
                var r = parser.Record!;
                int line = parser.RawRow;
                if (r.Length == 1 && r[0].Length == 0) continue;
                if (ids.Count >= ScenarioLimits.LoansPerTrial)
                {
                    Add(line, null, $"the firm tape has more than {ScenarioLimits.Count(ScenarioLimits.LoansPerTrial)} firms; a trial may hold at most that many");
                    return null;
                }
                if (r.Length != header.Length)
                {
                    if (++problems <= MaxErrors) Add(line, null, $"the row has {r.Length} fields but the header has {header.Length}");
                    continue;
                }
                bool ok = true;
                void Problem(string name, string message)
                {
                    ok = false;
                    if (++problems <= MaxErrors) Add(line, column[name] + 1, $"column '{name}': {message}");
                }
                double Number(string name, double min, double max, bool minExclusive, bool integer, string allowedText)
                {
                    string text = r[column[name]];
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    {
                        Problem(name, $"value '{ScenarioLimits.Quote(text)}' is not a number; allowed: {allowedText}");
                        return double.NaN;
                    }
                    if ((minExclusive ? v <= min : v < min) || v > max || (integer && v != Math.Floor(v)))
                        Problem(name, $"value {ScenarioLimits.Quote(text)} is out of range; allowed: {allowedText}");
                    return v;
                }
                string id = r[column["id"]];
                if (id.Length == 0) Problem("id", "empty id; every firm needs an id");
                else if (!seen.Add(id)) Problem("id", $"id '{ScenarioLimits.Quote(id)}' appears twice; ids must be unique");
                double year = Number("entryYear", 1, 50, false, true, "an integer entry year from 1 to 50");
                var row = present.Select(f => Number(f.Name, f.Min, f.Max, f.MinExclusive, f.Integer, f.Allowed)).ToList();
                var loadings = factors.Where(column.ContainsKey).Select(f => Number(f, -1, 1, true, false, "a loading in (−1, 1)")).ToList();
                double systematic = loadings.Sum(b => b * b);
                if (ok && systematic >= 1)
                {
                    ok = false;
                    if (++problems <= MaxErrors) Add(line, null, $"the squares of the loadings sum to {systematic.ToString("0.######", CultureInfo.InvariantCulture)}; they must sum to less than 1");
                }
                if (!ok) continue;
                ids.Add(id);
                entry.Add((int)year);
                for (int k = 0; k < present.Count; k++) values[present[k].Name].Add(row[k]);
                int l = 0;
                foreach (var f in factors.Where(column.ContainsKey)) values[f].Add(loadings[l++]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CsvHelperException)
        {
            Add(null, null, $"cannot read the firm tape: {e.Message}");
            return null;
        }
        if (problems > MaxErrors) Add(null, null, $"... and {problems - MaxErrors} more problems in this tape");
        if (errors.Count > before) return null;
        if (ids.Count == 0)
        {
            Add(null, null, "the firm tape has a header but no firms");
            return null;
        }
        return new FirmTape(path, ids, entry, values.ToDictionary(v => v.Key, v => v.Value.ToArray(), StringComparer.Ordinal));
    }
}
