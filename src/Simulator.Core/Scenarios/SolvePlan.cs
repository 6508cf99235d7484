using System.Globalization;
using System.Text.RegularExpressions;

namespace Simulator.Core.Scenarios;

/// <summary>How a solve's figure must stand to its target value.</summary>
public enum SolveRelation
{
    /// <summary><c>figure &lt;= value</c>.</summary>
    AtMost,
    /// <summary><c>figure &gt;= value</c>.</summary>
    AtLeast,
    /// <summary><c>figure = value</c>.</summary>
    Equal,
}

/// <summary>A solve's target: a key figure, a relation and a value, e.g. <c>tech-sme.exhaustionProbability &lt;= 5%</c>.</summary>
/// <param name="Figure">A key figure's name (a column of comparison.csv).</param>
/// <param name="Relation">How the figure must stand to <paramref name="Value"/>.</param>
/// <param name="Value">The target value (a percentage written as such, 5%, is 0.05).</param>
public sealed partial record SolveTarget(string Figure, SolveRelation Relation, double Value)
{
    /// <summary>The relation as written: <c>&lt;=</c>, <c>&gt;=</c> or <c>=</c>.</summary>
    public string Operator => Relation switch { SolveRelation.AtMost => "<=", SolveRelation.AtLeast => ">=", _ => "=" };

    /// <inheritdoc />
    public override string ToString() => $"{Figure} {Operator} {Value.ToString("R", CultureInfo.InvariantCulture)}";

    [GeneratedRegex(@"^\s*(?<name>[^\s<>=≤≥]+)\s*(?<op><=|>=|==|=|≤|≥)\s*(?<value>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*(?<percent>%)?\s*$")]
    private static partial Regex Syntax();

    /// <summary>Parses <c>"&lt;figure&gt; &lt;= value"</c> (also <c>&gt;=</c>, <c>=</c>, ≤, ≥; a value may end in %), or says
    /// what is wrong with it.</summary>
    public static SolveTarget? Parse(string text, out string? problem)
    {
        var m = Syntax().Match(text);
        if (!m.Success)
        {
            problem = $"target '{text}' is not of the form \"<key-figure> <= value\" (or >=, =), e.g. \"tech-sme.exhaustionProbability <= 0.05\" or \"seed-a.breachProbability = 5%\"";
            return null;
        }
        double value = double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (m.Groups["percent"].Success) value /= 100;
        var relation = m.Groups["op"].Value switch
        {
            "<=" or "≤" => SolveRelation.AtMost,
            ">=" or "≥" => SolveRelation.AtLeast,
            _ => SolveRelation.Equal,
        };
        problem = null;
        return new SolveTarget(m.Groups["name"].Value, relation, value);
    }
}

/// <summary>A solve, checked: vary <paramref name="Path"/> over [<paramref name="Low"/>, <paramref name="High"/>] until the
/// figure meets <paramref name="Target"/>, every evaluation on the base's random numbers.</summary>
/// <param name="Path">The field varied, as written.</param>
/// <param name="Target">The target.</param>
/// <param name="Low">Lower end of the range.</param>
/// <param name="High">Upper end of the range.</param>
/// <param name="Tolerance">Bracket width at which to stop (null: (High − Low) / 10⁴, at least 1 for an integer field).</param>
/// <param name="Integer">Whether the field takes integers only (then every value tried is an integer).</param>
public sealed record SolvePlan(string Path, SolveTarget Target, double Low, double High, double? Tolerance, bool Integer);
