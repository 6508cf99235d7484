using System.Text.Json.Serialization;

namespace Simulator.Core.Bonds;

/// <summary>How the bond's principal falls due.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BondAmortisation>))]
public enum BondAmortisation
{
    /// <summary>All of it at maturity.</summary>
    [JsonStringEnumMemberName("bullet")] Bullet,
    /// <summary>amount / termYears at the end of every year of the term.</summary>
    [JsonStringEnumMemberName("linear")] Linear,
}

/// <summary>A fund whose gross exit proceeds pay the issuer, in part.</summary>
/// <param name="Fund">The fund's name.</param>
/// <param name="Share">The issuer's share of the fund's proceeds, in (0, 1].</param>
public sealed record BondSource(string Fund, double Share);

/// <summary>
/// A sci-tech innovation bond of an equity investment firm: repaid from the firm's share of its funds' exit proceeds,
/// its other income and a reserve, with the central bank's risk-sharing tool and a local guarantor taking shares of
/// any loss.
/// </summary>
/// <param name="Name">Name, the key of its columns.</param>
/// <param name="Title">Display title (null: the name).</param>
/// <param name="Sources">The funds paying the issuer and its shares.</param>
/// <param name="OtherIncome">Income each year besides the funds (CNY).</param>
/// <param name="Reserve">Cash at issue (CNY).</param>
/// <param name="Amount">Face amount (CNY).</param>
/// <param name="Coupon">Annual coupon rate on the outstanding principal.</param>
/// <param name="TermYears">Term: coupons are due at the end of years issueYear .. issueYear + termYears − 1.</param>
/// <param name="IssueYear">Year of issue (scenario year, 1-based).</param>
/// <param name="Amortisation">How principal falls due.</param>
/// <param name="ToolShare">The central bank tool's share of any loss.</param>
/// <param name="LocalShare">The local guarantor's share of any loss.</param>
/// <param name="FixedRecovery">The recovery rate of the unpaid claim, or NaN for recovery from later inflows.</param>
/// <param name="RiskFreeRate">The rate the break-even coupon's bondholders should earn in expectation.</param>
public sealed record Bond(
    string Name, string? Title, IReadOnlyList<BondSource> Sources, double OtherIncome, double Reserve, double Amount, double Coupon,
    int TermYears, int IssueYear, BondAmortisation Amortisation, double ToolShare, double LocalShare, double FixedRecovery, double RiskFreeRate)
{
    /// <summary>The year the last payment is due.</summary>
    public int MaturityYear => IssueYear + TermYears - 1;

    /// <summary>Whether a defaulted claim is recovered from the issuer's later inflows (else at a fixed rate).</summary>
    public bool RecoversFromInflows => double.IsNaN(FixedRecovery);

    /// <summary>The bondholders' share of any loss.</summary>
    public double BondholderShare => Math.Max(0, 1 - ToolShare - LocalShare);

    /// <summary>The coupons at which the bondholders' value is evaluated on every trial, for the break-even coupon.</summary>
    public static readonly IReadOnlyList<double> CouponGrid = [.. Enumerable.Range(0, 81).Select(k => k * 0.0025)];
}

/// <summary>What one trial gives for one bond.</summary>
public struct BondOutcome
{
    /// <summary>The year of the default, 0 without one.</summary>
    public int DefaultYear;
    /// <summary>The unpaid claim at default (outstanding principal and the year's coupon, less the cash paid).</summary>
    public double Claim;
    /// <summary>Recovered of the claim.</summary>
    public double Recovery;
    /// <summary>Claim less recovery.</summary>
    public double Loss;
    /// <summary>Paid by the central bank tool.</summary>
    public double Tool;
    /// <summary>Paid by the local guarantor.</summary>
    public double Local;
    /// <summary>Borne by the bondholders.</summary>
    public double Bondholders;
    /// <summary>The bondholders' receipts (including the enhancers' payments) discounted at the risk-free rate to the
    /// start of the issue year, per yuan of face amount, less 1.</summary>
    public double ExcessValue;
}

