using Simulator.Core.Economy;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Securitisations;

/// <summary>One pledged loan of a securitised pool: a bullet loan paying interest each year.</summary>
/// <param name="Amount">Principal (CNY).</param>
/// <param name="Rate">Annual interest rate.</param>
/// <param name="Pd">Annual probability of default of a surviving loan.</param>
/// <param name="Lgd">Loss given default (share of the principal).</param>
/// <param name="TermYears">Years to maturity.</param>
public sealed record PoolLoan(double Amount, double Rate, double Pd, double Lgd, int TermYears);

/// <summary>
/// An IP securitisation (知识产权证券化): a small pool of IP-pledge loans on the scenario's factors, a senior and a
/// subordinate tranche paid by a sequential waterfall, excess spread trapped or released, and a shortfall guarantor
/// (差额支付) that pays any senior shortfall as far as its capital goes (docs/model.md, "Securitisations").
/// </summary>
/// <param name="Name">Name, the key of its columns.</param>
/// <param name="Title">Display title (null: the name).</param>
/// <param name="Loans">The pool, one entry per loan.</param>
/// <param name="Loadings">Factor loadings of every loan's latent variable, by factor index.</param>
/// <param name="SeniorShare">Senior notes as a share of the pool's principal; the subordinate notes are the rest.</param>
/// <param name="SeniorCoupon">Senior coupon rate.</param>
/// <param name="SubordinateCoupon">Subordinate coupon rate.</param>
/// <param name="TrapExcess">Whether excess spread is kept in a reserve for later shortfalls (else released each year).</param>
/// <param name="GuarantorCapital">The shortfall guarantor's capital (0: none).</param>
public sealed record Securitisation(
    string Name, string? Title, IReadOnlyList<PoolLoan> Loans, IReadOnlyList<double> Loadings, double SeniorShare, double SeniorCoupon,
    double SubordinateCoupon, bool TrapExcess, double GuarantorCapital)
{
    /// <summary>The pool's principal.</summary>
    public double PoolAmount => Loans.Sum(l => l.Amount);

    /// <summary>The senior notes' principal.</summary>
    public double SeniorAmount => SeniorShare * PoolAmount;

    /// <summary>The subordinate notes' principal.</summary>
    public double SubordinateAmount => PoolAmount - SeniorAmount;

    /// <summary>The deal's life: the longest loan term.</summary>
    public int Years => Loans.Select(l => l.TermYears).DefaultIfEmpty(1).Max();

    /// <summary>Σ loading², the share of a loan's latent variance the factors explain.</summary>
    public double SystematicVariance => Loadings.Sum(b => b * b);
}

/// <summary>What one trial gives for one securitisation.</summary>
public struct TrancheOutcome
{
    /// <summary>Principal lost by defaults (Σ lgd · amount).</summary>
    public double PoolLoss;
    /// <summary>Loans that defaulted.</summary>
    public int Defaults;
    /// <summary>Senior interest and principal never paid (after the guarantor).</summary>
    public double SeniorLoss;
    /// <summary>Subordinate interest and principal never paid.</summary>
    public double SubordinateLoss;
    /// <summary>Paid by the shortfall guarantor.</summary>
    public double ShortfallPaid;
    /// <summary>The year the guarantor could not meet a call in full, 0 if never.</summary>
    public int InsolventYear;
    /// <summary>Excess spread released to the originator (each year, or at the end when trapped).</summary>
    public double Released;
}

/// <summary>The pool's defaults and the waterfall of one trial.</summary>
public sealed class TrancheEvaluator
{
    /// <summary>A call on the guarantor counts as met when it falls short by no more than this share of the pool (rounding).</summary>
    public const double Tolerance = 1e-12;

    private readonly Securitisation _deal;
    private readonly double[] _pdQuantile;
    private readonly double _scale;
    private readonly ulong _hash;

    /// <summary>The evaluator of <paramref name="deal"/>; its draws come from the stream of (<paramref name="kind"/>, name).</summary>
    public TrancheEvaluator(Securitisation deal, string kind, Copula? copula = null)
    {
        _deal = deal;
        copula ??= Copula.Gaussian;
        _pdQuantile = [.. deal.Loans.Select(l => copula.Quantile(l.Pd))];
        _scale = 1 / Math.Sqrt(1 - deal.SystematicVariance);
        _hash = StreamKey.Hash(kind, deal.Name);
    }

    /// <summary>Per-thread buffers: each loan's default year (0: none).</summary>
    public int[] CreateScratch() => new int[_deal.Loans.Count];

