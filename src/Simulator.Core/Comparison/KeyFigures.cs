using Simulator.Core.Engine;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Comparison;

/// <summary>How a key figure is computed from the trials.</summary>
public enum FigureKind
{
    /// <summary>Mean of a per-trial value (probabilities are means of 0/1 flags).</summary>
    Mean,
    /// <summary>The 99th percentile (⌈0.99·n⌉-th smallest).</summary>
    Quantile99,
    /// <summary>Mean of one per-trial value over the mean of another (fiscal leverage).</summary>
    Ratio,
}

/// <summary>A figure compared across variants (a column group of comparison.csv).</summary>
/// <param name="Name">Column name, e.g. <c>seed-a.breachProbability</c>.</param>
/// <param name="Kind">How it is computed.</param>
/// <param name="Unit">probability | lossRatio | CNY | ratio.</param>
/// <param name="Item">The fund, guarantee or "programme" it belongs to.</param>
public sealed record KeyFigure(string Name, FigureKind Kind, string Unit, string Item);

/// <summary>The key figures of a scenario and where their per-trial values sit in a row.</summary>
public static class KeyFigures
{
    /// <summary>The figures of a scenario, in comparison.csv order, with the row columns they read.</summary>
    public static IReadOnlyList<(KeyFigure Figure, int Column, int DenominatorColumn)> For(Scenario scenario, TrialLayout layout)
    {
        var list = new List<(KeyFigure, int, int)>();
        for (int f = 0; f < scenario.Funds.Count; f++)
        {
            string n = scenario.Funds[f].Name;
            int c = layout.FundStart(f);
            list.Add((new KeyFigure($"{n}.breachProbability", FigureKind.Mean, "probability", n), c + TrialLayout.Breach, -1));
            list.Add((new KeyFigure($"{n}.p99LossRatio", FigureKind.Quantile99, "lossRatio", n), c + TrialLayout.LossRatio, -1));
        }
        if (layout.HasProgramme)
        {
            int p = layout.ProgrammeStart;
            list.Add((new KeyFigure("programme.breachProbability", FigureKind.Mean, "probability", "programme"), p + 1, -1));
            list.Add((new KeyFigure("programme.p99LossRatio", FigureKind.Quantile99, "lossRatio", "programme"), p, -1));
        }
        for (int g = 0; g < scenario.Guarantees.Count; g++)
        {
            string n = scenario.Guarantees[g].Name;
            int c = layout.GuaranteeStart(g);
            list.Add((new KeyFigure($"{n}.meanLoss", FigureKind.Mean, "CNY", n), c + TrialLayout.GLoss, -1));
            list.Add((new KeyFigure($"{n}.p99Loss", FigureKind.Quantile99, "CNY", n), c + TrialLayout.GLoss, -1));
            list.Add((new KeyFigure($"{n}.governmentCost", FigureKind.Mean, "CNY", n), c + TrialLayout.GGovernment, -1));
            list.Add((new KeyFigure($"{n}.exhaustionProbability", FigureKind.Mean, "probability", n), c + TrialLayout.GExhausted, -1));
            list.Add((new KeyFigure($"{n}.fiscalLeverage", FigureKind.Ratio, "ratio", n), c + TrialLayout.GGuaranteed, c + TrialLayout.GGovernment));
        }
        return list;
    }

    /// <summary>The figure names of a scenario (for validating a sensitivity output).</summary>
    public static IReadOnlyList<string> Names(Scenario scenario) => For(scenario, new TrialLayout(scenario)).Select(f => f.Figure.Name).ToList();
}

/// <summary>Keeps each key figure's per-trial values of one run, in trial order, for paired comparisons.</summary>
public sealed class KeyFigureCapture : ITrialSink
{
    private readonly Scenario _scenario;
    private (KeyFigure Figure, int Column, int DenominatorColumn)[] _figures = [];
    private double[][] _values = [], _denominators = [];
    private double[]? _weights;
    private int _weightColumn = -1;

    /// <summary>Importance-sampling weights of the trials captured (null for plain sampling).</summary>
    public double[]? Weights => _weights is null ? null : _weights.Length == Trials ? _weights : _weights[..Trials];

    /// <summary>Captures the figures of <paramref name="scenario"/>.</summary>
    public KeyFigureCapture(Scenario scenario) => _scenario = scenario;

    /// <summary>The figures captured.</summary>
    public IReadOnlyList<KeyFigure> Figures => _figures.Select(f => f.Figure).ToList();

    /// <summary>Trials captured.</summary>
    public int Trials { get; private set; }

