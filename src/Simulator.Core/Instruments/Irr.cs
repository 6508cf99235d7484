using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simulator.Core.Instruments;

/// <summary>Internal rate of return of yearly cash flows (flow t at the end of year t).</summary>
public static class Irr
{
    /// <summary>Points of the scan below the top one: 48 geometric steps of 1 + r from 1001 down to 1e-9.</summary>
    public const int GridSteps = 48;

    /// <summary>
    /// The documented agreement of <see cref="Compute"/> with the reference the reference bisection of the tests (tests/Simulator.Tests/Support/ReferenceIrr.cs):
    /// |difference| ≤ <c>Tolerance</c> · max(1, |r|) for well-conditioned roots (the reference stops bisecting at a
    /// relative width of 1e-12, the solver at the rounding noise of the net present value).
    /// </summary>
    public const double Tolerance = 1e-12;

    internal const double LogHigh = 6.908754779315221, LogLow = -20.72326583694641; // ln(1001), ln(1e-9)

    // The scan's rates r_i = exp(ln 1001 + (ln 1e-9 − ln 1001)·i/48) − 1 (i = 0..48) and their discount factors
    // 1/(1 + r_i), padded with the last point to whole vectors.
    private static readonly double[] GridRate, GridDiscount;

    static Irr()
    {
        int padded = (GridSteps + 1 + 7) / 8 * 8;
        GridRate = new double[padded];
        GridDiscount = new double[padded];
        for (int i = 0; i < padded; i++)
        {
            int k = Math.Min(i, GridSteps);
            GridRate[i] = Math.Exp(LogHigh + (LogLow - LogHigh) * k / GridSteps) - 1;
            GridDiscount[i] = 1 / (1 + GridRate[i]);
        }
    }

    /// <summary>
    /// The rate r &gt; −1 with Σ flows[t] / (1 + r)^t = 0 over t = 1..n. Returns −1 when nothing is ever
    /// received (a total loss), NaN when nothing is ever paid in or no root is found. Fund flows can change sign
    /// more than once (fees paid in the last year after the last exit), which can add a spurious root near
    /// −100%; the economically meaningful one is the largest, so the search scans 1 + r down from 1001 on a
    /// geometric grid of 49 points (to 1e-9, each step a factor of about 1.78) for the first sign change of the net
    /// present value, exactly like the reference bisection of the tests (tests/Simulator.Tests/Support/ReferenceIrr.cs), and then solves inside that step with
    /// Halley's method on the discount factor v = 1/(1 + r) (the NPV is a polynomial in v), started from the guess
    /// 1 + r ≈ M^(1/D) (M = received / paid, D = the gap between the money-weighted mean years of receipts and
    /// payments) or, outside the step, from linear interpolation between its ends, and safeguarded by bisection
    /// (every iterate stays inside a bracket that shrinks at each evaluation), to the rounding noise of the net
    /// present value, typically in 2–3 iterations. Agrees with the reference bisection of the tests (tests/Simulator.Tests/Support/ReferenceIrr.cs) to within
    /// <see cref="Tolerance"/> · max(1, |r|) and returns NaN or −1 in the same cases; the two can return different
    /// roots only when one grid step holds several (flows of arbitrary signs). Allocation-free; the scan evaluates
    /// the grid a SIMD vector of points at a time and stops at the first sign change.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> flows)
    {
        double paid = 0, received = 0, paidTime = 0, receivedTime = 0;
        for (int t = 0; t < flows.Length; t++)
        {
            double f = flows[t];
            if (f < 0)
            {
                paid -= f;
                paidTime -= t * f;
            }
            else
            {
                received += f;
                receivedTime += t * f;
            }
        }
        if (paid <= 0) return double.NaN;
        if (received <= 0) return -1.0;
        // First guess: the net multiple M spread over the gap D between the money-weighted mean years of receipts
        // and payments, 1 + r ≈ M^(1/D), i.e. v ≈ exp(−ln M / D).
        double gap = receivedTime / received - paidTime / paid;
        double guess = gap > 0 ? Math.Exp(-Math.Log(received / paid) / gap) : double.NaN;

        // Q(v) = Σ f_t v^(t−1) = NPV / v has the NPV's sign and roots for v > 0. The grid is evaluated a vector of
        // points at a time (Horner over t from the end), from the top, until the first point where Q is exactly
        // zero or has changed sign from the point before.
        int n = flows.Length, width = Vector<double>.Count;
        ref double grid = ref MemoryMarshal.GetArrayDataReference(GridDiscount);
        ref double first = ref MemoryMarshal.GetReference(flows);
        var last = new Vector<double>(Unsafe.Add(ref first, n - 1));
        bool previousPositive = false;
        double previous = 0;
        for (int i = 0; i <= GridSteps; i += width)
        {
            var v = Vector.LoadUnsafe(ref grid, (nuint)i);
            var q = last;
            for (int t = n - 2; t >= 0; t--) q = Vector.FusedMultiplyAdd(q, v, new Vector<double>(Unsafe.Add(ref first, t)));
            for (int j = 0; j < width; j++)
            {
                int k = i + j;
                if (k > GridSteps) return double.NaN;
                double qk = q[j];
                bool positive = qk > 0;
                if (k > 0)
                {
                    if (qk == 0) return GridRate[k];
                    if (positive != previousPositive) return Solve(flows, GridDiscount[k - 1], previous, GridDiscount[k], qk, guess);
                }
                previousPositive = positive;
                previous = qk;
            }
        }
        return double.NaN;
    }

