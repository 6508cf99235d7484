using System.Globalization;
using System.Text.Json.Nodes;
using Simulator.Core.Scenarios;

namespace Simulator.Core.Studies;

/// <summary>Why an evaluation of a solve was made.</summary>
public enum SolveStep
{
    /// <summary>One end of the range.</summary>
    End,
    /// <summary>A step of the root-finding.</summary>
    Search,
    /// <summary>A point either side of the solution for the local slope.</summary>
    Slope,
}

/// <summary>One evaluation of a solve: the field at <paramref name="Value"/> and the figure there, on the base's random numbers.</summary>
/// <param name="Number">1, 2, … in the order made.</param>
/// <param name="Step">Why it was made.</param>
/// <param name="Value">The field's value.</param>
/// <param name="Figure">The figure's value.</param>
/// <param name="StandardError">The figure's Monte Carlo standard error at this value.</param>
/// <param name="Meets">Whether the figure meets the target here.</param>
public sealed record SolveEvaluation(int Number, SolveStep Step, double Value, double Figure, double StandardError, bool Meets);

/// <summary>How a solve ended.</summary>
public enum SolveStatus
{
    /// <summary>The figure crosses the target in the range: a solution.</summary>
    Solved,
    /// <summary>The figure does not cross the target in the range (it is met at both ends, or at neither).</summary>
    Unreachable,
}

/// <summary>
/// A solve's answer. For <c>&lt;=</c> and <c>&gt;=</c> the solution is the end of the final bracket where the target is met
/// (the smallest or largest value that meets it, to within the tolerance); for <c>=</c> the interpolation between the
/// bracket's ends. The interval is the delta method's: solution ± 1.96 · SE(figure) / |slope|, with the slope measured
/// on the same random numbers across a span where the figure moves by several standard errors.
/// </summary>
/// <param name="Plan">What was solved.</param>
/// <param name="Status">Solved, or unreachable in the range.</param>
/// <param name="Solution">The field's value (NaN when unreachable).</param>
/// <param name="Figure">The figure at the solution.</param>
/// <param name="StandardError">Its standard error.</param>
/// <param name="Slope">d figure / d field near the solution (NaN when unreachable).</param>
/// <param name="Low95">Lower end of the 95% interval of the solution.</param>
/// <param name="High95">Upper end.</param>
/// <param name="Bracket">The final bracket (the last values on either side of the crossing).</param>
/// <param name="Direction">+1 when the figure rises with the field, −1 when it falls, 0 when it does not move between the ends.</param>
/// <param name="Monotone">Whether the evaluations, in the field's order, move the figure in one direction only.</param>
/// <param name="Trials">Trials of every evaluation.</param>
/// <param name="Evaluations">Every evaluation made, in order.</param>
/// <param name="Message">What the answer means, in words (or why there is none).</param>
public sealed record SolveResult(SolvePlan Plan, SolveStatus Status, double Solution, double Figure, double StandardError, double Slope, double Low95, double High95,
    (double Low, double High) Bracket, int Direction, bool Monotone, long Trials, IReadOnlyList<SolveEvaluation> Evaluations, string Message);

/// <summary>A setting the solve tried that the scenario refuses (e.g. a value that breaks a rule across fields).</summary>
public sealed class SolveException(string message) : Exception(message);

/// <summary>
/// Solves for a setting on common random numbers: the value of one numeric field at which a key figure meets a target
/// (e.g. the smallest pool budget with P(exhausted) ≤ 5%). Every evaluation is a <see cref="WhatIf"/> setting, i.e. a
/// variant run on the base's random numbers and trial count (a tolerance-only move rewrites the base's rows, no new
/// trials), so the figure is a deterministic function of the field that is monotone wherever the model is. The root is
/// bracketed from the range's ends and found by regula falsi with the Illinois modification, falling back to bisection
/// whenever the bracket has not halved in two steps (a probability on finitely many trials is a step function, on which
/// the secant alone can stall). The CLI (<c>simulator solve</c>, a file's <c>solve</c> block) and any other host share it.
/// </summary>
public static class Solver
{
    /// <summary>The most evaluations of the search (the ends and the slope's points not counted).</summary>
    public const int MaxSearchEvaluations = 60;

