using System.Text.Json;
using Simulator.Core.Engine;
using Simulator.Core.Instruments;
using Simulator.Reporting.Plots;

namespace Simulator.Reporting.Instruments;

/// <summary>
/// How one kind of instrument reports its results: its sections of summary.json, its summary tables (CSV), its
/// charts and its lines on the console. The writers iterate over a run's instruments and ask each its report; none
/// of them names a kind.
/// </summary>
internal interface IInstrumentReport
{
    /// <summary>The kind it reports (<see cref="IInstrument.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>Writes its top-level properties of summary.json.</summary>
    void WriteSummary(Utf8JsonWriter w, SimulationResult run, IInstrumentResult result);

    /// <summary>Writes its summary tables into <paramref name="folder"/> (nothing when it has no items).</summary>
    void WriteTables(SimulationResult run, IInstrumentResult result, string folder);

    /// <summary>The names of the files <see cref="WriteTables"/> writes for <paramref name="result"/> (none when it has no items).</summary>
    IEnumerable<string> TableFiles(SimulationResult run, IInstrumentResult result);

    /// <summary>
    /// What the figures of its tables mean, for summary.xlsx's sheet of columns: a figure (<c>lossRatio</c>) or a whole
    /// column (<c>fiscalLeverage</c>) → its meaning. The statistics a column adds to a figure (<c>.mean</c>, <c>.p99</c>,
    /// <c>.se.p99</c>, <c>.probability</c>, …) are explained once for every table (<see cref="Xlsx.ColumnGlossary"/>).
    /// </summary>
    IReadOnlyDictionary<string, string> ColumnNotes => new Dictionary<string, string>();

    /// <summary>Its charts, in the order they are listed and shown.</summary>
    IEnumerable<PlotFile> Plots(SimulationResult run, IInstrumentResult result);

    /// <summary>Writes its table of headline figures on the console (nothing when it has no items).</summary>
    void WriteConsole(TextWriter w, SimulationResult run, IInstrumentResult result);

    /// <summary>Its items in the plural, as the report says the scenario has none ("funds").</summary>
    string Noun { get; }

    /// <summary>Whether the run has any of its items.</summary>
    bool HasItems(IInstrumentResult result);

    /// <summary>Its tables of the report's inputs section (HTML; empty when the scenario has none of its items).</summary>
    string Inputs(SimulationResult run);

    /// <summary>Its headline figures in the batch's index (the index's columns: programme breach, worst fund, government
    /// cost); a kind with none of these leaves <paramref name="headline"/> as it is.</summary>
    Html.BatchHeadline Headline(SimulationResult run, IInstrumentResult result, Html.BatchHeadline headline) => headline;

    /// <summary>Its part of the report's key figures (HTML; empty when it has no items).</summary>
    string KeyFigures(SimulationResult run, IInstrumentResult result);

    /// <summary>Adds its headline numbers to the report's cards (label, value, detail).</summary>
    void AddCards(SimulationResult run, IInstrumentResult result, List<(string Label, string Value, string Detail)> cards);

    /// <summary>Its part of the report's tables section (HTML; empty when it has no items).</summary>
    string Tables(SimulationResult run, IInstrumentResult result);

    /// <summary>The heading and caption of one of its charts, null when <paramref name="file"/> is not one of them.</summary>
    Html.PlotInfo? Describe(string file, string name, SimulationResult run, IInstrumentResult result);

    /// <summary>The settings of its items a what-if page offers as sliders, at their values in <paramref name="run"/>
    /// (none unless the kind declares some).</summary>
    IEnumerable<WhatIfControl> Controls(SimulationResult run, IInstrumentResult result) => [];
}

/// <summary>
/// The reports of every instrument kind. They are found in this assembly by their interface, so a kind's report is a
/// class in its own file and needs no registration of its own: the kind is registered once, in the scenario format.
/// </summary>
internal static class InstrumentReports
{
    private static readonly IReadOnlyList<IInstrumentReport> All = typeof(IInstrumentReport).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IInstrumentReport).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (IInstrumentReport)Activator.CreateInstance(t)!).ToList();

    /// <summary>The report of a kind.</summary>
    public static IInstrumentReport For(IInstrumentResult result) =>
        All.FirstOrDefault(r => r.Kind == result.Kind) ?? throw new InvalidOperationException($"no report is registered for instruments of kind '{result.Kind}'");

    /// <summary>A run's instruments with their reports, in scenario order.</summary>
    public static IEnumerable<(IInstrumentReport Report, IInstrumentResult Result)> Of(SimulationResult run) =>
        run.Instruments.Select(r => (For(r), r));
}
