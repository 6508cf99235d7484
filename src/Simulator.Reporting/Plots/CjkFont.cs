using SkiaSharp;

namespace Simulator.Reporting.Plots;

/// <summary>
/// Finds a font that can draw Chinese titles. ScottPlot's own detection (<c>Fonts.Detect</c>) relies on
/// <c>SKFontManager.MatchCharacter</c>, which returns null in the SkiaSharp build we ship with, so titles would
/// silently render as boxes; we look the family up by name instead.
/// </summary>
internal static class CjkFont
{
    /// <summary>Families tried first, simplified-Chinese faces before Japanese and traditional ones so that
    /// shared Han characters take their mainland glyph shapes.</summary>
    private static readonly string[] Preferred =
    [
        "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
        "Noto Sans CJK JP", "Noto Sans CJK TC",
    ];

    /// <summary>What the user should do when Chinese text cannot be drawn.</summary>
    internal const string MissingWarning =
        "No CJK font installed; Chinese titles will render as boxes. Install one with: apt-get install -y fonts-noto-cjk";

    // Enumerating the system fonts costs tens of milliseconds; the answer cannot change within a run.
    private static readonly Lazy<string?> family = new(Find, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The family to use for CJK text, or null when none is installed.</summary>
    internal static string? Family => family.Value;

    /// <summary>Whether <paramref name="text"/> holds characters the default Latin font cannot draw.</summary>
    internal static bool NeedsCjk(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        foreach (char c in text)
        {
            if (c is >= '\u2E80' and <= '\u9FFF'      // radicals, CJK punctuation, kana, Han (incl. extension A)
                or >= '\uAC00' and <= '\uD7AF'        // Hangul
                or >= '\uF900' and <= '\uFAFF'        // compatibility ideographs
                or >= '\uFE30' and <= '\uFE4F'        // vertical-form punctuation
                or >= '\uFF00' and <= '\uFFEF'        // full-width forms, e.g. the Chinese parentheses （）
                or >= '\uD840' and <= '\uD87F')       // high surrogates of the supplementary ideograph planes
                return true;
        }
        return false;
    }

    /// <summary>
    /// How many pixels higher than a Latin face ScottPlot draws the CJK face at <paramref name="size"/>. ScottPlot
    /// puts the baseline at the font's bounding-box bottom, far below the glyphs in Noto Sans CJK (it covers
    /// every script), so unrotated Chinese text is shifted down by this much to sit where Latin text would.
    /// </summary>
    internal static float BaselineDrift(string cjkFamily, string? latinFamily, float size)
    {
        static float Excess(string? family, float size)
        {
            if (family is null) return 0;
            using var typeface = SKTypeface.FromFamilyName(family);
            using var font = new SKFont(typeface, size);
            var m = font.Metrics;
            return m.Bottom - m.Descent;
        }
        return Math.Max(0, Excess(cjkFamily, size) - Excess(latinFamily, size));
    }

    private static string? Find()
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string name in Preferred)
            if (installed.TryGetValue(name, out string? actual)) return actual;

        // Any other face that has Han glyphs beats boxes; sorted so the pick does not depend on the order
        // fontconfig happens to list families in.
        foreach (string name in installed.Order(StringComparer.Ordinal))
        {
            using var typeface = SKTypeface.FromFamilyName(name);
            if (typeface is not null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase)
                && typeface.ContainsGlyph('汉') && typeface.ContainsGlyph('武'))
                return name;
        }
        return null;
    }
}
