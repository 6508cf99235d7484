using System.Globalization;
using MathNet.Numerics.Distributions;
using ScottPlot;
using ScottPlot.TickGenerators;
using Simulator.Core.Fitting;

namespace Simulator.Reporting.Plots;

/// <summary>
/// The charts of <c>simulator fit</c>: each fitted model drawn against the data it was fitted to, so a reader sees
/// where the law follows the data and where (usually the top few exits) it does not.
/// </summary>
public static class FitCharts
{
    private static readonly Color DataColor = Color.FromHex("#1F77B4");
    private static readonly Color FitColor = Color.FromHex("#D62728");
    private static readonly Color OtherColor = Color.FromHex("#7F7F7F");

    /// <summary>Writes the chart of one group of exits: the success band's survival curve (log–log), the partial
    /// band's distribution function and the years held per band, one panel each.</summary>
    public static void Exits(ExitGroupFit fit, string path)
    {
        string group = fit.Group == "all" ? "all exits" : $"stage {fit.Group}";
        var panels = new List<ComparisonCanvas.Panel>();
        if (fit.Success is { } law) panels.Add(new(SuccessPanel(fit, law, group), 560));
        if (fit.PartialMean is { } mean && fit.PartialSd is { } sd) panels.Add(new(PartialPanel(fit, mean.Estimate, sd.Estimate, group), 440));
        panels.Add(new(YearsPanel(fit, group), 440));
        ComparisonCanvas.Save(panels, path);
    }

