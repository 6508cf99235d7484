using Simulator.Core.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Outcomes;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;

namespace Simulator.Core.Firms;

/// <summary>What one trial gives for one book of firms (sums over its firms and years, CNY, undiscounted).</summary>
public struct FirmTrialOutcome
{
    /// <summary>Credit losses, amount × lgd of each defaulted loan.</summary>
    public double CreditLoss;
    /// <summary>Interest received.</summary>
    public double Interest;
    /// <summary>Funding cost paid.</summary>
    public double Funding;
    /// <summary>Equity checks paid.</summary>
    public double Checks;
    /// <summary>Equity proceeds at exit.</summary>
    public double EquityProceeds;
    /// <summary>Equity losses, Σ max(0, check − proceeds).</summary>
    public double EquityLoss;
    /// <summary>Warrant payoffs.</summary>
    public double WarrantPayoff;
    /// <summary>Government compensation of credit losses.</summary>
    public double GovernmentCredit;
    /// <summary>Government compensation of equity losses.</summary>
    public double GovernmentEquity;
    /// <summary>The bank's net result.</summary>
    public double BankNet;
    /// <summary>The bank's net result on the same loans without equity or warrant (at the reference rate).</summary>
    public double ReferenceNet;
    /// <summary>Warrant payoff per unit of notional scale: the shipped warrants' payoff, or with no warrant Σ max(0, M − strike) (notional 1).</summary>
    public double WarrantUnit;
    /// <summary>Whether some compensation claim was not paid in full.</summary>
    public bool Exhausted;
    /// <summary>Loans defaulted.</summary>
    public int Defaults;
    /// <summary>Equity stakes written off.</summary>
    public int WriteOffs;

    /// <summary>The bank's equity-side gains: warrant payoffs, plus the equity result when the bank holds the stakes.</summary>
    public readonly double BankEquityGain(EquityHolder holder) => WarrantPayoff + (holder == EquityHolder.Bank ? EquityProceeds - Checks : 0);
}

/// <summary>
/// Simulates one book of firms in one trial (docs/model.md, "Loans and equity in the same firm"). Each firm has two
/// conditional uniforms given the factor paths: V_L for its loan (default within the term iff V_L is below the
/// conditional probability of default within the term; the default year from the conditional hazard) and Φ(ε) for
/// its equity (X = Σ b_k W_k + √(1 − Σb²)·ε, U = Φ(X) picks the band and the multiple). The legs are coupled by
/// ε = link·Φ⁻¹(V_L) + √(1 − link²)·η with η independent: (Φ⁻¹(V_L), ε) is a standard bivariate normal with
/// correlation link, independent of the factors, so each leg's law given the factors does not depend on link.
/// </summary>
public sealed class FirmEvaluator
{
    // Draw purposes of firm j: uniform index j·Stride + purpose (counter-based, so a firm's draws never depend on others).
    private const int Stride = 16;
    private const int PLoan = 0, PEquity = 1, PExit = 2, PAmount = 3, PPd = 4, PLgd = 5, PRate = 6, PFunding = 7, PCheck = 8, PNotional = 9;

    private readonly FirmBook _book;
    private readonly ulong _streamHash;
    private readonly int[][] _factorIndex;     // per firm terms: factors with a non-zero loading
    private readonly double[] _invSqrtWindowVariance; // per factor, for the equity's exposure window
    private readonly int _years;
    private readonly Copula _copula;
    private readonly double[] _fixedPdQuantile; // per firm: the copula's quantile of a fixed PD (worked out once: T_ν⁻¹ is slow), NaN when drawn

