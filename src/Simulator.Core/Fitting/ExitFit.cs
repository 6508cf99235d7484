using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Simulator.Core.Fitting;

/// <summary>An estimate with its bootstrap percentile interval (95%).</summary>
/// <param name="Estimate">The estimate from the data.</param>
/// <param name="Low">2.5th percentile of the bootstrap replicates.</param>
/// <param name="High">97.5th percentile of the bootstrap replicates.</param>
/// <param name="Replicates">Replicates in which the quantity could be estimated (a resample may hold too few rows of a band).</param>
public sealed record Interval(double Estimate, double Low, double High, int Replicates);

/// <summary>Goodness of fit of one band's law: KS D and Anderson–Darling A² with parametric-bootstrap p-values.</summary>
/// <param name="KsD">Kolmogorov–Smirnov distance.</param>
/// <param name="KsP">P(D ≥ observed) under the fitted law, parameters re-estimated on each simulated sample.</param>
/// <param name="AdA2">Anderson–Darling A².</param>
/// <param name="AdP">P(A² ≥ observed), likewise.</param>
/// <param name="Points">The points tested (for a Pareto, the band less its smallest value, which fixed x_m).</param>
public sealed record GoodnessResult(double KsD, double KsP, double AdA2, double AdP, int Points);

/// <summary>The exit-year distribution of one band: the years held, rounded to whole years as the simulator rounds them.</summary>
/// <param name="Band">writeOff, partial or success.</param>
/// <param name="Table">(years, probability) rows, ascending; probabilities with four decimals summing to exactly 1.</param>
/// <param name="Mean">The mean of the years held (unrounded), with its bootstrap interval.</param>
public sealed record ExitYearsFit(string Band, IReadOnlyList<(int Years, double Probability)> Table, Interval Mean);

/// <summary>The fit of one group of exits (one stage, or all of them).</summary>
public sealed record ExitGroupFit
{
    /// <summary>The stage, or "all".</summary>
    public required string Group { get; init; }
    /// <summary>The outcome model's name in the block: fit-&lt;group&gt;.</summary>
    public required string ModelName { get; init; }
    /// <summary>Exits in the group.</summary>
    public required int Rows { get; init; }
    /// <summary>Exits with M = 0.</summary>
    public required int WriteOffs { get; init; }
    /// <summary>The multiples with 0 &lt; M &lt; 1, ascending.</summary>
    public required double[] PartialMultiples { get; init; }
    /// <summary>The multiples with M ≥ 1, ascending.</summary>
    public required double[] SuccessMultiples { get; init; }
    /// <summary>Write-off share q.</summary>
    public required Interval WriteOff { get; init; }
    /// <summary>Partial share r.</summary>
    public required Interval Partial { get; init; }
    /// <summary>Mean of the partial band's multiple (the beta's mean), or null without partial losses.</summary>
    public Interval? PartialMean { get; init; }
    /// <summary>Standard deviation of the partial band's multiple (the beta's sd).</summary>
    public Interval? PartialSd { get; init; }
    /// <summary>Fit of the beta to the partial band.</summary>
    public GoodnessResult? PartialGoodness { get; init; }
    /// <summary>The success law chosen, or null without successes.</summary>
    public SuccessLaw? Success { get; init; }
    /// <summary>The other family's fit, for comparison (null unless --family auto).</summary>
    public SuccessLaw? Alternative { get; init; }
    /// <summary>Log-likelihood of the chosen law.</summary>
    public double SuccessLogLikelihood { get; init; }
    /// <summary>Log-likelihood of the alternative.</summary>
    public double AlternativeLogLikelihood { get; init; }
    /// <summary>Interval of μ or x_m.</summary>
    public Interval? SuccessFirst { get; init; }
    /// <summary>Interval of σ or α.</summary>
    public Interval? SuccessSecond { get; init; }
    /// <summary>Fit of the success law.</summary>
    public GoodnessResult? SuccessGoodness { get; init; }
    /// <summary>The cap written: the largest multiple observed, rounded up to three significant digits.</summary>
    public double? Cap { get; init; }
    /// <summary>Exit years per band present.</summary>
    public required IReadOnlyList<ExitYearsFit> ExitYears { get; init; }
    /// <summary>Exits per sector (empty without a sector column).</summary>
    public required IReadOnlyDictionary<string, int> Sectors { get; init; }
}

