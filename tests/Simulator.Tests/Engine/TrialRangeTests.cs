using Simulator.Core.Engine;

namespace Simulator.Tests.Engine;

public class TrialRangeTests
{
    [TestCase(10, 3)]
    [TestCase(3001, 7)]
    [TestCase(5, 5)]
    [TestCase(2, 3)]
    [TestCase(1_000_000_000, 999)]
    public void Shard_EveryK_CoversOneToNExactlyOnceInOrderWithSizesWithinOne(long trials, int shards)
    {
        long next = 1;
        var sizes = new List<long>();
        for (int k = 1; k <= shards; k++)
        {
            var r = TrialRange.Shard(k, shards, trials);
            Assert.That(r.First, Is.EqualTo(next), $"shard {k}");
            Assert.That(r.Count, Is.GreaterThanOrEqualTo(0));
            sizes.Add(r.Count);
            next = r.Last + 1;
        }
        Assert.That(next, Is.EqualTo(trials + 1));
        Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void Shard_SecondOfThreeOfTen_IsTrialsFourToSix() =>
        Assert.That(TrialRange.Shard(2, 3, 10), Is.EqualTo(new TrialRange(4, 6)));

    [TestCase(0, 3)]
    [TestCase(4, 3)]
    public void Shard_KOutsideOneToN_Throws(int k, int n) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TrialRange.Shard(k, n, 100));
}
