using Simulator.Core.Instruments;
using Simulator.Core.Statistics;

namespace Simulator.Core.Firms;

/// <summary>The distribution of a net result (CNY; higher is better).</summary>
/// <param name="Mean">Mean.</param>
/// <param name="Sd">Standard deviation.</param>
/// <param name="P50">Median.</param>
/// <param name="P10">10th percentile.</param>
/// <param name="P5">5th percentile.</param>
/// <param name="P1">1st percentile.</param>
/// <param name="P01">0.1th percentile.</param>
/// <param name="Es99">Mean result over the worst 1% of trials (−ES99 of the net loss).</param>
/// <param name="StandardErrors">Standard errors of the mean, p50, p10, p5, p1, p0.1 and es99, in the fields of the loss's
/// p50, p90, p95, p99, p999 and es99.</param>
public sealed record NetResult(double Mean, double Sd, double P50, double P10, double P5, double P1, double P01, double Es99, SummaryStandardErrors StandardErrors);

/// <summary>What the government pays on one leg.</summary>
/// <param name="Mean">Mean.</param>
/// <param name="MeanError">Its standard error.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P99Error">Its standard error.</param>
public sealed record LegCost(double Mean, double MeanError, double P99, double P99Error);

/// <summary>The warrant notional at which the bank's expected net result equals that of the same loans without equity.</summary>
/// <param name="Scale">c*: the multiple of the book's notionals that breaks even (NaN when warrants never pay).</param>
/// <param name="ScaleError">Its standard error.</param>
/// <param name="UnitPayoff">Mean payoff of the warrants per unit of scale.</param>
/// <param name="MeanNotional">Mean notional per firm at scale 1 (1 CNY when the book has no warrant).</param>
/// <param name="GainWithoutWarrant">Mean net result over the reference book, without the warrants' payoff.</param>
public sealed record BreakEven(double Scale, double ScaleError, double UnitPayoff, double MeanNotional, double GainWithoutWarrant)
{
    /// <summary>The break-even notional per firm, CNY.</summary>
    public double Notional => Scale * MeanNotional;

    /// <summary>Its 95% confidence interval.</summary>
    public (double Low, double High) Ci95 => ((Scale - ProbabilityEstimate.Z95 * ScaleError) * MeanNotional, (Scale + ProbabilityEstimate.Z95 * ScaleError) * MeanNotional);
}

/// <summary>One trial's values for the charts.</summary>
/// <param name="CreditLoss">Credit loss.</param>
/// <param name="EquityGain">The bank's equity-side gain (warrants, and the stakes' result when it holds them).</param>
/// <param name="BankNet">The bank's net result.</param>
/// <param name="ReferenceNet">The same loans' net result without equity or warrant.</param>
/// <param name="Weight">Importance-sampling weight (1 under plain sampling).</param>
public readonly record struct PlotPoint(double CreditLoss, double EquityGain, double BankNet, double ReferenceNet, double Weight);

/// <summary>The results of one book of firms.</summary>
/// <param name="Book">The book.</param>
/// <param name="BankNet">The bank's net result.</param>
/// <param name="ReferenceNet">The same loans' net result without equity or warrant, at the reference rate.</param>
/// <param name="CreditLoss">The credit-loss distribution.</param>
/// <param name="Interest">Mean interest.</param>
/// <param name="Funding">Mean funding cost.</param>
/// <param name="EquityProceeds">Mean equity proceeds.</param>
/// <param name="Checks">Mean checks.</param>
/// <param name="WarrantPayoff">Mean warrant payoff.</param>
/// <param name="EquityLoss">Mean equity loss.</param>
/// <param name="Defaults">Mean number of defaults.</param>
/// <param name="WriteOffs">Mean number of stakes written off.</param>
/// <param name="Covered">P(the bank's equity-side gains reach the credit loss).</param>
/// <param name="NotCovered">Its complement.</param>
/// <param name="GovernmentCredit">Government's compensation of credit losses.</param>
/// <param name="GovernmentEquity">Government's compensation of equity losses.</param>
/// <param name="Government">Mean total government cost with its standard error.</param>
/// <param name="BudgetExhausted">P(some claim was not paid in full).</param>
/// <param name="BreakEven">The break-even warrant notional.</param>
/// <param name="Plot">The first trials' values, for the charts.</param>
public sealed record FirmBookResult(FirmBook Book, NetResult BankNet, NetResult ReferenceNet, LossSummary CreditLoss,
    double Interest, double Funding, double EquityProceeds, double Checks, double WarrantPayoff, double EquityLoss, double Defaults, double WriteOffs,
    ProbabilityEstimate Covered, ProbabilityEstimate NotCovered, LegCost GovernmentCredit, LegCost GovernmentEquity, (double Mean, double Error) Government,
    ProbabilityEstimate BudgetExhausted, BreakEven BreakEven, IReadOnlyList<PlotPoint> Plot)
{
    /// <summary>Trials kept for the charts (the first ones, in trial order, so the same for any thread count).</summary>
    public const int PlotTrials = 20_000;

    /// <summary>Mean equity result (proceeds − checks), the holder's before compensation.</summary>
    public double EquityResult => EquityProceeds - Checks;
}

/// <summary>The results of a scenario's books of firms.</summary>
/// <param name="Books">Per book, in file order.</param>
public sealed record FirmsResult(IReadOnlyList<FirmBookResult> Books) : IInstrumentResult
{
    /// <inheritdoc />
    public string Kind => FirmsInstrument.KindName;
}
