namespace Simulator.Core.Statistics;

/// <summary>A target relative standard error and how often to check it.</summary>
/// <param name="RelativeError">Target standard error / estimate.</param>
/// <param name="CheckEvery">Trials between checks (a multiple of the engine's block size).</param>
public sealed record PrecisionTarget(double RelativeError, int CheckEvery)
{
    /// <summary>Default check interval: 16 blocks.</summary>
    public const int DefaultCheckEvery = 16_384;
}

/// <summary>One figure's precision at a checkpoint.</summary>
/// <param name="Name">Figure, e.g. <c>seed-a.breachProbability</c>.</param>
/// <param name="Estimate">Its estimate.</param>
/// <param name="StandardError">Its standard error.</param>
public sealed record FigurePrecision(string Name, double Estimate, double StandardError)
{
    /// <summary>Standard error / estimate (+∞ when the estimate is 0).</summary>
    public double RelativeError => Estimate != 0 ? StandardError / Math.Abs(Estimate) : double.PositiveInfinity;

    /// <summary>A zero estimate (no event yet) has no relative error to reach.</summary>
    public bool Estimable => Estimate != 0;
}

/// <summary>The figures at one checkpoint.</summary>
/// <param name="Trials">Trials done.</param>
/// <param name="Figures">Each figure's estimate and standard error.</param>
public sealed record Checkpoint(long Trials, IReadOnlyList<FigurePrecision> Figures);

/// <summary>How a run with a precision target ended.</summary>
/// <param name="Target">The target.</param>
/// <param name="MaxTrials">The trial budget.</param>
/// <param name="Met">Whether every estimable figure reached the target.</param>
/// <param name="History">Every checkpoint, the last being where the run stopped.</param>
public sealed record PrecisionReport(PrecisionTarget Target, long MaxTrials, bool Met, IReadOnlyList<Checkpoint> History);

