using Simulator.Core.Comparison;
using Simulator.Core.Engine;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Reporting.Html;

/// <summary>How one scenario file of a batch ended.</summary>
public enum BatchStatus
{
    /// <summary>It ran and its result folder (with report.html) was written.</summary>
    Ok,
    /// <summary>It was rejected before running (validation errors).</summary>
    Invalid,
    /// <summary>It was valid but failed while running or writing its results.</summary>
    Failed,
}

/// <summary>One row of index.html: a scenario file of the batch, how it ended and its headline figures.</summary>
/// <param name="File">The scenario file as given on the command line (or found in a folder).</param>
/// <param name="Name">Scenario name (its result folder), when known.</param>
/// <param name="Title">Display title, when known.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Messages">Validation errors (invalid) or the failure message (failed); empty when ok.</param>
/// <param name="Trials">Trials run (ok only).</param>
/// <param name="Variants">Variants run besides the base (ok only).</param>
/// <param name="ProgrammeBreach">Programme breach probability, when the scenario has funds.</param>
/// <param name="WorstFundBreach">Highest breach probability of a single fund, when the scenario has funds.</param>
/// <param name="WorstFund">The fund with <paramref name="WorstFundBreach"/>.</param>
/// <param name="GovernmentCost">Mean government cost summed over the guarantee schemes (CNY), when it has any.</param>
public sealed record BatchEntry(
    string File, string? Name, string? Title, BatchStatus Status, IReadOnlyList<string> Messages,
    long? Trials, int Variants, double? ProgrammeBreach, double? WorstFundBreach, string? WorstFund, double? GovernmentCost)
{
    /// <summary>A scenario that ran; headline figures are taken from its base result.</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="result">The base run's result.</param>
    /// <param name="comparison">Its comparison with the variants, if any (only the number of variants is shown).</param>
    public static BatchEntry Ok(string file, SimulationResult result, ComparisonResult? comparison = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var worst = result.Funds.OrderByDescending(f => f.Breach.Probability).FirstOrDefault();
        return new BatchEntry(file, result.Scenario.Name, result.Scenario.Title, BatchStatus.Ok, [], result.Trials,
            comparison?.Variants.Count ?? result.Scenario.Variants.Count,
            result.Programme?.Breach.Probability, worst?.Breach.Probability, worst?.Fund.Name,
            result.Guarantees.Count > 0 ? result.Guarantees.Sum(g => g.Government.Mean) : null);
    }

    /// <summary>A file rejected before running, with every error message (as printed: file:line: error at path: message).</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="errors">Its errors.</param>
    /// <param name="name">Scenario name, when the file got far enough to have one (e.g. a duplicate name).</param>
    public static BatchEntry Invalid(string file, IReadOnlyList<string> errors, string? name = null) =>
        new(file, name, null, BatchStatus.Invalid, errors ?? [], null, 0, null, null, null, null);

    /// <summary>A valid scenario that failed while running or writing its results.</summary>
    /// <param name="file">The scenario file.</param>
    /// <param name="name">Scenario name, when known.</param>
    /// <param name="message">The one-line message shown to the user.</param>
    /// <param name="title">Its display title, when known.</param>
    public static BatchEntry Failed(string file, string? name, string message, string? title = null) =>
        new(file, name, title, BatchStatus.Failed, [message], null, 0, null, null, null, null);

    /// <summary>Link to the scenario's report, relative to the output root (ok rows only).</summary>
    public string? ReportLink => Status == BatchStatus.Ok && !string.IsNullOrEmpty(Name)
        ? Uri.EscapeDataString(Name) + "/" + ScenarioReport.FileName
        : null;
}
