using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.FundOfFunds;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.FundOfFunds;

/// <summary>
/// The funds-of-funds' report: "fundOfFunds" in summary.json, their key figures and inputs in report.html, a console
/// table. Nothing at all when the scenario has none, so the files of scenarios without them do not change.
/// </summary>
internal sealed class FundsOfFundsReport : IInstrumentReport
{
    public string Kind => FundsOfFundsInstrument.KindName;

    public string Noun => "funds-of-funds";

    public bool HasItems(IInstrumentResult result) => ((FundsOfFundsResult)result).Items.Count > 0;

    /// <remarks>What a fund-of-funds' designer argues about: its tolerance (and the rule set's, for those without their
    /// own), the government's share of its own LP interests, its stake in each sub-fund, its fees and its concession. A
    /// stake spans (0, what the other funds-of-funds leave of that fund], so every value keeps the format's sum of at most 1.</remarks>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var items = ((FundsOfFundsResult)result).Items;
        if (items.Count == 0) yield break;
        var spec = run.Scenario.Spec();
        if ((spec.FundOfFunds ?? []).Any(f => f.Tolerance is null) && spec.Policy?.Tolerance is { } policy)
            yield return new WhatIfControl("policy.tolerance.fundOfFunds", "rule set: fund-of-funds tolerance (those without their own)",
                0, 1, 0.01, Simulator.Core.Format.PolicyRules.FundOfFunds(policy), "share") { Group = "policy" };
        var held = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var stake in items.SelectMany(f => f.FundOfFunds.Commitments)) held[stake.Fund] = held.GetValueOrDefault(stake.Fund) + stake.Share;
        for (int i = 0; i < items.Count; i++)
        {
            var f = items[i].FundOfFunds;
            string name = f.Name, at = WhatIfPaths.Item("fundOfFunds", name, i);
            yield return new WhatIfControl(at + ".tolerance", $"{name}: loss tolerance (on its paid-in capital)", 0, 1, 0.01, f.Tolerance, "share") { Group = name };
            yield return new WhatIfControl(at + ".governmentShare", $"{name}: government share of its own LP interests", 0, 1, 0.01, f.GovernmentShare, "share") { Group = name };
            for (int k = 0; k < f.Commitments.Count; k++)
            {
                var stake = f.Commitments[k];
                // The share must stay above 0; the most it can take is what the other funds-of-funds leave of that fund.
                double most = Math.Max(stake.Share, 1 - (held[stake.Fund] - stake.Share));
                yield return new WhatIfControl($"{at}.commitments[{k.ToString(CultureInfo.InvariantCulture)}].share", $"{name}: stake in {stake.Fund} (share of that fund's LP interests)",
                    Math.Min(0.01, stake.Share), most, 0.01, stake.Share, "share") { Group = name };
            }
            yield return new WhatIfControl(at + ".fees.management", $"{name}: management fee (yearly, on capital not yet returned)",
                0, Math.Min(0.2, Math.Max(0.03, 2 * f.Management)), 0.0005, f.Management, "share") { Group = name };
            yield return new WhatIfControl(at + ".fees.carry", $"{name}: carried interest", 0, Math.Min(0.99, Math.Max(0.3, 2 * f.Carry)), 0.01, f.Carry, "share") { Group = name };
            yield return new WhatIfControl(at + ".fees.hurdle", $"{name}: hurdle (its LPs' preferred return)", 0, Math.Min(1, Math.Max(0.12, 2 * f.Hurdle)), 0.005, f.Hurdle, "share") { Group = name };
            yield return new WhatIfControl(at + ".concession", $"{name}: concession (government profit ceded to its private LPs, if it has any)", 0, 1, 0.01, f.Concession, "share") { Group = name };
            if (f.ConcessionToManager is { } toManager)
                yield return new WhatIfControl(at + ".concessionToManager", $"{name}: part of the concession paid to its manager", 0, 1, 0.01, toManager, "share") { Group = name };
        }
    }

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsOfFundsResult)result;
        if (r.Items.Count == 0) return;
        w.WriteStartArray("fundOfFunds");
        foreach (var f in r.Items)
        {
            w.WriteStartObject();
            w.WriteString("name", f.FundOfFunds.Name);
            w.WriteNumber("tolerance", f.FundOfFunds.Tolerance);
            w.WritePropertyName("lossRatio");
            SummaryJsonWriter.WriteLoss(w, f.LossRatio);
            w.WritePropertyName("breach");
            SummaryJsonWriter.WriteProbability(w, f.Breach);
            SummaryJsonWriter.WriteNumber(w, "meanPaidIn", f.MeanPaidIn);
            SummaryJsonWriter.WriteNumber(w, "meanDistributed", f.MeanDistributed);
            SummaryJsonWriter.WriteNumber(w, "netMultiple", f.NetMultiple);
            SummaryJsonWriter.WriteNumber(w, "grossMultiple", f.GrossMultiple);
            SummaryJsonWriter.WriteNumber(w, "feeDrag", f.FeeDrag);
            SummaryJsonWriter.WriteNumber(w, "governmentLookThrough", f.GovernmentLookThrough);
            SummaryJsonWriter.WriteNumber(w, "lookThroughLossRatio", f.LookThroughLossRatio);
            if (f.MeanConcession is { } ceded)
            {
                w.WriteStartObject("concession");
                SummaryJsonWriter.WriteNumber(w, "meanToSocialLps", ceded.SocialLps);
                SummaryJsonWriter.WriteNumber(w, "meanToManager", ceded.Manager);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        if (HasItems(result)) CsvTable.Write(Path.Combine(folder, FundsOfFundsCsv.FileName), new FundsOfFundsCsv(), ((FundsOfFundsResult)result).Items);
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [FundsOfFundsCsv.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The fund-of-funds' name (one row per fund-of-funds, in file order)",
        ["tolerance"] = "Its loss tolerance, on its paid-in capital",
        ["lossRatio"] = "Its loss ratio: the share of its LPs' paid-in capital not paid back, after both layers of fees and carry",
        ["breach"] = "Breach: its loss ratio exceeds its tolerance",
        ["meanPaidIn"] = "Mean capital its LPs paid in (CNY): its stakes' calls and its own fees",
        ["meanDistributed"] = "Mean paid out to its LPs (CNY)",
        ["netMultiple"] = "Mean net multiple of its LPs (paid out ÷ paid in)",
        ["grossMultiple"] = "Mean look-through gross multiple of the projects it holds through its stakes",
        ["feeDrag"] = "Mean of gross multiple − net multiple: what two layers of fees and carry take",
        ["governmentLookThrough"] = "Mean project capital the government holds through it (CNY)",
        ["lookThroughLossRatio"] = "Mean loss ratio of the projects it holds through its stakes",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => [];

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsOfFundsResult)result;
        if (r.Items.Count == 0) return;
        int width = Math.Max(16, r.Items.Max(f => f.FundOfFunds.Name.Length) + 2);
        w.WriteLine($"  {"fund-of-funds".PadRight(width)}{"tolerance",10}{"mean loss",11}{"p99 loss",10}{"P(breach)",11}{"net mult.",11}{"fee drag",10}");
        foreach (var f in r.Items)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {f.FundOfFunds.Name.PadRight(width)}{FigureText.Tolerance(f.FundOfFunds.Tolerance),10}{FigureText.Ratio(f.LossRatio.Mean),11}{FigureText.Ratio(f.LossRatio.P99),10}{FigureText.Probability(f.Breach.Probability),11}{FigureText.Multiple(f.NetMultiple),11}{FigureText.Multiple(f.FeeDrag),10}"));
    }

    public string Inputs(SimulationResult run)
    {
        var items = run.Get<FundsOfFundsResult>()?.Items ?? [];
        if (items.Count == 0) return "";
        var t = Parameters("fundoffunds-inputs", [.. items.Select(f => f.FundOfFunds.Name)]);
        Row(t, "Stakes (fund: share)", items.Select(f => Cell.Text(string.Join(", ",
            f.FundOfFunds.Commitments.Select(c => $"{c.Fund}: {FigureText.Tolerance(c.Share)}")))));
        Row(t, "Government share", items.Select(f => Fraction(f.FundOfFunds.GovernmentShare)));
        Row(t, "Management fee (a year)", items.Select(f => Fraction(f.FundOfFunds.Management)));
        Row(t, "Carry", items.Select(f => Fraction(f.FundOfFunds.Carry)));
        Row(t, "Hurdle", items.Select(f => Fraction(f.FundOfFunds.Hurdle)));
        Row(t, "Profit concession to private LPs", items.Select(f => Fraction(f.FundOfFunds.Concession)));
        Row(t, "Tolerance (on paid-in capital)", items.Select(f => Fraction(f.FundOfFunds.Tolerance)));
        return "<h3>Funds-of-funds</h3>\n" + t.Render();
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsOfFundsResult)result;
        if (r.Items.Count == 0) return "";
        var t = new HtmlTable(new Column("Fund-of-funds"), new Column("Tolerance", true, "Share of its paid-in capital it may lose"),
            new Column("P(breach)", true), new Column("95% interval", true), new Column("Mean loss ratio", true), new Column("p99 loss ratio", true),
            new Column("Net multiple", true, "Paid to its LPs per yuan they paid in, after both layers of fees and carry"),
            new Column("Gross multiple", true, "Proceeds per yuan invested in the projects it holds through its stakes"),
            new Column("Fee drag", true, "Gross multiple less net multiple"),
            new Column("Government look-through (million CNY)", true, "Project capital held by the government through it")) { Id = "key-fundoffunds" };
        foreach (var f in r.Items)
        {
            t.Row([
                Cell.Text(f.FundOfFunds.Name, "name"), Cell.Number(FigureText.Tolerance(f.FundOfFunds.Tolerance), f.FundOfFunds.Tolerance),
                Cell.Probability(f.Breach.Probability), ScenarioReport.Interval(f.Breach), Cell.Ratio(f.LossRatio.Mean), Cell.Ratio(f.LossRatio.P99),
                Cell.Number(FigureText.Multiple(f.NetMultiple), f.NetMultiple), Cell.Number(FigureText.Multiple(f.GrossMultiple), f.GrossMultiple),
                Cell.Number(FigureText.Multiple(f.FeeDrag), f.FeeDrag), Cell.Money(f.GovernmentLookThrough),
            ]);
        }
        return "<h3>Funds-of-funds</h3>\n" + t.Render()
            + "<p class=\"note\">A fund-of-funds is judged on its paid-in capital (its stakes' calls and its own fees): its loss ratio is the share of it not paid back to its LPs, after the sub-funds' and its own fees and carry.</p>\n";
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
    }

    public string Tables(SimulationResult run, IInstrumentResult result) => "";

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => null;
}

/// <summary>fundOfFunds.csv: one row per fund-of-funds with its figures (the same as summary.json's "fundOfFunds").</summary>
internal sealed class FundsOfFundsCsv : SummaryMap<FundOfFundsResult>
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "fundOfFunds.csv";

    public FundsOfFundsCsv()
    {
        Text("name", f => f.FundOfFunds.Name);
        Number("tolerance", f => f.FundOfFunds.Tolerance);
        Number("breach.probability", f => f.Breach.Probability);
        Number("breach.standardError", f => f.Breach.StandardError);
        LossColumns("lossRatio", f => f.LossRatio);
        Finite("meanPaidIn", f => f.MeanPaidIn);
        Finite("meanDistributed", f => f.MeanDistributed);
        Finite("netMultiple", f => f.NetMultiple);
        Finite("grossMultiple", f => f.GrossMultiple);
        Finite("feeDrag", f => f.FeeDrag);
        Finite("governmentLookThrough", f => f.GovernmentLookThrough);
        Finite("lookThroughLossRatio", f => f.LookThroughLossRatio);
        LossErrorColumns("lossRatio", f => f.LossRatio);
    }
}
