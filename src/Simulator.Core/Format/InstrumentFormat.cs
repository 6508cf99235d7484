using System.Reflection;
using System.Text.Json;
using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Outcomes;

namespace Simulator.Core.Format;

/// <summary>
/// Registers an instrument kind: put it on the list property of the scenario file's root that holds the kind's items
/// (<c>"funds"</c>, <c>"guarantees"</c>, …). That property is the kind's one registration line: the binder, the JSON
/// Schema, scenario.json and variant paths follow the property by reflection, and the loader, defaults, validation and
/// builder call the format named here.
/// </summary>
/// <param name="format">The kind's format, a type deriving from <see cref="InstrumentFormat{TSpec}"/> with a parameterless constructor.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InstrumentListAttribute(Type format) : Attribute
{
    /// <summary>The kind's format type.</summary>
    public Type Format { get; } = format;
}

/// <summary>An item of an instrument kind's list in the scenario file: every item has a name, unique across kinds.</summary>
public interface INamedSpec
{
    /// <summary>The item's name (null when the file left it out; the binder has reported that).</summary>
    string? Name { get; }
}

/// <summary>
/// An instrument kind's part of the scenario format, beside its spec records: defaults, validation with JSON paths,
/// input files, and the build of the immutable model and instrument. The scenario's loader calls these for every
/// registered kind (see <see cref="InstrumentListAttribute"/>) and names none.
/// </summary>
public interface IInstrumentFormat
{
    /// <summary>The kind, as <see cref="IInstrument.Kind"/> of the instrument it builds.</summary>
    string Kind { get; }

    /// <summary>The field of the scenario file that holds the items, e.g. <c>funds</c>.</summary>
    string Field { get; }

    /// <summary>One item, for messages: "fund", "guarantee".</summary>
    string Noun { get; }

    /// <summary>The type of an item's spec record.</summary>
    Type SpecType { get; }

    /// <summary>
    /// Whether the filled file lists the kind (as an empty list) when the file has none of its items. The first kinds
    /// do, and their empty lists are part of published scenario.json files; a kind added later says false, so that the
    /// result files of scenarios without it stay byte for byte what they were.
    /// </summary>
    bool ListedWhenAbsent { get; }

    /// <summary>The item with the defaults that depend on no other field filled in.</summary>
    object Fill(object item);

    /// <summary>The horizon the item asks for when the file gives none (years).</summary>
    int DefaultHorizonYears(object item);

    /// <summary>The outcome models the item uses (their presets are written into scenario.json).</summary>
    IEnumerable<string> OutcomeModels(object item);

    /// <summary>Checks the items (as written, before defaults) and reads their input files; reports through <paramref name="context"/>.</summary>
    void Validate(IReadOnlyList<object> items, string listPath, FormatContext context);

    /// <summary>The kind's instrument over the filled items (possibly none).</summary>
    IInstrument Build(IReadOnlyList<object> filled, BuildContext context);

    /// <summary>
    /// The item as scenario.json writes it, with its input files copied beside it by <paramref name="copy"/> (source path,
    /// folder, file name → the path to write); items without input files come back unchanged.
    /// </summary>
    object WithCopiedFiles(object item, string baseDirectory, Func<string, string, string, string> copy);

    /// <summary>
    /// Fields that only decide how the kind classifies per-trial values its rows keep (a fund's tolerance only says which
    /// loss ratios breach), as paths with <c>[*]</c> for every item, e.g. <c>funds[*].tolerance</c>. A variant that
    /// changes nothing else re-derives its rows from the base's (<see cref="IRethresholdable"/>) instead of running new
    /// trials, with the same results to the last bit.
    /// </summary>
    IReadOnlyList<string> ThresholdFields { get; }

    /// <summary>
    /// Fields that only decide how the kind settles per-trial events, not which events happen (a guarantee scheme's shares,
    /// pool limits and guarantor terms: who pays each default), as paths like <see cref="ThresholdFields"/>. A variant that
    /// changes nothing else replays the base's recorded events under its own settings (<see cref="IReplayable"/>) instead
    /// of drawing them, with the same results to the last bit; trials where a setting feeds back into the events are
    /// evaluated anew.
    /// </summary>
    IReadOnlyList<string> ReplayFields { get; }

    /// <summary>
    /// The fields of the scenario file outside the kind's own list that its model reads, among those
    /// <see cref="BuildContext.DeclarableFields"/> names (<c>policy</c>: the tolerances; <c>outcomes</c>: the outcome
    /// models); null: all of them. The fields no kind may declare (factors, stresses, report, simulation, …) are read by
    /// every kind. A variant that changes none of a kind's fields leaves its columns and results as the base's, so a
    /// study reuses them instead of evaluating the kind again (<c>Studies/Reuse.cs</c>). The build enforces it: reading
    /// an undeclared field through <see cref="BuildContext"/> throws.
    /// </summary>
    IReadOnlyList<string>? SharedFields { get; }