    /// <inheritdoc />
    public void Begin(TrialLayout layout)
    {
        _figures = KeyFigures.For(_scenario, layout).ToArray();
        _values = _figures.Select(_ => new double[_scenario.Trials]).ToArray();
        _denominators = _figures.Select(f => f.DenominatorColumn >= 0 ? new double[_scenario.Trials] : []).ToArray();
        _weightColumn = layout.WeightColumn;
        _weights = _weightColumn >= 0 ? new double[_scenario.Trials] : null;
        Trials = 0;
    }

    /// <inheritdoc />
    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        int count = rows.Length / columns;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * columns, columns);
            if (_weights is not null) _weights[Trials] = row[_weightColumn];
            for (int f = 0; f < _figures.Length; f++)
            {
                _values[f][Trials] = row[_figures[f].Column];
                if (_figures[f].DenominatorColumn >= 0) _denominators[f][Trials] = row[_figures[f].DenominatorColumn];
            }
            Trials++;
        }
    }

    /// <inheritdoc />
    public void Complete() { }

    /// <summary>Per-trial values of a figure (and its denominator for ratios), or null when this run lacks it.</summary>
    public (double[] Values, double[] Denominators, KeyFigure Figure)? Find(string name)
    {
        for (int f = 0; f < _figures.Length; f++)
        {
            if (_figures[f].Figure.Name != name) continue;
            // A precision target may stop before the budget the arrays were sized for.
            var values = _values[f].Length == Trials ? _values[f] : _values[f][..Trials];
            var denominators = _denominators[f].Length <= Trials ? _denominators[f] : _denominators[f][..Trials];
            return (values, denominators, _figures[f].Figure);
        }
        return null;
    }
}

/// <summary>A figure of a variant: its value, the difference from the base and the paired standard error.</summary>
/// <param name="Figure">The figure.</param>
/// <param name="Value">Its value in the variant (NaN when the variant lacks it).</param>
/// <param name="Diff">Variant − base.</param>
/// <param name="DiffStandardError">Paired standard error of the difference.</param>
/// <param name="StandardError">Standard error of the value itself (for bands on charts).</param>
public sealed record FigureComparison(KeyFigure Figure, double Value, double Diff, double DiffStandardError, double StandardError);

/// <summary>
/// Differences between a variant and the base computed trial by trial: both ran on the same random numbers,
/// so the noise they share cancels and the standard error of the difference is far smaller than that of two
/// independent runs. Means: sd of the per-trial differences / √n. Ratios (fiscal leverage): the same applied to
/// the delta-method influence values (g_i − L·v_i)/v̄. 99th percentiles: batch means over 20 consecutive batches
/// of trials (the difference of the batch p99s; its sd / √20), left empty when batches would hold fewer than
/// 100 trials.
/// </summary>
public static class PairedComparison
{
    /// <summary>Number of batches for quantile differences.</summary>
    public const int Batches = 20;

    /// <summary>The value of a figure on one run (weighted under importance sampling).</summary>
    public static double Value(KeyFigure figure, double[] values, double[] denominators, double[]? weights)
    {
        if (weights is not null)
        {
            return figure.Kind switch
            {
                FigureKind.Mean => WeightedEmpirical.Mean(values, weights).Mean,
                FigureKind.Ratio => WeightedEmpirical.Mean(denominators, weights).Mean is var den && den > 0
                    ? WeightedEmpirical.Mean(values, weights).Mean / den : double.PositiveInfinity,
                _ => WeightedEmpirical.Quantile(values, weights, 0.99),
            };
        }
        return Value(figure, values, denominators);
    }

    /// <summary>The value of a figure on one run.</summary>
    public static double Value(KeyFigure figure, double[] values, double[] denominators)
    {
        switch (figure.Kind)
        {
            case FigureKind.Mean:
                return values.Average();
            case FigureKind.Ratio:
            {
                double den = denominators.Average();
                return den > 0 ? values.Average() / den : double.PositiveInfinity;
            }
            default:
            {
                var sorted = (double[])values.Clone();
                Array.Sort(sorted);
                return Empirical.Quantile(sorted, 99, 100);
            }
        }
    }

