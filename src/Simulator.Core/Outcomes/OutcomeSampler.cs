using System.Runtime.CompilerServices;
using Simulator.Core.Distributions;

namespace Simulator.Core.Outcomes;

/// <summary>
/// An outcome model prepared for the project passes of an evaluator (the funds' FundEvaluator): the same mapping as
/// <see cref="OutcomeModel.Multiple"/> and <see cref="OutcomeModel.ExitYears"/>, with the band edges precomputed
/// and uniform exit laws (and missing ones) read from small tables by band instead of through virtual calls.
/// Bands are numbered 0 (write-off), 1 (partial), 2 (success). Immutable and thread-safe.
/// </summary>
internal sealed class OutcomeSampler
{
    private readonly double _partialProbability, _successSpan;
    private readonly Distribution?[] _exitLaw;
    private readonly double[] _exitStart, _exitWidth; // by band: F⁻¹(u) = start + u·width; no law: start 1e9, width 0

    public OutcomeSampler(OutcomeModel model)
    {
        WriteOff = model.WriteOff;
        _partialProbability = model.PartialProbability;
        PartialEnd = model.WriteOff + model.PartialProbability;
        _successSpan = 1 - PartialEnd;
        Cap = model.Cap;
        Partial = model.PartialMultiple;
        Success = model.SuccessMultiple;
        HasSuccess = model.SuccessMultiple is not null;
        _exitLaw = [model.ExitWriteOff, model.ExitPartial, model.ExitSuccess];
        _exitStart = new double[3];
        _exitWidth = new double[3];
        UniformExits = true;
        for (int b = 0; b < 3; b++)
        {
            switch (_exitLaw[b])
            {
                case null:
                    // An offset of 1e9 years always caps at the fund's last year, as the model's "no law" does.
                    _exitStart[b] = 1e9;
                    break;
                case UniformDistribution uniform:
                    _exitStart[b] = uniform.A;
                    _exitWidth[b] = uniform.B - uniform.A; // UniformDistribution.Quantile is A + u·(B − A)
                    break;
                default:
                    UniformExits = false;
                    break;
            }
        }
    }

    /// <summary>Probability q of a write-off: U &lt; q.</summary>
    public double WriteOff { get; }

    /// <summary>q + r: U in [q, q + r) is a partial loss, above is a success (if there is a success band).</summary>
    public double PartialEnd { get; }

    /// <summary>Whether the model has a success band (otherwise U ≥ q is all partial).</summary>
    public bool HasSuccess { get; }

    /// <summary>Multiples of the partial band (null: 0).</summary>
    public Distribution? Partial { get; }

    /// <summary>Multiples of the success band.</summary>
    public Distribution? Success { get; }

    /// <summary>Cap on success multiples.</summary>
    public double Cap { get; }

    /// <summary>Whether every band's exit law is uniform or missing, so that <see cref="ExitStart"/> and <see cref="ExitWidth"/> describe them.</summary>
    public bool UniformExits { get; }

    /// <summary>U's relative position in the partial band, clamped to [1e-17, 1 − 1e-16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PartialPosition(double u) => Clamp01((u - WriteOff) / _partialProbability);

    /// <summary>U's relative position in the success band, clamped to [1e-17, 1 − 1e-16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double SuccessPosition(double u) => Clamp01((u - PartialEnd) / _successSpan);

    /// <summary>By band, when <see cref="UniformExits"/>: F⁻¹(u) = start + u·width (start 1e9, width 0 without a law).</summary>
    public ReadOnlySpan<double> ExitStart => _exitStart;

    /// <summary>See <see cref="ExitStart"/>.</summary>
    public ReadOnlySpan<double> ExitWidth => _exitWidth;

    /// <summary>Exit year for any exit laws (the fund's last year without one).</summary>
    public int Exit(int band, double uExit, int year, int life)
    {
        var law = _exitLaw[band];
        return law is null ? life : Math.Min(life, year + (int)Math.Floor(Math.Min(Math.Max(0, law.Quantile(uExit)), 1e9) + 0.5));
    }

    // As in OutcomeModel: guards against u landing exactly on a band edge through rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Clamp01(double v) => Math.Clamp(v, 1e-17, 1 - 1e-16);
}
