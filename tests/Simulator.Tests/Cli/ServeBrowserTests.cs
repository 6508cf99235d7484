using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Simulator.Cli.Serve;
using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary>
/// The what-if page in headless Chromium, driven by Playwright through Debian's <c>/usr/bin/chromium</c>
/// (<c>playwright install</c> cannot download browsers here): moving a slider changes the figure on the page to the
/// batch run's value of that setting, without console errors; every kind of setting the scenario has is in view; the
/// page fits a 1280 px and an 800 px window with readable charts; the screenshot is kept as a test artefact.
/// </summary>
[Category("Browser")]
public class ServeBrowserTests
{
    /// <summary>Where Chromium is expected; SIMULATOR_CHROMIUM overrides it (as for the report's browser test).</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("SIMULATOR_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// What a user would see as broken, measured on the page as laid out now: the page wider than its window, a chart
    /// squeezed below 360 px (at 800 px the four charts once shared a 390 px column, their labels a few pixels high), a
    /// label outside its chart or over another, a drawn chart without axis titles. Empty when all is well.
    /// </summary>
    private const string LayoutProblems = """
        () => {
          const problems = [], vw = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth;
          if (sw > vw) problems.push(`the page is ${sw} px wide in a ${vw} px window`);
          for (const svg of document.querySelectorAll('.charts svg')) {
            if (svg.closest('.empty')) continue;
            const r = svg.getBoundingClientRect();
            if (r.width < 360) problems.push(`${svg.id} is ${Math.round(r.width)} px wide`);
            if (svg.querySelectorAll('text.axis').length === 0) problems.push(`${svg.id} has no axis title`);
            const texts = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);
            for (const [s, b] of texts)
              if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1) problems.push(`${svg.id}: '${s}' outside the chart`);
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++) {
                const [s, a] = texts[i], [t, b] = texts[j];
                if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) problems.push(`${svg.id}: '${s}' over '${t}'`);
              }
          }
          return problems;
        }
        """;

    /// <summary>The groups of settings on the page: name, open or not, and what its summary says.</summary>
    private const string Groups = "() => [...document.querySelectorAll('details.group')].map(d => [d.dataset.group, String(d.open), d.querySelector('summary').textContent])";

    /// <summary>A scenario file served on a free port and opened in headless Chromium, with the page's console errors.</summary>
    private sealed class Served : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private Served(TempDirectory temp, string file, WhatIf whatIf, WhatIfServer server, IPlaywright playwright, IBrowser browser, IPage page)
        {
            (Temp, File, WhatIf, Server, _playwright, _browser, Page) = (temp, file, whatIf, server, playwright, browser, page);
            page.Console += (_, message) =>
            {
                if (message.Type == "error") Errors.Add(message.Text);
            };
            page.PageError += (_, error) => Errors.Add(error);
        }

        public TempDirectory Temp { get; }
        public string File { get; }
        public WhatIf WhatIf { get; }
        public WhatIfServer Server { get; }
        public IPage Page { get; }
        public List<string> Errors { get; } = [];

