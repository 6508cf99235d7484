using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Tests.Support;

namespace Simulator.Tests.Guarantees;

/// <summary>
/// The vectorised default kernel against its scalar definition (the same bits, loan by loan), and the
/// whole engine with the vector path on and off.
/// </summary>
[NonParallelizable]
public class DefaultKernelTests
{
    private static (ulong[] Alive, ulong[] Hits) Run(bool vectors, ulong key, int year, ulong threshold, ulong[]? perLoan, ulong[] alive, int first, int end)
    {
        bool saved = DefaultKernel.UseVectors;
        try
        {
            DefaultKernel.UseVectors = vectors;
            var a = (ulong[])alive.Clone();
            var h = new ulong[alive.Length];
            long count = perLoan is null
                ? DefaultKernel.Scan(key, year, threshold, a, h, first, end)
                : DefaultKernel.Scan(key, year, perLoan.Select(t => (uint)(t >> 32)).ToArray(), perLoan.Select(t => (uint)t).ToArray(), a, h, first, end);
            Assert.That(count, Is.EqualTo(h.Sum(x => (long)System.Numerics.BitOperations.PopCount(x))), "the return value counts the defaults");
            return (a, h);
        }
        finally
        {
            DefaultKernel.UseVectors = saved;
        }
    }

    private static ulong[] RandomAlive(int words, ulong seed)
    {
        var rng = new Xoshiro256(seed);
        var alive = new ulong[words];
        for (int w = 0; w < words; w++) alive[w] = w % 7 == 3 ? 0 : rng.NextUInt64() | rng.NextUInt64(); // about 3/4 alive, some empty words
        return alive;
    }

    [TestCase(0.02, 0, 40)]
    [TestCase(0.5, 3, 17)]
    [TestCase(1e-9, 0, 64)]
    [TestCase(0.999, 5, 6)]
    public void Scan_VectorAndScalar_SameBitsAsDefinition(double pd, int first, int end)
    {
        var alive = RandomAlive(64, 11);
        ulong key = 0x1234_5678_9ABC_DEF0UL, threshold = CounterUniforms.Threshold(pd);
        var vector = Run(true, key, 3, threshold, null, alive, first, end);
        var scalar = Run(false, key, 3, threshold, null, alive, first, end);
        Assert.That(vector.Hits, Is.EqualTo(scalar.Hits));
        Assert.That(vector.Alive, Is.EqualTo(scalar.Alive));

        // The definition, loan by loan.
        for (int i = 0; i < alive.Length * 64; i++)
        {
            int w = i / 64;
            bool wasAlive = (alive[w] >> i & 1) != 0, inRange = w >= first && w < end;
            bool defaults = inRange && wasAlive && DefaultKernel.Defaults(key, 3, i, threshold);
            Assert.That((vector.Hits[w] >> i & 1) != 0, Is.EqualTo(defaults && inRange), $"hit of loan {i}");
            Assert.That((vector.Alive[w] >> i & 1) != 0, Is.EqualTo(wasAlive && !defaults), $"alive bit of loan {i}");
        }
    }

    [Test]
    public void Scan_PerLoanThresholds_VectorMatchesScalar()
    {
        var alive = RandomAlive(20, 5);
        var thresholds = new ulong[20 * 64];
        var rng = new Xoshiro256(99);
        for (int i = 0; i < thresholds.Length; i++) thresholds[i] = CounterUniforms.Threshold(new[] { 0.01, 0.1, 0.4 }[i % 3] * rng.NextOpenUnit());
        var vector = Run(true, 77, 2, 0, thresholds, alive, 2, 19);
        var scalar = Run(false, 77, 2, 0, thresholds, alive, 2, 19);
        Assert.That(vector.Hits, Is.EqualTo(scalar.Hits));
        Assert.That(vector.Alive, Is.EqualTo(scalar.Alive));
        Assert.That(vector.Hits.Sum(h => System.Numerics.BitOperations.PopCount(h)), Is.GreaterThan(50), "the case draws defaults");
    }

