using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;

namespace Simulator.Reporting.Json;

/// <summary>Writes summary.json with the field names of spec §5 (the contract users' scripts read).</summary>
public static class SummaryJsonWriter
{
    /// <summary>Writes the summary of <paramref name="result"/> to <paramref name="path"/>.</summary>
    public static void Write(SimulationResult result, string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, Formats.Writer);
        var s = result.Scenario;
        w.WriteStartObject();
        w.WriteString("scenario", s.Name);
        w.WriteString("title", s.Title);
        w.WriteNumber("trials", result.Trials);
        w.WriteNumber("seed", s.Seed);
        w.WriteString("programVersion", ProgramInfo.Version);
        w.WriteStartArray("funds");
        foreach (var f in result.Funds)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Fund.Name);
            w.WriteString("type", JsonNamingPolicy.CamelCase.ConvertName(f.Fund.Type.ToString()));
            w.WriteNumber("tolerance", f.Fund.Tolerance);
            w.WritePropertyName("lossRatio");
            WriteLoss(w, f.LossRatio);
            w.WritePropertyName("breach");
            WriteProbability(w, f.Breach);
            w.WriteStartObject("netMultiple");
            WriteSpread(w, "privateLp", f.NetMultiplePrivate);
            WriteSpread(w, "government", f.NetMultipleGovernment);
            w.WriteEndObject();
            w.WriteStartObject("netIrr");
            WriteSpread(w, "privateLp", f.NetIrrPrivate);
            WriteSpread(w, "government", f.NetIrrGovernment);
            w.WriteEndObject();
            w.WriteStartObject("invested");
            WriteNumber(w, "mean", f.MeanInvested);
            w.WriteEndObject();
            w.WriteStartObject("proceeds");
            WriteNumber(w, "mean", f.MeanProceeds);
            w.WriteEndObject();
            if (f.Projects is { } p)
            {
                w.WriteStartObject("projects");
                w.WriteNumber("deals", f.Fund.Deals);
                WriteNumber(w, "meanBreaching", p.MeanBreachingProjects);
                WriteNumber(w, "breachProbability", p.ProjectBreachProbability);
                WriteNumber(w, "breachStandardError", p.StandardError);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("programme");
        w.WritePropertyName("lossRatio");
        WriteLoss(w, result.Programme.LossRatio);
        w.WritePropertyName("breach");
        WriteProbability(w, result.Programme.Breach);
        w.WriteStartObject("tolerance");
        WriteNumber(w, "mean", result.Programme.MeanTolerance);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("guarantees");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLoss(Utf8JsonWriter w, LossSummary l)
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

    private static void WriteProbability(Utf8JsonWriter w, ProbabilityEstimate p)
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

    private static void WriteSpread(Utf8JsonWriter w, string name, SpreadSummary? s)
    {
        w.WriteStartObject(name);
        if (s is not null)
        {
            WriteNumber(w, "mean", s.Mean);
            WriteNumber(w, "p5", s.P5);
            WriteNumber(w, "p50", s.P50);
            WriteNumber(w, "p95", s.P95);
        }
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }
}
