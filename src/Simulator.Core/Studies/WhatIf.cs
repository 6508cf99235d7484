using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Format;
using Simulator.Core.Instruments;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Studies;

/// <summary>A problem with one setting of a what-if: the path as the caller wrote it (null: the setting as a whole) and the
/// validation message the command line gives for the same setting in a file's "variants".</summary>
/// <param name="Path">The setting's path, e.g. <c>funds[seed-a].tolerance</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record WhatIfError(string? Path, string Message);

/// <summary>A setting evaluated against the base: the run's result and every key figure with its paired difference.</summary>
/// <param name="Result">The setting's run (the base's own result when the setting changes nothing).</param>
/// <param name="Figures">Every key figure: its value, its difference from the base, each with its standard error.</param>
public sealed record WhatIfOutcome(SimulationResult Result, IReadOnlyList<FigureComparison> Figures);

/// <summary>
/// "What if this setting were different?" asked many times of one scenario: the base runs once and keeps its key
/// figures' per-trial values; each setting is then turned into a variant exactly as the file's "variants" would be
/// (same paths, same validation, same messages) and run through <see cref="Study.RunVariant"/> on the base's random
/// numbers, so its figures equal those of a batch run of the same variant to the last digit. Evaluations run one at a
/// time (the engine already uses every core); the what-if server and any other tool share this class.
/// </summary>
public sealed class WhatIf : IDisposable
{
    /// <summary>The name the setting's variant runs under.</summary>
    public const string VariantName = "what-if";

    private static readonly JsonDocumentOptions FileOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    private readonly Study _study;
    private readonly StudyBaseline _baseline;
    private readonly JsonObject _file;
    private readonly string _label;
    private readonly RunOptions _options;
    private readonly SemaphoreSlim _one = new(1, 1);

    private WhatIf(Study study, StudyBaseline baseline, JsonObject file, string label, RunOptions options)
    {
        _study = study;
        _baseline = baseline;
        _file = file;
        _label = label;
        _options = options;
    }

    /// <summary>The base run.</summary>
    public SimulationResult Base => _baseline.Result;

    /// <summary>
    /// What the settings can reuse of the base, in a sentence for the person starting the server: whether its rows were
    /// kept and its trials recorded, with the memory each took, and which settings then move without new trials (the
    /// thresholds of the instruments that rewrite them, e.g. tolerances; the settlement settings of those that replay,
    /// e.g. a scheme's shares, caps and budgets); when the rows or the recordings did not fit, what that costs and how to
    /// avoid it.
    /// </summary>
    public string ReuseNote
    {
        get
        {
            const double MB = 1024 * 1024;
            var rows = _baseline.Rows;
            if (rows is null)
                return $"the base's rows did not fit in {RowStore.MaxBytes / MB:N0} MB: every setting runs new trials (fewer --trials keeps them)";
            var instruments = Base.Scenario.Instruments().Where(i => i.Items.Count > 0).ToList();
            var recordable = instruments.OfType<IRecordable>().Where(r => r.Records).Select(r => r.RecordedSettings).ToList();
            string kept = $"kept the base's rows ({rows.Bytes / MB:N0} MB)";
            var recording = _baseline.Recording;
            if (recording is not null && recording.Budget.Bytes > 0)
                kept += $" and its recorded trials ({recording.Budget.Bytes / MB:N0} MB of at most {recording.Budget.MaxBytes / MB:N0} MB)";
            var moves = new List<string>();
            if (instruments.Any(i => i is IRethresholdable)) moves.Add("tolerances");
            if (recording is not null) moves.AddRange(recordable);
            string what = moves.Count == 0 ? "a setting evaluates only the instruments it changes, on the base's trials"
                : $"{Words(moves)} move without new trials";
            if (recordable.Count > 0 && recording is null)
                return $"{kept}: {what}; its recorded trials passed {RunRecording.MaxBytes / MB:N0} MB, so {Words(recordable)} run new trials (fewer --trials records them)";
            return $"{kept}: {what}";

            static string Words(List<string> items) => items.Count == 1 ? items[0] : $"{string.Join(", ", items[..^1])} and {items[^1]}";
        }
    }

    /// <summary>The base's key figures (differences 0).</summary>
    public IReadOnlyList<FigureComparison> BaseFigures => _baseline.BaseFigures;

    /// <summary>The scenario file as written, without its own variants, sweep and sensitivity (what a saved setting starts from).</summary>
    public JsonObject File => _file.DeepClone().AsObject();

