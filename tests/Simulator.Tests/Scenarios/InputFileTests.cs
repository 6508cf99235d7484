using System.Diagnostics;
using Simulator.Core.Scenarios;
using Simulator.Tests.Support;

namespace Simulator.Tests.Scenarios;

/// <summary>Scenario files and loan tapes that are not regular files are refused before they are opened.</summary>
[Platform(Include = "Linux")]
public class InputFileTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-inputs");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Fifo(string name)
    {
        string path = Path.Combine(_temp.Path, name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo");
        return path;
    }

    // Opening a FIFO waits for a writer and reading /dev/zero never ends: a regression must fail, not hang the suite.
    private static LoadResult LoadWithin(string path)
    {
        var load = Task.Run(() => ScenarioLoader.Load(path));
        Assert.That(load.Wait(TimeSpan.FromSeconds(20)), Is.True, $"loading {path} did not finish");
        return load.Result;
    }

    [Test]
    public void Load_NamedPipe_RefusedWithoutOpening()
    {
        string path = Fifo("pipe.json");
        var result = LoadWithin(path);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Single().ToString(), Is.EqualTo($"{path}: error at $: cannot read the file: it is a named pipe (FIFO), not a regular file; give a scenario file (*.json)"));
    }

    [Test]
    public void Load_CharacterDevice_Refused()
    {
        var result = LoadWithin("/dev/zero");
        Assert.That(result.Errors.Single().Message, Does.Contain("it is a character device, not a regular file"));
    }

    [Test]
    public void Load_SymbolicLinkToRegularFile_Read()
    {
        string target = _temp.Write("real.json", """{ "name": "m", "funds": [ { "name": "f", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6 } ] }""");
        string link = Path.Combine(_temp.Path, "link.json");
        File.CreateSymbolicLink(link, target);
        Assert.That(LoadWithin(link).IsValid, Is.True);
    }

    [TestCase("pipe")]
    [TestCase("/dev/zero")]
    public void Load_LoanTapeNotARegularFile_RefusedNamingTapeAndPath(string tape)
    {
        string path = tape == "pipe" ? Fifo("book.csv") : tape;
        string file = _temp.Write("credit.json", $$"""
            { "name": "credit", "guarantees": [ { "name": "g", "loanTape": "{{path}}", "shares": { "bank": 0.5, "government": 0.5 } } ] }
            """);
        var error = LoadWithin(file).Errors.Single();
        Assert.That(error.Path, Is.EqualTo("$.guarantees[0].loanTape"));
        // /dev/zero is refused earlier, as a tape outside the scenario's folder; either way nothing is opened.
        Assert.That(error.Message, tape == "pipe"
            ? Is.EqualTo($"the loan tape {path} is a named pipe (FIFO), not a regular file; give a CSV file")
            : Does.StartWith($"loan tape \"{path}\" is outside the scenario file's folder"));
    }
}
