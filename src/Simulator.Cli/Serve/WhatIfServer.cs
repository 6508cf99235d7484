using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Simulator.Core.Comparison;
using Simulator.Core.Studies;
using Simulator.Reporting.Instruments;
using Simulator.Reporting.Json;

namespace Simulator.Cli.Serve;

/// <summary>
/// The what-if page's server (<c>simulator serve</c>): Kestrel on one address, the page at <c>GET /</c>, the scenario and
/// its controls at <c>GET /api/scenario</c>, settings evaluated against the base at <c>POST /api/evaluate</c> (through
/// <see cref="WhatIf"/>, the same code as a batch run's variants) and saved as a variant file next to the scenario at
/// <c>POST /api/save</c>. A request's problem is a 4xx with the validation message, never a 500 or a stack trace.
/// </summary>
internal sealed partial class WhatIfServer : IAsyncDisposable
{
    /// <summary>The largest request body accepted, in bytes: a setting is a few paths and numbers.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WhatIf _whatIf;
    private readonly IReadOnlyList<WhatIfControl> _controls;
    private readonly string _scenarioFile;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _latest;
    private int _running;

    /// <summary>
    /// Evaluations running now. Tests wait on it: whether a first request is still running when a second arrives
    /// must not depend on how fast the machine is (a fixed delay let a quiet Zen 5 finish the first run before it).
    /// </summary>
    internal int Running => Volatile.Read(ref _running);

    private WhatIfServer(WhatIf whatIf, string scenarioFile, WebApplication app)
    {
        _whatIf = whatIf;
        _controls = InstrumentControls.Of(whatIf.Base);
        _scenarioFile = Path.GetFullPath(scenarioFile);
        _app = app;
    }

    /// <summary>The addresses it listens on (with the port chosen when 0 was asked for).</summary>
    public IReadOnlyList<string> Urls =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Starts serving <paramref name="whatIf"/> on <paramref name="host"/>:<paramref name="port"/> (0: any free port).</summary>
    public static async Task<WhatIfServer> StartAsync(WhatIf whatIf, string scenarioFile, string host, int port, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        string shown = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        builder.WebHost.UseUrls($"http://{shown}:{port}");
        var app = builder.Build();
        var server = new WhatIfServer(whatIf, scenarioFile, app);
        app.MapGet("/", () => Results.Text(ServePage.Html, "text/html; charset=utf-8"));
        app.MapGet("/api/scenario", () => Results.Text(server.ScenarioJson(), "application/json; charset=utf-8"));
        app.MapPost("/api/evaluate", (Delegate)server.EvaluateAsync);
        app.MapPost("/api/save", (Delegate)server.SaveAsync);
        await app.StartAsync(cancellation);
        return server;
    }

