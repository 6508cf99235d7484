using Simulator.Cli;

namespace Simulator.Tests.Support;

/// <summary>The command line run in-process, as a user would run it, with its output captured.</summary>
internal static class CliRunner
{
    /// <summary>Runs <c>simulator <paramref name="args"/></c>; returns the exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var host = CliHost.Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(args, host.Services, stdout, stderr).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }
}
