using Simulator.Core.Randomness;

namespace Simulator.Core.Fitting;

/// <summary>
/// A <see cref="Random"/> over the project's seeded xoshiro256** generator, so MathNet's samplers (the beta's, for the
/// goodness-of-fit bootstrap) draw from an explicit, seeded stream: the same seed gives the same fit on any machine.
/// </summary>
internal sealed class SeededRandom : Random
{
    private Xoshiro256 generator;

    /// <summary>A generator whose stream is fixed by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => generator = new Xoshiro256(seed);

    /// <summary>A uniform strictly inside (0, 1).</summary>
    public override double NextDouble() => generator.NextOpenUnit();

    /// <inheritdoc/>
    protected override double Sample() => generator.NextOpenUnit();

    /// <summary>A whole number in [0, <paramref name="maxValue"/>).</summary>
    public override int Next(int maxValue) => (int)(generator.NextOpenUnit() * maxValue);

    /// <inheritdoc/>
    public override int Next(int minValue, int maxValue) => minValue + (int)(generator.NextOpenUnit() * ((long)maxValue - minValue));

    /// <inheritdoc/>
    public override int Next() => (int)(generator.NextUInt64() >> 33);
}
