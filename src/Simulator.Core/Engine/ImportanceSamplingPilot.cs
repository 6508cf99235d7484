using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// Chooses the factor mean shift of importance sampling automatically, in the spirit of Glasserman &amp; Li
/// (2005): shift the factors towards the loss tail along the direction the scenario's items load on (each
/// factor weighted by the items' loadings, negative = bad years), and pick the scale by pilot runs. Each
/// candidate scale (0 = plain sampling, 0.5 … 3 standard deviations) runs a small pilot on its own random
/// numbers; the scale whose pilot gives the smallest sum of squared relative standard errors of the watched
/// tail events (every fund's and the programme's breach, every scheme's loss above its largest reported
/// threshold or else the plain pilot's p99) wins. Deterministic: the pilot's streams derive from the seed.
/// </summary>
public static class ImportanceSamplingPilot
{
    /// <summary>Candidate scales, in standard deviations.</summary>
    public static readonly IReadOnlyList<double> Scales = [0, 0.5, 1, 1.5, 2, 2.5, 3];

    /// <summary>Trials per pilot.</summary>
    public const int PilotTrials = 4096;

    /// <summary>The unit direction of the shift: −(Σ over items of |loading| on each factor), normalised.</summary>
    public static double[] Direction(Scenario s)
    {
        var exposure = new double[s.Economy.Factors.Count];
        foreach (var instrument in s.Instruments()) instrument.AddExposure(exposure);
        var d = exposure.Select(x => 0 - x).ToArray(); // 0 − x, not −x: a factor nothing loads on stays +0
        double norm = Math.Sqrt(d.Sum(x => x * x));
        return norm > 0 ? d.Select(x => x / norm).ToArray() : d;
    }

    /// <summary>The chosen shift and the pilot scores (scale, score).</summary>
    public static (double[] Shift, IReadOnlyList<(double Scale, double Score)> Scores) Choose(Scenario scenario, int threads)
    {
        var sampling = scenario.ImportanceSampling!;
        var direction = Direction(scenario);
        if (direction.All(x => x == 0)) return (direction, []);
        int trials = Math.Min(scenario.Trials, PilotTrials);
        var pilotBase = scenario with { Name = scenario.Name + "#importance-sampling-pilot", Trials = trials, Precision = null, Variants = [] };

        // The plain pilot, whose results fix thresholds of tail events where an instrument needs them.
        var plain = Run(pilotBase, sampling, new double[direction.Length], threads);
        var instruments = scenario.Instruments();

        var scores = new List<(double, double)>();
        double bestScore = double.PositiveInfinity;
        double[] best = new double[direction.Length];
        foreach (double scale in Scales)
        {
            var shift = direction.Select(x => x * scale).ToArray();
            var r = scale == 0 ? plain : Run(pilotBase, sampling, shift, threads);
            double score = Score(instruments, plain, r);
            scores.Add((scale, score));
            if (score < bestScore)
            {
                bestScore = score;
                best = shift;
            }
        }
        return (best, scores);
    }

    private static SimulationResult Run(Scenario pilot, ImportanceSamplingSettings sampling, double[] shift, int threads) =>
        new SimulationEngine().Run(pilot with { ImportanceSampling = sampling with { Automatic = false, Shift = shift } }, new RunOptions(threads), []);

    // Σ (SE/p)² over the watched events; an event never seen costs as much as a relative error of 100%
    // for each, so a shift that makes the tail visible is preferred. The estimates are self-normalised (divided
    // by Σw), so each also carries the relative error of Σw itself, about 1/ESS − 1/n: without it a shift under
    // which one trial holds nearly all the weight would score best (its estimates are that trial's values, with
    // a delta-method error near 0).
    private static double Score(IReadOnlyList<Instruments.IInstrument> instruments, SimulationResult plain, SimulationResult r)
    {
        double normaliser = r.ImportanceSampling is { EffectiveSampleSize: > 0 and var ess } ? Math.Max(0, 1 / ess - 1.0 / r.Trials) : 0;
        double score = 0;
        for (int i = 0; i < instruments.Count; i++)
            foreach (var p in instruments[i].PilotEvents(plain.Instruments[i], r.Instruments[i]))
                score += p.Probability > 0 ? Math.Pow(p.StandardError / p.Probability, 2) + normaliser : 1.0;
        return score;
    }
}