    /// <summary>
    /// Loads <paramref name="scenario"/> (the file the base was loaded from, read again as JSON so that settings are
    /// applied to the text as written) and runs its base with <paramref name="trials"/> trials (null: the file's).
    /// </summary>
    public static WhatIf Start(SimulationEngine engine, Scenario scenario, byte[] fileText, int? trials, RunOptions options, CancellationToken cancellation = default)
    {
        var node = JsonNode.Parse(Strip(fileText), documentOptions: FileOptions)!.AsObject();
        // The file's own study is not part of a what-if: its variants would be run again and renamed otherwise.
        node.Remove("variants");
        node.Remove("sweep");
        node.Remove("sensitivity");
        node.Remove("solve");
        // The server keeps the base's key figures, trial by trial, as long as it runs (56 MB at 100,000 trials of
        // wuhan-relay-floor): within the process's default budget (48 MiB) they left no room for a setting's statistics,
        // whose series then went to temporary files and back at every move (10-25% of a tolerance move). Its own budget
        // holds as much as the rows it keeps at most.
        if (options.Memory is null) options = options with { Memory = SeriesBudget.Own(RowStore.MaxBytes) };
        var study = new Study(engine);
        var plain = scenario.WithRunSettings(trials, null) with { Variants = [], Sweep = null, Sensitivity = null, Solve = null };
        // The rows are kept (within RowStore.MaxBytes): a setting then evaluates only the instruments it changes, and a
        // tolerance moves without evaluating any; the replayable instruments record their trials, so that a scheme's shares,
        // caps and budgets settle the base's defaults again instead of drawing them.
        var baseline = study.RunBase(plain, options, NoObserver.Instance, cancellation, 2, keepRows: true, record: true);
        return new WhatIf(study, baseline, node, scenario.SourceFile, options);
    }

    /// <summary>The file with <paramref name="set"/> as its one variant named <paramref name="name"/>: what a batch run
    /// of the same setting reads.</summary>
    public JsonObject WithVariant(IReadOnlyList<KeyValuePair<string, JsonNode?>> set, string name = VariantName)
    {
        var node = File;
        var settings = new JsonObject();
        foreach (var (path, value) in set) settings[path] = value?.DeepClone();
        node["variants"] = new JsonArray(new JsonObject { ["name"] = name, ["set"] = settings });
        return node;
    }

    /// <summary>
    /// Evaluates a setting (paths as in "variants", e.g. <c>policy.tolerance.angel</c>) against the base. Returns the
    /// outcome, or the validation errors and no outcome. An empty setting is the base itself.
    /// </summary>
    public (WhatIfOutcome? Outcome, IReadOnlyList<WhatIfError> Errors) Evaluate(IReadOnlyList<KeyValuePair<string, JsonNode?>> set, CancellationToken cancellation = default)
    {
        if (set.Count == 0) return (new WhatIfOutcome(Base, BaseFigures), []);
        var (variant, errors) = Load(set);
        if (variant is null) return (null, errors);
        _one.Wait(cancellation);
        try
        {
            var (result, outcome) = _study.RunVariant(_baseline, variant, _options, NoObserver.Instance, cancellation);
            return (new WhatIfOutcome(result, outcome.Figures), []);
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Checks a setting without running it: its validation errors (none when it would run).</summary>
    public IReadOnlyList<WhatIfError> Check(IReadOnlyList<KeyValuePair<string, JsonNode?>> set) => Load(set).Errors;

    private (ScenarioVariant? Variant, IReadOnlyList<WhatIfError> Errors) Load(IReadOnlyList<KeyValuePair<string, JsonNode?>> set)
    {
        if (set.Count == 0) return (null, [new WhatIfError(null, "the setting is empty; set at least one path, e.g. {\"policy.tolerance.angel\": 0.7}")]);
        var duplicate = set.GroupBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return (null, [new WhatIfError(duplicate.Key, $"'{duplicate.Key}' is set twice; set each path once")]);
        var text = Encoding.UTF8.GetBytes(WithVariant(set).ToJsonString());
        var loaded = ScenarioLoader.Parse(text, _label, Base.Scenario.BaseDirectory);
        // The setting runs on the base's random numbers: the base's seed, which a command line's --seed may have set.
        return loaded.IsValid ? (WithSeed(loaded.Scenario!.Variants[0], Base.Scenario.Seed), []) : (null, loaded.Errors.Select(e => Error(e, set)).ToList());
    }

    private static ScenarioVariant WithSeed(ScenarioVariant variant, long seed) =>
        variant.Scenario.Seed == seed ? variant : variant with { Scenario = variant.Scenario.WithRunSettings(null, seed) };

    // The loader names the setting by its place in the generated file ($.variants[0].set.<path>); the caller knows it by
    // its path. Line numbers point into the generated text, so they are left out.
    private static WhatIfError Error(ScenarioError e, IReadOnlyList<KeyValuePair<string, JsonNode?>> set)
    {
        foreach (var (path, _) in set)
        {
            string at = JsonPositionMap.ChildPath("$.variants[0].set", path);
            if (e.Path == at || e.Path.StartsWith(at + "[", StringComparison.Ordinal) || e.Path.StartsWith(at + ".", StringComparison.Ordinal))
                return new WhatIfError(path, e.Message);
        }
        return new WhatIfError(null, e.Path.StartsWith("$.variants[0]", StringComparison.Ordinal) ? e.Message : $"{e.Path}: {e.Message}");
    }

    private static byte[] Strip(byte[] text) =>
        text.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? text[3..] : text;

    /// <inheritdoc />
    public void Dispose()
    {
        _baseline.Dispose();
        _one.Dispose();
    }

    private sealed class NoObserver : IStudyObserver
    {
        public static readonly NoObserver Instance = new();

        public RunAttachments Starting(StudyRun run) => RunAttachments.None;

        public void Finished(StudyRun run, SimulationResult result) { }
    }
}
