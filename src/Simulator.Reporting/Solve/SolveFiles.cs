using System.Globalization;
using System.Text;
using System.Text.Json;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;

namespace Simulator.Reporting.Solve;

/// <summary>
/// The result files of a solve, beside the base's in its result folder: <c>solve.json</c> (the answer, its interval, the
/// slope and every evaluation), <c>solve.csv</c> (one row per evaluation) and <c>solve.png</c>, and the console table. Numbers are
/// written in the shortest form that reads back to the same double; a value that does not exist is null in JSON and
/// an empty cell in CSV.
/// </summary>
public static class SolveFiles
{
    /// <summary>The file names.</summary>
    public const string Json = "solve.json", Csv = "solve.csv";

    /// <summary>Writes solve.json and solve.csv into <paramref name="folder"/>, and with <paramref name="scenario"/> (the base
    /// the solve ran on: its title and the target's unit) the chart solve.png.</summary>
    public static void Write(SolveResult result, string folder, Scenario? scenario = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using (var stream = File.Create(Path.Combine(folder, Json))) WriteJson(result, stream);
        File.WriteAllText(Path.Combine(folder, Csv), ToCsv(result), new UTF8Encoding(false));
        if (scenario is not null)
            SolveChart.Write(result, scenario.Title, SolveText.FigureOf(scenario, result.Plan.Target.Figure), Path.Combine(folder, SolveChart.FileName));
    }

    /// <summary>solve.csv: <c>evaluation,step,value,figure,standardError,meetsTarget</c>, in the order made.</summary>
    public static string ToCsv(SolveResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var b = new StringBuilder("evaluation,step,value,figure,standardError,meetsTarget\n");
        foreach (var e in result.Evaluations)
            b.Append(CultureInfo.InvariantCulture, $"{e.Number},{Step(e.Step)},{Cell(e.Value)},{Cell(e.Figure)},{Cell(e.StandardError)},{(e.Meets ? "true" : "false")}\n");
        return b.ToString();
    }

    /// <summary>Writes solve.json to <paramref name="stream"/>.</summary>
    public static void WriteJson(SolveResult result, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var w = new Utf8JsonWriter(stream, Formats.Writer);
        var plan = result.Plan;
        w.WriteStartObject();
        w.WriteString("vary", plan.Path);
        w.WriteStartObject("target");
        w.WriteString("figure", plan.Target.Figure);
        w.WriteString("relation", plan.Target.Operator);
        Number(w, "value", plan.Target.Value);
        w.WriteEndObject();
        Pair(w, "range", plan.Low, plan.High);
        w.WriteBoolean("integer", plan.Integer);
        w.WriteNumber("trials", result.Trials);
        w.WriteString("status", result.Status == SolveStatus.Solved ? "solved" : "unreachable");
        Number(w, "solution", result.Solution);
        Pair(w, "interval95", result.Low95, result.High95);
        Number(w, "figure", result.Figure);
        Number(w, "figureStandardError", result.StandardError);
        Number(w, "slope", result.Slope);
        Pair(w, "bracket", result.Bracket.Low, result.Bracket.High);
        w.WriteString("direction", result.Direction > 0 ? "rising" : result.Direction < 0 ? "falling" : "flat");
        w.WriteBoolean("monotone", result.Monotone);
        w.WriteString("answer", result.Message);
        w.WriteStartArray("evaluations");
        foreach (var e in result.Evaluations)
        {
            w.WriteStartObject();
            w.WriteNumber("evaluation", e.Number);
            w.WriteString("step", Step(e.Step));
            Number(w, "value", e.Value);
            Number(w, "figure", e.Figure);
            Number(w, "standardError", e.StandardError);
            w.WriteBoolean("meetsTarget", e.Meets);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>The console table: each evaluation in the field's order, then the answer.</summary>
    public static void WriteConsole(TextWriter w, SolveResult result)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        var plan = result.Plan;
        w.WriteLine($"  solve: {plan.Path} in [{Text(plan.Low)}, {Text(plan.High)}] for {plan.Target.Figure} {plan.Target.Operator} {Text(plan.Target.Value)}, on the base's random numbers ({result.Trials:N0} trials each):");
        w.WriteLine($"  {"#",3}  {"step",-6}  {plan.Path.Split('.')[^1],16}  {plan.Target.Figure.Split('.')[^1],24}  {"± SE",12}  meets");
        foreach (var e in result.Evaluations.OrderBy(e => e.Value))
            w.WriteLine($"  {e.Number,3}  {Step(e.Step),-6}  {Text(e.Value),16}  {Text(e.Figure),24}  {Text(e.StandardError),12}  {(e.Meets ? "yes" : "no")}");
        if (result.Status == SolveStatus.Solved && !result.Monotone)
            w.WriteLine("  warning: the figure is not monotone in the field across these evaluations; the answer is one crossing of several");
        w.WriteLine($"  -> {result.Message}");
    }

    internal static string Step(SolveStep step) => step switch { SolveStep.End => "end", SolveStep.Search => "search", _ => "slope" };

    private static string Text(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G6", CultureInfo.InvariantCulture);

    private static string Cell(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    private static void Pair(Utf8JsonWriter w, string name, double a, double b)
    {
        w.WriteStartArray(name);
        foreach (var x in new[] { a, b })
        {
            if (double.IsFinite(x)) w.WriteNumberValue(x);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }
}
