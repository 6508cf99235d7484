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
/// <param name="SortedLossRatios">All trials' loss ratios, ascending (for plots).</param>
public sealed record FundResult(
    Fund Fund, LossSummary LossRatio, ProbabilityEstimate Breach,
    SpreadSummary? NetMultiplePrivate, SpreadSummary? NetMultipleGovernment, SpreadSummary? NetIrrPrivate, SpreadSummary? NetIrrGovernment,
    double MeanInvested, double MeanProceeds, DirectProjectsSummary? Projects, double[] SortedLossRatios);

/// <summary>The results of the programme as a whole (life-cycle evaluation).</summary>
/// <param name="LossRatio">Pooled loss-ratio distribution.</param>
/// <param name="Breach">Probability that the pooled loss ratio exceeds the invested-weighted tolerance.</param>
/// <param name="MeanTolerance">Mean of the invested-weighted tolerance.</param>
/// <param name="SortedLossRatios">All trials' pooled loss ratios, ascending.</param>
public sealed record ProgrammeResult(LossSummary LossRatio, ProbabilityEstimate Breach, double MeanTolerance, double[] SortedLossRatios);

/// <summary>Everything a run produced besides trials.csv, which is streamed.</summary>
/// <param name="Scenario">The scenario as run (with command-line overrides applied).</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Funds">Per-fund results in file order.</param>
/// <param name="Programme">Programme results.</param>
public sealed record SimulationResult(Scenario Scenario, long Trials, IReadOnlyList<FundResult> Funds, ProgrammeResult Programme);
