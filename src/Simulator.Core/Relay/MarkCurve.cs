using Simulator.Core.Outcomes;
using Simulator.Core.Statistics;

namespace Simulator.Core.Relay;

/// <summary>
/// A project's interim mark as a function of its interim signal X₁: m(x₁) = E[M | X₁ = x₁], the expected final multiple
/// under the outcome model given what the signal reveals. With X = √ρ·X₁ + √(1 − ρ)·W (W standard normal, independent
/// of X₁), m(x₁) = E[M(Φ(√ρ·x₁ + √(1 − ρ)·W))]. Tabulated once per outcome model and ρ on a grid of x₁ (a trapezoid rule
/// over W), read by linear interpolation, so a trial costs one lookup per project (docs/model.md, "Relay buyer").
/// </summary>
public sealed class MarkCurve
{
    /// <summary>The grid covers x₁ in [−<see cref="Span"/>, <see cref="Span"/>]; beyond, the end values.</summary>
    public const double Span = 6;

    private const int Points = 1201; // x₁ step 0.01
    private const int Nodes = 401; // W on [−8, 8], step 0.04
    private readonly double[] _values = new double[Points];
    private readonly double _step = 2 * Span / (Points - 1);

    // Curves already tabulated, per model instance (scenarios built from equal outcome specs share it) and ρ: the what-if
    // server builds its file and the variant again at every move, and tabulating one curve takes 20-40 ms. The curve is a
    // function of the model and ρ alone, so sharing it changes no result.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OutcomeModel, System.Collections.Concurrent.ConcurrentDictionary<double, MarkCurve>> Known = new();

    /// <summary>The curve of <paramref name="model"/> for information share <paramref name="rho"/>, tabulated once per
    /// model instance and ρ.</summary>
    public static MarkCurve Of(OutcomeModel model, double rho) =>
        Known.GetValue(model, _ => new()).GetOrAdd(rho, r => new MarkCurve(model, r));

    /// <summary>The curve of <paramref name="model"/> for information share <paramref name="rho"/> in [0, 1].</summary>
    public MarkCurve(OutcomeModel model, double rho)
    {
        const double wSpan = 8;
        double h = 2 * wSpan / (Nodes - 1);
        var nodes = new double[Nodes];
        var weights = new double[Nodes];
        double total = 0;
        for (int j = 0; j < Nodes; j++)
        {
            nodes[j] = -wSpan + j * h;
            weights[j] = Math.Exp(-0.5 * nodes[j] * nodes[j]) * (j == 0 || j == Nodes - 1 ? 0.5 : 1);
            total += weights[j];
        }
        for (int j = 0; j < Nodes; j++) weights[j] /= total;
        double a = Math.Sqrt(rho), b = Math.Sqrt(1 - rho);
        for (int i = 0; i < Points; i++)
        {
            double x1 = -Span + i * _step, sum = 0;
            for (int j = 0; j < Nodes; j++) sum += weights[j] * model.Multiple(Math.Clamp(NormalMath.Cdf(a * x1 + b * nodes[j]), 1e-300, 1 - 1e-16), out _);
            _values[i] = sum;
        }
    }

    /// <summary>The mark for signal <paramref name="x1"/>.</summary>
    public double Mark(double x1)
    {
        double position = (Math.Clamp(x1, -Span, Span) + Span) / _step;
        int i = Math.Min((int)position, Points - 2);
        double t = position - i;
        return _values[i] + t * (_values[i + 1] - _values[i]);
    }
}
