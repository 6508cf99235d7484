using Simulator.Core.Guarantees;

namespace Simulator.Tests.Guarantees;

/// <summary>The alive bit set's range operations (issue and maturity of whole cohorts).</summary>
public class LoanBitSetTests
{
    [Test]
    [Category("Slow")]
    public void SetRange_EveryRangeWithinThreeWords_ChangesExactlyThoseBits()
    {
        const int words = 3;
        var rng = new Random(11);
        for (int start = 0; start <= 64 * words; start++)
        {
            for (int end = start; end <= 64 * words; end += 1 + (end % 11))
            {
                foreach (bool value in new[] { true, false })
                {
                    var bits = Enumerable.Range(0, words).Select(_ => (ulong)rng.NextInt64() ^ ((ulong)rng.NextInt64() << 1)).ToArray();
                    var expected = Enumerable.Range(0, 64 * words).Select(i => i >= start && i < end ? value : (bits[i >> 6] >> (i & 63) & 1) != 0).ToArray();
                    GuaranteeEvaluator.SetRange(bits, start, end, value);
                    var actual = Enumerable.Range(0, 64 * words).Select(i => (bits[i >> 6] >> (i & 63) & 1) != 0).ToArray();
                    Assert.That(actual, Is.EqualTo(expected), $"[{start}, {end}) := {value}");
                }
            }
        }
    }
}
