using System.Text.Json;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Another kind's item as JSON, by the kind's field and the item's name, for the kinds whose items refer to items of
/// another kind and depend on their fields (a relay buyer needs its sellers' fund types and outcome models). Handing
/// out JSON rather than spec records keeps kinds' folders independent: a reader knows field names, not types.
/// </summary>
internal static class ItemLookup
{
    /// <summary>The lookup over <paramref name="root"/>'s registered kinds (null when no such item).</summary>
    public static Func<string, string, JsonElement?> Over(ScenarioSpec root)
    {
        var items = new Dictionary<(string Field, string Name), object>();
        foreach (var kind in InstrumentKinds.Of(typeof(ScenarioSpec)))
            foreach (var item in kind.Items(root))
                if (((INamedSpec)item).Name is { } name) items.TryAdd((kind.Format.Field, name), item);
        return (field, name) => items.TryGetValue((field, name), out var item)
            ? JsonSerializer.SerializeToElement(item, item.GetType(), ScenarioJson.SerializerOptions) : null;
    }

    /// <summary>The names of the items of each kind of <paramref name="root"/>, by the kind's field, in file order.</summary>
    public static Func<string, IReadOnlyList<string>> Names(ScenarioSpec root)
    {
        var names = InstrumentKinds.Of(typeof(ScenarioSpec)).ToDictionary(k => k.Format.Field,
            k => (IReadOnlyList<string>)[.. k.Items(root).Cast<INamedSpec>().Select(x => x.Name).OfType<string>()], StringComparer.Ordinal);
        return field => names.TryGetValue(field, out var n) ? n : [];
    }
}
