using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>The command line as a user (or a script) meets it: exit codes, messages, result folders.</summary>
public class CliTests
{
    private TempDirectory _temp = null!;

    private string _dir => _temp.Path;

    private const string Valid = """
        { "name": "ok", "title": "测试", "simulation": { "trials": 3000, "seed": 3 },
          "factors": [ { "name": "macro", "persistence": 0.4 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.4 } },
                     { "name": "a", "type": "angel", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.4 }, "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 } } ] }
        """;

    private const string Invalid = """
        { "name": "bad", "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 0, "check": 1e6 } ] }
        """;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-cli");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Write(string name, string json) => _temp.Write(name, json);

    private static (int Code, string Out, string Err) Cli(params string[] args) => Cli(new StringWriter(), CancellationToken.None, args);

    private static (int Code, string Out, string Err) Cli(StringWriter stdout, CancellationToken cancellation, params string[] args)
    {
        using var host = CliHost.Build();
        var stderr = new StringWriter();
        int code = Entry.RunAsync(args, host.Services, stdout, stderr, cancellation).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Standard output that cancels the run at its first line: the base run's summary, printed after the
    /// trials and before any result file is written — as a Ctrl-C or SIGTERM at that moment would.</summary>
    private sealed class CancelOnFirstLine(CancellationTokenSource cancellation) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            cancellation.Cancel();
            base.Write(value);
        }

        public override void Write(string? value)
        {
            cancellation.Cancel();
            base.Write(value);
        }

