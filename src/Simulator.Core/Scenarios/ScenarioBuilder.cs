using Simulator.Core.Economy;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Core.Scenarios;

/// <summary>Turns a valid, filled-in spec into the immutable <see cref="Scenario"/>.</summary>
internal static class ScenarioBuilder
{
    public static Scenario Build(ScenarioSpec filled, string sourceFile, IReadOnlyDictionary<int, TapeBook> tapes)
    {
        var factors = filled.Factors!.Select(f => new Factor(f.Name!, f.Persistence ?? 0)).ToList();
        var factorIndex = factors.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var stresses = filled.Stresses!.Where(StressLibrary.IsFactorStress)
            .Select(s => new Stress(factorIndex[s.Factor!], s.FromYear!.Value, StressLibrary.LastYear(s), s.Shift!.Value)).ToList();

        var tolerance = filled.Policy!.Tolerance!;
        var models = new Dictionary<string, OutcomeModel>(StringComparer.Ordinal);
        var funds = new List<Fund>();
        foreach (var f in filled.Funds!)
        {
            string modelName = ScenarioDefaults.OutcomeName(f);
            if (!models.TryGetValue(modelName, out var model))
            {
                var spec = filled.Outcomes!.TryGetValue(modelName, out var custom) ? custom : OutcomePresets.All[modelName];
                models[modelName] = model = BuildModel(modelName, spec);
            }
            var loadings = new double[factors.Count];
            foreach (var (name, b) in f.Exposure!) loadings[factorIndex[name]] = b;
            int life = f.LifeYears!.Value;
            double fundTolerance = f.Tolerance ?? f.Type!.Value switch
            {
                FundType.Seed => tolerance.Seed!.Value,
                FundType.Angel => tolerance.Angel!.Value,
                FundType.Venture => tolerance.Venture!.Value,
                _ => tolerance.DirectProject!.Value,
            };
            funds.Add(new Fund(
                f.Name!, f.Type!.Value, f.Commitment!.Value, f.GovernmentShare!.Value, f.Deals!.Value, f.Check!.Build(),
                f.InvestmentYears ?? Math.Min(ScenarioDefaults.InvestmentYears, life), life, model, loadings,
                fundTolerance, new Fees(f.Fees!.Management!.Value, f.Fees.Carry!.Value, f.Fees.Hurdle!.Value), f.Concession!.Value));
        }

        var guarantees = new List<Guarantee>();
        for (int i = 0; i < filled.Guarantees!.Count; i++)
        {
            var g = filled.Guarantees[i];
            LoanBook book;
            if (g.Loans is { } l)
            {
                var loadings = new double[factors.Count];
                foreach (var (name, b) in l.Exposure!) loadings[factorIndex[name]] = b;
                book = new GeneratedBook(l.PerYear!.Value, l.Years!.Value, l.Amount!.Build(), l.MaxPerBorrower ?? double.PositiveInfinity,
                    l.TermYears!.Value, l.Pd!.Value, l.Lgd!.Build(), loadings);
            }
            else
            {
                book = tapes[i];
            }
            var sh = g.Shares!;
            var guarantor = g.Guarantor is { } q ? new GuarantorTerms(q.Capital!.Value, q.LeverageCap!.Value, q.FeeRate!.Value, q.CostRate!.Value, q.Yield!.Value) : null;
            var pool = new GovernmentPoolTerms(g.Government!.Budget ?? double.PositiveInfinity, g.Government.CapRate ?? double.PositiveInfinity, g.Government.ShortfallTo!.Value);
            guarantees.Add(new Guarantee(g.Name!, book, new Shares(sh.Guarantor!.Value, sh.ReGuarantee!.Value, sh.Bank!.Value, sh.Government!.Value),
                guarantor, pool, g.SuspendAbovePayoutRate ?? double.PositiveInfinity));
        }

        foreach (var stress in filled.Stresses!.Where(s => !StressLibrary.IsFactorStress(s)))
        {
            funds = funds.Select(f => stress.Funds is { } only && !only.Contains(f.Name) ? f : ApplyToFund(stress, f)).ToList();
            guarantees = guarantees.Select(g => stress.Guarantees is { } only && !only.Contains(g.Name) ? g : ApplyToGuarantee(stress, g)).ToList();
        }

        int horizon = filled.Simulation!.HorizonYears!.Value;
        int years = Math.Max(horizon, funds.Select(f => Math.Max(f.LastFactorYear, f.LifeYears)).DefaultIfEmpty(1).Max());
        years = Math.Max(years, guarantees.Select(g => g.Years).DefaultIfEmpty(1).Max());
        years = Math.Max(years, stresses.Select(s => s.ToYear).DefaultIfEmpty(1).Max());
        var economy = new EconomyModel(factors, stresses, years);
        var precision = filled.Simulation.Precision is { } p ? new Statistics.PrecisionTarget(p.RelativeError!.Value, p.CheckEvery!.Value) : null;
        Statistics.ImportanceSamplingSettings? sampling = null;
        if (filled.Simulation.ImportanceSampling is { } isSpec && !(isSpec.ValueKind == System.Text.Json.JsonValueKind.False))
        {
            int shiftYears = Math.Max(funds.Select(f => f.LastFactorYear).DefaultIfEmpty(0).Max(), guarantees.Select(g => g.Years).DefaultIfEmpty(0).Max());
            if (isSpec.ValueKind == System.Text.Json.JsonValueKind.True)
            {
                sampling = new Statistics.ImportanceSamplingSettings(true, null, shiftYears);
            }
            else
            {
                var shift = new double[factors.Count];
                foreach (var f in isSpec.GetProperty("shift").EnumerateObject()) shift[factorIndex[f.Name]] = f.Value.GetDouble();
                sampling = new Statistics.ImportanceSamplingSettings(false, shift, shiftYears);
            }
        }
        return new Scenario(filled.Name!, filled.Title ?? filled.Name!, filled.Description, filled.Simulation.Trials!.Value,
            filled.Simulation.Seed!.Value, horizon, economy, funds, guarantees, filled.Report!.LossRatios!, filled.Report.Exceedance!, filled, sourceFile) { Precision = precision, ImportanceSampling = sampling };
    }

