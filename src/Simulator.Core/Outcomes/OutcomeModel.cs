using Simulator.Core.Distributions;

namespace Simulator.Core.Outcomes;

/// <summary>
/// How a project's final multiple M ≥ 0 of its check is drawn: a write-off band (M = 0), a partial-loss band
/// (M in [0, 1)) and a success band, chosen worst first by one uniform U = Φ(X), with the multiple read at
/// U's quantile within its band.
/// </summary>
/// <param name="Name">Preset or custom name.</param>
/// <param name="WriteOff">Probability q of a write-off.</param>
/// <param name="PartialProbability">Probability r of a partial loss.</param>
/// <param name="PartialMultiple">Multiple in the partial band (null when r = 0).</param>
/// <param name="SuccessMultiple">Multiple in the success band (null when q + r = 1).</param>
/// <param name="Cap">Cap on success multiples (+∞ for none).</param>
/// <param name="ExposureYears">Years over which the systematic draw averages the factors.</param>
/// <param name="ExitWriteOff">Years from investment to exit for write-offs (null: the fund's last year).</param>
/// <param name="ExitPartial">Same for partial losses.</param>
/// <param name="ExitSuccess">Same for successes.</param>
public sealed record OutcomeModel(
    string Name, double WriteOff, double PartialProbability, Distribution? PartialMultiple,
    Distribution? SuccessMultiple, double Cap, int ExposureYears,
    Distribution? ExitWriteOff, Distribution? ExitPartial, Distribution? ExitSuccess)
{
    /// <summary>Probability of the success band.</summary>
    public double SuccessProbability => Math.Max(0, 1 - WriteOff - PartialProbability);

    /// <summary>The multiple for a uniform <paramref name="u"/> in (0, 1) and the band it fell in.</summary>
    public double Multiple(double u, out Band band)
    {
        if (u < WriteOff)
        {
            band = Band.WriteOff;
            return 0.0;
        }
        double partialEnd = WriteOff + PartialProbability;
        if (u < partialEnd || SuccessMultiple is null)
        {
            band = Band.Partial;
            return PartialMultiple is null ? 0.0 : PartialMultiple.Quantile(Clamp01((u - WriteOff) / PartialProbability));
        }
        band = Band.Success;
        double m = SuccessMultiple.Quantile(Clamp01((u - partialEnd) / (1 - partialEnd)));
        return Math.Min(m, Cap);
    }

    /// <summary>The exit-year distribution of a band (null: the fund's last year).</summary>
    public Distribution? ExitYears(Band band) => band switch
    {
        Band.WriteOff => ExitWriteOff,
        Band.Partial => ExitPartial,
        _ => ExitSuccess,
    };

    // Guards against u landing exactly on a band edge through rounding; quantile functions want (0, 1).
    private static double Clamp01(double v) => Math.Clamp(v, 1e-17, 1 - 1e-16);
}

/// <summary>Outcome bands, worst first.</summary>
public enum Band
{
    /// <summary>Total loss.</summary>
    WriteOff,
    /// <summary>Partial loss, multiple in [0, 1).</summary>
    Partial,
    /// <summary>Success.</summary>
    Success,
}