        public override void WriteLine(string? value)
        {
            cancellation.Cancel();
            base.WriteLine(value);
        }
    }

    [Test]
    public void Run_ValidScenario_WritesEveryResultFileAndExitsZero()
    {
        string file = Write("ok.json", Valid);
        string output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(0), stderr);
        var files = Directory.GetFiles(Path.Combine(output, "ok")).Select(Path.GetFileName).ToList();
        Assert.That(files, Is.SupersetOf(new[] { "summary.json", "trials.csv", "funds.csv", "scenario.json" }));
        Assert.That(File.ReadLines(Path.Combine(output, "ok", "trials.csv")).Count(), Is.EqualTo(3001));
        Assert.That(stdout, Does.Contain("programme"));
        Assert.That(Directory.GetDirectories(output), Has.Length.EqualTo(1), "no temporary folder may remain");
    }

    [Test]
    [Category("Slow")]
    public void Run_OneThreadAndFourThreads_ByteIdenticalFiles()
    {
        string file = Write("ok.json", Valid);
        string out1 = Path.Combine(_dir, "t1"), out4 = Path.Combine(_dir, "t4");
        Assert.That(Cli("run", file, "--out", out1, "--threads", "1").Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", out4, "--threads", "4").Code, Is.EqualTo(0));
        foreach (var path in Directory.GetFiles(Path.Combine(out1, "ok")))
        {
            var other = Path.Combine(out4, "ok", Path.GetFileName(path));
            Assert.That(File.ReadAllBytes(other), Is.EqualTo(File.ReadAllBytes(path)), Path.GetFileName(path));
        }
    }

    [Test]
    public void Run_TrialsCsvKeyAndNone_RequiredColumnsOrNoFileAndOtherFilesUnchanged()
    {
        string file = Write("ok.json", Valid);
        string all = Path.Combine(_dir, "all"), key = Path.Combine(_dir, "key"), none = Path.Combine(_dir, "none");
        Assert.That(Cli("run", file, "--out", all).Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", key, "--trials-csv", "key").Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", none, "--trials-csv", "none").Code, Is.EqualTo(0));

        var keyRows = File.ReadAllLines(Path.Combine(key, "ok", "trials.csv"));
        Assert.That(keyRows[0], Is.EqualTo("trial,s.lossRatio,a.lossRatio,programme.lossRatio"));
        Assert.That(keyRows, Has.Length.EqualTo(3001));
        // The key columns hold the same text as the full file's columns of the same names.
        var allRows = File.ReadAllLines(Path.Combine(all, "ok", "trials.csv"));
        var header = allRows[0].Split(',');
        int[] picked = keyRows[0].Split(',').Select(c => Array.IndexOf(header, c)).ToArray();
        for (int i = 1; i < allRows.Length; i += 97)
        {
            var cells = allRows[i].Split(',');
            Assert.That(keyRows[i], Is.EqualTo(string.Join(",", picked.Select(c => cells[c]))), $"row {i}");
        }
        Assert.That(File.Exists(Path.Combine(none, "ok", "trials.csv")), Is.False);
        foreach (var name in new[] { "summary.json", "funds.csv" })
        {
            var expected = File.ReadAllBytes(Path.Combine(all, "ok", name));
            Assert.That(File.ReadAllBytes(Path.Combine(key, "ok", name)), Is.EqualTo(expected), name);
            Assert.That(File.ReadAllBytes(Path.Combine(none, "ok", name)), Is.EqualTo(expected), name);
        }
        Assert.That(File.ReadAllText(Path.Combine(none, "ok", "report.html")), Does.Contain("trials.csv was not written"));
    }

    [Test]
    public void Run_TrialsFormatParquetAndNone_ParquetInsteadOfCsvOrNeitherAndOtherFilesUnchanged()
    {
        string file = Write("ok.json", Valid);
        string csv = Path.Combine(_dir, "csv"), parquet = Path.Combine(_dir, "parquet"), none = Path.Combine(_dir, "none");
        Assert.That(Cli("run", file, "--out", csv).Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", parquet, "--trials-format", "parquet").Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", none, "--trials-format", "none").Code, Is.EqualTo(0));

        Assert.That(File.Exists(Path.Combine(parquet, "ok", "trials.csv")), Is.False);
        Assert.That(new FileInfo(Path.Combine(parquet, "ok", "trials.parquet")).Length, Is.GreaterThan(0));
        Assert.That(Directory.GetFiles(Path.Combine(none, "ok"), "trials.*"), Is.Empty);
        // Every other file is the same, byte for byte; the report names the table the folder has.
        var others = Directory.GetFiles(Path.Combine(csv, "ok")).Select(Path.GetFileName).Where(f => f is not ("trials.csv" or "report.html")).ToList();
        Assert.That(others, Does.Contain("summary.json"));
        foreach (var name in others)
        {
            var expected = File.ReadAllBytes(Path.Combine(csv, "ok", name!));
            Assert.That(File.ReadAllBytes(Path.Combine(parquet, "ok", name!)), Is.EqualTo(expected), name);
            Assert.That(File.ReadAllBytes(Path.Combine(none, "ok", name!)), Is.EqualTo(expected), name);
        }
        Assert.That(File.ReadAllText(Path.Combine(parquet, "ok", "report.html")), Does.Contain("trials.parquet (one row per trial)"));
        Assert.That(File.ReadAllText(Path.Combine(none, "ok", "report.html")), Does.Contain("trials.csv was not written"));
    }

    [Test]
    public void Run_VariantsByDefault_BaseGetsEveryColumnVariantsTheRequiredOnes()
    {
        // A variant's full table repeats the base's draws; by default it gets only the required columns (issue 18, item 19).
        string file = Write("ok.json", Valid.TrimEnd().TrimEnd('}') + """, "variants": [ { "name": "strict", "set": { "policy.tolerance.seed": 0.6 } } ] }""");
        string byDefault = Path.Combine(_dir, "default"), all = Path.Combine(_dir, "all");
        Assert.That(Cli("run", file, "--out", byDefault).Code, Is.EqualTo(0));
        Assert.That(Cli("run", file, "--out", all, "--trials-csv", "all").Code, Is.EqualTo(0));

        string Header(string root, params string[] folder) => File.ReadLines(Path.Combine([root, "ok", .. folder, "trials.csv"])).First();
        string full = Header(all, "variants", "strict");
        Assert.That(Header(byDefault), Is.EqualTo(Header(all)), "the base keeps every column");
        Assert.That(Header(byDefault, "variants", "strict"), Is.EqualTo("trial,s.lossRatio,a.lossRatio,programme.lossRatio"));
        Assert.That(full.Split(',').Length, Is.GreaterThan(4), "--trials-csv all still writes every column for the variants");
        Assert.That(File.ReadAllBytes(Path.Combine(byDefault, "ok", "comparison.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(all, "ok", "comparison.csv"))));
    }

    [Test]
    public void Run_InvalidScenario_ExitsTwoWithPathAndLeavesNoFolder()
    {
        string file = Write("bad.json", Invalid);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("$.funds[0].deals").And.Contain("bad.json:1:"));
        Assert.That(Directory.Exists(Path.Combine(output, "bad")), Is.False);
    }

    [Test]
    public void Run_BadFundOfFundsAndRuleSet_ExitsTwoWithEveryPathAndLeavesNoFolder()
    {
        // Issue 15's bad inputs in one file: a commitment to an unknown fund, one to the fund-of-funds itself, shares of
        // one fund above 1, and an unknown rule set; all reported at once, with paths and lines.
        string file = Write("bad-fof.json", """
            { "name": "badfof", "policy": { "rules": "hubei-2025" },
              "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 5, "check": 1e6 } ],
              "fundOfFunds": [ { "name": "m", "commitments": [ { "fund": "t", "share": 0.5 }, { "fund": "m", "share": 0.5 }, { "fund": "s", "share": 0.7 } ] },
                               { "name": "n", "commitments": [ { "fund": "s", "share": 0.6 } ] } ] }
            """);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("$.policy.rules").And.Contain("unknown rule set 'hubei-2025'")
            .And.Contain("$.fundOfFunds[0].commitments[0].fund").And.Contain("unknown fund 't'")
            .And.Contain("$.fundOfFunds[0].commitments[1].fund").And.Contain("is this fund-of-funds itself")
            .And.Contain("$.fundOfFunds:").And.Contain("sum to 1.3")
            .And.Contain("bad-fof.json:1:"));
        Assert.That(Directory.Exists(Path.Combine(output, "badfof")), Is.False);
    }

    [Test]
    public void Run_FolderWithOneInvalidFile_RunsTheOthersAndExitsTwo()
    {
        Write(Path.Combine("batch", "a-bad.json"), Invalid);
        Write(Path.Combine("batch", "b-ok.json"), Valid);
        Write(Path.Combine("batch", "notes.txt"), "not a scenario");
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", Path.Combine(_dir, "batch"), "--out", output, "--trials", "500");
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(File.Exists(Path.Combine(output, "ok", "summary.json")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(output, "ok", "summary.json")), Does.Contain("\"trials\": 500"));
        Assert.That(Directory.Exists(Path.Combine(output, "bad")), Is.False);
        Assert.That(File.Exists(Path.Combine(output, "ok", "report.html")), Is.True);
        string index = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.That(index, Does.Contain("a-bad.json").And.Contain("b-ok.json").And.Contain("ok/report.html"));
    }

    [Test]
    public void Run_SeedOverride_ChangesResultsAndIsRecorded()
    {
        string file = Write("ok.json", Valid);
        string output = Path.Combine(_dir, "out");
        Assert.That(Cli("run", file, "--out", output, "--seed", "99", "--trials", "200").Code, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Path.Combine(output, "ok", "summary.json")), Does.Contain("\"seed\": 99"));
        Assert.That(File.ReadAllText(Path.Combine(output, "ok", "scenario.json")), Does.Contain("\"seed\": 99"));
    }

    [Test]
    public void ScenarioJson_RunAgain_ReproducesSummary()
    {
        string file = Write("ok.json", Valid);
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second");
        Assert.That(Cli("run", file, "--out", first).Code, Is.EqualTo(0));
        var (code, _, stderr) = Cli("run", Path.Combine(first, "ok", "scenario.json"), "--out", second);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(File.ReadAllText(Path.Combine(second, "ok", "summary.json")), Is.EqualTo(File.ReadAllText(Path.Combine(first, "ok", "summary.json"))));
    }

    [TestCase("run")]
    [TestCase("run", "x.json", "--trials", "0")]
    [TestCase("run", "x.json", "--threads", "-2")]
    [TestCase("run", "x.json", "--bogus")]
    [TestCase("run", "x.json", "--trials-csv", "some")]
    [TestCase("frobnicate")]
    public void BadCommandLine_ExitsTwo(params string[] args)
    {
        var (code, _, stderr) = Cli(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("error"));
    }

    [Test]
    public void Run_TrialsInExponentForm_RunsThatManyTrials()
    {
        string file = Write("ok.json", Valid);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output, "--trials", "5e2", "--seed", "7.0e1");
        Assert.That(code, Is.EqualTo(0), stderr);
        string summary = File.ReadAllText(Path.Combine(output, "ok", "summary.json"));
        Assert.That(summary, Does.Contain("\"trials\": 500").And.Contain("\"seed\": 70"));
    }

    [TestCase("--trials", "100,000", "not an integer")]
    [TestCase("--trials", "abc", "not an integer")]
    [TestCase("--trials", "1.5", "not an integer")]
    [TestCase("--trials", "1e12", "out of range; allowed: an integer from 1 to 1000000000")]
    [TestCase("--seed", "abc", "not an integer")]
    [TestCase("--seed", "12345678901234567890", "out of range; allowed: an integer from 0 to 9223372036854775807")]
    [TestCase("--threads", "abc", "not an integer; allowed: an integer from 1 to 1024")]
    public void Run_BadNumberOption_ExitsTwoNamingOptionValueAndRange(string option, string value, string message)
    {
        string file = Write("ok.json", Valid);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output, option, value);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain($"{option}: value").And.Contain(value).And.Contain(message));
        Assert.That(Directory.Exists(output), Is.False, "nothing may run");
    }

    [TestCase("validate-model", "--trials", "1e3x")]
    [TestCase("bench", "--pool-trials", "abc")]
    public void OtherCommands_BadNumberOption_ExitsTwoWithMessage(string command, string option, string value)
    {
        var (code, _, stderr) = Cli(command, option, value);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"{option}: value '{value}' is not an integer"));
    }

    [Test]
    public void Run_MisspeltOption_RefusedBeforeRunningWithSuggestion()
    {
        string file = Write("ok.json", Valid);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--trails", "1000", "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("unknown option '--trails' for 'simulator run' (did you mean '--trials'?)"));
        Assert.That(stderr, Does.Not.Contain("no such file"), "the option is not taken for a file");
        Assert.That(Directory.Exists(output), Is.False, "nothing may run");
    }

    [Test]
    public void Run_OptionLikeNameAfterDoubleDash_TakenAsFile()
    {
        var (code, _, stderr) = Cli("run", "--out", Path.Combine(_dir, "out"), "--", "--trails");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--trails: no such file or folder").And.Not.Contain("unknown option"));
    }

    [Test]
    public void MisspeltCommand_ExitsTwoWithSuggestion()
    {
        var (code, _, stderr) = Cli("valdate", "x.json");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("unknown command 'valdate' (did you mean 'validate'?)"));
    }

    [TestCase("run", "x.json", "--out", "")]
    [TestCase("schema", "--out", " ")]
    [TestCase("validate-model", "--out", "")]
    public void EmptyOut_ExitsTwoWithMessage(params string[] args)
    {
        var (code, _, stderr) = Cli(args);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--out: the value is empty"));
    }

    [Test]
    public void Schema_OutInsideAFile_ExitsTwoWithOneLine()
    {
        string file = Write("plain.txt", "x");
        var (code, _, stderr) = Cli("schema", "--out", Path.Combine(file, "schema.json"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("error: --out ").And.Contain("cannot write the file"));
    }

    [Test]
    public void Run_OutputFolderCannotBeCreated_ExitsTwoBeforeAnyTrial()
    {
        string file = Write("ok.json", Valid);
        string blocker = Write("plain.txt", "x");
        var (code, stdout, stderr) = Cli("run", file, "--out", Path.Combine(blocker, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"error: --out {Path.Combine(blocker, "out")}: the output folder cannot be created or written: {blocker} is a file, not a folder"));
        Assert.That(stdout, Is.Empty, "no trial may run");
    }

    [Test]
    public void Run_SignalWhileResultsAreWritten_EarlierResultsKeptExits130()
    {
        string file = Write("ok.json", Valid), next = Write("two.json", Valid.Replace("\"name\": \"ok\"", "\"name\": \"two\""));
        string output = Path.Combine(_dir, "out");
        _temp.Write(Path.Combine("out", "ok", "summary.json"), "earlier");
        using var cancellation = new CancellationTokenSource();
        var (code, _, stderr) = Cli(new CancelOnFirstLine(cancellation), cancellation.Token, "run", file, next, "--out", output);
        Assert.That(code, Is.EqualTo(130), stderr);
        Assert.That(stderr, Does.Contain("cancelled: ok was not written (its earlier results are unchanged); no partial result folder was left behind; 1 later scenario was not run"));
        Assert.That(File.ReadAllText(Path.Combine(output, "ok", "summary.json")), Is.EqualTo("earlier"));
        Assert.That(Directory.GetDirectories(output).Select(Path.GetFileName), Is.EqualTo(new[] { "ok" }), "no temporary folder may remain");
    }

    [Test]
    public void Run_LeftoversOfKilledRuns_RemovedAndEarlierResultsRestored()
    {
        // What SIGKILLs left: one run killed while writing "other", one between moving "ok" aside and moving the new
        // folder in. Their process (id 999999999) is gone.
        string output = Path.Combine(_dir, "out");
        string partial = Simulator.Reporting.Output.Leftovers.NameFor("other", "partial", 999_999_999, 1_700_000_000);
        string old = Simulator.Reporting.Output.Leftovers.NameFor("ok", "old", 999_999_999, 1_700_000_000);
        _temp.Write(Path.Combine("out", partial, "trials.csv"), "half");
        _temp.Write(Path.Combine("out", old, "summary.json"), "earlier");
        string file = Write("two.json", Valid.Replace("\"name\": \"ok\"", "\"name\": \"two\""));
        var (code, _, stderr) = Cli("run", file, "--out", output, "--trials", "200");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "ok", "two" }));
        Assert.That(File.ReadAllText(Path.Combine(output, "ok", "summary.json")), Is.EqualTo("earlier"));
        Assert.That(stderr, Does.Contain($"note: restored {Path.Combine(output, "ok")} from {Path.Combine(output, old)}")
            .And.Contain($"note: removed {Path.Combine(output, partial)}"));
    }

    [Test]
    public void Run_NamedPipeAndDevice_RefusedAtOnce()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("named pipes and /dev/zero are Linux's");
        string pipe = Path.Combine(_dir, "pipe.json");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe])) mkfifo.WaitForExit();
        var run = Task.Run(() => Cli("run", pipe, "/dev/zero", "--out", Path.Combine(_dir, "out")));
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, "the run must not wait for a writer or read /dev/zero");
        var (code, _, stderr) = run.Result;
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"{pipe}: error at $: cannot read the file: it is a named pipe (FIFO), not a regular file")
            .And.Contain("/dev/zero: error at $: cannot read the file: it is a character device, not a regular file"));
    }

    [Test]
    public void Run_OneScenarioAtATime_IndexListsEveryResultFolder()
    {
        string output = Path.Combine(_dir, "out");
        string first = Write("ok.json", Valid), second = Write("two.json", Valid.Replace("\"name\": \"ok\"", "\"name\": \"two\""));
        Assert.That(Cli("run", first, "--out", output, "--trials", "300").Code, Is.EqualTo(0));
        Assert.That(File.Exists(Path.Combine(output, "ok", "index-entry.json")), Is.True);
        var (code, _, stderr) = Cli("run", second, "--out", output, "--trials", "300");
        Assert.That(code, Is.EqualTo(0), stderr);
        string index = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.That(index, Does.Contain("href=\"two/report.html\"").And.Contain("href=\"ok/report.html\""));
        Assert.That(index, Does.Contain($"{first} (earlier run)"));
        Assert.That(index, Does.Contain("1 scenario file: 1 ran, 0 invalid, 0 failed. Also listed: 1 result folder of earlier runs"));
    }

    [Test]
    public void Run_MissingFile_ExitsTwo()
    {
        var (code, _, stderr) = Cli("run", Path.Combine(_dir, "nope.json"), "--out", Path.Combine(_dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no such file"));
    }

    [Test]
    public void Validate_ReportsOkAndErrors()
    {
        Assert.That(Cli("validate", Write("ok.json", Valid)).Code, Is.EqualTo(0));
        var (code, _, stderr) = Cli("validate", Write("bad.json", Invalid));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("deals"));
    }

    [Test]
    public void Run_DuplicateScenarioNamesInBatch_SecondRejected()
    {
        string a = Write("a.json", Valid), b = Write("b.json", Valid);
        var (code, _, stderr) = Cli("run", a, b, "--out", Path.Combine(_dir, "out"), "--trials", "100");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("also used by"));
    }

    [Test]
    public void Run_BadLoanTape_ExitsTwoNamingFileAndLine()
    {
        Write(Path.Combine("tapes", "book.csv"), "id,amount,pd,lgd,termYears,startYear\na,100,0.02,0.5,1,1\nb,100,zero,0.5,1,1\n");
        string file = Write("credit.json", """
            { "name": "credit", "guarantees": [ { "name": "g", "loanTape": "tapes/book.csv", "shares": { "bank": 0.5, "government": 0.5 } } ] }
            """);
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("book.csv:3:3").And.Contain("column 'pd'"));
        Assert.That(Directory.Exists(Path.Combine(output, "credit")), Is.False);
    }

    [Test]
    public void Run_InconsistentShares_ExitsTwoNamingPath()
    {
        string file = Write("credit.json", """
            { "name": "credit", "guarantees": [ { "name": "g", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "pd": 0.02 },
              "shares": { "bank": 0.5, "government": 0.6 } } ] }
            """);
        var (code, _, stderr) = Cli("run", file, "--out", Path.Combine(_dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("$.guarantees[0].shares").And.Contain("sum to 1.1"));
    }

    [Test]
    public void Run_TapeScenario_ResultFolderRunsAgainIdentically()
    {
        Write(Path.Combine("tapes", "book.csv"), "id,amount,pd,lgd,termYears,startYear,rho\n" + string.Join("\n", Enumerable.Range(1, 50).Select(i => $"L{i},{i * 1000},0.05,0.6,2,{1 + i % 3},0.2")) + "\n");
        string file = Write("credit.json", """
            { "name": "credit", "simulation": { "trials": 2000 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loanTape": "tapes/book.csv", "shares": { "guarantor": 0.5, "government": 0.5 },
                                "guarantor": { "capital": 1e5 }, "government": { "budget": 2e4 } } ] }
            """);
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second");
        var (code, _, stderr) = Cli("run", file, "--out", first);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(File.Exists(Path.Combine(first, "credit", "guarantees.csv")), Is.True);
        Assert.That(File.Exists(Path.Combine(first, "credit", "loan-tapes", "g.csv")), Is.True);
        Assert.That(Cli("run", Path.Combine(first, "credit", "scenario.json"), "--out", second).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Path.Combine(second, "credit", "summary.json")), Is.EqualTo(File.ReadAllText(Path.Combine(first, "credit", "summary.json"))));
    }

    [Test]
    [Category("Slow")]
    public void Run_Variants_WritesEachVariantAndComparison()
    {
        string file = Write("v.json", Valid.Replace("\"funds\":", """
            "variants": [ { "name": "tol-70", "set": { "policy.tolerance.seed": 0.7 } } ],
            "sweep": { "funds[a].deals": [10, 20] },
            "funds":
            """));
        string output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = Cli("run", file, "--out", output, "--trials", "2500");
        Assert.That(code, Is.EqualTo(0), stderr);
        var root = Path.Combine(output, "ok");
        foreach (var v in new[] { "tol-70", "deals-10", "deals-20" })
        {
            Assert.That(File.Exists(Path.Combine(root, "variants", v, "summary.json")), Is.True, v);
            Assert.That(File.ReadAllText(Path.Combine(root, "variants", v, "summary.json")), Does.Contain($"\"variant\": \"{v}\""));
        }
        var lines = File.ReadAllLines(Path.Combine(root, "comparison.csv"));
        Assert.That(lines[0], Does.StartWith("variant,s.breachProbability,s.breachProbability.diff,s.breachProbability.diffSE,"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "base", "tol-70", "deals-10", "deals-20" }));
        Assert.That(stdout, Does.Contain("3 variant(s)"));
    }

    [Test]
    public void Run_VariantsWithPrecisionTarget_ComparisonFilled()
    {
        string file = Write("vp.json", Valid.Replace("\"simulation\": { \"trials\": 3000, \"seed\": 3 }", "\"simulation\": { \"trials\": 200000, \"seed\": 3, \"precision\": { \"relativeError\": 0.1, \"checkEvery\": 2048 } }")
            .Replace("\"funds\":", "\"variants\": [ { \"name\": \"tol-70\", \"set\": { \"policy.tolerance.seed\": 0.7 } } ], \"funds\":"));
        string output = Path.Combine(_dir, "out");
        var (code, _, stderr) = Cli("run", file, "--out", output);
        Assert.That(code, Is.EqualTo(0), stderr);
        var rows = File.ReadAllLines(Path.Combine(output, "ok", "comparison.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows[1][0], Is.EqualTo("tol-70"));
        Assert.That(rows[1][1], Is.Not.Empty, "the variant's figures must be filled when the base stopped early");
        Assert.That(double.Parse(rows[1][2], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "a lower tolerance raises the breach probability");
    }

    [Test]
    [Category("Slow")]
    public void Bench_SmallRun_PrintsRatesAgainstRawLimit()
    {
        var (code, stdout, _) = Cli("bench", "--pool-trials", "100", "--fund-trials", "100", "--quick", "--writer-rows", "3000");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("raw limit").And.Contain("loan-years").And.Contain("projects"));
        Assert.That(stdout, Does.Contain("trials.parquet writer (3,000 rows").And.Contain("Snappy").And.Contain("trials.csv writer (3,000 rows"));
        Assert.That(stdout, Does.Contain("tape kernel: 20 grades").And.Contain("grouped by class (prototype)").Or.Not.Contain("AVX-512"),
            "the default kernel on the tapes' shape, against the raw limit in CPU time");
        Assert.That(stdout, Does.Contain("raw limit per CPU second of one thread"));
    }

    [Test]
    public void Schema_PrintsJsonSchemaOfTheFormat()
    {
        var (code, stdout, _) = Cli("schema");
        Assert.That(code, Is.EqualTo(0));
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("$schema").GetString(), Does.Contain("2020-12"));
        var fund = root.GetProperty("properties").GetProperty("funds").GetProperty("items");
        Assert.That(fund.GetProperty("additionalProperties").GetBoolean(), Is.False);
        Assert.That(fund.GetProperty("properties").GetProperty("lifeYears").GetProperty("maximum").GetDouble(), Is.EqualTo(15));
        Assert.That(fund.GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "seed", "angel", "venture", "direct", "industry", "buyout" }));
        Assert.That(fund.GetProperty("properties").GetProperty("check").GetProperty("oneOf").GetArrayLength(), Is.EqualTo(7));
        Assert.That(fund.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Does.Contain("commitment"));
    }
}
