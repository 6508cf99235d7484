using System.Globalization;
using Microsoft.Playwright;
using Simulator.Cli.Serve;
using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>
/// The what-if page in headless Chromium, driven by Playwright through Debian's <c>/usr/bin/chromium</c>
/// (<c>playwright install</c> cannot download browsers here): moving a slider changes the figure on the page to the
/// batch run's value of that setting, without console errors; the screenshot is kept as a test artefact.
/// </summary>
[Category("Browser")]
public class ServeBrowserTests
{
    /// <summary>Where Chromium is expected; SIMULATOR_CHROMIUM overrides it (as for the report's browser test).</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("SIMULATOR_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Test]
    [Category("Slow")]
    public async Task Page_SliderMoved_ShowsTheBatchRunsFigureWithoutConsoleErrors()
    {
        if (!File.Exists(Chromium)) Assert.Ignore($"headless Chromium not found at {Chromium}: run ./setup.sh (it installs the Debian package chromium) to run this test");

        using var temp = new TempDirectory();
        string file = temp.Write("s.json", WhatIfTests.Scenario);
        using var whatIf = WhatIfTests.Start(file, 2000);
        await using var server = await WhatIfServer.StartAsync(whatIf, file, "127.0.0.1", 0, CancellationToken.None);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        page.SetDefaultTimeout(120_000);

        await page.GotoAsync(server.Urls[0] + "/");
        await page.WaitForSelectorAsync("body[data-state=ready]");
        const string figure = "[data-figure='angel-b.breachProbability']";
        string before = await page.Locator(figure).GetAttributeAsync("data-value") ?? "";
        Assert.That(await page.TitleAsync(), Does.StartWith("股贷联动"));

        await page.Locator("input[data-path='funds[angel-b].tolerance']").FillAsync("0.7");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{figure}\").dataset.value !== '{before}'");
        string after = await page.Locator(figure).GetAttributeAsync("data-value") ?? "";
        string difference = await page.Locator(figure).GetAttributeAsync("data-difference") ?? "";

        var batch = WhatIfTests.Batch(whatIf, temp.Path, WhatIfTests.Set(("funds[angel-b].tolerance", 0.7)), 2000);
        var expected = batch.Comparison!.Find(WhatIf.VariantName)!.Figures.Single(f => f.Figure.Name == "angel-b.breachProbability");
        Assert.That(double.Parse(after, CultureInfo.InvariantCulture), Is.EqualTo(expected.Estimate.Value));
        Assert.That(double.Parse(difference, CultureInfo.InvariantCulture), Is.EqualTo(expected.Difference.Value));
        Assert.That(double.Parse(after, CultureInfo.InvariantCulture), Is.Not.EqualTo(double.Parse(before, CultureInfo.InvariantCulture)));

        string screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        string shot = Path.Combine(screenshots, "serve.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        Assert.That(new FileInfo(shot).Length, Is.GreaterThan(20_000), "the screenshot looks blank");
        TestContext.AddTestAttachment(shot, "the what-if page after the angel tolerance moved to 70%");
        Assert.That(errors, Is.Empty, "console errors");
    }
}
