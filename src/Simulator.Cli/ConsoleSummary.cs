using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Core.Instruments;

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
                $"  precision target {Pct(precision.Target.RelativeError, 1)} relative standard error: {(precision.Met ? "met" : "NOT met")} after {r.Trials} of at most {precision.MaxTrials} trials{(worst is null ? "" : $" (least precise: {worst.Name} at {Pct(worst.RelativeError, 2)})")}"));
        }
        if (r.Funds.Count > 0 && r.Programme is { } p)
        {
            int width = Math.Max(12, r.Funds.Max(f => f.Fund.Name.Length) + 2);
            w.WriteLine($"  {"fund".PadRight(width)}{"type",-9}{"tolerance",10}{"mean loss",11}{"p99 loss",10}{"P(breach)",11}  95% CI");
            foreach (var f in r.Funds)
                w.WriteLine(Row(f.Fund.Name, f.Fund.Type.ToString().ToLowerInvariant(), f.Fund.Tolerance, f.LossRatio.Mean, f.LossRatio.P99, f.Breach, width));
            w.WriteLine(Row("programme", "pooled", p.MeanTolerance, p.LossRatio.Mean, p.LossRatio.P99, p.Breach, width));
        }
        if (r.Guarantees.Count > 0)
        {
            int width = Math.Max(12, r.Guarantees.Max(g => g.Guarantee.Name.Length) + 2);
            w.WriteLine($"  {"guarantee".PadRight(width)}{"guaranteed",12}{"mean loss",11}{"p99 loss",11}{"gov. cost",11}{"leverage",10}{"P(exhaust)",12}{"P(insolv.)",12}{"P(susp.)",10}");
            foreach (var g in r.Guarantees)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {g.Guarantee.Name.PadRight(width)}{Money(g.MeanGuaranteed),12}{Money(g.Loss.Mean),11}{Money(g.Loss.P99),11}{Money(g.Government.Mean),11}{Leverage(g.FiscalLeverage),10}{Pct(g.Exhausted.Probability, 2),12}{Pct(g.Insolvent.Probability, 2),12}{Pct(g.Suspended.Probability, 2),10}"));
            }
            w.WriteLine("  (amounts in million CNY; leverage = guaranteed amount per yuan of government cost)");
        }
    }

    /// <summary>The last line of a scenario: where its results are, once the folder is complete.</summary>
    public static void PrintWritten(TextWriter w, string folder, TimeSpan elapsed) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  -> {folder} ({elapsed.TotalSeconds:F1} s with plots and report)"));

    public static void PrintComparison(TextWriter w, Core.Comparison.ComparisonResult c)
    {
        // The headline figures: breach probabilities of funds and programme, government cost of schemes.
        var figures = c.BaseFigures.Where(f => f.Figure.Name.EndsWith(".breachProbability", StringComparison.Ordinal)
            || f.Figure.Name.EndsWith(".governmentCost", StringComparison.Ordinal)).Take(4).ToList();
        int width = Math.Max(12, c.Variants.Select(v => v.Variant.Name.Length).DefaultIfEmpty(0).Max() + 2);
        w.WriteLine($"  {c.Variants.Count} variant(s) on the same random numbers; difference from the base ± paired standard error (comparison.csv):");
        w.WriteLine("  " + "variant".PadRight(width) + string.Concat(figures.Select(f => f.Figure.Name.PadLeft(Math.Max(24, f.Figure.Name.Length + 2)))));
        foreach (var v in c.Variants)
        {
            var cells = figures.Select(f =>
            {
                var x = Core.Comparison.ComparisonResult.Figure(v, f.Figure.Name);
                string text = x is null || !double.IsFinite(x.Diff) ? "n/a" : f.Figure.Unit == FigureUnit.Money
                    ? $"{Signed(x.Diff / 1e6, 1)} ± {x.DiffStandardError / 1e6:0.0}M"
                    : $"{Signed(x.Diff * 100, 2)} ± {x.DiffStandardError * 100:0.00} pt";
                return text.PadLeft(Math.Max(24, f.Figure.Name.Length + 2));
            });
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v.Variant.Name.PadRight(width)}{string.Concat(cells)}"));
        }
    }

    private static string Row(string name, string type, double tolerance, double mean, double p99, ProbabilityEstimate breach, int width) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  {name.PadRight(width)}{type,-9}{Pct(tolerance, 0),10}{Pct(mean, 1),11}{Pct(p99, 1),10}{Pct(breach.Probability, 2),11}  [{Pct(breach.Ci95Low, 2)}, {Pct(breach.Ci95High, 2)}]");

    // Rounds first, so a tiny negative difference prints as +0.00 rather than "-+0.00".
    private static string Signed(double x, int decimals)
    {
        double r = Math.Round(x, decimals);
        return (r >= 0 ? "+" : "") + r.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static string Pct(double x, int decimals) => (x * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    private static string Money(double x) => (x / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    private static string Leverage(double x) => double.IsFinite(x) ? x.ToString("F1", CultureInfo.InvariantCulture) + "x" : "n/a";
}
