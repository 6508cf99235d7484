using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Firms;
using Simulator.Core.Format;
using Simulator.Core.Instruments;
using Simulator.Core.Statistics;
using Simulator.Reporting.Csv;
using Simulator.Reporting.Html;
using Simulator.Reporting.Json;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using static Simulator.Reporting.Html.InputTables;

namespace Simulator.Reporting.Instruments.Firms;

/// <summary>The books of firms' report: "firms" in summary.json, firms.csv, the books' charts, the console table.</summary>
internal sealed class FirmsReport : IInstrumentReport
{
    public string Kind => FirmsInstrument.KindName;

    public string Noun => "books of firms";

    public bool HasItems(IInstrumentResult result) => ((FirmsResult)result).Books.Count > 0;

    /// <summary>
    /// Per book: the loans' PD and rate (共赢贷 trades the rate for a warrant), the warrant's notional and strike, the
    /// link of the legs, the government's compensation shares and budget, and the factor loadings.
    /// </summary>
    public IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result)
    {
        var books = ((FirmsResult)result).Books;
        var specs = run.Scenario.Spec().Firms ?? [];
        var factors = run.Scenario.Economy.Factors;
        for (int i = 0; i < books.Count && i < specs.Count; i++)
        {
            var book = books[i].Book;
            var f = specs[i];
            string name = book.Name, at = WhatIfPaths.Item("firms", name, i);
            bool stake = book.HasEquity && Number(f.Equity?.Check) is not 0.0;
            // A tape's columns override the block's terms firm by firm, so a slider over a block's PD, rate, notional,
            // strike, link or loadings would move only the firms whose rows leave that column out: a tape book offers
            // only what no column sets, its compensation.
            if (f.FirmTape is null)
            {
                if (Number(f.Loan?.Pd) is { } pd)
                    yield return new WhatIfControl(at + ".loan.pd", $"{name}: annual PD of the loans", WhatIfControl.GridFrom(0, pd, 0.001), Math.Min(1, Math.Max(0.1, 3 * pd)), 0.001, pd, "share") { Group = name };
                if (Number(f.Loan?.Rate) is { } rate)
                    yield return new WhatIfControl(at + ".loan.rate", $"{name}: loan interest rate", WhatIfControl.GridFrom(Math.Min(0, rate), rate, 0.0005), Math.Min(1, Math.Max(0.1, 2 * rate)), 0.0005, rate, "share") { Group = name };
                if (book.HasWarrant && Number(f.Warrant?.Notional) is > 0 and var notional)
                    yield return WhatIfControl.Amount(at + ".warrant.notional", $"{name}: warrant notional per firm", name, notional);
                if (book.HasWarrant && f.Warrant?.StrikeMultiple is { } strike)
                    yield return new WhatIfControl(at + ".warrant.strikeMultiple", $"{name}: warrant strike (multiple of the entry valuation)",
                        WhatIfControl.GridFrom(0, strike, 0.05), Math.Min(1e6, Math.Max(3, 2 * strike)), 0.05, strike, "number") { Group = name };
                // The link only matters with a second leg that pays: a warrant or a stake with a check (an equity block with
                // check 0, as in 共赢贷 or ABC's book, only names the outcome model).
                if ((book.HasWarrant || stake) && f.Link is { } link)
                    yield return new WhatIfControl(at + ".link", $"{name}: link of loan and equity (0 independent, 1 comonotone)", WhatIfControl.GridFrom(0, link, 0.05), 1, 0.05, link, "number") { Group = name };
            }
            // Offered without a compensation block too (value 0, what an absent block means): "what if the city paid a share
            // of the bad debts?" is the question a book without one raises; setting it creates the block.
            var c = book.Compensation;
            yield return new WhatIfControl(at + ".compensation.creditLoss", $"{name}: government share of credit losses", WhatIfControl.GridFrom(0, c.CreditLoss, 0.01), 1, 0.01, c.CreditLoss, "share") { Group = name };
            if (stake)
                yield return new WhatIfControl(at + ".compensation.investmentLoss", $"{name}: government share of investment losses", WhatIfControl.GridFrom(0, c.InvestmentLoss, 0.01), 1, 0.01, c.InvestmentLoss, "share") { Group = name };
            if (double.IsFinite(c.Budget) && c.Budget > 0)
                yield return new WhatIfControl(at + ".compensation.budget", $"{name}: compensation budget", 0, Math.Min(1e15, 2 * c.Budget), c.Budget / 50, c.Budget, "money") { Group = name };
            if (f.FirmTape is null)
                for (int k = 0; k < factors.Count && k < book.Firms[0].Loadings.Count; k++)
                    yield return WhatIfControl.Loading($"{at}.exposure.{factors[k].Name}", name, factors[k].Name, book.Firms[0].Loadings, k);
        }
    }

    /// <summary>The value of a law written as a number (or <c>{"fixed": x}</c>), null for any other law: a slider can only
    /// stand for a single number.</summary>
    private static double? Number(DistributionSpec? law) => law is { Kind: DistributionKind.Fixed, Cap: null } ? law.Parameters[0] : null;

    public void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result)
    {
        // Nothing without books: the summary.json of a scenario without firms stays what it was before the kind existed.
        if (!HasItems(result)) return;
        w.WriteStartArray("firms");
        foreach (var b in ((FirmsResult)result).Books) WriteBook(w, b);
        w.WriteEndArray();
    }

    private static void WriteNet(Utf8JsonWriter w, string name, NetResult n)
    {
        w.WriteStartObject(name);
        SummaryJsonWriter.WriteNumber(w, "mean", n.Mean);
        SummaryJsonWriter.WriteNumber(w, "sd", n.Sd);
        SummaryJsonWriter.WriteNumber(w, "p50", n.P50);
        SummaryJsonWriter.WriteNumber(w, "p10", n.P10);
        SummaryJsonWriter.WriteNumber(w, "p5", n.P5);
        SummaryJsonWriter.WriteNumber(w, "p1", n.P1);
        SummaryJsonWriter.WriteNumber(w, "p01", n.P01);
        SummaryJsonWriter.WriteNumber(w, "worst1PercentMean", n.Es99);
        var e = n.StandardErrors;
        SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("mean", e.Mean), ("p50", e.P50), ("p10", e.P90), ("p5", e.P95), ("p1", e.P99), ("p01", e.P999), ("worst1PercentMean", e.Es99));
        w.WriteEndObject();
    }

    private static void WriteLeg(Utf8JsonWriter w, string name, LegCost c)
    {
        w.WriteStartObject(name);
        SummaryJsonWriter.WriteNumber(w, "mean", c.Mean);
        SummaryJsonWriter.WriteNumber(w, "p99", c.P99);
        SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("mean", c.MeanError), ("p99", c.P99Error));
        w.WriteEndObject();
    }

    private static void WriteBook(Utf8JsonWriter w, FirmBookResult b)
    {
        w.WriteStartObject();
        w.WriteString("name", b.Book.Name);
        w.WriteNumber("firms", b.Book.Firms.Count);
        w.WriteString("equityHolder", b.Book.Holder == EquityHolder.Bank ? "bank" : "external");
        WriteNet(w, "bankNet", b.BankNet);
        WriteNet(w, "withoutEquity", b.ReferenceNet);
        w.WritePropertyName("creditLoss");
        SummaryJsonWriter.WriteLoss(w, b.CreditLoss);
        w.WriteStartObject("means");
        SummaryJsonWriter.WriteNumber(w, "interest", b.Interest);
        SummaryJsonWriter.WriteNumber(w, "funding", b.Funding);
        SummaryJsonWriter.WriteNumber(w, "checks", b.Checks);
        SummaryJsonWriter.WriteNumber(w, "equityProceeds", b.EquityProceeds);
        SummaryJsonWriter.WriteNumber(w, "equityResult", b.EquityResult);
        SummaryJsonWriter.WriteNumber(w, "equityLoss", b.EquityLoss);
        SummaryJsonWriter.WriteNumber(w, "warrantPayoff", b.WarrantPayoff);
        SummaryJsonWriter.WriteNumber(w, "defaults", b.Defaults);
        SummaryJsonWriter.WriteNumber(w, "writeOffs", b.WriteOffs);
        w.WriteEndObject();
        w.WritePropertyName("covered");
        SummaryJsonWriter.WriteProbability(w, b.Covered);
        w.WriteStartObject("government");
        SummaryJsonWriter.WriteNumber(w, "mean", b.Government.Mean);
        SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("mean", b.Government.Error));
        WriteLeg(w, "creditLeg", b.GovernmentCredit);
        WriteLeg(w, "equityLeg", b.GovernmentEquity);
        w.WritePropertyName("budgetExhausted");
        SummaryJsonWriter.WriteProbability(w, b.BudgetExhausted);
        w.WriteEndObject();
        var be = b.BreakEven;
        w.WriteStartObject("breakEvenWarrant");
        SummaryJsonWriter.WriteNumber(w, "notionalPerFirm", be.Notional);
        SummaryJsonWriter.WriteNumber(w, "ci95Low", be.Ci95.Low);
        SummaryJsonWriter.WriteNumber(w, "ci95High", be.Ci95.High);
        SummaryJsonWriter.WriteNumber(w, "notionalScale", be.Scale);
        SummaryJsonWriter.WriteNumbers(w, "standardErrors", ("notionalScale", be.ScaleError));
        SummaryJsonWriter.WriteNumber(w, "gainWithoutWarrant", be.GainWithoutWarrant);
        SummaryJsonWriter.WriteNumber(w, "payoffPerUnitScale", be.UnitPayoff);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public void WriteTables(SimulationResult run, IInstrumentResult result, string folder)
    {
        foreach (string file in TableFiles(run, result)) FirmsCsvWriter.Write((FirmsResult)result, Path.Combine(folder, file));
    }

    public IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result) => HasItems(result) ? [FirmsCsvWriter.FileName] : [];

    public IReadOnlyDictionary<string, string> ColumnNotes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The book's name (one row per book of firms, in file order)",
        ["bankNet"] = "The bank's net result over the book's life (CNY): interest − funding + warrant payoff − credit loss + compensation (and its equity result when it holds the stakes)",
        ["withoutEquity"] = "The bank's net result on the same loans without equity or warrant, at the reference rate (CNY)",
        ["creditLoss"] = "Credit loss: Σ amount × lgd over the loans that defaulted (CNY)",
        ["interest"] = "Interest received, gross of funding (CNY)",
        ["equityProceeds"] = "Σ check × multiple at exit (CNY)",
        ["warrantPayoff"] = "Σ notional × max(0, multiple − strike multiple) (CNY)",
        ["covered"] = "Covered: the bank's equity-side gains reach the trial's credit loss",
        ["government"] = "What the government paid on both legs (CNY)",
        ["government.creditLeg"] = "What the government paid on the credit leg (CNY)",
        ["government.equityLeg"] = "What the government paid on the equity leg (CNY)",
        ["budgetExhausted"] = "Budget exhausted: some claim on the government was not paid in full",
        ["breakEven.notionalPerFirm"] = "The warrant notional per firm at which the bank's expected net result equals that of the loans alone (CNY)",
        ["breakEven.ci95Low"] = "Lower end of the break-even notional's 95% interval",
        ["breakEven.ci95High"] = "Upper end of the break-even notional's 95% interval",
    };

    public IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result) => FirmPlots.Files(run, (FirmsResult)result);

    public void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result)
    {
        var books = ((FirmsResult)result).Books;
        if (books.Count == 0) return;
        int width = Math.Max(12, books.Max(b => b.Book.Name.Length) + 2);
        w.WriteLine($"  {"firms".PadRight(width)}{"bank net",11}{"p1 net",11}{"no equity",11}{"credit loss",13}{"P(covered)",12}{"gov. cost",11}{"P(budget)",11}{"break-even",12}");
        foreach (var b in books)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {b.Book.Name.PadRight(width)}{FigureText.Money(b.BankNet.Mean),11}{FigureText.Money(b.BankNet.P1),11}{FigureText.Money(b.ReferenceNet.Mean),11}{FigureText.Money(b.CreditLoss.Mean),13}{FigureText.Probability(b.Covered.Probability),12}{FigureText.Money(b.Government.Mean),11}{FigureText.Probability(b.BudgetExhausted.Probability),11}{BreakEvenText(b.BreakEven.Notional),12}"));
        }
        w.WriteLine("  (amounts in million CNY; no equity = the same loans without equity or warrant; break-even = warrant notional per firm)");
    }

    /// <summary>A break-even notional in million CNY, to the yuan: the difference it comes from is a sum of many flows, whose
    /// rounding leaves a few 1e-9 CNY where it is exactly 0 (a book whose warrants are pure gain).</summary>
    private static string BreakEvenText(double cny) => FigureText.Money(Math.Round(cny) + 0.0); // + 0.0: no "-0.0"

    public string Inputs(SimulationResult run)
    {
        var books = run.Firms;
        if (books.Count == 0) return "";
        var t = Parameters("firms-inputs", books.Select(b => b.Book.Name).ToList());
        t.Section("Firms");
        Row(t, "Firms", books.Select(b => Cell.Text(b.Book.Source, "long")));
        t.Section("Loan (per firm)");
        Row(t, "Amount, mean (million CNY)", books.Select(b => Cell.Money(b.Book.Firms.Average(f => f.Amount.Mean))));
        Row(t, "Term (years)", books.Select(b => Cell.Text(Span(b.Book.Firms.Select(f => (double)f.TermYears)))));
        Row(t, "Annual PD, mean", books.Select(b => Cell.Probability(b.Book.Firms.Average(f => f.Pd.Mean))));
        Row(t, "LGD, mean", books.Select(b => Fraction(b.Book.Firms.Average(f => f.Lgd.Mean))));
        Row(t, "Rate, mean", books.Select(b => Rate(b.Book.Firms.Average(f => f.Rate.Mean))));
        Row(t, "Funding rate, mean", books.Select(b => Rate(b.Book.Firms.Average(f => f.FundingRate.Mean))));
        t.Section("Equity and warrant");
        Row(t, "Equity check, mean (million CNY)", books.Select(b => b.Book.HasEquity ? Cell.Money(b.Book.Firms.Average(f => f.Check.Mean)) : Cell.Text("no equity leg")));
        Row(t, "Outcome model / holder", books.Select(b => Cell.Text(b.Book.HasEquity || b.Book.HasWarrant ? $"{b.Book.Outcomes.Name} / {(b.Book.Holder == EquityHolder.Bank ? "bank" : "external")}" : "—")));
        Row(t, "Warrant notional, mean (million CNY)", books.Select(b => b.Book.HasWarrant ? Cell.Money(b.Book.Firms.Average(f => f.Notional.Mean)) : Cell.Text("no warrant")));
        Row(t, "Link of the legs", books.Select(b => Cell.Text(Span(b.Book.Firms.Select(f => f.Link)))));
        t.Section("Government compensation");
        Row(t, "Share of credit losses", books.Select(b => Fraction(b.Book.Compensation.CreditLoss)));
        Row(t, "Share of investment losses", books.Select(b => Fraction(b.Book.Compensation.InvestmentLoss)));
        Row(t, "Budget (million CNY)", books.Select(b => double.IsInfinity(b.Book.Compensation.Budget) ? Cell.Text("no limit") : Cell.Money(b.Book.Compensation.Budget)));
        return "<h3>Books of firms (loans and equity in the same firm)</h3>\n" + t.Render();
    }

    private static string Span(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return "—";
        double lo = list.Min(), hi = list.Max();
        return lo == hi ? HtmlText.Plain(lo) : $"{HtmlText.Plain(lo)} to {HtmlText.Plain(hi)}";
    }

    public string KeyFigures(SimulationResult run, IInstrumentResult result)
    {
        var books = ((FirmsResult)result).Books;
        if (books.Count == 0) return "";
        var t = new HtmlTable(new Column("Book"), new Column("Bank net, mean", true, "Mean net result of the bank, million CNY"),
            new Column("Bank net, p1", true, "1st percentile of the bank's net result (the worst 1 in 100 trials), million CNY"),
            new Column("Without equity, mean", true, "The same loans without equity or warrant (at the reference rate), million CNY"),
            new Column("P(covered)", true, "Probability that the bank's equity and warrant gains reach its credit losses"),
            new Column("Government, credit leg", true), new Column("Government, equity leg", true),
            new Column("P(budget exhausted)", true), new Column("Break-even notional", true, "Warrant notional per firm at which the bank's mean net result equals that without equity, million CNY; 95% interval in the tooltip"))
        { Id = "key-firms" };
        foreach (var b in books)
        {
            var (low, high) = b.BreakEven.Ci95;
            t.Row([
                Cell.Text(b.Book.Name, "name"), ResultTables.WithError(Cell.Money(b.BankNet.Mean), b.BankNet.StandardErrors.Mean, Cell.Money),
                ResultTables.WithError(Cell.Money(b.BankNet.P1), b.BankNet.StandardErrors.P99, Cell.Money),
                ResultTables.WithError(Cell.Money(b.ReferenceNet.Mean), b.ReferenceNet.StandardErrors.Mean, Cell.Money),
                ScenarioReport.Interval(b.Covered), Cell.Money(b.GovernmentCredit.Mean), Cell.Money(b.GovernmentEquity.Mean), ScenarioReport.Interval(b.BudgetExhausted),
                Cell.Number(BreakEvenText(b.BreakEven.Notional), b.BreakEven.Notional, title: $"95% interval {BreakEvenText(low)} to {BreakEvenText(high)}"),
            ]);
        }
        return "<h3>Loans and equity in the same firm</h3>\n" + t.Render() +
            "<p class=\"note\">Amounts in million CNY over the whole book, undiscounted. The bank's net result is interest − funding + warrant payoff − credit loss + compensation received (+ the equity result when the bank holds the stakes).</p>\n";
    }

    public void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards)
    {
        foreach (var b in ((FirmsResult)result).Books.Take(3))
            cards.Add(($"Bank net result, {b.Book.Name}", FigureText.Money(b.BankNet.Mean) + " M CNY",
                $"mean; without equity {FigureText.Money(b.ReferenceNet.Mean)} M; equity covers credit losses in {FigureText.Probability(b.Covered.Probability)} of trials"));
    }

    public string Tables(SimulationResult run, IInstrumentResult result)
    {
        var books = ((FirmsResult)result).Books;
        if (books.Count == 0) return "";
        var sb = new StringBuilder();
        sb.Append("<h3>The bank's net result (million CNY)</h3>\n");
        var net = new HtmlTable(new Column("Book"), new Column("Case"), new Column("Mean", true), new Column("Sd", true), new Column("p50", true), new Column("p10", true),
            new Column("p5", true), new Column("p1", true), new Column("p0.1", true), new Column("Worst 1%, mean", true)) { Id = "firms-net" };
        foreach (var b in books)
        {
            foreach (var (label, n) in new[] { ("with equity and warrant", b.BankNet), ("same loans without", b.ReferenceNet) })
            {
                var e = n.StandardErrors;
                net.Row([Cell.Text(b.Book.Name, "name"), Cell.Text(label), ResultTables.WithError(Cell.Money(n.Mean), e.Mean, Cell.Money), Cell.Money(n.Sd),
                    ResultTables.WithError(Cell.Money(n.P50), e.P50, Cell.Money), ResultTables.WithError(Cell.Money(n.P10), e.P90, Cell.Money),
                    ResultTables.WithError(Cell.Money(n.P5), e.P95, Cell.Money), ResultTables.WithError(Cell.Money(n.P1), e.P99, Cell.Money),
                    ResultTables.WithError(Cell.Money(n.P01), e.P999, Cell.Money), ResultTables.WithError(Cell.Money(n.Es99), e.Es99, Cell.Money)]);
            }
        }
        sb.Append(net.Render());
        sb.Append("<h3>Cash flows, means (million CNY)</h3>\n");
        var flows = new HtmlTable(new Column("Book"), new Column("Interest", true), new Column("Funding", true), new Column("Credit loss", true), new Column("Checks", true),
            new Column("Equity proceeds", true), new Column("Warrant payoff", true), new Column("Gov. credit leg", true), new Column("Gov. equity leg", true),
            new Column("Defaults", true), new Column("Write-offs", true)) { Id = "firms-flows" };
        foreach (var b in books)
            flows.Row([Cell.Text(b.Book.Name, "name"), Cell.Money(b.Interest), Cell.Money(b.Funding), Cell.Money(b.CreditLoss.Mean), Cell.Money(b.Checks),
                Cell.Money(b.EquityProceeds), Cell.Money(b.WarrantPayoff), Cell.Money(b.GovernmentCredit.Mean), Cell.Money(b.GovernmentEquity.Mean),
                Cell.Number(FigureText.Count(b.Defaults), b.Defaults), Cell.Number(FigureText.Count(b.WriteOffs), b.WriteOffs)]);
        sb.Append(flows.Render());
        return sb.ToString();
    }

    public PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result) => FirmPlots.Describe(file, name);
}

