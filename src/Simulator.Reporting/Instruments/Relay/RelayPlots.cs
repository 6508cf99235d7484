using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Relay;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Instruments.Relay;

/// <summary>A chart per relay: each seller's breach probability without and with the relay, and the relay tranche's.</summary>
internal static class RelayPlots
{
    private const string Prefix = "relay-";
    private const double Z95 = 1.959963984540054;

    internal static IEnumerable<PlotFile> Files(SimulationResult run, RelayResult result)
    {
        string title = run.Scenario.Title;
        foreach (var r in result.Items) yield return new PlotFile($"{Prefix}{r.Relay.Name}.png", path => Write(r, title, path));
    }

    internal static PlotInfo? Describe(string file, string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
            ? new PlotInfo(file, $"Breach probability with and without the relay buyer — {name[Prefix.Length..]}",
                "For each seller fund, the probability that its loss ratio (gross, on its projects) exceeds its tolerance without relay and with the " +
                "relay deals booked at their price, from the same trials; the last bar is the relay tranche's probability of breaching the seed/angel " +
                "tolerance on its cost. Whiskers: 95% intervals.", false)
            : null;

    private static void Write(RelayItemResult r, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {r.Relay.Name}: breach probability with and without relay", "", "Probability (% of trials)");
        var ticks = new NumericManual();
        double top = 1;
        void Bar(double x, Core.Statistics.ProbabilityEstimate p, int series, string? legend)
        {
            var bars = plot.Add.Bars([x], [p.Probability * 100]);
            foreach (var bar in bars.Bars)
            {
                bar.FillColor = PlotStyle.SeriesColor(series).WithAlpha(0.8);
                bar.Size = 0.38;
            }
            if (legend is not null) bars.LegendText = legend;
            var error = plot.Add.ErrorBar([x], [p.Probability * 100], [Z95 * p.StandardError * 100]);
            error.Color = Colors.Black;
            top = Math.Max(top, (p.Probability + Z95 * p.StandardError) * 100);
        }
        for (int i = 0; i < r.Sellers.Count; i++)
        {
            var s = r.Sellers[i];
            Bar(i - 0.2, s.Breach, 0, i == 0 ? "Seller, without relay" : null);
            Bar(i + 0.2, s.BreachWithRelay, 1, i == 0 ? "Seller, with relay" : null);
            ticks.AddMajor(i, s.Fund);
        }
        int n = r.Sellers.Count;
        Bar(n, r.TrancheBreach, 2, $"Relay tranche ({FigureText.Count(r.MeanDeals)} deals a trial on average)");
        ticks.AddMajor(n, "relay tranche");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimits(-0.7, n + 0.7, 0, Math.Min(105, top * 1.3));
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }
}
