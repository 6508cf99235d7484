using System.Globalization;
using System.Text;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;
using Simulator.Reporting.Numbers;

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
    /// <param name="solve">The scenario's "solve" block, run or not (null when it has none): its section follows the key figures.</param>
    public static string Write(SimulationResult result, ComparisonResult? comparison, IReadOnlyList<string> plotFiles, string folder, Solve.SolveReport? solve = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plotFiles);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        HtmlPage.Write(path, Render(result, comparison, plotFiles, folder, solve));
        return path;
    }

    /// <summary>The page's HTML (what <see cref="Write"/> writes).</summary>
    internal static string Render(SimulationResult result, ComparisonResult? comparison, IReadOnlyList<string> plotFiles, string folder, Solve.SolveReport? solve = null)
    {
        var s = result.Scenario;
        var plots = plotFiles.Select(f => PlotCaptions.Describe(f, result, comparison)).ToList();
        bool hasComparison = comparison is not null && comparison.Variants.Count > 0;
        var body = new StringBuilder();

        body.Append("<header>\n<h1>").Append(HtmlText.Encode(s.Title)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(s.Description)) body.Append("<p class=\"lede\">").Append(HtmlText.Encode(s.Description)).Append("</p>\n");
        body.Append("<p class=\"meta\">Scenario <code>").Append(HtmlText.Encode(s.Name)).Append("</code>");
        if (s.VariantName is { } variant) body.Append(", variant <code>").Append(HtmlText.Encode(variant)).Append("</code>");
        body.Append(" · ").Append(FigureText.Integer(result.Trials)).Append(" trials · seed ").Append(s.Seed.ToString(Invariant))
            .Append(" · ").Append(HtmlText.Encode(ProgramInfo.NameAndVersion)).Append(" · amounts in million CNY</p>\n");
        body.Append("<nav class=\"toc\"><a href=\"#key-figures\">Key figures</a>");
        if (solve is not null) body.Append("<a href=\"#").Append(Solve.SolveSection.Id).Append("\">Solve</a>");
        if (plots.Any(p => !p.IsComparison || !hasComparison)) body.Append("<a href=\"#charts\">Charts</a>");
        body.Append("<a href=\"#tables\">Tables</a>");
        if (hasComparison) body.Append("<a href=\"#comparison\">Variants compared</a>");
        body.Append("<a href=\"#inputs\">Inputs</a><a href=\"#method\">Method</a></nav>\n</header>\n");

        body.Append("<section id=\"key-figures\">\n<h2>Key figures</h2>\n").Append(KeyFiguresSection(result, hasComparison ? comparison : null, solve)).Append("</section>\n");

        // The question the run was made to answer, right after the headline figures.
        if (solve is not null)
        {
            body.Append("<section id=\"").Append(Solve.SolveSection.Id).Append("\">\n<h2>").Append(Solve.SolveSection.Heading).Append("</h2>\n")
                .Append(Solve.SolveSection.Render(solve, result, folder, p => Figure(p, folder))).Append("</section>\n");
        }

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
        body.Append("<section id=\"method\">\n<h2>Method</h2>\n").Append(MethodNote(result, comparison, TrialTable(folder), File.Exists(Path.Combine(folder, ResultWriter.WorkbookFile)))).Append("</section>\n");

        string language = HtmlText.HasCjk(s.Title) ? "zh" : "en";
        return HtmlPage.Render(language, $"{s.Title} — simulation report", body.ToString(), sortable: false);
    }

    /// <summary>The base's headline figures and, with variants, what they change: the answer first, the detail further down.</summary>
    private static string KeyFiguresSection(SimulationResult result, ComparisonResult? comparison, Solve.SolveReport? solve)
    {
        var sb = new StringBuilder();
        sb.Append(Cards(result, comparison, solve));
        if (comparison is not null) sb.Append(ComparisonSummary.Render(comparison));
        var reports = Instruments.InstrumentReports.Of(result).ToList();
        foreach (var (report, instrument) in reports) sb.Append(report.KeyFigures(result, instrument));
        if (result.Government is { } government) sb.Append(GovernmentSection(government));
        if (reports.All(x => !x.Report.HasItems(x.Result)))
            sb.Append("<p>The scenario has no ").Append(string.Join(" and no ", reports.Select(x => x.Report.Noun))).Append(".</p>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The government's whole exposure: its net cost through each item (fund contributions less distributions, pool
    /// payments) and the distribution of their sum per trial, which no single instrument's table shows.
    /// </summary>
    private static string GovernmentSection(Core.Engine.GovernmentExposure g)
    {
        var sb = new StringBuilder("<h3>The government's whole exposure</h3>\n");
        var t = new HtmlTable(new Column("Item"), new Column("Instrument"), new Column("Mean net cost", true, "Paid less received, million CNY; negative: a gain"),
            new Column("p99", true, "99 trials in 100 cost the government no more, million CNY"),
            new Column("ES99", true, "Mean net cost of the worst 1% of trials, million CNY")) { Id = "key-government" };
        foreach (var part in g.Parts)
            t.Row([Cell.Text(part.Item, "name"), Cell.Text(part.Kind), ResultTables.WithError(Cell.Money(part.Mean), part.StandardError, Cell.Money), Cell.Text(""), Cell.Text("")]);
        var cost = g.NetCost;
        t.Row([Cell.Text("all", "name"), Cell.Text("total per trial"), ResultTables.WithError(Cell.Money(cost.Mean), cost.StandardErrors.Mean, Cell.Money),
            ResultTables.WithError(Cell.Money(cost.P99), cost.StandardErrors.P99, Cell.Money), ResultTables.WithError(Cell.Money(cost.Es99), cost.StandardErrors.Es99, Cell.Money)], "total");
        sb.Append(t.Render());
        sb.Append("<p class=\"note\">Net cost: what the government paid in through each item less what it received, undiscounted, over the whole horizon "
            + "(a fund: its contributions, fees included, less its distributions after any concession; a guarantee scheme: the pool's payments). "
            + "The total adds every item in the same trial, so losses that come together in a downturn show in its tail.</p>\n");
        return sb.ToString();
    }

    /// <summary>The headline numbers in large type: what a reader looks for first.</summary>
    private static string Cards(SimulationResult result, ComparisonResult? comparison, Solve.SolveReport? solve)
    {
        var cards = new List<(string Label, string Value, string Detail)>();
        // A solve is the question its run was made to answer: its answer comes first.
        if (solve is not null) cards.Add(Solve.SolveSection.Card(solve, result));
        // With variants, what they change comes first: it is the question the run was made to answer.
        if (comparison is not null) ComparisonSummary.AddCard(comparison, cards);
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) report.AddCards(result, instrument, cards);
        if (result.Government is { Parts.Count: > 1 } g)
        {
            cards.Add(("Government net cost, all instruments", FigureText.Money(g.NetCost.Mean) + " M CNY",
                $"mean, across its {g.Parts.Count} funds and schemes; p99 {FigureText.Money(g.NetCost.P99)} M; worst 1% {FigureText.Money(g.NetCost.Es99)} M"));
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
        string target = $"Precision target: relative standard error at most {FigureText.Tolerance(p.Target.RelativeError)} on every breach probability and 99th percentile, "
            + $"checked every {FigureText.Integer(p.Target.CheckEvery)} trials; ";
        if (p.Met) return target + $"met after {FigureText.Integer(result.Trials)} of at most {FigureText.Integer(p.MaxTrials)} trials.";
        var worst = p.History.Count == 0 ? null : p.History[^1].Figures.Where(f => f.Estimable).OrderByDescending(f => f.RelativeError).FirstOrDefault();
        return target + $"NOT met within the budget of {FigureText.Integer(p.MaxTrials)} trials"
            + (worst is null ? "." : $" (least precise: {worst.Name} at {FigureText.Ratio(worst.RelativeError)}).");
    }

    /// <summary>"Importance sampling: not used", or the shift that was applied.</summary>
    /// <summary>Which standard errors a run on Sobol points or Latin hypercubes carries (they replace the formulas of the
    /// statistics line).</summary>
    private static string RandomisedLine(Core.Economy.EconomyModel economy) =>
        $"Standard errors: the factors were drawn as {(economy.Sobol ? "scrambled Sobol points" : "Latin hypercubes")} in {Core.Randomness.ScrambledSobol.Randomisations.ToString(Invariant)} independent randomisations, "
        + "so every standard error, ± and interval in this report (paired differences included) is the standard deviation of the figure's estimates in the "
        + "randomisations, divided by the square root of their number, instead of the formulas above; probabilities get p ± 1.96 standard errors "
        + "(Wilson's interval when no trial or every trial has the event), and the exceedance chart's band the same per point (docs/precision.md).";

    private static string ImportanceSamplingLine(SimulationResult result)
    {
        var s = result.Scenario;
        if (s.ImportanceSampling is not { } sampling) return "Importance sampling: not used.";
        var factors = s.Economy.Factors;
        string shift = sampling.Shift is { } values
            ? string.Join(", ", values.Select((x, k) => $"{(k < factors.Count ? factors[k].Name : $"factor {k + 1}")} {x.ToString("+0.##;-0.##;0", Invariant)} sd"))
            : "chosen by the engine";
        string years = sampling.ShiftYears == 1 ? "in year 1" : $"in years 1–{sampling.ShiftYears.ToString(Invariant)}";
        return $"Importance sampling: used; the factors' yearly innovations {years} were drawn shifted ({shift}"
            + $"{(sampling.Automatic ? ", chosen automatically by pilot runs" : ", as set in the file")}) and every trial is weighted by its likelihood ratio, "
            + "so the figures are those of the model"
            + (result.ImportanceSampling is { } report
                ? $"; effective sample size {FigureText.Integer((long)Math.Round(report.EffectiveSampleSize))} of {FigureText.Integer(result.Trials)} trials"
                    + " (an optimistic figure when a few trials carry most of the weight)."
                : ".");
    }

    internal static Cell Interval(ProbabilityEstimate p) =>
        Cell.Number($"{FigureText.Probability(p.Ci95Low)} – {FigureText.Probability(p.Ci95High)}", p.Ci95Low);

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

    /// <summary>Where the exact figures are: the files this folder has (a run without funds has no funds.csv).</summary>
    private static string ExactFiguresLine(SimulationResult result, ComparisonResult? comparison, string? trialTable, bool hasWorkbook)
    {
        var files = new List<string> { "summary.json" };
        foreach (var (report, instrument) in Instruments.InstrumentReports.Of(result)) files.AddRange(report.TableFiles(result, instrument));
        if (trialTable is not null) files.Add($"{trialTable} (one row per trial)");
        string list = files.Count == 1 ? files[0] : string.Join(", ", files.Take(files.Count - 1)) + " and " + files[^1];
        string line = $"Exact figures: {list} in the same folder" + (trialTable is not null ? "" : " (trials.csv was not written: --trials-csv none or --trials-format none)");
        if (comparison is { Variants.Count: > 0 })
            line += (comparison.Base.Sensitivity is null ? "; comparison.csv" : "; comparison.csv, sensitivity.csv") + " and each variant's results under variants/";
        return line + (hasWorkbook ? $". {ResultWriter.WorkbookFile} holds these tables as a workbook, with a sheet explaining each column." : ".");
    }

    /// <summary>The folder's trial table (trials.csv, or trials.parquet under --trials-format parquet), null when it has none.</summary>
    private static string? TrialTable(string folder) =>
        new[] { ResultWriter.TrialsFile, ResultWriter.TrialsParquetFile }.FirstOrDefault(f => File.Exists(Path.Combine(folder, f)));

    private static string MethodNote(SimulationResult result, ComparisonResult? comparison, string? trialTable, bool hasWorkbook)
    {
        var s = result.Scenario;
        int variants = comparison?.Variants.Count ?? 0;
        var lines = new List<string>
        {
            $"Trials: {FigureText.Integer(result.Trials)}{(variants > 0 ? " per run (the base and each variant)" : "")}; seed {s.Seed.ToString(Invariant)}; horizon {s.HorizonYears.ToString(Invariant)} year{(s.HorizonYears == 1 ? "" : "s")}.",
            $"Program version: {ProgramInfo.Version} ({ProgramInfo.NameAndVersion}).",
            PrecisionLine(result),
            ImportanceSamplingLine(result),
            variants > 0
                ? $"Random numbers: every variant ({variants}) used the base's random numbers (common random numbers)"
                    + (s.ImportanceSampling is not null ? " and its importance-sampling shift" : "")
                    + ", so differences between variants are paired and reflect the settings, not sampling noise."
                : "Random numbers: one run of the base scenario; no variants.",
            (s.ImportanceSampling is null
                ? "Statistics: breach probabilities with Wilson 95% score intervals; the p-th percentile is the ⌈p n⌉-th smallest trial; ES99 is the Acerbi–Tasche expected shortfall at 99%; "
                : "Statistics: each trial counts with its likelihood ratio divided by the sum of all trials' ratios; probabilities and means are these weighted averages, "
                    + "with delta-method standard errors and normal 95% intervals; the p-th percentile is the smallest value with at most a share 1 − p of the weight above it; "
                    + "ES99 is the Acerbi–Tasche expected shortfall at 99% of that weighted distribution; percentiles' standard errors come from batch means over 20 batches; "
                    + "counts of trials (e.g. breaching trials) are sampled trials, not estimates; ")
                + "hover over a loss figure for its standard error"
                + (variants > 0 ? "; differences carry paired standard errors (99th-percentile differences by batch means over 20 batches)." : "."),
            ExactFiguresLine(result, comparison, trialTable, hasWorkbook),
        };
        // Only under Sobol or Latin hypercube sampling, so the reports of other runs are unchanged.
        if (s.Economy.Randomised) lines.Insert(lines.Count - 1, RandomisedLine(s.Economy));
        var sb = new StringBuilder("<ul class=\"method\">\n");
        foreach (var line in lines) sb.Append("<li>").Append(HtmlText.Encode(line)).Append("</li>\n");
        return sb.Append("</ul>\n").ToString();
    }
}
