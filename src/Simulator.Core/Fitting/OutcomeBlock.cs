using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Simulator.Core.Fitting;

/// <summary>
/// Writes fitted outcome models as the scenario format's <c>outcomes</c> block (docs/scenario-format.md §5), ready to
/// paste: parameters to four significant digits, shares to four decimals, exit years as tables.
/// </summary>
public static class OutcomeBlock
{
    /// <summary>The JSON text <c>{ "outcomes": { "fit-…": {…}, … } }</c>.</summary>
    public static string Write(IReadOnlyList<ExitGroupFit> fits, string source)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("outcomes");
            foreach (var fit in fits) WriteModel(w, fit, source);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>One model: its description says where it comes from, with the success law's goodness of fit.</summary>
    public static void WriteModel(Utf8JsonWriter w, ExitGroupFit fit, string source)
    {
        w.WriteStartObject(fit.ModelName);
        string stage = fit.Group == "all" ? "" : $", stage {fit.Group}";
        w.WriteString("description", $"Fitted by 'simulator fit exits' to {Path.GetFileName(source)}{stage}: {fit.Rows} exits "
            + $"({fit.WriteOffs} written off, {fit.PartialMultiples.Length} partial, {fit.SuccessMultiples.Length} successes)"
            + (fit.Success is { } l ? $"; success band {l}" : "") + "; cap = largest multiple seen.");
        double q = Math.Round(fit.WriteOff.Estimate, 4);
        double r = Math.Round(fit.Partial.Estimate, 4);
        // Rounded shares must keep q + r ≤ 1, and = 1 exactly when there is no success band (the format requires one otherwise).
        if (fit.Success is null || q + r > 1) r = Math.Round(1 - q, 4);
        w.WriteNumber("writeOff", q);
        if (fit.PartialMean is { } mean && fit.PartialSd is { } sd)
        {
            w.WriteStartObject("partial");
            w.WriteNumber("probability", r);
            w.WriteStartObject("multiple");
            w.WriteStartObject("beta");
            w.WriteNumber("mean", Significant(mean.Estimate));
            w.WriteNumber("sd", Math.Max(0.001, Significant(sd.Estimate)));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        if (fit.Success is { } law)
        {
            w.WriteStartObject("success");
            w.WriteStartObject("multiple");
            if (law.Family == SuccessFamily.LogNormal)
            {
                w.WriteStartObject("lognormal");
                w.WriteNumber("median", Significant(Math.Exp(law.First)));
                w.WriteNumber("sigma", Significant(law.Second));
            }
            else
            {
                w.WriteStartObject("pareto");
                w.WriteNumber("min", Significant(law.First));
                w.WriteNumber("alpha", Significant(law.Second));
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteNumber("cap", fit.Cap!.Value);
            w.WriteEndObject();
        }
        w.WriteStartObject("exitYears");
        foreach (var band in fit.ExitYears)
        {
            w.WriteStartObject(band.Band);
            // One line per table, as a person writes it, rather than three lines per row.
            w.WritePropertyName("table");
            w.WriteRawValue("[" + string.Join(", ", band.Table.Select(r => string.Create(CultureInfo.InvariantCulture, $"[{r.Years}, {r.Probability}]"))) + "]");
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><paramref name="x"/> to four significant digits (a fitted parameter's interval is far wider than that).</summary>
    public static double Significant(double x) =>
        x == 0 || !double.IsFinite(x) ? x : double.Parse(x.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
