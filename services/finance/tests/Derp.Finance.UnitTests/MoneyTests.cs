using Derp.Finance.Api.Services;

namespace Derp.Finance.UnitTests;

public sealed class MoneyTests
{
    [Theory]
    // amount, price, paid so far -> applied, overpaid
    [InlineData(3_000, 3_000, 0, 3_000, 0)] // exact
    [InlineData(1_000, 3_000, 0, 1_000, 0)] // partial
    [InlineData(2_000, 3_000, 1_000, 2_000, 0)] // partial payments add up to exact
    [InlineData(2_500, 3_000, 1_000, 2_000, 500)] // the second partial overshoots
    [InlineData(5_000, 3_000, 0, 3_000, 2_000)] // over
    [InlineData(700, 3_000, 3_000, 0, 700)] // nothing due: all of it is overpaid
    [InlineData(700, 0, 0, 0, 700)] // a free plan takes nothing
    [InlineData(0, 3_000, 0, 0, 0)]
    [InlineData(long.MaxValue, 100_000_000, 0, 100_000_000, long.MaxValue - 100_000_000)] // big values do not overflow
    public void An_amount_splits_into_what_the_order_takes_and_the_overpayment(long amount, long price, long paid, long applied, long overpaid)
    {
        var split = Money.Split(amount, price, paid);

        split.ShouldBe(new PaymentSplit(applied, overpaid));
        (split.AppliedCents + split.OverpaidCents).ShouldBe(amount);
    }

    [Fact]
    public void A_split_of_a_negative_amount_is_refused() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Money.Split(-1, 100, 0));

    [Theory]
    [InlineData("12.34", 1_234)]
    [InlineData("12.3", 1_230)]
    [InlineData("12", 1_200)]
    [InlineData("0.01", 1)]
    [InlineData("0.10", 10)]
    [InlineData("0", 0)]
    [InlineData("007.05", 705)]
    [InlineData("100000000000.00", 10_000_000_000_000)]
    public void Yuan_strings_parse_to_exact_fen(string text, long cents)
    {
        Money.TryParseYuan(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(cents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-1.00")] // negative
    [InlineData("+1.00")]
    [InlineData("12.345")] // a fraction of a fen is refused, not rounded
    [InlineData("0.001")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData(" 12.34")]
    [InlineData("12.34 ")]
    [InlineData("1,000.00")]
    [InlineData("1e3")]
    [InlineData("12.3a")]
    [InlineData("١٢")] // non-ASCII digits
    [InlineData("100000000000.01")] // above the maximum
    [InlineData("99999999999999999999")] // would overflow
    public void Bad_yuan_strings_are_refused(string? text)
    {
        Money.TryParseYuan(text, out var parsed).ShouldBeFalse();
        parsed.ShouldBe(0);
    }

    [Theory]
    [InlineData(1_234, "12.34")]
    [InlineData(5, "0.05")]
    [InlineData(0, "0.00")]
    [InlineData(28_000, "280.00")]
    [InlineData(10_000_000_000_000, "100000000000.00")]
    public void Fen_format_as_yuan_with_two_decimals_and_parse_back(long cents, string text)
    {
        Money.FormatYuan(cents).ShouldBe(text);
        Money.TryParseYuan(text, out var back).ShouldBeTrue();
        back.ShouldBe(cents);
    }
}