/// <summary>Settings of an exits fit.</summary>
/// <param name="Family">The success family, or null for the one with the higher likelihood.</param>
/// <param name="Bootstrap">Bootstrap replicates (for the intervals and the goodness-of-fit p-values).</param>
/// <param name="Seed">Seed of the bootstrap's random numbers.</param>
public sealed record ExitFitOptions(SuccessFamily? Family = null, int Bootstrap = 1000, ulong Seed = 1);

/// <summary>
/// Fits an outcome model to past exits (issue 20): the write-off share, the partial band (share and a beta by its
/// mean and sd, the format's own parameters, so moment matching is the natural fit), the success band (lognormal or
/// Pareto by maximum likelihood) and per band the exit years. Bands are read off the data as the simulator defines
/// them: M = 0, 0 &lt; M &lt; 1, M ≥ 1.
/// </summary>
public static class ExitFit
{
    /// <summary>Fewest exits in a group.</summary>
    public const int MinRows = 20;

    /// <summary>Fewest exits in a band that has any, to fit its law.</summary>
    public const int MinBand = 5;

    /// <summary>Fits every group: "all", or each stage when the rows have stages. Problems (too few rows) are returned, not thrown.</summary>
    public static (IReadOnlyList<ExitGroupFit> Fits, IReadOnlyList<DataError> Errors) FitAll(string file, IReadOnlyList<ExitRow> rows, ExitFitOptions options)
    {
        var groups = rows.Any(r => r.Stage is not null)
            ? rows.GroupBy(r => r.Stage!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())).ToList()
            : [("all", rows.ToList())];
        var fits = new List<ExitGroupFit>();
        var errors = new List<DataError>();
        if (rows.Count == 0) errors.Add(new DataError(file, null, null, $"the file has no exits; at least {MinRows} are needed to fit"));
        foreach (var (group, list) in groups)
        {
            var problems = Check(group, list);
            errors.AddRange(problems.Select(p => new DataError(file, null, null, p)));
            if (problems.Count == 0) fits.Add(Fit(group, list, options));
        }
        return (errors.Count > 0 ? [] : fits, errors);
    }

    private static List<string> Check(string group, List<ExitRow> rows)
    {
        var problems = new List<string>();
        string where = group == "all" ? "the file" : $"stage '{group}'";
        if (rows.Count < MinRows)
            problems.Add($"too few rows to fit: {where} has {rows.Count} exit(s); at least {MinRows} are needed");
        var partial = rows.Where(r => r.Multiple > 0 && r.Multiple < 1).Select(r => r.Multiple).ToList();
        var success = rows.Where(r => r.Multiple >= 1).Select(r => r.Multiple).ToList();
        if (partial.Count is > 0 and < MinBand)
            problems.Add($"too few rows to fit the partial band: {where} has {partial.Count} partial loss(es) (0 < multiple < 1); at least {MinBand} are needed");
        else if (partial.Count > 0 && Sd(partial) < 0.001)
            problems.Add($"cannot fit the partial band of {where}: its {partial.Count} multiples are all {partial[0].ToString("G6", CultureInfo.InvariantCulture)} (a beta needs an sd of at least 0.001)");
        if (success.Count is > 0 and < MinBand)
            problems.Add($"too few rows to fit the success band: {where} has {success.Count} success(es) (multiple ≥ 1); at least {MinBand} are needed");
        else if (success.Count > 0 && success.Distinct().Count() < 2)
            problems.Add($"cannot fit the success band of {where}: its {success.Count} multiples are all {success[0].ToString("G6", CultureInfo.InvariantCulture)}");
        return problems;
    }

    /// <summary>Fits one group (checked: enough rows in every band present).</summary>
    public static ExitGroupFit Fit(string group, IReadOnlyList<ExitRow> rows, ExitFitOptions options)
    {
        int n = rows.Count;
        var partial = rows.Where(r => r.Multiple > 0 && r.Multiple < 1).Select(r => r.Multiple).Order().ToArray();
        var success = rows.Where(r => r.Multiple >= 1).Select(r => r.Multiple).Order().ToArray();
        int writeOffs = rows.Count(r => r.Multiple == 0);

        SuccessLaw? law = null, alternative = null;
        double ll = 0, altLl = 0;
        if (success.Length > 0)
        {
            var lognormal = SuccessLaw.Fit(SuccessFamily.LogNormal, success);
            var pareto = SuccessLaw.Fit(SuccessFamily.Pareto, success);
            double llLog = lognormal.LogLikelihood(success), llPar = pareto.LogLikelihood(success);
            // Both laws have two parameters, so the higher likelihood is also the lower AIC.
            var family = options.Family ?? (llPar > llLog ? SuccessFamily.Pareto : SuccessFamily.LogNormal);
            (law, ll, alternative, altLl) = family == SuccessFamily.Pareto ? (pareto, llPar, lognormal, llLog) : (lognormal, llLog, pareto, llPar);
            if (options.Family is not null) alternative = null;
        }

        var random = new SeededRandom(options.Seed);
        int b = options.Bootstrap;
        // Nonparametric bootstrap: resample the group's exits with replacement and refit everything on each resample.
        var stats = new double[b][];
        var resample = new ExitRow[n];
        for (int k = 0; k < b; k++)
        {
            for (int i = 0; i < n; i++) resample[i] = rows[random.Next(n)];
            stats[k] = Statistics(resample, law?.Family);
        }
        var point = Statistics(rows, law?.Family);
        Interval At(int index) => Percentiles(point[index], stats.Select(s => s[index]));

        var years = new List<ExitYearsFit>();
        string[] bands = ["writeOff", "partial", "success"];
        for (int band = 0; band < 3; band++)
        {
            var held = rows.Where(r => Band(r.Multiple) == band).Select(r => r.Years).ToList();
            if (held.Count > 0) years.Add(new ExitYearsFit(bands[band], YearTable(held), At(6 + band)));
        }

        return new ExitGroupFit
        {
            Group = group,
            ModelName = $"fit-{group}",
            Rows = n,
            WriteOffs = writeOffs,
            PartialMultiples = partial,
            SuccessMultiples = success,
            WriteOff = At(0),
            Partial = At(1),
            PartialMean = partial.Length > 0 ? At(2) : null,
            PartialSd = partial.Length > 0 ? At(3) : null,
            PartialGoodness = partial.Length > 0 ? BetaGoodness(partial, b, random) : null,
            Success = law,
            Alternative = alternative,
            SuccessLogLikelihood = ll,
            AlternativeLogLikelihood = altLl,
            SuccessFirst = law is null ? null : At(4),
            SuccessSecond = law is null ? null : At(5),
            SuccessGoodness = law is { } l ? LawGoodness(l, success, b, random) : null,
            Cap = success.Length > 0 ? RoundUp(success[^1]) : null,
            ExitYears = years,
            Sectors = rows.Where(r => r.Sector is not null).GroupBy(r => r.Sector!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };
    }

    private static int Band(double m) => m == 0 ? 0 : m < 1 ? 1 : 2;

    // q, r, partial mean and sd, the success law's two parameters, the mean years held per band; NaN where a resample
    // holds too few rows of a band to estimate it.
    private static double[] Statistics(IReadOnlyList<ExitRow> rows, SuccessFamily? family)
    {
        int n = rows.Count;
        var partial = new List<double>();
        var success = new List<double>();
        var yearSum = new double[3];
        var yearCount = new int[3];
        int writeOffs = 0;
        foreach (var r in rows)
        {
            int band = Band(r.Multiple);
            if (band == 0) writeOffs++;
            else if (band == 1) partial.Add(r.Multiple);
            else success.Add(r.Multiple);
            yearSum[band] += r.Years;
            yearCount[band]++;
        }
        var s = new double[9];
        s[0] = (double)writeOffs / n;
        s[1] = (double)partial.Count / n;
        s[2] = partial.Count >= 2 ? partial.Average() : double.NaN;
        s[3] = partial.Count >= 2 ? Sd(partial) : double.NaN;
        if (family is { } f && success.Count >= 2 && success.Distinct().Count() >= 2)
        {
            var law = SuccessLaw.Fit(f, success);
            (s[4], s[5]) = (law.First, law.Second);
        }
        else (s[4], s[5]) = (double.NaN, double.NaN);
        for (int band = 0; band < 3; band++) s[6 + band] = yearCount[band] > 0 ? yearSum[band] / yearCount[band] : double.NaN;
        return s;
    }

    /// <summary>The population standard deviation (divisor n): the moment match of the beta's sd.</summary>
    internal static double Sd(IReadOnlyList<double> x)
    {
        double mean = x.Average();
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / x.Count);
    }

    private static Interval Percentiles(double estimate, IEnumerable<double> replicates)
    {
        var sorted = replicates.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return new Interval(estimate, double.NaN, double.NaN, 0);
        return new Interval(estimate, Quantile(sorted, 0.025), Quantile(sorted, 0.975), sorted.Length);
    }

    // Linear interpolation between order statistics (type 7, as R and numpy default).
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    // Years held rounded as the simulator rounds an exit draw (to the nearest whole year, halves up); probabilities to
    // four decimals, the rounding remainder on the largest row so that they sum to 1 exactly as written.
    private static List<(int Years, double Probability)> YearTable(List<double> held)
    {
        var counts = held.GroupBy(y => (int)Math.Floor(y + 0.5)).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())).ToList();
        var ticks = counts.Select(c => (long)Math.Round(10_000.0 * c.Item2 / held.Count)).ToArray();
        int largest = Array.IndexOf(ticks, ticks.Max());
        ticks[largest] += 10_000 - ticks.Sum();
        return counts.Select((c, i) => (c.Key, ticks[i] / 10_000.0)).Where(r => r.Item2 > 0).ToList();
    }

    /// <summary>Rounds up to three significant digits, so that the written cap is at least the largest multiple seen.</summary>
    internal static double RoundUp(double x)
    {
        double scale = Math.Pow(10, Math.Floor(Math.Log10(x)) - 2);
        // Formatting to three digits drops the binary noise of the product (48.300000000000004).
        double r = double.Parse((Math.Ceiling(x / scale) * scale).ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Math.Min(Math.Max(r, x), ExitData.MaxMultiple);
    }

    private static GoodnessResult LawGoodness(SuccessLaw law, double[] sorted, int b, Random random)
    {
        // A Pareto's x_m is the smallest value, which the law then gives probability 0; given x_m, the other points are a
        // sample of the law, so they are what is tested (and likewise in each simulated sample).
        static ReadOnlySpan<double> Tested(SuccessLaw l, double[] x) => l.Family == SuccessFamily.Pareto ? x.AsSpan(1) : x;
        var tested = Tested(law, sorted);
        double d = GoodnessOfFit.KolmogorovSmirnov(tested, law.Cdf);
        double a2 = GoodnessOfFit.AndersonDarling(tested, law.Cdf);
        int dAbove = 0, aAbove = 0;
        var sim = new double[sorted.Length];
        for (int k = 0; k < b; k++)
        {
            for (int i = 0; i < sim.Length; i++) sim[i] = law.Quantile(random.NextDouble());
            Array.Sort(sim);
            var refit = SuccessLaw.Fit(law.Family, sim);
            var t = Tested(refit, sim);
            if (GoodnessOfFit.KolmogorovSmirnov(t, refit.Cdf) >= d) dAbove++;
            if (GoodnessOfFit.AndersonDarling(t, refit.Cdf) >= a2) aAbove++;
        }
        return new GoodnessResult(d, (dAbove + 1.0) / (b + 1), a2, (aAbove + 1.0) / (b + 1), tested.Length);
    }

    /// <summary>The beta's shape parameters from its mean and sd.</summary>
    public static (double A, double B) BetaShape(double mean, double sd)
    {
        double k = mean * (1 - mean) / (sd * sd) - 1;
        return (mean * k, (1 - mean) * k);
    }

    private static GoodnessResult BetaGoodness(double[] sorted, int b, Random random)
    {
        var (a, bb) = BetaShape(sorted.Average(), Sd(sorted));
        double d = GoodnessOfFit.KolmogorovSmirnov(sorted, x => Beta.CDF(a, bb, x));
        double a2 = GoodnessOfFit.AndersonDarling(sorted, x => Beta.CDF(a, bb, x));
        int dAbove = 0, aAbove = 0;
        var sim = new double[sorted.Length];
        for (int k = 0; k < b; k++)
        {
            for (int i = 0; i < sim.Length; i++) sim[i] = Beta.Sample(random, a, bb);
            Array.Sort(sim);
            double sd = Sd(sim);
            if (sd <= 0) continue;
            var (ra, rb) = BetaShape(sim.Average(), sd);
            if (GoodnessOfFit.KolmogorovSmirnov(sim, x => Beta.CDF(ra, rb, x)) >= d) dAbove++;
            if (GoodnessOfFit.AndersonDarling(sim, x => Beta.CDF(ra, rb, x)) >= a2) aAbove++;
        }
        return new GoodnessResult(d, (dAbove + 1.0) / (b + 1), a2, (aAbove + 1.0) / (b + 1), sorted.Length);
    }
}
