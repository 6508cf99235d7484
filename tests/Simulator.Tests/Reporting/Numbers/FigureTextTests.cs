using Simulator.Core.Instruments;
using Simulator.Reporting.Numbers;

namespace Simulator.Tests.Reporting.Numbers;

/// <summary>How a figure reads on the console, on the charts and in the report: one rounding rule for all three.</summary>
public class FigureTextTests
{
    [TestCase(0.0562, "5.62%")]
    [TestCase(0.0, "0.00%")]
    [TestCase(1.0, "100.00%")]
    // 0.02675 is 1,070 breaches in 40,000 trials; the double lies a hair below it, and "F2" wrote 2.67% while the
    // charts' "0.00" wrote 2.68%. The CSV shows 0.02675, which a reader rounds to 2.68%.
    [TestCase(0.02675, "2.68%")]
    [TestCase(0.00093, "0.093%")]
    [TestCase(0.000042, "0.0042%")]
    [TestCase(0.99999, "99.9990%")]
    [TestCase(double.NaN, "n/a")]
    public void Probability_Value_TwoDecimalsOrTwoSignificantDigits(double p, string expected) =>
        Assert.That(FigureText.Probability(p), Is.EqualTo(expected));

    [TestCase(0.0562, 2, "5.62%")]
    [TestCase(0.0, 2, "0.00%")]
    [TestCase(0.00003, 2, "0.0030%")]
    [TestCase(1.0, 2, "100.00%")]
    [TestCase(-0.0123, 1, "-1.2%")]
    [TestCase(0.21285, 1, "21.3%")]
    public void Percent_Fraction_InvariantWithDigitsForTinyValues(double x, int decimals, string expected) =>
        Assert.That(FigureText.Percent(x, decimals), Is.EqualTo(expected));

    [TestCase(0.8, "80%")]
    [TestCase(0.6752357868813532, "67.5%")]
    [TestCase(1.0, "100%")]
    [TestCase(0.05, "5%")]
    public void Tolerance_Setting_AtMostOneDecimal(double x, string expected) => Assert.That(FigureText.Tolerance(x), Is.EqualTo(expected));

    [Test]
    public void Money_Amounts_MillionCnyOneDecimalGroupedTinyValuesKeepTwoDigits()
    {
        Assert.That(FigureText.Money(1_234_567_890), Is.EqualTo("1,234.6"));
        Assert.That(FigureText.Money(20_000), Is.EqualTo("0.020"), "a small non-zero amount is not shown as 0.0");
        Assert.That(FigureText.Money(350_000), Is.EqualTo("0.35"));
        Assert.That(FigureText.Money(-50_450_000), Is.EqualTo("-50.5"), "half away from zero");
        Assert.That(FigureText.Money(-20_000), Is.EqualTo("-0.020"));
        Assert.That(FigureText.Money(0), Is.EqualTo("0.0"));
        Assert.That(FigureText.MoneyWithUnit(50_000_000), Is.EqualTo("50.0 million CNY"));
    }

    [Test]
    public void Leverage_AndMultiple_AsDocumented()
    {
        Assert.That(FigureText.Leverage(double.PositiveInfinity), Is.EqualTo("∞"));
        Assert.That(FigureText.Leverage(194.26), Is.EqualTo("194.3×"));
        Assert.That(FigureText.Leverage(1234.56), Is.EqualTo("1,234.6×"));
        Assert.That(FigureText.Multiple(1.5670362563414477), Is.EqualTo("1.57×"));
    }

    [Test]
    public void Difference_WithStandardError_BothToTheErrorsFirstDigit()
    {
        // The console printed "-6.4 ± 0.0M" for a standard error of 0.045 million (issue 18, item 17).
        Assert.That(FigureText.Difference(FigureUnit.Money, -6.4e6, 0.045e6), Is.EqualTo("-6.40 ± 0.05"));
        Assert.That(FigureText.Difference(FigureUnit.Money, 13.93e6, 0.1e6), Is.EqualTo("+13.9 ± 0.1"));
        Assert.That(FigureText.Difference(FigureUnit.Probability, 0.0080, 0.0008), Is.EqualTo("+0.80 ± 0.08 pt"));
        Assert.That(FigureText.Difference(FigureUnit.Probability, 0.0, 0.0), Is.EqualTo("0.00 ± 0.00 pt"), "no sign on zero");
        Assert.That(FigureText.Difference(FigureUnit.Probability, -0.00001, 0.0002), Is.EqualTo("0.00 ± 0.02 pt"),
            "a difference smaller than its error's last digit reads as zero, without a sign");
        Assert.That(FigureText.Difference(FigureUnit.Probability, 0.0123, double.NaN), Is.EqualTo("+1.23 pt ± n/a"));
        Assert.That(FigureText.MoneyWithError(-50.43e6, 1.26e6), Is.EqualTo("-50.4 ± 1.3"));
    }

    [Test]
    public void Difference_WithoutError_SignedWithUnit()
    {
        Assert.That(FigureText.Difference(FigureUnit.Probability, -0.01005), Is.EqualTo("-1.01 pt"));
        Assert.That(FigureText.Difference(FigureUnit.LossRatio, 0.00001), Is.EqualTo("+0.0010 pt"), "never a non-zero change shown as zero");
        Assert.That(FigureText.Difference(FigureUnit.Ratio, 40.84), Is.EqualTo("+40.8×"));
        Assert.That(FigureText.Difference(FigureUnit.Money, double.NaN), Is.EqualTo("n/a"));
        Assert.That(FigureText.SignedPercent(-0.5), Is.EqualTo("-50.0%"));
    }
}
