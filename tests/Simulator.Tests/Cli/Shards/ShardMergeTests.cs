using Simulator.Cli;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli.Shards;

/// <summary>
/// <c>run --shard K/N</c> and <c>merge</c>: the merged folders are byte for byte those of a whole run, and a bad set of
/// shards is refused with the problem named and nothing written.
/// </summary>
public class ShardMergeTests
{
    private TempDirectory _temp = null!;

    // Funds and a guarantee scheme on one factor, importance sampling with the automatic pilot, and two variants.
    internal const string Study = """
        { "name": "shard-study", "title": "分片 (shards)",
          "simulation": { "trials": 3001, "seed": 67, "importanceSampling": true },
          "factors": [ { "name": "macro", "persistence": 0.6 } ],
          "funds": [
            { "name": "seed-a", "type": "seed", "commitment": 5.0e8, "governmentShare": 0.5, "deals": 20, "check": 8.0e6,
              "investmentYears": 4, "lifeYears": 12, "exposure": { "macro": 0.45 } },
            { "name": "angel-b", "type": "angel", "commitment": 8.0e8, "governmentShare": 0.4, "deals": 15,
              "check": { "uniform": [1.5e7, 2.5e7] }, "investmentYears": 4, "lifeYears": 10, "exposure": { "macro": 0.45 } } ],
          "guarantees": [
            { "name": "tech-sme",
              "loans": { "perYear": 60, "years": 3, "amount": 3.0e6, "termYears": 2, "pd": 0.03, "lgd": 0.6, "exposure": { "macro": 0.35 } },
              "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
              "guarantor": { "capital": 3.0e8, "leverageCap": 10, "feeRate": 0.008, "costRate": 0.003, "yield": 0.02 },
              "government": { "budget": 4.0e7, "capRate": 0.05, "shortfallTo": "guarantor" } } ],
          "variants": [
            { "name": "cap-3pct", "set": { "guarantees[tech-sme].government.capRate": 0.03 } },
            { "name": "looser", "set": { "policy.tolerance.seed": 0.9 } } ] }
        """;

    // A precision target that stops early (at a check after 1024 or 2048 trials), with a variant and a sweep.
    private const string Precise = """
        { "name": "precise", "simulation": { "trials": 9000, "seed": 5, "precision": { "relativeError": 0.2, "checkEvery": 1024 } },
          "factors": [ { "name": "macro", "persistence": 0.4 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.4 } } ],
          "sweep": { "policy.tolerance.seed": [0.6, 0.8] } }
        """;

    private const string Plain = """
        { "name": "plain", "simulation": { "seed": 3 }, "factors": [ { "name": "macro", "persistence": 0.4 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 15, "check": 1e6, "exposure": { "macro": 0.4 } } ] }
        """;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-shards");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string Dir(string name) => Path.Combine(_temp.Path, name);

    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(args);

    private static void Ok((int Code, string Out, string Err) r) => Assert.That(r.Code, Is.EqualTo(0), r.Err);

    private void Shards(string[] files, int n, string output, params string[] more)
    {
        for (int k = 1; k <= n; k++) Ok(Cli([.. new[] { "run" }, .. files, "--shard", $"{k}/{n}", "--out", output, "--quiet", .. more]));
    }

    /// <summary>Every file below <paramref name="a"/> and <paramref name="b"/>, by relative path, compared byte for byte.</summary>
    private static void AssertSameTree(string a, string b)
    {
        static List<string> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        var files = Files(a);
        Assert.That(Files(b), Is.EqualTo(files), "the same files");
        Assert.That(files, Does.Contain("index.html"));
        foreach (var f in files)
            Assert.That(File.ReadAllBytes(Path.Combine(b, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(a, f))), Is.True, $"{f} differs");
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(7)]
    [Category("Slow")]
    public void Merge_ShardsOfStudyWithVariantsAndImportanceSampling_EveryFileByteIdenticalToWholeRun(int n)
    {
        string file = _temp.Write("study.json", Study);
        Ok(Cli("run", file, "--out", Dir("whole"), "--quiet"));
        Shards([file], n, Dir("shards"));
        Ok(Cli("merge", Path.Combine(Dir("shards"), "*"), "--out", Dir("merged"), "--quiet"));
        AssertSameTree(Dir("whole"), Dir("merged"));
        Assert.That(Directory.Exists(Path.Combine(Dir("merged"), "shard-study", "variants", "looser")), Is.True);
    }

