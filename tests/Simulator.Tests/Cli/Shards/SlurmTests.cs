using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli.Shards;

/// <summary>
/// <c>simulator slurm</c>: the scripts it writes, and a real submission to a single-node Slurm cluster started by the
/// test (munged, slurmctld, slurmd, no systemd; facts in ../shared/notes/slurm.md) whose merged result is compared
/// byte for byte with a whole run.
/// </summary>
public partial class SlurmTests
{
    private TempDirectory _temp = null!;

    // The study of the merge tests: funds and a guarantee scheme, importance sampling, two variants.
    private const string Scenario = ShardMergeTests.Study;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-slurm");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(args);

    [Test]
    public void Slurm_WithoutSubmit_WritesArrayOfNShardsAndDependentMergeScripts()
    {
        string file = _temp.Write("s.json", Scenario);
        string output = Path.Combine(_temp.Path, "out");
        var (code, stdout, stderr) = Cli("slurm", file, "--shards", "4", "--out", output, "--partition", "batch", "--time", "1:00:00", "--cpus", "8",
            "--simulator", "/opt/simulator/simulator", "--trials", "1000000");
        Assert.That(code, Is.EqualTo(0), stderr);
        string array = File.ReadAllText(Path.Combine(output, "slurm", "shards.sbatch"));
        Assert.That(array, Does.Contain("#SBATCH --array=1-4\n").And.Contain("#SBATCH --partition=batch\n").And.Contain("#SBATCH --time=1:00:00\n")
            .And.Contain("#SBATCH --cpus-per-task=8\n"));
        Assert.That(array, Does.Contain($"exec /opt/simulator/simulator run {file} --shard \"$SLURM_ARRAY_TASK_ID/4\" --out {Path.Combine(output, "shards")} --threads 8 --quiet --trials 1000000\n"));
        string merge = File.ReadAllText(Path.Combine(output, "slurm", "merge.sbatch"));
        Assert.That(merge, Does.Contain($"exec /opt/simulator/simulator merge {Path.Combine(output, "shards")} --out {output} --threads 8 --quiet\n"));
        Assert.That(stdout, Does.Contain("--dependency=afterok:"), "tells how to submit them");
    }

