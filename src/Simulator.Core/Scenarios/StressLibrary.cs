using System.Globalization;
using Simulator.Core.Format;

namespace Simulator.Core.Scenarios;

/// <summary>
/// Named, documented stresses (docs/stress-library.md) that users reference with <c>"use"</c> instead of writing
/// factor shifts or model changes by hand. Factor stresses become shifts of Z; the others change the outcome
/// models or the loan PDs of the items they name. Defaults are filled into scenario.json, so a variant can
/// change a library stress's parameters like any other field.
/// </summary>
public static class StressLibrary
{
    /// <summary>A two-year macro downturn: the factor (default macro) 1.5 sd below normal.</summary>
    public const string MacroDownturn = StressSpec.MacroDownturn;
    /// <summary>A sector crash: one factor 2.5 sd below normal for a year.</summary>
    public const string SectorCrash = StressSpec.SectorCrash;
    /// <summary>Every exit happens later by a number of years (capped at the fund's last year).</summary>
    public const string ExitsDelayed = StressSpec.ExitsDelayed;
    /// <summary>Write-off probabilities up by a number of points, taken pro rata from the other bands.</summary>
    public const string WriteOffsUp = StressSpec.WriteOffsUp;
    /// <summary>Annual PDs multiplied (capped at 1).</summary>
    public const string DefaultRatesUp = StressSpec.DefaultRatesUp;

    /// <summary>All names, in documentation order.</summary>
    public static readonly IReadOnlyList<string> Names = [MacroDownturn, SectorCrash, ExitsDelayed, WriteOffsUp, DefaultRatesUp];

    /// <summary>The last year of a filled factor stress.</summary>
    public static int LastYear(StressSpec filled) => filled.ToYear ?? filled.FromYear!.Value + (filled.Years ?? 1) - 1;

    /// <summary>Whether the stress shifts a factor (as opposed to changing models).</summary>
    public static bool IsFactorStress(StressSpec s) => s.Use is null or MacroDownturn or SectorCrash;

    /// <summary>The stress with its library defaults filled in.</summary>
    public static StressSpec Fill(StressSpec s)
    {
        int from = s.FromYear ?? 1;
        return s.Use switch
        {
            null => Copy(s, factor: s.Factor, from: s.FromYear, to: s.ToYear ?? s.FromYear, years: null, shift: s.Shift),
            // Library stresses keep their length in "years" (toYear only if the user gave it), so a variant that
            // moves fromYear or changes years gets the stress it asks for.
            MacroDownturn => Copy(s, s.Factor ?? "macro", from, s.ToYear, s.ToYear is null ? s.Years ?? 2 : null, s.Shift ?? -1.5),
            SectorCrash => Copy(s, s.Factor, from, s.ToYear, s.ToYear is null ? s.Years ?? 1 : null, s.Shift ?? -2.5),
            ExitsDelayed => Copy(s, null, null, null, s.Years ?? 2, null),
            WriteOffsUp => Copy(s, null, null, null, null, null, points: s.Points ?? 0.1),
            _ => Copy(s, null, null, null, null, null, multiplier: s.Multiplier ?? 1.5),
        };
    }

    private static StressSpec Copy(StressSpec s, string? factor, int? from, int? to, int? years, double? shift, double? points = null, double? multiplier = null) => new()
    {
        Use = s.Use, Factor = factor, FromYear = from, ToYear = to, Years = years, Shift = shift,
        Points = points, Multiplier = multiplier, Funds = s.Funds, Guarantees = s.Guarantees, Description = s.Description,
    };

    /// <summary>Checks a stress entry; <paramref name="add"/> receives (path, message).</summary>
    internal static void Validate(StressSpec s, string path, ISet<string> factors, ISet<string> funds, ISet<string> guarantees, Action<string, string> add)
    {
        void Forbid(string field, object? value, string why)
        {
            if (value is not null) add($"{path}.{field}", $"'{field}' does not apply to {why}; remove it");
        }
        void CheckNames(List<string>? names, ISet<string> known, string field, string what)
        {
            for (int i = 0; i < (names?.Count ?? 0); i++)
            {
                if (!known.Contains(names![i]))
                    add($"{path}.{field}[{i}]", $"unknown {what} '{names[i]}'{SpecBinder.Suggest(names[i], known)}; declared: {(known.Count == 0 ? "(none)" : string.Join(", ", known))}");
            }
        }

        if (s.Use is { } use && !Names.Contains(use))
        {
            add($"{path}.use", $"unknown library stress '{use}'{SpecBinder.Suggest(use, Names)}; allowed: {string.Join(", ", Names)}");
            return;
        }
        if (s.Use is null)
        {
            if (s.Factor is null) add(path, "missing required field 'factor' (or name a library stress with \"use\")");
            if (s.FromYear is null) add(path, "missing required field 'fromYear'");
            if (s.Shift is null) add(path, "missing required field 'shift'");
        }
        if (IsFactorStress(s))
        {
            var filled = Fill(s);
            if (filled.Factor is null && s.Use == SectorCrash) add(path, "missing required field 'factor': a sector crash names the sector's factor");
            if (filled.Factor is { } f && !factors.Contains(f))
                add($"{path}.factor", $"unknown factor '{f}'{SpecBinder.Suggest(f, factors)}; declared factors: {(factors.Count == 0 ? "(none; declare them under \"factors\")" : string.Join(", ", factors))}");
            if (filled.ToYear is { } to && filled.FromYear is { } from && to < from)
                add($"{path}.toYear", $"value {to} is before fromYear {from}; toYear must be ≥ fromYear");
            if (s.Use is not null && s.ToYear is not null && s.Years is not null)
                add(path, "give either years or toYear for a library stress, not both");
            Forbid("points", s.Points, "factor stresses");
            Forbid("multiplier", s.Multiplier, "factor stresses");
            Forbid("funds", s.Funds, "factor stresses (they hit every item exposed to the factor)");
            Forbid("guarantees", s.Guarantees, "factor stresses (they hit every item exposed to the factor)");
            if (s.Use is null) Forbid("years", s.Years, "hand-written shifts (use toYear)");
            return;
        }
        Forbid("factor", s.Factor, s.Use!);
        Forbid("fromYear", s.FromYear, s.Use!);
        Forbid("toYear", s.ToYear, s.Use!);
        Forbid("shift", s.Shift, s.Use!);
        if (s.Use != WriteOffsUp) Forbid("points", s.Points, s.Use!);
        if (s.Use != DefaultRatesUp) Forbid("multiplier", s.Multiplier, s.Use!);
        if (s.Use != ExitsDelayed) Forbid("years", s.Years, s.Use!);
        if (s.Use == DefaultRatesUp) Forbid("funds", s.Funds, s.Use!);
        else Forbid("guarantees", s.Guarantees, s.Use!);
        CheckNames(s.Funds, funds, "funds", "fund");
        CheckNames(s.Guarantees, guarantees, "guarantees", "guarantee");
    }

    /// <summary>A one-line description of a filled stress, for reports.</summary>
    public static string Describe(StressSpec s)
    {
        var inv = CultureInfo.InvariantCulture;
        return s.Use switch
        {
            null or MacroDownturn or SectorCrash => string.Create(inv, $"{s.Use ?? "shift"}: {s.Factor} {s.Shift:+0.##;-0.##} sd in years {s.FromYear}–{LastYear(s)}"),
            ExitsDelayed => string.Create(inv, $"exits delayed by {s.Years} years"),
            WriteOffsUp => string.Create(inv, $"write-offs up by {s.Points * 100:0.#} points"),
            _ => string.Create(inv, $"PDs × {s.Multiplier}"),
        };
    }
}
