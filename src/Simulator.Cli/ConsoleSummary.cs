using System.Globalization;
using Simulator.Core.Engine;

namespace Simulator.Cli;

/// <summary>The short table printed after each run: what a user wants to see before opening the folder.</summary>
internal static class ConsoleSummary
{
    public static void Print(TextWriter w, SimulationResult r, string folder, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(inv, $"{r.Scenario.Name}: {r.Trials} trials, seed {r.Scenario.Seed}, {elapsed.TotalSeconds:F1} s -> {folder}"));
        int width = Math.Max(12, r.Funds.Max(f => f.Fund.Name.Length) + 2);
        w.WriteLine($"  {"fund".PadRight(width)}{"type",-9}{"tolerance",10}{"mean loss",11}{"p99 loss",10}{"P(breach)",11}  95% CI");
        foreach (var f in r.Funds)
        {
            w.WriteLine(Row(f.Fund.Name, f.Fund.Type.ToString().ToLowerInvariant(), f.Fund.Tolerance, f.LossRatio.Mean, f.LossRatio.P99, f.Breach, width));
        }
        var p = r.Programme;
        w.WriteLine(Row("programme", "pooled", p.MeanTolerance, p.LossRatio.Mean, p.LossRatio.P99, p.Breach, width));
    }

    private static string Row(string name, string type, double tolerance, double mean, double p99, Core.Statistics.ProbabilityEstimate breach, int width) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  {name.PadRight(width)}{type,-9}{Pct(tolerance, 0),10}{Pct(mean, 1),11}{Pct(p99, 1),10}{Pct(breach.Probability, 2),11}  [{Pct(breach.Ci95Low, 2)}, {Pct(breach.Ci95High, 2)}]");

    private static string Pct(double x, int decimals) => (x * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";
}
