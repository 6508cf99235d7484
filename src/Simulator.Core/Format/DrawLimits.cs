using Simulator.Core.Distributions;

namespace Simulator.Core.Format;

/// <summary>The largest values the engine can draw from a distribution, against the format's bound on money.</summary>
public static class DrawLimits
{
    /// <summary>Largest magnitude of any amount or multiple a distribution may draw (the format's bound on money, 1e15 CNY).</summary>
    public const double MaxDraw = 1e15;

    // The extreme uniforms the engine feeds a quantile function: band positions are clamped to 1e-17 at the low
    // end, and the largest double below 1 is the highest a draw reaches.
    private const double LowestUniform = 1e-17, HighestUniform = 1 - 1.0 / 9007199254740992; // 1 − 2⁻⁵³

    /// <summary>
    /// The smallest and largest values the engine can draw from <paramref name="d"/>: its support when bounded, else its
    /// quantiles at the extreme uniforms. An unbounded law (lognormal, Pareto) is finite at every draw only if these are.
    /// </summary>
    public static (double Low, double High) Draws(Distribution d) =>
        double.IsFinite(d.SupportMax) ? (d.SupportMin, d.SupportMax) : (d.Quantile(LowestUniform), d.Quantile(HighestUniform));

    /// <summary>"this distribution can draw …" for messages.</summary>
    public static string TooLarge(Distribution d) =>
        $"this distribution can draw {SpecBinder.Number(Draws(d).High)} (its quantile at 1 − 1.1e-16, the highest uniform the engine draws)";
}
