using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulator.Cli.Serve;
using Simulator.Core.Scenarios;
using Simulator.Core.Studies;
using Simulator.Tests.Studies;
using Simulator.Tests.Support;

namespace Simulator.Tests.Cli;

/// <summary><c>simulator serve</c>'s endpoints over HTTP: answers equal to batch runs, bad requests refused with 4xx and the
/// validation message, never a 500, files written only next to the scenario.</summary>
public class ServeTests
{
    /// <summary>A scenario file in a fresh folder, its base run and the server on a free port, with a client.</summary>
    private sealed class Served : IAsyncDisposable
    {
        private Served(TempDirectory temp, string file, WhatIf whatIf, WhatIfServer server)
        {
            Temp = temp;
            File = file;
            WhatIf = whatIf;
            Server = server;
            Client = new HttpClient { BaseAddress = new Uri(server.Urls[0]), Timeout = TimeSpan.FromMinutes(5) };
        }

        public TempDirectory Temp { get; }
        public string File { get; }
        public WhatIf WhatIf { get; }
        public WhatIfServer Server { get; }
        public HttpClient Client { get; }

        public static async Task<Served> Start(int trials)
        {
            var temp = new TempDirectory();
            string file = temp.Write("s.json", WhatIfTests.Scenario);
            var whatIf = WhatIfTests.Start(file, trials);
            return new Served(temp, file, whatIf, await WhatIfServer.StartAsync(whatIf, file, "127.0.0.1", 0, CancellationToken.None));
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
            WhatIf.Dispose();
            Temp.Dispose();
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Post(HttpClient client, string path, string body)
    {
        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text));
    }

