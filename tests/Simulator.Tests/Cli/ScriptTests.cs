using System.Diagnostics;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>
/// The shell scripts a user meets first, <c>setup.sh</c> and <c>simulator</c>, run by bash with stand-ins for
/// <c>apt-get</c> and <c>dotnet</c> put first on the PATH: what they call and what they say, without installing or
/// building anything.
/// </summary>
[Platform(Exclude = "Win"), System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ScriptTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-scripts");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Writes an executable shell script into the stand-ins' folder.</summary>
    private string Stub(string name, string body)
    {
        string path = _temp.Write(Path.Combine("bin", name), "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private (int Code, string Out, string Err) Bash(string script, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PATH"] = Path.Combine(_temp.Path, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["CALLS"] = Path.Combine(_temp.Path, "calls.log");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(60_000), Is.True, "the script did not finish within a minute");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private string Calls => File.Exists(Path.Combine(_temp.Path, "calls.log")) ? File.ReadAllText(Path.Combine(_temp.Path, "calls.log")) : "";

    private static string SetupScript => Path.Combine(TestScenarios.RepositoryRoot, "setup.sh");

    [Test]
    public void Setup_PackageManagerLocked_WaitsForTheLockAndShowsAptGetsError()
    {
        Stub("sudo", "exec \"$@\"");
        Stub("apt-get", """
            echo "apt-get $*" >> "$CALLS"
            case " $* " in *" install "*)
              echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2; exit 100;;
            esac
            """);
        var (code, _, stderr) = Bash(SetupScript, new Dictionary<string, string> { ["SETUP_ASSUME_MISSING"] = "time" });
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("could not install time").And.Contain("Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242"));
        var install = Calls.Split('\n').Single(l => l.Contains(" install ", StringComparison.Ordinal));
        Assert.That(install, Does.Contain("-o DPkg::Lock::Timeout=300"), "install must wait for the lock");
    }

    [Test]
    public void Setup_UpdateFailsInstallWorks_WarnsWithReasonAndSucceeds()
    {
        Stub("sudo", "exec \"$@\"");
        Stub("apt-get", """
            echo "apt-get $*" >> "$CALLS"
            case " $* " in *" update "*) echo "E: The repository 'http://deb.example stable Release' does not have a Release file." >&2; exit 100;; esac
            """);
        var (code, stdout, stderr) = Bash(SetupScript, new Dictionary<string, string> { ["SETUP_ASSUME_MISSING"] = "time", ["SETUP_LOCK_TIMEOUT"] = "7" });
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stderr, Does.Contain("apt-get update failed").And.Contain("does not have a Release file"));
        Assert.That(stdout, Does.Contain("setup: done"));
        Assert.That(Calls, Does.Contain("apt-get -o DPkg::Lock::Timeout=7 update").And.Contain("apt-get -o DPkg::Lock::Timeout=7 install -y -qq time"));
    }

    /// <summary>A checkout with the <c>simulator</c> script, one source file and a build of it made an hour after both.</summary>
    private string BuiltCheckout()
    {
        string root = Path.Combine(_temp.Path, "repo");
        File.Copy(Path.Combine(TestScenarios.RepositoryRoot, "simulator"), _temp.Write(Path.Combine("repo", "simulator"), ""), overwrite: true);
        var old = DateTime.UtcNow.AddHours(-2);
        foreach (var source in new[] { "Directory.Build.props", "Directory.Packages.props", Path.Combine("src", "Simulator.Cli", "Program.cs") })
            File.SetLastWriteTimeUtc(_temp.Write(Path.Combine("repo", source), "x"), old);
        string binary = _temp.Write(Path.Combine("repo", ".build", "simulator", "simulator"), "#!/bin/sh\necho \"ran $*\"\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetLastWriteTimeUtc(_temp.Write(Path.Combine("repo", ".build", "simulator", ".built"), ""), old.AddHours(1));
        Stub("dotnet", "echo \"dotnet $*\" >> \"$CALLS\"; exit 3");
        return root;
    }

    [Test]
    public void Simulator_OnlyBuildOutputNewerThanItsBuild_RunsWithoutRebuilding()
    {
        string root = BuiltCheckout();
        // What `dotnet build` and `dotnet test` leave below src/: generated sources and JSON files in obj/ and bin/.
        _temp.Write(Path.Combine("repo", "src", "Simulator.Cli", "obj", "Release", "net10.0", "simulator.AssemblyInfo.cs"), "x");
        _temp.Write(Path.Combine("repo", "src", "Simulator.Cli", "bin", "Release", "net10.0", "simulator.deps.json"), "{}");
        var (code, stdout, stderr) = Bash(Path.Combine(root, "simulator"), new Dictionary<string, string>(), "run", "x.json");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Is.EqualTo("ran run x.json\n"));
        Assert.That(Calls, Is.Empty, "dotnet must not be called");
    }

    // The report's style sheet and scripts are embedded in the build, so they count as sources too.
    [TestCase("Simulator.Cli/Commands/New.cs")]
    [TestCase("Simulator.Reporting/Html/report.css")]
    [TestCase("Simulator.Reporting/Html/sort.js")]
    public void Simulator_SourceNewerThanItsBuild_Rebuilds(string source)
    {
        string root = BuiltCheckout();
        _temp.Write(Path.Combine(["repo", "src", .. source.Split('/')]), "x");
        var (code, stdout, _) = Bash(Path.Combine(root, "simulator"), new Dictionary<string, string>(), "run", "x.json");
        Assert.That(code, Is.EqualTo(3), "the stand-in dotnet fails, and the script with it");
        Assert.That(Calls, Does.StartWith("dotnet publish "));
        Assert.That(stdout, Is.Empty);
    }
}
