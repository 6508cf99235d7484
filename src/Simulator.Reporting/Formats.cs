using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting;

/// <summary>Number and JSON formats shared by every result file: invariant culture, shortest round-trip.</summary>
public static class Formats
{
    /// <summary>
    /// Shortest string that reads back to the same double (invariant "R" text, as trials.csv writes it); empty for
    /// NaN (undefined figures).
    /// </summary>
    public static string Number(double x)
    {
        if (double.IsNaN(x)) return "";
        Span<byte> text = stackalloc byte[RoundTripFormat.MaxDoubleLength];
        RoundTripFormat.TryFormat(x, text, out int length);
        return Encoding.ASCII.GetString(text[..length]);
    }

    /// <summary>Writer options: indented, UTF-8 text left readable (Chinese titles stay Chinese).</summary>
    public static readonly JsonWriterOptions Writer = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    /// <summary>Serializer options for the spec classes (scenario.json): the format's own conventions.</summary>
    public static JsonSerializerOptions Serializer => Simulator.Core.Scenarios.ScenarioJson.SerializerOptions;
}