    private static Plot SuccessPanel(ExitGroupFit fit, SuccessLaw law, string group)
    {
        var x = fit.SuccessMultiples;
        int n = x.Length;
        var plot = PlotStyle.Create($"Success band ({group}, {n} exits ≥ 1x): data against the fitted {Family(law)}",
            "Multiple M (log scale)", "P(M > x) within the band (log scale)");
        // Empirical survival at each point, plotted at (i + 0.5)/n so the largest exit is not at probability 0.
        var xs = new double[n];
        var ys = new double[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = Math.Log10(x[i]);
            ys[i] = Math.Log10((n - i - 0.5) / n);
        }
        var data = plot.Add.ScatterPoints(xs, ys, DataColor);
        data.MarkerSize = 6;
        data.LegendText = $"data ({n} successes)";
        double lo = Math.Log10(x[0]), hi = Math.Log10(fit.Cap ?? x[^1]);
        double bottom = Math.Floor(Math.Log10(0.5 / n)) - 0.2;
        AddCurve(plot, law, lo, hi, bottom, FitColor, LinePattern.Solid,
            $"fitted {law} (KS p = {P(fit.SuccessGoodness!.KsP)}, AD p = {P(fit.SuccessGoodness.AdP)})");
        if (fit.Alternative is { } other)
            AddCurve(plot, other, lo, hi, bottom, OtherColor, LinePattern.Dashed,
                $"other family: {other} (log-likelihood {fit.AlternativeLogLikelihood:F1} vs {fit.SuccessLogLikelihood:F1})");
        plot.Axes.SetLimits(Math.Floor(lo * 5) / 5 - 0.05, hi + 0.1, bottom, 0.1);
        plot.Axes.Bottom.TickGenerator = LogTicks((int)Math.Floor(lo), (int)Math.Ceiling(hi + 0.1), v => FormattableString.Invariant($"{v:G6}x"));
        PercentAxis.SetLogProbabilityTicks(plot.Axes.Left, (int)Math.Floor(bottom));
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static void AddCurve(Plot plot, SuccessLaw law, double lo, double hi, double bottom, Color color, LinePattern pattern, string label)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int k = 0; k <= 200; k++)
        {
            double lx = lo + (hi - lo) * k / 200;
            double s = 1 - law.Cdf(Math.Pow(10, lx));
            if (s <= 0 || Math.Log10(s) < bottom) continue;
            xs.Add(lx);
            ys.Add(Math.Log10(Math.Min(1, s)));
        }
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2.5f;
        line.LinePattern = pattern;
        line.LegendText = label;
    }

    private static Plot PartialPanel(ExitGroupFit fit, double mean, double sd, string group)
    {
        var x = fit.PartialMultiples;
        int n = x.Length;
        var plot = PlotStyle.Create($"Partial band ({group}, {n} exits between 0 and 1x): data against the fitted beta",
            "Multiple M", "P(M ≤ x) within the band");
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < n; i++)
        {
            // The empirical distribution function as a staircase.
            xs.Add(x[i]); ys.Add((double)i / n);
            xs.Add(x[i]); ys.Add((i + 1.0) / n);
        }
        var data = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), DataColor);
        data.LineWidth = 2;
        data.LegendText = $"data ({n} partial losses)";
        var (a, b) = ExitFit.BetaShape(mean, sd);
        var fx = Enumerable.Range(0, 201).Select(k => k / 200.0).ToArray();
        var fitted = plot.Add.ScatterLine(fx, fx.Select(v => Beta.CDF(a, b, v)).ToArray(), FitColor);
        fitted.LineWidth = 2.5f;
        fitted.LegendText = FormattableString.Invariant($"fitted beta, mean {mean:G3}, sd {sd:G3} (KS p = {P(fit.PartialGoodness!.KsP)}, AD p = {P(fit.PartialGoodness.AdP)})");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot YearsPanel(ExitGroupFit fit, string group)
    {
        var plot = PlotStyle.Create($"Years from investment to exit ({group}), rounded as the simulator rounds them",
            "Years held", "Share of the band's exits");
        var colors = new[] { Color.FromHex("#7F7F7F"), Color.FromHex("#FF7F0E"), Color.FromHex("#2CA02C") };
        string[] names = ["writeOff", "partial", "success"];
        int bands = fit.ExitYears.Count;
        double width = 0.8 / bands;
        double top = 0;
        for (int k = 0; k < bands; k++)
        {
            var band = fit.ExitYears[k];
            var color = colors[Array.IndexOf(names, band.Band)];
            var bars = band.Table.Select(r => new Bar
            {
                Position = r.Years - 0.4 + width * (k + 0.5), Value = r.Probability, Size = width * 0.95,
                FillColor = color, LineWidth = 0,
            }).ToList();
            plot.Add.Bars(bars);
            top = Math.Max(top, band.Table.Max(r => r.Probability));
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = FormattableString.Invariant($"{band.Band}: mean {band.Mean.Estimate:F2} years (95% CI {band.Mean.Low:F2} – {band.Mean.High:F2})"),
                FillColor = color, LineWidth = 0,
            });
        }
        int maxYear = fit.ExitYears.Max(b => b.Table[^1].Years);
        int minYear = fit.ExitYears.Min(b => b.Table[0].Years);
        plot.Axes.SetLimits(minYear - 0.6, maxYear + 0.6, 0, top * 1.15);
        var ticks = new NumericManual();
        for (int y = minYear; y <= maxYear; y++) ticks.AddMajor(y, y.ToString(CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => $"{v * 100:0}%" };
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Writes the chart of one grade's default history: each year's default rate, against the fitted
    /// model's median and 5–95% range of the rate of a year with that year's loans.</summary>
    public static void Defaults(VasicekResult fit, string path)
    {
        string grade = fit.Grade == "all" ? "" : $", grade {fit.Grade}";
        var plot = PlotStyle.Create(FormattableString.Invariant($"Default rates by year{grade}: data against the fitted Vasicek model (PD {fit.Pd * 100:0.00}%, ρ {fit.Rho:F3})"),
            "Year", "Share of the year's loans that defaulted");
        var years = fit.Years.OrderBy(y => y.Year).ToList();
        var xs = years.Select(y => (double)y.Year).ToArray();
        // The band of a year with n loans: the binomial mixed over the factor, quantiles by the factor's quantiles
        // (the binomial's own spread added through its 5% / 95% points at the factor's 5% / 95%).
        double Rate(DefaultRow y, double u, double inner) => BinomialQuantile(fit.RateQuantile(u), y.Loans, inner) / (double)y.Loans;
        var low = years.Select(y => Rate(y, 0.05, 0.05)).ToArray();
        var high = years.Select(y => Rate(y, 0.95, 0.95)).ToArray();
        var band = plot.Add.FillY(xs, low, high);
        band.FillColor = FitColor.WithAlpha(0.18);
        band.LineWidth = 0;
        band.LegendText = "fitted: 5% – 95% of a year's default rate (factor and binomial noise)";
        var median = plot.Add.ScatterLine(xs, years.Select(y => fit.RateQuantile(0.5)).ToArray(), FitColor);
        median.LineWidth = 2;
        median.LegendText = FormattableString.Invariant($"fitted median rate {fit.RateQuantile(0.5) * 100:0.00}% (mean = PD {fit.Pd * 100:0.00}%)");
        var data = plot.Add.Scatter(xs, years.Select(y => (double)y.Defaults / y.Loans).ToArray(), DataColor);
        data.MarkerSize = 8;
        data.LineWidth = 1;
        data.LegendText = $"data: defaults ÷ loans ({years.Count} years, {years.Sum(y => (long)y.Loans):N0} loan-years)";
        double top = Math.Max(high.Max(), years.Max(y => (double)y.Defaults / y.Loans));
        plot.Axes.SetLimits(xs.Min() - 0.5, xs.Max() + 0.5, 0, top * 1.3);
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => FormattableString.Invariant($"{v * 100:0.##}%") };
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture), IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.UpperLeft);
        PlotStyle.Save(plot, path);
    }

    // The smallest k with P(K ≤ k) ≥ q for K ~ Binomial(n, p), by bisection on MathNet's distribution function.
    private static int BinomialQuantile(double p, int n, double q)
    {
        int lo = 0, hi = n;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (Binomial.CDF(p, n, mid) >= q) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static string Family(SuccessLaw law) => law.Family == SuccessFamily.LogNormal ? "lognormal" : "Pareto";

    private static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("F3", CultureInfo.InvariantCulture);

    // Powers of ten labelled, 2…9 times them as minor ticks, on an axis that carries log10 of the value.
    private static NumericManual LogTicks(int lowest, int highest, Func<double, string> label)
    {
        var ticks = new NumericManual();
        for (int e = lowest; e <= highest; e++)
        {
            ticks.AddMajor(e, label(Math.Pow(10, e)));
            for (int k = 2; k <= 9; k++)
            {
                if (k is 2 or 5) ticks.AddMajor(e + Math.Log10(k), label(k * Math.Pow(10, e)));
                else ticks.AddMinor(e + Math.Log10(k));
            }
        }
        return ticks;
    }
}