    [TestCase(3, true)]
    [TestCase(20, true)]
    [TestCase(32, true)]
    [TestCase(33, true)]
    [TestCase(100, true)]
    [TestCase(128, true)]
    [TestCase(129, true)]
    [TestCase(20, false)]
    [TestCase(100, false)]
    public void Scan_ClassThresholds_SameBitsAsDefinition(int classes, bool vectors)
    {
        // Up to 32 classes (AVX2) or 128 (AVX-512) the vector loop looks thresholds up in registers, above it copies them
        // per loan first; the scalar path always copies. Every path must give each loan its own class's threshold, ties included.
        const ulong key = 0xFEED_F00D_1234_5678UL;
        const int year = 4, words = 24, first = 1, end = 23;
        var alive = RandomAlive(words, 17);
        var rng = new Xoshiro256((ulong)classes);
        var classOf = new int[words * 64];
        for (int i = 0; i < classOf.Length; i++) classOf[i] = (int)(rng.NextUInt64() % (ulong)classes);
        var threshold = new ulong[classes];
        for (int c = 0; c < classes; c++) threshold[c] = CounterUniforms.Threshold(0.3 * rng.NextOpenUnit());
        // A tie: class 1's top bits equal an alive loan's draw, so its bottom bits decide (looked up by class too).
        int tied = Enumerable.Range(first * 64, (end - first) * 64).First(i => (alive[i >> 6] >> i & 1) != 0);
        classOf[tied] = 1;
        ulong h = SplitMix64.Mix(DefaultKernel.YearBase(key, year, DefaultKernel.PurposeDefault) + (ulong)(tied >> 1) * DefaultKernel.LoanStep);
        threshold[1] = (((tied & 1) == 0 ? (uint)h : h >> 32) << 32) | 0xFFFF_FFFFUL;

        bool saved = DefaultKernel.UseVectors;
        var a = (ulong[])alive.Clone();
        var hits = new ulong[words];
        long count;
        try
        {
            DefaultKernel.UseVectors = vectors;
            count = DefaultKernel.Scan(key, year, classOf, threshold.Select(t => (uint)(t >> 32)).ToArray(), threshold.Select(t => (uint)t).ToArray(),
                new uint[classOf.Length], a, hits, first, end);
        }
        finally
        {
            DefaultKernel.UseVectors = saved;
        }

        for (int i = 0; i < words * 64; i++)
        {
            int w = i / 64;
            bool wasAlive = (alive[w] >> i & 1) != 0, inRange = w >= first && w < end;
            bool defaults = inRange && wasAlive && DefaultKernel.Defaults(key, year, i, threshold[classOf[i]]);
            Assert.That((hits[w] >> i & 1) != 0, Is.EqualTo(defaults), $"hit of loan {i} (class {classOf[i]})");
            Assert.That((a[w] >> i & 1) != 0, Is.EqualTo(wasAlive && !defaults), $"alive bit of loan {i}");
        }
        Assert.That(count, Is.EqualTo(hits.Sum(x => (long)System.Numerics.BitOperations.PopCount(x))));
        Assert.That(count, Is.GreaterThan(100), "the case draws defaults");
        Assert.That(DefaultKernel.Defaults(key, year, tied, threshold[1]), Is.EqualTo((hits[tied >> 6] >> tied & 1) != 0), "the tied loan");
    }

    [Test]
    public void Scan_DefaultFrequency_MatchesProbability()
    {
        // 640,000 loan draws at p = 0.03: the share of hits within 4 standard errors of p.
        const double p = 0.03;
        var alive = Enumerable.Repeat(ulong.MaxValue, 10_000).ToArray();
        var (_, hits) = Run(true, 2024, 1, CounterUniforms.Threshold(p), null, alive, 0, alive.Length);
        double n = alive.Length * 64.0, share = hits.Sum(h => System.Numerics.BitOperations.PopCount(h)) / n;
        Exact.WithinStandardErrors(share, p, Math.Sqrt(p * (1 - p) / n), what: "default share");
    }

