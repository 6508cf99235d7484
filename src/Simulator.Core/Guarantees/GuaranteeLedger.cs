
namespace Simulator.Core.Guarantees;

/// <summary>
/// The loss waterfall of spec §4 for one scheme in one trial: who pays each default, the guarantor's capital,
/// leverage cap, insolvency and suspension, the government pool's budget and cumulative cap. The evaluator
/// calls it in the spec's yearly order (issue, defaults in loan order, book, mature, trigger); it has no
/// randomness, so hand-worked cases test it directly.
/// </summary>
public sealed class GuaranteeLedger
{
    private readonly Shares _shares;
    private readonly GuarantorTerms? _guarantor;
    private readonly GovernmentPoolTerms _pool;
    private readonly double _suspendRate;

    /// <summary>
    /// The relative margin of every comparison with a limit (pool budget and cap, guarantor capital, leverage cap,
    /// payout trigger), the same as the breach test's (<see cref="Funds.Fund.BreachEpsilon"/>): an amount is within a
    /// limit L when it is at most L·(1 + 1e-9). Limits are products of rates and amounts (0.036 × 25,000,000 is
    /// 899,999.9999999999 in binary), so without it a sum that equals a limit exactly would count as beyond it.
    /// </summary>
    public const double LimitMargin = 1e-9;

    /// <summary>Whether <paramref name="amount"/> exceeds <paramref name="limit"/> (≥ 0) by more than the margin.</summary>
    private static bool Beyond(double amount, double limit) => amount > limit + LimitMargin * limit;

    /// <summary>A fresh ledger at the start of a trial.</summary>
    public GuaranteeLedger(Guarantee guarantee)
    {
        _shares = guarantee.Shares;
        _guarantor = guarantee.Guarantor;
        _pool = guarantee.Government;
        _suspendRate = guarantee.SuspendAbovePayoutRate;
        Reset();
    }

    /// <summary>Current year (set by the evaluator; used to date events).</summary>
    public int Year { get; set; }
    /// <summary>Guarantor capital (+∞ when there is no guarantor).</summary>
    public double Capital { get; private set; }
    /// <summary>Outstanding guaranteed amount.</summary>
    public double Outstanding { get; private set; }
    /// <summary>Cumulative guaranteed amount (all loans ever issued).</summary>
    public double Guaranteed { get; private set; }
    /// <summary>Loans issued.</summary>
    public int Issued { get; private set; }
    /// <summary>Loans defaulted.</summary>
    public int Defaults { get; private set; }
    /// <summary>Total credit loss.</summary>
    public double Loss { get; private set; }
    /// <summary>Paid by the guarantor (its share and any shortfall it took).</summary>
    public double GuarantorPaid { get; private set; }
    /// <summary>Paid by the re-guarantee layer.</summary>
    public double ReGuaranteePaid { get; private set; }
    /// <summary>Paid by the bank (its share, shortfalls and what an insolvent guarantor could not pay).</summary>
    public double BankPaid { get; private set; }
    /// <summary>Paid by the government pool.</summary>
    public double GovernmentPaid { get; private set; }
    /// <summary>Year the pool first could not pay its share (0: never).</summary>
    public int ExhaustedYear { get; private set; }
    /// <summary>Year the guarantor became insolvent (0: never).</summary>
    public int InsolventYear { get; private set; }
    /// <summary>Year new loans were suspended (0: never).</summary>
    public int SuspendedYear { get; private set; }

