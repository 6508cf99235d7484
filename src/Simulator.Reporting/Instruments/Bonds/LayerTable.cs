using Simulator.Core.Statistics;
using Simulator.Reporting.Html;

namespace Simulator.Reporting.Instruments.Bonds;

/// <summary>A table of loss distributions by item and layer (who bears a bond's loss, a deal's tranches).</summary>
internal static class LayerTable
{
    /// <summary>The table's HTML: one row per (item, layer) with the loss summary's mean, sd, quantiles and ES99 in million CNY.</summary>
    internal static string Render(string id, string itemHeader, IEnumerable<(string Item, string Layer, LossSummary Loss)> rows)
    {
        var t = new HtmlTable(new Column(itemHeader), new Column("Layer"), new Column("Mean", true), new Column("Sd", true), new Column("p50", true),
            new Column("p90", true), new Column("p95", true), new Column("p99", true), new Column("p99.9", true), new Column("ES99", true)) { Id = id };
        foreach (var (item, layer, loss) in rows) t.Row([Cell.Text(item, "name"), Cell.Text(layer), .. ResultTables.LossCells(loss, Cell.Money)]);
        return t.Render();
    }
}
