using Simulator.Core.Scenarios;

namespace Simulator.Core.Engine;

/// <summary>
/// The columns of one trial's row. Every figure of a trial is a double in a flat row, so the engine moves
/// rows in blocks without per-trial allocation. The first <see cref="CsvCount"/> columns are trials.csv's
/// (in its order); the rest are kept for statistics only (e.g. guarantor capital by year for the fan chart).
/// </summary>
public sealed class TrialLayout
{
    /// <summary>Per-fund columns, in order, after the fund's name and a dot.</summary>
    public static readonly IReadOnlyList<string> FundColumns =
    [
        "lossRatio", "breach", "invested", "proceeds",
        "netMultiple.privateLp", "netMultiple.government", "netIrr.privateLp", "netIrr.government",
    ];

    /// <summary>Offsets of the per-fund columns.</summary>
    public const int LossRatio = 0, Breach = 1, Invested = 2, Proceeds = 3, MultiplePrivate = 4, MultipleGovernment = 5, IrrPrivate = 6, IrrGovernment = 7;

    /// <summary>Programme columns, in order.</summary>
    public static readonly IReadOnlyList<string> ProgrammeColumns = ["lossRatio", "breach", "tolerance"];

    /// <summary>Per-guarantee columns, in order (spec §5 names first).</summary>
    public static readonly IReadOnlyList<string> GuaranteeColumns =
    [
        "loss", "guarantor", "reGuarantee", "bank", "government", "guaranteedAmount", "loans", "defaults",
        "exhausted", "exhaustedYear", "insolvent", "insolventYear", "suspended", "suspendedYear", "capital",
    ];

    /// <summary>Offsets of the per-guarantee columns.</summary>
    public const int GLoss = 0, GGuarantor = 1, GReGuarantee = 2, GBank = 3, GGovernment = 4, GGuaranteed = 5, GLoans = 6, GDefaults = 7,
        GExhausted = 8, GExhaustedYear = 9, GInsolvent = 10, GInsolventYear = 11, GSuspended = 12, GSuspendedYear = 13, GCapital = 14;

    private readonly int[] _fundStart, _guaranteeStart, _capitalStart;

    /// <summary>Builds the layout of a scenario.</summary>
    public TrialLayout(Scenario scenario)
    {
        var names = new List<string>();
        var single = new HashSet<int>();
        // Importance sampling: each trial's likelihood-ratio weight comes first (spec §7's "weight" column).
        WeightColumn = scenario.ImportanceSampling is null ? -1 : 0;
        if (WeightColumn == 0) names.Add("weight");
        _fundStart = new int[scenario.Funds.Count];
        ProjectBreachColumn = new int[scenario.Funds.Count];
        for (int f = 0; f < scenario.Funds.Count; f++)
        {
            var fund = scenario.Funds[f];
            _fundStart[f] = names.Count;
            names.AddRange(FundColumns.Select(c => $"{fund.Name}.{c}"));
            for (int r = MultiplePrivate; r <= IrrGovernment; r++) single.Add(_fundStart[f] + r);
            ProjectBreachColumn[f] = -1;
            if (fund.Type == FundType.Direct)
            {
                ProjectBreachColumn[f] = names.Count;
                names.Add($"{fund.Name}.projectBreaches");
            }
        }
        HasProgramme = scenario.Funds.Count > 0;
        ProgrammeStart = names.Count;
        if (HasProgramme) names.AddRange(ProgrammeColumns.Select(c => $"programme.{c}"));

        _guaranteeStart = new int[scenario.Guarantees.Count];
        for (int g = 0; g < scenario.Guarantees.Count; g++)
        {
            _guaranteeStart[g] = names.Count;
            names.AddRange(GuaranteeColumns.Select(c => $"{scenario.Guarantees[g].Name}.{c}"));
        }
        CsvCount = names.Count;

        _capitalStart = new int[scenario.Guarantees.Count];
        for (int g = 0; g < scenario.Guarantees.Count; g++)
        {
            _capitalStart[g] = names.Count;
            names.AddRange(Enumerable.Range(1, scenario.Guarantees[g].Years).Select(t => $"{scenario.Guarantees[g].Name}.capital.y{t}"));
        }
        Columns = names;
        _singlePrecision = new bool[names.Count];
        foreach (int c in single) _singlePrecision[c] = true;
    }

    private readonly bool[] _singlePrecision;

    /// <summary>
    /// Whether column <paramref name="column"/> is a figure kept to float precision for its statistics (the net
    /// multiples and IRRs): trials.csv writes such a value as the shortest decimal of that float, the very value its
    /// statistics use, so a quantile recomputed from the file equals the one in summary.json.
    /// </summary>
    public bool IsSinglePrecision(int column) => _singlePrecision[column];

    /// <summary>
    /// The columns the format requires (spec §5: each fund's lossRatio, programme.lossRatio, each guarantee's loss
    /// and four party payments), with the importance-sampling weight when there is one — what trials.csv keeps
    /// with <c>--trials-csv key</c>. Indices in row order.
    /// </summary>
    public IReadOnlyList<int> KeyColumns()
    {
        var key = new List<int>();
        if (WeightColumn >= 0) key.Add(WeightColumn);
        foreach (int start in _fundStart) key.Add(start + LossRatio);
        if (HasProgramme) key.Add(ProgrammeStart);
        foreach (int start in _guaranteeStart)
            key.AddRange([start + GLoss, start + GGuarantor, start + GReGuarantee, start + GBank, start + GGovernment]);
        return key;
    }

    /// <summary>Index of the importance-sampling weight, −1 without importance sampling.</summary>
    public int WeightColumn { get; }

    /// <summary>Column names (without the leading <c>trial</c> column of the CSV).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of columns.</summary>
    public int Count => Columns.Count;

    /// <summary>The first columns that go to trials.csv.</summary>
    public int CsvCount { get; }

    /// <summary>Index of the first column of fund <paramref name="f"/>.</summary>
    public int FundStart(int f) => _fundStart[f];

    /// <summary>Index of a direct fund's projectBreaches column, −1 for other funds.</summary>
    public int[] ProjectBreachColumn { get; }

    /// <summary>Whether the scenario has funds, hence programme columns.</summary>
    public bool HasProgramme { get; }

    /// <summary>Index of programme.lossRatio.</summary>
    public int ProgrammeStart { get; }

    /// <summary>Index of the first column of guarantee <paramref name="g"/>.</summary>
    public int GuaranteeStart(int g) => _guaranteeStart[g];

    /// <summary>Index of guarantee <paramref name="g"/>'s capital at the end of year 1 (years follow).</summary>
    public int CapitalStart(int g) => _capitalStart[g];
}
