using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Instruments;

/// <summary>The console's tables of a run: each instrument's headline figures, in scenario order.</summary>
public static class ConsoleTables
{
    /// <summary>Writes every instrument's table of <paramref name="run"/>.</summary>
    public static void Write(TextWriter w, Core.Engine.SimulationResult run)
    {
        foreach (var (report, result) in InstrumentReports.Of(run)) report.WriteConsole(w, run, result);
        if (run.Government is { NetCost: var cost } government && government.Parts.Count > 1)
        {
            w.WriteLine($"  government net cost, all {government.Parts.Count} items: mean {FigureText.MoneyWithError(cost.Mean, cost.StandardErrors.Mean)}, p99 {FigureText.Money(cost.P99)}, es99 {FigureText.Money(cost.Es99)} ({FigureText.MoneyUnit})");
        }
    }
}
