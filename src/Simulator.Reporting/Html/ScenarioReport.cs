using System.Globalization;
using System.Text;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Html;

/// <summary>
/// report.html: one self-contained page per scenario that a fund manager can open from disk or forward as a
/// single file. Key figures first, then every chart with a line on how to read it, the tables of funds.csv and
/// guarantees.csv, the comparison of variants, the inputs and a note on the method. The bytes depend only on the
/// result and the plot files (no timestamps, invariant culture), so a rerun with the same seed gives the same page.
/// </summary>
public static class ScenarioReport
{
    /// <summary>File name of the report inside a result folder.</summary>
    public const string FileName = "report.html";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Writes <c>&lt;folder&gt;/report.html</c> for <paramref name="result"/> and returns its path.
    /// </summary>
    /// <param name="result">The base run's result.</param>
    /// <param name="comparison">The comparison of the variants with the base, or null when the scenario has none.</param>
    /// <param name="plotFiles">PNG files relative to <paramref name="folder"/>, in the order to show them: what
    /// <c>ResultWriter.WriteAll</c> returned followed by what <c>ResultWriter.WriteComparison</c> returned.
    /// comparison*.png and tornado*.png are shown in the comparison section, the others under Charts.</param>
    /// <param name="folder">The result folder, holding the plots; the report is written into it.</param>
    public static string Write(SimulationResult result, ComparisonResult? comparison, IReadOnlyList<string> plotFiles, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plotFiles);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        HtmlPage.Write(path, Render(result, comparison, plotFiles, folder));
        return path;
    }

    /// <summary>The page's HTML (what <see cref="Write"/> writes).</summary>
    internal static string Render(SimulationResult result, ComparisonResult? comparison, IReadOnlyList<string> plotFiles, string folder)
    {
        var s = result.Scenario;
        var plots = plotFiles.Select(f => PlotCaptions.Describe(f, result, comparison)).ToList();
        bool hasComparison = comparison is not null && comparison.Variants.Count > 0;
        var body = new StringBuilder();

        body.Append("<header>\n<h1>").Append(HtmlText.Encode(s.Title)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(s.Description)) body.Append("<p class=\"lede\">").Append(HtmlText.Encode(s.Description)).Append("</p>\n");
        body.Append("<p class=\"meta\">Scenario <code>").Append(HtmlText.Encode(s.Name)).Append("</code>");
        if (s.VariantName is { } variant) body.Append(", variant <code>").Append(HtmlText.Encode(variant)).Append("</code>");
        body.Append(" · ").Append(HtmlText.Integer(result.Trials)).Append(" trials · seed ").Append(s.Seed.ToString(Invariant))
            .Append(" · ").Append(HtmlText.Encode(ProgramInfo.NameAndVersion)).Append(" · amounts in million CNY</p>\n");
        body.Append("<nav class=\"toc\"><a href=\"#key-figures\">Key figures</a>");
        if (plots.Any(p => !p.IsComparison || !hasComparison)) body.Append("<a href=\"#charts\">Charts</a>");
        body.Append("<a href=\"#tables\">Tables</a>");
        if (hasComparison) body.Append("<a href=\"#comparison\">Variants compared</a>");
        body.Append("<a href=\"#inputs\">Inputs</a><a href=\"#method\">Method</a></nav>\n</header>\n");

        body.Append("<section id=\"key-figures\">\n<h2>Key figures</h2>\n").Append(KeyFiguresSection(result)).Append("</section>\n");

        // Without a comparison there is no comparison section; any comparison chart passed in still gets shown.
        var charts = plots.Where(p => !p.IsComparison || !hasComparison).ToList();
        if (charts.Count > 0)
        {
            body.Append("<section id=\"charts\">\n<h2>Charts</h2>\n");
            foreach (var p in charts) body.Append(Figure(p, folder));
            body.Append("</section>\n");
        }

        body.Append("<section id=\"tables\">\n<h2>Tables</h2>\n").Append(ResultTables.Render(result)).Append("</section>\n");

        if (hasComparison)
        {
            body.Append("<section id=\"comparison\">\n<h2>Variants compared</h2>\n")
                .Append(ComparisonSection.Render(comparison!, plots.Where(p => p.IsComparison).ToList(), p => Figure(p, folder)))
                .Append("</section>\n");
        }

        body.Append("<section id=\"inputs\">\n<h2>Inputs</h2>\n").Append(InputTables.Render(result)).Append("</section>\n");
        body.Append("<section id=\"method\">\n<h2>Method</h2>\n").Append(MethodNote(result, comparison, File.Exists(Path.Combine(folder, ResultWriter.TrialsFile)))).Append("</section>\n");

        string language = HtmlText.HasCjk(s.Title) ? "zh" : "en";
        return HtmlPage.Render(language, $"{s.Title} — simulation report", body.ToString(), sortable: false);
    }

    private static string KeyFiguresSection(SimulationResult result)
    {
        var sb = new StringBuilder();
        sb.Append(Cards(result));
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
                    Cell.Number(HtmlText.Tolerance(f.Fund.Tolerance) + (direct ? " per project" : ""), f.Fund.Tolerance),
                    ResultTables.WithError(Cell.Probability(f.Breach.Probability), f.Breach.StandardError, Cell.Probability), Interval(f.Breach),
                    ResultTables.WithError(Cell.Ratio(f.LossRatio.Mean), f.LossRatio.StandardErrors.Mean, Cell.Ratio),
                    ResultTables.WithError(Cell.Ratio(f.LossRatio.P99), f.LossRatio.StandardErrors.P99, Cell.Ratio),
                ]);
            }
            if (result.Programme is { } p)
            {
                t.Row([
                    Cell.Text("programme", "name"), Cell.Text("pooled, life cycle"),
                    Cell.Number(HtmlText.Tolerance(p.MeanTolerance), p.MeanTolerance, title: "Mean of the invested-weighted tolerance"),
                    Cell.Probability(p.Breach.Probability), Interval(p.Breach),
                    ResultTables.WithError(Cell.Ratio(p.LossRatio.Mean), p.LossRatio.StandardErrors.Mean, Cell.Ratio),
                    ResultTables.WithError(Cell.Ratio(p.LossRatio.P99), p.LossRatio.StandardErrors.P99, Cell.Ratio),
                ], "total");
            }
            sb.Append(t.Render());
            sb.Append("<p class=\"note\">Loss ratio: the share of the amount invested that is not returned over the fund's life. The programme pools every fund's "
                + "losses and judges them against the invested-weighted tolerance (life-cycle evaluation), so it breaches less often than its riskiest fund.</p>\n");
            foreach (var f in result.Funds.Where(f => f.Projects is not null))
            {
                var pr = f.Projects!;
                sb.Append("<p class=\"note\"><b>").Append(HtmlText.Encode(f.Fund.Name)).Append("</b> (direct investments): each of its ")
                    .Append(HtmlText.Integer(f.Fund.Deals)).Append(" projects is judged alone against ").Append(HtmlText.Tolerance(f.Fund.Tolerance))
                    .Append("; on average ").Append(pr.MeanBreachingProjects.ToString("F2", Invariant)).Append(" projects breach, and a project breaches with probability ")
                    .Append(HtmlText.Probability(pr.ProjectBreachProbability)).Append(" ± ").Append(HtmlText.Probability(pr.StandardError)).Append(".</p>\n");
            }
        }
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
                    Cell.Number(HtmlText.Leverage(g.FiscalLeverage), g.FiscalLeverage, title: double.IsInfinity(g.FiscalLeverage) ? "the government never pays" : null),
                ]);
            }
            sb.Append(t.Render());
            sb.Append("<p class=\"note\">Amounts in million CNY over the whole programme. Fiscal leverage: yuan of loans guaranteed per yuan the government pool pays, in the mean.</p>\n");
        }
        if (result.Funds.Count == 0 && result.Guarantees.Count == 0) sb.Append("<p>The scenario has no funds and no guarantee schemes.</p>\n");
        return sb.ToString();
    }

    /// <summary>The headline numbers in large type: what a reader looks for first.</summary>
    private static string Cards(SimulationResult result)
    {
        var cards = new List<(string Label, string Value, string Detail)>();
        if (result.Programme is { } p)
        {
            cards.Add(("Programme breach probability", HtmlText.Probability(p.Breach.Probability),
                $"95% interval {HtmlText.Probability(p.Breach.Ci95Low)} – {HtmlText.Probability(p.Breach.Ci95High)}; mean tolerance {HtmlText.Tolerance(p.MeanTolerance)}"));
        }
        if (result.Funds.Count > 1 || (result.Funds.Count == 1 && result.Programme is null))
        {
            var worst = result.Funds.OrderByDescending(f => f.Breach.Probability).First();
            cards.Add(("Highest fund breach probability", HtmlText.Probability(worst.Breach.Probability),
                $"{worst.Fund.Name} ({worst.Fund.Type.ToString().ToLowerInvariant()}, tolerance {HtmlText.Tolerance(worst.Fund.Tolerance)})"));
        }
        if (result.Guarantees.Count is > 0 and <= 3)
        {
            foreach (var g in result.Guarantees)
            {
                cards.Add(($"Government cost, {g.Guarantee.Name}", HtmlText.Money(g.Government.Mean) + " M CNY",
                    $"mean; p99 {HtmlText.Money(g.Government.P99)} M; pool exhausted in {HtmlText.Probability(g.Exhausted.Probability)} of trials"));
            }
        }
        else if (result.Guarantees.Count > 3)
        {
            cards.Add(("Government cost of all schemes", HtmlText.Money(result.Guarantees.Sum(g => g.Government.Mean)) + " M CNY",
                $"mean, {result.Guarantees.Count} schemes"));
        }
        if (cards.Count == 0) return "";
        var sb = new StringBuilder("<div class=\"cards\">\n");
        foreach (var (label, value, detail) in cards)
        {
            sb.Append("<div class=\"card\"><div class=\"label\">").Append(HtmlText.Encode(label)).Append("</div><div class=\"value\">")
                .Append(HtmlText.Encode(value)).Append("</div><div class=\"detail\">").Append(HtmlText.Encode(detail)).Append("</div></div>\n");
        }
        return sb.Append("</div>\n").ToString();
    }

    /// <summary>"Precision target: none", or the target and how the run ended (a reader must know whether n was fixed).</summary>
    private static string PrecisionLine(SimulationResult result)
    {
        if (result.Precision is not { } p) return "Precision target: none (a fixed number of trials).";
        string target = $"Precision target: relative standard error at most {HtmlText.Percent(p.Target.RelativeError, 1)} on every breach probability and 99th percentile, "
            + $"checked every {HtmlText.Integer(p.Target.CheckEvery)} trials; ";
        if (p.Met) return target + $"met after {HtmlText.Integer(result.Trials)} of at most {HtmlText.Integer(p.MaxTrials)} trials.";
        var worst = p.History.Count == 0 ? null : p.History[^1].Figures.Where(f => f.Estimable).OrderByDescending(f => f.RelativeError).FirstOrDefault();
        return target + $"NOT met within the budget of {HtmlText.Integer(p.MaxTrials)} trials"
            + (worst is null ? "." : $" (least precise: {worst.Name} at {HtmlText.Percent(worst.RelativeError, 1)}).");
    }

    /// <summary>"Importance sampling: not used", or the shift that was applied.</summary>
    private static string ImportanceSamplingLine(SimulationResult result)
    {
        var s = result.Scenario;
        if (s.ImportanceSampling is not { } sampling) return "Importance sampling: not used.";
        var factors = s.Economy.Factors;
        string shift = sampling.Shift is { } values
            ? string.Join(", ", values.Select((x, k) => $"{(k < factors.Count ? factors[k].Name : $"factor {k + 1}")} {x.ToString("+0.##;-0.##;0", Invariant)} sd"))
            : "chosen by the engine";
        return $"Importance sampling: used; the factors' yearly innovations in years 1–{sampling.ShiftYears.ToString(Invariant)} were drawn shifted ({shift}"
            + $"{(sampling.Automatic ? ", chosen automatically by pilot runs" : ", as set in the file")}) and every trial is weighted by its likelihood ratio, "
            + "so the figures are those of the model"
            + (result.ImportanceSampling is { } report ? $"; effective sample size {HtmlText.Integer((long)Math.Round(report.EffectiveSampleSize))} of {HtmlText.Integer(result.Trials)} trials." : ".");
    }

    private static Cell Interval(ProbabilityEstimate p) =>
        Cell.Number($"{HtmlText.Probability(p.Ci95Low)} – {HtmlText.Probability(p.Ci95High)}", p.Ci95Low);

    /// <summary>A chart as a data: URI, so the page needs no other file; a missing file shows as a visible note.</summary>
    private static string Figure(PlotInfo plot, string folder)
    {
        var sb = new StringBuilder();
        string id = "plot-" + Path.GetFileNameWithoutExtension(plot.File);
        sb.Append("<figure id=\"").Append(HtmlText.Encode(id)).Append("\">\n<h3>").Append(HtmlText.Encode(plot.Heading)).Append("</h3>\n");
        string path = Path.Combine(folder, plot.File);
        if (File.Exists(path))
        {
            sb.Append("<img alt=\"").Append(HtmlText.Encode(plot.Heading)).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(path))).Append("\">\n");
        }
        else
        {
            sb.Append("<p class=\"missing\">Chart file ").Append(HtmlText.Encode(plot.File)).Append(" was not found.</p>\n");
        }
        sb.Append("<figcaption>").Append(HtmlText.Encode(plot.Caption)).Append("</figcaption>\n</figure>\n");
        return sb.ToString();
    }

    private static string MethodNote(SimulationResult result, ComparisonResult? comparison, bool hasTrialsCsv)
    {
        var s = result.Scenario;
        int variants = comparison?.Variants.Count ?? 0;
        var lines = new List<string>
        {
            $"Trials: {HtmlText.Integer(result.Trials)}{(variants > 0 ? " per run (the base and each variant)" : "")}; seed {s.Seed.ToString(Invariant)}; horizon {s.HorizonYears.ToString(Invariant)} year{(s.HorizonYears == 1 ? "" : "s")}.",
            $"Program version: {ProgramInfo.Version} ({ProgramInfo.NameAndVersion}).",
            PrecisionLine(result),
            ImportanceSamplingLine(result),
            variants > 0
                ? $"Random numbers: every variant ({variants}) used the base's random numbers (common random numbers)"
                    + (s.ImportanceSampling is not null ? " and its importance-sampling shift" : "")
                    + ", so differences between variants are paired and reflect the settings, not sampling noise."
                : "Random numbers: one run of the base scenario; no variants.",
            "Statistics: breach probabilities with Wilson 95% score intervals; the p-th percentile is the ⌈p n⌉-th smallest trial; ES99 is the Acerbi–Tasche expected shortfall at 99%; "
                + "hover over a loss figure for its standard error"
                + (variants > 0 ? "; differences carry paired standard errors (99th-percentile differences by batch means over 20 batches)." : "."),
            "Exact figures: summary.json, funds.csv, guarantees.csv" + (hasTrialsCsv ? " and trials.csv (one row per trial)" : " (trials.csv was not written: --trials-csv none)") + " in the same folder"
                + (variants > 0 ? "; comparison.csv and each variant's results under variants/." : "."),
        };
        var sb = new StringBuilder("<ul class=\"method\">\n");
        foreach (var line in lines) sb.Append("<li>").Append(HtmlText.Encode(line)).Append("</li>\n");
        return sb.Append("</ul>\n").ToString();
    }
}