    /// <summary>Stops at once: a run in progress is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate) _latest?.Cancel();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private string ScenarioJson()
    {
        var b = _whatIf.Base;
        return Json(w =>
        {
            w.WriteString("scenario", b.Scenario.Name);
            w.WriteString("title", b.Scenario.Title);
            w.WriteString("file", Path.GetFileName(_scenarioFile));
            w.WriteNumber("trials", b.Trials);
            w.WriteNumber("seed", b.Scenario.Seed);
            w.WriteStartArray("controls");
            foreach (var c in _controls)
            {
                w.WriteStartObject();
                w.WriteString("path", c.Path);
                w.WriteString("label", c.Label);
                w.WriteNumber("min", c.Min);
                w.WriteNumber("max", c.Max);
                w.WriteNumber("step", c.Step);
                w.WriteNumber("value", c.Value);
                w.WriteString("unit", c.Unit);
                w.WriteString("group", c.Group);
                if (c.Options is { } options)
                {
                    w.WriteStartArray("options");
                    foreach (var option in options) w.WriteStringValue(option);
                    w.WriteEndArray();
                }
                if (c.Balance is { } balance)
                {
                    w.WriteString("balance", balance);
                    w.WriteNumber("balanceValue", c.BalanceValue);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteOutcome(w, new WhatIfOutcome(b, _whatIf.BaseFigures));
        });
    }

    private async Task<IResult> EvaluateAsync(HttpContext context)
    {
        var (body, problem) = await ReadAsync(context);
        if (problem is not null) return problem;
        if (Setting(body!, out var set) is { } bad) return bad;
        // A newer request supersedes this one: the page only shows the latest setting, so a stale run is stopped
        // (at its next batch of trials) rather than finished.
        using var mine = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lock (_gate)
        {
            _latest?.Cancel();
            _latest = mine;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            var (outcome, errors) = await Task.Run(() =>
            {
                Interlocked.Increment(ref _running);
                try { return _whatIf.Evaluate(set, mine.Token); }
                finally { Interlocked.Decrement(ref _running); }
            }, mine.Token);
            if (outcome is null) return Errors(errors);
            return Results.Text(Json(w =>
            {
                w.WriteStartObject("set");
                foreach (var (path, value) in set)
                {
                    w.WritePropertyName(path);
                    if (value is null) w.WriteNullValue();
                    else value.WriteTo(w);
                }
                w.WriteEndObject();
                WriteOutcome(w, outcome);
                WriteValues(w, outcome.Result);
                w.WriteNumber("milliseconds", Math.Round(clock.Elapsed.TotalMilliseconds, 1));
            }), "application/json; charset=utf-8");
        }
        catch (OperationCanceledException)
        {
            return Results.Text(Json(w => w.WriteString("superseded", "a newer setting was asked for before this one was done")),
                "application/json; charset=utf-8", statusCode: StatusCodes.Status409Conflict);
        }
        catch (Exception e)
        {
            // A setting the format accepts but the model cannot run is the request's problem, as a failed scenario is
            // in a batch: one line, no stack trace.
            return Message(StatusCodes.Status422UnprocessableEntity, $"failed while running: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            lock (_gate)
            {
                if (_latest == mine) _latest = null;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex VariantName();

    private async Task<IResult> SaveAsync(HttpContext context)
    {
        var (body, problem) = await ReadAsync(context);
        if (problem is not null) return problem;
        if (Setting(body!, out var set) is { } bad) return bad;
        if (body!["name"] is not JsonValue nameValue || !nameValue.TryGetValue(out string? name) || !VariantName().IsMatch(name))
            return Message(StatusCodes.Status400BadRequest, "give the variant a \"name\" of 1 to 64 letters, digits, '-' or '_', starting with a letter or digit (it names the file and the result folder)");
        var errors = _whatIf.Check(set);
        if (errors.Count > 0) return Errors(errors);

        // The name allows no separator or dot, so the file is always in the scenario's own folder; checked again anyway.
        string folder = Path.GetDirectoryName(_scenarioFile)!;
        string file = Path.GetFullPath(Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(_scenarioFile)}.{name}.json"));
        if (!string.Equals(Path.GetDirectoryName(file), folder, StringComparison.Ordinal))
            return Message(StatusCodes.Status400BadRequest, "the file would be outside the scenario's folder");
        var text = _whatIf.WithVariant(set, name).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        try
        {
            await using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"));
        }
        catch (IOException) when (File.Exists(file))
        {
            return Message(StatusCodes.Status409Conflict, $"{Path.GetFileName(file)} exists already; choose another name");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Message(StatusCodes.Status409Conflict, $"cannot write {Path.GetFileName(file)}: {e.Message}");
        }
        return Results.Text(Json(w =>
        {
            w.WriteString("file", Path.GetFileName(file));
            w.WriteString("run", $"simulator run {Path.GetFileName(file)}");
        }), "application/json; charset=utf-8");
    }

    /// <summary>The body as a JSON object, or the 4xx that says why it is not one.</summary>
    private static async Task<(JsonObject? Body, IResult? Problem)> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var node = JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            if (node is not JsonObject body) return (null, Message(StatusCodes.Status400BadRequest, "the body must be a JSON object: {\"set\": {\"<path>\": value, …}}"));
            // Objects are read lazily: visiting every one finds duplicate keys here, as a 400, rather than later.
            Visit(body);
            return (body, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or BadHttpRequestException)
        {
            return (null, Message(StatusCodes.Status400BadRequest, $"the body is not valid JSON: {e.Message}"));
        }
    }

    private static void Visit(JsonNode? node)
    {
        if (node is JsonObject o) foreach (var (_, value) in o) Visit(value);
        else if (node is JsonArray a) foreach (var value in a) Visit(value);
    }

    private static IResult TooLarge() =>
        Message(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes; a setting is a few paths and values");

    private static IResult? Setting(JsonObject body, out List<KeyValuePair<string, JsonNode?>> set)
    {
        set = [];
        if (body["set"] is not JsonObject settings)
            return Message(StatusCodes.Status400BadRequest, "the body must hold \"set\": an object of paths and values, e.g. {\"set\": {\"policy.tolerance.angel\": 0.7}}");
        set = settings.Select(kv => KeyValuePair.Create(kv.Key, kv.Value)).ToList();
        return null;
    }

    private static IResult Errors(IReadOnlyList<WhatIfError> errors) => Results.Text(Json(w =>
    {
        w.WriteStartArray("errors");
        foreach (var e in errors)
        {
            w.WriteStartObject();
            if (e.Path is null) w.WriteNull("path");
            else w.WriteString("path", e.Path);
            w.WriteString("message", e.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }), "application/json; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    private static IResult Message(int status, string message) =>
        Results.Text(Json(w =>
        {
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteNull("path");
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndArray();
        }), "application/json; charset=utf-8", statusCode: status);

    /// <summary>Every key figure with its standard error, its difference from the base and the difference's paired
    /// standard error, then the run's summary.json as a batch run writes it.</summary>
    private static void WriteOutcome(Utf8JsonWriter w, WhatIfOutcome outcome)
    {
        w.WriteStartArray("figures");
        foreach (var f in outcome.Figures) WriteFigure(w, f);
        w.WriteEndArray();
        using var summary = new MemoryStream();
        SummaryJsonWriter.Write(outcome.Result, summary);
        w.WritePropertyName("summary");
        w.WriteRawValue(summary.ToArray());
    }

    /// <summary>
    /// The value each control has in the run (as the base's controls give <c>value</c>: a choice by its index): what
    /// applies to the sliders the user has not moved. Choosing another rule set changes the tolerance of every fund
    /// without its own, and the page shows that rather than the base's.
    /// </summary>
    private static void WriteValues(Utf8JsonWriter w, Simulator.Core.Engine.SimulationResult run)
    {
        w.WriteStartObject("values");
        foreach (var c in InstrumentControls.Of(run)) w.WriteNumber(c.Path, c.Value);
        w.WriteEndObject();
    }

    private static void WriteFigure(Utf8JsonWriter w, FigureComparison f)
    {
        w.WriteStartObject();
        w.WriteString("name", f.Figure.Name);
        w.WriteString("item", f.Figure.Item);
        w.WriteString("unit", JsonNamingPolicy.CamelCase.ConvertName(f.Figure.Unit.ToString()));
        Number(w, "value", f.Estimate.Value);
        Number(w, "standardError", f.Estimate.StandardError);
        Number(w, "difference", f.Difference.Value);
        Number(w, "differenceStandardError", f.Difference.StandardError);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x);
        else w.WriteNull(name);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Writer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
