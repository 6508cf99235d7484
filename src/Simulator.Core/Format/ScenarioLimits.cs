using System.Globalization;

namespace Simulator.Core.Format;

/// <summary>
/// Sizes a scenario may not exceed. Each is far above what a real programme needs, and each keeps hostile or
/// mistaken input from costing minutes or gigabytes before anything useful happens: validation refuses larger
/// input up front, with the count and the limit, instead of hanging or failing halfway through a run.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>Characters of a name (scenario, fund, guarantee, factor, outcome model, variant): names become folder
    /// and file names, which the file system limits to 255 bytes.</summary>
    public const int NameLength = 64;

    /// <summary>Characters of a title.</summary>
    public const int TitleLength = 200;

    /// <summary>Characters of any other string (descriptions, paths).</summary>
    public const int TextLength = 10_000;

    /// <summary>Items of a list of thresholds (<c>report.lossRatios</c>, <c>report.exceedance</c>), rows of a table
    /// distribution, and values of one swept path.</summary>
    public const int ListItems = 1_000;

    /// <summary>Factors of a scenario (and so entries of an exposure): each is drawn for every year of every trial.</summary>
    public const int Factors = 100;

    /// <summary>Items of any other list or object of the format (funds, guarantees, stresses, outcome models, variants,
    /// settings of a variant, swept paths).</summary>
    public const int OtherItems = 1_000;

    /// <summary>Errors listed for one file; the rest are counted. A file with more has a systematic mistake to fix first.</summary>
    public const int ErrorsListed = 1_000;

    /// <summary>Variants of one file: <c>variants</c>, every combination of <c>sweep</c> and two per sensitivity input.</summary>
    public const int Variants = 1_000;

    /// <summary>Projects of one trial: the sum of every fund's <c>deals</c>. Real programmes hold thousands; 100 funds of
    /// 100,000 deals (10 million) would run for hours.</summary>
    public const int ProjectsPerTrial = 1_000_000;

    /// <summary>Loans of one trial, over all schemes: <c>perYear × years</c> of generated books plus the rows of loan tapes.</summary>
    public const int LoansPerTrial = 10_000_000;

    /// <summary>Characters of a value quoted in a message; longer values are cut with "…".</summary>
    public const int QuotedValue = 40;

    /// <summary><paramref name="text"/> cut to <see cref="QuotedValue"/> characters, for messages.</summary>
    public static string Quote(string text)
    {
        if (text.Length <= QuotedValue) return text;
        int cut = QuotedValue - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--; // never half a character
        return text[..cut] + "…";
    }

    /// <summary>An integer with thousands separators (10,000,000), for messages.</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