    /// <summary>Prepares the constants of a book; <paramref name="factors"/> are the economy's; the copula is Gaussian
    /// unless given.</summary>
    public FirmEvaluator(FirmBook book, IReadOnlyList<Factor> factors, Copula? copula = null)
    {
        _book = book;
        _copula = copula ?? Copula.Gaussian;
        _fixedPdQuantile = [.. book.Firms.Select(f => f.Pd is FixedDistribution d ? _copula.Quantile(d.Value) : double.NaN)];
        _streamHash = StreamKey.Hash("firm", book.Name);
        _factorIndex = book.Firms.Select(f => Enumerable.Range(0, f.Loadings.Count).Where(k => f.Loadings[k] != 0).ToArray()).ToArray();
        _invSqrtWindowVariance = factors.Select(f => 1 / Math.Sqrt(EconomyModel.WindowSumVariance(f.Persistence, book.Outcomes.ExposureYears))).ToArray();
        _years = book.Years;
    }

    /// <summary>The book.</summary>
    public FirmBook Book => _book;

    /// <summary>Per-thread buffers.</summary>
    public sealed class Scratch
    {
        internal Scratch(int years, int maxTerm)
        {
            CreditClaims = new double[years + 2];
            EquityClaims = new double[years + 2];
            Cumulative = new double[maxTerm];
        }

        internal readonly double[] CreditClaims, EquityClaims, Cumulative;
    }

    /// <summary>New per-thread buffers.</summary>
    public Scratch CreateScratch() => new(_years, _book.Firms.Select(f => f.TermYears).DefaultIfEmpty(1).Max());

    private static double Draw(Distribution d, CounterUniforms u, ulong index) => d is FixedDistribution f ? f.Value : d.Quantile(u.At(index));

