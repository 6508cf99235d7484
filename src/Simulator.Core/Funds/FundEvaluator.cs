using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Simulator.Core.Distributions;
using Simulator.Core.Economy;
using Simulator.Core.Instruments;
using Simulator.Core.Randomness;
using Simulator.Core.Statistics;
using Simulator.Core.Outcomes;

namespace Simulator.Core.Funds;

/// <summary>What one trial gives for one fund.</summary>
public struct FundTrialOutcome
{
    /// <summary>Σ checks.</summary>
    public double Invested;
    /// <summary>Σ check · multiple.</summary>
    public double Proceeds;
    /// <summary>max(0, (invested − proceeds) / invested).</summary>
    public double LossRatio;
    /// <summary>Whether the fund breached its tolerance (for direct: any project did).</summary>
    public bool Breach;
    /// <summary>Projects whose own loss ratio breached the tolerance (direct funds; 0 otherwise).</summary>
    public int ProjectBreaches;
    /// <summary>Private LPs' net multiple (received / paid in), NaN when they paid nothing.</summary>
    public double NetMultiplePrivate;
    /// <summary>Government's net multiple.</summary>
    public double NetMultipleGovernment;
    /// <summary>Private LPs' net IRR.</summary>
    public double NetIrrPrivate;
    /// <summary>Government's net IRR.</summary>
    public double NetIrrGovernment;
    /// <summary>Losses excused under the fund's exemption (CNY; 0 without one), removed before the tolerance test.</summary>
    public double ExcusedLoss;
    /// <summary>Whether the fund would have breached without its exemption (= <see cref="Breach"/> without one).</summary>
    public bool BreachBeforeExemption;
    /// <summary>What the government paid in less what it received (after any concession), CNY, undiscounted: its net
    /// cost of the fund in this trial (negative when the fund returned more than the government paid).</summary>
    public double GovernmentNetCost;
    /// <summary>What the government ceded under its concession to the private (social) LPs, CNY.</summary>
    public double CededToSocialLps;
    /// <summary>What the government ceded under its concession to the manager, CNY.</summary>
    public double CededToManager;
}

/// <summary>
/// Evaluates one fund in one trial: a pure function of the fund, the trial's factor paths and the fund's own
/// random stream. Project k's three uniforms (check size, idiosyncratic shock, exit year) are counter-based draws
/// at indices 4k, 4k + 1 and 4k + 2 of the fund's stream, whatever its outcome, so project k sees the same draws
/// whatever the other projects do.
/// <para>
/// The projects of a trial are evaluated in passes over scratch arrays, so that the expensive functions run on
/// whole vectors and the inner loops have no unpredictable branches: the uniforms are drawn eight at a time;
/// Φ⁻¹ of all shocks (<see cref="NormalMath.InvCdf(ReadOnlySpan{double}, Span{double})"/>), the latent variables and
/// Φ of all of them; every project's band, without branches, with the lists of partial and successful projects
/// (and, when the exit laws are uniform or missing, as in the presets, the exit years, eight projects at a time);
/// each band's multiples as one batch (<see cref="Distribution.Quantiles"/>, vectorised for the Pareto law); and a
/// last pass in project order that books checks and proceeds into the yearly cash flows. The sums run in the same
/// order as a project-by-project loop, so the figures are those of the model in docs/model.md §4–6 up to the
/// documented last-bit differences of Φ, Φ⁻¹, the Pareto quantile and the IRR solver
/// (tests/Simulator.Tests/Funds/FundEvaluatorReferenceTests.cs). Nothing is allocated per trial.
/// </para>
/// </summary>
public sealed class FundEvaluator
{
    private readonly Fund _fund;
    private readonly ulong _streamHash;
    private readonly double[] _invSqrtWindowVariance;
    private readonly int[] _factorIndex;
    private readonly double[] _loading;
    private readonly double _idiosyncraticScale;
    private readonly bool _isDirect;
    private readonly int[] _yearStart; // first project of investment year y (1-based); [I + 1] = deals
    private readonly OutcomeSampler _outcomes;
    private readonly double[] _projectYear, _projectYearsLeft; // y_k and L − y_k by project

    /// <summary>Purposes of a project's draws: its uniform for purpose p is at index 4k + p of the fund's counter stream.</summary>
    public const int CheckPurpose = 0, ShockPurpose = 1, ExitPurpose = 2, ExemptionPurpose = 3;

    /// <summary>Held cost below this fraction of the fund's invested sum is rounding noise of the exit deltas: 0.</summary>
    public const double HeldCostNoise = 1e-9;

