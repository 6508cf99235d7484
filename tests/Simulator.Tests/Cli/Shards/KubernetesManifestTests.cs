using System.Text.RegularExpressions;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli.Shards;

/// <summary>
/// deploy/k8s cannot run here (no cluster can be started), so its shape is checked: an Indexed Job whose index becomes
/// K of --shard K/N with N equal to its completions, and a merge Job over the same volume and shard folder.
/// </summary>
public class KubernetesManifestTests
{
    private static string Manifest(string name) => File.ReadAllText(Path.Combine(TestScenarios.RepositoryRoot, "deploy", "k8s", name));

    [Test]
    public void ShardsJob_IndexedJob_ShardIsIndexPlusOneOfCompletions()
    {
        string yaml = Manifest("shards-job.yaml");
        Assert.That(yaml, Does.Contain("completionMode: Indexed"));
        Assert.That(yaml, Does.Contain("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""), "JOB_COMPLETION_INDEX counts from 0, K from 1");
        string completions = Regex.Match(yaml, @"completions: (\d+)").Groups[1].Value;
        string shards = Regex.Match(yaml, @"name: SHARDS\s+value: ""(\d+)""").Groups[1].Value;
        Assert.That(shards, Is.EqualTo(completions).And.Not.Empty, "N must be the number of completions, or trials go missing");
    }

    [Test]
    public void MergeJob_MergesTheShardsFolderOfTheShardsJobOnTheSameVolume()
    {
        string shards = Manifest("shards-job.yaml"), merge = Manifest("merge-job.yaml");
        string folder = Regex.Match(shards, @"--out (\S+)").Groups[1].Value;
        Assert.That(merge, Does.Contain($"\"merge\", \"{folder}\""));
        string claim(string yaml) => Regex.Match(yaml, @"claimName: (\S+)").Groups[1].Value;
        Assert.That(claim(merge), Is.EqualTo(claim(shards)).And.Not.Empty);
    }
}
