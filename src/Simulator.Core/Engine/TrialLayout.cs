using Simulator.Core.Scenarios;

namespace Simulator.Core.Engine;

/// <summary>
/// The columns of one trial's row, in trials.csv order. Every figure of a trial is a double in a flat row,
/// so the engine moves rows in blocks without per-trial allocation; later model parts (guarantees, weights of
/// importance sampling) add columns here.
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

    private readonly int[] _fundStart;

    /// <summary>Builds the layout of a scenario.</summary>
    public TrialLayout(Scenario scenario)
    {
        var names = new List<string>();
        _fundStart = new int[scenario.Funds.Count];
        ProjectBreachColumn = new int[scenario.Funds.Count];
        for (int f = 0; f < scenario.Funds.Count; f++)
        {
            var fund = scenario.Funds[f];
            _fundStart[f] = names.Count;
            names.AddRange(FundColumns.Select(c => $"{fund.Name}.{c}"));
            ProjectBreachColumn[f] = -1;
            if (fund.Type == FundType.Direct)
            {
                ProjectBreachColumn[f] = names.Count;
                names.Add($"{fund.Name}.projectBreaches");
            }
        }
        ProgrammeStart = names.Count;
        names.AddRange(ProgrammeColumns.Select(c => $"programme.{c}"));
        Columns = names;
    }

    /// <summary>Column names (without the leading <c>trial</c> column of the CSV).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of columns.</summary>
    public int Count => Columns.Count;

    /// <summary>Index of the first column of fund <paramref name="f"/>.</summary>
    public int FundStart(int f) => _fundStart[f];

    /// <summary>Index of a direct fund's projectBreaches column, −1 for other funds.</summary>
    public int[] ProjectBreachColumn { get; }

    /// <summary>Index of programme.lossRatio.</summary>
    public int ProgrammeStart { get; }
}
