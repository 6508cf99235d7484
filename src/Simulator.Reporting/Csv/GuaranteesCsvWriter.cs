using Simulator.Core.Engine;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Csv;

/// <summary>Writes guarantees.csv: one row per scheme with the headline figures of summary.json.</summary>
public static class GuaranteesCsvWriter
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "guarantees.csv";

    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Header { get; } = new Map().MemberMaps.Select(m => m.Data.Names[0]).ToList();

    /// <summary>Writes the table (nothing when the scenario has no guarantees).</summary>
    public static void Write(SimulationResult result, string path)
    {
        if (result.Guarantees.Count == 0) return;
        CsvTable.Write(path, new Map(), result.Guarantees);
    }

    private sealed class Map : SummaryMap<GuaranteeResult>
    {
        private static readonly string[] Parties = ["guarantor", "reGuarantee", "bank", "government"];

        private static PartySummary Party(GuaranteeResult g, int k) => k switch { 0 => g.Guarantor, 1 => g.ReGuarantee, 2 => g.Bank, _ => g.Government };

        public Map()
        {
            Text("name", g => g.Guarantee.Name);
            LossColumns("loss", g => g.Loss);
            for (int i = 0; i < Parties.Length; i++)
            {
                int k = i;
                Number($"{Parties[k]}.mean", g => Party(g, k).Mean);
                Number($"{Parties[k]}.p99", g => Party(g, k).P99);
                Number($"{Parties[k]}.worst1PercentMean", g => Party(g, k).WorstPercentMean);
            }
            Number("governmentExhausted.probability", g => g.Exhausted.Probability);
            Number("governmentExhausted.standardError", g => g.Exhausted.StandardError);
            Number("guarantorInsolvent.probability", g => g.Insolvent.Probability);
            Number("guarantorInsolvent.standardError", g => g.Insolvent.StandardError);
            Number("suspended.probability", g => g.Suspended.Probability);
            Number("suspended.standardError", g => g.Suspended.StandardError);
            Number("guaranteedAmount.mean", g => g.MeanGuaranteed);
            Number("loans.mean", g => g.MeanLoans);
            Number("defaults.mean", g => g.MeanDefaults);
            Number("governmentCost.mean", g => g.Government.Mean);
            // Infinite when the government never pays: left empty, as JSON cannot hold it either.
            Finite("fiscalLeverage", g => g.FiscalLeverage);
            LossErrorColumns("loss", g => g.Loss);
            for (int i = 0; i < Parties.Length; i++)
            {
                int k = i;
                Finite($"{Parties[k]}.se.mean", g => Party(g, k).StandardErrors.Mean);
                Finite($"{Parties[k]}.se.p99", g => Party(g, k).StandardErrors.P99);
            }
        }
    }
}