    /// <summary>Evaluates trial <paramref name="trial"/>.</summary>
    public FirmTrialOutcome Evaluate(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        var book = _book;
        var o = new FirmTrialOutcome();
        var u = new CounterUniforms(key.Derive(trial, _streamHash));
        Array.Clear(s.CreditClaims);
        Array.Clear(s.EquityClaims);
        var comp = book.Compensation;
        bool drawsMultiple = book.HasEquity || book.HasWarrant;
        double referenceInterest = 0;
        FirmTerms? cached = null;
        var cumulative = s.Cumulative;
        double mixing = paths.Mixing;

        for (int j = 0; j < book.Firms.Count; j++)
        {
            var f = book.Firms[j];
            ulong at = (ulong)j * Stride;
            int start = f.EntryYear, term = f.TermYears;
            double systematicVariance = f.SystematicVariance, idiosyncratic = Math.Sqrt(Math.Max(0, 1 - systematicVariance));
            var factors = _factorIndex[j];

            // The loan's cumulative conditional default probabilities F_t = 1 − Π (1 − p_τ) over its years; a fixed PD
            // gives the same thresholds to every firm sharing the terms, so they are computed once per trial.
            if (!ReferenceEquals(f, cached) || f.Pd is not FixedDistribution)
            {
                double pd = Draw(f.Pd, u, at + PPd);
                // On the copula's scale, times the trial's t mixing √(W/ν) (1 under the Gaussian copula).
                double pdQuantile = (f.Pd is FixedDistribution ? _fixedPdQuantile[j] : _copula.Quantile(pd)) * mixing;
                double survive = 1, scale = 1 / idiosyncratic;
                for (int t = 0; t < term; t++)
                {
                    double p;
                    if (double.IsInfinity(pdQuantile)) p = pdQuantile > 0 ? 1 : 0;
                    else if (factors.Length == 0 && _copula.IsGaussian) p = pd;
                    else
                    {
                        double systematic = 0;
                        foreach (int k in factors) systematic += f.Loadings[k] * paths.Stressed[k * paths.Years + start + t - 1];
                        p = NormalMath.Cdf((pdQuantile - systematic) * scale);
                    }
                    survive *= 1 - p;
                    cumulative[t] = 1 - survive;
                }
                cached = f;
            }

            double vLoan = u.At(at + PLoan);
            int defaultYear = 0;
            for (int t = 0; t < term; t++)
            {
                if (vLoan < cumulative[t])
                {
                    defaultYear = start + t;
                    break;
                }
            }
            double amount = Draw(f.Amount, u, at + PAmount);
            double rate = Draw(f.Rate, u, at + PRate), funding = Draw(f.FundingRate, u, at + PFunding);
            int paidYears = defaultYear > 0 ? defaultYear - start : term;
            int fundedYears = defaultYear > 0 ? defaultYear - start + 1 : term;
            o.Interest += rate * amount * paidYears;
            o.Funding += funding * amount * fundedYears;
            referenceInterest += (double.IsNaN(book.ReferenceRate) ? rate : book.ReferenceRate) * amount * paidYears;
            if (defaultYear > 0)
            {
                double loss = amount * Draw(f.Lgd, u, at + PLgd);
                o.CreditLoss += loss;
                o.Defaults++;
                s.CreditClaims[defaultYear] += comp.CreditLoss * loss;
            }

            if (!drawsMultiple) continue;
            // The equity's latent variable: systematic part over its exposure window, idiosyncratic part coupled to the loan.
            double systematicEquity = 0;
            foreach (int k in factors)
                systematicEquity += f.Loadings[k] * paths.WindowDraw(k, start, book.Outcomes.ExposureYears, _invSqrtWindowVariance[k]);
            double link = f.Link;
            double eta = NormalMath.InvCdf(u.At(at + PEquity));
            double epsilon = link == 0 ? eta : link * NormalMath.InvCdf(vLoan) + Math.Sqrt(1 - link * link) * eta;
            double uEquity = _copula.ToUniform(systematicEquity + idiosyncratic * epsilon, mixing);
            double multiple = book.Outcomes.Multiple(Math.Clamp(uEquity, 1e-17, 1 - 1e-16), out var band);
            if (band == Band.WriteOff) o.WriteOffs++;
            var exitLaw = book.Outcomes.ExitYears(band);
            int hold = exitLaw is null ? book.HoldYears
                : Math.Min(book.HoldYears, (int)Math.Floor(Math.Min(Math.Max(0, exitLaw.Quantile(u.At(at + PExit))), 1e9) + 0.5));
            int exit = start + hold;
            if (book.HasEquity)
            {
                double check = Draw(f.Check, u, at + PCheck), proceeds = check * multiple;
                o.Checks += check;
                o.EquityProceeds += proceeds;
                if (proceeds < check)
                {
                    o.EquityLoss += check - proceeds;
                    s.EquityClaims[exit] += comp.InvestmentLoss * (check - proceeds);
                }
            }
            double upside = Math.Max(0, multiple - f.StrikeMultiple);
            if (book.HasWarrant)
            {
                double payoff = Draw(f.Notional, u, at + PNotional) * upside;
                o.WarrantPayoff += payoff;
                o.WarrantUnit += payoff;
            }
            else o.WarrantUnit += upside;
        }

        // Compensation year by year while cumulative payments stay within the budget; a year's claims beyond what is
        // left are paid pro rata between the legs. The reference book (no equity) claims its credit losses alone.
        double left = comp.Budget, referenceLeft = comp.Budget, referenceCredit = 0;
        for (int t = 1; t < s.CreditClaims.Length; t++)
        {
            double credit = s.CreditClaims[t], equity = s.EquityClaims[t], claims = credit + equity;
            if (claims > 0)
            {
                double paid = Math.Min(claims, left);
                if (paid < claims) o.Exhausted = true;
                left -= paid;
                o.GovernmentCredit += paid * (credit / claims);
                o.GovernmentEquity += paid * (equity / claims);
            }
            if (credit > 0)
            {
                double paid = Math.Min(credit, referenceLeft);
                referenceLeft -= paid;
                referenceCredit += paid;
            }
        }

        o.BankNet = o.Interest - o.Funding + o.WarrantPayoff - o.CreditLoss + o.GovernmentCredit
            + (book.Holder == EquityHolder.Bank ? o.EquityProceeds - o.Checks + o.GovernmentEquity : 0);
        o.ReferenceNet = referenceInterest - o.Funding - o.CreditLoss + referenceCredit;
        return o;
    }
}
