using Simulator.Core.Engine;

namespace Simulator.Reporting.Instruments;

/// <summary>
/// One setting a what-if page offers: a path as in "variants", the range a slider spans, and the value in the base.
/// Each kind of instrument declares its own (<c>IInstrumentReport.Controls</c>), so the page names no kind.
/// </summary>
/// <param name="Path">The setting's path, e.g. <c>funds[seed-a].tolerance</c>.</param>
/// <param name="Label">What the slider is labelled.</param>
/// <param name="Min">The smallest value offered.</param>
/// <param name="Max">The largest value offered.</param>
/// <param name="Step">The slider's step.</param>
/// <param name="Value">The value in the base scenario.</param>
/// <param name="Unit">How to show the value: <c>share</c> (as a percentage), <c>money</c> (CNY), <c>number</c>, or
/// <c>choice</c> (one of <see cref="Options"/>, by index).</param>
/// <param name="Balance">A path that absorbs this setting's change, so that a constraint of the format keeps holding
/// (a government share taken from the bank's, as the shares must sum to 1); null when there is none.</param>
/// <param name="BalanceValue">The base value of <paramref name="Balance"/>.</param>
public sealed record WhatIfControl(string Path, string Label, double Min, double Max, double Step, double Value, string Unit,
    string? Balance = null, double BalanceValue = 0)
{
    /// <summary>What the page groups the control under: the item it sets (a fund, a scheme), <c>policy</c> or
    /// <c>economy</c>.</summary>
    public string Group { get; init; } = "";

    /// <summary>For a choice among names (unit <c>choice</c>, e.g. <c>policy.rules</c>): the names offered; the slider's
    /// values are their indices and the setting sends the name. Null for a number.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>A choice of <paramref name="options"/> at <paramref name="path"/>, <paramref name="value"/> in the base.</summary>
    internal static WhatIfControl Choice(string path, string label, string group, IReadOnlyList<string> options, string value) =>
        new(path, label, 0, options.Count - 1, 1, Math.Max(0, options.ToList().IndexOf(value)), "choice") { Group = group, Options = options };

    /// <summary>A slider over loading <paramref name="k"/> of <paramref name="item"/>'s <paramref name="loadings"/>
    /// (<paramref name="path"/> ends in the factor's name): the format requires the squares of an item's loadings to sum
    /// below 1, so the slider spans ±0.95 at most and less where the item's other loadings leave less room; its start is
    /// put on the 0.01 grid through the base value (a browser snaps a value off its grid).</summary>
    internal static WhatIfControl Loading(string path, string item, string factor, IReadOnlyList<double> loadings, int k)
    {
        double value = loadings[k], others = 0;
        for (int j = 0; j < loadings.Count; j++) if (j != k) others += loadings[j] * loadings[j];
        double room = Math.Floor((Math.Sqrt(Math.Max(0, 1 - others)) - 0.005) * 100) / 100;
        double bound = Math.Max(Math.Abs(value), Math.Min(0.95, room));
        return new(path, $"{item}: loading on {factor}", GridFrom(-bound, value, 0.01), bound, 0.01, value, "number") { Group = item };
    }

    /// <summary>Where a slider from <paramref name="lower"/> with steps of <paramref name="step"/> starts so that
    /// <paramref name="value"/> lies on its grid: the lowest grid point at or above <paramref name="lower"/> (a browser
    /// snaps a value off the grid, so a PD of 1.25% on a grid of 0.1% from 0 would show, and send, 1.2% or 1.3%).</summary>
    internal static double GridFrom(double lower, double value, double step)
    {
        double from = value - step * Math.Floor((value - lower) / step + 1e-9);
        // Rounding must not take the start below what the format accepts (a PD of −1e-18).
        return from - lower < step * 1e-6 ? lower : from;
    }

    /// <summary>A slider over an amount of <paramref name="item"/>, from a quarter to twice the base's.</summary>
    internal static WhatIfControl Amount(string path, string label, string item, double value) =>
        new(path, label, value / 4, 2 * value, value / 40, value, "money") { Group = item };
}

/// <summary>The controls of a run: the economy's (factors' persistence, stresses' shifts), then every instrument's, in
/// scenario order.</summary>
public static class InstrumentControls
{
    /// <summary>Every control of the run's economy and the controls the run's instruments declare.</summary>
    public static IReadOnlyList<WhatIfControl> Of(SimulationResult run) =>
        [.. Economy(run), .. InstrumentReports.Of(run).SelectMany(x => x.Report.Controls(run, x.Result))];

    /// <summary>What moves every instrument at once, and so needs new trials of all: each factor's persistence (where the
    /// factors' paths span more than one year) and the shift of each stress that moves a factor.</summary>
    private static IEnumerable<WhatIfControl> Economy(SimulationResult run)
    {
        const string group = "economy";
        var economy = run.Scenario.Economy;
        // A path of one year is its stationary first draw, whatever the persistence, and every exposure window is then one
        // year long: a persistence slider would move nothing (rare-tail-pool's did not change a figure).
        if (economy.Years > 1)
            for (int k = 0; k < economy.Factors.Count; k++)
            {
                var f = economy.Factors[k];
                yield return new WhatIfControl(WhatIfPaths.Item("factors", f.Name, k) + ".persistence", $"{f.Name}: persistence (year-to-year)",
                    -0.9, 0.95, 0.05, f.Persistence, "number") { Group = group };
            }
        var stresses = run.Scenario.Spec().Stresses ?? [];
        for (int i = 0; i < stresses.Count; i++)
        {
            if (stresses[i].Shift is not { } shift) continue;
            string name = stresses[i].Use ?? stresses[i].Factor ?? $"stress {i + 1}";
            yield return new WhatIfControl($"stresses[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}].shift", $"{name}: shift (standard deviations)",
                -5, 1, 0.1, shift, "number") { Group = group };
        }
    }
}

/// <summary>Paths of the controls.</summary>
internal static class WhatIfPaths
{
    /// <summary>An item of a list by name (<c>funds[seed-a]</c>) where the name can be written in a path, else by index.</summary>
    public static string Item(string list, string name, int index) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{list}[{name}]" : $"{list}[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
}
