using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Funds.Format;
using Simulator.Reporting.Html;
using static Simulator.Reporting.Html.InputTables;
using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Reporting.Plots;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Instruments;

/// <summary>The funds' report: "funds" and "programme" in summary.json, funds.csv, the loss-ratio charts, the console table.</summary>
internal sealed class FundsReport : IInstrumentReport
{
    public string Kind => FundsInstrument.KindName;

    /// <summary>
    /// The programme of a single fund that is not a direct programme: pooled over one fund, its loss ratio and
    /// tolerance are the fund's own, so a row, bar or curve of its own would only repeat the fund's.
    /// </summary>
    internal static ProgrammeResult? DistinctProgramme(SimulationResult run) =>
        run.Funds is [{ Fund.Type: not FundType.Direct }] ? null : run.Programme;

    /// <summary>
    /// The policy's rule set (the tolerance of each fund type the scenario has), then per fund its own tolerance (moves
    /// the what-if server answers from the base's rows, without new trials), its allocation (commitment and government
    /// share), its factor loadings and its due-diligence exemption.
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var funds = ((FundsResult)result).Funds;
        if (funds.Count == 0) yield break;
        var policy = run.Scenario.Spec().Policy?.Tolerance;
        (FundType Type, string Field, double? Value)[] rules =
            [(FundType.Seed, "seed", policy?.Seed), (FundType.Angel, "angel", policy?.Angel), (FundType.Venture, "venture", policy?.Venture),
             (FundType.Direct, "directProject", policy?.DirectProject),
             (FundType.Industry, "industry", policy is null ? null : Simulator.Core.Format.PolicyRules.Industry(policy)),
             (FundType.Buyout, "buyout", policy is null ? null : Simulator.Core.Format.PolicyRules.Buyout(policy))];
        // The named rule sets: choosing one moves every tolerance the file does not write itself.
        yield return WhatIfControl.Choice("policy.rules", "rule set (named)", "policy", Simulator.Core.Format.PolicyRules.Names,
            run.Scenario.Spec().Policy?.Rules ?? Simulator.Core.Format.PolicyRules.Default);
        foreach (var (type, field, value) in rules)
            if (value is { } v && funds.Any(f => f.Fund.Type == type))
                yield return new WhatIfControl($"policy.tolerance.{field}", $"rule set: {field} tolerance (funds without their own)", 0, 1, 0.01, v, "share") { Group = "policy" };
        var factors = run.Scenario.Economy.Factors;
        for (int i = 0; i < funds.Count; i++)
        {
            var fund = funds[i].Fund;
            string at = WhatIfPaths.Item("funds", fund.Name, i);
            yield return new WhatIfControl(at + ".tolerance",
                fund.Type == FundType.Direct ? $"{fund.Name}: tolerance per project" : $"{fund.Name}: loss tolerance",
                0, 1, 0.01, fund.Tolerance, "share") { Group = fund.Name };
            yield return WhatIfControl.Amount(at + ".commitment", $"{fund.Name}: commitment (allocation)", fund.Name, fund.Commitment);
            yield return new WhatIfControl(at + ".governmentShare", $"{fund.Name}: government share of the commitment", 0, 1, 0.01, fund.GovernmentShare, "share") { Group = fund.Name };
            for (int k = 0; k < factors.Count && k < fund.Loadings.Count; k++)
                yield return WhatIfControl.Loading($"{at}.exposure.{factors[k].Name}", fund.Name, factors[k].Name, fund.Loadings, k);
            if (fund.Exemption is { } exemption)
                yield return new WhatIfControl(at + ".exemption.probability", $"{fund.Name}: share of losses excused (exemption)", 0, 1, 0.01, exemption.Probability, "share") { Group = fund.Name };
        }
    }

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsResult)result;
        w.WriteStartArray("funds");
        foreach (var f in r.Funds)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Fund.Name);
            w.WriteString("type", JsonNamingPolicy.CamelCase.ConvertName(f.Fund.Type.ToString()));
            w.WriteNumber("tolerance", f.Fund.Tolerance);
            w.WritePropertyName("lossRatio");
            SummaryJsonWriter.WriteLoss(w, f.LossRatio);
            w.WritePropertyName("breach");
            SummaryJsonWriter.WriteProbability(w, f.Breach);
            w.WriteStartObject("netMultiple");
            SummaryJsonWriter.WriteSpread(w, "privateLp", f.NetMultiplePrivate);
            SummaryJsonWriter.WriteSpread(w, "government", f.NetMultipleGovernment);
            w.WriteEndObject();
            w.WriteStartObject("netIrr");
            SummaryJsonWriter.WriteSpread(w, "privateLp", f.NetIrrPrivate, undefinedShare: true);
            SummaryJsonWriter.WriteSpread(w, "government", f.NetIrrGovernment, undefinedShare: true);
            w.WriteEndObject();
            w.WriteStartObject("invested");
            SummaryJsonWriter.WriteNumber(w, "mean", f.MeanInvested);
            w.WriteEndObject();
            w.WriteStartObject("proceeds");
            SummaryJsonWriter.WriteNumber(w, "mean", f.MeanProceeds);
            w.WriteEndObject();
            if (f.Projects is { } p)
            {
                w.WriteStartObject("projects");
                w.WriteNumber("deals", f.Fund.Deals);
                SummaryJsonWriter.WriteNumber(w, "meanBreaching", p.MeanBreachingProjects);
                SummaryJsonWriter.WriteNumber(w, "breachProbability", p.ProjectBreachProbability);
                SummaryJsonWriter.WriteNumber(w, "breachStandardError", p.StandardError);
                w.WriteEndObject();
            }
            if (f.BreachBeforeExemption is { } before)
            {
                w.WriteStartObject("exemption");
                w.WritePropertyName("breachBefore");
                SummaryJsonWriter.WriteProbability(w, before);
                SummaryJsonWriter.WriteNumber(w, "meanExcusedLoss", f.MeanExcusedLoss ?? 0);
                w.WriteEndObject();
            }
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
        if (r.Programme is { } programme)
        {
            w.WriteStartObject("programme");
            w.WritePropertyName("lossRatio");
            SummaryJsonWriter.WriteLoss(w, programme.LossRatio);
            w.WritePropertyName("breach");
            SummaryJsonWriter.WriteProbability(w, programme.Breach);
            w.WriteStartObject("tolerance");
            SummaryJsonWriter.WriteNumber(w, "mean", programme.MeanTolerance);
            w.WriteEndObject();
            if (r.BreachByVintage is { } byVintage)
            {
                w.WritePropertyName("breachByVintage");
                SummaryJsonWriter.WriteProbability(w, byVintage);
            }
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("programme");
        }
        if (r.Vintages.Count == 0) return;
        w.WriteStartArray("vintages");
        foreach (var v in r.Vintages)
        {
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteNumber("startYear", v.StartYear);
            w.WriteStartArray("funds");
            foreach (string f in v.Funds) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WritePropertyName("lossRatio");
            SummaryJsonWriter.WriteLoss(w, v.LossRatio);
            w.WritePropertyName("breach");
            SummaryJsonWriter.WriteProbability(w, v.Breach);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        foreach (string file in TableFiles(run, result)) FundsCsvWriter.Write(run, Path.Combine(folder, file));
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) =>
        HasItems(result) ? [FundsCsvWriter.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The fund's name (one row per fund, in file order), then the programme: all funds pooled",
        ["type"] = "The fund's type (seed, angel, vc, direct, …); programme for the programme row",
        ["tolerance"] = "The fund's loss tolerance (direct: per project); on the programme row, the mean invested-weighted tolerance",
        ["lossRatio"] = "Loss ratio max(0, (invested − proceeds) / invested), gross of fees (the programme: pooled over its funds)",
        ["breach"] = "Breach: the loss ratio exceeds the tolerance (direct: at least one project breached)",
        ["netMultiple.privateLp"] = "Net multiple of the private LPs (received ÷ paid in, after fees and carry), over the trials where it is defined",
        ["netMultiple.government"] = "Net multiple of the government LP (received ÷ paid in, after fees, carry and any concession), over the trials where it is defined",
        ["netIrr.privateLp"] = "Net IRR of the private LPs' yearly cash flows, over the trials where it is defined",
        ["netIrr.government"] = "Net IRR of the government LP's yearly cash flows, over the trials where it is defined",
        ["invested.mean"] = "Mean amount invested (CNY); the programme row: the sum over the funds",
        ["proceeds.mean"] = "Mean gross exit proceeds (CNY); the programme row: the sum over the funds",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsResult)result;
        string title = run.Scenario.Title;
        foreach (var fund in r.Funds) yield return new PlotFile(LossRatioHistogram.FileName(fund), path => LossRatioHistogram.Write(fund, title, path));
        if (r.Programme is null) yield break;
        yield return new PlotFile(ExceedanceChart.FileName, path => ExceedanceChart.Write(run, path), Large: true);
        yield return new PlotFile(BreachChart.FileName, path => BreachChart.Write(run, path), Large: true);
    }

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (FundsResult)result;
        if (r.Funds.Count == 0) return;
        int width = Math.Max(12, r.Funds.Max(f => f.Fund.Name.Length) + 2);
        w.WriteLine($"  {"fund".PadRight(width)}{"type",-9}{"tolerance",10}{"mean loss",11}{"p99 loss",10}{"P(breach)",11}  95% CI");
        foreach (var f in r.Funds)
            w.WriteLine(Row(f.Fund.Name, f.Fund.Type.ToString().ToLowerInvariant(), f.Fund.Tolerance, f.LossRatio.Mean, f.LossRatio.P99, f.Breach, width));
        if (DistinctProgramme(run) is { } p) w.WriteLine(Row("programme", "pooled", p.MeanTolerance, p.LossRatio.Mean, p.LossRatio.P99, p.Breach, width));
        foreach (var f in r.Funds.Where(f => f.BreachBeforeExemption is not null))
            w.WriteLine($"  {f.Fund.Name}: P(breach) {FigureText.Probability(f.BreachBeforeExemption!.Probability)} without its exemption, {FigureText.Probability(f.Breach.Probability)} with it; mean excused loss {FigureText.MoneyWithUnit(f.MeanExcusedLoss ?? 0)}");
        foreach (var v in r.Vintages)
            w.WriteLine(Row(v.Name, "vintage", VintageTolerance(run, v), v.LossRatio.Mean, v.LossRatio.P99, v.Breach, width));
        if (r.BreachByVintage is { } byVintage)
            w.WriteLine($"  programme breaches when judged vintage by vintage (any vintage breaching) with probability {FigureText.Probability(byVintage.Probability)}, pooled across vintages {FigureText.Probability(r.Programme!.Breach.Probability)}");
    }

    /// <summary>A vintage's invested-weighted tolerance at the funds' commitments (its mean when checks are fixed).</summary>
    private static double VintageTolerance(SimulationResult run, VintageResult v)
    {
        var funds = run.Funds.Where(f => v.Funds.Contains(f.Fund.Name)).ToList();
        return funds.Sum(f => f.MeanInvested * f.Fund.Tolerance) / Math.Max(1e-300, funds.Sum(f => f.MeanInvested));
    }

    private static string Row(string name, string type, double tolerance, double mean, double p99, ProbabilityEstimate breach, int width) =>
        string.Create(CultureInfo.InvariantCulture,
            $"  {name.PadRight(width)}{type,-9}{FigureText.Tolerance(tolerance),10}{FigureText.Ratio(mean),11}{FigureText.Ratio(p99),10}{FigureText.Probability(breach.Probability),11}  [{FigureText.Probability(breach.Ci95Low)}, {FigureText.Probability(breach.Ci95High)}]");

    /// <inheritdoc/>
    public BatchHeadline Headline(SimulationResult run, IInstrumentResult result, BatchHeadline headline)
    {
        var funds = (FundsResult)result;
        var worst = funds.Funds.OrderByDescending(f => f.Breach.Probability).FirstOrDefault();
        return headline with { ProgrammeBreach = funds.Programme?.Breach.Probability, WorstFundBreach = worst?.Breach.Probability, WorstFund = worst?.Fund.Name };
    }

    /// <inheritdoc/>
    public string Inputs(SimulationResult simulation)
    {
        var scenario = simulation.Scenario;
        var spec = scenario.Spec();
        var sb = new StringBuilder();
        if (spec.Funds is not { Count: > 0 } funds) return "";
        {
            var tol = spec.Policy?.Tolerance ?? ScenarioDefaults.Tolerance;
            sb.Append("<h3>Policy tolerances</h3>\n");
            // The categories that came with rule sets are shown when the file has them (a rule set resolves them all), so
            // the reports of files without them stay as they were.
            var columns = new List<Column> { new("Seed funds", true), new("Angel funds", true), new("Venture funds", true), new("Single direct project", true) };
            var cells = new List<Cell> { Tol(tol.Seed), Tol(tol.Angel), Tol(tol.Venture), Tol(tol.DirectProject) };
            foreach (var (label, value) in new[] { ("Industry funds", tol.Industry), ("Buyout funds", tol.Buyout), ("Seed-stage / future-industry funds", tol.FutureIndustry), ("Funds-of-funds", tol.FundOfFunds) })
            {
                if (value is null) continue;
                columns.Add(new Column(label, true));
                cells.Add(Tol(value));
            }
            if (spec.Policy?.Rules is { } rules && Simulator.Core.Format.PolicyRules.All.TryGetValue(rules, out var set))
                sb.Append($"<p>Rule set <code>{HtmlText.Encode(rules)}</code>: {HtmlText.Encode(set.Source)} Fields written in the file override it.</p>\n");
            sb.Append(new HtmlTable([.. columns]).Row([.. cells]).Render());
            sb.Append("<p class=\"note\">The share of the amount invested a fund may lose over its whole life without breaching the rules; a fund's own tolerance overrides its type's.</p>\n");

            sb.Append("<h3>Funds</h3>\n");
            var run = funds.Select(f => scenario.Funds.FirstOrDefault(x => x.Name == f.Name)).ToList();
            var t = Parameters("funds-inputs", funds.Select(f => f.Name ?? "").ToList());
            InputTables.Row(t, "Type", funds.Select(f => Cell.Text(f.Type?.ToString().ToLowerInvariant())));
            InputTables.Row(t, "Commitment (million CNY)", funds.Select(f => Cell.Money(f.Commitment ?? double.NaN)));
            InputTables.Row(t, "Government share", funds.Select(f => Fraction(f.GovernmentShare ?? 0)));
            InputTables.Row(t, "Deals", funds.Select(f => Cell.Number(FigureText.Integer(f.Deals ?? 0), f.Deals ?? 0)));
            InputTables.Row(t, "Check (million CNY)", funds.Select(f => Distribution(f.Check, true)));
            if (funds.Any(f => f.StartYear is not null and not 1))
                InputTables.Row(t, "Start year (vintage)", funds.Select(f => Whole(f.StartYear ?? 1)));
            InputTables.Row(t, "Investment years", funds.Select((f, i) => Whole(run[i]?.InvestmentYears ?? f.InvestmentYears ?? 0)));
            InputTables.Row(t, "Life (years)", funds.Select(f => Whole(f.LifeYears ?? 0)));
            InputTables.Row(t, "Outcome model", funds.Select(f => Cell.Text(f.Outcomes ?? FundsFormat.OutcomeName(f))));
            InputTables.Row(t, "Exposure (factor loadings)", funds.Select(f => Cell.Text(Exposure(f.Exposure))));
            InputTables.Row(t, "Tolerance", funds.Select((f, i) =>
            {
                double tolerance = run[i]?.Tolerance ?? f.Tolerance ?? double.NaN;
                return Cell.Number(FigureText.Tolerance(tolerance) + (f.Type == FundType.Direct ? " per project" : "") + (f.Tolerance is null ? "" : " (own)"), tolerance);
            }));
            InputTables.Row(t, "Management fee (a year)", funds.Select(f => Fraction(f.Fees?.Management ?? 0)));
            InputTables.Row(t, "Carry", funds.Select(f => Fraction(f.Fees?.Carry ?? 0)));
            InputTables.Row(t, "Hurdle", funds.Select(f => Fraction(f.Fees?.Hurdle ?? 0)));
            InputTables.Row(t, "Profit concession to private LPs", funds.Select(f => Fraction(f.Concession ?? 0)));
            sb.Append(t.Render());
        }

        return sb.ToString();
    }

    public string Noun => "funds";

    public bool HasItems(IInstrumentResult result) => ((FundsResult)result).Funds.Count > 0;

    public string KeyFigures(SimulationResult result, IInstrumentResult instrument)
    {
        var sb = new StringBuilder();
        if (result.Funds.Count > 0)
        {
            sb.Append("<h3>Funds and programme</h3>\n");
            var t = new HtmlTable(new Column("Fund"), new Column("Type"), new Column("Tolerance", true, "Share of the amount invested the fund may lose"),
                new Column("P(breach)", true, "Probability that the loss ratio exceeds the tolerance"), new Column("95% interval", true, "Wilson score interval of the breach probability"),
                new Column("Mean loss ratio", true), new Column("p99 loss ratio", true, "99 trials in 100 lose no more")) { Id = "key-funds" };
            foreach (var f in result.Funds)
            {
                bool direct = f.Fund.Type == FundType.Direct;
                t.Row([
                    Cell.Text(f.Fund.Name, "name"), Cell.Text(f.Fund.Type.ToString().ToLowerInvariant()),
                    Cell.Number(FigureText.Tolerance(f.Fund.Tolerance) + (direct ? " per project" : ""), f.Fund.Tolerance),
                    ResultTables.WithError(Cell.Probability(f.Breach.Probability), f.Breach.StandardError, Cell.Probability), ScenarioReport.Interval(f.Breach),
                    ResultTables.WithError(Cell.Ratio(f.LossRatio.Mean), f.LossRatio.StandardErrors.Mean, Cell.Ratio),
                    ResultTables.WithError(Cell.Ratio(f.LossRatio.P99), f.LossRatio.StandardErrors.P99, Cell.Ratio),
                ]);
            }
            if (DistinctProgramme(result) is { } p)
            {
                t.Row([
                    Cell.Text("programme", "name"), Cell.Text("pooled, life cycle"),
                    Cell.Number(FigureText.Tolerance(p.MeanTolerance), p.MeanTolerance, title: "Mean of the invested-weighted tolerance"),
                    Cell.Probability(p.Breach.Probability), ScenarioReport.Interval(p.Breach),
                    ResultTables.WithError(Cell.Ratio(p.LossRatio.Mean), p.LossRatio.StandardErrors.Mean, Cell.Ratio),
                    ResultTables.WithError(Cell.Ratio(p.LossRatio.P99), p.LossRatio.StandardErrors.P99, Cell.Ratio),
                ], "total");
            }
            if (instrument is FundsResult { Vintages.Count: > 0 } withVintages)
            {
                foreach (var v in withVintages.Vintages)
                {
                    double tolerance = VintageTolerance(result, v);
                    t.Row([
                        Cell.Text(v.Name, "name"), Cell.Text("vintage, pooled"), Cell.Number(FigureText.Tolerance(tolerance), tolerance),
                        Cell.Probability(v.Breach.Probability), ScenarioReport.Interval(v.Breach),
                        ResultTables.WithError(Cell.Ratio(v.LossRatio.Mean), v.LossRatio.StandardErrors.Mean, Cell.Ratio),
                        ResultTables.WithError(Cell.Ratio(v.LossRatio.P99), v.LossRatio.StandardErrors.P99, Cell.Ratio),
                    ]);
                }
                var any = withVintages.BreachByVintage!;
                t.Row([Cell.Text("programme, by vintage", "name"), Cell.Text("any vintage"), Cell.Text("—", "muted"),
                    Cell.Probability(any.Probability), ScenarioReport.Interval(any), Cell.Text("—", "muted"), Cell.Text("—", "muted")]);
            }
            sb.Append(t.Render());
            if (instrument is FundsResult { Vintages.Count: > 0 })
                sb.Append("<p class=\"note\">Vintages: the funds of each start year pooled alone. \"Programme, by vintage\": the probability that at least one vintage breaches when each is judged alone; the programme row pools every vintage (the life-cycle evaluation across vintages).</p>\n");
            sb.Append("<p class=\"note\">Loss ratio: the share of the amount invested that is not returned over the fund's life. ").Append(HtmlText.Encode(ProgrammeNote(result))).Append("</p>\n");
            foreach (var f in result.Funds.Where(f => f.Projects is not null))
            {
                var pr = f.Projects!;
                sb.Append("<p class=\"note\"><b>").Append(HtmlText.Encode(f.Fund.Name)).Append("</b> (direct investments): each of its ")
                    .Append(FigureText.Integer(f.Fund.Deals)).Append(" projects is judged alone against ").Append(FigureText.Tolerance(f.Fund.Tolerance))
                    .Append("; on average ").Append(pr.MeanBreachingProjects.ToString("F2", CultureInfo.InvariantCulture)).Append(" projects breach, and a project breaches with probability ")
                    .Append(FigureText.Probability(pr.ProjectBreachProbability)).Append(" ± ").Append(FigureText.Probability(pr.StandardError)).Append(".</p>\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>What the programme's row says, in words that hold for this run: the pooling, and how it compares with the funds.</summary>
    private static string ProgrammeNote(SimulationResult result)
    {
        if (DistinctProgramme(result) is not { } p)
            return "With one fund, the programme's life-cycle evaluation is the fund's own, so it has no row of its own.";
        var riskiest = result.Funds.MaxBy(f => f.Breach.Probability)!;
        string comparison = p.Breach.Probability < riskiest.Breach.Probability ? "less often than" : p.Breach.Probability > riskiest.Breach.Probability ? "more often than" : "as often as";
        return "The programme pools every fund's losses and judges them against the invested-weighted tolerance (life-cycle evaluation): "
            + $"it breaches in {FigureText.Probability(p.Breach.Probability)} of trials, {comparison} its riskiest fund, {riskiest.Fund.Name} ({FigureText.Probability(riskiest.Breach.Probability)}).";
    }

    public void AddCards(SimulationResult result, IInstrumentResult instrument, List<(string Label, string Value, string Detail)> cards)
    {
        if (DistinctProgramme(result) is { } p)
        {
            cards.Add(("Programme breach probability", FigureText.Probability(p.Breach.Probability),
                $"95% interval {FigureText.Probability(p.Breach.Ci95Low)} – {FigureText.Probability(p.Breach.Ci95High)}; mean tolerance {FigureText.Tolerance(p.MeanTolerance)}"));
        }
        if (result.Funds.Count == 1 && DistinctProgramme(result) is null)
        {
            var f = result.Funds[0];
            cards.Add(($"Breach probability, {f.Fund.Name}", FigureText.Probability(f.Breach.Probability),
                $"95% interval {FigureText.Probability(f.Breach.Ci95Low)} – {FigureText.Probability(f.Breach.Ci95High)}; tolerance {FigureText.Tolerance(f.Fund.Tolerance)}"));
        }
        else if (result.Funds.Count > 1 || (result.Funds.Count == 1 && result.Programme is null))
        {
            var worst = result.Funds.OrderByDescending(f => f.Breach.Probability).First();
            cards.Add(("Highest fund breach probability", FigureText.Probability(worst.Breach.Probability),
                $"{worst.Fund.Name} ({worst.Fund.Type.ToString().ToLowerInvariant()}, tolerance {FigureText.Tolerance(worst.Fund.Tolerance)})"));
        }
    }

    public string Tables(SimulationResult result, IInstrumentResult instrument) => HasItems(instrument) ? TablesOf(result) : "";

    public PlotInfo? Describe(string file, string name, SimulationResult result, IInstrumentResult instrument)
    {
        if (name.StartsWith("lossratio-", StringComparison.Ordinal))
        {
            string fund = name["lossratio-".Length..];
            var f = result.Funds.FirstOrDefault(x => x.Fund.Name == fund);
            string tolerance = f is null ? "the tolerance" : f.Fund.Type == FundType.Direct
                ? $"the per-project tolerance ({FigureText.Tolerance(f.Fund.Tolerance)})"
                : $"the tolerance ({FigureText.Tolerance(f.Fund.Tolerance)})";
            return new PlotInfo(file, $"Loss ratio — {fund}",
                $"Bars: share of trials per loss-ratio bin (loss as a share of the amount invested). Red line: {tolerance}; trials to its right breach it. " +
                "Dashed black line: the mean; dotted grey line: the 99th percentile. A bar cut off at the top is labelled with its height.", false);
        }
        if (name == "exceedance")
        {
            return new PlotInfo(file, "Exceedance curves",
                "Each curve: the probability (log scale) that a fund's loss ratio exceeds the value on the horizontal axis" +
                (DistinctProgramme(result) is null ? ". " : "; the thick black curve is the programme pooled over its life. ") +
                "Diamonds: each series' tolerance, so the height there is its breach probability; one step down the axis is ten times less likely. " +
                "Shaded: 95% bands, wide where a tail rests on a handful of trials.", false);
        }
        if (name == "breach")
        {
            return new PlotInfo(file, "Breach probabilities",
                (DistinctProgramme(result) is null ? "Bar: probability of breaching the loss tolerance. "
                    : "Bars: probability of breaching the loss tolerance per fund and for the programme (life-cycle evaluation). ") +
                "Whiskers: 95% confidence intervals; where two whiskers overlap, the difference may be Monte Carlo noise.", false);
        }
        return null;
    }

    private static string TablesOf(SimulationResult result)
    {
        var sb = new StringBuilder();
        var programme = DistinctProgramme(result);

        sb.Append("<h3>Loss-ratio distribution</h3>\n");
        var loss = new HtmlTable(new Column("Fund"), new Column("Tolerance", true), new Column("Mean", true), new Column("Sd", true, "Standard deviation"),
            new Column("p50", true, "Median"), new Column("p90", true), new Column("p95", true), new Column("p99", true), new Column("p99.9", true),
            new Column("ES99", true, "Expected shortfall at 99%: mean loss ratio of the worst 1% of trials")) { Id = "funds-loss" };
        foreach (var f in result.Funds) loss.Row([Cell.Text(f.Fund.Name, "name"), Cell.Number(FigureText.Tolerance(f.Fund.Tolerance), f.Fund.Tolerance), .. ResultTables.LossCells(f.LossRatio, Cell.Ratio)]);
        if (programme is not null)
            loss.Row([Cell.Text("programme", "name"), Cell.Number(FigureText.Tolerance(programme.MeanTolerance), programme.MeanTolerance), .. ResultTables.LossCells(programme.LossRatio, Cell.Ratio)], "total");
        sb.Append(loss.Render());
        sb.Append("<p class=\"note\">Hover over a figure for its standard error (Monte Carlo error).</p>\n");

        sb.Append("<h3>Breach of the tolerance, money invested and returned</h3>\n");
        var breach = new HtmlTable(new Column("Fund"), new Column("P(breach)", true), new Column("Standard error", true), new Column("95% low", true),
            new Column("95% high", true), new Column("Breaching trials", true), new Column("Invested, mean (million CNY)", true),
            new Column("Proceeds, mean (million CNY)", true, "Gross proceeds of the projects")) { Id = "funds-breach" };
        foreach (var f in result.Funds)
            breach.Row([Cell.Text(f.Fund.Name, "name"), .. ResultTables.BreachCells(f.Breach), Cell.Money(f.MeanInvested), Cell.Money(f.MeanProceeds)]);
        if (programme is not null)
        {
            breach.Row([Cell.Text("programme", "name"), .. ResultTables.BreachCells(programme.Breach),
                Cell.Money(result.Funds.Sum(f => f.MeanInvested)), Cell.Money(result.Funds.Sum(f => f.MeanProceeds))], "total");
        }
        sb.Append(breach.Render());

        sb.Append("<h3>Net multiples</h3>\n");
        sb.Append(Spread(result, "funds-multiple", f => (f.NetMultiplePrivate, f.NetMultipleGovernment), FigureText.Multiple));
        sb.Append("<p class=\"note\">What each LP gets back per yuan paid in, after fees and carry, including the government's profit concession; a dash: the fund has no such LP.</p>\n");
        sb.Append("<h3>Net IRRs</h3>\n");
        sb.Append(Spread(result, "funds-irr", f => (f.NetIrrPrivate, f.NetIrrGovernment), FigureText.Ratio, undefinedShare: true));
        sb.Append("<p class=\"note\">Annual internal rate of return of each LP's cash flows, over the trials in which it is defined. "
            + "It is undefined (and those trials are left out) when the LP receives money before it pays any in, or when the rate "
            + "would have the opposite sign of its gain: such flows are a loan to the LP, and their rate a borrowing rate. "
            + "\"No IRR\": the share of trials left out — large shares make the other columns describe only part of the outcomes.</p>\n");

        var thresholds = result.Funds.SelectMany(f => f.LossRatio.Exceedance.Select(e => e.Threshold))
            .Concat(programme?.LossRatio.Exceedance.Select(e => e.Threshold) ?? []).Distinct().Order().ToList();
        if (thresholds.Count > 0)
        {
            sb.Append("<h3>Probability that the loss ratio exceeds</h3>\n");
            var t = new HtmlTable([new Column("Fund"), .. thresholds.Select(x => new Column(FigureText.Tolerance(x), true))]);
            foreach (var f in result.Funds) t.Row([Cell.Text(f.Fund.Name, "name"), .. ResultTables.ExceedanceCells(f.LossRatio, thresholds)]);
            if (programme is not null) t.Row([Cell.Text("programme", "name"), .. ResultTables.ExceedanceCells(programme.LossRatio, thresholds)], "total");
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    private static string Spread(SimulationResult result, string id, Func<FundResult, (SpreadSummary? Private, SpreadSummary? Government)> pick, Func<double, string> format,
        bool undefinedShare = false)
    {
        Column[] group = [new("Mean", true), new("p5", true), new("p50", true), new("p95", true),
            .. undefinedShare ? new[] { new Column("No IRR", true, "Share of trials in which the IRR is undefined, left out of the other columns") } : []];
        var t = new HtmlTable([new Column("Fund"), .. group, .. group]) { Id = id };
        t.Group("", 1).Group("Private LPs", group.Length).Group("Government", group.Length);
        IEnumerable<Cell> Cells(SpreadSummary? s) => undefinedShare
            ? [.. ResultTables.SpreadCells(s, format), s is null ? Cell.Text("—", "muted") : Cell.Probability(s.UndefinedShare)]
            : ResultTables.SpreadCells(s, format);
        foreach (var f in result.Funds)
        {
            var (priv, gov) = pick(f);
            t.Row([Cell.Text(f.Fund.Name, "name"), .. Cells(priv), .. Cells(gov)]);
        }
        return t.Render();
    }

}
