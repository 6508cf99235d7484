using System.Text;
using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;

namespace Simulator.Reporting.Solve;

/// <summary>
/// What report.html and index.html show of a scenario's "solve" block: the solve's result, or, when it was not run
/// (a merge of shards has no trials to solve on), why not and the command that runs it.
/// </summary>
/// <param name="Plan">The block: the field varied, the target, the range.</param>
/// <param name="Result">The solve, or null when it was not run.</param>
/// <param name="NotRun">Why it was not run (null when it was).</param>
/// <param name="Command">The command that runs it on one machine (null when it was run).</param>
public sealed record SolveReport(SolvePlan Plan, SolveResult? Result, string? NotRun = null, string? Command = null)
{
    /// <summary>A solve that was run.</summary>
    public static SolveReport Of(SolveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Plan, result);
    }

    /// <summary>The short answer of index.html's column: "118.09 M CNY (116.78 M CNY to 119.4 M CNY)", "not reached in the
    /// range", "not run (shards)".</summary>
    public string Headline(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var axis = SolveText.Axis(Plan, Result);
        string field = Plots.ComparisonFigures.Leaf(Plan.Path);
        if (Result is null) return $"{field}: not run (shards)";
        if (Result.Status != SolveStatus.Solved) return $"{field}: target not reached in the range";
        return $"{field} = {SolveText.Field(axis, Result.Solution)} (95%: {SolveText.Field(axis, Result.Low95)} to {SolveText.Field(axis, Result.High95)})";
    }
}

/// <summary>
/// report.html's "Solved for a setting" section (<see cref="SolveReport"/>): the question, the answer with its 95%
/// interval, whether the target was reached (with the figure ± SE at both ends of the range when it was not), whether
/// the figure was monotone across the evaluations, solve.png and the table of every evaluation. Every number is the
/// solve's own (solve.json holds them at full precision).
/// </summary>
internal static class SolveSection
{
    /// <summary>The section's id, the target of the table of contents' link.</summary>
    internal const string Id = "solve";

    /// <summary>The section's heading.</summary>
    internal const string Heading = "Solved for a setting";

    /// <summary>The headline card of the key figures: the answer first, as the question the run was made to answer.</summary>
    internal static (string Label, string Value, string Detail) Card(SolveReport solve, SimulationResult result)
    {
        var plan = solve.Plan;
        var figure = SolveText.FigureOf(result.Scenario, plan.Target.Figure);
        var axis = SolveText.Axis(plan, solve.Result);
        string label = $"Solved: {Plots.ComparisonFigures.Leaf(plan.Path)} for {plan.Target.Figure} {Relation(plan)} {SolveText.Figure(figure, plan.Target.Value)}";
        if (solve.Result is not { } r) return (label, "not run", solve.NotRun ?? "");
        if (r.Status != SolveStatus.Solved)
            return (label, "not reached", $"in the range [{SolveText.Field(axis, plan.Low)}, {SolveText.Field(axis, plan.High)}]; see below");
        string interval = double.IsFinite(r.Low95) ? $"95% interval {SolveText.Field(axis, r.Low95)} to {SolveText.Field(axis, r.High95)}" : "no interval";
        return (label, SolveText.Field(axis, r.Solution), $"{interval}; {plan.Target.Figure} there {SolveText.WithError(figure, r.Figure, r.StandardError)}");
    }

