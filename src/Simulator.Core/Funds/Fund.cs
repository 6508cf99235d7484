using Simulator.Core.Distributions;
using System.Text.Json.Serialization;

using Simulator.Core.Outcomes;

namespace Simulator.Core.Funds;


/// <summary>Management fee, carried interest with full catch-up, and the LPs' compounded hurdle.</summary>
public sealed record Fees(double Management, double Carry, double Hurdle)
{
    /// <summary>No fees.</summary>
    public static readonly Fees None = new(0, 0, 0);
}

/// <summary>A fund (or a programme of direct investments) as simulated. Immutable.</summary>
/// <param name="Name">Fund name.</param>
/// <param name="Type">Fund type.</param>
/// <param name="Commitment">LP commitment, CNY.</param>
/// <param name="GovernmentShare">Government LP share of contributions.</param>
/// <param name="Deals">Number of projects.</param>
/// <param name="Check">Check-size distribution, CNY.</param>
/// <param name="InvestmentYears">Investment period.</param>
/// <param name="LifeYears">Fund life.</param>
/// <param name="Outcomes">Outcome model.</param>
/// <param name="Loadings">Factor loadings, aligned with the economy's factors.</param>
/// <param name="Tolerance">Loss tolerance (for direct: per project).</param>
/// <param name="Fees">Fees.</param>
/// <param name="Concession">Share of the government's profit ceded to private LPs.</param>
public sealed record Fund(
    string Name, FundType Type, double Commitment, double GovernmentShare, int Deals, Distribution Check,
    int InvestmentYears, int LifeYears, OutcomeModel Outcomes, IReadOnlyList<double> Loadings,
    double Tolerance, Fees Fees, double Concession)
{
    /// <summary>The breach margin of the spec: a loss ratio breaches when it exceeds the tolerance by more than this.</summary>
    public const double BreachEpsilon = 1e-9;

    /// <summary>Investment year (1-based) of project <paramref name="k"/> (0-based): 1 + floor(k·I/deals).</summary>
    public int InvestmentYear(int k) => 1 + (int)((long)k * InvestmentYears / Deals);

    /// <summary>Share of the government's ceded profit (its concession) paid to the manager rather than to the private
    /// (social) LPs; null when the file did not give it (then 0, and the split is not reported).</summary>
    public double? ConcessionToManager { get; init; }

    /// <summary>The due-diligence exemption (尽职合规责任豁免), null when the fund has none.</summary>
    public Exemption? Exemption { get; init; }

    /// <summary>Σ b_k², the systematic share of a project's latent variance.</summary>
    public double SystematicVariance => Loadings.Sum(b => b * b);

    /// <summary>
    /// The fund's vintage: the calendar year (1-based, year 1 the first simulated year) of its first investment year.
    /// Its investment years, exposure windows and exits are fund years 1..LifeYears, calendar years
    /// StartYear..StartYear + LifeYears − 1, read on the trial's one factor path (docs/model.md, "Vintages").
    /// </summary>
    public int StartYear { get; init; } = 1;

    /// <summary>The calendar year of fund year <paramref name="fundYear"/> (1-based).</summary>
    public int CalendarYear(int fundYear) => StartYear - 1 + fundYear;

    /// <summary>Last calendar year any factor is needed for this fund.</summary>
    public int LastFactorYear => CalendarYear(InvestmentYears + Outcomes.ExposureYears - 1);

    /// <summary>The calendar year of the fund's last year.</summary>
    public int LastYear => CalendarYear(LifeYears);
}

/// <summary>
/// The due-diligence exemption: a project that passed due diligence has its loss excused with
/// <paramref name="Probability"/> (when <paramref name="FactorThreshold"/> is set, only while its standardised systematic
/// draw is below it: force majeure clusters in downturns); a project fails due diligence with
/// <paramref name="DiligenceFailure"/>, is never excused, and in a direct programme is judged with no tolerance.
/// Excused losses are removed before the tolerance test (docs/model.md §5).
/// </summary>
/// <param name="Probability">Per-project probability that a loss is excused.</param>
/// <param name="FactorThreshold">Threshold on the project's standardised systematic draw, or null.</param>
/// <param name="DiligenceFailure">Per-project probability of failing due diligence.</param>
public sealed record Exemption(double Probability, double? FactorThreshold, double DiligenceFailure);

/// <summary>Fund types (the format names them in lower case).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FundType>))]
public enum FundType
{
    /// <summary>Seed fund.</summary>
    [JsonStringEnumMemberName("seed")] Seed,
    /// <summary>Angel fund.</summary>
    [JsonStringEnumMemberName("angel")] Angel,
    /// <summary>Venture fund.</summary>
    [JsonStringEnumMemberName("venture")] Venture,
    /// <summary>A programme of direct investments, judged project by project.</summary>
    [JsonStringEnumMemberName("direct")] Direct,
    /// <summary>Industry fund (产业基金): later-stage, strategic investments in a region's industries.</summary>
    [JsonStringEnumMemberName("industry")] Industry,
    /// <summary>Buyout or M&amp;A fund (并购基金): controlling stakes in established firms.</summary>
    [JsonStringEnumMemberName("buyout")] Buyout,
}