    /// <summary>The 97.5% normal quantile of a two-sided 95% interval.</summary>
    private const double Z95 = 1.959963984540054;

    /// <summary>Runs <paramref name="plan"/> against <paramref name="whatIf"/>'s base; <paramref name="evaluated"/> hears of each
    /// evaluation as it is made.</summary>
    public static SolveResult Solve(WhatIf whatIf, SolvePlan plan, Action<SolveEvaluation>? evaluated = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        ArgumentNullException.ThrowIfNull(plan);
        var run = new Evaluations(whatIf, plan, evaluated, cancellation);
        double lo = plan.Low, hi = plan.High;
        var a = run.At(lo, SolveStep.End);
        var b = run.At(hi, SolveStep.End);
        int direction = Math.Sign(b.Figure - a.Figure);
        long trials = whatIf.Base.Trials;
        if (!Crosses(plan.Target, a, b))
        {
            return new SolveResult(plan, SolveStatus.Unreachable, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, (lo, hi), direction,
                run.Monotone(direction), trials, run.All, Unreachable(plan, a, b));
        }

        // (x, g) with g = figure − target: "out" does not meet the target, "in" meets it (for "=", the two signs of g).
        var (outside, inside) = plan.Target.Relation == SolveRelation.Equal
            ? (a.Figure < plan.Target.Value ? (a, b) : (b, a))
            : (a.Meets ? (b, a) : (a, b));
        double tolerance = Tolerance(plan);
        double go = outside.Figure - plan.Target.Value, gi = inside.Figure - plan.Target.Value;
        int retained = 0; // which end the last two steps kept (Illinois halves its g when it is kept twice)
        var widths = new List<double> { Math.Abs(inside.Value - outside.Value) };
        bool exact = gi == 0 && plan.Target.Relation == SolveRelation.Equal;
        while (!exact && Math.Abs(inside.Value - outside.Value) > tolerance && run.SearchCount < MaxSearchEvaluations)
        {
            double x0 = outside.Value, x1 = inside.Value, width = Math.Abs(x1 - x0);
            double x;
            // Bisection whenever the secant has not halved the bracket in two steps, or the secant is undefined.
            if (widths.Count >= 3 && width > widths[^3] / 2 || go == gi || !double.IsFinite(go) || !double.IsFinite(gi)) x = (x0 + x1) / 2;
            else
            {
                x = x1 - gi * (x1 - x0) / (gi - go);
                // Keep the step inside the bracket, away from its ends, so that every step shrinks it.
                double margin = width / 20;
                double low = Math.Min(x0, x1) + margin, high = Math.Max(x0, x1) - margin;
                x = Math.Clamp(x, low, high);
            }
            if (plan.Integer)
            {
                x = Math.Round(x, MidpointRounding.ToEven);
                double low = Math.Min(x0, x1), high = Math.Max(x0, x1);
                if (x <= low) x = low + 1;
                if (x >= high) x = high - 1;
            }
            var e = run.At(x, SolveStep.Search);
            double g = e.Figure - plan.Target.Value;
            bool inSide = plan.Target.Relation == SolveRelation.Equal ? Math.Sign(g) == Math.Sign(gi) || g == 0 : e.Meets;
            if (plan.Target.Relation == SolveRelation.Equal && g == 0)
            {
                inside = e;
                gi = 0;
                exact = true;
                break;
            }
            if (inSide)
            {
                inside = e;
                gi = g;
                if (retained == -1) go /= 2; // the outside end was kept twice: Illinois
                retained = -1;
            }
            else
            {
                outside = e;
                go = g;
                if (retained == 1) gi /= 2;
                retained = 1;
            }
            widths.Add(Math.Abs(inside.Value - outside.Value));
        }

        double solution = inside.Value;
        if (plan.Target.Relation == SolveRelation.Equal && !exact && !plan.Integer)
        {
            double fi = inside.Figure - plan.Target.Value, fo = outside.Figure - plan.Target.Value;
            if (fi != fo) solution = inside.Value - fi * (inside.Value - outside.Value) / (fi - fo);
        }
        var at = solution == inside.Value ? inside : run.At(solution, SolveStep.Search);
        double slope = Slope(run, plan, at, direction, tolerance);
        double half = slope != 0 && double.IsFinite(slope) ? Z95 * at.StandardError / Math.Abs(slope) : double.PositiveInfinity;
        var result = new SolveResult(plan, SolveStatus.Solved, solution, at.Figure, at.StandardError, slope, solution - half, solution + half,
            (Math.Min(inside.Value, outside.Value), Math.Max(inside.Value, outside.Value)), direction, run.Monotone(direction), trials, run.All, "");
        return result with { Message = Answer(result) };
    }

