using CsvHelper;
using Simulator.Core.Comparison;

namespace Simulator.Reporting.Csv;

/// <summary>
/// Writes comparison.csv (spec §6): a row per variant, <c>variant</c> first, the base as the first row, then per
/// key figure <c>&lt;figure&gt;</c>, <c>&lt;figure&gt;.diff</c> (variant − base) and <c>&lt;figure&gt;.diffSE</c> (paired standard
/// error); a last column lists the variant's settings.
/// </summary>
public static class ComparisonCsvWriter
{
    /// <summary>Writes the table.</summary>
    public static void Write(ComparisonResult result, string path)
    {
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        using var csv = new CsvWriter(writer, TrialsCsvSink.Configuration);
        csv.WriteField("variant");
        foreach (var f in result.BaseFigures)
        {
            csv.WriteField(f.Figure.Name);
            csv.WriteField(f.Figure.Name + ".diff");
            csv.WriteField(f.Figure.Name + ".diffSE");
        }
        csv.WriteField("settings");
        csv.NextRecord();

        csv.WriteField("base");
        foreach (var f in result.BaseFigures) WriteFigure(csv, f);
        csv.WriteField("");
        csv.NextRecord();
        foreach (var v in result.Variants)
        {
            csv.WriteField(v.Variant.Name);
            foreach (var f in v.Figures) WriteFigure(csv, f);
            csv.WriteField(string.Join("; ", v.Variant.Settings.Select(s => $"{s.Path}={s.Value}")));
            csv.NextRecord();
        }
    }

    private static void WriteFigure(CsvWriter csv, FigureComparison f)
    {
        csv.WriteField(Finite(f.Value));
        csv.WriteField(Finite(f.Diff));
        csv.WriteField(Finite(f.DiffStandardError));
    }

    private static string Finite(double x) => double.IsFinite(x) ? Formats.Number(x) : "";
}

/// <summary>Writes sensitivity.csv: per input, the output at the low and high value, and the swings with their paired standard errors.</summary>
public static class SensitivityCsvWriter
{
    /// <summary>Writes the table (nothing when the scenario has no sensitivity analysis).</summary>
    public static void Write(ComparisonResult result, string path)
    {
        if (result.Base.Sensitivity is not { } plan) return;
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        using var csv = new CsvWriter(writer, TrialsCsvSink.Configuration);
        foreach (var h in new[] { "input", "baseValue", "low", "high", "output", "outputBase", "outputLow", "outputHigh", "swingLow", "swingLowSE", "swingHigh", "swingHighSE" })
            csv.WriteField(h);
        csv.NextRecord();
        var baseFigure = result.BaseFigures.First(f => f.Figure.Name == plan.Output);
        foreach (var input in plan.Inputs)
        {
            var low = ComparisonResult.Figure(result.Find(input.DownVariant)!, plan.Output)!;
            var high = ComparisonResult.Figure(result.Find(input.UpVariant)!, plan.Output)!;
            csv.WriteField(input.Path);
            foreach (var x in new[] { input.BaseValue, input.Low, input.High }) csv.WriteField(Formats.Number(x));
            csv.WriteField(plan.Output);
            foreach (var x in new[] { baseFigure.Value, low.Value, high.Value, low.Diff, low.DiffStandardError, high.Diff, high.DiffStandardError })
                csv.WriteField(double.IsFinite(x) ? Formats.Number(x) : "");
            csv.NextRecord();
        }
    }
}