    [TestCase("""{"funds[seed-a].tolerance": 0.6}""")]
    [TestCase("""{"guarantees[g].shares.government": 0.3, "guarantees[g].shares.bank": 0.1}""")]
    [TestCase("""{"guarantees[g].loans.pd": 0.05, "funds[angel-b].tolerance": 0.7}""")]
    [TestCase("""{"policy.rules": "sichuan-2025"}""")]
    public async Task Evaluate_Setting_AnswersTheBatchRunsSummaryAndFigures(string setting)
    {
        await using var served = await Served.Start(2000);
        var (client, whatIf, temp) = (served.Client, served.WhatIf, served.Temp);

        var (status, body) = await Post(client, "/api/evaluate", $$"""{"set": {{setting}}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        var set = JsonNode.Parse(setting)!.AsObject().Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())).ToList();
        var batch = WhatIfTests.Batch(whatIf, temp.Path, set, 2000);
        Assert.That(body!["summary"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(WhatIfTests.Summary(batch.Variants[0]))!.ToJsonString()));
        // The answer takes the base's rows and results for what the setting leaves unchanged: it is still the run of the
        // setting on new trials, to the last digit.
        var alone = new Simulator.Core.Engine.SimulationEngine().Run(Study.Paired(batch.Comparison!.Find(WhatIf.VariantName)!.Variant, 2000, null),
            new Simulator.Core.Engine.RunOptions(2), []);
        Assert.That(body["summary"]!.ToJsonString(), Is.EqualTo(JsonNode.Parse(WhatIfTests.Summary(alone))!.ToJsonString()));
        var figures = body["figures"]!.AsArray();
        var expected = batch.Comparison!.Find(WhatIf.VariantName)!.Figures;
        Assert.That(figures.Select(f => f!["name"]!.GetValue<string>()), Is.EqualTo(expected.Select(f => f.Figure.Name)));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.That(Number(figures[i]!["value"]), Is.EqualTo(expected[i].Estimate.Value), expected[i].Figure.Name);
            Assert.That(Number(figures[i]!["standardError"]), Is.EqualTo(expected[i].Estimate.StandardError), expected[i].Figure.Name);
            Assert.That(Number(figures[i]!["difference"]), Is.EqualTo(expected[i].Difference.Value), expected[i].Figure.Name);
            Assert.That(Number(figures[i]!["differenceStandardError"]), Is.EqualTo(expected[i].Difference.StandardError), expected[i].Figure.Name);
        }
    }

    private static double Number(JsonNode? node) => node is null ? double.NaN : node.GetValue<double>();

    [Test]
    public async Task Requests_BadInput_AreRefusedWithAClearMessageAndNever500()
    {
        await using var served = await Served.Start(500);
        var (client, whatIf, temp) = (served.Client, served.WhatIf, served.Temp);

        var cases = new (string Body, HttpStatusCode Status, string Message)[]
        {
            ("""{"set": {"funds[seed-a].tolerence": 0.6}}""", HttpStatusCode.BadRequest, "unknown field 'tolerence'"),
            ("""{"set": {"funds[angel-b].tolerance": 2}}""", HttpStatusCode.BadRequest, "value 2 is out of range; allowed: a number from 0 to 1"),
            ("""{"set": {"funds[seed-a].tolerance": "high"}}""", HttpStatusCode.BadRequest, "funds[seed-a].tolerance"),
            ("""{"set": {"name": "other"}}""", HttpStatusCode.BadRequest, "a variant cannot set 'name'"),
            ("""{"set": {"guarantees[g].loanTape": "../../etc/passwd"}}""", HttpStatusCode.BadRequest, "both \"loans\" and \"loanTape\""),
            ("""{"set": [1, 2]}""", HttpStatusCode.BadRequest, "\"set\""),
            ("""[1]""", HttpStatusCode.BadRequest, "JSON object"),
            ("{\"set\": {", HttpStatusCode.BadRequest, "not valid JSON"),
            ("""{"set": {"a": 1, "a": 2}}""", HttpStatusCode.BadRequest, ""),
            ("{\"set\": {\"funds[seed-a].tolerance\": 0.5}, \"pad\": \"" + new string('x', WhatIfServer.MaxBodyBytes) + "\"}", HttpStatusCode.RequestEntityTooLarge, "larger than"),
        };
        foreach (var (request, expected, message) in cases)
        {
            var (status, body) = await Post(client, "/api/evaluate", request);
            Assert.That(status, Is.EqualTo(expected), request.Length > 80 ? request[..80] : request);
            string text = body!["errors"]![0]!["message"]!.GetValue<string>();
            Assert.That(text, Does.Contain(message));
            Assert.That(text, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [Test]
    public async Task Evaluate_NewerRequest_SupersedesTheRunningOne()
    {
        await using var served = await Served.Start(200_000);
        var (client, whatIf, temp) = (served.Client, served.WhatIf, served.Temp);

        // A factor's persistence needs new trials of every instrument (a tolerance would be answered from the base's rows,
        // and a PD by evaluating the small scheme alone, before the second request arrives).
        var first = Post(client, "/api/evaluate", """{"set": {"factors[macro].persistence": 0.4}}""");
        // The second request goes as soon as the first is running (a fixed delay was too long for a fast machine).
        var waited = Stopwatch.StartNew();
        while (served.Server.Running == 0 && !first.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(1);
        Assert.That(first.IsCompleted, Is.False, "the first run ended before it could be superseded; give it more trials");
        var second = Post(client, "/api/evaluate", """{"set": {"factors[macro].persistence": 0.3}}""");
        var (firstStatus, firstBody) = await first;
        var (secondStatus, _) = await second;
        Assert.That(firstStatus, Is.EqualTo(HttpStatusCode.Conflict), firstBody?.ToJsonString());
        Assert.That(firstBody!["superseded"], Is.Not.Null);
        Assert.That(secondStatus, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Save_Setting_WritesAVariantFileNextToTheScenarioThatRunsTheSameFigures()
    {
        await using var served = await Served.Start(1000);
        var (client, whatIf, temp) = (served.Client, served.WhatIf, served.Temp);

        var (status, body) = await Post(client, "/api/save", """{"name": "loose", "set": {"funds[seed-a].tolerance": 0.9}}""");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        string saved = Path.Combine(temp.Path, "s.loose.json");
        Assert.That(body!["file"]!.GetValue<string>(), Is.EqualTo("s.loose.json"));
        var loaded = ScenarioLoader.Load(saved);
        Assert.That(loaded.Errors, Is.Empty);
        Assert.That(loaded.Scenario!.Variants.Single().Name, Is.EqualTo("loose"));
        Assert.That(loaded.Scenario.Name, Is.EqualTo(whatIf.Base.Scenario.Name), "the same name, hence the same random numbers");

        var (again, _) = await Post(client, "/api/save", """{"name": "loose", "set": {"funds[seed-a].tolerance": 0.8}}""");
        Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict), "an existing file is never overwritten");
        foreach (string name in new[] { "../escape", "/tmp/x", "a.b", "" })
        {
            var (refused, _) = await Post(client, "/api/save", JsonSerializer.Serialize(new { name, set = new Dictionary<string, double> { ["funds[seed-a].tolerance"] = 0.8 } }));
            Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest), name);
        }
        var (invalid, _) = await Post(client, "/api/save", """{"name": "bad", "set": {"funds[seed-a].tolerance": 3}}""");
        Assert.That(invalid, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Directory.GetFiles(temp.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "s.json", "s.loose.json" }));
    }

    [Test]
    public async Task Page_IsSelfContained()
    {
        await using var served = await Served.Start(500);
        var (client, whatIf, temp) = (served.Client, served.WhatIf, served.Temp);

        string page = await client.GetStringAsync("/");
        Assert.That(page, Does.Contain("<script>"));
        Assert.That(page, Does.Not.Match("(src|href)=\"(https?:)?//"), "no CDN: the page works offline");
        var scenario = JsonNode.Parse(await client.GetStringAsync("/api/scenario"))!;
        Assert.That(scenario["title"]!.GetValue<string>(), Is.EqualTo("股贷联动 what-if"));
        Assert.That(scenario["controls"]!.AsArray().Select(c => c!["path"]!.GetValue<string>()), Is.SupersetOf(new[]
        {
            "funds[seed-a].tolerance", "funds[angel-b].tolerance", "guarantees[g].shares.government", "guarantees[g].government.capRate",
            "guarantees[g].government.budget", "guarantees[g].loans.pd",
        }));
    }

    [Test]
    public async Task Controls_EachMovedOneStep_IsASettingTheFormatAccepts()
    {
        await using var served = await Served.Start(500);
        var scenario = JsonNode.Parse(await served.Client.GetStringAsync("/api/scenario"))!;
        var controls = scenario["controls"]!.AsArray();
        // The rule set, allocations, loadings, the guarantor's capital and the economy, beside the tolerances and pool terms.
        Assert.That(controls.Select(c => c!["path"]!.GetValue<string>()), Is.SupersetOf(new[]
        {
            "policy.rules", "policy.tolerance.seed", "policy.tolerance.angel", "funds[seed-a].commitment", "funds[seed-a].governmentShare",
            "funds[seed-a].exposure.macro", "guarantees[g].guarantor.capital", "guarantees[g].loans.exposure.macro", "factors[macro].persistence",
        }));
        foreach (var c in controls)
        {
            string path = c!["path"]!.GetValue<string>();
            double value = c["value"]!.GetValue<double>(), step = c["step"]!.GetValue<double>(), max = c["max"]!.GetValue<double>();
            double moved = value + step <= max ? value + step : value - step;
            List<KeyValuePair<string, JsonNode?>> set = c["options"] is JsonArray options
                ? [KeyValuePair.Create(path, (JsonNode?)options[(int)moved]!.DeepClone())]
                : WhatIfTests.Set((path, moved));
            if (c["balance"] is { } balance) set.AddRange(WhatIfTests.Set((balance.GetValue<string>(), c["balanceValue"]!.GetValue<double>() - (moved - value))));
            Assert.That(served.WhatIf.Check(set), Is.Empty, path);
            Assert.That(c["group"]!.GetValue<string>(), Is.Not.Empty, path);
        }
    }
}