    /// <summary>Whether new loans can still be guaranteed.</summary>
    public bool Open
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => InsolventYear == 0 && SuspendedYear == 0;
    }

    /// <summary>Back to the start of a trial.</summary>
    public void Reset()
    {
        Year = 0;
        Capital = _guarantor?.Capital ?? double.PositiveInfinity;
        Outstanding = Guaranteed = Loss = GuarantorPaid = ReGuaranteePaid = BankPaid = GovernmentPaid = 0;
        Issued = Defaults = ExhaustedYear = InsolventYear = SuspendedYear = 0;
    }

    /// <summary>Step 1: issues a loan if the guarantor is open and the leverage cap allows it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryIssue(double amount)
    {
        if (!Open) return false;
        if (_guarantor is { } g && Beyond(Outstanding + amount, g.LeverageCap * Capital)) return false;
        Outstanding += amount;
        Guaranteed += amount;
        Issued++;
        return true;
    }

    /// <summary>
    /// Step 1 for a whole year's offer at once: issues all <paramref name="count"/> loans (total
    /// <paramref name="total"/>) if the guarantor is open and the leverage cap holds for the total, and returns
    /// whether it did. When it does not, the caller issues loan by loan with <see cref="TryIssue"/>, so loans
    /// that still fit are issued exactly as the spec says.
    /// </summary>
    public bool TryIssueAll(double total, int count)
    {
        if (!Open) return false;
        if (_guarantor is { } g && Beyond(Outstanding + total, g.LeverageCap * Capital)) return false;
        Outstanding += total;
        Guaranteed += total;
        Issued += count;
        return true;
    }

    /// <summary>
    /// Whether further losses of up to <paramref name="maxLoss"/> in total are split by the shares alone, with
    /// no limit reached on the way: the pool stays within its budget and cap, and the guarantor (if solvent)
    /// can pay its share from capital. Then the year's defaults can be settled as one sum
    /// (<see cref="DefaultAll"/>) and give what settling them one by one gives, up to rounding.
    /// </summary>
    public bool IsLinearFor(double maxLoss)
    {
        // A margin far above any rounding of the sums, so a path that is one ulp from a limit goes loan by loan.
        double margin = 1e-9 * (maxLoss + 1);
        double limit = Math.Min(_pool.Budget, _pool.CapRate * Guaranteed);
        if (_shares.Government > 0 && GovernmentPaid + _shares.Government * maxLoss + margin > limit) return false;
        if (_guarantor is not null && InsolventYear == 0 && _shares.Guarantor > 0 && _shares.Guarantor * maxLoss + margin > Capital) return false;
        return true;
    }

    /// <summary>
    /// Step 2 for <paramref name="count"/> defaults at once (total amount <paramref name="amount"/>, total loss
    /// <paramref name="loss"/>); only valid when <see cref="IsLinearFor"/> holds for the loss.
    /// </summary>
    public void DefaultAll(int count, double amount, double loss)
    {
        Outstanding -= amount;
        Defaults += count;
        Loss += loss;
        GovernmentPaid += _shares.Government * loss;
        double guarantorPart = _shares.Guarantor * loss, bankPart = _shares.Bank * loss;
        if (_guarantor is null || InsolventYear != 0)
        {
            bankPart += guarantorPart;
        }
        else
        {
            Capital -= guarantorPart;
            GuarantorPaid += guarantorPart;
        }
        ReGuaranteePaid += _shares.ReGuarantee * loss;
        BankPaid += bankPart;
    }

    /// <summary>Step 2: a loan of <paramref name="amount"/> defaults with loss <paramref name="loss"/>.</summary>
    public void Default(double amount, double loss) => DefaultEach(new ReadOnlySpan<double>(in amount), new ReadOnlySpan<double>(in loss));

    /// <summary>
    /// Step 2 for a year's defaults in loan order (amounts <paramref name="amounts"/>, losses <paramref name="losses"/>):
    /// each settled as <see cref="Default"/> settles it, one after the other. The running totals are held in locals across
    /// the defaults and stored once at the end (the same additions in the same order, so the same bits): through the
    /// ledger's fields each default's additions waited on the previous default's stores, and the settlement of a pool
    /// whose limits bind was an eighth of a what-if move's CPU (docs/performance.md, "The pool replay").
    /// </summary>
    public void DefaultEach(ReadOnlySpan<double> amounts, ReadOnlySpan<double> losses)
    {
        if (losses.Length != amounts.Length) throw new ArgumentException("one loss per amount", nameof(losses));
        double outstanding = Outstanding, total = Loss, capital = Capital;
        double governmentPaid = GovernmentPaid, guarantorPaid = GuarantorPaid, rePaid = ReGuaranteePaid, bankPaid = BankPaid;
        int exhaustedYear = ExhaustedYear, insolventYear = InsolventYear;
        double shareGuarantor = _shares.Guarantor, shareRe = _shares.ReGuarantee, shareBank = _shares.Bank, shareGovernment = _shares.Government;
        // The pool's limit moves only with issuance, not within a year's defaults.
        double limit = Math.Min(_pool.Budget, _pool.CapRate * Guaranteed);
        bool guarantor = _guarantor is not null;
        for (int k = 0; k < amounts.Length; k++)
        {
            double loss = losses[k];
            outstanding -= amounts[k];
            total += loss;

            double guarantorPart = shareGuarantor * loss, rePart = shareRe * loss, bankPart = shareBank * loss;
            double governmentPart = shareGovernment * loss;
            // Within the margin the pool pays its whole part (its payments may then pass the limit by up to 1e-9 of it).
            double governmentPays = Beyond(governmentPaid + governmentPart, limit) ? Math.Clamp(limit - governmentPaid, 0, governmentPart) : governmentPart;
            double shortfall = governmentPart - governmentPays;
            governmentPaid += governmentPays;
            if (shortfall > 0)
            {
                if (exhaustedYear == 0) exhaustedYear = Year;
                switch (_pool.ShortfallTo)
                {
                    case ShortfallTo.Guarantor:
                        guarantorPart += shortfall;
                        break;
                    case ShortfallTo.Bank:
                        bankPart += shortfall;
                        break;
                    default:
                        double others = shareGuarantor + shareRe + shareBank;
                        if (others > 0)
                        {
                            guarantorPart += shortfall * shareGuarantor / others;
                            rePart += shortfall * shareRe / others;
                            bankPart += shortfall * shareBank / others;
                        }
                        else
                        {
                            bankPart += shortfall;
                        }
                        break;
                }
            }

            if (guarantorPart > 0)
            {
                if (insolventYear != 0 || !guarantor)
                {
                    bankPart += guarantorPart;
                }
                else
                {
                    double pays = Math.Min(guarantorPart, capital);
                    capital -= pays;
                    guarantorPaid += pays;
                    // A part beyond the capital by no more than the margin empties it without insolvency (as a part
                    // equal to the capital does); the bank takes that sliver, so the payments still add up to the loss.
                    if (Beyond(guarantorPart, pays)) insolventYear = Year;
                    bankPart += guarantorPart - pays;
                }
            }
            rePaid += rePart;
            bankPaid += bankPart;
        }
        Outstanding = outstanding;
        Defaults += amounts.Length;
        Loss = total;
        Capital = capital;
        GovernmentPaid = governmentPaid;
        GuarantorPaid = guarantorPaid;
        ReGuaranteePaid = rePaid;
        BankPaid = bankPaid;
        ExhaustedYear = exhaustedYear;
        InsolventYear = insolventYear;
    }

    /// <summary>Step 3: fees, yield and costs of the year.</summary>
    public void Book()
    {
        if (_guarantor is not { } g || InsolventYear != 0) return;
        Capital += g.FeeRate * Outstanding + g.Yield * Capital - g.CostRate * Outstanding;
        if (Capital < 0) InsolventYear = Year;
    }

    /// <summary>Step 4: loans of <paramref name="amount"/> in total mature.</summary>
    public void Mature(double amount) => Outstanding -= amount;

    /// <summary>Step 5: the payout-rate trigger.</summary>
    public void Trigger()
    {
        if (_guarantor is null || SuspendedYear != 0 || double.IsPositiveInfinity(_suspendRate)) return;
        if (Beyond(GuarantorPaid, _suspendRate * Guaranteed)) SuspendedYear = Year;
    }
}
