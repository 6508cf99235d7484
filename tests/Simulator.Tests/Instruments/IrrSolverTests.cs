using Simulator.Tests.Support;
using Simulator.Core.Instruments;

namespace Simulator.Tests.Instruments;

/// <summary>
/// The IRR solver (grid scan, then safeguarded Halley iterations on the discount factor) against the reference
/// scan-and-bisection of version 0.1 (<see cref="ReferenceIrr.ComputeByBisection"/>) on many random cash-flow vectors,
/// and on hand cases.
/// </summary>
public class IrrSolverTests
{
    private static double Npv(ReadOnlySpan<double> flows, double r, out double scale)
    {
        double v = 1 / (1 + r), discount = 1, npv = 0;
        scale = 0;
        foreach (double f in flows)
        {
            discount *= v;
            npv += f * discount;
            scale += Math.Abs(f * discount);
        }
        return npv;
    }

    // Fund-like flows: calls first, then proceeds, with gaps, later calls (fees, follow-ons) among the proceeds
    // and flows netted within a year, so they change sign several times.
    private static double[] FundLike(Random rng)
    {
        int life = 2 + rng.Next(14), calls = 1 + rng.Next(Math.Max(1, life / 2));
        var flows = new double[life];
        for (int t = 0; t < life; t++)
        {
            if (t < calls) flows[t] = -(1 + 9 * rng.NextDouble());
            if (t >= 1 && rng.NextDouble() < 0.6) flows[t] += 12 * rng.NextDouble() * rng.NextDouble() * Math.Exp(1.5 * rng.NextDouble());
            if (t >= calls && rng.NextDouble() < 0.3) flows[t] -= 0.3 * rng.NextDouble(); // a fee after exits
        }
        return flows;
    }

