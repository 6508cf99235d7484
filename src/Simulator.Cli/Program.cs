using System.CommandLine;
using System.Runtime.InteropServices;
using Simulator.Cli;
using Simulator.Cli.Commands;

using var host = CliHost.Build();
// Ctrl-C and SIGTERM cancel the run cooperatively: the engine stops at the next batch, writing stops before the
// next file, and the temporary result folder is removed, so an interrupted run leaves nothing half-written and
// keeps the earlier results. A second signal stops the process at once (what a user pressing Ctrl-C again wants);
// whatever that leaves is hidden and removed by the next run in the same output folder.
using var cancellation = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
return await Entry.RunAsync(args, host.Services, Console.Out, Console.Error, cancellation.Token);

void Cancel(PosixSignalContext context)
{
    if (cancellation.IsCancellationRequested) return; // context.Cancel stays false: the default action ends the process
    context.Cancel = true;
    Console.Error.WriteLine($"simulator: {(context.Signal == PosixSignal.SIGINT ? "interrupted" : "terminated")}; stopping at the next batch of trials or before the next result file, keeping earlier results (again to stop at once)");
    cancellation.Cancel();
}

namespace Simulator.Cli
{
    /// <summary>Parses and dispatches; separate from Main so tests can call it with captured writers.</summary>
    internal static class Entry
    {
        public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
        {
            var root = CommandLine.Build(services, stdout, stderr);
            var parse = root.Parse(args);
            // A misspelt option is refused before anything runs, with the option meant; a command with file arguments
            // would otherwise take it for a file and run at the default settings.
            var unknown = OptionValues.UnknownOptions(parse);
            if (parse.Errors.Count > 0 || unknown.Count > 0)
            {
                // Spec §1: a bad command line exits with 2 (System.CommandLine's own default is 1).
                foreach (var (_, message) in unknown) stderr.WriteLine($"error: {message}");
                // The parser's own "Unrecognized command or argument '--x'" says less than the line above.
                foreach (var error in parse.Errors.Where(e => !unknown.Any(u => e.Message.Contains($"'{u.Token}'", StringComparison.Ordinal))))
                    stderr.WriteLine($"error: {error.Message}");
                stderr.WriteLine("Run 'simulator --help' for usage.");
                return ExitCodes.Invalid;
            }
            // ProcessTerminationTimeout = null: the signals are handled above, never by a forced exit.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null }, cancellation);
        }
    }
}
