using Simulator.Core.Economy;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;
using Simulator.Core.Randomness;
using Simulator.Core.Scenarios;
using Simulator.Core.Statistics;

namespace Simulator.Core.Engine;

/// <summary>
/// Evaluates one trial of a scenario into a row: a pure function of (scenario, seed, trial index). The
/// factor paths are drawn first from the factors' own streams, then each fund from its own stream.
/// </summary>
public sealed class TrialEvaluator
{
    private readonly Scenario _scenario;
    private readonly TrialLayout _layout;
    private readonly FundEvaluator[] _funds;
    private readonly GuaranteeEvaluator[] _guarantees;

    /// <summary>Prepares the evaluator of a scenario.</summary>
    public TrialEvaluator(Scenario scenario, TrialLayout layout)
    {
        _scenario = scenario;
        _layout = layout;
        _funds = scenario.Funds.Select(f => new FundEvaluator(f, scenario.Economy)).ToArray();
        _guarantees = scenario.Guarantees.Select(g => new GuaranteeEvaluator(g)).ToArray();
        Key = StreamKey.For(scenario.Seed, scenario.Name);
    }

    /// <summary>The stream key of the run.</summary>
    public StreamKey Key { get; }

    /// <summary>Per-thread buffers.</summary>
    public sealed class Scratch
    {
        internal Scratch(TrialEvaluator owner)
        {
            Paths = new FactorPaths(owner._scenario.Economy);
            // One buffer for the latent variables of all funds' projects, fund after fund.
            Latent = new double[owner._funds.Sum(f => f.Fund.Deals)];
            Funds = new FundEvaluator.Scratch[owner._funds.Length];
            for (int f = 0, offset = 0; f < Funds.Length; offset += owner._funds[f].Fund.Deals, f++)
                Funds[f] = owner._funds[f].CreateScratch(Latent, offset);
            Guarantees = owner._guarantees.Select(g => g.CreateScratch()).ToArray();
        }

        internal GuaranteeEvaluator.Scratch[] Guarantees { get; }

        internal FactorPaths Paths { get; }
        internal FundEvaluator.Scratch[] Funds { get; }
        internal double[] Latent { get; }
    }

    /// <summary>New per-thread buffers.</summary>
    public Scratch CreateScratch() => new(this);

    /// <summary>Evaluates trial <paramref name="trial"/> (1-based) into <paramref name="row"/>.</summary>
    public void Evaluate(long trial, Span<double> row, Scratch scratch)
    {
        var sampling = _scenario.ImportanceSampling;
        double logWeight = scratch.Paths.Draw(Key, trial, sampling?.Shift, sampling?.ShiftYears ?? 0);
        if (_layout.WeightColumn >= 0) row[_layout.WeightColumn] = Math.Exp(logWeight);
        double invested = 0, proceeds = 0, toleranceWeighted = 0;
        // Each fund's steps around Φ⁻¹ and Φ, which run once over the projects of all funds (FundEvaluator.Evaluate
        // gives the same figures fund by fund).
        if (_funds.Length > 0)
        {
            for (int f = 0; f < _funds.Length; f++) _funds[f].Draw(Key, trial, scratch.Paths, scratch.Funds[f]);
            NormalMath.InvCdf(scratch.Latent, scratch.Latent);
            for (int f = 0; f < _funds.Length; f++) _funds[f].Shift(scratch.Funds[f]);
            NormalMath.Cdf(scratch.Latent, scratch.Latent);
        }
        for (int f = 0; f < _funds.Length; f++)
        {
            var o = _funds[f].Settle(scratch.Funds[f]);
            int c = _layout.FundStart(f);
            row[c + TrialLayout.LossRatio] = o.LossRatio;
            row[c + TrialLayout.Breach] = o.Breach ? 1 : 0;
            row[c + TrialLayout.Invested] = o.Invested;
            row[c + TrialLayout.Proceeds] = o.Proceeds;
            row[c + TrialLayout.MultiplePrivate] = o.NetMultiplePrivate;
            row[c + TrialLayout.MultipleGovernment] = o.NetMultipleGovernment;
            row[c + TrialLayout.IrrPrivate] = o.NetIrrPrivate;
            row[c + TrialLayout.IrrGovernment] = o.NetIrrGovernment;
            if (_layout.ProjectBreachColumn[f] >= 0) row[_layout.ProjectBreachColumn[f]] = o.ProjectBreaches;
            invested += o.Invested;
            proceeds += o.Proceeds;
            toleranceWeighted += o.Invested * _funds[f].Fund.Tolerance;
        }
        if (_layout.HasProgramme)
        {
            // Life-cycle evaluation: one pooled loss ratio against the invested-weighted tolerance of this trial.
            double lossRatio = invested > 0 ? Math.Max(0, (invested - proceeds) / invested) : 0;
            double tolerance = invested > 0 ? toleranceWeighted / invested : 0;
            int p = _layout.ProgrammeStart;
            row[p] = lossRatio;
            row[p + 1] = lossRatio > tolerance + Fund.BreachEpsilon ? 1 : 0;
            row[p + 2] = tolerance;
        }

        for (int g = 0; g < _guarantees.Length; g++)
        {
            var scratchG = scratch.Guarantees[g];
            var o = _guarantees[g].Evaluate(Key, trial, scratch.Paths, scratchG);
            int c = _layout.GuaranteeStart(g);
            row[c + TrialLayout.GLoss] = o.Loss;
            row[c + TrialLayout.GGuarantor] = o.Guarantor;
            row[c + TrialLayout.GReGuarantee] = o.ReGuarantee;
            row[c + TrialLayout.GBank] = o.Bank;
            row[c + TrialLayout.GGovernment] = o.Government;
            row[c + TrialLayout.GGuaranteed] = o.Guaranteed;
            row[c + TrialLayout.GLoans] = o.Loans;
            row[c + TrialLayout.GDefaults] = o.Defaults;
            row[c + TrialLayout.GExhausted] = o.ExhaustedYear > 0 ? 1 : 0;
            row[c + TrialLayout.GExhaustedYear] = o.ExhaustedYear;
            row[c + TrialLayout.GInsolvent] = o.InsolventYear > 0 ? 1 : 0;
            row[c + TrialLayout.GInsolventYear] = o.InsolventYear;
            row[c + TrialLayout.GSuspended] = o.SuspendedYear > 0 ? 1 : 0;
            row[c + TrialLayout.GSuspendedYear] = o.SuspendedYear;
            row[c + TrialLayout.GCapital] = o.CapitalEnd;
            scratchG.CapitalByYear.CopyTo(row.Slice(_layout.CapitalStart(g), scratchG.CapitalByYear.Length));
        }
    }
}
