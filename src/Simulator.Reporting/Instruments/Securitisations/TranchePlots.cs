using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Securitisations;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Instruments.Securitisations;

/// <summary>The securitisations' charts: per deal, the tranches' and the guarantor's losses.</summary>
internal static class TranchePlots
{
    private const string Prefix = "tranches-";

    internal static IEnumerable<PlotFile> Files(SimulationResult run, SecuritisationsResult result)
    {
        string title = run.Scenario.Title;
        foreach (var d in result.Deals) yield return new PlotFile($"{Prefix}{d.Deal.Name}.png", path => Write(d, title, path));
    }

    internal static PlotInfo? Describe(string file, string name) => name.StartsWith(Prefix, StringComparison.Ordinal)
        ? new PlotInfo(file, $"Tranche losses — {name[Prefix.Length..]}",
            "Bars per layer: the expected loss (left bar) and the mean over the worst 1% of trials (ES99, right bar) of the pool's credit loss, " +
            "the senior and subordinate tranches and the shortfall guarantor's payments, as a share of each layer's size (the guarantor's: of its capital).", false)
        : null;

    private static void Write(SecuritisationResult d, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {d.Deal.Name}: tranche losses", "", "Loss (% of the layer's size)");
        var deal = d.Deal;
        (string Name, Core.Statistics.LossSummary Loss, double Size)[] layers =
        [
            ("Pool credit loss", d.PoolLoss, deal.PoolAmount),
            ($"Senior ({FigureText.Money(deal.SeniorAmount)} M, grade {d.Grade})", d.SeniorLoss, deal.SeniorAmount),
            ($"Subordinate ({FigureText.Money(deal.SubordinateAmount)} M)", d.SubordinateLoss, deal.SubordinateAmount),
            ($"Guarantor paid (capital {FigureText.Money(deal.GuarantorCapital)} M)", d.ShortfallPaid, deal.GuarantorCapital),
        ];
        var ticks = new NumericManual();
        double top = 1;
        for (int i = 0; i < layers.Length; i++)
        {
            var (name, loss, size) = layers[i];
            double mean = size > 0 ? loss.Mean / size * 100 : 0, es = size > 0 ? loss.Es99 / size * 100 : 0;
            top = Math.Max(top, es);
            plot.Add.Bars(new List<Bar>
            {
                new() { Position = i - 0.18, Value = mean, Size = 0.34, FillColor = PlotStyle.SeriesColor(0), LineWidth = 0 },
                new() { Position = i + 0.18, Value = es, Size = 0.34, FillColor = PlotStyle.ToleranceColor.WithAlpha(0.8), LineWidth = 0 },
            });
            ticks.AddMajor(i, name);
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Expected loss", FillColor = PlotStyle.SeriesColor(0) });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Worst 1% of trials (ES99)", FillColor = PlotStyle.ToleranceColor.WithAlpha(0.8) });
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimits(-0.6, layers.Length - 0.4, 0, Math.Min(100, top) * 1.3);
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path, PlotStyle.Width + 200);
    }
}
