using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>A batch meeting a file that cannot be read: the file is reported, the others run.</summary>
public class HostileInputCliTests
{
    [Test]
    public void Run_BatchWithAFileOfInvalidUtf8_ExitsTwoAndRunsTheOthers()
    {
        using var temp = new TempDirectory("simulator-hostile");
        string folder = Path.Combine(temp.Path, "in"), output = Path.Combine(temp.Path, "out");
        temp.Write("in/a-good.json", """{ "name": "good", "simulation": { "trials": 500 }, "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ] }""");
        File.WriteAllBytes(Path.Combine(folder, "b-bad.json"), [.. "{ \"name\": \""u8, 0xE5, 0xAE, .. "\" }"u8]);

        using var host = CliHost.Build();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(["run", folder, "--out", output, "--quiet"], host.Services, stdout, stderr).GetAwaiter().GetResult();

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2), stderr.ToString());
            Assert.That(stderr.ToString(), Does.Contain("b-bad.json:1:12: error at $.name: the file is not valid UTF-8").And.Not.Contain("   at "));
            Assert.That(File.Exists(Path.Combine(output, "good", "summary.json")), "the good file still ran");
        });
    }
}
