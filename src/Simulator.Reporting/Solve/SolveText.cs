using System.Globalization;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;

namespace Simulator.Reporting.Solve;

/// <summary>How a solve's numbers read in report.html, index.html and solve.png: the varied field in the unit its path
/// suggests (the sweep charts' rule: amounts in million CNY, shares in percent, anything else as written in the file) and
/// the figure in its key figure's unit, each from <see cref="FigureText"/> so that the page and the chart agree.</summary>
internal static class SolveText
{
    /// <summary>Half-width of a 95% interval in standard errors (the solver's own, rounded as the charts round it).</summary>
    internal const double Z95 = 1.96;

    /// <summary>The key figure the target names, for its unit; null when the scenario has no such figure (it always has,
    /// since the loader checked the name, but a figure of another build must not break a report).</summary>
    internal static KeyFigure? FigureOf(Scenario scenario, string name) =>
        scenario.Instruments().SelectMany(i => i.KeyFigures).Select(k => k.Figure).FirstOrDefault(f => f.Name == name);

    /// <summary>The varied field's axis: its label and the text of a value.</summary>
    internal static ComparisonFigures.PathAxis Axis(SolvePlan plan, SolveResult? result) =>
        ComparisonFigures.AxisFor(plan.Path, (result?.Evaluations.Select(e => e.Value) ?? []).Append(plan.Low).Append(plan.High));

    /// <summary>A value of the varied field with its unit: "118.09 M CNY", "12.5%", "15.135".</summary>
    internal static string Field(ComparisonFigures.PathAxis axis, double x)
    {
        if (!double.IsFinite(x)) return FigureText.NotAvailable;
        string text = axis.Format(x);
        return axis.Label.EndsWith($"({FigureText.MoneyUnit})", StringComparison.Ordinal) ? text + " M CNY" : text;
    }

    /// <summary>A value of the target's figure in its unit: "5.00%", "41.9 M CNY", "149.5×".</summary>
    internal static string Figure(KeyFigure? figure, double x)
    {
        if (!double.IsFinite(x)) return FigureText.NotAvailable;
        if (figure is null) return x.ToString("G6", CultureInfo.InvariantCulture);
        string text = FigureText.Value(figure.Unit, x);
        return figure.Unit == FigureUnit.Money ? text + " M CNY" : text;
    }

    /// <summary>"5.00% ± 0.15%": the figure and its standard error, both in the figure's unit.</summary>
    internal static string WithError(KeyFigure? figure, double x, double standardError) =>
        double.IsFinite(standardError) ? $"{Figure(figure, x)} ± {Figure(figure, standardError)}" : Figure(figure, x);

    /// <summary>The target's relation as a reader writes it: ≤, ≥ or =.</summary>
    internal static string Relation(SolvePlan plan) => plan.Target.Relation switch { SolveRelation.AtMost => "≤", SolveRelation.AtLeast => "≥", _ => "=" };

    /// <summary>What the solve asks, in words: "the smallest X in [lo, hi] with F ≤ v".</summary>
    internal static string Question(SolvePlan plan, ComparisonFigures.PathAxis axis, KeyFigure? figure, SolveResult? result)
    {
        var t = plan.Target;
        string relation = Relation(plan);
        string range = $"{plan.Path} in [{Field(axis, plan.Low)}, {Field(axis, plan.High)}]";
        if (t.Relation == SolveRelation.Equal) return $"the value of {range} at which {t.Figure} = {Figure(figure, t.Value)}";
        // Which end of the answer is wanted depends on how the figure moves, which only the evaluations tell.
        if (result is null || result.Status != SolveStatus.Solved) return $"the boundary of {range} where {t.Figure} {relation} {Figure(figure, t.Value)} starts to hold";
        return $"{(Solver.MeetsAbove(result) ? "the smallest" : "the largest")} {range} with {t.Figure} {relation} {Figure(figure, t.Value)}";
    }
}