    /// <summary>Prepares the constants of a fund.</summary>
    public FundEvaluator(Fund fund, IReadOnlyList<Factor> factors)
    {
        _fund = fund;
        _streamHash = StreamKey.Hash("fund", fund.Name);
        var used = Enumerable.Range(0, fund.Loadings.Count).Where(k => fund.Loadings[k] != 0).ToArray();
        _factorIndex = used;
        _loading = used.Select(k => fund.Loadings[k]).ToArray();
        _invSqrtWindowVariance = used.Select(k =>
            1 / Math.Sqrt(EconomyModel.WindowSumVariance(factors[k].Persistence, fund.Outcomes.ExposureYears))).ToArray();
        _idiosyncraticScale = Math.Sqrt(Math.Max(0, 1 - fund.SystematicVariance));
        _isDirect = fund.Type == FundType.Direct;
        // Projects are made in order of their investment year: those of year y are [_yearStart[y], _yearStart[y + 1]).
        _yearStart = new int[fund.InvestmentYears + 2];
        for (int y = 1, k = 0; y <= fund.InvestmentYears + 1; y++)
        {
            while (k < fund.Deals && fund.InvestmentYear(k) < y) k++;
            _yearStart[y] = k;
        }
        _outcomes = new OutcomeSampler(fund.Outcomes);
        _projectYear = Enumerable.Range(0, fund.Deals).Select(k => (double)fund.InvestmentYear(k)).ToArray();
        _projectYearsLeft = _projectYear.Select(y => fund.LifeYears - y).ToArray();
    }

    /// <summary>The fund.</summary>
    public Fund Fund => _fund;

    /// <summary>Scratch buffers for one thread.</summary>
    public sealed class Scratch
    {
        /// <summary>Buffers of their own.</summary>
        public Scratch(Fund fund) : this(fund, new double[fund.Deals], 0)
        {
        }

        /// <summary>Buffers of their own but for the latent variables, which are <paramref name="latent"/>[offset ..
        /// offset + deals) of a buffer shared with other funds, so that Φ⁻¹ and Φ run over all funds' projects at once.</summary>
        internal Scratch(Fund fund, double[] latent, int offset)
        {
            Systematic = new double[fund.InvestmentYears + 1];
            Contributions = new double[fund.LifeYears];
            Proceeds = new double[fund.LifeYears];
            HeldCostDelta = new double[fund.LifeYears + 2];
            GovernmentFlows = new double[fund.LifeYears];
            PrivateFlows = new double[fund.LifeYears];
            CheckDraw = new double[fund.Deals];
            LatentBuffer = latent;
            LatentOffset = offset;
            ExitDraw = new double[fund.Deals];
            ExemptionDraw = fund.Exemption is null ? [] : new double[fund.Deals];
            Multiple = new double[fund.Deals];
            Band = new byte[fund.Deals];
            PartialIndex = new int[fund.Deals];
            SuccessIndex = new int[fund.Deals];
            Work = new double[fund.Deals];
            Exit = new long[fund.Deals];
            Deals = fund.Deals;
        }

        internal readonly double[] Systematic, Contributions, Proceeds, HeldCostDelta, GovernmentFlows, PrivateFlows, CheckDraw;
        internal readonly double[] LatentBuffer;
        internal readonly int LatentOffset, Deals;
        internal readonly double[] ExitDraw, Multiple, Work, ExemptionDraw;
        internal readonly byte[] Band;
        internal readonly int[] PartialIndex, SuccessIndex;
        internal readonly long[] Exit;

        /// <summary>The projects' shocks, then latent variables X, then U = Φ(X).</summary>
        internal Span<double> Latent => LatentBuffer.AsSpan(LatentOffset, Deals);
    }

    /// <summary>Creates scratch buffers for this fund.</summary>
    public Scratch CreateScratch() => new(_fund);

    /// <summary>Creates scratch buffers whose latent variables are <paramref name="latent"/>[offset .. offset + deals).</summary>
    internal Scratch CreateScratch(double[] latent, int offset) => new(_fund, latent, offset);

    /// <summary>Evaluates trial <paramref name="trial"/>.</summary>
    public FundTrialOutcome Evaluate(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        Draw(key, trial, paths, s);
        var latent = s.Latent;
        NormalMath.InvCdf(latent, latent);
        Shift(s);
        paths.Copula.ToUniform(latent, paths.Mixing);
        return Settle(s);
    }

    // A trial in three steps around the two element-wise passes (Φ⁻¹ of the shocks, Φ of the latent variables), so
    // that TrialEvaluator can run those passes once over the projects of all funds (a call on 50 values costs about a
    // third more per value than one on 1,000). Each value depends only on its own input, so the results are the same.

