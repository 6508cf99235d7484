namespace Simulator.Core.Statistics;

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
