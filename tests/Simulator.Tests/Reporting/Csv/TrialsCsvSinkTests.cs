using System.Globalization;
using Simulator.Core.Engine;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Csv;

/// <summary>trials.csv's rows: each value's text as .NET's invariant formatting gives it, whatever path wrote it.</summary>
public class TrialsCsvSinkTests
{
    private const string Json = """
        { "name": "rows", "simulation": { "trials": 10, "seed": 1 },
          "funds": [ { "name": "a", "type": "seed", "commitment": 1e7, "deals": 4, "check": 1e6, "concession": 0.5 },
                     { "name": "b", "type": "direct", "commitment": 1e7, "deals": 4, "check": 1e6 } ] }
        """;

    /// <summary>
    /// The text the file promises for one value: empty for NaN; a whole number below 1e15 as that integer (in float
    /// columns too); else invariant "R", of the float for float columns.
    /// </summary>
    private static string Expected(double v, bool single) =>
        double.IsNaN(v) ? ""
        : v == Math.Round(v) && Math.Abs(v) < 1e15 && !(v == 0 && double.IsNegative(v)) ? ((long)v).ToString(CultureInfo.InvariantCulture)
        : single ? ((float)v).ToString("R", CultureInfo.InvariantCulture)
        : v.ToString("R", CultureInfo.InvariantCulture);

    [Test]
    public void Write_MixedAndRepeatedValues_WritesDotNetText()
    {
        // Whole numbers, −0, large and tiny magnitudes, NaN and plain fractions, with runs of equal neighbours (the
        // sink copies a repeated value's text) also across a float column and a double one with the same bits.
        var layout = new TrialLayout(TestScenarios.Load(Json));
        int columns = layout.Columns.Count, rows = 3000;
        var random = new Random(5);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(9) switch
            {
                0 => random.Next(-1000, 1000),
                1 => -0.0,
                2 => double.NaN,
                3 => random.NextDouble() * Math.Pow(10, random.Next(-30, 30)),
                4 => 1e15 * random.Next(1, 100_000),
                5 => i % columns > 0 ? values[i - 1] : 0.5,
                6 => i % columns > 1 ? values[i - 2] : 0.25,
                7 => (float)(2 * random.NextDouble() - 1),
                _ => random.NextDouble(),
            };
        }
        using var temp = new TempDirectory("simulator-trials-rows");
        string path = Path.Combine(temp.Path, "trials.csv");
        using (var sink = new TrialsCsvSink(path))
        {
            sink.Begin(layout);
            sink.Write(1, values.AsSpan(0, 1000 * columns), columns);
            sink.Write(1001, values.AsSpan(1000 * columns), columns);
            sink.Complete();
        }

        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(rows + 1));
        for (int r = 0; r < rows; r++)
        {
            var expected = string.Join(",", Enumerable.Range(0, layout.CsvCount)
                .Select(c => Expected(values[r * columns + c], layout.IsSinglePrecision(c))).Prepend((r + 1).ToString(CultureInfo.InvariantCulture)));
            Assert.That(lines[r + 1], Is.EqualTo(expected), $"row {r + 1}");
        }
    }
}
