using System.Text.Json;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Json;

/// <summary>
/// Writes scenario.json: the scenario as run, in the input format with defaults filled in, the trials and
/// seed actually used and the program version. It is itself a valid scenario file, so a run can be repeated
/// from its result folder: loan tapes are copied beside it (loan-tapes/&lt;guarantee&gt;.csv) and referenced there.
/// </summary>
public static class ScenarioJsonWriter
{
    /// <summary>Folder of the copied loan tapes, relative to scenario.json.</summary>
    public const string TapeFolder = "loan-tapes";

    /// <summary>Serializes <paramref name="scenario"/>'s filled spec; loan tapes are referenced as copied.</summary>
    public static string ToJson(Scenario scenario)
    {
        var spec = scenario.Spec;
        var guarantees = spec.Guarantees?.Select(g => g.LoanTape is null ? g : WithTape(g, $"{TapeFolder}/{g.Name}.csv")).ToList();
        // Every field of the filled file, the program's version stamped; the study (variants, sweep, sensitivity) is
        // not written: each run's folder holds its own scenario.json.
        var stamped = spec with { ProgramVersion = ProgramInfo.Version, Guarantees = guarantees, Variants = null, Sweep = null, Sensitivity = null };
        return JsonSerializer.Serialize(stamped, Formats.Serializer) + "\n";
    }

    /// <summary>Writes scenario.json and copies the loan tapes beside it.</summary>
    public static void Write(Scenario scenario, string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var g in scenario.Guarantees)
        {
            if (g.Book is not Core.Guarantees.TapeBook tape) continue;
            Directory.CreateDirectory(Path.Combine(folder, TapeFolder));
            File.Copy(tape.Path, Path.Combine(folder, TapeFolder, g.Name + ".csv"), overwrite: true);
        }
        File.WriteAllText(path, ToJson(scenario));
    }

    private static GuaranteeSpec WithTape(GuaranteeSpec g, string tape) => g with { LoanTape = tape };
}
