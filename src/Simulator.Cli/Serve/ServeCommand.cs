using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Simulator.Cli.Commands;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;

namespace Simulator.Cli.Serve;

/// <summary><c>simulator serve &lt;scenario.json&gt; [--port 5180] [--host 127.0.0.1] [--trials N]</c>: the what-if page.</summary>
internal static class ServeCommand
{
    /// <summary>Trials of the base and of every setting when --trials is not given: enough for standard errors a page can
    /// show, few enough that a setting that needs new trials answers within a second on two cores.</summary>
    public const int DefaultTrials = 20_000;

    public static Command Build(IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("scenario") { Description = "The scenario file whose settings the page moves." };
        var port = new Option<int>("--port")
        {
            Description = "TCP port (default 5180; 0: any free port).",
            DefaultValueFactory = _ => 5180,
            CustomParser = r => (int)(OptionValues.Integer(r, "--port", 0, 65535) ?? 5180),
        };
        var host = new Option<string>("--host") { Description = "Address to listen on (default 127.0.0.1: this machine only).", DefaultValueFactory = _ => "127.0.0.1" };
        host.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && r.Tokens[0].Value is var h && h != "localhost" && !IPAddress.TryParse(h, out _))
                r.AddError($"--host: '{h}' is not an IP address; give one such as 127.0.0.1, 0.0.0.0 or ::1, or localhost");
        });
        var trials = new Option<int?>("--trials")
        {
            Description = $"Trials of the base and of every setting (default {DefaultTrials:N0}; 1 to 100000000; 1e5 is accepted).",
            CustomParser = r => (int?)OptionValues.Integer(r, "--trials", 1, 100_000_000),
        };
        var command = new Command("serve", "Serve a live what-if page for a scenario: sliders for its settings, every figure with its paired standard error against the base.") { file, port, host, trials };
        command.SetAction(async (parse, cancellation) =>
        {
            string path = parse.GetValue(file)!;
            var loaded = ScenarioLoader.Load(path);
            if (!loaded.IsValid)
            {
                foreach (var e in loaded.Errors) stderr.WriteLine(e);
                stderr.WriteLine($"{path}: invalid ({loaded.Errors.Count} error{(loaded.Errors.Count == 1 ? "" : "s")})");
                return ExitCodes.Invalid;
            }
            int n = parse.GetValue(trials) ?? DefaultTrials;
            stdout.WriteLine($"{loaded.Scenario!.Name}: running the base ({n:N0} trials)…");
            WhatIf whatIf;
            try
            {
                whatIf = await Task.Run(() => WhatIf.Start(services.GetRequiredService<SimulationEngine>(), loaded.Scenario, File.ReadAllBytes(path), n, new RunOptions(), cancellation), cancellation);
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine("cancelled before the page was served");
                return ExitCodes.Cancelled;
            }
            using (whatIf)
            {
                WhatIfServer server;
                try
                {
                    server = await WhatIfServer.StartAsync(whatIf, path, parse.GetValue(host)!, parse.GetValue(port), cancellation);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UriFormatException)
                {
                    stderr.WriteLine($"error: cannot listen on {parse.GetValue(host)}:{parse.GetValue(port)}: {e.Message}");
                    return ExitCodes.Invalid;
                }
                await using (server)
                {
                    stdout.WriteLine(whatIf.ReuseNote);
                    foreach (var url in server.Urls) stdout.WriteLine($"serving {loaded.Scenario.Name} at {url}/ (Ctrl-C to stop)");
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl-C is how a server is stopped: a clean stop, not an interrupted run.
                    }
                }
            }
            stdout.WriteLine("stopped");
            return ExitCodes.Ok;
        });
        return command;
    }
}