    [Test]
    [Category("Slow")]
    public void Merge_BatchWithPrecisionTargetSweepAndOverrides_ByteIdenticalToWholeRun()
    {
        // Two files, the command line's --trials, --seed, --trials-csv and --trials-format (the merge writes trials.parquet as the whole run
        // does, byte for byte), and 4 shards of 1,999 trials (uneven). The precision target stops the whole run early; the merge
        // must stop at the same trial from shards that each ran their whole range.
        string study = _temp.Write("a/study.json", Study), precise = _temp.Write("a/precise.json", Precise);
        string[] settings = ["--trials", "1999", "--seed", "8", "--trials-csv", "key", "--trials-format", "parquet"];
        Ok(Cli([.. new[] { "run", study, precise, "--out", Dir("whole"), "--quiet" }, .. settings]));
        Shards([study, precise], 4, Dir("shards"), settings);
        Ok(Cli("merge", Dir("shards"), "--out", Dir("merged"), "--quiet"));
        AssertSameTree(Dir("whole"), Dir("merged"));
        Assert.That(File.Exists(Path.Combine(Dir("merged"), "precise", "trials.parquet")), Is.True);
        string json = File.ReadAllText(Path.Combine(Dir("merged"), "precise", "summary.json"));
        Assert.That(json, Does.Contain("\"met\": true"), "the precision target must have stopped the run early for this test to mean anything");
    }

    [Test]
    [Category("Slow")]
    public void Merge_FolderOfScenariosShardedUnevenly_ByteIdenticalIncludingIndex()
    {
        // A folder of scenarios (the order of index.html comes from it) and more shards than divide the trials evenly.
        _temp.Write("batch/b-study.json", Study);
        _temp.Write("batch/a-plain.json", Plain);
        Ok(Cli("run", Dir("batch"), "--out", Dir("whole"), "--quiet", "--trials", "1000"));
        Shards([Dir("batch")], 3, Dir("shards"), "--trials", "1000");
        // Named one by one, in another order than the command line's: the merge orders them itself.
        var folders = Directory.GetDirectories(Dir("shards")).OrderDescending(StringComparer.Ordinal).ToArray();
        Ok(Cli([.. new[] { "merge" }, .. folders, "--out", Dir("merged"), "--quiet"]));
        AssertSameTree(Dir("whole"), Dir("merged"));
    }

    [Test]
    public void Merge_MoreShardsThanTrials_EmptyShardsAcceptedAndResultIdentical()
    {
        // 5 trials in 7 shards: shards 1, 3 and 5 hold no trial (⌊(K−1)·5/7⌋ = ⌊K·5/7⌋), and are still part of the set.
        string file = _temp.Write("plain.json", Plain);
        Ok(Cli("run", file, "--trials", "5", "--out", Dir("whole"), "--quiet"));
        Shards([file], 7, Dir("shards"), "--trials", "5");
        Assert.That(new FileInfo(Path.Combine(Dir("shards"), "plain.shard-1-of-7", "run-1.rows")).Length, Is.Zero);
        Ok(Cli("merge", Dir("shards"), "--out", Dir("merged"), "--quiet"));
        AssertSameTree(Dir("whole"), Dir("merged"));
    }

    private string ThreeShards()
    {
        string file = _temp.Write("study.json", Study);
        Shards([file], 3, Dir("shards"), "--trials", "600");
        return file;
    }

