using System.Diagnostics;
using System.Globalization;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting.Csv;

/// <summary>
/// The pandas example of docs/columnar-output.md, run by <c>bench/columnar/pandas_example.py</c> with Debian's
/// <c>/usr/bin/python3</c> on a run of tech-sme-4222.json: its group means by the year the pool ran dry must be the means
/// of trials.csv's columns computed here. On trials.csv (pd.read_csv) wherever pandas is installed; on trials.parquet
/// (pd.read_parquet, the doc's line) only where pandas has a Parquet engine, skipped with the script's reason elsewhere.
/// </summary>
[Platform(Exclude = "Win"), System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PandasExampleTests
{
    private const string Python = "/usr/bin/python3";
    private const string Scheme = "tech-sme-4222";

    private TempDirectory _temp = null!;
    private string _csvFolder = "", _parquetFolder = "";

    [OneTimeSetUp]
    public void RunTheExample()
    {
        _temp = new TempDirectory("simulator-pandas");
        string file = Path.Combine(TestScenarios.RepositoryRoot, "scenarios", "tech-sme-4222.json");
        foreach (var (format, folder) in new[] { ("csv", "csv"), ("parquet", "parquet") })
        {
            var (code, _, stderr) = CliRunner.Run("run", file, "--trials", "4000", "--trials-format", format, "--no-xlsx", "--out", Path.Combine(_temp.Path, folder), "--quiet");
            Assert.That(code, Is.EqualTo(0), stderr);
        }
        _csvFolder = Path.Combine(_temp.Path, "csv", Scheme);
        _parquetFolder = Path.Combine(_temp.Path, "parquet", Scheme);
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void PandasExample_TrialsCsv_GroupMeansEqualTrialsCsv() => Check(Path.Combine(_csvFolder, "trials.csv"));

    [Test]
    public void PandasExample_TrialsParquet_GroupMeansEqualTrialsCsv() => Check(Path.Combine(_parquetFolder, "trials.parquet"));

    private void Check(string table)
    {
        if (!File.Exists(Python)) Assert.Ignore($"{Python} is not installed: the pandas example was not run");
        string script = Path.Combine(TestScenarios.RepositoryRoot, "bench", "columnar", "pandas_example.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(table);
        start.ArgumentList.Add(Scheme);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(120_000), Is.True, "the script did not finish within two minutes");
        Assert.That(process.ExitCode, Is.EqualTo(0), stderr.Result);
        string output = stdout.Result;
        if (output.StartsWith("SKIP: ", StringComparison.Ordinal)) Assert.Ignore(output.Trim());

        var expected = GroupMeans(Path.Combine(_csvFolder, "trials.csv"));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("exhaustedYear,trials,loss,government,bank"));
        Assert.That(lines.Length - 1, Is.EqualTo(expected.Count), "one row per year the pool ran dry (0: never)");
        Assert.That(expected.Keys, Has.Count.GreaterThan(1), "the run has trials in which the pool runs dry");
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            int year = int.Parse(cells[0], CultureInfo.InvariantCulture);
            Assert.That(expected.ContainsKey(year), Is.True, $"year {year}");
            var (count, means) = expected[year];
            Assert.That(long.Parse(cells[1], CultureInfo.InvariantCulture), Is.EqualTo(count), $"trials of year {year}");
            for (int k = 0; k < 3; k++)
            {
                double got = double.Parse(cells[2 + k], CultureInfo.InvariantCulture);
                // The same doubles summed in another order: equal to rounding.
                Assert.That(got, Is.EqualTo(means[k]).Within(1e-12 * Math.Max(1, Math.Abs(means[k]))), $"year {year}, column {k}");
            }
        }
    }

    /// <summary>Per exhausted year: the number of trials and the mean loss, government and bank payments in million CNY.</summary>
    private static Dictionary<int, (long Count, double[] Means)> GroupMeans(string csv)
    {
        using var reader = new StreamReader(csv);
        var header = reader.ReadLine()!.Split(',');
        int Column(string name) => Array.IndexOf(header, $"{Scheme}.{name}") is var i and >= 0 ? i : throw new AssertionException($"trials.csv has no column {Scheme}.{name}");
        int year = Column("exhaustedYear");
        int[] columns = [Column("loss"), Column("government"), Column("bank")];
        var sums = new Dictionary<int, (long Count, double[] Sums)>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var cells = line.Split(',');
            int y = (int)double.Parse(cells[year], CultureInfo.InvariantCulture);
            if (!sums.TryGetValue(y, out var s)) s = (0, new double[3]);
            for (int k = 0; k < 3; k++) s.Sums[k] += double.Parse(cells[columns[k]], CultureInfo.InvariantCulture);
            sums[y] = (s.Count + 1, s.Sums);
        }
        return sums.ToDictionary(x => x.Key, x => (x.Value.Count, x.Value.Sums.Select(v => v / x.Value.Count / 1e6).ToArray()));
    }
}