    /// <summary>
    /// The other kinds' lists (by field, e.g. <c>funds</c>) whose items the kind reads through
    /// <see cref="BuildContext.Item"/> (a relay buyer: its sellers' types and outcome models). A variant that changes any of
    /// those lists evaluates the kind again; the build refuses a read of an undeclared list.
    /// </summary>
    IReadOnlyList<string> ItemFields { get; }
}

/// <summary>The typed base of a kind's format.</summary>
/// <typeparam name="TSpec">The spec record of one item.</typeparam>
public abstract class InstrumentFormat<TSpec> : IInstrumentFormat where TSpec : class, INamedSpec
{
    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public abstract string Field { get; }

    /// <inheritdoc/>
    public abstract string Noun { get; }

    /// <inheritdoc/>
    public Type SpecType => typeof(TSpec);

    /// <inheritdoc/>
    public virtual bool ListedWhenAbsent => true;

    /// <summary>The item with its defaults filled in.</summary>
    public abstract TSpec Fill(TSpec item);

    /// <summary>The horizon the item asks for when the file gives none.</summary>
    public virtual int DefaultHorizonYears(TSpec item) => 1;

    /// <summary>The outcome models the item uses.</summary>
    public virtual IEnumerable<string> OutcomeModels(TSpec item) => [];

    /// <summary>Checks the items; paths start at <paramref name="listPath"/> (e.g. <c>$.funds</c>).</summary>
    public abstract void Validate(IReadOnlyList<TSpec> items, string listPath, FormatContext context);

    /// <summary>The kind's instrument.</summary>
    public abstract IInstrument Build(IReadOnlyList<TSpec> filled, BuildContext context);

    /// <summary>The item with its input files copied; none by default.</summary>
    public virtual TSpec WithCopiedFiles(TSpec item, string baseDirectory, Func<string, string, string, string> copy) => item;

    /// <inheritdoc/>
    public virtual IReadOnlyList<string> ThresholdFields => [];

    /// <inheritdoc/>
    public virtual IReadOnlyList<string> ReplayFields => [];

    /// <inheritdoc/>
    public virtual IReadOnlyList<string>? SharedFields => null;

    /// <inheritdoc/>
    public virtual IReadOnlyList<string> ItemFields => [];

    object IInstrumentFormat.Fill(object item) => Fill((TSpec)item);
    int IInstrumentFormat.DefaultHorizonYears(object item) => DefaultHorizonYears((TSpec)item);
    IEnumerable<string> IInstrumentFormat.OutcomeModels(object item) => OutcomeModels((TSpec)item);
    void IInstrumentFormat.Validate(IReadOnlyList<object> items, string listPath, FormatContext context) => Validate(items.Cast<TSpec>().ToList(), listPath, context);
    IInstrument IInstrumentFormat.Build(IReadOnlyList<object> filled, BuildContext context) => Build(filled.Cast<TSpec>().ToList(), context);
    object IInstrumentFormat.WithCopiedFiles(object item, string baseDirectory, Func<string, string, string, string> copy) => WithCopiedFiles((TSpec)item, baseDirectory, copy);
}

/// <summary>A registered kind: its list property on the scenario root and its format.</summary>
/// <param name="Property">The list property.</param>
/// <param name="Format">The kind's format.</param>
public sealed record InstrumentKind(PropertyInfo Property, IInstrumentFormat Format)
{
    /// <summary>The items of the kind in <paramref name="root"/> (empty when absent).</summary>
    public IReadOnlyList<object> Items(object root) =>
        Property.GetValue(root) is System.Collections.IEnumerable list ? list.Cast<object>().ToList() : [];

    /// <summary>Whether <paramref name="root"/> has the kind's list at all (present, possibly empty).</summary>
    public bool Present(object root) => Property.GetValue(root) is not null;

    /// <summary>A list of the spec's type holding <paramref name="items"/>, to set on the root.</summary>
    public object ToList(IEnumerable<object> items)
    {
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(Format.SpecType))!;
        foreach (var item in items) list.Add(item);
        return list;
    }
}

/// <summary>The registered instrument kinds of a root spec type, in the order of its properties.</summary>
public static class InstrumentKinds
{
    private static readonly Dictionary<Type, IReadOnlyList<InstrumentKind>> Cache = [];

