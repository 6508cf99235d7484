using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// The standard errors of a Sobol or Latin hypercube run (<see cref="ScrambledSobol"/>, <see cref="LatinHypercube"/>): every key figure but the p99s is a ratio of two
/// means (a mean over 1, a ratio's numerator over its denominator, a defined mean over its indicator), summed per
/// randomisation as the trials stream past in order; the R randomisations' estimates are independent and unbiased, so
/// the standard deviation of their estimates over √R is the figure's standard error. Beside it, the error plain Monte
/// Carlo would have with as many trials (the delta method on the same trials, as the run's own statistics compute it):
/// their squared ratio is the variance reduction the Sobol points bring.
/// </summary>
internal sealed class RandomisationFigures(string method) : ITrialSink
{
    private const int R = ScrambledSobol.Randomisations;
    private (KeyFigure Figure, int Column, int Denominator)[] _figures = [];
    private double[] _num = [], _den = [];          // [figure × R + r]
    private double[] _sumNN = [], _sumND = [], _sumDD = [];
    private long _trials;
    private int _weightColumn = -1;

    public void Begin(TrialLayout layout)
    {
        var list = new List<(KeyFigure, int, int)>();
        for (int i = 0; i < layout.Instruments.Count; i++)
        {
            var binding = layout.Bindings[i];
            foreach (var f in layout.Instruments[i].KeyFigures)
                if (f.Figure.Kind != FigureKind.Quantile99)
                    list.Add((f.Figure, binding.Column(f.Column), f.DenominatorColumn >= 0 ? binding.Column(f.DenominatorColumn) : -1));
        }
        _figures = [.. list];
        _num = new double[_figures.Length * R];
        _den = new double[_figures.Length * R];
        _sumNN = new double[_figures.Length];
        _sumND = new double[_figures.Length];
        _sumDD = new double[_figures.Length];
        _weightColumn = layout.WeightColumn;
        _trials = 0;
    }

    public void Write(long firstTrial, ReadOnlySpan<double> rows, int columns)
    {
        int count = rows.Length / columns;
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * columns, columns);
            int r = ScrambledSobol.RandomisationOf(firstTrial + i);
            double w = _weightColumn >= 0 ? row[_weightColumn] : 1;
            for (int f = 0; f < _figures.Length; f++)
            {
                var (figure, column, denominator) = _figures[f];
                double x = row[column], num, den;
                switch (figure.Kind)
                {
                    case FigureKind.Ratio:
                        num = x;
                        den = row[denominator];
                        break;
                    default: // a mean; a defined mean counts only the trials where the value is defined
                        bool defined = !double.IsNaN(x);
                        num = defined ? x : 0;
                        den = defined ? 1 : 0;
                        break;
                }
                num *= w;
                den *= w;
                _num[f * R + r] += num;
                _den[f * R + r] += den;
                _sumNN[f] += num * num;
                _sumND[f] += num * den;
                _sumDD[f] += den * den;
            }
        }
        _trials += count;
    }

    public void Complete() { }

    /// <summary>The figures' estimates and errors after the trials written.</summary>
    public QuasiRandomReport Report()
    {
        var figures = new List<RandomisedFigure>();
        for (int f = 0; f < _figures.Length; f++)
        {
            double a = 0, b = 0;
            for (int r = 0; r < R; r++)
            {
                a += _num[f * R + r];
                b += _den[f * R + r];
            }
            double estimate = b != 0 ? a / b : double.NaN;
            // The randomisations' own estimates and their spread.
            double mean = 0, square = 0;
            int used = 0;
            for (int r = 0; r < R; r++)
            {
                if (_den[f * R + r] == 0) continue;
                double e = _num[f * R + r] / _den[f * R + r];
                used++;
                double delta = e - mean;
                mean += delta / used;
                square += delta * (e - mean);
            }
            double se = used == R ? Math.Sqrt(square / (R - 1) / R) : double.NaN;
            // Plain Monte Carlo's delta-method error on as many trials: influence (num − L·den)/mean(den).
            double n = _trials, meanDen = b / n;
            double influence = (_sumNN[f] - 2 * estimate * _sumND[f] + estimate * estimate * _sumDD[f]) / n;
            double plain = n > 1 && meanDen != 0 ? Math.Sqrt(Math.Max(0, influence) / (n - 1)) / Math.Abs(meanDen) : double.NaN;
            figures.Add(new RandomisedFigure(_figures[f].Figure.Name, estimate, se, plain));
        }
        return new QuasiRandomReport(method, R, figures);
    }
}
