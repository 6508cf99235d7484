using Simulator.Core.Funds;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>Per-project figures of a direct-investment programme.</summary>
/// <param name="MeanBreachingProjects">Expected number of projects whose own loss ratio breaches the tolerance.</param>
/// <param name="ProjectBreachProbability">Probability that one project (averaged over projects) breaches.</param>
/// <param name="StandardError">Standard error of <paramref name="ProjectBreachProbability"/>, from the spread of
/// each trial's share of breaching projects (projects of a trial are correlated, so not the binomial formula).</param>
public sealed record DirectProjectsSummary(double MeanBreachingProjects, double ProjectBreachProbability, double StandardError);

/// <summary>The results of one fund.</summary>
/// <param name="Fund">The fund.</param>
/// <param name="LossRatio">Loss-ratio distribution.</param>
/// <param name="Breach">Probability that the fund breaches its tolerance.</param>
/// <param name="NetMultiplePrivate">Private LPs' net multiple.</param>
/// <param name="NetMultipleGovernment">Government's net multiple.</param>
/// <param name="NetIrrPrivate">Private LPs' net IRR.</param>
/// <param name="NetIrrGovernment">Government's net IRR.</param>
/// <param name="MeanInvested">Mean amount invested.</param>
/// <param name="MeanProceeds">Mean gross proceeds.</param>
/// <param name="Projects">Per-project figures (direct funds only).</param>
/// <param name="LossRatios">The trials' loss ratios (with their importance-sampling weights), for plots.</param>
public sealed record FundResult(
    Fund Fund, LossSummary LossRatio, ProbabilityEstimate Breach,
    SpreadSummary? NetMultiplePrivate, SpreadSummary? NetMultipleGovernment, SpreadSummary? NetIrrPrivate, SpreadSummary? NetIrrGovernment,
    double MeanInvested, double MeanProceeds, DirectProjectsSummary? Projects, TrialDistribution LossRatios);

/// <summary>The results of the programme as a whole (life-cycle evaluation).</summary>
/// <param name="LossRatio">Pooled loss-ratio distribution.</param>
/// <param name="Breach">Probability that the pooled loss ratio exceeds the invested-weighted tolerance.</param>
/// <param name="MeanTolerance">Mean of the invested-weighted tolerance.</param>
/// <param name="LossRatios">The trials' pooled loss ratios (with their importance-sampling weights), for plots.</param>
public sealed record ProgrammeResult(LossSummary LossRatio, ProbabilityEstimate Breach, double MeanTolerance, TrialDistribution LossRatios);

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
    Guarantees.Guarantee Guarantee, LossSummary Loss, PartySummary Guarantor, PartySummary ReGuarantee, PartySummary Bank, PartySummary Government,
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

/// <summary>Everything a run produced besides trials.csv, which is streamed.</summary>
/// <param name="Scenario">The scenario as run (with command-line overrides applied).</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Funds">Per-fund results in file order.</param>
/// <param name="Programme">Programme results (null when the scenario has no funds).</param>
/// <param name="Guarantees">Per-scheme results in file order.</param>
public sealed record SimulationResult(Scenario Scenario, long Trials, IReadOnlyList<FundResult> Funds, ProgrammeResult? Programme, IReadOnlyList<GuaranteeResult> Guarantees)
{
    /// <summary>What importance sampling did (null for plain sampling).</summary>
    public ImportanceSamplingReport? ImportanceSampling { get; init; }

    /// <summary>How the precision target was met (null without one).</summary>
    public PrecisionReport? Precision { get; init; }
}
