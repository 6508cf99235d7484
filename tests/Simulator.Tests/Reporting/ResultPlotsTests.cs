using Simulator.Reporting.Plots;
using Simulator.Tests.Support;

namespace Simulator.Tests.Reporting;

public class ResultPlotsTests
{
    private const string Json = """
        { "name": "p", "title": "武汉 plots", "simulation": { "trials": 2000, "seed": 1 },
          "factors": [ { "name": "macro" } ],
          "funds": [ { "name": "s", "type": "seed", "commitment": 1e8, "deals": 10, "check": 1e6, "exposure": { "macro": 0.5 } },
                     { "name": "never", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "tolerance": 1.0 },
                     { "name": "always", "type": "angel", "commitment": 1e8, "deals": 10, "check": 1e6, "tolerance": 0.0, "outcomes": "zero" } ],
          "outcomes": { "zero": { "writeOff": 1 } } }
        """;

    [Test]
    public void WriteAll_EdgeProbabilities_WritesEveryPlotAsPng()
    {
        using var temp = new TempDirectory("simulator-plots");
        string dir = Path.Combine(temp.Path, "plots");
        {
            var result = TestScenarios.Run(Json);
            Assert.That(result.Funds[1].Breach.Probability, Is.Zero);
            Assert.That(result.Funds[2].Breach.Probability, Is.EqualTo(1));
            var files = ResultPlots.WriteAll(result, dir);
            Assert.That(files, Is.EqualTo(new[] { "lossratio-s.png", "lossratio-never.png", "lossratio-always.png", "exceedance.png", "breach.png" }));
            foreach (var f in files)
            {
                var bytes = File.ReadAllBytes(Path.Combine(dir, f));
                Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), f);
                Assert.That(bytes.Length, Is.GreaterThan(10_000), $"{f} looks empty");
            }
        }
    }
}
