using System.Globalization;
using System.Text;
using Simulator.Core.Scenarios;
using System.Text.Json;
using Simulator.Core.Guarantees.Format;
using Simulator.Reporting.Html;
using static Simulator.Reporting.Html.InputTables;
using Simulator.Core.Engine;
using Simulator.Core.Guarantees;
using Simulator.Core.Instruments;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Json;
using Simulator.Reporting.Plots;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Instruments;

/// <summary>The guarantee schemes' report: "guarantees" in summary.json, guarantees.csv, the schemes' charts, the console table.</summary>
internal sealed class GuaranteesReport : IInstrumentReport
{
    public string Kind => GuaranteesInstrument.KindName;

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (GuaranteesResult)result;
        w.WriteStartArray("guarantees");
        foreach (var g in r.Guarantees) WriteGuarantee(w, g);
        w.WriteEndArray();
    }

    /// <summary>
    /// Per scheme: the government's share (taken from or given to the bank's, as the shares sum to 1), the pool's cap
    /// and budget where it has them, the guarantor's capital, and the PD and factor loadings of a generated book (a
    /// tape's are per class of the tape).
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var schemes = ((GuaranteesResult)result).Guarantees;
        var factors = run.Scenario.Economy.Factors;
        for (int i = 0; i < schemes.Count; i++)
        {
            var g = schemes[i].Guarantee;
            string at = WhatIfPaths.Item("guarantees", g.Name, i);
            var shares = g.Shares;
            yield return new WhatIfControl(at + ".shares.government", $"{g.Name}: government share (bank's share balances)",
                WhatIfControl.GridFrom(0, shares.Government, 0.01), shares.Government + shares.Bank, 0.01, shares.Government, "share", at + ".shares.bank", shares.Bank) { Group = g.Name };
            if (double.IsFinite(g.Government.CapRate))
                yield return new WhatIfControl(at + ".government.capRate", $"{g.Name}: pool cap (share of the amount guaranteed)",
                    WhatIfControl.GridFrom(0, g.Government.CapRate, 0.001), Math.Max(0.1, 2 * g.Government.CapRate), 0.001, g.Government.CapRate, "share") { Group = g.Name };
            if (double.IsFinite(g.Government.Budget) && g.Government.Budget > 0)
                yield return new WhatIfControl(at + ".government.budget", $"{g.Name}: pool budget",
                    0, 2 * g.Government.Budget, g.Government.Budget / 50, g.Government.Budget, "money") { Group = g.Name };
            if (g.Guarantor is { Capital: > 0 } guarantor)
                yield return WhatIfControl.Amount(at + ".guarantor.capital", $"{g.Name}: guarantor's capital", g.Name, guarantor.Capital);
            if (g.Book is GeneratedBook book)
            {
                var loans = book.Classes[0];
                yield return new WhatIfControl(at + ".loans.pd", $"{g.Name}: annual PD",
                    WhatIfControl.GridFrom(0, loans.Pd, 0.001), Math.Min(1, Math.Max(0.1, 3 * loans.Pd)), 0.001, loans.Pd, "share") { Group = g.Name };
                for (int k = 0; k < factors.Count && k < loans.Loadings.Count; k++)
                    yield return WhatIfControl.Loading($"{at}.loans.exposure.{factors[k].Name}", g.Name, factors[k].Name, loans.Loadings, k);
            }
        }
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        foreach (string file in TableFiles(run, result)) GuaranteesCsvWriter.Write(run, Path.Combine(folder, file));
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) =>
        HasItems(result) ? [GuaranteesCsvWriter.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The guarantee scheme's name (one row per scheme, in file order)",
        ["loss"] = "Total credit loss of the scheme (CNY): Σ amount × LGD over the defaults",
        ["guarantor"] = "What the guarantor paid (CNY)",
        ["reGuarantee"] = "What the re-guarantee paid (CNY)",
        ["bank"] = "What the banks bore (CNY)",
        ["government"] = "What the government pool paid (CNY)",
        ["governmentExhausted"] = "Government pool exhausted: at some default the pool could not pay its full share (budget or cap reached)",
        ["guarantorInsolvent"] = "Guarantor insolvent: a payment exceeded its capital, or its costs took the capital below 0",
        ["suspended"] = "New loans suspended by the payout-rate trigger",
        ["guaranteedAmount"] = "Cumulative amount guaranteed, all loans issued (CNY)",
        ["loans"] = "Number of loans issued",
        ["defaults"] = "Number of defaults",
        ["governmentCost"] = "The government's cost: the pool's payments (CNY)",
        ["fiscalLeverage"] = "guaranteedAmount.mean ÷ governmentCost.mean: yuan of loans guaranteed per yuan the government pays in expectation (empty when the pool never pays)",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => GuaranteePlots.Files(run);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var r = (GuaranteesResult)result;
        if (r.Guarantees.Count == 0) return;
        int width = Math.Max(12, r.Guarantees.Max(g => g.Guarantee.Name.Length) + 2);
        w.WriteLine($"  {"guarantee".PadRight(width)}{"guaranteed",12}{"mean loss",11}{"p99 loss",11}{"gov. cost",11}{"leverage",10}{"P(exhaust)",12}{"P(insolv.)",12}{"P(susp.)",10}");
        foreach (var g in r.Guarantees)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {g.Guarantee.Name.PadRight(width)}{FigureText.Money(g.MeanGuaranteed),12}{FigureText.Money(g.Loss.Mean),11}{FigureText.Money(g.Loss.P99),11}{FigureText.Money(g.Government.Mean),11}{FigureText.Leverage(g.FiscalLeverage),10}{FigureText.Probability(g.Exhausted.Probability),12}{FigureText.Probability(g.Insolvent.Probability),12}{FigureText.Probability(g.Suspended.Probability),10}"));
        }
        w.WriteLine("  (amounts in million CNY; leverage = guaranteed amount per yuan of government cost)");
        foreach (var g in r.Guarantees)
        {
            if (g.Guarantee.PdGrading is { } grading) w.WriteLine($"  {g.Guarantee.Name}: PDs graded: {GradingText(grading)}");
        }
    }

    private static void WriteGuarantee(Utf8JsonWriter w, GuaranteeResult g)
    {
        w.WriteStartObject();
        w.WriteString("name", g.Guarantee.Name);
        if (g.Guarantee.PdGrading is { } grading) WriteGrading(w, grading);
        w.WritePropertyName("loss");
        SummaryJsonWriter.WriteLoss(w, g.Loss);
        w.WriteStartObject("parties");
        foreach (var (name, party) in new[] { ("guarantor", g.Guarantor), ("reGuarantee", g.ReGuarantee), ("bank", g.Bank), ("government", g.Government) })
        {
            w.WriteStartObject(name);
            SummaryJsonWriter.WriteNumber(w, "mean", party.Mean);
            SummaryJsonWriter.WriteNumber(w, "p99", party.P99);
            SummaryJsonWriter.WriteNumber(w, "worst1PercentMean", party.WorstPercentMean);
            SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("mean", party.StandardErrors.Mean), ("p99", party.StandardErrors.P99));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("worst1Percent");
        SummaryJsonWriter.WriteNumber(w, "meanLoss", g.WorstPercentLoss);
        w.WriteEndObject();
        w.WritePropertyName("governmentExhausted");
        SummaryJsonWriter.WriteProbability(w, g.Exhausted);
        w.WritePropertyName("guarantorInsolvent");
        SummaryJsonWriter.WriteProbability(w, g.Insolvent);
        w.WritePropertyName("suspended");
        SummaryJsonWriter.WriteProbability(w, g.Suspended);
        w.WriteStartObject("guaranteedAmount");
        SummaryJsonWriter.WriteNumber(w, "mean", g.MeanGuaranteed);
        w.WriteEndObject();
        w.WriteStartObject("loans");
        SummaryJsonWriter.WriteNumber(w, "mean", g.MeanLoans);
        w.WriteEndObject();
        w.WriteStartObject("defaults");
        SummaryJsonWriter.WriteNumber(w, "mean", g.MeanDefaults);
        w.WriteEndObject();
        w.WriteStartObject("governmentCost");
        SummaryJsonWriter.WriteNumber(w, "mean", g.Government.Mean);
        SummaryJsonWriter.WriteNumber(w, "p99", g.Government.P99);
        w.WriteEndObject();
        SummaryJsonWriter.WriteNumber(w, "fiscalLeverage", g.FiscalLeverage);
        w.WriteStartArray("byYear");
        for (int t = 0; t < g.ExhaustedByYear.Count; t++)
        {
            w.WriteStartObject();
            w.WriteNumber("year", t + 1);
            SummaryJsonWriter.WriteNumber(w, "governmentExhaustedProbability", g.ExhaustedByYear[t]);
            SummaryJsonWriter.WriteNumber(w, "guarantorInsolventProbability", g.InsolventByYear[t]);
            if (g.ByYearStandardErrors.Count > t)
            {
                SummaryJsonWriter.WriteNumber(w, "governmentExhaustedStandardError", g.ByYearStandardErrors[t].Exhausted);
                SummaryJsonWriter.WriteNumber(w, "guarantorInsolventStandardError", g.ByYearStandardErrors[t].Insolvent);
            }
            if (g.CapitalByYear.Count > t)
            {
                w.WriteStartObject("guarantorCapital");
                SummaryJsonWriter.WriteNumber(w, "p5", g.CapitalByYear[t].P5);
                SummaryJsonWriter.WriteNumber(w, "p50", g.CapitalByYear[t].P50);
                SummaryJsonWriter.WriteNumber(w, "p95", g.CapitalByYear[t].P95);
                if (g.CapitalStandardErrors.Count > t)
                {
                    var e = g.CapitalStandardErrors[t];
                    SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("p5", e.P5), ("p50", e.P50), ("p95", e.P95));
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The tape's PD grading (only when the scheme asked for it): the rule, what it merged, the largest relative PD change
    /// it made, the tape's expected loss Σ amount × LGD × PD with exact and graded PDs, and the bound on the change of the
    /// mean loss (docs/model.md §7, "PD grading").
    /// </summary>
    private static void WriteGrading(Utf8JsonWriter w, PdGradingSummary grading)
    {
        w.WriteStartObject("pdGrading");
        w.WriteString("rule", GradingRule);
        SummaryJsonWriter.WriteNumber(w, "maxRelativeError", grading.MaxRelativeError);
        w.WriteStartObject("distinctPds");
        w.WriteNumber("before", grading.DistinctPds);
        w.WriteNumber("after", grading.Grades);
        w.WriteEndObject();
        w.WriteStartObject("riskClasses");
        w.WriteNumber("before", grading.ClassesBefore);
        w.WriteNumber("after", grading.ClassesAfter);
        w.WriteEndObject();
        SummaryJsonWriter.WriteNumber(w, "realisedMaxRelativeChange", grading.RealisedMaxRelativeChange);
        SummaryJsonWriter.WriteNumbers(w, "expectedLoss", ("exact", grading.ExpectedLossExact), ("graded", grading.ExpectedLossGraded));
        SummaryJsonWriter.WriteNumber(w, "meanLossBound", grading.MeanLossBound);
        w.WriteEndObject();
    }

    /// <summary>The grading rule in words, written to summary.json beside its figures.</summary>
    internal const string GradingRule = "per set of factor loadings, sorted distinct PDs cut into grades from the lowest; a loan's PD becomes its grade's "
        + "amount × LGD-weighted mean PD, within maxRelativeError of every PD of the grade; PD 0 is kept";

    /// <summary>One line on a scheme's PD grading, for the console and the report's inputs.</summary>
    private static string GradingText(PdGradingSummary grading) =>
        $"{FigureText.Integer(grading.DistinctPds)} distinct PDs in {FigureText.Integer(grading.Grades)} grades, each PD moved by at most "
        + $"{FigureText.Percent(grading.RealisedMaxRelativeChange, 2)} (allowed {FigureText.Percent(grading.MaxRelativeError, 2)}); "
        + $"expected loss {FigureText.Money(grading.ExpectedLossExact)} → {FigureText.Money(grading.ExpectedLossGraded)}, "
        + $"mean loss within ± {FigureText.Money(grading.MeanLossBound)} of the exact tape's (million CNY)";

    /// <inheritdoc/>
    public BatchHeadline Headline(SimulationResult run, IInstrumentResult result, BatchHeadline headline)
    {
        var schemes = ((GuaranteesResult)result).Guarantees;
        return schemes.Count > 0 ? headline with { GovernmentCost = schemes.Sum(g => g.Government.Mean) } : headline;
    }

    /// <inheritdoc/>
    public string Inputs(SimulationResult simulation)
    {
        var scenario = simulation.Scenario;
        if (scenario.Spec().Guarantees is not { Count: > 0 } guarantees) return "";
        var sb = new StringBuilder();
        sb.Append("<h3>Guarantee schemes</h3>\n");
        var t = Parameters("guarantees-inputs", guarantees.Select(g => g.Name ?? "").ToList());
        var books = guarantees.Select(g => scenario.Guarantees.FirstOrDefault(x => x.Name == g.Name)?.Book).ToList();
        t.Section("Loans");
        InputTables.Row(t, "Loans", guarantees.Select((g, i) => g.Loans is { } l
            ? Cell.Text($"{FigureText.Integer(l.PerYear ?? 0)} a year for {l.Years ?? 0} year{(l.Years == 1 ? "" : "s")}")
            : Cell.Text($"loan tape {g.LoanTape}" + (books[i] is { } b ? $" ({FigureText.Integer(b.Count)} loans)" : ""), "long")));
        // A loan tape gives these per loan; its totals and ranges say more than "per loan" alone.
        var tapes = books.Select(b => b as TapeBook).ToList();
        InputTables.Row(t, "Amount (million CNY)", guarantees.Select((g, i) => g.Loans is { } l ? Distribution(l.Amount, true)
            : tapes[i] is { } tape ? Cell.Text($"per loan; total {FigureText.Money(tape.Amount.Sum())}", "long") : Cell.Text("per loan")));
        InputTables.Row(t, "Max per borrower (million CNY)", guarantees.Select(g => g.Loans is { } l ? l.MaxPerBorrower is { } cap ? Cell.Money(cap) : Cell.Text("no cap") : Cell.Text("—")));
        InputTables.Row(t, "Term (years)", guarantees.Select((g, i) => g.Loans is { } l ? Whole(l.TermYears ?? 1)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.TermYears.Min(), tape.TermYears.Max(), x => x.ToString(Invariant))) : Cell.Text("per loan")));
        InputTables.Row(t, "Annual PD", guarantees.Select((g, i) => g.Loans is { } l ? Cell.Probability(l.Pd ?? double.NaN)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.Classes.Min(c => c.Pd), tape.Classes.Max(c => c.Pd), FigureText.Probability)) : Cell.Text("per loan")));
        var grading = guarantees.Select(g => scenario.Guarantees.FirstOrDefault(x => x.Name == g.Name)?.PdGrading).ToList();
        if (grading.Any(x => x is not null))
            InputTables.Row(t, "PD grading", grading.Select(x => x is { } gr ? Cell.Text(GradingText(gr), "long") : Cell.Text("exact (none)")));
        InputTables.Row(t, "LGD (loss given default)", guarantees.Select((g, i) => g.Loans is { } l ? Distribution(l.Lgd, false)
            : tapes[i] is { Count: > 0 } tape ? Cell.Text(Range(tape.LgdValues.Min(), tape.LgdValues.Max(), HtmlText.Plain)) : Cell.Text("per loan")));
        InputTables.Row(t, "Exposure (factor loadings)", guarantees.Select(g => g.Loans is { } l ? Cell.Text(Exposure(l.Exposure)) : Cell.Text("per loan")));
        t.Section("Share of every default loss");
        InputTables.Row(t, "Guarantor", guarantees.Select(g => Fraction(g.Shares?.Guarantor ?? 0)));
        InputTables.Row(t, "Re-guarantee", guarantees.Select(g => Fraction(g.Shares?.ReGuarantee ?? 0)));
        InputTables.Row(t, "Bank", guarantees.Select(g => Fraction(g.Shares?.Bank ?? 0)));
        InputTables.Row(t, "Government pool", guarantees.Select(g => Fraction(g.Shares?.Government ?? 0)));
        t.Section("Government pool");
        InputTables.Row(t, "Budget (million CNY)", guarantees.Select(g => g.Government?.Budget is { } budget ? Cell.Money(budget) : Cell.Text("no limit")));
        InputTables.Row(t, "Cap (share of the amount guaranteed)", guarantees.Select(g => g.Government?.CapRate is { } rate ? Fraction(rate) : Cell.Text("no cap")));
        InputTables.Row(t, "What it cannot pay goes to", guarantees.Select(g => Cell.Text(Shortfall(g.Government?.ShortfallTo ?? ShortfallTo.Guarantor))));
        InputTables.Row(t, "Stop new loans above payout rate", guarantees.Select(g => g.SuspendAbovePayoutRate is { } rate ? Fraction(rate) : Cell.Text("never")));
        if (guarantees.Any(g => g.Guarantor is not null))
        {
            t.Section("Guarantor");
            InputTables.Row(t, "Capital (million CNY)", guarantees.Select(g => g.Guarantor is { } q ? Cell.Money(q.Capital ?? 0) : Cell.Text("none")));
            InputTables.Row(t, "Leverage cap", guarantees.Select(g => g.Guarantor is { } q
                ? Cell.Number(HtmlText.Plain(q.LeverageCap ?? GuaranteesFormat.LeverageCap) + "×", q.LeverageCap ?? GuaranteesFormat.LeverageCap) : Cell.Blank));
            InputTables.Row(t, "Fee rate (a year)", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.FeeRate) : Cell.Blank));
            InputTables.Row(t, "Cost rate (a year)", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.CostRate) : Cell.Blank));
            InputTables.Row(t, "Yield on capital", guarantees.Select(g => g.Guarantor is { } q ? Rate(q.Yield) : Cell.Blank));
        }
        if (guarantees.Any(g => !string.IsNullOrEmpty(g.Description)))
        {
            InputTables.Row(t, "Description", guarantees.Select(g => Cell.Text(g.Description, "long")));
        }
        sb.Append(t.Render());
        return sb.ToString();
    }

    private static string Shortfall(ShortfallTo to) => to switch
    {
        ShortfallTo.Bank => "bank",
        ShortfallTo.ProRata => "the others pro rata",
        _ => "guarantor",
    };

    public string Noun => "guarantee schemes";

    public bool HasItems(IInstrumentResult result) => ((GuaranteesResult)result).Guarantees.Count > 0;

    public string KeyFigures(SimulationResult result, IInstrumentResult instrument)
    {
        var sb = new StringBuilder();
        if (result.Guarantees.Count > 0)
        {
            sb.Append("<h3>Guarantee schemes</h3>\n");
            var t = new HtmlTable(new Column("Scheme"), new Column("Mean loss", true, "Mean total credit loss, million CNY"),
                new Column("p99 loss", true, "99th percentile of the total credit loss, million CNY"),
                new Column("ES99 loss", true, "Expected shortfall at 99%: mean loss of the worst 1% of trials, million CNY"),
                new Column("Government cost", true, "Mean payments of the government pool, million CNY"),
                new Column("P(pool exhausted)", true, "Probability that the government pool could not pay its share at some point"),
                new Column("P(guarantor insolvent)", true), new Column("P(suspended)", true, "Probability that new loans were stopped by the payout-rate trigger"),
                new Column("Fiscal leverage", true, "Mean guaranteed amount per yuan of mean government cost")) { Id = "key-guarantees" };
            t.Group("", 1).Group("Credit loss (million CNY)", 3).Group("Government", 2).Group("", 2).Group("", 1);
            foreach (var g in result.Guarantees)
            {
                t.Row([
                    Cell.Text(g.Guarantee.Name, "name"), ResultTables.WithError(Cell.Money(g.Loss.Mean), g.Loss.StandardErrors.Mean, Cell.Money),
                    ResultTables.WithError(Cell.Money(g.Loss.P99), g.Loss.StandardErrors.P99, Cell.Money),
                    ResultTables.WithError(Cell.Money(g.Loss.Es99), g.Loss.StandardErrors.Es99, Cell.Money),
                    Cell.Money(g.Government.Mean), Cell.Probability(g.Exhausted.Probability), Cell.Probability(g.Insolvent.Probability),
                    Cell.Probability(g.Suspended.Probability),
                    Cell.Number(FigureText.Leverage(g.FiscalLeverage), g.FiscalLeverage, title: double.IsInfinity(g.FiscalLeverage) ? "the government never pays" : null),
                ]);
            }
            sb.Append(t.Render());
            sb.Append("<p class=\"note\">Amounts in million CNY over the whole programme. Fiscal leverage: yuan of loans guaranteed per yuan the government pool pays, in the mean.</p>\n");
        }
        return sb.ToString();
    }

    public void AddCards(SimulationResult result, IInstrumentResult instrument, List<(string Label, string Value, string Detail)> cards)
    {
        if (result.Guarantees.Count is > 0 and <= 3)
        {
            foreach (var g in result.Guarantees)
            {
                cards.Add(($"Government cost, {g.Guarantee.Name}", FigureText.Money(g.Government.Mean) + " M CNY",
                    $"mean; p99 {FigureText.Money(g.Government.P99)} M; pool exhausted in {FigureText.Probability(g.Exhausted.Probability)} of trials"));
            }
        }
        else if (result.Guarantees.Count > 3)
        {
            cards.Add(("Government cost of all schemes", FigureText.Money(result.Guarantees.Sum(g => g.Government.Mean)) + " M CNY",
                $"mean, {result.Guarantees.Count} schemes"));
        }
    }

    public string Tables(SimulationResult result, IInstrumentResult instrument) => HasItems(instrument) ? TablesOf(result) : "";

    public PlotInfo? Describe(string file, string name, SimulationResult result, IInstrumentResult instrument)
    {
        if (Scheme(name, "loss-") is { } loss)
        {
            return new PlotInfo(file, $"Credit losses — {loss}",
                "Bars: share of trials per bin of total credit loss (million CNY). Dashed black line: the mean; dotted grey line: the 99th percentile; " +
                "red line: the expected shortfall (mean of the worst 1% of trials), the figure to size a compensation pool against.", false);
        }
        if (Scheme(name, "parties-") is { } parties)
        {
            return new PlotInfo(file, $"Who pays — {parties}",
                "Stacked bars: what each party pays in an average trial (left) and in the worst 1% of trials (right), in million CNY. " +
                "Where the split differs from the contract shares, the pool's budget or cap or the guarantor's insolvency moved losses between parties.", false);
        }
        if (Scheme(name, "capital-") is { } capital)
        {
            return new PlotInfo(file, $"Guarantor capital — {capital}",
                "Line: the guarantor's median capital at the end of each year (million CNY); shaded band: 5th to 95th percentile of trials. " +
                "Below the red dashed zero line the guarantor is insolvent.", false);
        }
        if (Scheme(name, "exhaustion-") is { } exhaustion)
        {
            var scheme = result.Guarantees.FirstOrDefault(g => g.Guarantee.Name == exhaustion);
            if (scheme is not null && GuaranteeExhaustionChart.IsSingleYear(scheme))
            {
                return new PlotInfo(file, $"Pool exhaustion — {exhaustion}",
                    "The book runs a single year, so there is no course over time to draw: the figures are the probabilities that the government pool ran out " +
                    "and that the guarantor became insolvent within that year, with their 95% intervals.", false);
            }
            bool guarantor = scheme?.Guarantee.Guarantor is not null;
            return guarantor
                ? new PlotInfo(file, $"Pool exhaustion and insolvency — {exhaustion}",
                    "Lines: probability that the government pool has run out (green) and that the guarantor is insolvent (blue) by the end of each year; " +
                    "the year a line rises is when a budget or capital top-up would be needed.", false)
                : new PlotInfo(file, $"Pool exhaustion — {exhaustion}",
                    "Line: probability that the government pool has run out by the end of each year; " +
                    "the year it rises is when a budget top-up would be needed.", false);
        }
        return null;
    }

    private static string TablesOf(SimulationResult result)
    {
        var sb = new StringBuilder();
        sb.Append("<h3>Credit-loss distribution (million CNY)</h3>\n");
        var loss = new HtmlTable(new Column("Scheme"), new Column("Mean", true), new Column("Sd", true), new Column("p50", true), new Column("p90", true),
            new Column("p95", true), new Column("p99", true), new Column("p99.9", true), new Column("ES99", true, "Expected shortfall at 99%"),
            new Column("Worst 1%, mean", true, "Mean credit loss over the worst 1% of trials")) { Id = "guarantees-loss" };
        foreach (var g in result.Guarantees) loss.Row([Cell.Text(g.Guarantee.Name, "name"), .. ResultTables.LossCells(g.Loss, Cell.Money), Cell.Money(g.WorstPercentLoss)]);
        sb.Append(loss.Render());

        sb.Append("<h3>Who pays (million CNY)</h3>\n");
        var parties = new HtmlTable(new Column("Scheme"), new Column("Party"), new Column("Contract share", true), new Column("Mean", true),
            new Column("p99", true), new Column("Worst 1%, mean", true, "Mean over the worst 1% of trials by total credit loss")) { Id = "guarantees-parties" };
        foreach (var g in result.Guarantees)
        {
            var sh = g.Guarantee.Shares;
            foreach (var (party, share, paid) in new[]
            {
                ("guarantor", sh.Guarantor, g.Guarantor), ("re-guarantee", sh.ReGuarantee, g.ReGuarantee),
                ("bank", sh.Bank, g.Bank), ("government pool", sh.Government, g.Government),
            })
            {
                parties.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Text(party), Cell.Number(FigureText.Tolerance(share), share),
                    Cell.Money(paid.Mean), Cell.Money(paid.P99), Cell.Money(paid.WorstPercentMean)]);
            }
        }
        sb.Append(parties.Render());

        sb.Append("<h3>Risks</h3>\n");
        var risks = new HtmlTable(new Column("Scheme"), new Column("Probability", true), new Column("± SE", true), new Column("Probability", true), new Column("± SE", true),
            new Column("Probability", true), new Column("± SE", true)) { Id = "guarantees-risks" };
        risks.Group("", 1).Group("Government pool exhausted", 2).Group("Guarantor insolvent", 2).Group("New loans suspended", 2);
        foreach (var g in result.Guarantees)
        {
            risks.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Probability(g.Exhausted.Probability), Cell.Probability(g.Exhausted.StandardError),
                Cell.Probability(g.Insolvent.Probability), Cell.Probability(g.Insolvent.StandardError),
                Cell.Probability(g.Suspended.Probability), Cell.Probability(g.Suspended.StandardError)]);
        }
        sb.Append(risks.Render());

        sb.Append("<h3>Volumes and government cost</h3>\n");
        var volume = new HtmlTable(new Column("Scheme"), new Column("Guaranteed, mean (million CNY)", true), new Column("Loans, mean", true),
            new Column("Defaults, mean", true), new Column("Government cost, mean (million CNY)", true), new Column("Government cost, p99 (million CNY)", true),
            new Column("Fiscal leverage", true, "Mean guaranteed amount per yuan of mean government cost")) { Id = "guarantees-volume" };
        foreach (var g in result.Guarantees)
        {
            volume.Row([Cell.Text(g.Guarantee.Name, "name"), Cell.Money(g.MeanGuaranteed), Cell.Number(FigureText.Count(g.MeanLoans), g.MeanLoans),
                Cell.Number(FigureText.Count(g.MeanDefaults), g.MeanDefaults), Cell.Money(g.Government.Mean), Cell.Money(g.Government.P99),
                Cell.Number(FigureText.Leverage(g.FiscalLeverage), g.FiscalLeverage)]);
        }
        sb.Append(volume.Render());

        foreach (var g in result.Guarantees)
        {
            sb.Append("<h3>By year — ").Append(HtmlText.Encode(g.Guarantee.Name)).Append("</h3>\n");
            bool capital = g.CapitalByYear.Count > 0;
            var columns = new List<Column> { new("Year", true), new("P(pool exhausted by then)", true), new("P(guarantor insolvent by then)", true) };
            if (capital) columns.AddRange([new Column("Capital p5 (million CNY)", true), new Column("Capital p50", true), new Column("Capital p95", true)]);
            var t = new HtmlTable([.. columns]);
            for (int y = 0; y < g.ExhaustedByYear.Count; y++)
            {
                var cells = new List<Cell> { Cell.Number((y + 1).ToString(CultureInfo.InvariantCulture), y + 1), Cell.Probability(g.ExhaustedByYear[y]), Cell.Probability(g.InsolventByYear[y]) };
                if (capital)
                {
                    var c = y < g.CapitalByYear.Count ? g.CapitalByYear[y] : (P5: double.NaN, P50: double.NaN, P95: double.NaN);
                    cells.AddRange([Cell.Money(c.P5), Cell.Money(c.P50), Cell.Money(c.P95)]);
                }
                t.Row(cells);
            }
            sb.Append(t.Render());
        }

        var thresholds = result.Guarantees.SelectMany(g => g.Loss.Exceedance.Select(e => e.Threshold)).Distinct().Order().ToList();
        if (thresholds.Count > 0)
        {
            sb.Append("<h3>Probability that the credit loss exceeds (million CNY)</h3>\n");
            var t = new HtmlTable([new Column("Scheme"), .. thresholds.Select(x => new Column(FigureText.Money(x), true))]);
            foreach (var g in result.Guarantees) t.Row([Cell.Text(g.Guarantee.Name, "name"), .. ResultTables.ExceedanceCells(g.Loss, thresholds)]);
            sb.Append(t.Render());
        }
        return sb.ToString();
    }

    /// <summary>The eight figures of a loss summary, each but the sd with its standard error as a tooltip.</summary>

    private static string? Scheme(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;
}
