using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Statistics;
using Simulator.Core.Guarantees;
using Simulator.Core.Funds;

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
        if (result.Programme is { } programme)
        {
            w.WriteStartObject("programme");
            w.WritePropertyName("lossRatio");
            WriteLoss(w, programme.LossRatio);
            w.WritePropertyName("breach");
            WriteProbability(w, programme.Breach);
            w.WriteStartObject("tolerance");
            WriteNumber(w, "mean", programme.MeanTolerance);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("programme");
        }
        w.WriteStartArray("guarantees");
        foreach (var g in result.Guarantees) WriteGuarantee(w, g);
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

    private static void WriteGuarantee(Utf8JsonWriter w, GuaranteeResult g)
    {
        w.WriteStartObject();
        w.WriteString("name", g.Guarantee.Name);
        w.WritePropertyName("loss");
        WriteLoss(w, g.Loss);
        w.WriteStartObject("parties");
        foreach (var (name, party) in new[] { ("guarantor", g.Guarantor), ("reGuarantee", g.ReGuarantee), ("bank", g.Bank), ("government", g.Government) })
        {
            w.WriteStartObject(name);
            WriteNumber(w, "mean", party.Mean);
            WriteNumber(w, "p99", party.P99);
            WriteNumber(w, "worst1PercentMean", party.WorstPercentMean);
            WriteNumbers(w, "standardErrors", ("mean", party.StandardErrors.Mean), ("p99", party.StandardErrors.P99));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteStartObject("worst1Percent");
        WriteNumber(w, "meanLoss", g.WorstPercentLoss);
        w.WriteEndObject();
        w.WritePropertyName("governmentExhausted");
        WriteProbability(w, g.Exhausted);
        w.WritePropertyName("guarantorInsolvent");
        WriteProbability(w, g.Insolvent);
        w.WritePropertyName("suspended");
        WriteProbability(w, g.Suspended);
        w.WriteStartObject("guaranteedAmount");
        WriteNumber(w, "mean", g.MeanGuaranteed);
        w.WriteEndObject();
        w.WriteStartObject("loans");
        WriteNumber(w, "mean", g.MeanLoans);
        w.WriteEndObject();
        w.WriteStartObject("defaults");
        WriteNumber(w, "mean", g.MeanDefaults);
        w.WriteEndObject();
        w.WriteStartObject("governmentCost");
        WriteNumber(w, "mean", g.Government.Mean);
        WriteNumber(w, "p99", g.Government.P99);
        w.WriteEndObject();
        WriteNumber(w, "fiscalLeverage", g.FiscalLeverage);
        w.WriteStartArray("byYear");
        for (int t = 0; t < g.ExhaustedByYear.Count; t++)
        {
            w.WriteStartObject();
            w.WriteNumber("year", t + 1);
            WriteNumber(w, "governmentExhaustedProbability", g.ExhaustedByYear[t]);
            WriteNumber(w, "guarantorInsolventProbability", g.InsolventByYear[t]);
            if (g.ByYearStandardErrors.Count > t)
            {
                WriteNumber(w, "governmentExhaustedStandardError", g.ByYearStandardErrors[t].Exhausted);
                WriteNumber(w, "guarantorInsolventStandardError", g.ByYearStandardErrors[t].Insolvent);
            }
            if (g.CapitalByYear.Count > t)
            {
                w.WriteStartObject("guarantorCapital");
                WriteNumber(w, "p5", g.CapitalByYear[t].P5);
                WriteNumber(w, "p50", g.CapitalByYear[t].P50);
                WriteNumber(w, "p95", g.CapitalByYear[t].P95);
                if (g.CapitalStandardErrors.Count > t)
                {
                    var e = g.CapitalStandardErrors[t];
                    WriteNumbers(w, "standardErrors", ("p5", e.P5), ("p50", e.P50), ("p95", e.P95));
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
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
            var e = s.StandardErrors;
            WriteNumbers(w, "standardErrors", ("mean", e.Mean), ("p5", e.P5), ("p50", e.P50), ("p95", e.P95));
        }
        w.WriteEndObject();
    }

    /// <summary>An object of named numbers (null where not finite).</summary>
    private static void WriteNumbers(Utf8JsonWriter w, string name, params (string Name, double Value)[] fields)
    {
        w.WriteStartObject(name);
        foreach (var (field, value) in fields) WriteNumber(w, field, value);
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }
}
