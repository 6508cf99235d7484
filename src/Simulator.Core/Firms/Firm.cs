using System.Text.Json.Serialization;
using Simulator.Core.Distributions;
using Simulator.Core.Outcomes;

namespace Simulator.Core.Firms;

/// <summary>Who holds a book's equity stakes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EquityHolder>))]
public enum EquityHolder
{
    /// <summary>The lending bank: the equity result is part of the bank's net result.</summary>
    [JsonStringEnumMemberName("bank")] Bank,
    /// <summary>Someone else (an investment arm, a fund): the equity result is reported apart.</summary>
    [JsonStringEnumMemberName("external")] External,
}

/// <summary>
/// The terms of one firm (or of every generated firm of one entry year): its loan, its equity check and warrant,
/// the copula's link and the factor loadings. Amounts and rates are laws drawn per firm and trial.
/// </summary>
/// <param name="EntryYear">Year the loan is made and the stake bought (1-based).</param>
/// <param name="Amount">Loan amount, CNY.</param>
/// <param name="TermYears">Bullet term: outstanding in years EntryYear..EntryYear + TermYears − 1.</param>
/// <param name="Pd">Annual PD.</param>
/// <param name="Lgd">Loss given default.</param>
/// <param name="Rate">Annual interest rate.</param>
/// <param name="FundingRate">Annual funding rate.</param>
/// <param name="Check">Equity check (zero law without an equity leg).</param>
/// <param name="Notional">Warrant notional (zero law without a warrant).</param>
/// <param name="StrikeMultiple">Warrant strike multiple.</param>
/// <param name="Link">Copula correlation of the legs given the factors, in [0, 1].</param>
/// <param name="Loadings">Factor loadings, aligned with the economy's factors.</param>
public sealed record FirmTerms(int EntryYear, Distribution Amount, int TermYears, Distribution Pd, Distribution Lgd, Distribution Rate,
    Distribution FundingRate, Distribution Check, Distribution Notional, double StrikeMultiple, double Link, IReadOnlyList<double> Loadings)
{
    /// <summary>Σ b_k², the systematic share of both legs' latent variance.</summary>
    public double SystematicVariance => Loadings.Sum(b => b * b);
}

/// <summary>The government's compensation of a book.</summary>
/// <param name="CreditLoss">Share of each credit loss paid to the bank.</param>
/// <param name="InvestmentLoss">Share of each equity loss paid to the holder.</param>
/// <param name="Budget">Total it can pay over the book (+∞: no limit).</param>
public sealed record Compensation(double CreditLoss, double InvestmentLoss, double Budget)
{
    /// <summary>No compensation.</summary>
    public static readonly Compensation None = new(0, 0, double.PositiveInfinity);
}

/// <summary>A book of firms as simulated. Immutable.</summary>
/// <param name="Name">Book name.</param>
/// <param name="Firms">Each firm's terms, in entry order (generated firms of a year share one instance).</param>
/// <param name="HasEquity">Whether the firms have an equity leg.</param>
/// <param name="HasWarrant">Whether the bank holds warrants.</param>
/// <param name="Outcomes">The equity's outcome model (also the warrant's underlying multiple).</param>
/// <param name="Holder">Who holds the equity.</param>
/// <param name="HoldYears">Years from entry to the latest exit.</param>
/// <param name="ReferenceRate">The rate of the break-even comparison (NaN: each firm's own rate).</param>
/// <param name="Compensation">The government's compensation.</param>
/// <param name="Source">Where the firms come from, for the report ("50 a year for 3 years", a tape's path).</param>
public sealed record FirmBook(string Name, IReadOnlyList<FirmTerms> Firms, bool HasEquity, bool HasWarrant, OutcomeModel Outcomes,
    EquityHolder Holder, int HoldYears, double ReferenceRate, Compensation Compensation, string Source)
{
    /// <summary>Last year with a loan outstanding or a factor window open.</summary>
    public int LastFactorYear => Firms.Select(f => f.EntryYear + Math.Max(f.TermYears, Outcomes.ExposureYears) - 1).DefaultIfEmpty(1).Max();

    /// <summary>Mean warrant notional per firm at scale 1 (1 CNY without a warrant: the break-even's unit).</summary>
    public double MeanNotional => HasWarrant && Firms.Count > 0 ? Firms.Average(f => f.Notional.Mean) : 1;

    /// <summary>Last year with a cash flow (a loan's last year, an exit).</summary>
    public int Years => Firms.Select(f => f.EntryYear + Math.Max(f.TermYears - 1, HoldYears)).DefaultIfEmpty(1).Max();
}
