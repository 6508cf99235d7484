using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Guarantees;

/// <summary>What one party paid.</summary>
/// <param name="Mean">Mean over all trials.</param>
/// <param name="P99">99th percentile over trials.</param>
/// <param name="WorstPercentMean">Mean over the worst 1% of trials by total credit loss.</param>
public sealed record PartySummary(double Mean, double P99, double WorstPercentMean)
{
    /// <summary>Standard errors of the mean and p99.</summary>
    public (double Mean, double P99) StandardErrors { get; init; } = (double.NaN, double.NaN);
}

/// <summary>The results of one guarantee scheme.</summary>
/// <param name="Guarantee">The scheme.</param>
/// <param name="Loss">Total credit-loss distribution.</param>
/// <param name="Guarantor">Paid by the guarantor.</param>
/// <param name="ReGuarantee">Paid by the re-guarantee layer.</param>
/// <param name="Bank">Paid by the bank.</param>
/// <param name="Government">Paid by the government pool (the government's cost).</param>
/// <param name="WorstPercentLoss">Mean credit loss over the worst 1% of trials.</param>
/// <param name="Exhausted">Probability the pool could not pay its share at some point.</param>
/// <param name="Insolvent">Probability the guarantor became insolvent.</param>
/// <param name="Suspended">Probability new loans were suspended by the payout-rate trigger.</param>
/// <param name="MeanGuaranteed">Mean cumulative guaranteed amount.</param>
/// <param name="MeanLoans">Mean number of loans issued.</param>
/// <param name="MeanDefaults">Mean number of defaults.</param>
/// <param name="FiscalLeverage">Mean guaranteed amount per unit of mean government payments (+∞ when it pays nothing).</param>
/// <param name="ExhaustedByYear">P(pool exhausted by the end of year t), t = 1..Years.</param>
/// <param name="InsolventByYear">P(guarantor insolvent by the end of year t).</param>
/// <param name="CapitalByYear">Guarantor capital at the end of each year: p5, p50, p95 (empty without a guarantor);
/// their standard errors are in <see cref="CapitalStandardErrors"/>.</param>
/// <param name="Losses">The trials' credit losses (with their importance-sampling weights), for plots.</param>
public sealed record GuaranteeResult(
    Guarantee Guarantee, LossSummary Loss, PartySummary Guarantor, PartySummary ReGuarantee, PartySummary Bank, PartySummary Government,
    double WorstPercentLoss, ProbabilityEstimate Exhausted, ProbabilityEstimate Insolvent, ProbabilityEstimate Suspended,
    double MeanGuaranteed, double MeanLoans, double MeanDefaults, double FiscalLeverage,
    IReadOnlyList<double> ExhaustedByYear, IReadOnlyList<double> InsolventByYear, IReadOnlyList<(double P5, double P50, double P95)> CapitalByYear,
    TrialDistribution Losses)
{
    /// <summary>Standard errors of <see cref="CapitalByYear"/>'s p5, p50, p95, year by year.</summary>
    public IReadOnlyList<(double P5, double P50, double P95)> CapitalStandardErrors { get; init; } = [];

    /// <summary>Standard errors of <see cref="ExhaustedByYear"/> and <see cref="InsolventByYear"/>, year by year.</summary>
    public IReadOnlyList<(double Exhausted, double Insolvent)> ByYearStandardErrors { get; init; } = [];

    /// <summary>P(loss &gt; <paramref name="threshold"/>) with its standard error (weighted under importance sampling).</summary>
    public ProbabilityEstimate TailEstimate(double threshold) => Losses.TailEstimate(threshold);
}

/// <summary>The results of a scenario's guarantee schemes.</summary>
/// <param name="Guarantees">Per scheme, in file order.</param>
public sealed record GuaranteesResult(IReadOnlyList<GuaranteeResult> Guarantees) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => GuaranteesInstrument.KindName;
}
