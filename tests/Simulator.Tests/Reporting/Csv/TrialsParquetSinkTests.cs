using System.Globalization;
using DuckDB.NET.Data;
using Simulator.Core.Engine;
using Simulator.Reporting.Csv;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Csv;

/// <summary>
/// trials.parquet read back by an independent reader (DuckDB, not Parquet.Net that wrote it) equals trials.csv value
/// for value: the same columns in the same order, the same doubles bit for bit, the same floats for the float columns,
/// null where trials.csv has an empty cell.
/// </summary>
public class TrialsParquetSinkTests
{
    // Funds (float return columns; the direct fund's government class has a 0% share, so its return figures are
    // undefined: empty cells), the programme, a scheme with a guarantor and one without (its capital is empty).
    private const string Json = """
        { "name": "columnar", "simulation": { "trials": 5000, "seed": 11 },
          "factors": [ { "name": "macro", "persistence": 0.5 } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 2e7, "deals": 8, "check": 1e6, "exposure": { "macro": 0.5 },
                       "fees": { "management": 0.02, "carry": 0.2, "hurdle": 0.08 }, "concession": 0.5 },
                     { "name": "d", "type": "direct", "commitment": 1e7, "deals": 4, "check": 1e6, "tolerance": 0.9, "governmentShare": 0 } ],
          "guarantees": [ { "name": "g", "loans": { "perYear": 20, "years": 2, "amount": { "lognormal": { "median": 1e6, "sigma": 0.5 } },
                                                    "termYears": 2, "pd": 0.05, "lgd": 0.6, "exposure": { "macro": 0.4 } },
                            "shares": { "guarantor": 0.4, "reGuarantee": 0.2, "bank": 0.2, "government": 0.2 },
                            "guarantor": { "capital": 4e6 }, "government": { "budget": 5e5 } },
                          { "name": "h", "loans": { "perYear": 10, "years": 1, "amount": 1e6, "termYears": 1, "pd": 0.1, "lgd": 0.5 },
                            "shares": { "bank": 0.5, "government": 0.5 } } ] }
        """;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("simulator-parquet");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Write_RunOfFundsAndSchemes_DuckDbReadsTrialsCsvValues()
    {
        var scenario = TestScenarios.Load(Json);
        string csv = Path.Combine(_temp.Path, "trials.csv"), parquet = Path.Combine(_temp.Path, "trials.parquet");
        // Row groups of 1,024 rows: five groups, the last one shorter, written across the engine's blocks.
        using (var csvSink = new TrialsCsvSink(csv))
        using (var parquetSink = new TrialsParquetSink(parquet) { GroupRows = 1024 })
        {
            TestScenarios.Run(scenario, 2, csvSink, parquetSink);
        }
        var layout = new TrialLayout(scenario);
        Assert.That(Enumerable.Range(0, layout.CsvCount).Any(layout.IsSinglePrecision), Is.True, "the scenario has float columns");
        var table = AssertSameTable(csv, parquet, layout, Enumerable.Range(0, layout.CsvCount).ToList());
        Assert.That(table.Nulls, Is.GreaterThan(0), "the scenario has undefined values (empty cells)");
        Assert.That(Scalar<long>($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{parquet}')"), Is.EqualTo(5));
        Assert.That(Scalar<string>($"SELECT string_agg(DISTINCT compression, ',') FROM parquet_metadata('{parquet}')"), Is.EqualTo("SNAPPY"));
    }

    [Test]
    public void Write_KeyColumns_DuckDbReadsTrialsCsvKeyValues()
    {
        var scenario = TestScenarios.Load(Json);
        string csv = Path.Combine(_temp.Path, "trials.csv"), parquet = Path.Combine(_temp.Path, "trials.parquet");
        using (var csvSink = new TrialsCsvSink(csv, TrialsCsvColumns.Key))
        using (var parquetSink = new TrialsParquetSink(parquet, TrialsCsvColumns.Key))
        {
            TestScenarios.Run(scenario, 2, csvSink, parquetSink);
        }
        var layout = new TrialLayout(scenario);
        AssertSameTable(csv, parquet, layout, layout.KeyColumns());
    }

    [Test]
    public void Write_EdgeValuesAcrossGroupBoundaries_DuckDbReadsTrialsCsvValues()
    {
        // −0, NaN, whole numbers from 1e15 on, tiny and large magnitudes and float-only values, in writes of odd sizes
        // that straddle the row groups' boundaries.
        var layout = new TrialLayout(TestScenarios.Load(Json));
        int columns = layout.Columns.Count, rows = 2500;
        var random = new Random(3);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(7) switch
            {
                0 => -0.0,
                1 => double.NaN,
                2 => 1e15 * random.Next(1, 100_000) + 1,
                3 => random.NextDouble() * Math.Pow(10, random.Next(-30, 30)),
                4 => (float)(2 * random.NextDouble() - 1),
                5 => random.Next(-5, 5),
                _ => random.NextDouble(),
            };
        }
        string csv = Path.Combine(_temp.Path, "trials.csv"), parquet = Path.Combine(_temp.Path, "trials.parquet");
        using (var csvSink = new TrialsCsvSink(csv))
        using (var parquetSink = new TrialsParquetSink(parquet) { GroupRows = 1000 })
        {
            foreach (var sink in new ITrialSink[] { csvSink, parquetSink })
            {
                sink.Begin(layout);
                int at = 0;
                foreach (int count in new[] { 1, 998, 3, 1000, rows - 2002 })
                {
                    sink.Write(at + 1, values.AsSpan(at * columns, count * columns), columns);
                    at += count;
                }
                sink.Complete();
            }
        }
        AssertSameTable(csv, parquet, layout, Enumerable.Range(0, layout.CsvCount).ToList());
    }

    /// <summary>
    /// Checks that DuckDB reads <paramref name="parquet"/> as the table <paramref name="csv"/> holds: the names, one
    /// column type per precision (BIGINT trial, FLOAT or DOUBLE), every value bit for bit and null for each empty cell.
    /// </summary>
    private static (int Rows, int Nulls) AssertSameTable(string csv, string parquet, TrialLayout layout, IReadOnlyList<int> written)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        Assert.That(header, Is.EqualTo(written.Select(c => layout.Columns[c]).Prepend("trial")));
        using var connection = Open();
        using (var describe = connection.CreateCommand())
        {
            describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{parquet}')";
            using var types = describe.ExecuteReader();
            var described = new List<(string Name, string Type)>();
            while (types.Read()) described.Add((types.GetString(0), types.GetString(1)));
            Assert.That(described.Select(d => d.Name), Is.EqualTo(header));
            Assert.That(described.Select(d => d.Type),
                Is.EqualTo(written.Select(c => layout.IsSinglePrecision(c) ? "FLOAT" : "DOUBLE").Prepend("BIGINT")));
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{parquet}')";
        using var reader = command.ExecuteReader();
        int row = 0, nulls = 0;
        while (reader.Read())
        {
            Assert.That(row + 1, Is.LessThan(lines.Length), "more rows than trials.csv");
            var cells = lines[row + 1].Split(',');
            Assert.That(reader.GetInt64(0), Is.EqualTo(long.Parse(cells[0], CultureInfo.InvariantCulture)));
            for (int c = 1; c < cells.Length; c++)
            {
                string where = $"row {row + 1}, column {header[c]}";
                if (cells[c].Length == 0)
                {
                    Assert.That(reader.IsDBNull(c), Is.True, where);
                    nulls++;
                }
                else if (layout.IsSinglePrecision(written[c - 1]))
                {
                    Assert.That(BitConverter.SingleToInt32Bits(reader.GetFloat(c)), Is.EqualTo(BitConverter.SingleToInt32Bits(float.Parse(cells[c], CultureInfo.InvariantCulture))), where);
                }
                else
                {
                    Assert.That(BitConverter.DoubleToInt64Bits(reader.GetDouble(c)), Is.EqualTo(BitConverter.DoubleToInt64Bits(double.Parse(cells[c], CultureInfo.InvariantCulture))), where);
                }
            }
            row++;
        }
        Assert.That(row, Is.EqualTo(lines.Length - 1), "the same number of rows");
        return (row, nulls);
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    private static T Scalar<T>(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }
}
