using System.Globalization;

namespace Simulator.Reporting.Instruments;

/// <summary>How the console tables write numbers: percentages, million CNY, leverage.</summary>
internal static class ConsoleText
{
    /// <summary>A share as a percentage with <paramref name="decimals"/> decimals.</summary>
    public static string Percent(double x, int decimals) => (x * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    /// <summary>An amount in million CNY, one decimal.</summary>
    public static string Money(double x) => (x / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>A leverage ("n/a" when infinite).</summary>
    public static string Leverage(double x) => double.IsFinite(x) ? x.ToString("F1", CultureInfo.InvariantCulture) + "x" : "n/a";
}

/// <summary>The console's tables of a run: each instrument's headline figures, in scenario order.</summary>
public static class ConsoleTables
{
    /// <summary>Writes every instrument's table of <paramref name="run"/>.</summary>
    public static void Write(TextWriter w, Core.Engine.SimulationResult run)
    {
        foreach (var (report, result) in InstrumentReports.Of(run)) report.WriteConsole(w, run, result);
        if (run.Government is { NetCost: var cost } government && government.Parts.Count > 1)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  government net cost, all {government.Parts.Count} items: mean {ConsoleText.Money(cost.Mean)} ± {(cost.StandardErrors.Mean / 1e6).ToString("F2", CultureInfo.InvariantCulture)}, p99 {ConsoleText.Money(cost.P99)}, es99 {ConsoleText.Money(cost.Es99)} (million CNY)"));
        }
    }
}
