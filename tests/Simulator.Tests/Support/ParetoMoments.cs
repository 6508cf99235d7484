using Simulator.Core.Distributions;

namespace Simulator.Tests.Support;

/// <summary>Closed-form moments of the Pareto law the presets' tests check the model against.</summary>
internal static class ParetoMoments
{
    /// <summary>E[min(X, cap)] = x_m + ∫ from x_m to cap of (x_m/x)^α dx.</summary>
    public static double CappedMean(this ParetoDistribution d, double cap)
    {
        if (cap <= d.Min) return cap;
        double tail = Math.Abs(d.Alpha - 1) < 1e-12
            ? d.Min * Math.Log(cap / d.Min)
            : d.Min / (1 - d.Alpha) * (Math.Pow(cap / d.Min, 1 - d.Alpha) - 1);
        return d.Min + tail;
    }
}