    /// <summary>The section's body (after its heading).</summary>
    internal static string Render(SolveReport solve, SimulationResult result, string folder, Func<PlotInfo, string> chart)
    {
        var plan = solve.Plan;
        var figure = SolveText.FigureOf(result.Scenario, plan.Target.Figure);
        var axis = SolveText.Axis(plan, solve.Result);
        var sb = new StringBuilder();
        sb.Append("<p><b>Question:</b> ").Append(HtmlText.Encode(SolveText.Question(plan, axis, figure, solve.Result)))
            .Append(", every evaluation a run of the scenario with the field set to one value, on the base's random numbers.</p>\n");
        if (solve.Result is not { } r)
        {
            sb.Append("<p class=\"missing\"><b>Not run:</b> ").Append(HtmlText.Encode(solve.NotRun)).Append("</p>\n");
            if (solve.Command is { } command)
                sb.Append("<p>Run it on one machine with</p>\n<pre><code>").Append(HtmlText.Encode(command)).Append("</code></pre>\n")
                    .Append("<p class=\"note\">It runs the base again, then each evaluation on the base's random numbers, and writes solve.csv, solve.json and solve.png "
                        + "beside the base's results and this section with the answer; the base's results are those of this folder.</p>\n");
            return sb.ToString();
        }

        var t = plan.Target;
        var items = new List<string>();
        if (r.Status == SolveStatus.Solved)
        {
            string which = t.Relation == SolveRelation.Equal ? $"{plan.Path} at which {t.Figure} = {SolveText.Figure(figure, t.Value)}"
                : $"{(Solver.MeetsAbove(r) ? "the smallest" : "the largest")} {plan.Path} with {t.Figure} {Relation(plan)} {SolveText.Figure(figure, t.Value)}";
            sb.Append("<p class=\"answer\"><b>Answer:</b> ").Append(HtmlText.Encode(which)).Append(" is <b>").Append(HtmlText.Encode(SolveText.Field(axis, r.Solution)))
                .Append("</b>, 95% interval ").Append(HtmlText.Encode(double.IsFinite(r.Low95) ? $"{SolveText.Field(axis, r.Low95)} to {SolveText.Field(axis, r.High95)}" : "none (the figure does not move near the solution)"))
                .Append("; there ").Append(HtmlText.Encode($"{t.Figure} is {SolveText.WithError(figure, r.Figure, r.StandardError)}")).Append(".</p>\n");
            var low = Ends(r).Low;
            var high = Ends(r).High;
            items.Add($"Status: reached. The target is met at one end of the range and not at the other ({t.Figure} {EndText(low, figure, axis)}, {EndText(high, figure, axis)}); "
                + $"the search stopped with the crossing between {SolveText.Field(axis, r.Bracket.Low)} and {SolveText.Field(axis, r.Bracket.High)}.");
            items.Add(double.IsFinite(r.Low95)
                ? $"Interval: the solution ± 1.96 × SE of the figure there ({SolveText.Figure(figure, r.StandardError)}) ÷ its slope ({Slope(r, figure, axis)}), "
                    + "the slope measured on the same random numbers across a span where the figure moves by about its own 95% band. It is the Monte Carlo error of the answer, not the search's tolerance."
                : "Interval: none, since the figure does not move near the solution (its slope there is zero).");
        }
        else
        {
            var (low, high) = Ends(r);
            sb.Append("<p class=\"answer missing\"><b>Answer: none in the range.</b> ").Append(HtmlText.Encode(
                    $"{t.Figure} is {EndText(low, figure, axis)} and {EndText(high, figure, axis)}: "
                    + (t.Relation == SolveRelation.Equal ? $"both on the same side of {SolveText.Figure(figure, t.Value)}."
                        : low.Meets ? $"both meet the target, so the boundary lies outside the range." : "neither meets the target."))
                ).Append(" Widen the range or change the target.</p>\n");
            items.Add($"Status: unreachable in [{SolveText.Field(axis, plan.Low)}, {SolveText.Field(axis, plan.High)}]; the run exits with code 2 and solve.json says \"unreachable\".");
        }
        string direction = r.Direction > 0 ? "rises" : r.Direction < 0 ? "falls" : "does not move";
        items.Add(r.Monotone
            ? $"Monotone: across all {r.Evaluations.Count} evaluations, taken in the order of the field, the figure never moves against the way it goes from one end to the other (it {direction} as {Plots.ComparisonFigures.Leaf(plan.Path)} rises), so the answer is the one crossing."
            : $"Not monotone: across the {r.Evaluations.Count} evaluations the figure moves both ways as {Plots.ComparisonFigures.Leaf(plan.Path)} rises, so the answer is one crossing of several; look at the chart.");
        items.Add($"Evaluations: {r.Evaluations.Count}, each of {FigureText.Integer(r.Trials)} trials on the base's random numbers, so the figure is a smooth, deterministic function of the field "
            + "and the differences between evaluations are the setting's effect, not noise. The exact numbers are in solve.json and solve.csv.");
        sb.Append("<ul class=\"method\">\n");
        foreach (var item in items) sb.Append("<li>").Append(HtmlText.Encode(item)).Append("</li>\n");
        sb.Append("</ul>\n");

        if (File.Exists(Path.Combine(folder, SolveChart.FileName)))
        {
            sb.Append(chart(new PlotInfo(SolveChart.FileName, $"{t.Figure} against {Plots.ComparisonFigures.Leaf(plan.Path)}",
                "Each point: the figure at one evaluation (green: meets the target; orange: does not), with its 95% interval; the dashed red line is the target"
                + (r.Status == SolveStatus.Solved ? "; the black line is the solution and the grey band its 95% interval" : "")
                + (SolveChart.Zoom(r) is not null ? ". The lower panel enlarges the window around the solution." : "."), false)));
        }

        var table = new HtmlTable(new Column("#", true, "The order in which the evaluations were made"), new Column("Step", false, "end: an end of the range; search: a step of the root-finding; slope: a point for the slope"),
            new Column(axis.Label, true), new Column(t.Figure, true), new Column("± SE", true, "Monte Carlo standard error of the figure"),
            new Column("Meets target", false, $"{t.Figure} {Relation(plan)} {SolveText.Figure(figure, t.Value)}")) { Id = "solve-evaluations" };
        foreach (var e in r.Evaluations.OrderBy(e => e.Value))
        {
            bool solution = r.Status == SolveStatus.Solved && e.Value == r.Solution;
            table.Row([Cell.Number(e.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Number), Cell.Text(SolveFiles.Step(e.Step)),
                Cell.Number(axis.Format(e.Value), e.Value), Cell.Number(SolveText.Figure(figure, e.Figure), e.Figure),
                Cell.Number(SolveText.Figure(figure, e.StandardError), e.StandardError), Cell.Text(e.Meets ? "yes" : "no")], solution ? "total" : null);
        }
        sb.Append("<h3>Evaluations</h3>\n").Append(table.Render());
        if (r.Status == SolveStatus.Solved)
            sb.Append("<p class=\"note\">In the field's order; the row in bold is the solution. solve.json's answer, at full precision: ").Append(HtmlText.Encode(r.Message)).Append(".</p>\n");
        return sb.ToString();
    }

