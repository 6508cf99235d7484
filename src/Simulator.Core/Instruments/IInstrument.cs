using Simulator.Core.Economy;
using Simulator.Core.Statistics;

namespace Simulator.Core.Instruments;

/// <summary>
/// One kind of instrument of a scenario (all its funds, all its guarantee schemes, …) as the engine sees it: the
/// columns it adds to each trial's row, how it evaluates a trial into them, how it accumulates them into its results,
/// and the key figures variants compare. Kept apart from the engine that runs the trials and the accumulator that
/// gathers them, as QuantLib keeps an instrument apart from its pricing engine: the engine, the row layout, the
/// accumulator and the writers iterate over instruments and name none.
/// </summary>
/// <remarks>
/// An instrument holds every item of its kind, so that work shared by the items of a trial stays in one place (the
/// funds' Φ⁻¹ and Φ run once over the projects of all funds). Items are named; an instrument may read the per-trial
/// outputs of items of other instruments (<see cref="Reads"/>), and the engine evaluates instruments in an order where
/// every output is written before it is read.
/// </remarks>
public interface IInstrument
{
    /// <summary>The kind, as the scenario format names its section ("funds", "guarantees").</summary>
    string Kind { get; }

    /// <summary>The names of its items (funds, schemes), in file order.</summary>
    IReadOnlyList<string> Items { get; }

    /// <summary>Years of factor paths the instrument reads; the economy is drawn for the longest of all instruments.</summary>
    int FactorYears { get; }

    /// <summary>Years in which the factors move the instrument's losses; an importance-sampling shift spans the longest.</summary>
    int ShockYears { get; }

    /// <summary>Its columns: those that go to trials.csv first, in trials.csv order, then those kept for statistics only.</summary>
    IReadOnlyList<TrialColumn> Columns { get; }

    /// <summary>Per-trial vectors it publishes for other instruments (e.g. a fund's proceeds by year), by name.</summary>
    IReadOnlyList<TrialOutput> Outputs { get; }

    /// <summary>Names of the outputs of other instruments it reads.</summary>
    IReadOnlyList<string> Reads { get; }

    /// <summary>The evaluator of one run, writing into the columns and outputs <paramref name="binding"/> places.</summary>
    IInstrumentEvaluator CreateEvaluator(InstrumentBinding binding);

    /// <summary>The accumulator of one run, reading the columns <paramref name="binding"/> places.</summary>
    IInstrumentAccumulator CreateAccumulator(InstrumentBinding binding, AccumulationContext context);

    /// <summary>The figures variants compare, with the (local) columns they read.</summary>
    IReadOnlyList<KeyFigureColumns> KeyFigures { get; }

    /// <summary>
    /// What the government pays or receives through each of its items in a trial: per item, the (local) column holding
    /// the government's net cost (paid less received, CNY; negative when it gains). The run adds them up across every
    /// instrument of the scenario into the government's whole exposure.
    /// </summary>
    IReadOnlyList<GovernmentCostColumn> GovernmentCosts { get; }

    /// <summary>
    /// Adds, per factor, how strongly its items load on the factor (Σ |loading| over the items, each item's share as
    /// the instrument decides); importance sampling shifts the factors against this direction.
    /// </summary>
    void AddExposure(Span<double> exposure);

    /// <summary>
    /// The tail events importance sampling's pilot watches in <paramref name="candidate"/>, with thresholds taken from
    /// the plain pilot's <paramref name="plain"/> where the instrument needs them.
    /// </summary>
    IEnumerable<ProbabilityEstimate> PilotEvents(IInstrumentResult plain, IInstrumentResult candidate);
}

/// <summary>Where a column's values go: trials.csv (and the statistics), or only the statistics.</summary>
public enum ColumnUse
{
    /// <summary>Written to trials.csv.</summary>
    Csv,
    /// <summary>Kept for the statistics only (e.g. capital by year for a fan chart).</summary>
    StatisticsOnly,
}

/// <summary>A column an instrument adds to the trial row.</summary>
/// <param name="Name">Its name in trials.csv, e.g. <c>seed-a.lossRatio</c>.</param>
/// <param name="Use">Whether trials.csv gets it.</param>
/// <param name="SinglePrecision">A figure whose statistics use float precision (trials.csv writes the float's shortest decimal).</param>
/// <param name="Key">One of the columns the format requires (kept with <c>--trials-csv key</c>).</param>
public sealed record TrialColumn(string Name, ColumnUse Use = ColumnUse.Csv, bool SinglePrecision = false, bool Key = false);

/// <summary>A per-trial vector published for other instruments.</summary>
/// <param name="Name">Its name, e.g. <c>seed-a.proceedsByYear</c>.</param>
/// <param name="Length">Its length.</param>
public sealed record TrialOutput(string Name, int Length);

/// <summary>How a key figure is computed from the trials.</summary>
public enum FigureKind
{
    /// <summary>Mean of a per-trial value (probabilities are means of 0/1 flags).</summary>
    Mean,
    /// <summary>The 99th percentile (⌈0.99·n⌉-th smallest).</summary>
    Quantile99,
    /// <summary>Mean of one per-trial value over the mean of another (fiscal leverage).</summary>
    Ratio,
    /// <summary>Mean over the trials in which the value is defined (not NaN), such as an IRR.</summary>
    DefinedMean,
}

/// <summary>The unit of a figure: how it is formatted and compared.</summary>
public enum FigureUnit
{
    /// <summary>A probability in [0, 1].</summary>
    Probability,
    /// <summary>A loss ratio (share of the amount invested).</summary>
    LossRatio,
    /// <summary>An amount in CNY.</summary>
    Money,
    /// <summary>A ratio (a leverage).</summary>
    Ratio,
    /// <summary>A net multiple of the money paid in.</summary>
    Multiple,
    /// <summary>An annual rate of return (an IRR).</summary>
    Rate,
}

/// <summary>A figure compared across variants (a column group of comparison.csv).</summary>
/// <param name="Name">Column name, e.g. <c>seed-a.breachProbability</c>.</param>
/// <param name="Kind">How it is computed.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Item">The item (fund, scheme, "programme") it belongs to.</param>
public sealed record KeyFigure(string Name, FigureKind Kind, FigureUnit Unit, string Item);

/// <summary>A key figure and the columns (local to its instrument) it reads.</summary>
/// <param name="Figure">The figure.</param>
/// <param name="Column">The per-trial value (numerator of a ratio).</param>
/// <param name="DenominatorColumn">The denominator of a ratio, −1 otherwise.</param>
public sealed record KeyFigureColumns(KeyFigure Figure, int Column, int DenominatorColumn = -1);

/// <summary>A column holding the government's net cost of one item in each trial.</summary>
/// <param name="Item">The item (fund, scheme).</param>
/// <param name="Column">The local column.</param>
public sealed record GovernmentCostColumn(string Item, int Column);

/// <summary>The results of one instrument's trials.</summary>
public interface IInstrumentResult
{
    /// <summary>The instrument's kind.</summary>
    string Kind { get; }
}

/// <summary>What an instrument's evaluator and accumulator need of the run besides the instrument.</summary>
/// <param name="Scenario">Name, seed, economy and report settings of the scenario run.</param>
/// <param name="Economy">The factors.</param>
public sealed record InstrumentRun(string Scenario, EconomyModel Economy);
