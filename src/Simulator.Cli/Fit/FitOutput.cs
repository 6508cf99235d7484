using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Fitting;

namespace Simulator.Cli.Fit;

/// <summary>What <c>simulator fit</c> prints and writes besides the block and the charts: the console summary and the
/// details file with every estimate, its interval and the goodness of fit.</summary>
internal static class FitOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Creates the output folder, or reports why it cannot be (a bad command line: exit code 2).</summary>
    public static bool TryCreate(string dir, TextWriter stderr)
    {
        try
        {
            Directory.CreateDirectory(dir);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: --out {dir}: cannot create the folder: {e.Message}");
            return false;
        }
    }

    private static string F(double x, string format = "G4") => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Ci(Interval i, string format = "G4") => $"{F(i.Estimate, format)}  [{F(i.Low, format)}, {F(i.High, format)}]";

    private static string P(double p) => p < 0.001 ? "< 0.001" : F(p, "F3");

    private static string Goodness(GoodnessResult g) => $"KS D {F(g.KsD, "F3")} (p {P(g.KsP)}), AD A² {F(g.AdA2, "F2")} (p {P(g.AdP)})";

    /// <summary>The console summary of an exits fit.</summary>
    public static void PrintExits(TextWriter w, IReadOnlyList<ExitGroupFit> fits, string path, int rows, ExitFitOptions options)
    {
        w.WriteLine($"{path}: {rows} exits{(fits.Count > 1 || fits[0].Group != "all" ? $", {fits.Count} stage(s)" : "")}; "
            + $"95% intervals from {options.Bootstrap} bootstrap resamples (seed {options.Seed}); goodness-of-fit p-values from as many parametric resamples");
        foreach (var f in fits)
        {
            w.WriteLine();
            w.WriteLine($"{f.ModelName} ({(f.Group == "all" ? "all exits" : $"stage {f.Group}")}: {f.Rows} exits, {f.WriteOffs} written off, {f.PartialMultiples.Length} partial, {f.SuccessMultiples.Length} successes)");
            w.WriteLine($"  writeOff q              {Ci(f.WriteOff)}");
            w.WriteLine($"  partial.probability r   {Ci(f.Partial)}");
            if (f.PartialMean is { } pm && f.PartialSd is { } ps)
            {
                w.WriteLine($"  partial beta mean       {Ci(pm)}");
                w.WriteLine($"  partial beta sd         {Ci(ps)}");
                w.WriteLine($"    fit: {Goodness(f.PartialGoodness!)}");
            }
            if (f.Success is { } law && f.SuccessFirst is { } a && f.SuccessSecond is { } b)
            {
                if (law.Family == SuccessFamily.LogNormal)
                {
                    w.WriteLine($"  success lognormal μ     {Ci(a)}   (median e^μ = {F(Math.Exp(a.Estimate))})");
                    w.WriteLine($"  success lognormal σ     {Ci(b)}");
                    // The format draws the whole law in the band, so its mass below 1x becomes outcomes below 1x in a run.
                    w.WriteLine($"    {F(100 * law.Cdf(1), "0.##")}% of this law lies below 1x: a run draws that share of the band's projects below 1x, where the data have none");
                }
                else
                {
                    w.WriteLine($"  success Pareto min      {Ci(a)}");
                    w.WriteLine($"  success Pareto alpha    {Ci(b)}");
                }
                w.WriteLine($"    fit: {Goodness(f.SuccessGoodness!)}; log-likelihood {F(f.SuccessLogLikelihood, "F1")}"
                    + (f.Alternative is { } other ? $" (other family, {other}: {F(f.AlternativeLogLikelihood, "F1")})" : ""));
                w.WriteLine($"  success.cap             {F(f.Cap!.Value)} (the largest multiple seen; raise it if larger exits are possible)");
            }
            foreach (var y in f.ExitYears)
                w.WriteLine($"  exitYears.{y.Band,-9}     mean {Ci(y.Mean, "F2")} years; table {string.Join(" ", y.Table.Select(r => $"{r.Years}:{F(r.Probability, "0.####")}"))}");
            if (f.Sectors.Count > 0)
                w.WriteLine($"  sectors (not fitted separately): {string.Join(", ", f.Sectors.Select(s => $"{s.Key} {s.Value}"))}");
        }
        w.WriteLine();
    }

    /// <summary>exits-fit.json: every estimate with its interval, the goodness of fit, both families' likelihoods.</summary>
    public static string ExitsJson(IReadOnlyList<ExitGroupFit> fits, string path, ExitFitOptions options)
    {
        return Json(w =>
        {
            w.WriteString("file", path);
            w.WriteString("command", "simulator fit exits");
            w.WriteNumber("bootstrap", options.Bootstrap);
            w.WriteNumber("seed", options.Seed);
            w.WriteString("family", options.Family is { } fam ? fam.ToString().ToLowerInvariant() : "auto");
            w.WriteStartArray("groups");
            foreach (var f in fits)
            {
                w.WriteStartObject();
                w.WriteString("group", f.Group);
                w.WriteString("model", f.ModelName);
                w.WriteNumber("exits", f.Rows);
                w.WriteNumber("writeOffs", f.WriteOffs);
                w.WriteNumber("partials", f.PartialMultiples.Length);
                w.WriteNumber("successes", f.SuccessMultiples.Length);
                Write(w, "writeOff", f.WriteOff);
                Write(w, "partialProbability", f.Partial);
                if (f.PartialMean is { } pm) Write(w, "partialMean", pm);
                if (f.PartialSd is { } ps) Write(w, "partialSd", ps);
                if (f.PartialGoodness is { } pg) Write(w, "partialGoodness", pg);
                if (f.Success is { } law)
                {
                    w.WriteString("successFamily", law.Family == SuccessFamily.LogNormal ? "lognormal" : "pareto");
                    Write(w, law.Family == SuccessFamily.LogNormal ? "successMu" : "successMin", f.SuccessFirst!);
                    Write(w, law.Family == SuccessFamily.LogNormal ? "successSigma" : "successAlpha", f.SuccessSecond!);
                    Write(w, "successGoodness", f.SuccessGoodness!);
                    w.WriteNumber("successLogLikelihood", f.SuccessLogLikelihood);
                    if (f.Alternative is { } other)
                    {
                        w.WriteString("alternative", other.ToString());
                        w.WriteNumber("alternativeLogLikelihood", f.AlternativeLogLikelihood);
                    }
                    w.WriteNumber("successShareBelowOne", law.Cdf(1));
                    w.WriteNumber("cap", f.Cap!.Value);
                }
                w.WriteStartObject("exitYearsMean");
                foreach (var y in f.ExitYears) Write(w, y.Band, y.Mean);
                w.WriteEndObject();
                if (f.Sectors.Count > 0)
                {
                    w.WriteStartObject("sectors");
                    foreach (var (k, v) in f.Sectors) w.WriteNumber(k, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static void Write(Utf8JsonWriter w, string name, Interval i)
    {
        w.WriteStartObject(name);
        Number(w, "estimate", i.Estimate);
        Number(w, "low95", i.Low);
        Number(w, "high95", i.High);
        w.WriteNumber("replicates", i.Replicates);
        w.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter w, string name, GoodnessResult g)
    {
        w.WriteStartObject(name);
        w.WriteNumber("ksD", g.KsD);
        w.WriteNumber("ksP", g.KsP);
        w.WriteNumber("adA2", g.AdA2);
        w.WriteNumber("adP", g.AdP);
        w.WriteNumber("points", g.Points);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    /// <summary>The console summary of a defaults fit.</summary>
    public static void PrintDefaults(TextWriter w, IReadOnlyList<VasicekResult> fits, string path, string factor)
    {
        w.WriteLine($"{path}: Vasicek maximum likelihood (one factor, years independent); standard errors from the observed information");
        foreach (var f in fits)
        {
            w.WriteLine();
            long loans = f.Years.Sum(y => (long)y.Loans), defaults = f.Years.Sum(y => (long)y.Defaults);
            w.WriteLine($"{(f.Grade == "all" ? "all loans" : $"grade {f.Grade}")}: {f.Years.Count} years, {loans:N0} loan-years, {defaults:N0} defaults (pooled rate {F(f.PooledRate)})");
            w.WriteLine($"  pd        {F(f.Pd)}  (SE {F(f.PdSe, "G2")}; 95% {F(f.Pd - 1.96 * f.PdSe)} – {F(f.Pd + 1.96 * f.PdSe)})");
            w.WriteLine(double.IsNaN(f.RhoSe)
                ? $"  rho       {F(f.Rho)}  (at the boundary 0: the years vary no more than binomial noise; no standard error)"
                : $"  rho       {F(f.Rho)}  (SE {F(f.RhoSe, "G2")}; 95% {F(Math.Max(0, f.Rho - 1.96 * f.RhoSe))} – {F(Math.Min(1, f.Rho + 1.96 * f.RhoSe))})");
            w.WriteLine($"  loading   {F(f.Loading)}  (√rho; SE {F(LoadingSe(f), "G2")})   log-likelihood {F(f.LogLikelihood, "F2")}");
            w.WriteLine($"  snippet   \"loans\": {{ \"pd\": {F(OutcomeBlock.Significant(f.Pd))}, \"exposure\": {{ \"{factor}\": {F(OutcomeBlock.Significant(f.Loading))} }} }}");
        }
        w.WriteLine();
    }

    // Delta method: SE(√ρ) = SE(ρ) / (2√ρ).
    private static double LoadingSe(VasicekResult f) => f.RhoSe / (2 * Math.Sqrt(f.Rho));

    /// <summary>defaults-fit.json: per grade the estimates, standard errors and the snippet for a guarantee's <c>loans</c>.</summary>
    public static string DefaultsJson(IReadOnlyList<VasicekResult> fits, string path, string factor)
    {
        return Json(w =>
        {
            w.WriteString("file", path);
            w.WriteString("command", "simulator fit defaults");
            w.WriteString("model", "one-factor Vasicek, years independent; loans default when √ρ·Z + √(1−ρ)·ε < Φ⁻¹(pd)");
            w.WriteStartObject("grades");
            foreach (var f in fits)
            {
                w.WriteStartObject(f.Grade);
                w.WriteNumber("years", f.Years.Count);
                w.WriteNumber("loanYears", f.Years.Sum(y => (long)y.Loans));
                w.WriteNumber("defaults", f.Years.Sum(y => (long)y.Defaults));
                w.WriteNumber("pooledRate", f.PooledRate);
                w.WriteNumber("pd", f.Pd);
                Number(w, "pdSe", f.PdSe);
                w.WriteNumber("rho", f.Rho);
                Number(w, "rhoSe", f.RhoSe);
                w.WriteNumber("loading", f.Loading);
                Number(w, "loadingSe", LoadingSe(f));
                w.WriteNumber("logLikelihood", f.LogLikelihood);
                w.WriteStartObject("loans");
                w.WriteNumber("pd", OutcomeBlock.Significant(f.Pd));
                w.WriteStartObject("exposure");
                w.WriteNumber(factor, OutcomeBlock.Significant(f.Loading));
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