    [Test]
    public void Slurm_InvalidScenario_ExitsTwoAndWritesNothing()
    {
        string file = _temp.Write("bad.json", """{ "name": "bad", "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 0, "check": 1e6 } ] }""");
        string output = Path.Combine(_temp.Path, "out");
        var (code, _, stderr) = Cli("slurm", file, "--shards", "4", "--out", output);
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(stderr, Does.Contain("deals").And.Contain("nothing was written or submitted"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    [Category("Slow")]
    [NonParallelizable]
    public void Slurm_SubmitFourShardsToSingleNodeCluster_MergedResultByteIdenticalToWholeRun()
    {
        using var cluster = SingleNodeCluster.Start(_temp.Path);
        string file = _temp.Write("s.json", Scenario);
        string output = Path.Combine(_temp.Path, "cluster-out");
        // The nodes run the program built beside this test (its apphost), as a cluster runs a build on its shared file system.
        string program = Path.Combine(AppContext.BaseDirectory, "simulator");
        var (code, stdout, stderr) = Cli("slurm", file, "--shards", "4", "--out", output, "--simulator", program, "--trials", "2000", "--submit");
        Assert.That(code, Is.EqualTo(0), stderr + cluster.Logs());
        var ids = JobId().Matches(stdout).Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Has.Count.EqualTo(2), stdout);

        // sbatch --wait polls every ~10 s here; squeue answers at once.
        var clock = Stopwatch.StartNew();
        while (cluster.Run("squeue", "-h", "-j", string.Join(',', ids)).Trim().Length > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(10)) Assert.Fail($"the jobs did not finish in 10 minutes:\n{cluster.Run("squeue")}{cluster.Logs()}");
            Thread.Sleep(250);
        }
        string merged = Path.Combine(output, "shard-study");
        Assert.That(File.Exists(Path.Combine(merged, "summary.json")), Is.True,
            $"the merge wrote no results; its log:\n{Read(Path.Combine(output, "slurm", "merge.log"))}\nshard 1's:\n{Read(Path.Combine(output, "slurm", "shard-1.log"))}{cluster.Logs()}");
        Assert.That(Directory.GetDirectories(Path.Combine(output, "shards")), Has.Length.EqualTo(4));

        string whole = Path.Combine(_temp.Path, "whole");
        Assert.That(Cli("run", file, "--trials", "2000", "--out", whole, "--quiet").Code, Is.EqualTo(0));
        var files = Directory.GetFiles(Path.Combine(whole, "shard-study"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(whole, f)).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Does.Contain(Path.Combine("shard-study", "variants", "cap-3pct", "summary.json")));
        foreach (var f in files.Append("index.html"))
            Assert.That(File.ReadAllBytes(Path.Combine(output, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(whole, f))), Is.True, $"{f} differs");
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "(none)";

    [GeneratedRegex(@"submitted \w+ job (\d+)")]
    private static partial Regex JobId();

    /// <summary>
    /// munged (unless one already answers), slurmctld and slurmd with a slurm.conf in a temporary folder, on free ports;
    /// disposing stops every daemon it started and waits until they are gone.
    /// </summary>
    private sealed class SingleNodeCluster : IDisposable
    {
        private readonly string _folder, _conf;
        private readonly bool _ownMunge;
        private readonly string? _previousConf;

        private SingleNodeCluster(string folder, bool ownMunge)
        {
            _folder = folder;
            _conf = Path.Combine(folder, "slurm.conf");
            _ownMunge = ownMunge;
            _previousConf = Environment.GetEnvironmentVariable("SLURM_CONF");
        }

        public static SingleNodeCluster Start(string temp)
        {
            if (Environment.UserName != "root") Assert.Ignore("starting slurmd and munged needs root; this test runs as " + Environment.UserName);
            string[] needed = ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"];
            if (!needed.All(File.Exists))
            {
                // setup.sh installs Debian's slurm-wlm and munge; only when that is impossible (no apt-get, no network) is the test skipped.
                string setup = Path.Combine(TestScenarios.RepositoryRoot, "setup.sh");
                string said;
                try { said = Capture("bash", setup, "--quiet"); }
                catch (InvalidOperationException e) { said = e.Message; }
                if (needed.FirstOrDefault(f => !File.Exists(f)) is { } missing)
                    Assert.Ignore($"Slurm could not be installed ({missing} is missing after {setup}: {said.Trim()})");
            }
            string folder = Path.Combine(temp, "slurm");
            Directory.CreateDirectory(folder);
            bool ownMunge = !MungeAnswers();
            var cluster = new SingleNodeCluster(folder, ownMunge);
            try
            {
                cluster.Configure();
                if (ownMunge)
                {
                    // /run/munge is made by systemd-tmpfiles on a booted machine; here the test makes it.
                    Directory.CreateDirectory("/run/munge");
                    Process("chown", "munge:munge", "/run/munge");
                    Daemon("runuser -u munge -- /usr/sbin/munged");
                    Until(MungeAnswers, "munged to answer");
                }
                Environment.SetEnvironmentVariable("SLURM_CONF", cluster._conf);
                Daemon($"/usr/sbin/slurmctld -f {cluster._conf}");
                Daemon($"/usr/sbin/slurmd -f {cluster._conf}");
                Until(() => cluster.Run("sinfo", "-h", "-o", "%t").Trim() == "idle", "the node to be idle in sinfo");
                return cluster;
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }

        private void Configure()
        {
            string host = Capture("hostname", "-s").Trim();
            long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024) / 2;
            File.WriteAllText(_conf, string.Create(CultureInfo.InvariantCulture, $"""
                ClusterName=simulator-test
                SlurmctldHost={host}
                SlurmctldPort={FreePort()}
                SlurmdPort={FreePort()}
                SlurmUser=root
                SlurmdUser=root
                AuthType=auth/munge
                StateSaveLocation={_folder}/state
                SlurmdSpoolDir={_folder}/spool
                SlurmctldPidFile={_folder}/slurmctld.pid
                SlurmdPidFile={_folder}/slurmd.pid
                SlurmctldLogFile={_folder}/slurmctld.log
                SlurmdLogFile={_folder}/slurmd.log
                ProctrackType=proctrack/linuxproc
                TaskPlugin=task/none
                JobAcctGatherType=jobacct_gather/none
                AccountingStorageType=accounting_storage/none
                JobCompType=jobcomp/none
                SchedulerType=sched/backfill
                SelectType=select/cons_tres
                SelectTypeParameters=CR_Core
                ReturnToService=2
                MpiDefault=none
                NodeName={host} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} RealMemory={memory} State=UNKNOWN
                PartitionName=ci Nodes={host} Default=YES MaxTime=INFINITE State=UP

                """));
            Directory.CreateDirectory(Path.Combine(_folder, "state"));
            Directory.CreateDirectory(Path.Combine(_folder, "spool"));
        }

        public string Run(string command, params string[] arguments) => Capture(command, arguments);

        public string Logs() => $"\nslurmctld.log:\n{Tail(Path.Combine(_folder, "slurmctld.log"))}\nslurmd.log:\n{Tail(Path.Combine(_folder, "slurmd.log"))}";

        private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(15)) : "(none)";

        public void Dispose()
        {
            // Every daemon this test started is stopped, and waited for, whatever happened before.
            try { Capture("scontrol", "shutdown"); }
            catch (InvalidOperationException) { }
            foreach (var pidFile in new[] { "slurmctld.pid", "slurmd.pid" }) Stop(Path.Combine(_folder, pidFile), TimeSpan.FromSeconds(10));
            if (_ownMunge) Stop("/run/munge/munged.pid", TimeSpan.Zero);
            Environment.SetEnvironmentVariable("SLURM_CONF", _previousConf);
        }

        // Waits up to `grace` for the process of a pid file to end by itself (after scontrol shutdown), then asks it to
        // stop (SIGTERM) and at last ends it.
        private static void Stop(string pidFile, TimeSpan grace)
        {
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid)) return;
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                if (process.WaitForExit(grace)) return;
                try { Capture("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture)); }
                catch (InvalidOperationException) { }
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        private static bool MungeAnswers()
        {
            try
            {
                return Capture("munge", "-n").Length > 0;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void Until(Func<bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new InvalidOperationException($"waited 30 s for {what}");
                Thread.Sleep(100);
            }
        }

        private static void Process(string command, params string[] arguments) => Capture(command, arguments);

        // A daemon forks and its first process exits; its output goes to /dev/null so that it holds no pipe of ours open.
        private static void Daemon(string command) => Capture("bash", "-c", $"exec {command} </dev/null >/dev/null 2>&1");

        // Runs a command to its end and returns its output; a failure throws with its error output.
        private static string Capture(string command, params string[] arguments)
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}");
            return output;
        }
    }
}
