using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Users;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.FunctionalTests;

public sealed class OrderTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    [Fact]
    public async Task A_renter_without_a_rental_buys_a_new_order_and_one_with_a_rental_a_renewal()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var newcomerId = Guid.NewGuid();
        var order = await factory.Renter(newcomerId).BuyAsync(planId);

        order.Str("type").ShouldBe(OrderTypes.New);
        order.Str("status").ShouldBe(OrderStatuses.PendingPayment);
        order.GetProperty("userId").GetGuid().ShouldBe(newcomerId);
        order.Cents("priceCents").ShouldBe(3_000);
        order.Cents("paidCents").ShouldBe(0);
        order.Str("number").Length.ShouldBe(20);
        order.Str("memo").ShouldMatch("^[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}$");
        // The default timeout: 30 minutes from the factory's clock.
        order.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddMinutes(30), TimeSpan.FromSeconds(1));
        order.GetProperty("instructions").Str("memo").ShouldBe(order.Str("memo"));

        var renterId = Guid.NewGuid();
        await factory.GiveRentalAsync(renterId);
        (await factory.Renter(renterId).BuyAsync(planId)).Str("type").ShouldBe(OrderTypes.Renewal);
    }

    [Fact]
    public async Task Sell_and_renew_flags_decide_who_may_buy_a_plan()
    {
        var admin = factory.Admin();
        var renewOnly = (await admin.CreatePlanAsync(sell: false, renew: true)).Id();
        var newOnly = (await admin.CreatePlanAsync(sell: true, renew: false)).Id();
        var newcomer = factory.Renter(Guid.NewGuid());
        var renterId = Guid.NewGuid();
        await factory.GiveRentalAsync(renterId);
        var renter = factory.Renter(renterId);

        var notOnSale = await newcomer.OrderAsync(renewOnly);
        notOnSale.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await notOnSale.ProblemCodeAsync()).ShouldBe("plan_not_on_sale");
        var noRenewal = await renter.OrderAsync(newOnly);
        noRenewal.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noRenewal.ProblemCodeAsync()).ShouldBe("renewal_not_offered");
        (await renter.BuyAsync(renewOnly)).Str("type").ShouldBe(OrderTypes.Renewal);
        (await newcomer.BuyAsync(newOnly)).Str("type").ShouldBe(OrderTypes.New);

        (await admin.DeleteAsync($"/api/finance/plans/{newOnly}")).EnsureSuccessStatusCode();
        (await (await newcomer.OrderAsync(newOnly)).ProblemCodeAsync()).ShouldBe("plan_not_on_sale");
        var unknown = await newcomer.OrderAsync(Guid.NewGuid());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemCodeAsync()).ShouldBe("plan_not_found");
    }

    [Fact]
    public async Task A_plan_at_capacity_is_sold_out_for_newcomers_but_its_renters_may_renew()
    {
        var planId = (await factory.Admin().CreatePlanAsync(capacityLimit: 1)).Id();
        var holderId = Guid.NewGuid();
        await factory.GiveRentalAsync(holderId, planId);

        var plans = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/finance/plans");
        var plan = plans.EnumerateArray().Single(p => p.Id() == planId);
        plan.GetProperty("activeRenters").GetInt32().ShouldBe(1);
        plan.GetProperty("soldOut").GetBoolean().ShouldBeTrue();

        var refused = await factory.Renter(Guid.NewGuid()).OrderAsync(planId);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ProblemCodeAsync()).ShouldBe("plan_sold_out");
        (await factory.Renter(holderId).BuyAsync(planId)).Str("type").ShouldBe(OrderTypes.Renewal);
    }

    [Fact]
    public async Task A_renter_may_hold_five_unpaid_orders_at_most_even_when_asking_at_once()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var renter = factory.Renter(Guid.NewGuid());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => renter.OrderAsync(planId)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(5);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.ProblemCodeAsync()).ShouldBe("too_many_open_orders");
        }
        var created = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        created.Select(o => o.Str("memo")).Distinct().Count().ShouldBe(5);
        created.Select(o => o.Str("number")).Distinct().Count().ShouldBe(5);

        // Cancelling one makes room for one more.
        var cancelled = await (await renter.PostAsync($"/api/finance/me/orders/{created[0].Id()}/cancel", null)).JsonAsync();
        cancelled.Str("status").ShouldBe(OrderStatuses.Cancelled);
        await renter.BuyAsync(planId);
    }

    [Fact]
    public async Task Paying_from_the_wallet_pays_the_order_publishes_OrderPaid_and_the_rental_event_fulfils_it()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<OrderPaid>();
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 3_000, durationDays: 30);
        var userId = Guid.NewGuid();
        await factory.FundWalletAsync(userId, 5_000);
        var renter = factory.Renter(userId);
        renter.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var order = await renter.BuyAsync(planId);

        var paid = await (await renter.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null)).JsonAsync();

        paid.Str("status").ShouldBe(OrderStatuses.Paid);
        paid.Cents("paidCents").ShouldBe(3_000);
        (await factory.BalanceAsync(userId)).ShouldBe(2_000);
        var debit = (await factory.LedgerAsync(userId)).Last();
        debit.Type.ShouldBe(LedgerEntryTypes.OrderPayment);
        debit.AmountCents.ShouldBe(-3_000);
        debit.OrderId.ShouldBe(order.Id());
        var message = await probe.WaitForAsync(m => m.GetProperty("orderId").GetGuid() == order.Id(), TimeSpan.FromSeconds(20));
        message.GetProperty("userId").GetGuid().ShouldBe(userId);
        message.GetProperty("planId").GetGuid().ShouldBe(planId);
        message.GetProperty("orderType").GetString().ShouldBe(OrderTypes.New);
        message.GetProperty("durationDays").GetInt32().ShouldBe(30);
        message.GetProperty("amountCents").GetInt64().ShouldBe(3_000);
        message.GetProperty("orderNumber").GetString().ShouldBe(order.Str("number"));
        message.GetProperty("clientIp").GetString().ShouldBe("203.0.113.7");

        // users extends the rental and says which order did it.
        var now = DateTimeOffset.UtcNow;
        await factory.SendAsync(new RentalExtended(Guid.NewGuid(), userId, Guid.NewGuid(), now, now.AddDays(30), false, 300, "order") { OrderId = order.Id() });
        await Until.TrueAsync(async () => await factory.OrderStatusAsync(order.Id()) == OrderStatuses.Fulfilled, "the order to be fulfilled");
        var detail = await (await renter.GetAsync($"/api/finance/me/orders/{order.Id()}")).JsonAsync();
        detail.GetProperty("fulfilledAt").ValueKind.ShouldNotBe(JsonValueKind.Null);
        detail.GetProperty("payments").EnumerateArray().Single().Str("channel").ShouldBe(PaymentChannels.Wallet);
    }

    [Fact]
    public async Task Paying_twice_or_concurrently_moves_the_money_once()
    {
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 1_000);
        var userId = Guid.NewGuid();
        await factory.FundWalletAsync(userId, 10_000);
        var renter = factory.Renter(userId);
        var order = await renter.BuyAsync(planId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => renter.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.ProblemCodeAsync()).ShouldBe("order_not_payable");
        }
        var again = await renter.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null);
        (await again.ProblemCodeAsync()).ShouldBe("order_not_payable");
        (await factory.BalanceAsync(userId)).ShouldBe(9_000);
        (await factory.LedgerAsync(userId)).Count(e => e.Type == LedgerEntryTypes.OrderPayment).ShouldBe(1);
    }

    [Fact]
    public async Task A_wallet_too_small_is_refused_and_nothing_changes()
    {
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 3_000);
        var userId = Guid.NewGuid();
        await factory.FundWalletAsync(userId, 2_999);
        var renter = factory.Renter(userId);
        var order = await renter.BuyAsync(planId);

        var response = await renter.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ProblemCodeAsync()).ShouldBe("insufficient_balance");
        (await factory.BalanceAsync(userId)).ShouldBe(2_999);
        var detail = await (await renter.GetAsync($"/api/finance/me/orders/{order.Id()}")).JsonAsync();
        detail.Str("status").ShouldBe(OrderStatuses.PendingPayment);
        detail.GetProperty("payments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_renter_never_sees_or_touches_another_renters_orders()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var ownerId = Guid.NewGuid();
        var order = await factory.Renter(ownerId).BuyAsync(planId);
        var strangerId = Guid.NewGuid();
        await factory.FundWalletAsync(strangerId, 10_000);
        var stranger = factory.Renter(strangerId);

        foreach (var response in new[]
                 {
                     await stranger.GetAsync($"/api/finance/me/orders/{order.Id()}"),
                     await stranger.PostAsync($"/api/finance/me/orders/{order.Id()}/cancel", null),
                     await stranger.PostAsync($"/api/finance/me/orders/{order.Id()}/pay-from-wallet", null),
                 })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.ProblemCodeAsync()).ShouldBe("order_not_found");
        }
        var mine = await stranger.GetFromJsonAsync<JsonElement>("/api/finance/me/orders");
        mine.GetProperty("items").EnumerateArray().ShouldNotContain(o => o.Id() == order.Id());
        (await factory.OrderStatusAsync(order.Id())).ShouldBe(OrderStatuses.PendingPayment);
        (await factory.BalanceAsync(strangerId)).ShouldBe(10_000);

        // Nor the admin's side.
        foreach (var path in new[] { "/api/finance/orders", $"/api/finance/orders/{order.Id()}", "/api/finance/receipts", "/api/finance/settings", "/api/finance/audit" })
            (await stranger.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.ConfirmAsync(order.Id(), 3_000, "self-confirmed")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.PostAsJsonAsync($"/api/finance/orders/{order.Id()}/refund", new { method = "wallet", reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_renter_lists_own_orders_by_status_with_paging_and_cancels_only_unpaid_ones()
    {
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 1_000);
        var userId = Guid.NewGuid();
        await factory.FundWalletAsync(userId, 1_000);
        var renter = factory.Renter(userId);
        var paid = await renter.BuyAsync(planId);
        (await renter.PostAsync($"/api/finance/me/orders/{paid.Id()}/pay-from-wallet", null)).EnsureSuccessStatusCode();
        var pending = await renter.BuyAsync(planId);

        var page = await renter.GetFromJsonAsync<JsonElement>("/api/finance/me/orders?page=1&pageSize=1");
        page.GetProperty("total").GetInt32().ShouldBe(2);
        page.GetProperty("items").GetArrayLength().ShouldBe(1);
        var pendingOnly = await renter.GetFromJsonAsync<JsonElement>("/api/finance/me/orders?status=pending_payment");
        pendingOnly.GetProperty("items").EnumerateArray().Select(o => o.Id()).ShouldBe([pending.Id()]);

        var refused = await renter.PostAsync($"/api/finance/me/orders/{paid.Id()}/cancel", null);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ProblemCodeAsync()).ShouldBe("order_not_cancellable");

        var badStatus = await renter.GetAsync("/api/finance/me/orders?status=lost");
        badStatus.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badStatus.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await renter.GetAsync("/api/finance/me/orders?pageSize=0")).ProblemCodeAsync()).ShouldBe("validation_failed");
        var noPlan = await renter.PostAsJsonAsync("/api/finance/orders", new { });
        noPlan.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noPlan.ProblemCodeAsync()).ShouldBe("validation_failed");
        var notAGuid = await renter.PostAsJsonAsync("/api/finance/orders", new { planId = "thirty-days" });
        notAGuid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_new_order_is_fulfilled_by_the_activation_it_caused_and_a_refunded_one_stays_refunded()
    {
        var admin = factory.Admin();
        var planId = await admin.CreatePlanIdAsync(priceCents: 500, durationDays: 3);
        var userId = Guid.NewGuid();
        var renter = factory.Renter(userId);
        var order = await renter.BuyAsync(planId);
        (await admin.ConfirmAsync(order.Id(), 500, $"TX{Guid.NewGuid():N}")).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;

        await factory.SendAsync(new RentalActivated(Guid.NewGuid(), userId, Guid.NewGuid(), now, now.AddDays(3), planId, 50, null) { OrderId = order.Id() });

        await Until.TrueAsync(async () => await factory.OrderStatusAsync(order.Id()) == OrderStatuses.Fulfilled, "the order to be fulfilled");
        // The renter now has a rental on the plan: the next order is a renewal and the plan counts them.
        (await renter.BuyAsync(planId)).Str("type").ShouldBe(OrderTypes.Renewal);
        (await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/finance/plans")).EnumerateArray().Single(p => p.Id() == planId)
            .GetProperty("activeRenters").GetInt32().ShouldBe(1);

        var refundedOrder = await renter.BuyAsync(planId);
        (await admin.ConfirmAsync(refundedOrder.Id(), 500, $"TX{Guid.NewGuid():N}")).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/finance/orders/{refundedOrder.Id()}/refund", new { method = "manual", reason = "paid back in cash" })).EnsureSuccessStatusCode();
        var later = DateTimeOffset.UtcNow;
        var messageId = Guid.NewGuid();
        await factory.SendAsync(new RentalExtended(Guid.NewGuid(), userId, Guid.NewGuid(), later, later.AddDays(6), false, 50, "order") { OrderId = refundedOrder.Id() }, messageId);
        await Until.TrueAsync(async () =>
        {
            var handled = false;
            await factory.WithDbAsync(async db => handled = await db.Set<Derp.ServiceDefaults.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == messageId));
            return handled;
        }, "the extension to be consumed");
        (await factory.OrderStatusAsync(refundedOrder.Id())).ShouldBe(OrderStatuses.Refunded);
        (await factory.BalanceAsync(userId)).ShouldBe(0); // a manual refund moves nothing in the wallet
    }

    [Theory]
    [InlineData("/api/finance/me/orders?page=0")]
    [InlineData("/api/finance/me/orders?page=2147483647&pageSize=100")]
    [InlineData("/api/finance/me/orders?pageSize=101")]
    [InlineData("/api/finance/me/orders?page=abc")]
    public async Task Bad_paging_is_a_problem_not_an_error(string path)
    {
        var response = await factory.Renter(Guid.NewGuid()).GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldNotBeNullOrEmpty();
    }
}
