using Derp.Finance.Api.Services.Payments;

namespace Derp.Finance.UnitTests;

public sealed class PaymentsYuanAmountTests
{
    [Theory]
    [InlineData("30.00", 3000)]
    [InlineData("30.1", 3010)]
    [InlineData("30.10", 3010)]
    [InlineData("30", 3000)]
    [InlineData("0.01", 1)]
    [InlineData("0.1", 10)]
    [InlineData("0", 0)]
    [InlineData("007.05", 705)]
    [InlineData("999999999999.99", 99_999_999_999_999)]
    public void Yuan_text_becomes_exact_fen(string yuan, long fen)
    {
        YuanAmounts.TryParseToFen(yuan, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(fen);
    }

    [Theory]
    [InlineData("30.001")]
    [InlineData("0.005")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("30.")]
    [InlineData(".5")]
    [InlineData("-1.00")]
    [InlineData("+1.00")]
    [InlineData("1e3")]
    [InlineData(" 30.00")]
    [InlineData("30.00 ")]
    [InlineData("3,000.00")]
    [InlineData("30.0.0")]
    [InlineData("３０.00")]
    [InlineData("1000000000000.00")]
    public void Anything_else_is_not_an_amount(string? yuan)
    {
        YuanAmounts.TryParseToFen(yuan, out var parsed).ShouldBeFalse();
        parsed.ShouldBeNull();
    }

    [Fact]
    public void Alipay_times_are_Beijing_time()
    {
        AlipayProvider.TryParseChinaTime("2026-11-23 07:59:59", out var time).ShouldBeTrue();
        time.ShouldBe(new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero));
        AlipayProvider.TryParseChinaTime("2026-11-23", out _).ShouldBeFalse();
        AlipayProvider.TryParseChinaTime("23/11/2026 07:59:59", out _).ShouldBeFalse();
    }
}
