using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Simulator.Core.Engine;

namespace Simulator.Cli;

/// <summary>
/// The generic host: configuration, logging (to stderr, so stdout carries only results) and DI. The host's
/// command-line configuration source is not given the arguments: System.CommandLine owns them.
/// </summary>
internal static class CliHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = false;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.SetMinimumLevel(
            Environment.GetEnvironmentVariable("SIMULATOR_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<SimulationEngine>();
        builder.Services.AddSingleton<BatchRunner>();
        return builder.Build();
    }
}
