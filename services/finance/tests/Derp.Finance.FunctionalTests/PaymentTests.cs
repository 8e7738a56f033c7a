using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Jobs;
using Derp.Finance.Api.Services;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Money reaching orders by hand: confirmations, receipts, late and excess money, refunds.</summary>
public sealed class PaymentTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private static string Reference() => $"TX{Guid.NewGuid():N}";

    private async Task<(Guid UserId, JsonElement Order)> PendingOrderAsync(long priceCents = 3_000)
    {
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents);
        var userId = Guid.NewGuid();
        return (userId, await factory.Renter(userId).BuyAsync(planId));
    }

    [Fact]
    public async Task Partial_confirmations_add_up_and_the_one_that_completes_the_price_pays_the_order()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<OrderPaid>();
        var (userId, order) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();

        var first = await (await admin.ConfirmAsync(order.Id(), 1_000, Reference())).JsonAsync();
        first.GetProperty("order").Str("status").ShouldBe(OrderStatuses.PendingPayment);
        first.GetProperty("order").Cents("paidCents").ShouldBe(1_000);
        first.GetProperty("duplicate").GetBoolean().ShouldBeFalse();
        var renterView = await (await factory.Renter(userId).GetAsync($"/api/finance/me/orders/{order.Id()}")).JsonAsync();
        renterView.GetProperty("instructions").Cents("amountDueCents").ShouldBe(2_000);

        var second = await (await admin.ConfirmAsync(order.Id(), 2_000, Reference(), PaymentChannels.WeChatTransfer)).JsonAsync();
        second.GetProperty("order").Str("status").ShouldBe(OrderStatuses.Paid);
        second.GetProperty("order").Cents("paidCents").ShouldBe(3_000);
        second.GetProperty("payment").Cents("appliedCents").ShouldBe(2_000);

        var paid = await probe.WaitForAsync(m => m.GetProperty("orderId").GetGuid() == order.Id(), TimeSpan.FromSeconds(20));
        paid.GetProperty("amountCents").GetInt64().ShouldBe(3_000);
        (await factory.BalanceAsync(userId)).ShouldBe(0);
        var detail = await admin.AdminOrderAsync(order.Id());
        detail.GetProperty("payments").GetArrayLength().ShouldBe(2);
        var audit = detail.GetProperty("audit").EnumerateArray().ToList();
        audit.Count.ShouldBe(2);
        audit.ShouldAllBe(a => a.Str("action") == FinanceAuditActions.PaymentConfirmed && a.Str("actorIp") != null && a.GetProperty("actorId").ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Money_beyond_the_price_goes_to_the_renters_wallet()
    {
        var (userId, order) = await PendingOrderAsync(3_000);

        var result = await (await factory.Admin().ConfirmAsync(order.Id(), 5_000, Reference())).JsonAsync();

        result.GetProperty("order").Str("status").ShouldBe(OrderStatuses.Paid);
        result.GetProperty("payment").Cents("appliedCents").ShouldBe(3_000);
        (await factory.BalanceAsync(userId)).ShouldBe(2_000);
        var credit = (await factory.LedgerAsync(userId)).Single();
        credit.Type.ShouldBe(LedgerEntryTypes.Overpayment);
        credit.OrderId.ShouldBe(order.Id());
        credit.PaymentId.ShouldBe(result.GetProperty("payment").Id());
    }

    [Fact]
    public async Task Twenty_identical_confirmations_at_once_make_one_payment_and_one_OrderPaid()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<OrderPaid>();
        var (userId, order) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();
        var reference = Reference();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => admin.ConfirmAsync(order.Id(), 4_000, reference)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var results = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        results.Count(r => !r.GetProperty("duplicate").GetBoolean()).ShouldBe(1);
        results.Select(r => r.GetProperty("payment").Id()).Distinct().Count().ShouldBe(1);
        await factory.WithDbAsync(async db => (await db.Payments.CountAsync(p => p.OrderId == order.Id())).ShouldBe(1));
        (await factory.BalanceAsync(userId)).ShouldBe(1_000); // the overpayment, once
        (await admin.AdminOrderAsync(order.Id())).GetProperty("audit").GetArrayLength().ShouldBe(1);

        // Everything the outbox had is on the broker; exactly one OrderPaid for this order went out.
        await factory.WithDbAsync(db => Until.TrueAsync(() => db.Set<Derp.ServiceDefaults.Messaging.OutboxMessage>().AllAsync(m => m.SentAt != null), "the outbox to drain"));
        var seen = await probe.CollectAsync(m => m.GetProperty("orderId").GetGuid() == order.Id(), 1);
        seen.AddRange((await probe.DrainAsync()).Select(m => m.GetProperty("message")).Where(m => m.GetProperty("orderId").GetGuid() == order.Id()));
        seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_reference_for_other_money_is_a_conflict_not_a_second_payment()
    {
        var (_, order) = await PendingOrderAsync(3_000);
        var (_, other) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();
        var reference = Reference();
        (await admin.ConfirmAsync(order.Id(), 1_000, reference)).EnsureSuccessStatusCode();

        var otherAmount = await admin.ConfirmAsync(order.Id(), 2_000, reference);
        var otherOrder = await admin.ConfirmAsync(other.Id(), 1_000, reference);

        foreach (var response in new[] { otherAmount, otherOrder })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await response.ProblemCodeAsync()).ShouldBe("payment_reference_conflict");
        }
        (await admin.AdminOrderAsync(other.Id())).Cents("paidCents").ShouldBe(0);
        // Another channel may use the same reference: references are unique per channel.
        (await admin.ConfirmAsync(other.Id(), 1_000, reference, PaymentChannels.Other)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Money_for_an_expired_order_goes_to_the_wallet_and_after_reopening_the_wallet_pays_it()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<OrderPaid>();
        var (userId, order) = await PendingOrderAsync(3_000);
        await ExpireAsync(order.Id());
        var admin = factory.Admin();

        var late = await (await admin.ConfirmAsync(order.Id(), 3_000, Reference())).JsonAsync();

        late.GetProperty("order").Str("status").ShouldBe(OrderStatuses.Expired);
        late.GetProperty("payment").Str("status").ShouldBe(ReceiptStatuses.Credited);
        late.GetProperty("payment").Cents("appliedCents").ShouldBe(0);
        (await factory.BalanceAsync(userId)).ShouldBe(3_000);

        var reopened = await (await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/reopen", new { reason = "paid late" })).JsonAsync();
        reopened.Str("status").ShouldBe(OrderStatuses.PendingPayment);
        reopened.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(factory.Clock.GetUtcNow());
        var renter = factory.Renter(userId);
        var paid = await (await renter.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null)).JsonAsync();
        paid.Str("status").ShouldBe(OrderStatuses.Paid);
        (await factory.BalanceAsync(userId)).ShouldBe(0);
        await probe.WaitForAsync(m => m.GetProperty("orderId").GetGuid() == order.Id(), TimeSpan.FromSeconds(20));

        var notReopenable = await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/reopen", new { reason = "again" });
        notReopenable.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await notReopenable.ProblemCodeAsync()).ShouldBe("order_not_reopenable");
    }

    [Fact]
    public async Task A_receipt_with_a_pending_orders_memo_pays_it_and_one_without_waits_to_be_matched()
    {
        var (userId, order) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();

        var byMemo = await (await admin.PostAsJsonAsync("/api/finance/receipts", new
        {
            channel = PaymentChannels.AlipayTransfer, amountCents = 3_000, reference = Reference(), receivedAt = DateTimeOffset.UtcNow,
            memo = $" {order.Str("memo").ToLowerInvariant()} ", payerName = "张三",
        })).JsonAsync();
        byMemo.GetProperty("order").Str("status").ShouldBe(OrderStatuses.Paid);
        byMemo.GetProperty("payment").Str("status").ShouldBe(ReceiptStatuses.Matched);

        var (otherUserId, other) = await PendingOrderAsync(3_000);
        var reference = Reference();
        var receipt = new { channel = PaymentChannels.WeChatTransfer, amountCents = 3_500, reference, receivedAt = DateTimeOffset.UtcNow, memo = "NOSUCH" };
        var unmatched = await (await admin.PostAsJsonAsync("/api/finance/receipts", receipt)).JsonAsync();
        unmatched.GetProperty("payment").Str("status").ShouldBe(ReceiptStatuses.Unmatched);
        // Recorded twice: still one receipt.
        (await (await admin.PostAsJsonAsync("/api/finance/receipts", receipt)).JsonAsync()).GetProperty("duplicate").GetBoolean().ShouldBeTrue();
        var inbox = await admin.GetFromJsonAsync<JsonElement>("/api/finance/receipts?status=unmatched&pageSize=200");
        inbox.GetProperty("items").EnumerateArray().Count(r => r.Str("reference") == reference).ShouldBe(1);

        var matched = await (await admin.PostAsJsonAsync($"/api/finance/receipts/{unmatched.GetProperty("payment").Id()}/match", new { orderId = other.Id() })).JsonAsync();
        matched.GetProperty("order").Str("status").ShouldBe(OrderStatuses.Paid);
        matched.GetProperty("payment").Str("status").ShouldBe(ReceiptStatuses.Matched);
        matched.GetProperty("payment").Cents("appliedCents").ShouldBe(3_000);
        (await factory.BalanceAsync(otherUserId)).ShouldBe(500);
        (await admin.AdminOrderAsync(other.Id())).GetProperty("audit").EnumerateArray().Select(a => a.Str("action"))
            .ShouldBe([FinanceAuditActions.ReceiptRecorded, FinanceAuditActions.ReceiptMatched]);
        (await factory.BalanceAsync(userId)).ShouldBe(0);

        var again = await admin.PostAsJsonAsync($"/api/finance/receipts/{unmatched.GetProperty("payment").Id()}/match", new { orderId = other.Id() });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe("receipt_not_unmatched");
        var missing = await admin.PostAsJsonAsync($"/api/finance/receipts/{Guid.NewGuid()}/match", new { orderId = other.Id() });
        (await missing.ProblemCodeAsync()).ShouldBe("receipt_not_found");
    }

    [Fact]
    public async Task An_unmatched_receipt_can_be_credited_to_a_users_wallet_once()
    {
        var admin = factory.Admin();
        var userId = Guid.NewGuid();
        var receipt = await (await admin.PostAsJsonAsync("/api/finance/receipts", new
        {
            channel = PaymentChannels.Other, amountCents = 1_234, reference = Reference(), receivedAt = DateTimeOffset.UtcNow,
        })).JsonAsync();
        var id = receipt.GetProperty("payment").Id();

        var credited = await (await admin.PostAsJsonAsync($"/api/finance/receipts/{id}/credit", new { userId, remark = "bank transfer without memo" })).JsonAsync();

        credited.GetProperty("payment").Str("status").ShouldBe(ReceiptStatuses.Credited);
        (await factory.BalanceAsync(userId)).ShouldBe(1_234);
        (await factory.LedgerAsync(userId)).Single().Type.ShouldBe(LedgerEntryTypes.ReceiptCredit);
        var twice = await admin.PostAsJsonAsync($"/api/finance/receipts/{id}/credit", new { userId, remark = "again" });
        (await twice.ProblemCodeAsync()).ShouldBe("receipt_not_unmatched");
        (await factory.BalanceAsync(userId)).ShouldBe(1_234);
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/finance/audit?targetId={id}");
        audit.GetProperty("items").EnumerateArray().Select(a => a.Str("action")).Order()
            .ShouldBe(new[] { FinanceAuditActions.ReceiptCredited, FinanceAuditActions.ReceiptRecorded }.Order());
    }

    [Fact]
    public async Task A_refund_to_the_wallet_credits_what_was_paid_and_publishes_OrderRefunded()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<OrderRefunded>();
        var (userId, order) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();
        (await admin.ConfirmAsync(order.Id(), 3_000, Reference())).EnsureSuccessStatusCode();

        var tooMuch = await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/refund", new { method = "wallet", amountCents = 3_001, reason = "x" });
        tooMuch.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await tooMuch.ProblemCodeAsync()).ShouldBe("refund_amount_invalid");
        var noReason = await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/refund", new { method = "wallet" });
        (await noReason.ProblemCodeAsync()).ShouldBe("validation_failed");

        var refunded = await (await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/refund", new { method = "wallet", reason = "relay unusable" })).JsonAsync();

        refunded.Str("status").ShouldBe(OrderStatuses.Refunded);
        refunded.Cents("refundedCents").ShouldBe(3_000);
        (await factory.BalanceAsync(userId)).ShouldBe(3_000);
        (await factory.LedgerAsync(userId)).Single().Type.ShouldBe(LedgerEntryTypes.Refund);
        var message = await probe.WaitForAsync(m => m.GetProperty("orderId").GetGuid() == order.Id(), TimeSpan.FromSeconds(20));
        message.GetProperty("amountCents").GetInt64().ShouldBe(3_000);
        message.GetProperty("method").GetString().ShouldBe(RefundMethods.Wallet);
        var twice = await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/refund", new { method = "wallet", reason = "again" });
        (await twice.ProblemCodeAsync()).ShouldBe("order_not_refundable");
        (await factory.BalanceAsync(userId)).ShouldBe(3_000);
    }

    [Fact]
    public async Task Marks_complete_and_renew_paid_orders_and_cancel_unpaid_ones_handing_back_money_received()
    {
        var admin = factory.Admin();
        var (_, paid) = await PendingOrderAsync(1_000);
        (await admin.ConfirmAsync(paid.Id(), 1_000, Reference())).EnsureSuccessStatusCode();
        var early = await admin.PostAsJsonAsync($"/api/finance/orders/{paid.Id()}/marks", new { mark = "renewed" });
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.ProblemCodeAsync()).ShouldBe("mark_not_allowed");
        var complete = await (await admin.PostAsJsonAsync($"/api/finance/orders/{paid.Id()}/marks", new { mark = "complete", remark = "done by hand" })).JsonAsync();
        complete.Str("status").ShouldBe(OrderStatuses.Fulfilled);
        var renewed = await (await admin.PostAsJsonAsync($"/api/finance/orders/{paid.Id()}/marks", new { mark = "renewed" })).JsonAsync();
        renewed.GetProperty("marks").EnumerateArray().Select(m => m.GetString()).ShouldBe(["complete", "renewed"]);

        var (userId, partlyPaid) = await PendingOrderAsync(3_000);
        (await admin.ConfirmAsync(partlyPaid.Id(), 1_000, Reference())).EnsureSuccessStatusCode();
        var cancelled = await (await admin.PostAsJsonAsync($"/api/finance/orders/{partlyPaid.Id()}/marks", new { mark = "cancelled", remark = "asked by phone" })).JsonAsync();
        cancelled.Str("status").ShouldBe(OrderStatuses.Cancelled);
        cancelled.Cents("paidCents").ShouldBe(0);
        (await factory.BalanceAsync(userId)).ShouldBe(1_000);
        var cancelPaid = await admin.PostAsJsonAsync($"/api/finance/orders/{paid.Id()}/cancel", new { reason = "no" });
        (await cancelPaid.ProblemCodeAsync()).ShouldBe("order_not_cancellable");
        var badMark = await admin.PostAsJsonAsync($"/api/finance/orders/{paid.Id()}/marks", new { mark = "gold" });
        badMark.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badMark.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task Admins_filter_orders_and_bad_confirmations_are_problems()
    {
        var (userId, order) = await PendingOrderAsync(3_000);
        var admin = factory.Admin();

        var byUser = await admin.GetFromJsonAsync<JsonElement>($"/api/finance/orders?userId={userId}&status=pending_payment&type=new");
        byUser.GetProperty("items").EnumerateArray().Select(o => o.Id()).ShouldBe([order.Id()]);
        var byMemo = await admin.GetFromJsonAsync<JsonElement>($"/api/finance/orders?memo={order.Str("memo").ToLowerInvariant()}");
        byMemo.GetProperty("items").EnumerateArray().Select(o => o.Id()).ShouldContain(order.Id());
        (await (await admin.GetAsync("/api/finance/orders?type=gift")).ProblemCodeAsync()).ShouldBe("validation_failed");

        foreach (var body in new object[]
                 {
                     new { channel = "wallet", amountCents = 100, reference = "r1", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "alipay", amountCents = 100, reference = "r1", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "alipay_transfer", amountCents = 0, reference = "r1", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "alipay_transfer", amountCents = -5, reference = "r1", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "alipay_transfer", amountCents = 100, reference = "", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "alipay_transfer", amountCents = 100, reference = new string('r', 129), receivedAt = DateTimeOffset.UtcNow },
                 })
        {
            var response = await admin.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/payments", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        var unknown = await admin.ConfirmAsync(Guid.NewGuid(), 100, Reference());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemCodeAsync()).ShouldBe("order_not_found");
        (await admin.AdminOrderAsync(order.Id())).Cents("paidCents").ShouldBe(0);
    }

    [Fact]
    public async Task A_reopened_order_whose_memo_went_to_another_pending_order_gets_a_new_one()
    {
        var (_, order) = await PendingOrderAsync(3_000);
        await ExpireAsync(order.Id());
        var (_, other) = await PendingOrderAsync(3_000);
        // The expired order's memo is free again, and the next order happened to draw it.
        await factory.WithDbAsync(db => db.Orders.Where(o => o.Id == other.Id()).ExecuteUpdateAsync(s => s.SetProperty(o => o.Memo, order.Str("memo"))));

        var reopened = await (await factory.Admin().PostAsJsonAsync($"/api/finance/orders/{order.Id()}/reopen", new { reason = "renter asked" })).JsonAsync();

        reopened.Str("status").ShouldBe(OrderStatuses.PendingPayment);
        reopened.Str("memo").ShouldNotBe(order.Str("memo"));
        reopened.GetProperty("audit").EnumerateArray().Last().Str("action").ShouldBe(FinanceAuditActions.OrderReopened);
    }

    [Fact]
    public async Task A_provider_notification_pays_the_order_named_by_its_number_once()
    {
        var (userId, order) = await PendingOrderAsync(3_000);
        var notification = new IncomingPayment(PaymentChannels.Alipay, $"2026112322001{Guid.NewGuid():N}"[..28], 3_000, Currencies.Cny, DateTimeOffset.UtcNow);

        async Task<PaymentOutcome?> NotifyAsync(string number)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OrderPayments>().ApplyToOrderNumberAsync(number, notification, CancellationToken.None);
        }

        var first = await NotifyAsync(order.Str("number"));
        var replay = await NotifyAsync(order.Str("number"));

        first.ShouldNotBeNull().Duplicate.ShouldBeFalse();
        first.Order!.Status.ShouldBe(OrderStatuses.Paid);
        replay.ShouldNotBeNull().Duplicate.ShouldBeTrue();
        replay.Payment.Id.ShouldBe(first.Payment.Id);
        (await NotifyAsync("00000000000000000000")).ShouldBeNull();
        (await factory.BalanceAsync(userId)).ShouldBe(0);
        // Money in a currency the order is not priced in is kept, unmatched, for an admin.
        var (_, cnyOrder) = await PendingOrderAsync(3_000);
        var foreign = await ForeignAsync(cnyOrder.Str("number"), notification with { Reference = $"USD{Guid.NewGuid():N}", Currency = "USD" });
        foreign.ShouldNotBeNull().Payment.Status.ShouldBe(ReceiptStatuses.Unmatched);
        foreign.Order.ShouldBeNull();
    }

    [Fact]
    public async Task Bad_receipts_and_receipt_actions_are_problems()
    {
        var admin = factory.Admin();
        foreach (var body in new object[]
                 {
                     new { channel = "wallet", amountCents = 100, reference = "r", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "other", amountCents = 0, reference = "r", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "other", amountCents = 100, reference = " ", receivedAt = DateTimeOffset.UtcNow },
                     new { channel = "other", amountCents = 100, reference = "r", receivedAt = DateTimeOffset.UtcNow, memo = new string('M', 33) },
                 })
        {
            var response = await admin.PostAsJsonAsync("/api/finance/receipts", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        (await (await admin.GetAsync("/api/finance/receipts?status=lost")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.PostAsJsonAsync($"/api/finance/receipts/{Guid.NewGuid()}/credit", new { userId = Guid.Empty })).ProblemCodeAsync())
            .ShouldBe("validation_failed");
        var unknown = await admin.PostAsJsonAsync($"/api/finance/receipts/{Guid.NewGuid()}/credit", new { userId = Guid.NewGuid() });
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemCodeAsync()).ShouldBe("receipt_not_found");
        var receipt = await (await admin.PostAsJsonAsync("/api/finance/receipts", new
        {
            channel = PaymentChannels.Other, amountCents = 100, reference = Reference(), receivedAt = DateTimeOffset.UtcNow,
        })).JsonAsync();
        var noOrder = await admin.PostAsJsonAsync($"/api/finance/receipts/{receipt.GetProperty("payment").Id()}/match", new { orderId = Guid.NewGuid() });
        noOrder.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await noOrder.ProblemCodeAsync()).ShouldBe("order_not_found");
        // Refused changes leave the receipt waiting.
        var inbox = await admin.GetFromJsonAsync<JsonElement>("/api/finance/receipts?status=unmatched&pageSize=200");
        inbox.GetProperty("items").EnumerateArray().ShouldContain(r => r.Id() == receipt.GetProperty("payment").Id());
        (await factory.CreateClient().GetAsync("/api/finance/me/orders")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.CreateClient().PostAsJsonAsync("/api/finance/orders", new { planId = Guid.NewGuid() })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private async Task<PaymentOutcome?> ForeignAsync(string number, IncomingPayment payment)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderPayments>().ApplyToOrderNumberAsync(number, payment, CancellationToken.None);
    }

    private async Task ExpireAsync(Guid orderId)
    {
        await factory.WithDbAsync(db => db.Orders.Where(o => o.Id == orderId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ExpiresAt, factory.Clock.GetUtcNow().AddMinutes(-1))));
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrderExpiryJob>().ExpireDueAsync(CancellationToken.None);
        (await factory.OrderStatusAsync(orderId)).ShouldBe(OrderStatuses.Expired);
    }
}
