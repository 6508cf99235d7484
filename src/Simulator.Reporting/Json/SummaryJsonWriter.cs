using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Reporting.Instruments;

namespace Simulator.Reporting.Json;

/// <summary>Writes summary.json with the field names of spec §5 (the contract users' scripts read).</summary>
public static class SummaryJsonWriter
{
    /// <summary>Writes the summary of <paramref name="result"/> to <paramref name="path"/>.</summary>
    public static void Write(SimulationResult result, string path)
    {
        using var stream = File.Create(path);
        Write(result, stream);
    }

    /// <summary>Writes the summary of <paramref name="result"/> to <paramref name="stream"/>, as summary.json holds it (the
    /// what-if server answers with the same text).</summary>
    public static void Write(SimulationResult result, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, Formats.Writer);
        var s = result.Scenario;
        w.WriteStartObject();
        w.WriteString("scenario", s.Name);
        w.WriteString("title", s.Title);
        if (s.VariantName is { } variant) w.WriteString("variant", variant);
        w.WriteNumber("trials", result.Trials);
        w.WriteNumber("seed", s.Seed);
        w.WriteString("programVersion", ProgramInfo.Version);
        if (result.Precision is { } precision) WritePrecision(w, precision);
        if (result.ImportanceSampling is { } sampling)
        {
            w.WriteStartObject("importanceSampling");
            w.WriteBoolean("automatic", sampling.Automatic);
            w.WriteStartObject("shift");
            foreach (var (factor, shift) in sampling.Shift) w.WriteNumber(factor, shift);
            w.WriteEndObject();
            WriteNumber(w, "effectiveSampleSize", sampling.EffectiveSampleSize);
            if (sampling.PilotVarianceRatios.Count > 0)
            {
                w.WriteStartArray("pilot");
                foreach (var (scale, score) in sampling.PilotVarianceRatios)
                {
                    w.WriteStartObject();
                    w.WriteNumber("scale", scale);
                    WriteNumber(w, "sumOfSquaredRelativeErrors", score);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        if (result.QuasiRandom is { } quasi)
        {
            w.WriteStartObject("quasiRandom");
            w.WriteString("method", quasi.Method);
            w.WriteNumber("randomisations", quasi.Randomisations);
            // Which standard error every figure of the file carries (docs/precision.md).
            w.WriteString("standardErrors", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"randomisations: every standardError, ci95 and diffSE in this file and the CSV tables is the standard deviation of the {quasi.Randomisations} randomisations' own estimates over sqrt({quasi.Randomisations}); plainStandardError below is plain Monte Carlo's on as many trials, for comparison"));
            w.WriteStartArray("figures");
            foreach (var f in quasi.Figures)
            {
                w.WriteStartObject();
                w.WriteString("figure", f.Name);
                WriteNumber(w, "estimate", f.Estimate);
                WriteNumber(w, "standardError", f.StandardError);
                WriteNumber(w, "plainStandardError", f.PlainStandardError);
                WriteNumber(w, "varianceReduction", f.VarianceReduction);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        // Each instrument's sections, in scenario order.
        foreach (var (report, instrument) in InstrumentReports.Of(result)) report.WriteSummary(w, result, instrument);
        if (result.Government is { } government) WriteGovernment(w, government);
        w.WriteEndObject();
    }

    /// <summary>The government's net cost across every instrument, and its split by item.</summary>
    private static void WriteGovernment(Utf8JsonWriter w, Core.Engine.GovernmentExposure g)
    {
        w.WriteStartObject("government");
        w.WritePropertyName("netCost");
        WriteLoss(w, g.NetCost);
        w.WriteStartArray("byItem");
        foreach (var part in g.Parts)
        {
            w.WriteStartObject();
            w.WriteString("instrument", part.Kind);
            w.WriteString("item", part.Item);
            WriteNumber(w, "meanNetCost", part.Mean);
            WriteNumber(w, "standardError", part.StandardError);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePrecision(Utf8JsonWriter w, Core.Statistics.PrecisionReport p)
    {
        w.WriteStartObject("precision");
        w.WriteNumber("relativeError", p.Target.RelativeError);
        w.WriteBoolean("met", p.Met);
        w.WriteNumber("trialsUsed", p.History.Count > 0 ? p.History[^1].Trials : 0);
        w.WriteNumber("maxTrials", p.MaxTrials);
        w.WriteNumber("checkEvery", p.Target.CheckEvery);
        w.WriteStartArray("figures");
        if (p.History.Count > 0)
        {
            foreach (var f in p.History[^1].Figures)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                WriteNumber(w, "estimate", f.Estimate);
                WriteNumber(w, "standardError", f.StandardError);
                WriteNumber(w, "relativeError", f.RelativeError);
                w.WriteBoolean("estimable", f.Estimable);
                w.WriteBoolean("met", f.Estimable && f.RelativeError <= p.Target.RelativeError);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteLoss(Utf8JsonWriter w, LossSummary l)
    {
        w.WriteStartObject();
        WriteNumber(w, "mean", l.Mean);
        WriteNumber(w, "sd", l.Sd);
        WriteNumber(w, "p50", l.P50);
        WriteNumber(w, "p90", l.P90);
        WriteNumber(w, "p95", l.P95);
        WriteNumber(w, "p99", l.P99);
        WriteNumber(w, "p999", l.P999);
        WriteNumber(w, "es99", l.Es99);
        var se = l.StandardErrors;
        WriteNumbers(w, "standardErrors", ("mean", se.Mean), ("p50", se.P50), ("p90", se.P90), ("p95", se.P95), ("p99", se.P99), ("p999", se.P999), ("es99", se.Es99));
        if (l.Exceedance.Count > 0)
        {
            w.WriteStartArray("exceedance");
            foreach (var e in l.Exceedance)
            {
                w.WriteStartObject();
                WriteNumber(w, "threshold", e.Threshold);
                WriteNumber(w, "probability", e.Estimate.Probability);
                WriteNumber(w, "standardError", e.Estimate.StandardError);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    internal static void WriteProbability(Utf8JsonWriter w, ProbabilityEstimate p)
    {
        w.WriteStartObject();
        WriteNumber(w, "probability", p.Probability);
        WriteNumber(w, "standardError", p.StandardError);
        w.WriteStartArray("ci95");
        w.WriteNumberValue(p.Ci95Low);
        w.WriteNumberValue(p.Ci95High);
        w.WriteEndArray();
        w.WriteNumber("count", p.Count);
        w.WriteEndObject();
    }

    /// <summary>A return figure's statistics; with <paramref name="undefinedShare"/> also the share of trials left out
    /// because the figure is undefined in them.</summary>
    internal static void WriteSpread(Utf8JsonWriter w, string name, SpreadSummary? s, bool undefinedShare = false)
    {
        w.WriteStartObject(name);
        if (s is not null)
        {
            WriteNumber(w, "mean", s.Mean);
            WriteNumber(w, "p5", s.P5);
            WriteNumber(w, "p50", s.P50);
            WriteNumber(w, "p95", s.P95);
            var e = s.StandardErrors;
            WriteNumbers(w, "standardErrors", ("mean", e.Mean), ("p5", e.P5), ("p50", e.P50), ("p95", e.P95));
            if (undefinedShare) WriteNumber(w, "undefinedShare", s.UndefinedShare);
        }
        w.WriteEndObject();
    }

    /// <summary>An object of named numbers (null where not finite).</summary>
    internal static void WriteNumbers(Utf8JsonWriter w, string name, params (string Name, double Value)[] fields)
    {
        w.WriteStartObject(name);
        foreach (var (field, value) in fields) WriteNumber(w, field, value);
        w.WriteEndObject();
    }

    internal static void WriteNumber(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }
}
