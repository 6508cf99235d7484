using System.Text.Json;
using Simulator.Core.Scenarios;

namespace Simulator.Reporting.Json;

/// <summary>
/// Writes scenario.json: the scenario as run, in the input format with defaults filled in, the trials and
/// seed actually used and the program version. It is itself a valid scenario file, so a run can be repeated
/// from its result folder.
/// </summary>
public static class ScenarioJsonWriter
{
    /// <summary>Serializes <paramref name="scenario"/>'s filled spec.</summary>
    public static string ToJson(Scenario scenario)
    {
        var spec = scenario.Spec;
        var stamped = new ScenarioSpec
        {
            Name = spec.Name, Title = spec.Title, Description = spec.Description,
            ProgramVersion = ProgramInfo.Version,
            Simulation = spec.Simulation, Factors = spec.Factors, Stresses = spec.Stresses, Policy = spec.Policy,
            Outcomes = spec.Outcomes, Funds = spec.Funds, Guarantees = spec.Guarantees, Report = spec.Report,
        };
        return JsonSerializer.Serialize(stamped, Formats.Serializer) + "\n";
    }

    /// <summary>Writes scenario.json.</summary>
    public static void Write(Scenario scenario, string path) => File.WriteAllText(path, ToJson(scenario));
}
