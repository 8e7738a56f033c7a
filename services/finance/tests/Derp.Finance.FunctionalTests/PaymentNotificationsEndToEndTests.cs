using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Tests.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>
/// A verified notification pays the order named by out_trade_no once, through OrderPayments (the same path as an admin's
/// confirmation): the provider's retry of it changes nothing, and a payment for an order we never issued is refused so
/// the provider keeps retrying while an operator looks (ADR-018).
/// </summary>
public sealed class PaymentNotificationsEndToEndTests(ProvidersFinanceApiFactory factory) : IClassFixture<ProvidersFinanceApiFactory>
{
    private const long PriceCents = 3000;

    private async Task<Order> PendingOrderAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        var now = factory.Clock.GetUtcNow();
        var plan = new Plan
        {
            Id = Guid.NewGuid(), NameZh = "30 天", NameEn = "30 days", DurationDays = 30, PriceCents = PriceCents, Currency = Currencies.Cny,
            TrafficQuotaGb = 300, Sell = true, Renew = true, Version = 1, CreatedAt = now, UpdatedAt = now,
        };
        var userId = Guid.NewGuid();
        var order = new Order
        {
            Id = Guid.NewGuid(),
            Number = "N" + WeChatPayTestSigner.RandomText(12).ToUpperInvariant(),
            UserId = userId,
            PlanId = plan.Id,
            PlanNameZh = plan.NameZh,
            PlanNameEn = plan.NameEn,
            DurationDays = plan.DurationDays,
            TrafficQuotaGb = plan.TrafficQuotaGb,
            Type = OrderTypes.New,
            Status = OrderStatuses.PendingPayment,
            PriceCents = PriceCents,
            Currency = Currencies.Cny,
            Memo = WeChatPayTestSigner.RandomText(6).ToUpperInvariant(),
            InstructionsJson = "{}",
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(30),
        };
        db.Plans.Add(plan);
        db.Renters.Add(new Renter { UserId = userId, Email = $"{userId:N}@example.com", UpdatedAt = now });
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return order;
    }

    private async Task<(Order Order, List<Payment> Payments)> ReadAsync(Guid orderId, string channel, string reference)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId);
        var payments = await db.Payments.AsNoTracking().Where(p => p.Channel == channel && p.Reference == reference).ToListAsync();
        return (order, payments);
    }

    [Fact]
    public async Task A_verified_Alipay_notification_pays_the_order_once_however_often_it_is_sent()
    {
        var order = await PendingOrderAsync();
        var tradeNo = "2026112322001" + WeChatPayTestSigner.RandomText(8);
        var body = factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade(order.Number, tradeNo, totalAmount: "30.00", gmtPayment: "2026-11-23 11:00:05"));
        var duplicatesBefore = await factory.NotificationsCountedAsync("alipay", "duplicate");

        var first = await factory.PostAlipayAsync(body);
        var again = await factory.PostAlipayAsync(body);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await first.Content.ReadAsStringAsync()).ShouldBe("success");
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldBe("success");
        var (paid, payments) = await ReadAsync(order.Id, PaymentChannels.Alipay, tradeNo);
        paid.Status.ShouldBe(OrderStatuses.Paid);
        paid.PaidCents.ShouldBe(PriceCents);
        var payment = payments.ShouldHaveSingleItem();
        payment.OrderId.ShouldBe(order.Id);
        payment.AmountCents.ShouldBe(PriceCents);
        payment.ReceivedAt.ShouldBe(new DateTimeOffset(2026, 11, 23, 3, 0, 5, TimeSpan.Zero));
        (await factory.NotificationsCountedAsync("alipay", "duplicate")).ShouldBeGreaterThan(duplicatesBefore);
    }

    [Fact]
    public async Task A_verified_WeChat_Pay_notification_pays_the_order_once_however_often_it_is_sent()
    {
        var order = await PendingOrderAsync();
        var transactionId = "42000012342026112" + WeChatPayTestSigner.RandomText(8);
        var body = factory.WeChat.Body(WeChatPayTestSigner.Transaction(order.Number, transactionId, totalFen: PriceCents));

        // WeChat Pay retries with fresh headers over the same body; within 5 minutes a replay is harmless.
        var first = await factory.PostWeChatAsync(body, factory.WeChat.Headers(body, factory.Clock.GetUtcNow()));
        var again = await factory.PostWeChatAsync(body, factory.WeChat.Headers(body, factory.Clock.GetUtcNow().AddMinutes(-4)));

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (paid, payments) = await ReadAsync(order.Id, PaymentChannels.WeChatPay, transactionId);
        paid.Status.ShouldBe(OrderStatuses.Paid);
        paid.PaidCents.ShouldBe(PriceCents);
        payments.ShouldHaveSingleItem().OrderId.ShouldBe(order.Id);
    }

    [Fact]
    public async Task A_transaction_id_seen_before_with_another_amount_changes_nothing_and_is_counted()
    {
        var order = await PendingOrderAsync();
        var tradeNo = "2026112322001" + WeChatPayTestSigner.RandomText(8);
        var before = await factory.NotificationsCountedAsync("alipay", "conflicting_duplicate");

        var first = await factory.PostAlipayAsync(factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade(order.Number, tradeNo, totalAmount: "10.00")));
        var other = await factory.PostAlipayAsync(factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade(order.Number, tradeNo, totalAmount: "20.00")));

        (await first.Content.ReadAsStringAsync()).ShouldBe("success");
        (await other.Content.ReadAsStringAsync()).ShouldBe("success");
        var (partlyPaid, payments) = await ReadAsync(order.Id, PaymentChannels.Alipay, tradeNo);
        payments.ShouldHaveSingleItem().AmountCents.ShouldBe(1000);
        partlyPaid.PaidCents.ShouldBe(1000);
        partlyPaid.Status.ShouldBe(OrderStatuses.PendingPayment);
        (await factory.NotificationsCountedAsync("alipay", "conflicting_duplicate")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task A_verified_payment_for_an_order_we_never_issued_is_refused_so_the_provider_retries()
    {
        var before = await factory.NotificationsCountedAsync("alipay", "order_not_found");

        var alipay = await factory.PostAlipayAsync(factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade("NO-SUCH-ORDER", "T-NO-ORDER")));
        var wechatBody = factory.WeChat.Body(WeChatPayTestSigner.Transaction("NO-SUCH-ORDER", "W-NO-ORDER"));
        var wechat = await factory.PostWeChatAsync(wechatBody, factory.WeChat.Headers(wechatBody, factory.Clock.GetUtcNow()));

        alipay.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await alipay.Content.ReadAsStringAsync()).ShouldBe("failure");
        wechat.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await wechat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("FAIL");
        (await factory.NotificationsCountedAsync("alipay", "order_not_found")).ShouldBeGreaterThan(before);
    }
}
