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

/// <summary>
/// Importance sampling of the factors: factor k's yearly innovations in years 1..<see cref="ShiftYears"/> are
/// drawn from N(Shift[k], 1); each trial carries the likelihood ratio that reweights it to the model.
/// </summary>
/// <param name="Automatic">Whether the shift is to be chosen by the engine's pilot runs.</param>
/// <param name="Shift">Mean shift per factor (aligned with the economy's factors); null until chosen.</param>
/// <param name="ShiftYears">Years whose innovations are shifted (those any item uses).</param>
public sealed record ImportanceSamplingSettings(bool Automatic, double[]? Shift, int ShiftYears);

/// <summary>What importance sampling did in a run.</summary>
/// <param name="Shift">The mean shift per factor name.</param>
/// <param name="EffectiveSampleSize">(Σw)² / Σw².</param>
/// <param name="Automatic">Whether the shift was chosen automatically.</param>
/// <param name="PilotVarianceRatios">For an automatic choice: the candidate scales tried and the pilot's sum of squared relative standard errors at each (lower is better; scale 0 is plain sampling).</param>
public sealed record ImportanceSamplingReport(IReadOnlyDictionary<string, double> Shift, double EffectiveSampleSize, bool Automatic, IReadOnlyList<(double Scale, double Score)> PilotVarianceRatios);
