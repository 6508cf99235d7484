namespace Simulator.Core.Statistics;

/// <summary>A key figure of a randomised quasi-Monte Carlo run.</summary>
/// <param name="Name">The figure (as in comparison.csv).</param>
/// <param name="Estimate">Its value over all trials.</param>
/// <param name="StandardError">The standard deviation of the randomisations' estimates over √R: the run's standard error.</param>
/// <param name="PlainStandardError">The standard error plain Monte Carlo would have with as many trials (delta method on the
/// same trials).</param>
public sealed record RandomisedFigure(string Name, double Estimate, double StandardError, double PlainStandardError)
{
    /// <summary>(plain error / Sobol error)²: how many times fewer trials the Sobol points need for the same error.</summary>
    public double VarianceReduction => PlainStandardError * PlainStandardError / (StandardError * StandardError);
}

/// <summary>What the Sobol points did in a run: each key figure's error from the randomisations against plain sampling's.</summary>
/// <param name="Method">"sobol" or "lhs".</param>
/// <param name="Randomisations">Independent randomisations R.</param>
/// <param name="Figures">The key figures but the p99s (a quantile per randomisation would be biased at R·100 trials).</param>
public sealed record QuasiRandomReport(string Method, int Randomisations, IReadOnlyList<RandomisedFigure> Figures);