    /// <summary>Compares every figure of <paramref name="baseRun"/> with <paramref name="variant"/>.</summary>
    public static IReadOnlyList<FigureComparison> Compare(KeyFigureCapture baseRun, KeyFigureCapture variant)
    {
        var result = new List<FigureComparison>();
        foreach (var figure in baseRun.Figures)
        {
            var b = baseRun.Find(figure.Name)!.Value;
            if (variant.Find(figure.Name) is not { } v || v.Values.Length != b.Values.Length)
            {
                result.Add(new FigureComparison(figure, double.NaN, double.NaN, double.NaN, double.NaN));
                continue;
            }
            // Under importance sampling base and variant drew the same factors, hence carry the same weights.
            var w = baseRun.Weights;
            double baseValue = Value(figure, b.Values, b.Denominators, w), value = Value(figure, v.Values, v.Denominators, w);
            if (w is not null)
            {
                var (weightedDiffSe, weightedSe) = WeightedErrors(figure, v.Values, v.Denominators, b.Values, b.Denominators, w);
                result.Add(new FigureComparison(figure, value, value - baseValue, weightedDiffSe, weightedSe));
                continue;
            }
            var (diffSe, se) = figure.Kind switch
            {
                FigureKind.Mean => (MeanDifferenceSe(v.Values, b.Values), MeanSe(v.Values)),
                FigureKind.Ratio => (RatioDifferenceSe(v.Values, v.Denominators, b.Values, b.Denominators), RatioSe(v.Values, v.Denominators)),
                _ => (QuantileDifferenceSe(v.Values, b.Values), QuantileDifferenceSe(v.Values, null)),
            };
            result.Add(new FigureComparison(figure, value, value - baseValue, diffSe, se));
        }
        return result;
    }

    private static (double DiffSe, double Se) WeightedErrors(KeyFigure figure, double[] v, double[] vd, double[] b, double[] bd, double[] w)
    {
        int n = w.Length;
        double[] Times(double[] x) => x.Select((value, i) => value * w[i]).ToArray();
        switch (figure.Kind)
        {
            case FigureKind.Mean:
            {
                var wv = Times(v);
                var wb = Times(b);
                return (MeanDifferenceSe(wv, wb), MeanSe(wv));
            }
            case FigureKind.Ratio:
            {
                var a = Influence(Times(v), Times(vd));
                var c = Influence(Times(b), Times(bd));
                return (MeanDifferenceSe(a, c), MeanSe(a));
            }
            default:
            {
                int size = n / Batches;
                if (size < 100) return (double.NaN, double.NaN);
                var diffs = new double[Batches];
                var own = new double[Batches];
                for (int k = 0; k < Batches; k++)
                {
                    var range = new Range(k * size, (k + 1) * size);
                    double qv = WeightedEmpirical.Quantile(v[range], w[range], 0.99), qb = WeightedEmpirical.Quantile(b[range], w[range], 0.99);
                    diffs[k] = qv - qb;
                    own[k] = qv;
                }
                return (Empirical.MeanSd(diffs).Sd / Math.Sqrt(Batches), Empirical.MeanSd(own).Sd / Math.Sqrt(Batches));
            }
        }
    }

    private static double MeanSe(double[] x)
    {
        var (_, sd) = Empirical.MeanSd(x);
        return sd / Math.Sqrt(x.Length);
    }

    private static double MeanDifferenceSe(double[] v, double[] b)
    {
        var d = new double[v.Length];
        for (int i = 0; i < d.Length; i++) d[i] = v[i] - b[i];
        return MeanSe(d);
    }

    private static double[] Influence(double[] g, double[] v)
    {
        double gm = g.Average(), vm = v.Average();
        var phi = new double[g.Length];
        if (vm <= 0) return phi.Select(_ => double.NaN).ToArray();
        double ratio = gm / vm;
        for (int i = 0; i < phi.Length; i++) phi[i] = (g[i] - ratio * v[i]) / vm;
        return phi;
    }

    private static double RatioSe(double[] g, double[] v) => MeanSe(Influence(g, v));

    private static double RatioDifferenceSe(double[] gv, double[] vv, double[] gb, double[] vb)
    {
        var a = Influence(gv, vv);
        var b = Influence(gb, vb);
        return MeanDifferenceSe(a, b);
    }

    private static double QuantileDifferenceSe(double[] v, double[]? b)
    {
        int n = v.Length, size = n / Batches;
        if (size < 100) return double.NaN;
        var diffs = new double[Batches];
        for (int k = 0; k < Batches; k++)
        {
            diffs[k] = BatchQuantile(v, k * size, size) - (b is null ? 0 : BatchQuantile(b, k * size, size));
        }
        var (_, sd) = Empirical.MeanSd(diffs);
        return sd / Math.Sqrt(Batches);
    }

    private static double BatchQuantile(double[] x, int start, int size)
    {
        var batch = x.AsSpan(start, size).ToArray();
        Array.Sort(batch);
        return Empirical.Quantile(batch, 99, 100);
    }
}
