using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;

namespace Simulator.Cli;

/// <summary>The short tables printed after each run: what a user wants to see before opening the folder.</summary>
internal static class ConsoleSummary
{
    /// <summary>The figures of a run, printed as soon as its statistics exist.</summary>
    public static void Print(TextWriter w, SimulationResult r, TimeSpan elapsed)
    {
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Scenario.Name}: {r.Trials} trials, seed {r.Scenario.Seed}, {elapsed.TotalSeconds:F1} s"));
        if (r.Precision is { } precision)
        {
            var worst = precision.History.Count > 0 ? precision.History[^1].Figures.Where(f => f.Estimable).OrderByDescending(f => f.RelativeError).FirstOrDefault() : null;
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  precision target {FigureText.Tolerance(precision.Target.RelativeError)} relative standard error: {(precision.Met ? "met" : "NOT met")} after {r.Trials} of at most {precision.MaxTrials} trials{(worst is null ? "" : $" (least precise: {worst.Name} at {FigureText.Ratio(worst.RelativeError)})")}"));
        }
        Simulator.Reporting.Instruments.ConsoleTables.Write(w, r);
        if (r.QuasiRandom is { Figures.Count: > 0 } quasi)
        {
            // The tables' errors and intervals are the randomisations' (the run's own); plain sampling's are only compared.
            var ratios = quasi.Figures.Select(f => f.VarianceReduction).Where(double.IsFinite).ToList();
            if (ratios.Count > 0)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(quasi.Method == "lhs" ? "Latin hypercubes" : "Sobol points")} ({quasi.Randomisations} randomisations): key figures' variance {ratios.Min():F1}–{ratios.Max():F1}× below plain sampling's (summary.json quasiRandom; every standard error and interval of the run is the randomisations')"));
        }
    }

    /// <summary>The last line of a scenario: where its results are, once the folder is complete.</summary>
    public static void PrintWritten(TextWriter w, string folder, TimeSpan elapsed) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  -> {folder} ({elapsed.TotalSeconds:F1} s with plots and report)"));

    public static void PrintComparison(TextWriter w, Core.Comparison.ComparisonResult c)
    {
        // The headline figures: breach probabilities of funds and programme, government cost of schemes and books of
        // firms, a book's mean net result and break-even warrant notional.
        var figures = c.BaseFigures.Where(f => f.Figure.Name.EndsWith(".breachProbability", StringComparison.Ordinal)
            || f.Figure.Name.EndsWith(".governmentCost", StringComparison.Ordinal) || f.Figure.Name.EndsWith(".meanBankNet", StringComparison.Ordinal)
            || f.Figure.Name.EndsWith(".breakEvenNotional", StringComparison.Ordinal)).Take(4).ToList();
        int width = Math.Max(12, c.Variants.Select(v => v.Variant.Name.Length).DefaultIfEmpty(0).Max() + 2);
        w.WriteLine($"  {c.Variants.Count} variant(s) on the same random numbers; difference from the base ± paired standard error (comparison.csv):");
        w.WriteLine("  " + "variant".PadRight(width) + string.Concat(figures.Select(f => f.Figure.Name.PadLeft(Math.Max(24, f.Figure.Name.Length + 2)))));
        foreach (var v in c.Variants)
        {
            var cells = figures.Select(f =>
            {
                var x = Core.Comparison.ComparisonResult.Figure(v, f.Figure.Name);
                // Amounts carry an "M" here, where no header names their unit.
                string text = x is null || !double.IsFinite(x.Difference.Value) ? FigureText.NotAvailable
                    : FigureText.Difference(f.Figure.Unit, x.Difference.Value, x.Difference.StandardError) + (f.Figure.Unit == FigureUnit.Money ? "M" : "");
                return text.PadLeft(Math.Max(24, f.Figure.Name.Length + 2));
            });
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v.Variant.Name.PadRight(width)}{string.Concat(cells)}"));
        }
    }
}