    /// <summary>The kinds registered on <paramref name="root"/>'s properties, in declaration order.</summary>
    public static IReadOnlyList<InstrumentKind> Of(Type root)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(root, out var kinds)) return kinds;
            kinds = root.GetProperties().OrderBy(p => p.MetadataToken)
                .Select(p => (Property: p, Attribute: p.GetCustomAttribute<InstrumentListAttribute>()))
                .Where(x => x.Attribute is not null)
                .Select(x => new InstrumentKind(x.Property, (IInstrumentFormat)Activator.CreateInstance(x.Attribute!.Format)!))
                .ToList();
            return Cache[root] = kinds;
        }
    }

    /// <summary>"funds and guarantees" for messages.</summary>
    public static string ItemsNoun(IReadOnlyList<InstrumentKind> kinds)
    {
        var names = kinds.Select(k => k.Format.Field).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
    }

    /// <summary>"\"funds\" or \"guarantees\"" for messages.</summary>
    public static string FieldList(IReadOnlyList<InstrumentKind> kinds)
    {
        var names = kinds.Select(k => $"\"{k.Format.Field}\"").ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
    }
}

/// <summary>What a kind's validation sees of the rest of the file, and where it reports.</summary>
public sealed class FormatContext
{
    private readonly Action<string, string> _add;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> _names;

    internal FormatContext(Action<string, string> add, IReadOnlyList<string> factorNames, IReadOnlySet<string> outcomeModels,
        IReadOnlyDictionary<string, IReadOnlySet<string>> names, string fileLabel, string baseDirectory, Dictionary<string, object> fileCache,
        Func<string, bool> hasError)
    {
        _add = add;
        Factors = factorNames;
        FactorNames = factorNames.ToHashSet(StringComparer.Ordinal);
        OutcomeModelNames = outcomeModels;
        _names = names;
        FileLabel = fileLabel;
        BaseDirectory = baseDirectory;
        FileCache = fileCache;
        _hasError = hasError;
    }

    private readonly Func<string, bool> _hasError;

    /// <summary>Reports a problem at a JSON path.</summary>
    public void Add(string path, string message) => _add(path, message);

    /// <summary>Whether a problem was already reported at <paramref name="path"/> (e.g. by the binder).</summary>
    public bool HasError(string path) => _hasError(path);

    /// <summary>The declared factors.</summary>
    public IReadOnlySet<string> FactorNames { get; }

    /// <summary>The declared factors in file order.</summary>
    public IReadOnlyList<string> Factors { get; }

    /// <summary>The outcome models an item may name (presets and custom).</summary>
    public IReadOnlySet<string> OutcomeModelNames { get; }

    /// <summary>The names of another kind's items (by field, e.g. "funds"), for references between instruments.</summary>
    public IReadOnlySet<string> ItemNames(string field) => _names.TryGetValue(field, out var n) ? n : new HashSet<string>();

    internal Func<string, string, System.Text.Json.JsonElement?>? ItemLookup { get; init; }

    /// <summary>
    /// Another kind's item as written (by field, e.g. "funds", and name), as JSON: for references that depend on the
    /// item's fields (a relay buyer's sellers must be seed or angel funds); null when there is no such item.
    /// </summary>
    public System.Text.Json.JsonElement? Item(string field, string name) => ItemLookup?.Invoke(field, name);

    /// <summary>The file as named by the user (for messages about input files).</summary>
    public string FileLabel { get; }

    /// <summary>The folder input files are resolved against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Input files read, by a key of the kind's choosing, kept across the variants of a file.</summary>
    public Dictionary<string, object> FileCache { get; }

    /// <summary>Data read from input files, by item index, for <see cref="BuildContext.Loaded"/>.</summary>
    public Dictionary<int, object> Loaded { get; } = [];

    /// <summary>Problems found in input files (they carry their own file, line and column).</summary>
    public List<ScenarioError> FileErrors { get; } = [];

    /// <summary>Checks factor loadings: known factors, each in (−1, 1), squares summing below 1.</summary>
    public void Exposure(Dictionary<string, double> exposure, string path)
    {
        double sum = 0;
        foreach (var (factor, b) in exposure)
        {
            string at = JsonPositionMap.ChildPath(path, factor);
            if (!FactorNames.Contains(factor))
                Add(at, $"unknown factor '{factor}'{SpecBinder.Suggest(factor, FactorNames)}; declared factors: {FactorList(FactorNames)}");
            if (b is <= -1 or >= 1) Add(at, $"value {b.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} is out of range; a loading lies in (−1, 1)");
            sum += b * b;
        }
        if (sum >= 1)
            Add(path, $"the squares of the loadings sum to {sum.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)}; they must sum to less than 1 (the rest is the item's own risk)");
    }

