using CsvHelper;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;

namespace Simulator.Reporting.Csv;

/// <summary>Writes funds.csv: the funds' and the programme's summary as a table, one row each.</summary>
public static class FundsCsvWriter
{
    private static readonly string[] Loss = ["mean", "sd", "p50", "p90", "p95", "p99", "p999", "es99"];
    private static readonly string[] Spread = ["mean", "p5", "p50", "p95"];

    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Header { get; } =
    [
        "name", "type", "tolerance",
        .. Loss.Select(x => $"lossRatio.{x}"),
        "breach.probability", "breach.standardError", "breach.ci95Low", "breach.ci95High",
        .. Spread.Select(x => $"netMultiple.privateLp.{x}"), .. Spread.Select(x => $"netMultiple.government.{x}"),
        .. Spread.Select(x => $"netIrr.privateLp.{x}"), .. Spread.Select(x => $"netIrr.government.{x}"),
        "invested.mean", "proceeds.mean",
        .. Loss.Select(x => $"lossRatio.se.{x}").Where(x => x != "lossRatio.se.sd"),
        .. new[] { "netMultiple.privateLp", "netMultiple.government", "netIrr.privateLp", "netIrr.government" }
            .SelectMany(f => Spread.Select(x => $"{f}.se.{x}")),
        "netIrr.privateLp.undefinedShare", "netIrr.government.undefinedShare",
    ];

    /// <summary>Writes the table.</summary>
    public static void Write(SimulationResult result, string path)
    {
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        using var csv = new CsvWriter(writer, TrialsCsvSink.Configuration);
        foreach (var h in Header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var f in result.Funds)
        {
            var fields = new List<string> { f.Fund.Name, f.Fund.Type.ToString().ToLowerInvariant(), Formats.Number(f.Fund.Tolerance) };
            fields.AddRange(LossFields(f.LossRatio));
            fields.AddRange(ProbabilityFields(f.Breach));
            foreach (var s in new[] { f.NetMultiplePrivate, f.NetMultipleGovernment, f.NetIrrPrivate, f.NetIrrGovernment }) fields.AddRange(SpreadFields(s));
            fields.Add(Formats.Number(f.MeanInvested));
            fields.Add(Formats.Number(f.MeanProceeds));
            fields.AddRange(ErrorFields(f.LossRatio));
            foreach (var spread in new[] { f.NetMultiplePrivate, f.NetMultipleGovernment, f.NetIrrPrivate, f.NetIrrGovernment })
            {
                fields.AddRange(spread is null ? Enumerable.Repeat("", 4)
                    : new[] { spread.StandardErrors.Mean, spread.StandardErrors.P5, spread.StandardErrors.P50, spread.StandardErrors.P95 }
                        .Select(x => double.IsFinite(x) ? Formats.Number(x) : ""));
            }
            foreach (var irr in new[] { f.NetIrrPrivate, f.NetIrrGovernment }) fields.Add(irr is null ? "" : Formats.Number(irr.UndefinedShare));
            WriteRow(csv, fields);
        }
        if (result.Programme is not { } p) return;
        var programme = new List<string> { "programme", "programme", Formats.Number(p.MeanTolerance) };
        programme.AddRange(LossFields(p.LossRatio));
        programme.AddRange(ProbabilityFields(p.Breach));
        programme.AddRange(Enumerable.Repeat("", 16));
        programme.Add(Formats.Number(result.Funds.Sum(f => f.MeanInvested)));
        programme.Add(Formats.Number(result.Funds.Sum(f => f.MeanProceeds)));
        programme.AddRange(ErrorFields(p.LossRatio));
        programme.AddRange(Enumerable.Repeat("", 16 + 2));
        WriteRow(csv, programme);
    }

    private static IEnumerable<string> LossFields(LossSummary l) =>
        new[] { l.Mean, l.Sd, l.P50, l.P90, l.P95, l.P99, l.P999, l.Es99 }.Select(Formats.Number);

    /// <summary>Standard errors of the loss summary, in the order of the header's lossRatio.se.* columns.</summary>
    internal static IEnumerable<string> ErrorFields(LossSummary l) =>
        new[] { l.StandardErrors.Mean, l.StandardErrors.P50, l.StandardErrors.P90, l.StandardErrors.P95, l.StandardErrors.P99, l.StandardErrors.P999, l.StandardErrors.Es99 }
            .Select(x => double.IsFinite(x) ? Formats.Number(x) : "");

    private static IEnumerable<string> ProbabilityFields(ProbabilityEstimate p) =>
        new[] { p.Probability, p.StandardError, p.Ci95Low, p.Ci95High }.Select(Formats.Number);

    private static IEnumerable<string> SpreadFields(SpreadSummary? s) =>
        s is null ? Enumerable.Repeat("", 4) : new[] { s.Mean, s.P5, s.P50, s.P95 }.Select(Formats.Number);

    private static void WriteRow(CsvWriter csv, IEnumerable<string> fields)
    {
        foreach (var field in fields) csv.WriteField(field);
        csv.NextRecord();
    }
}
