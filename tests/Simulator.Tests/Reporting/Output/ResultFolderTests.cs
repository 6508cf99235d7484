using Simulator.Reporting.Output;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Output;

/// <summary>Committing a result folder in place of earlier results, and clearing what killed runs leave behind.</summary>
[NonParallelizable]
public class ResultFolderTests
{
    // No process has this id (Linux allows at most 4194304), so leftovers named with it have a dead owner.
    private const int DeadPid = 999_999_999;

    private TempDirectory _temp = null!;

    private string Root => _temp.Path;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-folders");

    [TearDown]
    public void TearDown()
    {
        ResultFolder.ExchangeDisabled = false;
        _temp.Dispose();
    }

    /// <summary>A folder below the root holding one file, report.html, with the given text.</summary>
    private string Folder(string entry, string text)
    {
        _temp.Write(Path.Combine(entry, "report.html"), text);
        return Path.Combine(Root, entry);
    }

    private string Report(string entry) => File.ReadAllText(Path.Combine(Root, entry, "report.html"));

    private string[] Entries() => Directory.GetFileSystemEntries(Root).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    private static string Dead(string name, string kind) => Leftovers.NameFor(name, kind, DeadPid, 1_700_000_000);

    [TestCase(false)]
    [TestCase(true)]
    public void Commit_EarlierResults_ReplacedAndNothingHiddenLeft(bool withoutExchange)
    {
        ResultFolder.ExchangeDisabled = withoutExchange;
        Folder("s", "earlier");
        using (var folder = ResultFolder.Create(Root, "s"))
        {
            File.WriteAllText(Path.Combine(folder.WorkPath, "report.html"), "new");
            folder.Commit();
        }
        Assert.That(Report("s"), Is.EqualTo("new"));
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
    }

    [Test]
    public void Commit_NoEarlierResults_MovedIntoPlace()
    {
        using (var folder = ResultFolder.Create(Root, "s"))
        {
            Assert.That(Path.GetFileName(folder.WorkPath), Does.StartWith($".s.partial-").And.Contain($"-{Environment.ProcessId}-"));
            File.WriteAllText(Path.Combine(folder.WorkPath, "report.html"), "new");
            folder.Commit();
        }
        Assert.That(Report("s"), Is.EqualTo("new"));
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
    }

    [Test]
    public void Dispose_NotCommitted_EarlierResultsKeptAndWorkRemoved()
    {
        Folder("s", "earlier");
        using (var folder = ResultFolder.Create(Root, "s")) File.WriteAllText(Path.Combine(folder.WorkPath, "report.html"), "new");
        Assert.That(Report("s"), Is.EqualTo("earlier"));
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
    }

    [Test]
    public void CheckWritable_PathBelowAFile_Throws()
    {
        string file = _temp.Write("plain", "x");
        Assert.That(() => ResultFolder.CheckWritable(Path.Combine(file, "out")), Throws.InstanceOf<IOException>());
    }

    [Test]
    public void CheckWritable_NewFolder_CreatedEmpty()
    {
        string root = Path.Combine(Root, "a", "b");
        ResultFolder.CheckWritable(root);
        Assert.That(Directory.GetFileSystemEntries(root), Is.Empty, "the probe file is removed");
    }

    [Test]
    public void Recover_PartialOfDeadOwner_Removed()
    {
        Folder("s", "earlier");
        string partial = Folder(Dead("s", Leftovers.Partial), "half");
        string probe = _temp.Write(Dead("write-check", Leftovers.Partial), "x");
        var notes = Leftovers.Recover(Root);
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
        Assert.That(Report("s"), Is.EqualTo("earlier"));
        Assert.That(notes, Has.Count.EqualTo(2));
        Assert.That(notes, Has.One.EqualTo($"removed {partial}, left by run {DeadPid}, which was stopped before it finished"));
        Assert.That(notes, Has.One.Contains(probe));
    }

    [Test]
    public void Recover_OldOfDeadOwnerAndNoFolder_NewestRestoredOthersRemoved()
    {
        // A run killed between moving the earlier results aside and moving the new ones in (twice, the later one last).
        string older = Folder(Dead("s", Leftovers.Old), "older");
        Directory.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddDays(-2));
        string newer = Folder(Dead("s", Leftovers.Old), "earlier");
        Directory.SetLastWriteTimeUtc(newer, DateTime.UtcNow.AddDays(-1));
        Folder(Dead("s", Leftovers.Partial), "new but perhaps incomplete");
        var notes = Leftovers.Recover(Root);
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
        Assert.That(Report("s"), Is.EqualTo("earlier"));
        Assert.That(notes[0], Is.EqualTo($"restored {Path.Combine(Root, "s")} from {newer}: run {DeadPid} was stopped while replacing it"));
    }

    [Test]
    public void Recover_OldOfDeadOwnerBesideFolder_Removed()
    {
        Folder("s", "new");
        Folder(Dead("s", Leftovers.Old), "earlier");
        Leftovers.Recover(Root);
        Assert.That(Entries(), Is.EqualTo(new[] { "s" }));
        Assert.That(Report("s"), Is.EqualTo("new"));
    }

    [Test]
    public void Recover_LeftoversOfLiveOwner_Kept()
    {
        // This process is alive: another run's work in progress in the same output folder.
        string partial = Folder(Leftovers.NameFor("s", Leftovers.Partial), "half");
        string old = Folder(Leftovers.NameFor("t", Leftovers.Old), "earlier");
        Assert.That(Leftovers.Recover(Root), Is.Empty);
        Assert.That(Directory.Exists(partial) && Directory.Exists(old), Is.True);
    }

    [Test]
    public void Recover_OwnIdWithAnotherStartTime_RemovedAsAnEarlierProcess()
    {
        // In a container every run can be process 1: the same id with another start time is not this process.
        string partial = Folder(Leftovers.NameFor("s", Leftovers.Partial, Environment.ProcessId, 1_000_000_000), "half");
        Leftovers.Recover(Root);
        Assert.That(Directory.Exists(partial), Is.False);
    }

    [Test]
    public void Recover_OtherHost_Kept()
    {
        string partial = Folder($".s.partial-another-host.example-{DeadPid}-1700000000-{Guid.NewGuid():N}", "half");
        Assert.That(Leftovers.Recover(Root), Is.Empty);
        Assert.That(Directory.Exists(partial), Is.True);
    }

    [Test]
    public void Recover_LeftoversOfEarlierVersion_KeptWithAdvice()
    {
        string partial = Folder($".s.partial-{Guid.NewGuid():N}", "half");
        string old = Folder($".t.old-{Guid.NewGuid():N}", "earlier");
        var notes = Leftovers.Recover(Root);
        Assert.That(Directory.Exists(partial) && Directory.Exists(old), Is.True, "whether their run goes on cannot be told");
        Assert.That(notes, Has.One.Contains(old).And.Contains($"rename it to {Path.Combine(Root, "t")} to restore them"));
        Assert.That(notes, Has.One.Contains(partial).And.Contains("delete it once no run of that version writes into"));
    }
}
