using System.Globalization;
using Simulator.Core.Distributions;
using Simulator.Core.Funds;
using Simulator.Core.Guarantees;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Rules that involve more than one field: unique and reserved names, references between items, band
/// probabilities, supports of distributions, loadings whose squares must sum below 1, periods within the
/// fund life. Runs on whatever the binder could read, so a file's errors are reported together.
/// </summary>
internal sealed class ScenarioValidator(ErrorSink errors)
{
    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Largest magnitude of any amount or multiple a distribution may draw (the format's bound on money, 1e15 CNY).</summary>
    public const double MaxDraw = 1e15;

    // The extreme uniforms the engine feeds a quantile function: band positions are clamped to 1e-17 at the low
    // end, and the largest double below 1 is the highest a draw reaches.
    private const double LowestUniform = 1e-17, HighestUniform = 1 - 1.0 / 9007199254740992; // 1 − 2⁻⁵³

    public void Validate(ScenarioSpec raw)
    {
        var factors = raw.Factors ?? [];
        var factorNames = factors.Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        UniqueNames(factors.Select(f => f.Name), "$.factors", "factor");

        var stresses = raw.Stresses ?? [];
        var fundSet = (raw.Funds ?? []).Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var guaranteeSet = (raw.Guarantees ?? []).Select(g => g.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < stresses.Count; i++)
            StressLibrary.Validate(stresses[i], $"$.stresses[{i}]", factorNames, fundSet, guaranteeSet, errors.Add);

        var custom = raw.Outcomes ?? [];
        foreach (var (name, model) in custom)
        {
            string path = JsonPositionMap.ChildPath("$.outcomes", name);
            if (!SpecPatterns.IsName(name))
                errors.Add(path, $"name '{ScenarioLimits.Quote(name)}' is not allowed; {SpecPatterns.NameRule}");
            OutcomeModel(model, path);
        }
        var modelNames = custom.Keys.Concat(OutcomePresets.All.Keys).ToHashSet(StringComparer.Ordinal);

        var funds = raw.Funds ?? [];
        var guarantees = raw.Guarantees ?? [];
        // A list refused for its size reads as absent; saying the scenario has none would mislead.
        bool refused = errors.Errors.Any(e => e.Path is "$.funds" or "$.guarantees");
        if (funds.Count == 0 && guarantees.Count == 0 && !refused)
            errors.Add(raw.Funds is null ? "$" : "$.funds", "the scenario has no funds and no guarantees; add at least one entry to \"funds\" or \"guarantees\"");
        UniqueNames(funds.Select(f => f.Name), "$.funds", "fund");
        long projects = funds.Sum(f => (long)(f.Deals ?? 0));
        if (projects > ScenarioLimits.ProjectsPerTrial)
            errors.Add("$.funds", $"the funds hold {ScenarioLimits.Count(projects)} projects in all (the sum of their deals); a trial may hold at most {ScenarioLimits.Count(ScenarioLimits.ProjectsPerTrial)} projects");
        for (int i = 0; i < funds.Count; i++) Fund(funds[i], $"$.funds[{i}]", factorNames, modelNames);
        UniqueNames(guarantees.Select(g => g.Name), "$.guarantees", "guarantee");
        var fundNames = funds.Select(f => f.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < guarantees.Count; i++)
        {
            if (guarantees[i].Name is { } n && fundNames.Contains(n))
                errors.Add($"$.guarantees[{i}].name", $"'{n}' is also a fund's name; result columns are named after funds and guarantees, so the names must differ");
            Guarantee(guarantees[i], $"$.guarantees[{i}]", factorNames);
        }

        if (raw.Simulation?.ImportanceSampling is { } sampling) ImportanceSampling(sampling, factorNames);
        VariantCount(raw);

        var ratios = raw.Report?.LossRatios ?? [];
        for (int i = 0; i < ratios.Count; i++)
        {
            if (ratios[i] is < 0 or > 1) errors.Add($"$.report.lossRatios[{i}]", $"value {F(ratios[i])} is out of range; allowed: a loss ratio from 0 to 1");
        }
    }

    private void ImportanceSampling(System.Text.Json.JsonElement e, HashSet<string> factorNames)
    {
        const string path = "$.simulation.importanceSampling";
        const string allowed = "allowed: true (automatic), false, or { \"shift\": { \"<factor>\": <mean shift in sd, from -6 to 6> } }";
        if (e.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False) return;
        if (e.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            errors.Add(path, $"value {SpecBinder.Show(e)} is not allowed; {allowed}");
            return;
        }
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name != "shift")
            {
                errors.Add(JsonPositionMap.ChildPath(path, p.Name), $"unknown field '{p.Name}'{SpecBinder.Suggest(p.Name, ["shift"])}; {allowed}");
                continue;
            }
            if (p.Value.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                errors.Add(path + ".shift", $"value {SpecBinder.Show(p.Value)} is not allowed; {allowed}");
                continue;
            }
            foreach (var f in p.Value.EnumerateObject())
            {
                string at = JsonPositionMap.ChildPath(path + ".shift", f.Name);
                if (!factorNames.Contains(f.Name))
                    errors.Add(at, $"unknown factor '{f.Name}'{SpecBinder.Suggest(f.Name, factorNames)}; declared factors: {List(factorNames)}");
                if (f.Value.ValueKind != System.Text.Json.JsonValueKind.Number || f.Value.GetDouble() is < -6 or > 6)
                    errors.Add(at, $"value {SpecBinder.Show(f.Value)} is not allowed; a shift is a number of standard deviations from -6 to 6 (negative shifts towards bad years)");
            }
        }
        if (!e.TryGetProperty("shift", out _)) errors.Add(path, $"missing field 'shift'; {allowed}");
    }

    private void UniqueNames(IEnumerable<string?> names, string listPath, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var n in names)
        {
            if (n is not null)
            {
                if (!seen.Add(n)) errors.Add($"{listPath}[{i}].name", $"{what} name '{n}' is used twice; names must be unique in their list");
                if (what is "fund" or "guarantee" && n == "programme") errors.Add($"{listPath}[{i}].name", "the name 'programme' is reserved for the whole programme; choose another name");
            }
            i++;
        }
    }

    private void Guarantee(GuaranteeSpec g, string path, HashSet<string> factorNames)
    {
        if ((g.Loans is null) == (g.LoanTape is null))
            errors.Add(path, g.Loans is null
                ? "missing loans: give either \"loans\" (generated cohorts) or \"loanTape\" (a CSV file)"
                : "both \"loans\" and \"loanTape\" are given; keep one");
        if (g.Shares is { } sh)
        {
            double sum = (sh.Guarantor ?? 0) + (sh.ReGuarantee ?? 0) + (sh.Bank ?? 0) + (sh.Government ?? 0);
            if (Math.Abs(sum - 1) > 1e-9)
                errors.Add(path + ".shares", $"the shares sum to {F(sum)}; they must sum to 1 (e.g. 4222: guarantor 0.4, reGuarantee 0.2, bank 0.2, government 0.2)");
            if ((sh.Guarantor ?? 0) > 0 && g.Guarantor is null)
                errors.Add(path, $"shares.guarantor is {F(sh.Guarantor!.Value)} but there is no \"guarantor\" block; add one with at least its capital");
        }
        var shortfall = g.Government?.ShortfallTo ?? ShortfallTo.Guarantor;
        bool limited = g.Government?.Budget is not null || g.Government?.CapRate is not null;
        bool shortfallMisspelt = errors.Errors.Any(e => e.Path == path + ".government.shortfallTo");
        if (g.SuspendAbovePayoutRate is not null && g.Guarantor is null)
            errors.Add(path + ".suspendAbovePayoutRate", "the payout-rate trigger suspends a guarantor, but this scheme has no \"guarantor\" block; remove the trigger or add a guarantor");
        if (limited && !shortfallMisspelt && shortfall == ShortfallTo.Guarantor && g.Guarantor is null && (g.Shares?.Government ?? 0) > 0)
            errors.Add(path + ".government.shortfallTo", "the pool's shortfall goes to the guarantor (the default) but there is no \"guarantor\" block; set shortfallTo to bank or proRata, or add a guarantor");
        if (g.Loans is { } loans)
        {
            string lp = path + ".loans";
            if (loans.Exposure is { } exposure) Exposure(exposure, lp + ".exposure", factorNames);
            if (loans.Amount is { } amount)
            {
                var d = amount.Build();
                if (d.SupportMin < 0 || d.Mean <= 0)
                    errors.Add(lp + ".amount", $"a loan amount must be ≥ 0 with a positive mean; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
                else if (loans.MaxPerBorrower is null && Draws(d).High > MaxDraw)
                    errors.Add(lp + ".amount", $"{TooLarge(d)}; a loan amount must stay ≤ 1e15 (CNY): narrow the distribution or set maxPerBorrower");
            }
            if (loans.Lgd is { } lgd)
            {
                var d = lgd.Build();
                if (d.SupportMin < 0 || d.SupportMax > 1)
                    errors.Add(lp + ".lgd", $"a loss given default lies in [0, 1]; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
            }
        }
    }

    private void Exposure(Dictionary<string, double> exposure, string path, HashSet<string> factorNames)
    {
        double sum = 0;
        foreach (var (factor, b) in exposure)
        {
            string at = JsonPositionMap.ChildPath(path, factor);
            if (!factorNames.Contains(factor))
                errors.Add(at, $"unknown factor '{factor}'{SpecBinder.Suggest(factor, factorNames)}; declared factors: {List(factorNames)}");
            if (b is <= -1 or >= 1) errors.Add(at, $"value {F(b)} is out of range; a loading lies in (−1, 1)");
            sum += b * b;
        }
        if (sum >= 1)
            errors.Add(path, $"the squares of the loadings sum to {sum.ToString("0.######", CultureInfo.InvariantCulture)}; they must sum to less than 1 (the rest is the item's own risk)");
    }

    private void OutcomeModel(OutcomeModelSpec m, string path)
    {
        double q = m.WriteOff ?? 0, r = m.Partial?.Probability ?? 0;
        if (q + r > 1 + 1e-12)
            errors.Add(path, $"writeOff {F(q)} plus partial.probability {F(r)} is {F(q + r)}; together they must not exceed 1 (the success band takes the rest)");
        if (m.Partial?.Multiple is { } pm)
        {
            var d = pm.Build();
            if (d.SupportMin < 0 || d.SupportMax > 1 || (d.SupportMax == 1 && d.SupportMaxAttained))
                errors.Add(path + ".partial.multiple", $"the partial band's multiple must lie in [0, 1); this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}]");
        }
        if (m.Success is null && q + r < 1 - 1e-12)
            errors.Add(path, $"missing field 'success': the success band has probability {F(1 - q - r)} (1 − writeOff − partial.probability) and needs a multiple");
        if (m.Success?.Multiple is { } sm)
        {
            var d = sm.Build();
            if (d.SupportMin < 0) errors.Add(path + ".success", "a success multiple must be ≥ 0");
            else if (m.Success.Cap is null && Draws(d).High > MaxDraw)
                errors.Add(path + ".success", $"{TooLarge(d)}; a success multiple must stay ≤ 1e15: give the band a \"cap\" (at most 1000000)");
        }
        foreach (var (band, dist) in new[] { ("writeOff", m.ExitYears?.WriteOff), ("partial", m.ExitYears?.Partial), ("success", m.ExitYears?.Success) })
        {
            if (dist is not null && dist.Build().SupportMin < 0)
                errors.Add($"{path}.exitYears.{band}", "exit years are counted from the investment year and must be ≥ 0");
        }
    }

    private void Fund(FundSpec f, string path, HashSet<string> factorNames, HashSet<string> modelNames)
    {
        if (f.Outcomes is { } o && !modelNames.Contains(o))
            errors.Add(path + ".outcomes", $"unknown outcome model '{o}'{SpecBinder.Suggest(o, modelNames)}; allowed: the presets seed, angel, venture or a model defined under \"outcomes\"");

        if (f.Exposure is { } exposure) Exposure(exposure, path + ".exposure", factorNames);

        int life = f.LifeYears ?? ScenarioDefaults.LifeYears;
        if (f.InvestmentYears is { } inv && inv > life)
            errors.Add(path + ".investmentYears", $"value {inv} exceeds lifeYears {life}; the investment period must fit in the fund life");

        if (f.Check is { } check)
        {
            Distribution d = check.Build();
            if (d.SupportMin < 0 || d.Mean <= 0)
                errors.Add(path + ".check", $"a check must be ≥ 0 with a positive mean; this distribution ranges over [{F(d.SupportMin)}, {F(d.SupportMax)}] with mean {F(d.Mean)}");
            else if (Draws(d).High > MaxDraw)
                errors.Add(path + ".check", $"{TooLarge(d)}; a check must stay ≤ 1e15 (CNY): narrow the distribution");
        }
    }

    /// <summary>
    /// The smallest and largest values the engine can draw from <paramref name="d"/>: its support when bounded, else its
    /// quantiles at the extreme uniforms. An unbounded law (lognormal, Pareto) is finite at every draw only if these are.
    /// </summary>
    internal static (double Low, double High) Draws(Distribution d) =>
        double.IsFinite(d.SupportMax) ? (d.SupportMin, d.SupportMax) : (d.Quantile(LowestUniform), d.Quantile(HighestUniform));

    private static string TooLarge(Distribution d) =>
        $"this distribution can draw {SpecBinder.Number(Draws(d).High)} (its quantile at 1 − 1.1e-16, the highest uniform the engine draws)";

    /// <summary>The loans of one trial over all schemes (generated books and loan tapes) against <see cref="ScenarioLimits.LoansPerTrial"/>.</summary>
    public void LoansPerTrial(ScenarioSpec raw, IEnumerable<Guarantees.LoanBook> tapes)
    {
        long loans = (raw.Guarantees ?? []).Sum(g => g.Loans is { PerYear: { } perYear, Years: { } years } ? (long)perYear * years : 0)
            + tapes.Sum(t => (long)t.Count);
        if (loans > ScenarioLimits.LoansPerTrial)
            errors.Add("$.guarantees", $"the schemes offer {ScenarioLimits.Count(loans)} loans in all (perYear × years of generated books, plus the rows of loan tapes); a trial may hold at most {ScenarioLimits.Count(ScenarioLimits.LoansPerTrial)} loans");
    }

    // Counted before any variant is built: expanding a sweep of a million combinations would take hours.
    private void VariantCount(ScenarioSpec raw)
    {
        long listed = raw.Variants?.Count ?? 0, inputs = raw.Sensitivity?.Inputs?.Count ?? 0, combinations = 0;
        var sizes = raw.Sweep?.Values.Select(v => (long)v.Count).ToList() ?? [];
        if (sizes.Count > 0)
        {
            combinations = 1;
            foreach (long n in sizes) combinations = n == 0 ? 0 : combinations > long.MaxValue / Math.Max(1, n) ? long.MaxValue : combinations * n;
        }
        long total = listed + 2 * inputs;
        total = combinations > long.MaxValue - total ? long.MaxValue : total + combinations;
        if (total <= ScenarioLimits.Variants) return;
        var parts = new List<string>();
        if (listed > 0) parts.Add($"{ScenarioLimits.Count(listed)} in \"variants\"");
        if (combinations > 0)
            parts.Add($"{(combinations == long.MaxValue ? "more than " + ScenarioLimits.Count(long.MaxValue) : ScenarioLimits.Count(combinations))} sweep combinations, {string.Join(" × ", sizes.Select(ScenarioLimits.Count))}");
        if (inputs > 0) parts.Add($"{ScenarioLimits.Count(2 * inputs)} for {ScenarioLimits.Count(inputs)} sensitivity inputs");
        string path = combinations > 0 ? "$.sweep" : listed > 0 ? "$.variants" : "$.sensitivity";
        errors.Add(path, $"the file asks for {(total == long.MaxValue ? "more than " + ScenarioLimits.Count(long.MaxValue) : ScenarioLimits.Count(total))} variants ({string.Join(", ", parts)}); " +
            $"at most {ScenarioLimits.Count(ScenarioLimits.Variants)} variants are allowed in one file: sweep fewer values, or split the file");
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none; declare them under \"factors\")" : string.Join(", ", list);
    }
}