    /// <summary>Step 1: the systematic parts of the trial, and the uniforms of every project (shocks into
    /// <see cref="Scratch.Latent"/>).</summary>
    internal void Draw(StreamKey key, long trial, FactorPaths paths, Scratch s)
    {
        var fund = _fund;
        int w = fund.Outcomes.ExposureYears, deals = fund.Deals, investmentYears = fund.InvestmentYears;

        for (int y = 1; y <= investmentYears; y++)
        {
            double sys = 0;
            for (int j = 0; j < _factorIndex.Length; j++)
                sys += _loading[j] * paths.WindowDraw(_factorIndex[j], fund.CalendarYear(y), w, _invSqrtWindowVariance[j]);
            s.Systematic[y] = sys;
        }
        Array.Clear(s.Contributions);
        Array.Clear(s.Proceeds);
        Array.Clear(s.HeldCostDelta);

        // Pass 1: the uniforms of every project, counter-based (docs/model.md §9): project k's draw for purpose p
        // (0 check, 1 shock, 2 exit) is the one at index 4k + p, eight projects at a time. A fixed check needs no draw.
        var uniforms = new CounterUniforms(key.Derive(trial, _streamHash));
        if (fund.Check is not FixedDistribution) uniforms.Fill(s.CheckDraw.AsSpan(0, deals), CheckPurpose, 4);
        uniforms.Fill(s.Latent, ShockPurpose, 4);
        uniforms.Fill(s.ExitDraw.AsSpan(0, deals), ExitPurpose, 4);
        // The exemption's uniform is the fourth of each project's slot, unused otherwise: funds without an exemption draw
        // exactly what they drew before.
        if (fund.Exemption is not null) uniforms.Fill(s.ExemptionDraw.AsSpan(0, deals), ExemptionPurpose, 4);
    }

    /// <summary>Step 2, between Φ⁻¹ and Φ (pass 2): X = S(y) + √(1 − Σb²)·Φ⁻¹(u_shock).</summary>
    internal void Shift(Scratch s) => AddSystematic(_yearStart, s.Systematic, _idiosyncraticScale, s.Latent);

