using System.Diagnostics;
using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>The program as a separate process, stopped by real signals in the middle of a run.</summary>
[Platform(Include = "Linux"), NonParallelizable]
public class SignalTests
{
    private TempDirectory _temp = null!;

    private const string Long = """
        { "name": "long", "simulation": { "trials": 50000000, "seed": 3 },
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6 } ] }
        """;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-signals");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Output => Path.Combine(_temp.Path, "out");

    /// <summary>Starts <c>simulator run</c> of a long scenario and returns once its hidden work folder exists.</summary>
    private Process StartLongRun()
    {
        string file = _temp.Write("long.json", Long);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(Entry).Assembly.Location, "run", file, "--out", Output, "--quiet", "--threads", "1" }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists(Output) || Directory.GetDirectories(Output, ".long.partial-*").Length == 0)
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                if (!process.HasExited) process.Kill();
                Assert.Fail($"the run did not start its result folder: {process.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(20);
        }
        return process;
    }

    private static void WaitForExit(Process process)
    {
        if (process.WaitForExit(60_000)) return;
        process.Kill();
        Assert.Fail("the run did not stop within a minute of the signal");
    }

    [Test]
    [Category("Slow")]
    public void Sigterm_DuringTrials_StopsPromptlyExits130LeavesNothing()
    {
        using var process = StartLongRun();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        WaitForExit(process);
        string stderr = process.StandardError.ReadToEnd();
        Assert.That(process.ExitCode, Is.EqualTo(130), stderr);
        Assert.That(stderr, Does.Contain("simulator: terminated; stopping at the next batch of trials").And.Contain("cancelled: long was not written"));
        Assert.That(Directory.GetFileSystemEntries(Output).Select(Path.GetFileName), Is.EqualTo(new[] { "index.html" }));
    }

    [Test]
    [Category("Slow")]
    public void Sigkill_DuringTrials_NextRunRemovesTheLeftover()
    {
        using (var process = StartLongRun())
        {
            process.Kill(); // SIGKILL: nothing of the process runs any more
            process.WaitForExit();
        }
        Assert.That(Directory.GetDirectories(Output, ".long.partial-*"), Has.Length.EqualTo(1), "what a killed run leaves");
        string other = _temp.Write("short.json", Long.Replace("\"long\"", "\"short\"").Replace("50000000", "100"));
        using var host = CliHost.Build();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(["run", other, "--out", Output], host.Services, new StringWriter(), stderr).GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(0), stderr.ToString());
        Assert.That(stderr.ToString(), Does.Contain("note: removed ").And.Contain("which was stopped before it finished"));
        Assert.That(Directory.GetFileSystemEntries(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "index.html", "short" }));
    }
}
