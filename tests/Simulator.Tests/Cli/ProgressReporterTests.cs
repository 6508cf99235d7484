using Simulator.Cli;

namespace Simulator.Tests.Cli;

public class ProgressReporterTests
{
    [Test]
    public void Report_Terminal_DrawsBarInPlaceAndEndsWithNewline()
    {
        var w = new StringWriter();
        var p = new ProgressReporter(w, interactive: true, "demo", 1000);
        p.Report(500);
        p.Report(1000);
        string text = w.ToString();
        Assert.That(text, Does.StartWith("\r[############------------] demo: 500/1,000 trials (50%)"));
        Assert.That(text, Does.Contain("1,000/1,000 trials (100%)").And.Contain("done").And.EndWith(Environment.NewLine));
    }

    [Test]
    public void Report_NotATerminal_ShortRunPrintsNothing()
    {
        var w = new StringWriter();
        var p = new ProgressReporter(w, interactive: false, "demo", 1000);
        p.Report(500);
        p.Report(1000);
        Assert.That(w.ToString(), Is.Empty, "logs get a line every few seconds, and a run shorter than that stays silent");
    }

    [Test]
    public void Run_Quiet_PrintsNothingOnStdout()
    {
        using var temp = new Support.TempDirectory();
        string file = temp.Write("q.json", """{ "name": "q", "simulation": { "trials": 500 }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }""");
        using var host = CliHost.Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(["run", file, "--out", Path.Combine(temp.Path, "out"), "--quiet"], host.Services, stdout, stderr).GetAwaiter().GetResult();
        Assert.That(code, Is.Zero, stderr.ToString());
        Assert.That(stdout.ToString(), Is.Empty);
    }
}
