using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Simulator.Reporting.Html;
using Simulator.Tests.Support;
using static Simulator.Tests.Reporting.HtmlTestSupport;

namespace Simulator.Tests.Reporting;

/// <summary>
/// Opens the reports of example scenarios in headless Chromium: every image must decode and no script may throw
/// (the pages record both in data- attributes on &lt;body&gt;, read back with --dump-dom), and a screenshot of each
/// page is kept as a test artefact for a human to look at. Chromium comes from ./setup.sh (Debian package
/// chromium); without it the test fails rather than passing silently.
/// </summary>
[Category("Browser")]
public class BrowserReportTests
{
    /// <summary>Where Chromium is expected; SIMULATOR_CHROMIUM overrides it (e.g. on a developer's Mac).</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("SIMULATOR_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Examples = ["wuhan-seed-angel.json", "tech-sme-4222.json", "allocation-shift.json", "stress-library.json"];

    /// <summary>A common laptop screen's width: every table of a report must fit it without scrolling (issue 18, item 14).</summary>
    private const int LaptopWidth = 1400;

    [Test]
    [Category("Slow")]
    public void Reports_ExampleScenarios_RenderInHeadlessChromium()
    {
        if (!File.Exists(Chromium))
            Assert.Fail($"headless Chromium not found at {Chromium}: run ./setup.sh (it installs the Debian package chromium; CI does this) to run the browser tests");

        using var temp = new TempDirectory("simulator-browser");
        string output = Path.Combine(temp.Path, "output");
        var entries = new List<BatchEntry>();
        var expectedImages = new Dictionary<string, int>();
        foreach (var file in Examples)
        {
            var scenario = Example(file, trials: 2000);
            string folder = Path.Combine(output, scenario.Name);
            var (result, comparison, plots) = RunInto(scenario, folder);
            ScenarioReport.Write(result, comparison, plots, folder);
            entries.Add(BatchEntry.Ok(Path.Combine("scenarios", file), result, comparison));
            expectedImages[scenario.Name] = plots.Count;
        }
        entries.Add(BatchEntry.Invalid("scenarios/broken.json", ["scenarios/broken.json:2:3: error at $.funds: <example> error"]));
        BatchIndex.Write(entries, output);

        string screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        var pages = expectedImages.Keys.Select(name => (Name: name, Path: Path.Combine(output, name, ScenarioReport.FileName), Images: expectedImages[name]))
            .Append((Name: "index", Path: Path.Combine(output, BatchIndex.FileName), Images: 0))
            .ToList();
        foreach (var page in pages)
        {
            string url = new Uri(page.Path).AbsoluteUri;
            string dom = Run(temp.Path, "--dump-dom", $"--window-size={LaptopWidth},2400", url);
            var body = Regex.Match(dom, "<body([^>]*)>");
            Assert.That(body.Success, Is.True, $"{page.Name}: no <body> in the dumped DOM");
            string Attribute(string name) => Regex.Match(body.Groups[1].Value, $"{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : "(missing)";
            Assert.Multiple(() =>
            {
                Assert.That(Attribute("data-checked"), Is.EqualTo("true"), $"{page.Name}: the page's check script did not run");
                Assert.That(Attribute("data-broken-images"), Is.EqualTo("0"), $"{page.Name}: images that did not decode");
                Assert.That(Attribute("data-script-errors"), Is.Empty, $"{page.Name}: script errors");
                Assert.That(Attribute("data-images"), Is.EqualTo(page.Images.ToString(CultureInfo.InvariantCulture)), $"{page.Name}: images on the page");
                Assert.That(Attribute("data-clipped-tables"), Is.Empty, $"{page.Name}: tables wider than a {LaptopWidth}-px window, their last columns hidden");
            });

            string shot = Path.Combine(screenshots, $"{page.Name}.png");
            File.Delete(shot);
            Run(temp.Path, $"--screenshot={shot}", "--window-size=1280,2400", url);
            Assert.That(File.Exists(shot), Is.True, $"{page.Name}: no screenshot written");
            Assert.That(new FileInfo(shot).Length, Is.GreaterThan(20_000), $"{page.Name}: the screenshot looks blank");
            TestContext.AddTestAttachment(shot, $"{page.Name} at 1280×2400");
        }

        // Sorting runs in the real browser: index.html#sort=3-desc sorts by programme breach probability, largest first,
        // numerically and with blank cells last.
        string sorted = Run(temp.Path, "--dump-dom", new Uri(Path.Combine(output, BatchIndex.FileName)).AbsoluteUri + "#sort=3-desc");
        var order = Regex.Matches(sorted, "<a class=\"report\" href=\"([^\"/]+)/report.html\"").Select(m => m.Groups[1].Value).ToList();
        var expected = entries.Where(e => e.ReportLink is not null)
            .OrderBy(e => e.ProgrammeBreach is null ? 1 : 0).ThenByDescending(e => e.ProgrammeBreach ?? 0).Select(e => e.Name).ToList();
        Assert.That(order, Is.EqualTo(expected), "index sorted by programme P(breach), descending");
    }

    /// <summary>Runs headless Chromium with a fresh profile and returns its standard output.</summary>
    private static string Run(string tempRoot, params string[] arguments)
    {
        string profile = Path.Combine(tempRoot, "profile-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium {string.Join(' ', arguments)} did not finish within 120 s");
        }
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), () => $"chromium {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
