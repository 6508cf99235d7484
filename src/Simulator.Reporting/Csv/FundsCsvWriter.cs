using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;

namespace Simulator.Reporting.Csv;

/// <summary>Writes funds.csv: the funds' and the programme's summary as a table, one row each.</summary>
public static class FundsCsvWriter
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "funds.csv";

    /// <summary>The header row.</summary>
    public static IReadOnlyList<string> Header { get; } = new Map().MemberMaps.Select(m => m.Data.Names[0]).ToList();

    /// <summary>Writes the table.</summary>
    public static void Write(SimulationResult result, string path)
    {
        var rows = result.Funds.Select(f => new Row(f.Fund.Name, f.Fund.Type.ToString().ToLowerInvariant(), f.Fund.Tolerance, f.LossRatio, f.Breach,
            [f.NetMultiplePrivate, f.NetMultipleGovernment, f.NetIrrPrivate, f.NetIrrGovernment], f.MeanInvested, f.MeanProceeds)).ToList();
        // The programme pools the funds; it has no LPs of its own, so its return columns stay empty.
        if (result.Programme is { } p)
        {
            rows.Add(new Row("programme", "programme", p.MeanTolerance, p.LossRatio, p.Breach, [null, null, null, null],
                result.Funds.Sum(f => f.MeanInvested), result.Funds.Sum(f => f.MeanProceeds)));
        }
        CsvTable.Write(path, new Map(), rows);
    }

    /// <summary>A fund or the programme; <c>Returns</c> holds the net multiples and IRRs in the order of
    /// <see cref="Map.Returns"/>, null where there is no such LP.</summary>
    private sealed record Row(string Name, string Type, double Tolerance, LossSummary Loss, ProbabilityEstimate Breach,
        SpreadSummary?[] Returns, double Invested, double Proceeds);

    private sealed class Map : SummaryMap<Row>
    {
        /// <summary>The return figures, in column order.</summary>
        internal static readonly string[] Returns = ["netMultiple.privateLp", "netMultiple.government", "netIrr.privateLp", "netIrr.government"];

        private static readonly string[] Spread = ["mean", "p5", "p50", "p95"];

        public Map()
        {
            Text("name", r => r.Name);
            Text("type", r => r.Type);
            Number("tolerance", r => r.Tolerance);
            LossColumns("lossRatio", r => r.Loss);
            Number("breach.probability", r => r.Breach.Probability);
            Number("breach.standardError", r => r.Breach.StandardError);
            Number("breach.ci95Low", r => r.Breach.Ci95Low);
            Number("breach.ci95High", r => r.Breach.Ci95High);
            for (int f = 0; f < Returns.Length; f++)
            {
                for (int i = 0; i < Spread.Length; i++)
                {
                    int k = f, j = i;
                    Number($"{Returns[k]}.{Spread[j]}", r => r.Returns[k] is { } s ? Values(s)[j] : double.NaN);
                }
            }
            Number("invested.mean", r => r.Invested);
            Number("proceeds.mean", r => r.Proceeds);
            LossErrorColumns("lossRatio", r => r.Loss);
            for (int f = 0; f < Returns.Length; f++)
            {
                for (int i = 0; i < Spread.Length; i++)
                {
                    int k = f, j = i;
                    Finite($"{Returns[k]}.se.{Spread[j]}", r => r.Returns[k] is { } s ? Errors(s)[j] : double.NaN);
                }
            }
            // The share of trials in which each class's IRR is undefined (flows that are not an investment).
            Number("netIrr.privateLp.undefinedShare", r => r.Returns[2] is { } s ? s.UndefinedShare : double.NaN);
            Number("netIrr.government.undefinedShare", r => r.Returns[3] is { } s ? s.UndefinedShare : double.NaN);
        }

        private static double[] Values(SpreadSummary s) => [s.Mean, s.P5, s.P50, s.P95];

        private static double[] Errors(SpreadSummary s) => [s.StandardErrors.Mean, s.StandardErrors.P5, s.StandardErrors.P50, s.StandardErrors.P95];
    }
}
