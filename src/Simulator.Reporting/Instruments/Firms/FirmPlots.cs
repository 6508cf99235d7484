using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Engine;
using Simulator.Core.Firms;
using Simulator.Reporting.Html;
using Simulator.Reporting.Numbers;
using Simulator.Reporting.Plots;
using PlotStyle = Simulator.Reporting.Plots.PlotStyle;

namespace Simulator.Reporting.Instruments.Firms;

/// <summary>
/// The books of firms' charts, per book: credit loss against the bank's equity-side gain per trial (with the diagonal
/// where the gain just covers the loss), the bank's net-result distribution with and without the equity leg, and who
/// pays each leg's losses.
/// </summary>
internal static class FirmPlots
{
    private static readonly Color Bank = Color.FromHex("#1F77B4"), Government = Color.FromHex("#2CA02C"), Holder = Color.FromHex("#FF7F0E"), Diagonal = Color.FromHex("#D62728");

    internal static IEnumerable<PlotFile> Files(SimulationResult run, FirmsResult result)
    {
        string title = run.Scenario.Title;
        foreach (var b in result.Books)
        {
            yield return new PlotFile($"firms-cover-{b.Book.Name}.png", path => Cover(b, title, path));
            yield return new PlotFile($"firms-net-{b.Book.Name}.png", path => Net(b, title, path));
            yield return new PlotFile($"firms-payers-{b.Book.Name}.png", path => Payers(b, title, path));
        }
    }

    internal static PlotInfo? Describe(string file, string name)
    {
        if (Book(name, "firms-cover-") is { } cover)
            return new PlotInfo(file, $"Do equity gains cover credit losses? — {cover}",
                $"Each dot is a trial (the first {FirmBookResult.PlotTrials:N0}): its total credit loss (across) and the bank's equity-side gain, warrants plus the stakes' result when the bank holds them (up), in million CNY. " +
                "Above the red diagonal the gains cover the losses (用投资收益弥补信贷损失 holds in that trial); below it they do not.", false);
        if (Book(name, "firms-net-") is { } net)
            return new PlotInfo(file, $"The bank's net result with and without equity — {net}",
                "Bars: share of trials per bin of the bank's net result over the book (million CNY), in blue with the equity leg and warrants, in grey for the same loans without them (at the reference rate). " +
                "The end bins hold the trials beyond the axis (the 0.1% lowest, the 0.5% highest). Dashed lines: the means. A wider blue spread with a higher mean is the trade the equity leg offers.", false);
        if (Book(name, "firms-payers-") is { } payers)
            return new PlotInfo(file, $"Who pays the losses, per leg — {payers}",
                "Stacked bars: the mean credit loss (left) and the mean equity loss, checks not returned (right), in million CNY, split between the government's compensation (green) and what the bank or the equity's holder keeps (blue, orange).", false);
        return null;
    }

    private static string? Book(string name, string prefix) => name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : null;