    /// <summary>Step 3, on U = Φ(X): bands, multiples, cash flows, waterfall and returns.</summary>
    internal FundTrialOutcome Settle(Scratch s)
    {
        var fund = _fund;
        int life = fund.LifeYears, deals = fund.Deals, investmentYears = fund.InvestmentYears;
        ReadOnlySpan<double> latent = s.Latent;

        // Pass 3: every project's band, without branches; then the multiples of each band as one batch of quantiles.
        var outcome = _outcomes;
        var multiple = s.Multiple.AsSpan(0, deals);
        var band = s.Band.AsSpan(0, deals);
        bool uniformExits = outcome.UniformExits;
        var (partials, successes) = uniformExits
            ? ClassifyWithExits(latent, s.ExitDraw, _projectYear, _projectYearsLeft, outcome, multiple, s.Exit, s.PartialIndex, s.SuccessIndex)
            : Classify(latent, outcome.WriteOff, outcome.PartialEnd, outcome.HasSuccess, band, multiple, s.PartialIndex, s.SuccessIndex);
        if (partials > 0 && outcome.Partial is { } partialLaw)
        {
            var work = s.Work.AsSpan(0, partials);
            var index = s.PartialIndex.AsSpan(0, partials);
            for (int j = 0; j < work.Length; j++) work[j] = outcome.PartialPosition(latent[index[j]]);
            partialLaw.Quantiles(work, work);
            Scatter(work, index, double.PositiveInfinity, multiple);
        }
        if (successes > 0 && outcome.Success is { } successLaw)
        {
            var work = s.Work.AsSpan(0, successes);
            var index = s.SuccessIndex.AsSpan(0, successes);
            for (int j = 0; j < work.Length; j++) work[j] = outcome.SuccessPosition(latent[index[j]]);
            successLaw.Quantiles(work, work);
            Scatter(work, index, outcome.Cap, multiple);
        }

        // Pass 4: checks, exit years and cash flows, project by project in order.
        var checks = s.CheckDraw.AsSpan(0, deals);
        double fixedCheck = double.NaN;
        if (fund.Check is FixedDistribution fixedLaw) fixedCheck = fixedLaw.Value;
        else fund.Check.Quantiles(checks, checks);
        var book = new Book(fund.Tolerance + Fund.BreachEpsilon, _isDirect);
        var cash = new CashFlows(s.Contributions, s.Proceeds, s.HeldCostDelta);
        if (uniformExits)
            BookWithExits(ref book, cash, _yearStart, multiple, s.Exit, checks, fixedCheck);
        else
            BookGeneral(ref book, cash, _yearStart, multiple, band, s.ExitDraw, checks, fixedCheck, outcome, life);
        double invested = book.Invested, proceeds = book.Proceeds;
        int projectBreaches = book.ProjectBreaches;

        double management = fund.Fees.Management;
        double[] contributions = s.Contributions, held = s.HeldCostDelta, proceedsByYear = s.Proceeds;
        if (management > 0)
        {
            double heldCost = 0;
            for (int t = 1; t <= life; t++)
            {
                heldCost += held[t];
                // Once every project has exited the deltas cancel only to rounding noise (about 1e-8 of the sum of
                // checks, of either sign); a negative residue would be a negative fee, i.e. money received after a
                // total loss, and an IRR near −100% instead of −100%. Any real holding is a whole check.
                double feeBase = heldCost > HeldCostNoise * invested ? heldCost : 0;
                contributions[t - 1] += management * (t <= investmentYears ? fund.Commitment : feeBase);
            }
        }

        var totals = Waterfall.Run(contributions, proceedsByYear, fund.Fees, fund.GovernmentShare, fund.Concession, s.GovernmentFlows, s.PrivateFlows,
            fund.ConcessionToManager ?? 0);

        // Without any concession paid, both classes' flows are the same flows scaled by g and 1 − g: one IRR.
        double g = fund.GovernmentShare, irrPrivate, irrGovernment;
        if (totals.Ceded == 0 && g > 0 && g < 1)
        {
            irrPrivate = Irr.ForInvestment(s.PrivateFlows);
            irrGovernment = irrPrivate;
        }
        else
        {
            irrPrivate = Irr.ForInvestment(s.PrivateFlows);
            irrGovernment = Irr.ForInvestment(s.GovernmentFlows);
        }

        double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds) / invested) : 0;
        bool breach = _isDirect ? projectBreaches > 0 : lossRatio > fund.Tolerance + Fund.BreachEpsilon;
        double excused = 0;
        bool breachBefore = breach;
        if (fund.Exemption is { } exemption)
        {
            int breachesAfter;
            (excused, breachesAfter) = Exempt(exemption, s, checks, fixedCheck);
            double judged = invested > 0 ? Math.Max(0, (invested - proceeds - excused) / invested) : 0;
            breach = _isDirect ? breachesAfter > 0 : judged > fund.Tolerance + Fund.BreachEpsilon;
            if (_isDirect) projectBreaches = breachesAfter;
        }
        return new FundTrialOutcome
        {
            ExcusedLoss = excused,
            BreachBeforeExemption = breachBefore,
            Invested = invested,
            Proceeds = proceeds,
            LossRatio = lossRatio,
            Breach = breach,
            ProjectBreaches = projectBreaches,
            NetMultiplePrivate = totals.PrivateMultiple,
            NetMultipleGovernment = totals.GovernmentMultiple,
            NetIrrPrivate = irrPrivate,
            NetIrrGovernment = irrGovernment,
            GovernmentNetCost = totals.GovernmentPaid - totals.GovernmentReceived,
            CededToSocialLps = totals.Ceded - totals.CededToManager,
            CededToManager = totals.CededToManager,
        };
    }

    /// <summary>
    /// After <see cref="Settle"/>: the fund's <c>projects</c> output (<see cref="FundsInstrument.ProjectHeader"/>): its
    /// header, then per project its investment and exit years (simulated years), check, U = Φ(X) and multiple.
    /// </summary>
    internal void PublishProjects(Scratch s, Span<double> output)
    {
        var fund = _fund;
        int deals = fund.Deals, life = fund.LifeYears;
        output[0] = fund.Tolerance;
        output[1] = fund.Type switch { FundType.Seed => 0, FundType.Angel => 1, FundType.Direct => 2, _ => 3 };
        output[2] = fund.StartYear;
        output[3] = life;
        output[4] = deals;
        double fixedCheck = fund.Check is FixedDistribution fixedLaw ? fixedLaw.Value : double.NaN;
        ReadOnlySpan<double> latent = s.Latent;
        for (int k = 0, o = FundsInstrument.ProjectHeader; k < deals; k++, o += FundsInstrument.ProjectStride)
        {
            int year = fund.InvestmentYear(k);
            // The exit year as pass 4 booked it: from pass 3 for uniform exit laws, else from the band and the exit draw.
            int exit = _outcomes.UniformExits ? (int)s.Exit[k] : _outcomes.Exit(s.Band[k], s.ExitDraw[k], year, life);
            output[o] = fund.CalendarYear(year);
            output[o + 1] = double.IsNaN(fixedCheck) ? s.CheckDraw[k] : fixedCheck;
            output[o + 2] = latent[k];
            output[o + 3] = fund.CalendarYear(exit);
            output[o + 4] = s.Multiple[k];
        }
    }

    // The exemption, project by project (docs/model.md §5): u < d fails due diligence (never excused; a direct project is
    // then judged with no tolerance); d ≤ u < d + (1 − d)·p has its loss excused, when the factor condition holds. Returns
    // the excused losses and a direct programme's breaching projects after the exemption.
    private (double Excused, int Breaches) Exempt(Exemption exemption, Scratch s, ReadOnlySpan<double> checks, double fixedCheck)
    {
        var fund = _fund;
        var rule = new ExemptionRule(exemption, fund);
        double excused = 0, tolerance = fund.Tolerance + Fund.BreachEpsilon;
        int breaches = 0;
        bool isFixed = !double.IsNaN(fixedCheck);
        for (int k = 0; k < fund.Deals; k++)
        {
            double loss = Math.Max(0, 1 - s.Multiple[k]);
            var verdict = rule.Verdict(s, k, _projectYear);
            if (verdict == ExemptionVerdict.Excused) excused += (isFixed ? fixedCheck : checks[k]) * loss;
            else if (loss > (verdict == ExemptionVerdict.FailedDiligence ? Fund.BreachEpsilon : tolerance)) breaches++;
        }
        return (excused, breaches);
    }

    private enum ExemptionVerdict { Judged, FailedDiligence, Excused }

    // The exemption's rule for one fund: which projects it excuses, which failed due diligence, which are judged.
    private readonly struct ExemptionRule(Exemption exemption, Fund fund)
    {
        private readonly double _d = exemption.DiligenceFailure, _excuseEnd = exemption.DiligenceFailure + (1 - exemption.DiligenceFailure) * exemption.Probability;
        private readonly double _sd = Math.Sqrt(fund.SystematicVariance);
        private readonly double? _threshold = exemption.FactorThreshold;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ExemptionVerdict Verdict(Scratch s, int k, double[] projectYear)
        {
            double u = s.ExemptionDraw[k];
            if (u < _d) return ExemptionVerdict.FailedDiligence;
            bool downturn = _threshold is not { } threshold || (_sd > 0 && s.Systematic[(int)projectYear[k]] / _sd < threshold);
            return u < _excuseEnd && downturn ? ExemptionVerdict.Excused : ExemptionVerdict.Judged;
        }
    }

    /// <summary>
    /// After <see cref="Settle"/> of a direct programme: records what its per-project tolerance judges, so that a variant
    /// moving only that tolerance rewrites the fund's columns (<see cref="FundsInstrument.Rethreshold"/>) instead of
    /// evaluating it again. The projects' losses max(0, 1 − multiple), those a tolerance can count: [written off (loss
    /// exactly 1), n, the other n positive losses' bits], over all projects (the breaches before any exemption); with an
    /// exemption, then [the projects that failed due diligence and breach at any tolerance, and the same triple over the
    /// projects judged against the tolerance]. A loss of 0 (a multiple of 1 or more) never breaches a positive tolerance.
    /// Written-off projects are counted rather than listed: about half of the projects, hence of the recording.
    /// </summary>
    internal void RecordProjectLosses(Scratch s, TrialRecording.Writer writer)
    {
        var fund = _fund;
        var multiple = s.Multiple;
        var rule = fund.Exemption is { } exemption ? new ExemptionRule(exemption, fund) : (ExemptionRule?)null;
        // Slots written once the projects are counted: [written off, n] over all projects, then with an exemption
        // [failed, written off, n] over the projects it judges, each list of losses after its own counts.
        int all = writer.Count;
        writer.Add(0L);
        writer.Add(0L);
        long writtenOff = 0, n = 0;
        for (int k = 0; k < fund.Deals; k++) Add(writer, 1 - multiple[k], ref writtenOff, ref n);
        writer.Set(all, writtenOff);
        writer.Set(all + 1, n);
        if (rule is not { } judged) return;
        int after = writer.Count;
        writer.Add(0L);
        writer.Add(0L);
        writer.Add(0L);
        long failed = 0;
        writtenOff = n = 0;
        for (int k = 0; k < fund.Deals; k++)
        {
            var verdict = judged.Verdict(s, k, _projectYear);
            if (verdict == ExemptionVerdict.FailedDiligence) failed += Math.Max(0, 1 - multiple[k]) > Fund.BreachEpsilon ? 1 : 0;
            else if (verdict == ExemptionVerdict.Judged) Add(writer, 1 - multiple[k], ref writtenOff, ref n);
        }
        writer.Set(after, failed);
        writer.Set(after + 1, writtenOff);
        writer.Set(after + 2, n);

        // A loss of exactly 1 is counted; another positive loss is listed; no other can breach.
        static void Add(TrialRecording.Writer writer, double loss, ref long writtenOff, ref long n)
        {
            if (loss == 1) writtenOff++;
            else if (loss > 0)
            {
                writer.Add(loss);
                n++;
            }
        }
    }

    /// <summary>
    /// The breaching projects of a direct programme of tolerance <paramref name="tolerance"/> from what
    /// <see cref="RecordProjectLosses"/> recorded at <paramref name="at"/> (advanced past it): before the exemption, and
    /// after it (with <paramref name="exemption"/>; else the same). The same comparisons as the evaluator's, loss against
    /// tolerance + <see cref="Fund.BreachEpsilon"/>, so the same counts.
    /// </summary>
    internal static (int Before, int After) CountBreaches(ReadOnlySpan<long> recorded, ref int at, double tolerance, bool exemption)
    {
        double limit = tolerance + Fund.BreachEpsilon;
        int before = Count(recorded, ref at, limit);
        if (!exemption) return (before, before);
        int after = (int)recorded[at++];
        after += Count(recorded, ref at, limit);
        return (before, after);

        static int Count(ReadOnlySpan<long> recorded, ref int at, double limit)
        {
            long writtenOff = recorded[at], n = recorded[at + 1];
            int breaches = 1.0 > limit ? (int)writtenOff : 0;
            foreach (long bits in recorded.Slice(at + 2, (int)n)) breaches += BitConverter.Int64BitsToDouble(bits) > limit ? 1 : 0;
            at += 2 + (int)n;
            return breaches;
        }
    }

    // X_k = S(y_k) + scale·Z_k over the projects of each investment year.
    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame keeps the loop's values in registers
    private static void AddSystematic(int[] yearStart, double[] systematic, double scale, Span<double> latent)
    {
        if (latent.Length < yearStart[^1]) throw new ArgumentException("scratch too short");
        ref double x = ref MemoryMarshal.GetReference(latent);
        for (int y = 1; y < yearStart.Length - 1; y++)
        {
            double sys = systematic[y];
            for (int k = yearStart[y], end = yearStart[y + 1]; k < end; k++) Unsafe.Add(ref x, k) = sys + scale * Unsafe.Add(ref x, k);
        }
    }

    // Band 0 (U < q), 1 (partial) or 2 (success) of every project, without branches, the projects of bands 1 and 2
    // listed in order, and every multiple reset to 0 (a write-off's).
    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame keeps the loop's values in registers
    private static (int Partials, int Successes) Classify(ReadOnlySpan<double> u, double writeOff, double partialEnd, bool hasSuccess,
        Span<byte> band, Span<double> multiple, int[] partialIndex, int[] successIndex)
    {
        int partials = 0, successes = 0, successAllowed = hasSuccess ? 1 : 0;
        ref double first = ref MemoryMarshal.GetReference(u);
        ref byte bands = ref MemoryMarshal.GetReference(band);
        ref double multiples = ref MemoryMarshal.GetReference(multiple);
        ref int partialList = ref MemoryMarshal.GetArrayDataReference(partialIndex);
        ref int successList = ref MemoryMarshal.GetArrayDataReference(successIndex);
        if (partialIndex.Length < u.Length || successIndex.Length < u.Length || band.Length < u.Length || multiple.Length < u.Length)
            throw new ArgumentException("scratch too short");
        for (int k = 0; k < u.Length; k++)
        {
            double value = Unsafe.Add(ref first, k);
            int b = (value < writeOff ? 0 : 1) + ((value < partialEnd ? 0 : 1) & successAllowed);
            Unsafe.Add(ref bands, k) = (byte)b;
            Unsafe.Add(ref multiples, k) = 0;
            Unsafe.Add(ref partialList, partials) = k;
            Unsafe.Add(ref successList, successes) = k;
            partials += b == 1 ? 1 : 0;
            successes += b == 2 ? 1 : 0;
        }
        return (partials, successes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame keeps the loop's values in registers
    private static void Scatter(ReadOnlySpan<double> values, ReadOnlySpan<int> index, double cap, Span<double> multiple)
    {
        for (int j = 0; j < values.Length; j++) multiple[index[j]] = Math.Min(values[j], cap);
    }

    // Running totals of pass 4.
    private struct Book(double projectTolerance, bool isDirect)
    {
        public double Invested, Proceeds;
        public int ProjectBreaches;
        public readonly double ProjectTolerance = projectTolerance;
        public readonly bool IsDirect = isDirect;
    }

    private readonly record struct CashFlows(double[] Contributions, double[] Proceeds, double[] HeldCostDelta);

    // Pass 3 when every exit law is uniform or missing (the presets): eight projects at a time, the bands (as lane
    // masks), the lists of partial and successful projects (appended through SimdMath.CompressTable), the multiples
    // reset to 0 and the exit years min(L, y + round(max(0, a_b + u_exit·w_b))) with the band's a and w selected per
    // lane. The last projects (fewer than eight) take the same steps one by one; the arithmetic is the same.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int Partials, int Successes) ClassifyWithExits(ReadOnlySpan<double> u, double[] exitDraw, double[] year,
        double[] yearsLeft, OutcomeSampler outcome, Span<double> multiple, long[] exit, int[] partialIndex, int[] successIndex)
    {
        int n = u.Length, i = 0, partials = 0, successes = 0;
        if (exitDraw.Length < n || year.Length < n || yearsLeft.Length < n || multiple.Length < n || exit.Length < n
            || partialIndex.Length < n || successIndex.Length < n)
            throw new ArgumentException("scratch too short");
        ref double u0 = ref MemoryMarshal.GetReference(u);
        ref double e0 = ref MemoryMarshal.GetArrayDataReference(exitDraw);
        ref double y0 = ref MemoryMarshal.GetArrayDataReference(year);
        ref double l0 = ref MemoryMarshal.GetArrayDataReference(yearsLeft);
        ref double m0 = ref MemoryMarshal.GetReference(multiple);
        ref long x0 = ref MemoryMarshal.GetArrayDataReference(exit);
        ref int p0 = ref MemoryMarshal.GetArrayDataReference(partialIndex);
        ref int s0 = ref MemoryMarshal.GetArrayDataReference(successIndex);
        ref int lut = ref MemoryMarshal.GetArrayDataReference(SimdMath.CompressTable);
        ReadOnlySpan<double> start = outcome.ExitStart, width = outcome.ExitWidth;
        double writeOff = outcome.WriteOff, partialEnd = outcome.PartialEnd;
        bool hasSuccess = outcome.HasSuccess;
        var q = Vector512.Create(writeOff);
        var qr = Vector512.Create(partialEnd);
        var successAllowed = hasSuccess ? Vector512<double>.AllBitsSet : Vector512<double>.Zero;
        var (startW, startP, startS) = (Vector512.Create(start[0]), Vector512.Create(start[1]), Vector512.Create(start[2]));
        var (widthW, widthP, widthS) = (Vector512.Create(width[0]), Vector512.Create(width[1]), Vector512.Create(width[2]));
        int vectorEnd = Vector256.IsHardwareAccelerated ? n : 0; // emulated vectors would be slower than the scalar steps
        for (; i + Vector512<double>.Count <= vectorEnd; i += Vector512<double>.Count)
        {
            var value = Vector512.LoadUnsafe(ref u0, (nuint)i);
            var notWrittenOff = Vector512.GreaterThanOrEqual(value, q);
            var success = Vector512.GreaterThanOrEqual(value, qr) & successAllowed;
            uint partialMask = (uint)Vector512.AndNot(notWrittenOff, success).ExtractMostSignificantBits();
            uint successMask = (uint)success.ExtractMostSignificantBits();
            (Vector256.LoadUnsafe(ref lut, (nuint)(partialMask * 8)) + Vector256.Create(i)).StoreUnsafe(ref p0, (nuint)partials);
            partials += BitOperations.PopCount(partialMask);
            (Vector256.LoadUnsafe(ref lut, (nuint)(successMask * 8)) + Vector256.Create(i)).StoreUnsafe(ref s0, (nuint)successes);
            successes += BitOperations.PopCount(successMask);
            Vector512<double>.Zero.StoreUnsafe(ref m0, (nuint)i);
            var a = Vector512.ConditionalSelect(success, startS, Vector512.ConditionalSelect(notWrittenOff, startP, startW));
            var w = Vector512.ConditionalSelect(success, widthS, Vector512.ConditionalSelect(notWrittenOff, widthP, widthW));
            var offset = a + Vector512.LoadUnsafe(ref e0, (nuint)i) * w;
            var years = Vector512.Min(Vector512.Max(offset, Vector512<double>.Zero), Vector512.LoadUnsafe(ref l0, (nuint)i));
            var exitYear = Vector512.LoadUnsafe(ref y0, (nuint)i) + Vector512.Floor(years + Vector512.Create(0.5));
            Vector512.ConvertToInt64(exitYear).StoreUnsafe(ref x0, (nuint)i);
        }
        for (; i < n; i++)
        {
            double value = Unsafe.Add(ref u0, i);
            int b = (value < writeOff ? 0 : 1) + (value >= partialEnd && hasSuccess ? 1 : 0);
            Unsafe.Add(ref p0, partials) = i;
            Unsafe.Add(ref s0, successes) = i;
            partials += b == 1 ? 1 : 0;
            successes += b == 2 ? 1 : 0;
            Unsafe.Add(ref m0, i) = 0;
            double offset = start[b] + Unsafe.Add(ref e0, i) * width[b];
            double years = double.MinNative(double.MaxNative(offset, 0), Unsafe.Add(ref l0, i));
            Unsafe.Add(ref x0, i) = (long)(Unsafe.Add(ref y0, i) + Math.Floor(years + 0.5));
        }
        return (partials, successes);
    }

    // Pass 4 with the exit years of pass 3: no calls, no unpredictable branches.
    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame keeps the loop's values in registers
    private static void BookWithExits(ref Book book, CashFlows cash, int[] yearStart, ReadOnlySpan<double> multiple,
        long[] exit, ReadOnlySpan<double> checks, double fixedCheck)
    {
        double[] contributions = cash.Contributions, proceedsByYear = cash.Proceeds, held = cash.HeldCostDelta;
        int life = proceedsByYear.Length;
        if (held.Length < life + 2 || exit.Length < multiple.Length || checks.Length < multiple.Length)
            throw new ArgumentException("scratch too short");
        ref double m0 = ref MemoryMarshal.GetReference(multiple);
        ref long x0 = ref MemoryMarshal.GetArrayDataReference(exit);
        ref double c0 = ref MemoryMarshal.GetReference(checks);
        ref double p0 = ref MemoryMarshal.GetArrayDataReference(proceedsByYear);
        ref double h0 = ref MemoryMarshal.GetArrayDataReference(held);
        bool isFixed = !double.IsNaN(fixedCheck);
        double invested = book.Invested, proceeds = book.Proceeds, tolerance = book.ProjectTolerance;
        int breaches = 0;
        for (int y = 1; y < yearStart.Length - 1; y++)
        {
            double yearChecks = 0;
            for (int k = yearStart[y], end = yearStart[y + 1]; k < end; k++)
            {
                double check = isFixed ? fixedCheck : Unsafe.Add(ref c0, k);
                double m = Unsafe.Add(ref m0, k);
                int exitYear = (int)Unsafe.Add(ref x0, k); // in [y, life]
                invested += check;
                proceeds += check * m;
                yearChecks += check;
                Unsafe.Add(ref p0, exitYear - 1) += check * m;
                Unsafe.Add(ref h0, exitYear + 1) -= check;
                breaches += 1 - m > tolerance ? 1 : 0; // max(0, 1 − m) > tolerance, as tolerance > 0
            }
            contributions[y - 1] += yearChecks;
            held[y] += yearChecks;
        }
        book.Invested = invested;
        book.Proceeds = proceeds;
        book.ProjectBreaches = book.IsDirect ? breaches : 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // its own frame keeps the loop's values in registers
    private static void BookGeneral(ref Book book, CashFlows cash, int[] yearStart, ReadOnlySpan<double> multiple,
        ReadOnlySpan<byte> band, double[] exitDraw, ReadOnlySpan<double> checks, double fixedCheck, OutcomeSampler outcome, int life)
    {
        double[] contributions = cash.Contributions, proceedsByYear = cash.Proceeds, held = cash.HeldCostDelta;
        bool isFixed = !double.IsNaN(fixedCheck);
        for (int y = 1; y < yearStart.Length - 1; y++)
        {
            double yearChecks = 0;
            for (int k = yearStart[y]; k < yearStart[y + 1]; k++)
            {
                double c = isFixed ? fixedCheck : checks[k];
                double m = multiple[k];
                int exit = outcome.Exit(band[k], exitDraw[k], y, life);
                book.Invested += c;
                book.Proceeds += c * m;
                yearChecks += c;
                proceedsByYear[exit - 1] += c * m;
                held[exit + 1] -= c;
                if (book.IsDirect && Math.Max(0, 1 - m) > book.ProjectTolerance) book.ProjectBreaches++;
            }
            contributions[y - 1] += yearChecks;
            held[y] += yearChecks;
        }
    }

}