    /// <summary>The declared factors for a message.</summary>
    public static string FactorList(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none; declare them under \"factors\")" : string.Join(", ", list);
    }
}

/// <summary>What a kind's build sees of the rest of the filled file.</summary>
public sealed class BuildContext
{
    private readonly IReadOnlyDictionary<string, int> _factorIndex;
    private readonly Func<string, OutcomeModel> _outcome;
    private readonly IReadOnlyDictionary<int, object> _loaded;

    private readonly ToleranceSpec _tolerance;
    private readonly ExemptionSpec? _exemption;
    private readonly IInstrumentFormat? _format;

    /// <summary>The fields outside its own list a kind may declare it reads (<see cref="IInstrumentFormat.SharedFields"/>);
    /// every other field of the file is read by every kind.</summary>
    public static IReadOnlyList<string> DeclarableFields { get; } = [PolicyField, OutcomesField];

    private const string PolicyField = "policy", OutcomesField = "outcomes";

    internal BuildContext(IReadOnlyList<Factor> factors, Func<string, OutcomeModel> outcome, ToleranceSpec tolerance,
        IReadOnlyList<StressSpec> modelStresses, ReportSpec report, IReadOnlyDictionary<int, object> loaded, IInstrumentFormat? format = null,
        ExemptionSpec? exemption = null)
    {
        _exemption = exemption;
        Factors = factors;
        _factorIndex = factors.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        _outcome = outcome;
        _tolerance = tolerance;
        ModelStresses = modelStresses;
        Report = report;
        _loaded = loaded;
        _format = format;
    }

    // A kind that reads a field it did not declare would keep the base's results when a variant changes that field:
    // refused at once, so a test of the kind finds it.
    private void Declared(string field)
    {
        if (_format?.SharedFields is { } fields && !fields.Contains(field, StringComparer.Ordinal))
            throw new InvalidOperationException($"the {_format.Field} format reads \"{field}\" but its SharedFields ({string.Join(", ", fields)}) do not declare it");
    }

    /// <summary>The factors, in file order.</summary>
    public IReadOnlyList<Factor> Factors { get; }

    /// <summary>Loadings by factor index from loadings by name.</summary>
    public double[] Loadings(IReadOnlyDictionary<string, double> exposure)
    {
        var loadings = new double[Factors.Count];
        foreach (var (name, b) in exposure) loadings[_factorIndex[name]] = b;
        return loadings;
    }

    /// <summary>The index of a factor.</summary>
    public int FactorIndex(string name) => _factorIndex[name];

    internal Func<string, string, System.Text.Json.JsonElement?>? ItemLookup { get; init; }

    /// <summary>Another kind's filled item (by field, e.g. "funds", and name), as JSON; null when there is no such item. The
    /// field must be among the kind's <see cref="IInstrumentFormat.ItemFields"/>.</summary>
    public System.Text.Json.JsonElement? Item(string field, string name)
    {
        if (_format is not null && !_format.ItemFields.Contains(field, StringComparer.Ordinal))
            throw new InvalidOperationException($"the {_format.Field} format reads items of \"{field}\" but its ItemFields ({string.Join(", ", _format.ItemFields)}) do not declare it");
        return ItemLookup?.Invoke(field, name);
    }

    internal Func<string, IReadOnlyList<string>>? NamesLookup { get; init; }

    /// <summary>The names of another kind's items (by field, e.g. "funds"), in file order.</summary>
    public IReadOnlyList<string> ItemNames(string field) => NamesLookup?.Invoke(field) ?? [];

    /// <summary>The outcome model of that name (custom or preset), built once per scenario.</summary>
    public OutcomeModel Outcome(string name)
    {
        Declared(OutcomesField);
        return _outcome(name);
    }

    /// <summary>The policy's tolerances, filled (resolved against <c>policy.rules</c>, see <see cref="PolicyRules"/>).</summary>
    public ToleranceSpec Tolerance
    {
        get
        {
            Declared(PolicyField);
            return _tolerance;
        }
    }

    /// <summary>The policy's due-diligence exemption, filled, for the items that have none of their own (null: none).</summary>
    public ExemptionSpec? Exemption
    {
        get
        {
            Declared(PolicyField);
            return _exemption;
        }
    }

    /// <summary>The library stresses that change models rather than shift factors, filled, in file order.</summary>
    public IReadOnlyList<StressSpec> ModelStresses { get; }

    /// <summary>The report's extra thresholds, filled.</summary>
    public ReportSpec Report { get; }

    /// <summary>What the kind's validation read from the input files of item <paramref name="index"/>.</summary>
    public object? Loaded(int index) => _loaded.TryGetValue(index, out var o) ? o : null;
}