    /// <summary>Whether the figure crosses the target between the ends <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static bool Crosses(SolveTarget target, SolveEvaluation a, SolveEvaluation b) => target.Relation == SolveRelation.Equal
        ? Math.Sign(a.Figure - target.Value) * Math.Sign(b.Figure - target.Value) <= 0
        : a.Meets != b.Meets;

    private static double Tolerance(SolvePlan plan)
    {
        double t = plan.Tolerance ?? (plan.High - plan.Low) / 1e4;
        return plan.Integer ? Math.Max(1, Math.Ceiling(t)) : t;
    }

    /// <summary>
    /// The figure's slope at the solution: a centred difference over ± h, with h the smallest span (from the evaluations
    /// made, doubled at most six times) at which the figure lies at least 1.96 standard errors from the target on
    /// both sides, or the range's ends. Narrower, the slope of a probability on finitely many trials would be mostly the
    /// luck of where its steps fall (one trial more or less), and a single step can be taller than the figure's error;
    /// across this span the secant is the slope the delta method needs (the figure moves by about its own 95% band).
    /// The difference is paired, so its own noise is far smaller than the figure's.
    /// </summary>
    private static double Slope(Evaluations run, SolvePlan plan, SolveEvaluation at, int direction, double tolerance)
    {
        double x = at.Value, v = plan.Target.Value, se = double.IsFinite(at.StandardError) ? at.StandardError : 0;
        // Away from the target by the band, on the side the figure lies on there (below it where it rises, above where it falls).
        bool Below(SolveEvaluation e) => v - e.Figure >= Z95 * se && e.Figure < v;
        bool Above(SolveEvaluation e) => e.Figure - v >= Z95 * se && e.Figure > v;
        bool LeftFar(SolveEvaluation e) => direction > 0 ? Below(e) : Above(e);
        bool RightFar(SolveEvaluation e) => direction > 0 ? Above(e) : Below(e);
        var left = run.All.Where(e => e.Value < x && LeftFar(e)).Select(e => x - e.Value).DefaultIfEmpty(x - plan.Low).Min();
        var right = run.All.Where(e => e.Value > x && RightFar(e)).Select(e => e.Value - x).DefaultIfEmpty(plan.High - x).Min();
        double h = Math.Max(Math.Max(left, right), tolerance);
        if (plan.Integer) h = Math.Max(1, Math.Ceiling(h));
        double slope = 0;
        for (int k = 0; k < 7; k++)
        {
            double xl = Math.Max(plan.Low, x - h), xr = Math.Min(plan.High, x + h);
            if (plan.Integer)
            {
                xl = Math.Ceiling(xl);
                xr = Math.Floor(xr);
            }
            var l = xl == x ? at : run.At(xl, SolveStep.Slope);
            var r = xr == x ? at : run.At(xr, SolveStep.Slope);
            slope = xr > xl ? (r.Figure - l.Figure) / (xr - xl) : 0;
            bool ends = xl <= plan.Low && xr >= plan.High;
            if ((LeftFar(l) || xl <= plan.Low) && (RightFar(r) || xr >= plan.High) && slope != 0 || ends) break;
            h *= 2;
        }
        return slope;
    }

