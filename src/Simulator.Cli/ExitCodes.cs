namespace Simulator.Cli;

/// <summary>Exit codes of spec §1.</summary>
internal static class ExitCodes
{
    /// <summary>Everything ran.</summary>
    public const int Ok = 0;
    /// <summary>A scenario failed while running.</summary>
    public const int Failed = 1;
    /// <summary>Bad command line, or at least one scenario invalid (the valid ones still ran).</summary>
    public const int Invalid = 2;
    /// <summary>Stopped by Ctrl-C.</summary>
    public const int Cancelled = 130;

    /// <summary>A failure outranks invalid input: it means results that were expected are missing.</summary>
    public static int Combine(bool anyInvalid, bool anyFailed) => anyFailed ? Failed : anyInvalid ? Invalid : Ok;
}