/// <summary>Writes firms.csv: one row per book with the headline figures of summary.json.</summary>
internal static class FirmsCsvWriter
{
    /// <summary>The file's name in a result folder.</summary>
    public const string FileName = "firms.csv";

    /// <summary>Writes the table.</summary>
    public static void Write(FirmsResult result, string path) => CsvTable.Write(path, new Map(), result.Books);

    private sealed class Map : SummaryMap<FirmBookResult>
    {
        public Map()
        {
            Text("name", b => b.Book.Name);
            Number("bankNet.mean", b => b.BankNet.Mean);
            Number("bankNet.sd", b => b.BankNet.Sd);
            Number("bankNet.p50", b => b.BankNet.P50);
            Number("bankNet.p5", b => b.BankNet.P5);
            Number("bankNet.p1", b => b.BankNet.P1);
            Number("bankNet.worst1PercentMean", b => b.BankNet.Es99);
            Number("withoutEquity.mean", b => b.ReferenceNet.Mean);
            Number("withoutEquity.p1", b => b.ReferenceNet.P1);
            Number("creditLoss.mean", b => b.CreditLoss.Mean);
            Number("interest.mean", b => b.Interest);
            Number("equityProceeds.mean", b => b.EquityProceeds);
            Number("warrantPayoff.mean", b => b.WarrantPayoff);
            Number("covered.probability", b => b.Covered.Probability);
            Number("government.mean", b => b.Government.Mean);
            Number("government.creditLeg.mean", b => b.GovernmentCredit.Mean);
            Number("government.equityLeg.mean", b => b.GovernmentEquity.Mean);
            Number("budgetExhausted.probability", b => b.BudgetExhausted.Probability);
            Finite("breakEven.notionalPerFirm", b => b.BreakEven.Notional);
            Finite("breakEven.ci95Low", b => b.BreakEven.Ci95.Low);
            Finite("breakEven.ci95High", b => b.BreakEven.Ci95.High);
            Finite("bankNet.se.mean", b => b.BankNet.StandardErrors.Mean);
            Finite("covered.se", b => b.Covered.StandardError);
            Finite("budgetExhausted.se", b => b.BudgetExhausted.StandardError);
        }
    }
}
