using Simulator.Core.Distributions;
using System.Text.Json.Serialization;

namespace Simulator.Core.Guarantees;

/// <summary>Loss shares of the four parties; they sum to 1.</summary>
/// <param name="Guarantor">Guarantor.</param>
/// <param name="ReGuarantee">Re-guarantee layer.</param>
/// <param name="Bank">Bank.</param>
/// <param name="Government">Government pool.</param>
public sealed record Shares(double Guarantor, double ReGuarantee, double Bank, double Government);

/// <summary>The guarantor's balance-sheet terms. Null on a guarantee means there is no guarantor.</summary>
/// <param name="Capital">Starting capital.</param>
/// <param name="LeverageCap">Outstanding ≤ cap × capital when issuing.</param>
/// <param name="FeeRate">Annual fee on outstanding.</param>
/// <param name="CostRate">Annual cost on outstanding.</param>
/// <param name="Yield">Annual yield on capital.</param>
public sealed record GuarantorTerms(double Capital, double LeverageCap, double FeeRate, double CostRate, double Yield);

/// <summary>The government pool's limits.</summary>
/// <param name="Budget">Total it can pay (+∞ for none).</param>
/// <param name="CapRate">Cumulative cap as a share of the cumulative guaranteed amount (+∞ for none).</param>
/// <param name="ShortfallTo">Who takes what it cannot pay.</param>
public sealed record GovernmentPoolTerms(double Budget, double CapRate, ShortfallTo ShortfallTo)
{
    /// <summary>No limit.</summary>
    public static readonly GovernmentPoolTerms Unlimited = new(double.PositiveInfinity, double.PositiveInfinity, ShortfallTo.Guarantor);
}

/// <summary>
/// The loans of a scheme. Generated books draw amounts and LGDs per trial; tapes fix them. Either way loans
/// are numbered 0..Count−1 in issue order (year, then position), and a loan's random draws are keyed by that
/// number, so a scheme's draws do not depend on which loans other settings let through.
/// </summary>
public abstract class LoanBook
{
    /// <summary>Number of candidate loans.</summary>
    public abstract int Count { get; }

    /// <summary>Last year any loan is alive.</summary>
    public abstract int LastYear { get; }

    /// <summary>Risk classes: loans with the same PD and loadings share a conditional default threshold per year.</summary>
    public abstract IReadOnlyList<RiskClass> Classes { get; }
}

/// <summary>A PD and factor loadings (aligned with the economy's factors).</summary>
/// <param name="Pd">Annual PD.</param>
/// <param name="Loadings">Loadings.</param>
public sealed record RiskClass(double Pd, IReadOnlyList<double> Loadings)
{
    /// <summary>Σ b².</summary>
    public double SystematicVariance => Loadings.Sum(b => b * b);
}

/// <summary>Cohorts of identical terms: perYear loans in each of years 1..Years.</summary>
public sealed class GeneratedBook(int perYear, int years, Distribution amount, double maxPerBorrower, int termYears, double pd, Distribution lgd, IReadOnlyList<double> loadings) : LoanBook
{
    /// <summary>Loans offered per year.</summary>
    public int PerYear { get; } = perYear;
    /// <summary>Cohort years.</summary>
    public int Years { get; } = years;
    /// <summary>Amount law.</summary>
    public Distribution Amount { get; } = amount;
    /// <summary>Per-borrower cap.</summary>
    public double MaxPerBorrower { get; } = maxPerBorrower;
    /// <summary>Term in years.</summary>
    public int TermYears { get; } = termYears;
    /// <summary>LGD law.</summary>
    public Distribution Lgd { get; } = lgd;
    /// <inheritdoc />
    public override int Count => PerYear * Years;
    /// <inheritdoc />
    public override int LastYear => Years + TermYears - 1;
    /// <inheritdoc />
    public override IReadOnlyList<RiskClass> Classes { get; } = [new RiskClass(pd, loadings)];
}

/// <summary>A loan tape, as columns.</summary>
public sealed class TapeBook : LoanBook
{
    /// <summary>Creates the book from rows already sorted by start year (stable).</summary>
    public TapeBook(string path, IReadOnlyList<string> ids, double[] amount, double[] lgd, int[] startYear, int[] termYears, int[] classOf, IReadOnlyList<RiskClass> classes)
    {
        Path = path;
        Ids = ids;
        Amount = amount;
        LgdValues = lgd;
        StartYear = startYear;
        TermYears = termYears;
        ClassOf = classOf;
        Classes = classes;
        LastYear = Enumerable.Range(0, amount.Length).Select(i => startYear[i] + termYears[i] - 1).DefaultIfEmpty(1).Max();
    }

    /// <summary>The tape file as resolved.</summary>
    public string Path { get; }
    /// <summary>Loan ids.</summary>
    public IReadOnlyList<string> Ids { get; }
    /// <summary>Amounts.</summary>
    public double[] Amount { get; }
    /// <summary>LGDs.</summary>
    public double[] LgdValues { get; }
    /// <summary>Start years.</summary>
    public int[] StartYear { get; }
    /// <summary>Terms.</summary>
    public int[] TermYears { get; }
    /// <summary>Risk class of each loan.</summary>
    public int[] ClassOf { get; }
    /// <inheritdoc />
    public override int Count => Amount.Length;
    /// <inheritdoc />
    public override int LastYear { get; }
    /// <inheritdoc />
    public override IReadOnlyList<RiskClass> Classes { get; }
}

/// <summary>A guarantee scheme as simulated. Immutable.</summary>
/// <param name="Name">Scheme name.</param>
/// <param name="Book">Its loans.</param>
/// <param name="Shares">Loss shares.</param>
/// <param name="Guarantor">Guarantor terms, null when there is none.</param>
/// <param name="Government">Pool limits.</param>
/// <param name="SuspendAbovePayoutRate">Suspension trigger (+∞ for none).</param>
public sealed record Guarantee(string Name, LoanBook Book, Shares Shares, GuarantorTerms? Guarantor, GovernmentPoolTerms Government, double SuspendAbovePayoutRate)
{
    /// <summary>Years simulated for this scheme.</summary>
    public int Years => Book.LastYear;

    /// <summary>What grading the tape's PDs did, when the scheme asked for it (<c>pdGrading</c>); null: exact PDs.</summary>
    public PdGradingSummary? PdGrading { get; init; }
}

/// <summary>Who takes what the government pool cannot pay.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShortfallTo>))]
public enum ShortfallTo
{
    /// <summary>The guarantor.</summary>
    [JsonStringEnumMemberName("guarantor")] Guarantor,
    /// <summary>The bank.</summary>
    [JsonStringEnumMemberName("bank")] Bank,
    /// <summary>The other parties in proportion to their shares.</summary>
    [JsonStringEnumMemberName("proRata")] ProRata,
}