    /// <summary>
    /// The IRR as reported for a class of LPs: <see cref="Compute"/>'s rate when the flows are an investment, NaN
    /// (undefined) otherwise. Flows are an investment when the class pays in before it receives anything (the first
    /// non-zero yearly flow is negative) and the rate has the sign of the undiscounted gain (positive only if the class
    /// got back more than it paid in, negative only if less). Flows that start with receipts, such as +0.45, +0.45,
    /// −3.0 (receipts before a later fee call, a multiple of 0.3), are a loan to the class: their root (+113% there) is
    /// a borrowing rate, at which a higher rate makes the flows worth more, not less. docs/model.md §6.
    /// </summary>
    public static double ForInvestment(ReadOnlySpan<double> flows) => ScreenInvestment(flows, Compute(flows));

    /// <summary><paramref name="rate"/> (a root of <paramref name="flows"/>' NPV, or NaN) if the flows are an investment
    /// with a rate of that sign, as <see cref="ForInvestment"/> says; NaN otherwise.</summary>
    internal static double ScreenInvestment(ReadOnlySpan<double> flows, double rate)
    {
        double net = 0, paid = 0;
        bool first = true;
        foreach (double f in flows)
        {
            // The first non-zero flow must be a payment: then NPV(r) < 0 for large r, and the largest root is one at
            // which the NPV falls as the rate rises, as for an investment.
            if (first && f != 0)
            {
                if (f > 0) return double.NaN;
                first = false;
            }
            net += f;
            if (f < 0) paid -= f;
        }
        // NPV(0) is the undiscounted net gain: a root above 0 with a loss (or below 0 with a gain) means the NPV
        // crosses zero again in between, i.e. receipts come early enough to act as a loan. A net within rounding of
        // 0 (a multiple of 1) constrains nothing.
        double noise = GainNoise * paid;
        if ((rate > 0 && net < -noise) || (rate < 0 && net > noise)) return double.NaN;
        return rate;
    }

    /// <summary>A net gain within this fraction of the amount paid in counts as none (rounding of the yearly sums).</summary>
    public const double GainNoise = 1e-9;

    // Q(v), Q'(v) and Q''(v)/2 by Horner (three independent chains, so no slower than one).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Evaluate(ReadOnlySpan<double> flows, double v, out double slope, out double halfCurvature)
    {
        int n = flows.Length;
        double value = flows[n - 1], d1 = 0, d2 = 0;
        for (int t = n - 2; t >= 0; t--)
        {
            d2 = Math.FusedMultiplyAdd(d2, v, d1);
            d1 = Math.FusedMultiplyAdd(d1, v, value);
            value = Math.FusedMultiplyAdd(value, v, flows[t]);
        }
        slope = d1;
        halfCurvature = d2;
        return value;
    }

    // Root of Q in the discount-factor bracket [a, b] (a < b; Q(a), Q(b) of opposite signs, neither zero).
    // Halley steps (cubic convergence) that stay inside the bracket and at least halve the previous step are
    // taken, otherwise the bracket (updated with every evaluation) is bisected. Once a step is below 1e-6 of v,
    // cubic convergence puts the new iterate within about (1e-6)³ of the root, below the rounding noise of Q:
    // it is returned.
    private static double Solve(ReadOnlySpan<double> flows, double a, double qa, double b, double qb, double guess)
    {
        bool aPositive = qa > 0;
        double v = guess;
        if (!(v > a && v < b)) v = a - qa * (b - a) / (qb - qa); // linear interpolation between the step's ends
        if (!(v > a && v < b)) v = 0.5 * (a + b);
        double previousStep = b - a;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double value = Evaluate(flows, v, out double slope, out double halfCurvature);
            if (value == 0) break;
            if ((value > 0) == aPositive) a = v;
            else b = v;
            double newton = value / slope;
            double next = v - newton / (1 - newton * halfCurvature / slope);
            double step = Math.Abs(next - v);
            if (step <= 1e-6 * v && next >= a && next <= b)
            {
                v = next;
                break;
            }
            if (next > a && next < b && step <= 0.5 * previousStep)
            {
                v = next;
            }
            else
            {
                next = 0.5 * (a + b);
                step = Math.Abs(next - v);
                v = next;
                if (b - a <= 1e-15 * b) break;
            }
            previousStep = step;
        }
        return 1 / v - 1;
    }
}