        public static async Task<Served> Open(string scenario, int trials)
        {
            var temp = new TempDirectory();
            string file = temp.Write("s.json", scenario);
            var whatIf = WhatIfTests.Start(file, trials);
            var server = await WhatIfServer.StartAsync(whatIf, file, "127.0.0.1", 0, CancellationToken.None);
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 1000 } });
            page.SetDefaultTimeout(120_000);
            var served = new Served(temp, file, whatIf, server, playwright, browser, page);
            await page.GotoAsync(server.Urls[0] + "/");
            await page.WaitForSelectorAsync("body[data-state=ready]");
            return served;
        }

        public async Task<string[]> Layout(int width)
        {
            await Page.SetViewportSizeAsync(width, 1000);
            return await Page.EvaluateAsync<string[]>(LayoutProblems);
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
            await Server.DisposeAsync();
            WhatIf.Dispose();
            Temp.Dispose();
        }
    }

    [Test]
    [Category("Slow")]
    public async Task Page_SliderMoved_ShowsTheBatchRunsFigureWithoutConsoleErrors()
    {
        if (!System.IO.File.Exists(Chromium)) Assert.Ignore($"headless Chromium not found at {Chromium}: run ./setup.sh (it installs the Debian package chromium) to run this test");
        await using var served = await Served.Open(WhatIfTests.Scenario, 2000);
        var page = served.Page;

        const string figure = "[data-figure='angel-b.breachProbability']";
        string before = await page.Locator(figure).GetAttributeAsync("data-value") ?? "";
        Assert.That(await page.TitleAsync(), Does.StartWith("股贷联动"));
        // The card names the item, then the figure in words (the name once broke mid-word: "ip-" / "abs.senior…").
        Assert.That(await page.Locator(figure + " .name").TextContentAsync(), Is.EqualTo("angel-b breach probability"));
        // −0 (abc-warrant-book's break-even notional) once showed as "-0".
        Assert.That(await page.EvaluateAsync<string[]>("() => [show(-0, 'number'), show(-0, 'money'), show(-0, 'share', true)]"), Is.EqualTo(new[] { "0", "0", "0.00 pp" }));

        await page.Locator("input[data-path='funds[angel-b].tolerance']").FillAsync("0.7");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{figure}\").dataset.value !== '{before}'");
        string after = await page.Locator(figure).GetAttributeAsync("data-value") ?? "";
        string difference = await page.Locator(figure).GetAttributeAsync("data-difference") ?? "";

        var batch = WhatIfTests.Batch(served.WhatIf, served.Temp.Path, WhatIfTests.Set(("funds[angel-b].tolerance", 0.7)), 2000);
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

        // Few settings: every group is open, the scheme's too (a scheme's group once opened closed unless it came first).
        var groups = await page.EvaluateAsync<string[][]>(Groups);
        Assert.That(groups.Select(g => g[0]), Is.EqualTo(new[] { "economy", "policy", "seed-a", "angel-b", "g" }));
        Assert.That(groups.Where(g => g[1] != "true").Select(g => g[0]), Is.Empty, "closed groups");
        Assert.That(await page.Locator("input[data-path='guarantees[g].shares.government']").IsVisibleAsync(), Is.True);
        Assert.That(groups.Single(g => g[0] == "g")[2], Is.EqualTo("gguarantees · 6 settings"));
        await page.ClickAsync("#collapse");
        Assert.That(await page.Locator("input[data-path='guarantees[g].shares.government']").IsVisibleAsync(), Is.False);
        await page.ClickAsync("#expand");
        Assert.That(await page.Locator("input[data-path='guarantees[g].shares.government']").IsVisibleAsync(), Is.True);

        Assert.That(await served.Layout(1280), Is.Empty, "at 1280 px");
        // At 1024 px the charts stand one to a row and scale up: an upright axis title once crossed the chart's left edge.
        Assert.That(await served.Layout(1024), Is.Empty, "at 1024 px");
        Assert.That(await served.Layout(800), Is.Empty, "at 800 px");

        // Save as variant writes the setting next to the scenario, as the file a batch run reads.
        await page.FillAsync("#variant-name", "browser");
        await page.ClickAsync("#save");
        await page.WaitForFunctionAsync("() => document.getElementById('save-result').textContent !== ''");
        Assert.That(await page.Locator("#save-result").TextContentAsync(), Does.StartWith("written: s.browser.json"));
        Assert.That(System.IO.File.ReadAllText(Path.Combine(served.Temp.Path, "s.browser.json")), Does.Contain("\"funds[angel-b].tolerance\": 0.7"));

        // Another rule set moves the tolerances it fills: the sliders the user has not moved show what now applies (they
        // once kept the base's 80% while the figures used Huangpu's 50%), the one the user moved keeps its value.
        const string seed = "input[data-path='funds[seed-a].tolerance']";
        await page.Locator("input[data-path='policy.rules']").FillAsync("2");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{seed}\").value === '0.5'");
        Assert.That(await page.Locator("input[data-path='policy.tolerance.seed']").InputValueAsync(), Is.EqualTo("0.5"));
        Assert.That(await page.Locator("input[data-path='funds[angel-b].tolerance']").InputValueAsync(), Is.EqualTo("0.7"));
        Assert.That(await page.Locator(seed).EvaluateAsync<string>("i => i.closest('.control').className"), Is.EqualTo("control follows"));
        var fund = await page.EvaluateAsync<double>("() => latest.summary.funds.find(f => f.name === 'seed-a').tolerance");
        Assert.That(fund, Is.EqualTo(0.5), "the tolerance the figures were computed with");
        await page.ClickAsync("#reset");
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{seed}\").value === '0.8' && document.getElementById('status').textContent.startsWith('base')");
        Assert.That(await page.Locator(".control.moved, .control.follows").CountAsync(), Is.Zero);
        Assert.That(served.Errors, Is.Empty, "console errors");
    }

    /// <summary>Twelve guarantee schemes and no fund: more settings than the page opens at once.</summary>
    private static string ManySchemes()
    {
        var text = new StringBuilder("""{ "name": "many", "title": "十二个担保方案 (many schemes)", "simulation": { "trials": 400, "seed": 3 }, "factors": [ { "name": "macro", "persistence": 0.5 } ], "guarantees": [""");
        for (int i = 0; i < 12; i++)
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""
                { "name": "scheme-{{i}}", "loans": { "perYear": 10, "years": 2, "amount": 1e6, "pd": 0.03, "lgd": 0.5, "exposure": { "macro": 0.3 } },
                  "shares": { "guarantor": 0.4, "bank": 0.4, "government": 0.2 }, "guarantor": { "capital": 5e6 }, "government": { "budget": 2e6, "capRate": 0.05 } }
                """);
        return text.Append("] }").ToString();
    }

    [Test]
    [Category("Slow")]
    public async Task Page_ManySettingsNoFunds_OpensEachKindSaysWhatIsClosedAndHidesEmptyCharts()
    {
        if (!System.IO.File.Exists(Chromium)) Assert.Ignore($"headless Chromium not found at {Chromium}: run ./setup.sh (it installs the Debian package chromium) to run this test");
        await using var served = await Served.Open(ManySchemes(), 400);
        var page = served.Page;

        // Beyond 60 settings the first group of each kind opens; a closed group's summary says what it holds.
        var groups = await page.EvaluateAsync<string[][]>(Groups);
        Assert.That(groups, Has.Length.EqualTo(13));
        Assert.That(groups.Where(g => g[1] == "true").Select(g => g[0]), Is.EqualTo(new[] { "economy", "scheme-0" }));
        Assert.That(groups.Last()[2], Is.EqualTo("scheme-11guarantees · 6 settings"));

        // A chart with nothing to show says so in a line: no empty frame, no empty choice (the fund chooser of a scenario
        // without funds once showed as an empty box above a blank chart).
        Assert.That(await page.Locator("#chart-breach").GetAttributeAsync("class"), Is.EqualTo("empty"));
        Assert.That(await page.Locator("#chart-breach .none").TextContentAsync(), Is.EqualTo("nothing in this scenario is judged against a loss tolerance"));
        Assert.That(await page.Locator("#breach-fund").IsVisibleAsync(), Is.False);
        // The distributions are whatever summary.json holds, read without naming a kind: each scheme's loss, the government's cost.
        var options = await page.Locator("#distribution option").AllTextContentsAsync();
        Assert.That(options, Is.EqualTo(Enumerable.Range(0, 12).Select(i => $"scheme-{i} loss").Append("government net cost")));

        // The settings keep their own scroll beside the results: with the page scrolled to the charts, the sliders are
        // still on screen.
        await page.EvaluateAsync("() => document.getElementById('chart-quantiles').scrollIntoView()");
        var top = await page.EvaluateAsync<double>("() => document.getElementById('settings').getBoundingClientRect().top");
        Assert.That(top, Is.InRange(0, 20));

        Assert.That(await served.Layout(1280), Is.Empty, "at 1280 px (48 payers' rows)");
        Assert.That(await served.Layout(800), Is.Empty, "at 800 px");
        Assert.That(served.Errors, Is.Empty, "console errors");
    }
}