    /// <summary>
    /// Draws the loans' defaults: in year t a loan still alive and not yet matured defaults when its uniform falls below
    /// Φ((Φ⁻¹(pd) − Σ_k b_k·L_k,t) / √(1 − Σ b²)), L the stressed factor levels. Every loan draws every year, so a loan's
    /// draws do not depend on the others'.
    /// </summary>
    public void Draw(StreamKey key, long trial, FactorPaths paths, int[] defaultYear)
    {
        var rng = key.Stream(trial, _hash);
        var loans = _deal.Loans;
        var loadings = _deal.Loadings;
        Array.Clear(defaultYear);
        double mixing = paths.Mixing; // the t copula's √(W/ν) (1 under the Gaussian): thresholds T_ν⁻¹(pd)·√(W/ν)
        for (int t = 1; t <= _deal.Years; t++)
        {
            double systematic = 0;
            for (int k = 0; k < loadings.Count; k++)
                if (loadings[k] != 0) systematic += loadings[k] * paths.Stressed[k * paths.Years + t - 1];
            for (int i = 0; i < loans.Count; i++)
            {
                double u = rng.NextOpenUnit();
                if (defaultYear[i] != 0 || t > loans[i].TermYears) continue;
                double q = _pdQuantile[i];
                double p = double.IsInfinity(q) ? (q > 0 ? 1 : 0) : NormalMath.Cdf((q * mixing - systematic) * _scale);
                if (u < p) defaultYear[i] = t;
            }
        }
    }

    /// <summary>The pool's collections and the waterfall, given each loan's default year (0: none).</summary>
    public TrancheOutcome Settle(ReadOnlySpan<int> defaultYear) => Waterfall(_deal, defaultYear);

    /// <summary>
    /// The waterfall, year by year: collections (interest of performing loans, principal of maturing ones, recoveries of
    /// defaulted ones) plus any trapped reserve pay (1) senior interest, (2) senior principal, (3) the guarantor's call
    /// for what (1) and (2) left unpaid, (4) subordinate interest, (5) subordinate principal; the rest is trapped or
    /// released. Principal due in a year is the notes' excess over the performing pool, senior first.
    /// </summary>
    public static TrancheOutcome Waterfall(Securitisation deal, ReadOnlySpan<int> defaultYear)
    {
        var loans = deal.Loans;
        double senior = deal.SeniorAmount, subordinate = deal.SubordinateAmount, capital = deal.GuarantorCapital, reserve = 0;
        double tiny = Tolerance * Math.Max(1, deal.PoolAmount);
        var o = new TrancheOutcome();
        for (int t = 1; t <= deal.Years; t++)
        {
            double collections = 0, performing = 0;
            for (int i = 0; i < loans.Count; i++)
            {
                var loan = loans[i];
                int d = defaultYear[i];
                if (d == t)
                {
                    collections += (1 - loan.Lgd) * loan.Amount;
                    o.PoolLoss += loan.Lgd * loan.Amount;
                    o.Defaults++;
                }
                else if ((d == 0 || d > t) && t <= loan.TermYears)
                {
                    collections += loan.Rate * loan.Amount;
                    if (t == loan.TermYears) collections += loan.Amount;
                    else performing += loan.Amount;
                }
            }
            double available = collections + reserve;
            reserve = 0;
            double due = Math.Max(0, senior + subordinate - performing);

            double seniorInterest = deal.SeniorCoupon * senior;
            double paid = Math.Min(available, seniorInterest);
            available -= paid;
            double interestShort = seniorInterest - paid;

            double seniorDue = Math.Min(senior, due);
            paid = Math.Min(available, seniorDue);
            available -= paid;
            senior -= paid;
            double principalShort = seniorDue - paid;

            double call = interestShort + principalShort;
            if (call > 0)
            {
                double cover = Math.Min(call, capital);
                capital -= cover;
                o.ShortfallPaid += cover;
                if (cover < call - tiny && o.InsolventYear == 0) o.InsolventYear = t;
                double toInterest = Math.Min(cover, interestShort);
                o.SeniorLoss += interestShort - toInterest; // unpaid interest is not carried forward
                senior -= cover - toInterest;
            }

            double subordinateInterest = deal.SubordinateCoupon * subordinate;
            paid = Math.Min(available, subordinateInterest);
            available -= paid;
            o.SubordinateLoss += subordinateInterest - paid;

            double subordinateDue = Math.Min(subordinate, due - seniorDue);
            paid = Math.Min(available, subordinateDue);
            available -= paid;
            subordinate -= paid;

            if (deal.TrapExcess && t < deal.Years) reserve = available;
            else o.Released += available;
        }
        // What the notes still owe after the last year is lost.
        o.SeniorLoss += senior;
        o.SubordinateLoss += subordinate;
        return o;
    }
}

/// <summary>
/// A rating-like grade from the senior tranche's probability of any loss, annualised over the deal's life
/// (1 − (1 − PD)^(1/years)), against a fixed table (docs/model.md): an indication of the tranche's standing, not a rating.
/// </summary>
public static class TrancheGrade
{
    /// <summary>The table: the highest annualised PD of each grade, best first; worse than the last is CCC.</summary>
    public static readonly IReadOnlyList<(string Grade, double MaxAnnualPd)> Table =
        [("AAA", 0.0001), ("AA", 0.0005), ("A", 0.0015), ("BBB", 0.005), ("BB", 0.02), ("B", 0.08)];

    /// <summary>The annualised PD of a PD over <paramref name="years"/> years.</summary>
    public static double Annualised(double pd, int years) => 1 - Math.Pow(1 - Math.Clamp(pd, 0, 1), 1.0 / years);

    /// <summary>The grade of a PD over <paramref name="years"/> years.</summary>
    public static string Of(double pd, int years)
    {
        double annual = Annualised(pd, years);
        foreach (var (grade, max) in Table) if (annual <= max) return grade;
        return "CCC";
    }
}