    private static string Unreachable(SolvePlan plan, SolveEvaluation a, SolveEvaluation b)
    {
        var t = plan.Target;
        string ends = $"{t.Figure} is {Text(a.Figure)} ± {Text(a.StandardError)} at {plan.Path} = {Text(a.Value)} and {Text(b.Figure)} ± {Text(b.StandardError)} at {Text(b.Value)}";
        string why = t.Relation == SolveRelation.Equal
            ? $"both are on the same side of {Text(t.Value)}"
            : a.Meets ? $"both meet {t.Figure} {t.Operator} {Text(t.Value)}: the boundary lies outside the range"
            : $"neither meets {t.Figure} {t.Operator} {Text(t.Value)}";
        return $"the target {t} cannot be reached in the range [{Text(plan.Low)}, {Text(plan.High)}]: {ends}; {why}. Widen the range or change the target";
    }

    private static string Answer(SolveResult r)
    {
        var t = r.Plan.Target;
        string which = t.Relation switch
        {
            SolveRelation.Equal => $"{t.Figure} = {Text(t.Value)}",
            _ when MeetsAbove(r) => $"the smallest {r.Plan.Path} with {t.Figure} {t.Operator} {Text(t.Value)}",
            _ => $"the largest {r.Plan.Path} with {t.Figure} {t.Operator} {Text(t.Value)}",
        };
        string interval = double.IsFinite(r.Low95) ? $"95% interval {Text(r.Low95)} to {Text(r.High95)}" : "no interval: the figure does not move near the solution";
        string at = t.Relation == SolveRelation.Equal ? $"{r.Plan.Path} = {Text(r.Solution)}" : $"{which}: {Text(r.Solution)}";
        return $"{at} ({interval}; {t.Figure} there {Text(r.Figure)} ± {Text(r.StandardError)}, {r.Evaluations.Count} evaluations of {r.Trials:N0} trials)";
    }

    /// <summary>Whether the target is met above the solution (raising the field meets it): the answer is then a smallest value.</summary>
    public static bool MeetsAbove(SolveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // For "<=" a falling figure meets the target above the crossing; for ">=" a rising one.
        return result.Plan.Target.Relation == SolveRelation.AtMost ? result.Direction < 0 : result.Direction > 0;
    }

    private static string Text(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The evaluations of one solve, each value evaluated once.</summary>
    private sealed class Evaluations(WhatIf whatIf, SolvePlan plan, Action<SolveEvaluation>? evaluated, CancellationToken cancellation)
    {
        private readonly List<SolveEvaluation> _all = [];

        public IReadOnlyList<SolveEvaluation> All => _all;

        public int SearchCount => _all.Count(e => e.Step == SolveStep.Search);

        public SolveEvaluation At(double value, SolveStep step)
        {
            if (_all.FirstOrDefault(e => e.Value == value) is { } known) return known;
            cancellation.ThrowIfCancellationRequested();
            JsonNode node = plan.Integer ? JsonValue.Create((long)value) : JsonValue.Create(value);
            var (outcome, errors) = whatIf.Evaluate([new KeyValuePair<string, JsonNode?>(plan.Path, node)], cancellation);
            if (outcome is null)
                throw new SolveException($"{plan.Path} = {Text(value)} cannot be evaluated: {string.Join("; ", errors.Select(e => e.Message))}");
            var figure = outcome.Figures.First(f => f.Figure.Name == plan.Target.Figure);
            double f = figure.Estimate.Value;
            bool meets = plan.Target.Relation switch
            {
                SolveRelation.AtMost => f <= plan.Target.Value,
                SolveRelation.AtLeast => f >= plan.Target.Value,
                _ => f == plan.Target.Value,
            };
            var e = new SolveEvaluation(_all.Count + 1, step, value, f, figure.Estimate.StandardError, meets);
            _all.Add(e);
            evaluated?.Invoke(e);
            return e;
        }

        /// <summary>Whether the figure, in the order of the field's values, never moves against <paramref name="direction"/>.</summary>
        public bool Monotone(int direction)
        {
            var sorted = _all.OrderBy(e => e.Value).ToList();
            for (int i = 1; i < sorted.Count; i++)
            {
                double step = sorted[i].Figure - sorted[i - 1].Figure;
                if (direction >= 0 && step < 0 || direction <= 0 && step > 0) return false;
            }
            return true;
        }
    }
}