    [Test]
    public void Defaults_TiesOnTheTop32Bits_ResolvedByTheRefiningDraw()
    {
        // Thresholds whose top 32 bits equal the loans' draws: whether a loan defaults then depends on T's low
        // bits alone — never with low bits 0, always with all ones (but for a refining draw of 2³² − 1).
        const ulong key = 99;
        for (int loan = 0; loan < 200; loan++)
        {
            ulong h = SplitMix64.Mix(DefaultKernel.YearBase(key, 2, DefaultKernel.PurposeDefault) + (ulong)(loan >> 1) * DefaultKernel.LoanStep);
            ulong u = (loan & 1) == 0 ? (uint)h : h >> 32;
            Assert.That(DefaultKernel.Defaults(key, 2, loan, u << 32), Is.False, $"loan {loan}: a tie with low bits 0 never defaults");
                        Assert.That(DefaultKernel.Defaults(key, 2, loan, (u << 32) | 0xFFFF_FFFFUL), Is.EqualTo(true), $"loan {loan}: a tie with all low bits set defaults");
            Assert.That(DefaultKernel.Defaults(key, 2, loan, (u + 1) << 32), Is.True, $"loan {loan}: below the top bits defaults");
        }

        // The vector path finds and resolves the same ties: thresholds set to each loan's own top bits.
        var thresholds = new ulong[64 * 4];
        var rng = new Xoshiro256(3);
        for (int i = 0; i < thresholds.Length; i++)
        {
            ulong h = SplitMix64.Mix(DefaultKernel.YearBase(key, 2, DefaultKernel.PurposeDefault) + (ulong)(i >> 1) * DefaultKernel.LoanStep);
            ulong u = (i & 1) == 0 ? (uint)h : h >> 32;
            thresholds[i] = (u << 32) | (uint)rng.NextUInt64();
        }
        var alive = Enumerable.Repeat(ulong.MaxValue, 4).ToArray();
        var vector = Run(true, key, 2, 0, thresholds, alive, 0, 4);
        var scalar = Run(false, key, 2, 0, thresholds, alive, 0, 4);
        Assert.That(vector.Hits, Is.EqualTo(scalar.Hits));
        int defaults = vector.Hits.Sum(h => System.Numerics.BitOperations.PopCount(h));
        Assert.That(defaults, Is.InRange(80, 176), "every loan ties; about half default on the refining draw");
    }

    [Test]
    public void Threshold_Probabilities_ScaleTo64Bits()
    {
        Assert.That(CounterUniforms.Threshold(0), Is.EqualTo(0UL));
        Assert.That(CounterUniforms.Threshold(-1), Is.EqualTo(0UL));
        Assert.That(CounterUniforms.Threshold(double.NaN), Is.EqualTo(0UL));
        Assert.That(CounterUniforms.Threshold(1), Is.EqualTo(ulong.MaxValue));
        Assert.That(CounterUniforms.Threshold(0.5), Is.EqualTo(1UL << 63));
        Assert.That(CounterUniforms.Threshold(0.25), Is.EqualTo(1UL << 62));
        Assert.That(CounterUniforms.Threshold(1 - 1e-16), Is.LessThanOrEqualTo(ulong.MaxValue));
        Assert.That(CounterUniforms.Threshold(0.02) / 18446744073709551616.0, Is.EqualTo(0.02).Within(1e-18));
    }