/// <summary>
/// The bond's cash account, year by year (docs/model.md, "Bonds"): a pure function of the issuer's inflows.
/// </summary>
public static class BondCashFlows
{
    /// <summary>A payment counts as met when the cash falls short of it by no more than this share of the face amount
    /// (rounding noise of sums of proceeds).</summary>
    public const double Tolerance = 1e-12;

    /// <summary>
    /// The bondholders' excess value at each coupon of <see cref="Bond.CouponGrid"/> into <paramref name="values"/>. A
    /// bond that meets every payment at the highest coupon meets them at every lower one (each year's cash only grows as
    /// the coupon falls), and then its value is linear in the coupon: c·Σ outstanding_t·v_t + Σ principal_t·v_t, v_t the
    /// discount factors. Only trials with a default somewhere on the grid run the account coupon by coupon.
    /// </summary>
    public static void Grid(Bond bond, ReadOnlySpan<double> inflows, Span<double> values)
    {
        var grid = Bond.CouponGrid;
        if (Run(bond, grid[^1], inflows).DefaultYear == 0)
        {
            double interestValue = 0, principalValue = 0, outstanding = bond.Amount, discount = 1, linear = bond.Amount / bond.TermYears;
            for (int t = bond.IssueYear; t <= bond.MaturityYear; t++)
            {
                discount /= 1 + bond.RiskFreeRate;
                double principal = t == bond.MaturityYear ? outstanding : bond.Amortisation == BondAmortisation.Linear ? Math.Min(linear, outstanding) : 0;
                interestValue += outstanding * discount;
                principalValue += principal * discount;
                outstanding -= principal;
            }
            for (int k = 0; k < grid.Count; k++) values[k] = (grid[k] * interestValue + principalValue) / bond.Amount - 1;
            return;
        }
        for (int k = 0; k < grid.Count; k++) values[k] = Run(bond, grid[k], inflows).ExcessValue;
    }

    /// <summary>
    /// Runs <paramref name="bond"/> at coupon <paramref name="coupon"/> on the issuer's inflows
    /// (<paramref name="inflows"/>[t − 1] for year t; years after it have none); the recovery from later inflows runs
    /// to the last year of <paramref name="inflows"/>.
    /// </summary>
    public static BondOutcome Run(Bond bond, double coupon, ReadOnlySpan<double> inflows)
    {
        double amount = bond.Amount, outstanding = amount, cash = bond.Reserve, rate = bond.RiskFreeRate;
        int first = bond.IssueYear, last = bond.MaturityYear;
        double value = 0, discount = 1;
        double linear = amount / bond.TermYears;
        var o = new BondOutcome();
        for (int t = first; t <= last; t++)
        {
            discount /= 1 + rate;
            cash += t <= inflows.Length ? inflows[t - 1] : 0;
            double principal = t == last ? outstanding : bond.Amortisation == BondAmortisation.Linear ? Math.Min(linear, outstanding) : 0;
            double interest = coupon * outstanding, due = interest + principal;
            if (cash >= due - Tolerance * amount)
            {
                cash = Math.Max(0, cash - due);
                outstanding -= principal;
                value += due * discount;
                continue;
            }
            // Default: the cash goes to the bondholders, the rest of the year's payment and all principal not yet due
            // are the claim (acceleration).
            double claim = interest + outstanding - cash;
            value += cash * discount;
            double recovered = 0;
            if (bond.RecoversFromInflows)
            {
                double later = discount;
                for (int s = t + 1; s <= inflows.Length && recovered < claim; s++)
                {
                    later /= 1 + rate;
                    double r = Math.Min(inflows[s - 1], claim - recovered);
                    if (r <= 0) continue;
                    recovered += r;
                    value += r * later;
                }
            }
            else
            {
                recovered = bond.FixedRecovery * claim;
                value += recovered * discount;
            }
            double loss = Math.Max(0, claim - recovered);
            o.DefaultYear = t;
            o.Claim = claim;
            o.Recovery = recovered;
            o.Loss = loss;
            o.Tool = bond.ToolShare * loss;
            o.Local = bond.LocalShare * loss;
            o.Bondholders = loss - o.Tool - o.Local;
            // The enhancers pay their shares in the default year.
            value += (o.Tool + o.Local) * discount;
            break;
        }
        o.ExcessValue = value / amount - 1;
        return o;
    }
}
