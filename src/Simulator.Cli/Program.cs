using System.CommandLine;
using Simulator.Cli;
using Simulator.Cli.Commands;

using var host = CliHost.Build();
return await Entry.RunAsync(args, host.Services, Console.Out, Console.Error);

namespace Simulator.Cli
{
    /// <summary>Parses and dispatches; separate from Main so tests can call it with captured writers.</summary>
    internal static class Entry
    {
        public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter stdout, TextWriter stderr)
        {
            var root = CommandLine.Build(services, stdout, stderr);
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // Spec §1: a bad command line exits with 2 (System.CommandLine's own default is 1).
                foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
                stderr.WriteLine("Run 'simulator --help' for usage.");
                return ExitCodes.Invalid;
            }
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
    }
}