    [TestCase(12, 1)]
    [TestCase(40, 1)]
    [TestCase(12, 3)]
    [TestCase(40, 3)]
    public void Engine_TapeVectorAndScalarKernels_IdenticalResults(int grades, int longestTerm)
    {
        // A tape in the shape of real books: grades in random order, amounts and LGDs per loan, start years and terms
        // that vary (so years mature in hundreds of short runs), limits that bind in some trials. Class lookups in
        // registers (12 grades) or copied per loan (40), settlement as one sum or loan by loan: all the same rows.
        using var temp = new TempDirectory();
        var rng = new Xoshiro256((ulong)(grades * 10 + longestTerm));
        var tape = new System.Text.StringBuilder("id,amount,pd,lgd,termYears,startYear,rho\n");
        for (int i = 0; i < 3000; i++)
        {
            double pd = 0.001 * Math.Pow(150, (double)(rng.NextUInt64() % (ulong)grades) / (grades - 1));
            tape.Append(System.FormattableString.Invariant(
                $"L{i},{1e5 + 1e6 * rng.NextOpenUnit():R},{pd:R},{0.2 + 0.4 * rng.NextOpenUnit():R},{1 + (int)(rng.NextUInt64() % (ulong)longestTerm)},{1 + (int)(rng.NextUInt64() % (ulong)longestTerm)},0.2\n"));
        }
        temp.Write("book.csv", tape.ToString());
        string path = temp.Write("tape.json", """
            { "name": "t", "simulation": { "trials": 2000, "seed": 9 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loanTape": "book.csv",
                  "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                  "guarantor": { "capital": 2.5e8, "leverageCap": 10, "feeRate": 0.01 },
                  "government": { "budget": 2e7, "capRate": 0.05 } } ] }
            """);
        var load = Simulator.Core.Scenarios.ScenarioLoader.Load(path);
        Assert.That(load.Errors, Is.Empty, () => string.Join("\n", load.Errors));
        bool saved = DefaultKernel.UseVectors;
        try
        {
            DefaultKernel.UseVectors = true;
            var rowsVector = new MemorySink();
            TestScenarios.Run(load.Scenario!, 2, rowsVector);
            DefaultKernel.UseVectors = false;
            var rowsScalar = new MemorySink();
            TestScenarios.Run(load.Scenario!, 1, rowsScalar);
            Assert.That(rowsVector.Values, Is.EqualTo(rowsScalar.Values));
            Assert.That(rowsVector.Values.Distinct().Count(), Is.GreaterThan(2000), "the trials differ");
        }
        finally
        {
            DefaultKernel.UseVectors = saved;
        }
    }

    [Test]
    public void Engine_VectorAndScalarKernels_IdenticalResults()
    {
        var scenario = TestScenarios.Load("""
            { "name": "k", "simulation": { "trials": 3000, "seed": 4 }, "factors": [ { "name": "macro" } ],
              "guarantees": [ { "name": "g", "loans": { "perYear": 300, "years": 3, "amount": { "lognormal": { "median": 2e6, "sigma": 0.7 } },
                  "termYears": 2, "pd": 0.05, "lgd": { "beta": { "mean": 0.6, "sd": 0.2 } }, "exposure": { "macro": 0.5 } },
                  "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                  "guarantor": { "capital": 1e8, "leverageCap": 10, "feeRate": 0.01 },
                  "government": { "budget": 2e7, "capRate": 0.05 } } ] }
            """);
        bool saved = DefaultKernel.UseVectors;
        try
        {
            DefaultKernel.UseVectors = true;
            var rowsVector = new MemorySink();
            TestScenarios.Run(scenario, 2, rowsVector);
            DefaultKernel.UseVectors = false;
            var rowsScalar = new MemorySink();
            TestScenarios.Run(scenario, 1, rowsScalar);
            Assert.That(rowsVector.Values, Is.EqualTo(rowsScalar.Values));
            Assert.That(rowsVector.Values, Has.Count.EqualTo(3000 * (rowsVector.Values.Count / 3000)));
        }
        finally
        {
            DefaultKernel.UseVectors = saved;
        }
    }
}