    /// <summary>The evaluations at the range's ends (the solver makes them first).</summary>
    private static (SolveEvaluation Low, SolveEvaluation High) Ends(SolveResult r)
    {
        var ends = r.Evaluations.Where(e => e.Step == SolveStep.End).OrderBy(e => e.Value).ToList();
        var sorted = ends.Count == 2 ? ends : [.. r.Evaluations.OrderBy(e => e.Value)];
        return (sorted[0], sorted[^1]);
    }

    private static string EndText(SolveEvaluation e, Core.Instruments.KeyFigure? figure, Plots.ComparisonFigures.PathAxis axis) =>
        $"{SolveText.WithError(figure, e.Figure, e.StandardError)} at {SolveText.Field(axis, e.Value)}";

    private static string Slope(SolveResult r, Core.Instruments.KeyFigure? figure, Plots.ComparisonFigures.PathAxis axis)
    {
        // Per unit of the field as the axis shows it: per million CNY for an amount, else per unit of the field.
        bool money = axis.Label.EndsWith($"({FigureText.MoneyUnit})", StringComparison.Ordinal);
        double per = money ? r.Slope * FigureText.Million : r.Slope;
        string unit = money ? "per million CNY" : "per unit of the field";
        string text = figure is { Unit: Core.Instruments.FigureUnit.Probability }
            ? FigureText.Spread(Core.Instruments.FigureUnit.Probability, Math.Abs(per))
            : Math.Abs(per).ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
        return $"{(per < 0 ? "−" : "+")}{text} {unit}";
    }

    private static string Relation(SolvePlan plan) => SolveText.Relation(plan);
}
