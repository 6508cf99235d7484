using System.Globalization;
using System.Numerics;
using System.Text;
using Simulator.Core.Instruments;

namespace Simulator.Reporting.Numbers;

/// <summary>
/// How a figure reads in every human-readable output: the console, the charts and report.html. Each unit has one
/// precision (a probability in percent with two decimals, a loss ratio with one, an amount in million CNY with one,
/// …), and every output takes its text from here, so one figure never reads 2.67% in a table and 2.68% on the chart
/// above it. The CSV files and summary.json keep full round-trip precision (<see cref="Formats.Number"/>).
/// </summary>
/// <remarks>
/// Rounding works on the shortest decimal that reads back as the double, the number the CSV shows, rounded half away
/// from zero: 0.02675 reads 2.68% (as a reader rounding the CSV's 0.02675 would write it), although the double
/// closest to 0.02675 lies a hair below it. .NET's own formats disagree with each other here ("F2" rounds the exact
/// binary value, custom formats like "0.00" round 15 significant digits first), which is how the outputs drifted.
/// A non-zero value is never shown as zero: where the unit's decimals would round it away it gets two significant
/// digits (0.0042%), since "0.00%" next to an event that did happen tells a reader it never does. With a standard
/// error, the value is shown to the decimal of the error's first significant digit, so "−6.4 ± 0.0" cannot happen.
/// </remarks>
public static class FigureText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Shown for a figure that is undefined (NaN).</summary>
    public const string NotAvailable = "n/a";

    /// <summary>CNY per unit of <see cref="MoneyUnit"/>, the unit of every amount shown.</summary>
    public const double Million = 1e6;

    /// <summary>The unit every amount is shown in.</summary>
    public const string MoneyUnit = "million CNY";

    /// <summary>The most decimals a figure gets (two significant digits of a tiny probability).</summary>
    private const int MaxDecimals = 12;

    /// <summary>How a unit is shown: its power-of-ten scale, decimals of a value and of a difference, suffixes, grouping.</summary>
    private sealed record Style(int Scale, int Decimals, int DiffDecimals, string Suffix, string DiffSuffix, bool Grouped);

    private static readonly Style ProbabilityStyle = new(2, 2, 2, "%", " pt", false);
    private static readonly Style ShareStyle = new(2, 1, 2, "%", " pt", false);
    private static readonly Style MoneyStyle = new(-6, 1, 1, "", "", true);
    private static readonly Style LeverageStyle = new(0, 1, 1, "×", "×", true);
    private static readonly Style MultipleStyle = new(0, 2, 2, "×", "×", true);

    private static Style StyleOf(FigureUnit unit) => unit switch
    {
        FigureUnit.Probability => ProbabilityStyle,
        FigureUnit.LossRatio or FigureUnit.Rate => ShareStyle,
        FigureUnit.Money => MoneyStyle,
        FigureUnit.Multiple => MultipleStyle,
        _ => LeverageStyle,
    };

    /// <summary>A probability in percent with two decimals (5.62%, 0.093%); near 100% enough to tell it from 100%.</summary>
    public static string Probability(double p)
    {
        string text = Value(p, ProbabilityStyle);
        // 0.99999 would round to "100.00%", which reads as certain: give the distance to 100% its own digits.
        if (p < 1 && text == "100.00%") return Fixed(p, 2, Math.Min(MaxDecimals, 1 - DistanceToOneMagnitude(p) - 2), false, false) + "%";
        return text;
    }

    /// <summary>⌊log10 (1 − p)⌋ for 0 &lt; p &lt; 1, from p's shortest decimal (1 − p in doubles loses the digits that matter).</summary>
    private static int DistanceToOneMagnitude(double p)
    {
        var (digits, exponent) = Ryu.Double(p);
        // p = digits · 10^exponent with exponent < 0, so 1 − p = (10^−exponent − digits) · 10^exponent exactly.
        var distance = BigInteger.Pow(10, -exponent) - digits;
        return distance.ToString(Invariant).Length - 1 + exponent;
    }

    /// <summary>A share of a figure's kind in percent with one decimal: a loss ratio, an IRR, a share of trials (21.3%).</summary>
    public static string Ratio(double share) => Value(share, ShareStyle);

    /// <summary>A share in percent with <paramref name="decimals"/> decimals (at least two significant digits).</summary>
    public static string Percent(double share, int decimals) => Value(share, ShareStyle with { Decimals = decimals });

    /// <summary>A setting given as a share, such as a tolerance or a contract share: as many decimals as it has, at most one (80%, 67.5%).</summary>
    public static string Tolerance(double share) =>
        double.IsNaN(share) ? NotAvailable : TrimZeros(Fixed(share, 2, 1, false, false)) + "%";

    /// <summary>An amount in CNY as million CNY, one decimal, thousands separators (4,161.4; 0.35); no unit.</summary>
    public static string Money(double cny) => Value(cny, MoneyStyle);

    /// <summary>"209.8 million CNY".</summary>
    public static string MoneyWithUnit(double cny) => $"{Money(cny)} {MoneyUnit}";

    /// <summary>A net multiple of the money paid in (1.57×).</summary>
    public static string Multiple(double x) => Value(x, MultipleStyle);

    /// <summary>Fiscal leverage: guaranteed amount per yuan of government cost (191.7×); ∞ when the government never pays.</summary>
    public static string Leverage(double x) => Value(x, LeverageStyle);

    /// <summary>A count or mean count, with thousands separators and up to one decimal (1,234.5).</summary>
    public static string Count(double x) => double.IsNaN(x) ? NotAvailable : TrimZeros(Fixed(x, 0, 1, true, false));

    /// <summary>An integer with thousands separators (100,000).</summary>
    public static string Integer(long n) => n.ToString("N0", Invariant);

    /// <summary>A key figure's value in its unit (money without its unit).</summary>
    public static string Value(FigureUnit unit, double x) => unit == FigureUnit.Probability ? Probability(x) : Value(x, StyleOf(unit));

    /// <summary>
    /// A difference of a key figure, signed: "+0.52 pt" for shares (percentage points), "-99.1" for money, "+40.8×"
    /// for ratios; zero without a sign.
    /// </summary>
    public static string Difference(FigureUnit unit, double diff)
    {
        var style = StyleOf(unit);
        if (!double.IsFinite(diff)) return NotAvailable;
        return Fixed(diff, style.Scale, SignificantDecimals(diff, style.Scale, style.DiffDecimals), style.Grouped, true) + style.DiffSuffix;
    }

    /// <summary>"+0.52 ± 0.10 pt": a difference and its standard error, both to the decimal of the error's first digit.</summary>
    public static string Difference(FigureUnit unit, double diff, double standardError)
    {
        var style = StyleOf(unit);
        if (!double.IsFinite(diff)) return NotAvailable;
        if (!double.IsFinite(standardError)) return $"{Difference(unit, diff)} ± {NotAvailable}";
        int decimals = ErrorDecimals(diff, standardError, style.Scale, style.DiffDecimals);
        return $"{Fixed(diff, style.Scale, decimals, style.Grouped, true)} ± {Fixed(standardError, style.Scale, decimals, style.Grouped, false)}{style.DiffSuffix}";
    }

    /// <summary>An unsigned spread of a key figure in the unit of its differences ("0.16 pt", "2.1"), e.g. half a confidence interval.</summary>
    public static string Spread(FigureUnit unit, double x)
    {
        var style = StyleOf(unit);
        if (!double.IsFinite(x)) return NotAvailable;
        return Fixed(x, style.Scale, SignificantDecimals(x, style.Scale, style.DiffDecimals), style.Grouped, false) + style.DiffSuffix;
    }

    /// <summary>An amount in CNY and its standard error in million CNY: "-50.4 ± 1.3".</summary>
    public static string MoneyWithError(double cny, double standardError)
    {
        if (double.IsNaN(cny)) return NotAvailable;
        if (!double.IsFinite(standardError)) return Money(cny);
        int decimals = ErrorDecimals(cny, standardError, MoneyStyle.Scale, MoneyStyle.Decimals);
        return $"{Fixed(cny, MoneyStyle.Scale, decimals, true, false)} ± {Fixed(standardError, MoneyStyle.Scale, decimals, true, false)}";
    }

    /// <summary>A share's change relative to a base, in percent with one decimal and a sign: "+12.5%".</summary>
    public static string SignedPercent(double share) =>
        double.IsFinite(share) ? Fixed(share, 2, SignificantDecimals(share, 2, 1), false, true) + "%" : NotAvailable;

    private static string Value(double x, Style style)
    {
        if (double.IsNaN(x)) return NotAvailable;
        if (double.IsInfinity(x)) return x < 0 ? "-∞" : "∞";
        return Fixed(x, style.Scale, SignificantDecimals(x, style.Scale, style.Decimals), style.Grouped, false) + style.Suffix;
    }

    /// <summary>At least <paramref name="decimals"/>, more where they are needed for two significant digits.</summary>
    private static int SignificantDecimals(double x, int scale, int decimals) =>
        x == 0 || !double.IsFinite(x) ? decimals : Math.Clamp(1 - Magnitude(x, scale), decimals, Math.Max(decimals, MaxDecimals));

    /// <summary>The decimals of a value shown with its standard error: the error's first significant digit, at least the unit's.</summary>
    private static int ErrorDecimals(double value, double error, int scale, int decimals)
    {
        if (error == 0) return SignificantDecimals(value, scale, decimals);
        return Math.Clamp(-Magnitude(error, scale), decimals, Math.Max(decimals, MaxDecimals));
    }

    /// <summary>⌊log10 |x · 10^scale|⌋ of a finite non-zero x, exact (from its shortest decimal, not a floating log).</summary>
    private static int Magnitude(double x, int scale)
    {
        var (digits, exponent) = Ryu.Double(x);
        return Digits(digits) - 1 + exponent + scale;
    }

    private static int Digits(ulong n)
    {
        int count = 1;
        while (n >= 10)
        {
            n /= 10;
            count++;
        }
        return count;
    }

    /// <summary>
    /// x · 10^<paramref name="scale"/> with <paramref name="decimals"/> decimals: the shortest round-trip decimal of x,
    /// rounded half away from zero; a sign only on a non-zero result ('+' when <paramref name="plus"/>).
    /// </summary>
    private static string Fixed(double x, int scale, int decimals, bool grouped, bool plus)
    {
        if (double.IsNaN(x)) return NotAvailable;
        if (double.IsInfinity(x)) return x < 0 ? "-∞" : "∞";
        var (digits, exponent) = x == 0 ? (0UL, 0) : Ryu.Double(x);
        // The value in units of 10^-decimals is digits · 10^shift.
        int shift = exponent + scale + decimals;
        BigInteger units;
        if (shift >= 0) units = digits * BigInteger.Pow(10, shift);
        else if (-shift > 18) units = BigInteger.Zero; // digits < 10^17: below half a unit
        else
        {
            ulong power = (ulong)BigInteger.Pow(10, -shift);
            units = digits / power + (digits % power >= power - digits % power ? 1UL : 0UL);
        }
        string text = units.ToString(Invariant).PadLeft(decimals + 1, '0');
        string whole = text[..^decimals], fraction = decimals > 0 ? text[^decimals..] : "";
        var sb = new StringBuilder(text.Length + 8);
        if (!units.IsZero) sb.Append(x < 0 ? "-" : plus ? "+" : "");
        if (grouped)
        {
            for (int i = 0; i < whole.Length; i++)
            {
                if (i > 0 && (whole.Length - i) % 3 == 0) sb.Append(',');
                sb.Append(whole[i]);
            }
        }
        else
        {
            sb.Append(whole);
        }
        if (decimals > 0) sb.Append('.').Append(fraction);
        return sb.ToString();
    }

    /// <summary>"80.0" → "80", "67.5" stays.</summary>
    private static string TrimZeros(string text) => text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
}
