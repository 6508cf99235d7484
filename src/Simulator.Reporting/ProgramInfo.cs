namespace Simulator.Reporting;

/// <summary>The program's version as written into result files.</summary>
public static class ProgramInfo
{
    /// <summary>Major.minor.patch of the build, e.g. 0.1.0.</summary>
    public static string Version { get; } =
        typeof(ProgramInfo).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";

    /// <summary>Name and version, for scenario.json and reports.</summary>
    public static string NameAndVersion => $"simulator {Version}";
}
