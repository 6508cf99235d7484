namespace Simulator.Cli;

/// <summary>Turns the command line's files and folders into scenario files: a folder means every *.json in
/// it (not recursive), in ordinal name order, so a batch runs in the same order everywhere.</summary>
internal static class ScenarioInputs
{
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Problems) Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        var problems = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.GetFiles(input, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) problems.Add($"{input}: the folder holds no *.json scenario files");
                files.AddRange(found);
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                problems.Add($"{input}: no such file or folder");
            }
        }
        return (files, problems);
    }
}
