using Derp.Finance.Api.Services.Payments;

namespace Derp.Finance.UnitTests;

/// <summary>Alipay's amounts are parsed by <see cref="Derp.Finance.Api.Services.Money"/> (MoneyTests); its times are its own.</summary>
public sealed class PaymentsAlipayTimeTests
{
    [Fact]
    public void Alipay_times_are_Beijing_time()
    {
        AlipayProvider.TryParseChinaTime("2026-11-23 07:59:59", out var time).ShouldBeTrue();
        time.ShouldBe(new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero));
        AlipayProvider.TryParseChinaTime("2026-11-23", out _).ShouldBeFalse();
        AlipayProvider.TryParseChinaTime("23/11/2026 07:59:59", out _).ShouldBeFalse();
    }
}
