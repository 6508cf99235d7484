using Simulator.Core.Comparison;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;

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
        var rows = new List<Row> { new("base", result.BaseFigures, "") };
        rows.AddRange(result.Variants.Select(v => new Row(v.Variant.Name, v.Figures, Settings(v.Variant))));
        CsvTable.Write(path, new Map(result.BaseFigures.Select(f => f.Figure).ToList()), rows);
    }

    private static string Settings(ScenarioVariant variant) => string.Join("; ", variant.Settings.Select(s => $"{s.Path}={s.Value}"));

    /// <summary>The base or a variant: its figures in the base's order.</summary>
    private sealed record Row(string Variant, IReadOnlyList<FigureComparison> Figures, string Settings);

    /// <summary>The columns of a scenario's key figures, three per figure.</summary>
    private sealed class Map : SummaryMap<Row>
    {
        public Map(IReadOnlyList<KeyFigure> figures)
        {
            Text("variant", r => r.Variant);
            for (int i = 0; i < figures.Count; i++)
            {
                int k = i;
                Finite(figures[k].Name, r => r.Figures[k].Estimate.Value);
                Finite(figures[k].Name + ".diff", r => r.Figures[k].Difference.Value);
                Finite(figures[k].Name + ".diffSE", r => r.Figures[k].Difference.StandardError);
            }
            Text("settings", r => r.Settings);
        }
    }
}

/// <summary>Writes sensitivity.csv: per input, the output at the low and high value, and the swings with their paired standard errors.</summary>
public static class SensitivityCsvWriter
{
    /// <summary>Writes the table (nothing when the scenario has no sensitivity analysis).</summary>
    public static void Write(ComparisonResult result, string path)
    {
        if (result.Base.Sensitivity is not { } plan) return;
        var baseFigure = result.BaseFigures.First(f => f.Figure.Name == plan.Output);
        var rows = plan.Inputs.Select(input => new Row(input, plan.Output, baseFigure,
            ComparisonResult.Figure(result.Find(input.DownVariant)!, plan.Output)!,
            ComparisonResult.Figure(result.Find(input.UpVariant)!, plan.Output)!));
        CsvTable.Write(path, new Map(), rows);
    }

    /// <summary>One input moved down and up, and the output at each end.</summary>
    private sealed record Row(SensitivityInput Input, string Output, FigureComparison Base, FigureComparison Low, FigureComparison High);

    private sealed class Map : SummaryMap<Row>
    {
        public Map()
        {
            Text("input", r => r.Input.Path);
            Number("baseValue", r => r.Input.BaseValue);
            Number("low", r => r.Input.Low);
            Number("high", r => r.Input.High);
            Text("output", r => r.Output);
            Finite("outputBase", r => r.Base.Estimate.Value);
            Finite("outputLow", r => r.Low.Estimate.Value);
            Finite("outputHigh", r => r.High.Estimate.Value);
            Finite("swingLow", r => r.Low.Difference.Value);
            Finite("swingLowSE", r => r.Low.Difference.StandardError);
            Finite("swingHigh", r => r.High.Difference.Value);
            Finite("swingHighSE", r => r.High.Difference.StandardError);
        }
    }
}
