using System.Text.Json;
using Simulator.Core.Scenarios;
using Simulator.Core.Guarantees.Format;

namespace Simulator.Reporting.Json;

/// <summary>
/// Writes scenario.json: the scenario as run, in the input format with defaults filled in, the trials and
/// seed actually used and the program version. It is itself a valid scenario file, so a run can be repeated
/// from its result folder: input files are copied beside it (e.g. loan-tapes/&lt;guarantee&gt;.csv) and referenced there.
/// </summary>
public static class ScenarioJsonWriter
{
    /// <summary>Serializes <paramref name="scenario"/>'s filled spec; input files are referenced as copied.</summary>
    public static string ToJson(Scenario scenario) => ToJson(scenario, (_, folder, name) => $"{folder}/{name}");

    private static string ToJson(Scenario scenario, Func<string, string, string, string> copy)
    {
        var spec = ScenarioDefaults.WithCopiedFiles(scenario.Spec(), scenario.BaseDirectory, copy);
        // Every field of the filled file, the program's version stamped; the study (variants, sweep, sensitivity) is
        // not written: each run's folder holds its own scenario.json.
        var stamped = spec with { ProgramVersion = ProgramInfo.Version, Variants = null, Sweep = null, Sensitivity = null, Solve = null };
        return JsonSerializer.Serialize(stamped, Formats.Serializer) + "\n";
    }

    /// <summary>Writes scenario.json and copies the input files (loan tapes, …) beside it.</summary>
    public static void Write(Scenario scenario, string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        File.WriteAllText(path, ToJson(scenario, (source, sub, name) =>
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
            File.Copy(source, Path.Combine(folder, sub, name), overwrite: true);
            return $"{sub}/{name}";
        }));
    }
}