    private static void Cover(FirmBookResult b, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {b.Book.Name}: credit loss and equity gain per trial",
            $"Credit loss in the trial ({FigureText.MoneyUnit})", $"Bank's equity and warrant gain ({FigureText.MoneyUnit})");
        var xs = b.Plot.Select(p => p.CreditLoss / FigureText.Million).ToArray();
        var ys = b.Plot.Select(p => p.EquityGain / FigureText.Million).ToArray();
        var dots = plot.Add.ScatterPoints(xs, ys, Bank.WithAlpha(0.35));
        dots.MarkerSize = 4;
        dots.LegendText = $"a trial (first {FigureText.Integer(xs.Length)})";
        // Equity gains have a heavy right tail: the top 0.5% of trials would squeeze the rest into a line, so the axis
        // stops at the 99.5th percentile of the gains (and of the losses) and the legend says how many lie beyond.
        double xHi = Math.Max(1e-9, Quantile(xs, 0.995)), yHi = Math.Max(1e-9, Quantile(ys, 0.995));
        double yLo = Math.Min(0, ys.DefaultIfEmpty(0).Min());
        int beyond = xs.Zip(ys).Count(p => p.First > xHi * 1.05 || p.Second > yHi * 1.05);
        double diagonal = Math.Max(xHi, yHi) * 1.05;
        var line = plot.Add.Line(0, 0, diagonal, diagonal);
        line.Color = Diagonal;
        line.LineWidth = 2;
        line.LegendText = $"gain = credit loss (above: covered, P = {FigureText.Probability(b.Covered.Probability)})";
        if (beyond > 0)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{FigureText.Integer(beyond)} trials beyond the axes not shown", LineWidth = 0, MarkerShape = MarkerShape.None });
        plot.Axes.SetLimits(-0.02 * xHi, xHi * 1.05, yLo - 0.02 * yHi, yHi * 1.05);
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }

    private static double Quantile(double[] values, double q)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static void Net(FirmBookResult b, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {b.Book.Name}: the bank's net result",
            $"Net result over the book ({FigureText.MoneyUnit})", "Share of trials");
        var with = b.Plot.Select(p => (p.BankNet / FigureText.Million, p.Weight)).ToArray();
        var without = b.Plot.Select(p => (p.ReferenceNet / FigureText.Million, p.Weight)).ToArray();
        var all = with.Concat(without).Select(p => p.Item1).ToArray();
        // From the 0.1th to the 99.5th percentile of both: the equity's long right tail would squeeze the bulk into a few bars;
        // the trials beyond fall in the end bins.
        double lo = Quantile(all, 0.001), hi = Quantile(all, 0.995);
        if (hi <= lo) hi = lo + 1;
        const int bins = 40;
        double width = (hi - lo) / bins;
        double[] Shares((double Value, double Weight)[] points)
        {
            var shares = new double[bins];
            double total = points.Sum(p => p.Weight);
            foreach (var (v, w) in points) shares[Math.Clamp((int)((v - lo) / width), 0, bins - 1)] += w / total;
            return shares;
        }
        double top = 0;
        foreach (var (points, color, label) in new[] { (without, Colors.Gray, "same loans without equity or warrant"), (with, Bank, "with the equity leg and warrants") })
        {
            var shares = Shares(points);
            top = Math.Max(top, shares.Max());
            var bars = plot.Add.Bars(shares.Select((s, i) => new Bar { Position = lo + (i + 0.5) * width, Value = s, Size = width, FillColor = color.WithAlpha(0.45), LineWidth = 0 }).ToList());
            bars.LegendText = label;
        }
        foreach (var (mean, color) in new[] { (b.ReferenceNet.Mean, Colors.Gray), (b.BankNet.Mean, Bank) })
        {
            var v = plot.Add.VerticalLine(mean / FigureText.Million, 2, color);
            v.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.SetLimits(lo - width, hi + width, 0, top * 1.25);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = x => FigureText.Percent(x, 0) };
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }

    private static void Payers(FirmBookResult b, string scenarioTitle, string path)
    {
        using var plot = PlotStyle.Create($"{scenarioTitle} — {b.Book.Name}: who pays the losses, per leg", "", $"Mean loss ({FigureText.MoneyUnit})");
        string holder = b.Book.Holder == EquityHolder.Bank ? "bank" : "external holder";
        double creditGov = b.GovernmentCredit.Mean / FigureText.Million, creditBank = Math.Max(0, b.CreditLoss.Mean / FigureText.Million - creditGov);
        double equityGov = b.GovernmentEquity.Mean / FigureText.Million, equityHolder = Math.Max(0, b.EquityLoss / FigureText.Million - equityGov);
        (double Position, double Base, double Value, Color Color)[] segments =
        [
            (0.0, 0.0, creditGov, Government),
            (0.0, creditGov, creditBank, Bank),
            (1.0, 0.0, equityGov, Government),
            (1.0, equityGov, equityHolder, Holder),
        ];
        plot.Add.Bars(segments.Select(s => new Bar { Position = s.Position, ValueBase = s.Base, Value = s.Base + s.Value, Size = 0.5, FillColor = s.Color, LineColor = Colors.White, LineWidth = 1 }).ToList());
        foreach (var (label, color) in new[] { ("government compensation", Government), ("kept by the bank", Bank), ($"kept by the equity's holder ({holder})", Holder) })
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color, LineWidth = 0, MarkerShape = MarkerShape.None });
        double top = Math.Max(1e-9, Math.Max(creditGov + creditBank, equityGov + equityHolder));
        foreach (var (x, total) in new[] { (0.0, creditGov + creditBank), (1.0, equityGov + equityHolder) })
        {
            var text = plot.Add.Text(FigureText.Money(total * FigureText.Million), x, total + top * 0.03);
            text.LabelAlignment = Alignment.LowerCenter;
            text.LabelFontSize = 14;
        }
        var ticks = new NumericManual();
        ticks.AddMajor(0, "Credit losses (loans)");
        ticks.AddMajor(1, b.Book.HasEquity ? "Equity losses (checks not returned)" : "Equity losses (no equity leg)");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-0.6, 1.6, 0, top * 1.35);
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.ShowLegend(Alignment.UpperRight);
        PlotStyle.Save(plot, path);
    }
}
