using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.FunctionalTests;

/// <summary>distribution's approved serial requests become serial_purchase orders a distributor pays like any order.</summary>
public sealed class SerialPurchaseTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private SerialPurchaseApproved Approved(Guid distributorId, Guid planId, long priceCents = 243_000, int quantity = 100) =>
        new(Guid.NewGuid(), Guid.CreateVersion7(), distributorId, planId, quantity, priceCents, Currencies.Cny, TierCodes.Gold, 1_000,
            factory.Clock.GetUtcNow().AddHours(48), factory.Clock.GetUtcNow());

    private async Task SendHandledAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        await factory.SendAsync(message, id);
        await watcher.ConsumedAsync(id);
    }

    private async Task<int> OrderCountAsync(Guid orderId)
    {
        var count = 0;
        await factory.WithDbAsync(async db => count = await db.Orders.CountAsync(o => o.Id == orderId));
        return count;
    }

    [Fact]
    public async Task An_approved_purchase_opens_one_order_the_distributor_pays_from_the_wallet()
    {
        await using var paidProbe = await RabbitMqProbe.ForEventAsync<OrderPaid>();
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 2_700);
        var distributorId = Guid.NewGuid();
        var approved = Approved(distributorId, planId);
        var messageId = Guid.NewGuid();

        await SendHandledAsync(approved, messageId);
        await SendHandledAsync(approved, messageId); // redelivered
        await SendHandledAsync(approved);            // republished under another message id

        (await OrderCountAsync(approved.OrderId)).ShouldBe(1);
        var distributor = factory.ClientAs(distributorId, Roles.Distributor);
        var order = await (await distributor.GetAsync($"/api/finance/me/orders/{approved.OrderId}")).JsonAsync();
        order.Str("type").ShouldBe(OrderTypes.SerialPurchase);
        order.Str("status").ShouldBe(OrderStatuses.PendingPayment);
        order.Cents("priceCents").ShouldBe(243_000);
        order.Str("planNameEn").ShouldBe("30 days × 100");
        order.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(approved.PayBy, TimeSpan.FromMilliseconds(1));
        order.GetProperty("instructions").GetProperty("memo").GetString().ShouldNotBeNullOrEmpty();
        order.Str("remark").ShouldContain(approved.RequestId.ToString());

        await factory.FundWalletAsync(distributorId, 250_000);
        (await distributor.GetAsync("/api/finance/me/wallet")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var paid = await (await distributor.PostAsync($"/api/finance/me/orders/{approved.OrderId}/pay-from-wallet", null)).JsonAsync();
        paid.Str("status").ShouldBe(OrderStatuses.Paid);
        (await factory.BalanceAsync(distributorId)).ShouldBe(7_000);

        var published = await paidProbe.WaitForAsync(m => m.GetProperty("orderId").GetGuid() == approved.OrderId, TimeSpan.FromSeconds(20));
        published.GetProperty("orderType").GetString().ShouldBe(OrderTypes.SerialPurchase);
        published.GetProperty("userId").GetGuid().ShouldBe(distributorId);
        published.GetProperty("amountCents").GetInt64().ShouldBe(243_000);

        // Paid is done for a serial purchase: no rental event will fulfil it, and it must not keep the account unsettled.
        var settlement = await factory.CreateClient().GetFromJsonAsync<SettlementResponse>($"/internal/settlement/{distributorId}");
        settlement!.Blockers.ShouldNotContain(SettlementBlockers.PaidNotFulfilled);

        // The serials reached the distributor's stock: the order is fulfilled, once, whoever else claims it.
        var issued = new SerialPurchaseIssued(approved.RequestId, approved.OrderId, distributorId, Guid.NewGuid(), 100, factory.Clock.GetUtcNow());
        await SendHandledAsync(issued with { DistributorId = Guid.NewGuid() }); // another distributor's claim changes nothing
        (await (await distributor.GetAsync($"/api/finance/me/orders/{approved.OrderId}")).JsonAsync()).Str("status").ShouldBe(OrderStatuses.Paid);
        await SendHandledAsync(issued);
        await SendHandledAsync(issued); // redelivered
        var fulfilled = await (await distributor.GetAsync($"/api/finance/me/orders/{approved.OrderId}")).JsonAsync();
        fulfilled.Str("status").ShouldBe(OrderStatuses.Fulfilled);
        fulfilled.GetProperty("fulfilledAt").GetDateTimeOffset().ShouldBe(issued.IssuedAt, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_cancelled_purchase_cancels_its_pending_order_and_money_already_applied_goes_to_the_wallet()
    {
        var admin = factory.Admin();
        var planId = await admin.CreatePlanIdAsync();
        var distributorId = Guid.NewGuid();
        var approved = Approved(distributorId, planId, priceCents: 10_000);
        await SendHandledAsync(approved);
        (await admin.ConfirmAsync(approved.OrderId, 4_000, $"part-{Guid.NewGuid():N}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await SendHandledAsync(new SerialPurchaseCancelled(approved.RequestId, approved.OrderId, "Not paid in time", DateTimeOffset.UtcNow));

        (await factory.OrderStatusAsync(approved.OrderId)).ShouldBe(OrderStatuses.Cancelled);
        (await factory.BalanceAsync(distributorId)).ShouldBe(4_000);
        var order = await admin.AdminOrderAsync(approved.OrderId);
        order.Cents("paidCents").ShouldBe(0);
        order.Str("remark").ShouldBe("Not paid in time");

        // Again (redelivered or republished): nothing more happens.
        await SendHandledAsync(new SerialPurchaseCancelled(approved.RequestId, approved.OrderId, "again", DateTimeOffset.UtcNow));
        (await factory.BalanceAsync(distributorId)).ShouldBe(4_000);
    }

    [Fact]
    public async Task A_cancel_after_payment_leaves_the_paid_order_alone()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var distributorId = Guid.NewGuid();
        var approved = Approved(distributorId, planId, priceCents: 1_000);
        await SendHandledAsync(approved);
        await factory.FundWalletAsync(distributorId, 1_000);
        (await factory.ClientAs(distributorId, Roles.Distributor).PostAsync($"/api/finance/me/orders/{approved.OrderId}/pay-from-wallet", null))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await SendHandledAsync(new SerialPurchaseCancelled(approved.RequestId, approved.OrderId, "crossed the payment", DateTimeOffset.UtcNow));

        (await factory.OrderStatusAsync(approved.OrderId)).ShouldBe(OrderStatuses.Paid);
        (await factory.BalanceAsync(distributorId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_distributor_cannot_cancel_a_serial_purchase_in_finance_only_through_its_request()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var distributorId = Guid.NewGuid();
        var approved = Approved(distributorId, planId);
        await SendHandledAsync(approved);

        var response = await factory.ClientAs(distributorId, Roles.Distributor).PostAsync($"/api/finance/me/orders/{approved.OrderId}/cancel", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ProblemCodeAsync()).ShouldBe(FinanceProblemCodes.OrderNotCancellable);
        (await factory.OrderStatusAsync(approved.OrderId)).ShouldBe(OrderStatuses.PendingPayment);
    }

    [Fact]
    public async Task Distributors_reach_the_buyer_endpoints_admins_do_not()
    {
        var distributor = factory.ClientAs(Guid.NewGuid(), Roles.Distributor);
        (await distributor.GetAsync("/api/finance/me/orders")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await distributor.GetAsync("/api/finance/me/wallet")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await distributor.GetAsync("/api/finance/me/donations")).StatusCode.ShouldNotBe(HttpStatusCode.Forbidden);
        (await factory.Admin().GetAsync("/api/finance/me/orders")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Plan_orders_sold_by_the_order_endpoint_are_never_serial_purchases()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var order = await factory.ClientAs(Guid.NewGuid(), Roles.Distributor).BuyAsync(planId);
        order.Str("type").ShouldBe(OrderTypes.New);
    }

    [Fact]
    public async Task Stats_count_a_serial_purchase_as_revenue_and_in_its_plan_but_not_as_new_or_renewal()
    {
        var beijing = TimeSpan.FromHours(8);
        var from = new DateTimeOffset(2033, 5, 1, 0, 0, 0, beijing);
        var to = new DateTimeOffset(2033, 6, 1, 0, 0, 0, beijing);
        var plan = FinanceRows.Plan("30 days", 30, 3_000);
        var purchase = FinanceRows.Order(Guid.NewGuid(), plan, OrderStatuses.Paid, OrderTypes.SerialPurchase, paidAt: new DateTimeOffset(2033, 5, 10, 12, 0, 0, beijing));
        purchase.PriceCents = 270_000;
        await factory.AddAsync(plan, purchase,
            FinanceRows.Order(Guid.NewGuid(), plan, OrderStatuses.Paid, OrderTypes.New, paidAt: new DateTimeOffset(2033, 5, 11, 12, 0, 0, beijing)));

        var stats = await factory.Admin().GetFromJsonAsync<StatsResponse>(
            $"/api/finance/stats?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&groupBy=month");

        stats!.RevenueCents.ShouldBe(273_000);
        stats.Plans.Single(p => p.PlanId == plan.Id).ShouldSatisfyAllConditions(p => p.Orders.ShouldBe(2), p => p.RevenueCents.ShouldBe(273_000));
        (stats.NewOrders, stats.RenewalOrders).ShouldBe((1, 0));
    }
}
