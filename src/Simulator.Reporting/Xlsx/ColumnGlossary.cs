using System.Globalization;

namespace Simulator.Reporting.Xlsx;

/// <summary>
/// Explains a summary table's column from its name: the tables build their names from a figure and a statistic
/// (<c>lossRatio.p99</c>, <c>lossRatio.se.p99</c>, <c>breach.probability</c>, a key figure's <c>.diff</c> and
/// <c>.diffSE</c>), so the statistic is explained here, once for every table, and the figure by the notes of the
/// instrument whose table it is (<see cref="Instruments.IInstrumentReport.ColumnNotes"/>).
/// </summary>
internal static class ColumnGlossary
{
    private static readonly Dictionary<string, string> Statistics = new(StringComparer.Ordinal)
    {
        ["mean"] = "mean over the trials",
        ["sd"] = "standard deviation over the trials (n − 1)",
        ["es99"] = "expected shortfall at 99%: the mean of the worst 1% of the trials (Acerbi–Tasche, exact with ties)",
        ["worst1PercentMean"] = "mean over the worst 1% of the trials",
        ["probability"] = "probability: the share of the trials in which it happened (weighted under importance sampling)",
        ["standardError"] = "Monte Carlo standard error of that probability",
        ["ci95Low"] = "lower end of that probability's 95% interval (Wilson score; normal under importance sampling)",
        ["ci95High"] = "upper end of that probability's 95% interval (Wilson score; normal under importance sampling)",
        ["undefinedShare"] = "share of the trials in which it is undefined (left out of its statistics)",
    };

    // Columns that are not a figure's statistic, whatever the table.
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["name"] = "The item's name (one row per item, in the scenario file's order).",
        ["type"] = "The item's type.",
        ["variant"] = "The run: base, or the variant's name.",
        ["settings"] = "What the variant sets (path = value; empty for the base).",
        ["input"] = "The input varied (its path in the scenario file).",
        ["baseValue"] = "The input's value in the base scenario.",
        ["low"] = "The input's low value.",
        ["high"] = "The input's high value.",
        ["output"] = "The key figure whose response is measured.",
        ["outputBase"] = "The output in the base run.",
        ["outputLow"] = "The output with the input at its low value.",
        ["outputHigh"] = "The output with the input at its high value.",
        ["swingLow"] = "outputLow − outputBase.",
        ["swingLowSE"] = "Paired standard error of swingLow (the runs share their random numbers).",
        ["swingHigh"] = "outputHigh − outputBase.",
        ["swingHighSE"] = "Paired standard error of swingHigh (the runs share their random numbers).",
    };

    /// <summary>The meaning of <paramref name="column"/>, given the figures' <paramref name="notes"/> (figure → meaning).</summary>
    public static string Explain(string column, IReadOnlyDictionary<string, string> notes)
    {
        if (notes.TryGetValue(column, out var whole)) return Sentence(whole);
        if (Labels.TryGetValue(column, out var label)) return label;
        if (column.EndsWith(".diffSE", StringComparison.Ordinal))
            return $"{Figure(column[..^".diffSE".Length], notes)} — paired standard error of the difference from the base (the variant ran on the base's random numbers).";
        if (column.EndsWith(".diff", StringComparison.Ordinal))
            return $"{Figure(column[..^".diff".Length], notes)} — the variant's value minus the base's.";
        int dot = column.LastIndexOf('.');
        if (dot > 0)
        {
            string figure = column[..dot], last = column[(dot + 1)..];
            if (last == "se") return $"{Figure(figure, notes)} — its Monte Carlo standard error.";
            if (Statistic(last) is { } statistic)
            {
                if (figure.EndsWith(".se", StringComparison.Ordinal))
                    return $"{Figure(figure[..^".se".Length], notes)} — Monte Carlo standard error of its {statistic}.";
                return $"{Figure(figure, notes)} — {statistic}.";
            }
        }
        return Sentence(Figure(column, notes));
    }

    /// <summary>The text of a statistic name (<c>p99</c>, <c>mean</c>, …), null when the name is not one.</summary>
    private static string? Statistic(string name)
    {
        if (Statistics.TryGetValue(name, out var text)) return text;
        if (name.Length < 2 || name[0] != 'p' || !name.Skip(1).All(char.IsAsciiDigit)) return null;
        // p5, p50, p99: percent; p999 is 99.9; p01 is 0.1 (the low quantiles of a net result).
        string digits = name[1..];
        decimal percent = digits switch
        {
            "999" => 99.9m,
            _ when digits.Length > 1 && digits[0] == '0' => decimal.Parse("0." + digits[1..], CultureInfo.InvariantCulture),
            _ => decimal.Parse(digits, CultureInfo.InvariantCulture),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{(percent == 50 ? "median, " : "")}{percent}% quantile (the ⌈{percent / 100}·n⌉-th smallest of the n trial values)");
    }

    /// <summary>Notes for comparison.csv's key figures: what each is, from how it is computed and its unit.</summary>
    public static IReadOnlyDictionary<string, string> KeyFigureNotes(IEnumerable<Core.Instruments.KeyFigure> figures)
    {
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in figures)
        {
            string unit = f.Unit switch
            {
                Core.Instruments.FigureUnit.Probability => "a probability",
                Core.Instruments.FigureUnit.LossRatio => "a loss ratio",
                Core.Instruments.FigureUnit.Money => "an amount in CNY",
                Core.Instruments.FigureUnit.Multiple => "a net multiple",
                Core.Instruments.FigureUnit.Rate => "an annual rate (IRR)",
                _ => "a ratio",
            };
            string kind = f.Kind switch
            {
                Core.Instruments.FigureKind.Quantile99 => "99% quantile over the trials",
                Core.Instruments.FigureKind.Ratio => "ratio of two means over the trials",
                Core.Instruments.FigureKind.DefinedMean => "mean over the trials in which it is defined",
                _ => "mean over the trials",
            };
            notes[f.Name] = $"Key figure of {f.Item}, {unit}: {kind} (the run's value: the base's on the base row)";
        }
        return notes;
    }

    // A figure's meaning from the notes: the figure itself, or failing that its last part (a key figure "<item>.<figure>").
    private static string Figure(string figure, IReadOnlyDictionary<string, string> notes)
    {
        if (notes.TryGetValue(figure, out var text)) return text;
        int dot = figure.IndexOf('.');
        if (dot > 0 && notes.TryGetValue(figure[(dot + 1)..], out var item)) return $"{figure[..dot]}: {item}";
        return figure;
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";
}
