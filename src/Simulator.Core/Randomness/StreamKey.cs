using System.Text;

namespace Simulator.Core.Randomness;

/// <summary>
/// Derives independent random streams from (seed, scenario, trial, item). Every item of a trial (each
/// factor, each fund, later each guarantee) gets its own stream keyed by its <em>name</em>, so a stream never
/// depends on thread scheduling, on the order of items in the file, or on other items: variants that keep
/// an item keep its draws (common random numbers).
/// </summary>
public readonly record struct StreamKey(ulong Seed, ulong ScenarioHash)
{
    /// <summary>Key for a scenario name and user seed.</summary>
    public static StreamKey For(long seed, string scenarioName) => new((ulong)seed, Hash(scenarioName));

    /// <summary>A generator for one item of one trial.</summary>
    public Xoshiro256 Stream(long trial, ulong itemHash) => new(Derive(trial, itemHash));

    /// <summary>The 64-bit key of one item of one trial.</summary>
    public ulong Derive(long trial, ulong itemHash)
    {
        ulong h = SplitMix64.Mix(Seed ^ 0x5DEECE66DUL);
        h = SplitMix64.Mix(h ^ ScenarioHash);
        h = SplitMix64.Mix(h ^ (ulong)trial);
        return SplitMix64.Mix(h ^ itemHash);
    }

    /// <summary>A stable 64-bit hash of a name (FNV-1a over UTF-8, then mixed); unlike
    /// <see cref="string.GetHashCode()"/> it is the same in every process.</summary>
    public static ulong Hash(string name)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            h ^= b;
            h *= 0x100000001B3UL;
        }
        return SplitMix64.Mix(h);
    }

    /// <summary>Hash of a name within a namespace, e.g. ("fund", "seed-a"), so a fund and a factor with the
    /// same name never share a stream.</summary>
    public static ulong Hash(string kind, string name) => Hash(kind + "\u001f" + name);
}