    private static Fund ApplyToFund(StressSpec stress, Fund f)
    {
        var m = f.Outcomes;
        switch (stress.Use)
        {
            case StressLibrary.ExitsDelayed:
            {
                double years = stress.Years!.Value;
                Distributions.Distribution? Later(Distributions.Distribution? d) => d is null ? null : new Distributions.ShiftedDistribution(d, years);
                return f with { Outcomes = m with { ExitWriteOff = Later(m.ExitWriteOff), ExitPartial = Later(m.ExitPartial), ExitSuccess = Later(m.ExitSuccess) } };
            }
            case StressLibrary.WriteOffsUp:
            {
                double q = Math.Min(1, m.WriteOff + stress.Points!.Value);
                // The added write-offs come from the partial and success bands in proportion to their sizes.
                double partial = m.WriteOff < 1 ? m.PartialProbability * (1 - q) / (1 - m.WriteOff) : 0;
                return f with { Outcomes = m with { WriteOff = q, PartialProbability = partial } };
            }
            default:
                return f;
        }
    }

    private static Guarantee ApplyToGuarantee(StressSpec stress, Guarantee g)
    {
        if (stress.Use != StressLibrary.DefaultRatesUp) return g;
        double k = stress.Multiplier!.Value;
        LoanBook book = g.Book switch
        {
            GeneratedBook b => new GeneratedBook(b.PerYear, b.Years, b.Amount, b.MaxPerBorrower, b.TermYears, Math.Min(1, b.Classes[0].Pd * k), b.Lgd, b.Classes[0].Loadings),
            TapeBook t => new TapeBook(t.Path, t.Ids, t.Amount, t.LgdValues, t.StartYear, t.TermYears, t.ClassOf,
                t.Classes.Select(c => c with { Pd = Math.Min(1, c.Pd * k) }).ToList()),
            _ => g.Book,
        };
        return g with { Book = book };
    }

    private static OutcomeModel BuildModel(string name, OutcomeModelSpec m) => new(
        name, m.WriteOff ?? 0, m.Partial?.Probability ?? 0, m.Partial?.Multiple?.Build(), m.Success?.Multiple?.Build(),
        m.Success?.Cap ?? double.PositiveInfinity, m.ExposureYears ?? ScenarioDefaults.ExposureYears,
        m.ExitYears?.WriteOff?.Build(), m.ExitYears?.Partial?.Build(), m.ExitYears?.Success?.Build());
}
