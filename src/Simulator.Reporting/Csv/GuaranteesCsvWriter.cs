using CsvHelper;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Csv;

/// <summary>Writes guarantees.csv: one row per scheme with the headline figures of summary.json.</summary>
public static class GuaranteesCsvWriter
{
    private static readonly string[] Loss = ["mean", "sd", "p50", "p90", "p95", "p99", "p999", "es99"];
    private static readonly string[] Parties = ["guarantor", "reGuarantee", "bank", "government"];

    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "name",
        .. Loss.Select(x => $"loss.{x}"),
        .. Parties.SelectMany(p => new[] { $"{p}.mean", $"{p}.p99", $"{p}.worst1PercentMean" }),
        "governmentExhausted.probability", "governmentExhausted.standardError",
        "guarantorInsolvent.probability", "guarantorInsolvent.standardError",
        "suspended.probability", "suspended.standardError",
        "guaranteedAmount.mean", "loans.mean", "defaults.mean", "governmentCost.mean", "fiscalLeverage",
        .. Loss.Where(x => x != "sd").Select(x => $"loss.se.{x}"),
        .. Parties.SelectMany(p => new[] { $"{p}.se.mean", $"{p}.se.p99" }),
    ];

    /// <summary>Writes the table (nothing when the scenario has no guarantees).</summary>
    public static void Write(SimulationResult result, string path)
    {
        if (result.Guarantees.Count == 0) return;
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        using var csv = new CsvWriter(writer, TrialsCsvSink.Configuration);
        foreach (var h in Header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var g in result.Guarantees)
        {
            var l = g.Loss;
            var numbers = new List<double> { l.Mean, l.Sd, l.P50, l.P90, l.P95, l.P99, l.P999, l.Es99 };
            foreach (var p in new[] { g.Guarantor, g.ReGuarantee, g.Bank, g.Government }) numbers.AddRange([p.Mean, p.P99, p.WorstPercentMean]);
            numbers.AddRange([g.Exhausted.Probability, g.Exhausted.StandardError, g.Insolvent.Probability, g.Insolvent.StandardError,
                g.Suspended.Probability, g.Suspended.StandardError, g.MeanGuaranteed, g.MeanLoans, g.MeanDefaults, g.Government.Mean,
                double.IsFinite(g.FiscalLeverage) ? g.FiscalLeverage : double.NaN]);
            csv.WriteField(g.Guarantee.Name);
            foreach (var x in numbers) csv.WriteField(Formats.Number(x));
            foreach (var x in FundsCsvWriter.ErrorFields(g.Loss)) csv.WriteField(x);
            foreach (var p in new[] { g.Guarantor, g.ReGuarantee, g.Bank, g.Government })
            {
                csv.WriteField(double.IsFinite(p.StandardErrors.Mean) ? Formats.Number(p.StandardErrors.Mean) : "");
                csv.WriteField(double.IsFinite(p.StandardErrors.P99) ? Formats.Number(p.StandardErrors.P99) : "");
            }
            csv.NextRecord();
        }
    }
}
