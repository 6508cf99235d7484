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
/// <param name="Unit">How to show the value: <c>share</c> (as a percentage), <c>money</c> (CNY) or <c>number</c>.</param>
/// <param name="Balance">A path that absorbs this setting's change, so that a constraint of the format keeps holding
/// (a government share taken from the bank's, as the shares must sum to 1); null when there is none.</param>
/// <param name="BalanceValue">The base value of <paramref name="Balance"/>.</param>
public sealed record WhatIfControl(string Path, string Label, double Min, double Max, double Step, double Value, string Unit,
    string? Balance = null, double BalanceValue = 0);

/// <summary>The controls of every instrument of a run, in scenario order.</summary>
public static class InstrumentControls
{
    /// <summary>Every control the run's instruments declare.</summary>
    public static IReadOnlyList<WhatIfControl> Of(SimulationResult run) =>
        InstrumentReports.Of(run).SelectMany(x => x.Report.Controls(run, x.Result)).ToList();
}

/// <summary>Paths of the controls.</summary>
internal static class WhatIfPaths
{
    /// <summary>An item of a list by name (<c>funds[seed-a]</c>) where the name can be written in a path, else by index.</summary>
    public static string Item(string list, string name, int index) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{list}[{name}]" : $"{list}[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
}