    private void AssertRefused(string expected, params string[] shards)
    {
        var (code, _, err) = Cli([.. new[] { "merge" }, .. shards, "--out", Dir("merged")]);
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid), err);
        Assert.That(err, Does.Contain(expected));
        Assert.That(err, Does.Contain("nothing was written"));
        Assert.That(err, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(Dir("merged")), Is.False, "nothing may be written");
    }

    private string Shard(int k, int n = 3) => Path.Combine(Dir("shards"), $"shard-study.shard-{k}-of-{n}");

    [Test]
    public void Merge_MissingShard_RefusedNamingTheTrialsAndShard()
    {
        ThreeShards();
        AssertRefused("trials 201–400 are in no shard: a shard is missing (shard 2/3)", Shard(1), Shard(3));
    }

    [Test]
    public void Merge_LastShardMissing_Refused()
    {
        ThreeShards();
        AssertRefused("trials 401–600 are in no shard", Shard(1), Shard(2));
    }

    [Test]
    public void Merge_ShardGivenTwice_RefusedAsDoubled()
    {
        ThreeShards();
        string copy = Path.Combine(Dir("copy"), "again");
        CopyFolder(Shard(2), copy);
        AssertRefused("shard 2/3 is given twice", Path.Combine(Dir("shards"), "*"), copy);
    }

    [Test]
    public void Merge_OverlappingShardsOfAnotherSplit_Refused()
    {
        string file = ThreeShards();
        Shards([file], 2, Dir("halves"), "--trials", "600");
        AssertRefused("trials 301–400 are in two shards", Shard(1), Shard(2), Path.Combine(Dir("halves"), "shard-study.shard-2-of-2"));
    }

    [Test]
    public void Merge_ShardsOfDifferentSplitsCoveringEachTrialOnce_Accepted()
    {
        string file = ThreeShards();
        // Shards 5 and 6 of six (trials 401–500, 501–600) complete shards 1 and 2 of three (1–400).
        Shards([file], 6, Dir("sixths"), "--trials", "600");
        Ok(Cli("merge", Shard(1), Shard(2), Path.Combine(Dir("sixths"), "shard-study.shard-5-of-6"), Path.Combine(Dir("sixths"), "shard-study.shard-6-of-6"),
            "--out", Dir("merged"), "--quiet"));
        Ok(Cli("run", file, "--trials", "600", "--out", Dir("whole"), "--quiet"));
        AssertSameTree(Dir("whole"), Dir("merged"));
    }

    [Test]
    public void Merge_ShardOfAnotherSeed_RefusedNamingSeedAndHash()
    {
        string file = ThreeShards();
        Shards([file], 3, Dir("other"), "--trials", "600", "--seed", "9");
        var (code, _, err) = Cli("merge", Shard(1), Shard(2), Path.Combine(Dir("other"), "shard-study.shard-3-of-3"), "--out", Dir("merged"));
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(err, Does.Contain("seed differs").And.Contain("has 67").And.Contain("has 9"));
        Assert.That(err, Does.Contain("scenario hash differs"));
        Assert.That(err, Does.Not.Contain("importance-sampling shift"), "the shift follows from the seed: no second message for one cause");
        Assert.That(Directory.Exists(Dir("merged")), Is.False);
    }

    [Test]
    public void Merge_TruncatedRowFile_RefusedNamingTheFile()
    {
        ThreeShards();
        string rows = Path.Combine(Shard(2), "run-2.rows");
        using (var f = new FileStream(rows, FileMode.Open)) f.SetLength(f.Length - 8);
        AssertRefused($"{rows} has ", Path.Combine(Dir("shards"), "*"));
    }

    [Test]
    public void Merge_ScenarioEditedAfterSharding_RefusedAsHashDiffers()
    {
        ThreeShards();
        // The merge loads the shards' copy of the file; an edit of that copy is an edit of the scenario.
        string copy = Path.Combine(Shard(1), "source.json");
        File.WriteAllText(copy, File.ReadAllText(copy).Replace("\"deals\": 20", "\"deals\": 21", StringComparison.Ordinal));
        AssertRefused("is not the scenario the shards ran", Path.Combine(Dir("shards"), "*"));
    }

    [Test]
    public void Merge_NoShardFolder_Refused()
    {
        Directory.CreateDirectory(Dir("empty"));
        AssertRefused("no shard folder", Dir("empty"));
        AssertRefused("the pattern matches no folder", Path.Combine(Dir("empty"), "x*"));
    }

    [TestCase("0/3")]
    [TestCase("4/3")]
    [TestCase("3")]
    [TestCase("a/b")]
    public void Run_BadShard_ExitsTwoNamingValueAndWhatIsAllowed(string value)
    {
        string file = _temp.Write("study.json", Study);
        var (code, _, err) = Cli("run", file, "--shard", value, "--out", Dir("out"));
        Assert.That(code, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(err, Does.Contain($"--shard: value '{value}' is not a shard; allowed: K/N with 1 ≤ K ≤ N"));
        Assert.That(Directory.Exists(Dir("out")), Is.False);
    }

    [Test]
    public void Run_Shard_WritesRowsManifestAndSourceCopyAndNoResults()
    {
        ThreeShards();
        Assert.That(Directory.GetDirectories(Dir("shards")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "shard-study.shard-1-of-3", "shard-study.shard-2-of-3", "shard-study.shard-3-of-3" }));
        Assert.That(File.Exists(Path.Combine(Dir("shards"), "index.html")), Is.False);
        var files = Directory.GetFiles(Shard(2)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.That(files, Is.EqualTo(new[] { "run-1.rows", "run-2.rows", "run-3.rows", "shard.json", "source.json" }));
        string manifest = File.ReadAllText(Path.Combine(Shard(2), "shard.json"));
        Assert.That(manifest, Does.Contain("\"first\": 201").And.Contain("\"last\": 400").And.Contain("\"seed\": 67"));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