    [Test]
    public void Compute_FundLikeFlows_MatchesReferenceWithinTolerance()
    {
        var rng = new Random(11);
        int compared = 0, undefined = 0;
        double maxDifference = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var flows = FundLike(rng);
            double fast = Irr.Compute(flows), reference = ReferenceIrr.ComputeByBisection(flows);
            Assert.That(double.IsNaN(fast), Is.EqualTo(double.IsNaN(reference)), () => $"[{string.Join(", ", flows)}]: {fast} vs {reference}");
            if (double.IsNaN(reference))
            {
                undefined++;
                continue;
            }
            double difference = Math.Abs(fast - reference) / Math.Max(1, Math.Abs(reference));
            maxDifference = Math.Max(maxDifference, difference);
            Assert.That(difference, Is.LessThanOrEqualTo(Irr.Tolerance), () => $"[{string.Join(", ", flows)}]: {fast} vs {reference}");
            compared++;
        }
        TestContext.Out.WriteLine($"{compared} compared, {undefined} undefined in both, max difference {maxDifference:E2}");
        Assert.That(compared, Is.GreaterThan(90_000));
    }

    [Test]
    public void Compute_RandomSignFlows_SameRootOrAnotherRootOfTheSameGridStep()
    {
        // Arbitrary signs can put several roots in one step of the scan; then both solvers return a root of that
        // step, not necessarily the same one. Everywhere else they agree within the tolerance.
        var rng = new Random(12);
        int sameRoot = 0, otherRoot = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var flows = new double[2 + rng.Next(20)];
            for (int t = 0; t < flows.Length; t++) flows[t] = (rng.NextDouble() - 0.5) * Math.Exp(6 * rng.NextDouble());
            double fast = Irr.Compute(flows), reference = ReferenceIrr.ComputeByBisection(flows);
            Assert.That(double.IsNaN(fast), Is.EqualTo(double.IsNaN(reference)), () => $"[{string.Join(", ", flows)}]: {fast} vs {reference}");
            if (double.IsNaN(reference) || reference == -1) continue;
            if (Math.Abs(fast - reference) <= Irr.Tolerance * Math.Max(1, Math.Abs(reference)))
            {
                sameRoot++;
                continue;
            }
            otherRoot++;
            double npv = Npv(flows, fast, out double scale);
            Assert.That(Math.Abs(npv), Is.LessThanOrEqualTo(1e-12 * scale), () => $"[{string.Join(", ", flows)}]: {fast} is not a root");
            Assert.That(GridStep(fast), Is.EqualTo(GridStep(reference)), () => $"[{string.Join(", ", flows)}]: {fast} vs {reference}");
        }
        TestContext.Out.WriteLine($"{sameRoot} same root, {otherRoot} another root of the same step");
        Assert.That(otherRoot, Is.LessThan(sameRoot / 1000 + 1));
    }

    private static int GridStep(double r) => (int)Math.Floor((Math.Log(1001) - Math.Log(1 + r)) / ((Math.Log(1001) - Math.Log(1e-9)) / Irr.GridSteps));

    [TestCase(new[] { -100.0, 110 }, 0.10)]
    [TestCase(new[] { -100.0, 0, 121 }, 0.10)]
    [TestCase(new[] { -100.0, 0, 0, 50 }, -0.2062994740159002)]
    [TestCase(new[] { -50.0, -50, 30, 40, 60 }, 0.10159127275844247)]
    [TestCase(new[] { -100.0, 100 }, 0.0)]
    [TestCase(new[] { -1.0, 0, 0, 0, 0, 0, 0, 0, 0, 1000 }, 1.1544346900318838)]
    public void Compute_HandCases_MatchClosedFormsAndReference(double[] flows, double expected)
    {
        Assert.That(Irr.Compute(flows), Is.EqualTo(expected).Within(1e-12));
        Assert.That(Irr.Compute(flows), Is.EqualTo(ReferenceIrr.ComputeByBisection(flows)).Within(Irr.Tolerance));
    }

    [Test]
    public void Compute_EdgeCases_AsTheReference()
    {
        Assert.Multiple(() =>
        {
            // A total loss: nothing received.
            Assert.That(Irr.Compute([-100.0, 0, 0]), Is.EqualTo(-1));
            Assert.That(Irr.Compute([-100.0, -5, 0]), Is.EqualTo(-1));
            // Nothing paid in (no loss possible): undefined, as is an empty or all-zero vector.
            Assert.That(Irr.Compute([0.0, 10, 5]), Is.NaN);
            Assert.That(Irr.Compute([]), Is.NaN);
            Assert.That(Irr.Compute([0.0, 0]), Is.NaN);
            // Sign patterns without a root: −v + 2v² − 2v³ < 0 for every v > 0.
            Assert.That(Irr.Compute([-1.0, 2, -2]), Is.NaN);
            Assert.That(ReferenceIrr.ComputeByBisection([-1.0, 2, -2]), Is.NaN);
            // Roots outside the scanned range of 1 + r (1e-9 to 1001) are not found, as before.
            Assert.That(Irr.Compute([-1.0, 5000]), Is.NaN);
            Assert.That(ReferenceIrr.ComputeByBisection([-1.0, 5000]), Is.NaN);
            Assert.That(Irr.Compute([-1.0, 1e-12]), Is.NaN);
            Assert.That(ReferenceIrr.ComputeByBisection([-1.0, 1e-12]), Is.NaN);
            // A fee after the last exit adds a spurious root near −100%; the largest root is returned.
            double irr = Irr.Compute([-100.0, 0, 0, 0, 72, -1]);
            Assert.That(irr, Is.EqualTo(ReferenceIrr.ComputeByBisection([-100.0, 0, 0, 0, 72, -1])).Within(Irr.Tolerance));
            Assert.That(Npv([-100.0, 0, 0, 0, 72, -1], irr, out _), Is.EqualTo(0).Within(1e-12));
        });
    }

    [Test]
    public void Compute_RootExactlyOnAGridPoint_ReturnsThatPoint()
    {
        // 1 + r = 1001^(36/48)·1e-9^(12/48) is the 13th grid point; flows −1, 1 + r have their root exactly there
        // up to rounding, and both solvers return a value within rounding of it.
        double rate = Math.Exp(6.908754779315221 + (-20.72326583694641 - 6.908754779315221) * 12 / 48) - 1;
        Assert.That(Irr.Compute([-1.0, 1 + rate]), Is.EqualTo(rate).Within(1e-14));
        Assert.That(ReferenceIrr.ComputeByBisection([-1.0, 1 + rate]), Is.EqualTo(rate).Within(1e-12));
    }
}
