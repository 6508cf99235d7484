using Simulator.Cli;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary><c>simulator serve</c> on the command line: bad arguments stop it with exit code 2, Ctrl-C stops it cleanly.</summary>
public class ServeCommandTests
{
    private static (int Code, string Out, string Err) Cli(StringWriter stdout, CancellationToken cancellation, params string[] args)
    {
        using var host = CliHost.Build();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(args, host.Services, stdout, stderr, cancellation).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [TestCase("--port", "70000", "--port: value 70000 is out of range")]
    [TestCase("--host", "my machine", "--host: 'my machine' is not an IP address")]
    [TestCase("--trials", "1,000", "--trials: value '1,000' is not an integer")]
    public void Serve_BadOption_ExitsWith2AndSaysWhy(string option, string value, string message)
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", WhatIfTests.Scenario);
        var (code, _, err) = Cli(new StringWriter(), CancellationToken.None, "serve", file, option, value);
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(err, Does.Contain(message));
    }

    [Test]
    public void Serve_InvalidScenario_ExitsWith2WithTheValidationErrors()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", WhatIfTests.Scenario.Replace("\"deals\": 20", "\"deals\": -1"));
        var (code, _, err) = Cli(new StringWriter(), CancellationToken.None, "serve", file);
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(err, Does.Contain("$.funds[0].deals").And.Contain("invalid (1 error)"));
    }

    [Test]
    public void Serve_CtrlCWhileServing_StopsCleanlyWithExitCode0()
    {
        using var temp = new TempDirectory();
        string file = temp.Write("s.json", WhatIfTests.Scenario);
        using var cancellation = new CancellationTokenSource();
        var stdout = new CancelWhenServing(cancellation);
        var (code, output, err) = Cli(stdout, cancellation.Token, "serve", file, "--port", "0", "--trials", "500");
        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        Assert.That(output, Does.Match(@"serving what-if-test at http://127\.0\.0\.1:[0-9]+/ \(Ctrl-C to stop\)"));
        Assert.That(output, Does.Match(@"kept the base's rows \(0 MB\) and its recorded trials \([0-9] MB of at most [0-9,]+ MB\)"));
        Assert.That(output, Does.EndWith("stopped\n").Or.EndWith("stopped" + Environment.NewLine));
    }

    /// <summary>Standard output that cancels, as a Ctrl-C would, once the server says where it listens.</summary>
    private sealed class CancelWhenServing(CancellationTokenSource cancellation) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith("serving", StringComparison.Ordinal) == true) cancellation.Cancel();
        }
    }
}
