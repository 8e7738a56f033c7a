using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.ServiceDefaults.Http;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Settlement before deregistration: what blocks it, the case admins see, and settling by refund or forfeit.</summary>
public sealed class SettlementApiTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private Task<SettlementResponse?> AskAsync(Guid userId) =>
        factory.CreateClient().GetFromJsonAsync<SettlementResponse>($"/internal/settlement/{userId}");

    private Task<HttpResponseMessage> SettleAsync(HttpClient admin, Guid userId, string? action, string? remark) =>
        admin.PostAsJsonAsync($"/api/finance/settlements/{userId}", new { action, remark });

    private async Task<T> InDbAsync<T>(Func<FinanceContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<FinanceContext>());
    }

    private async Task CreditAsync(Guid userId, long cents) =>
        (await factory.Admin().PostAsJsonAsync($"/api/finance/wallets/{userId}/adjustments", new { amountCents = cents, reason = "setup" })).EnsureSuccessStatusCode();

    [Fact]
    public async Task An_account_with_nothing_open_is_settled_and_records_no_case()
    {
        var user = Guid.NewGuid();
        (await AskAsync(user)).ShouldBe(new SettlementResponse(user, true, [], 0), new SettlementResponseComparer());
        (await InDbAsync(db => db.SettlementCases.AnyAsync(c => c.UserId == user))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_balance_blocks_until_an_admin_forfeits_it_then_the_account_is_settled()
    {
        var user = Guid.NewGuid();
        await CreditAsync(user, 1_200);

        var first = await AskAsync(user);
        first!.Settled.ShouldBeFalse();
        first.Blockers.ShouldBe([SettlementBlockers.Balance]);
        first.BalanceCents.ShouldBe(1_200);
        var admin = factory.Admin();
        var open = await admin.GetFromJsonAsync<PagedResponse<SettlementCaseResponse>>("/api/finance/settlements?pageSize=200");
        open!.Items.Single(c => c.UserId == user).ShouldSatisfyAllConditions(
            c => c.Open.ShouldBeTrue(),
            c => c.Blockers.ShouldBe([SettlementBlockers.Balance]),
            c => c.BalanceCents.ShouldBe(1_200));

        var adminId = Guid.NewGuid();
        var settled = await SettleAsync(factory.ClientAs(adminId, Derp.ServiceDefaults.Auth.Roles.Admin), user, SettlementActions.Forfeit, "left without asking for it back");
        settled.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await settled.Content.ReadFromJsonAsync<SettlementResponse>())!.Settled.ShouldBeTrue();

        var entry = await InDbAsync(db => db.Ledger.Where(e => e.UserId == user).OrderByDescending(e => e.CreatedAt).ThenBy(e => e.AmountCents).FirstAsync());
        entry.ShouldSatisfyAllConditions(
            e => e.Type.ShouldBe(LedgerEntryTypes.Forfeit),
            e => e.AmountCents.ShouldBe(-1_200),
            e => e.BalanceAfterCents.ShouldBe(0),
            e => e.OperatorId.ShouldBe(adminId));
        var settledCase = await InDbAsync(db => db.SettlementCases.SingleAsync(c => c.UserId == user));
        settledCase.ShouldSatisfyAllConditions(
            c => c.SettledAt.ShouldNotBeNull(),
            c => c.SettledBy.ShouldBe(adminId),
            c => c.Action.ShouldBe(SettlementActions.Forfeit),
            c => c.Remark.ShouldBe("left without asking for it back"));
        (await InDbAsync(db => db.Audit.SingleAsync(a => a.TargetId == user.ToString() && a.Action == FinanceAuditActions.AccountSettled))).ActorId.ShouldBe(adminId);

        (await AskAsync(user))!.Settled.ShouldBeTrue();
        (await admin.GetFromJsonAsync<PagedResponse<SettlementCaseResponse>>("/api/finance/settlements?pageSize=200"))!.Items.ShouldNotContain(c => c.UserId == user);
        (await admin.GetFromJsonAsync<PagedResponse<SettlementCaseResponse>>("/api/finance/settlements?status=settled&pageSize=200"))!.Items.ShouldContain(c => c.UserId == user);
    }

    [Fact]
    public async Task Settling_cancels_unpaid_orders_but_a_paid_order_waiting_for_its_rental_keeps_the_account_open()
    {
        var user = Guid.NewGuid();
        var plan = FinanceRows.Plan("30 days", 30, 1_000);
        var unpaid = FinanceRows.Order(user, plan, OrderStatuses.PendingPayment);
        var partlyPaid = FinanceRows.Order(user, plan, OrderStatuses.PendingPayment, paidCents: 200);
        var waiting = FinanceRows.Order(user, plan, OrderStatuses.Paid, paidAt: DateTimeOffset.UtcNow);
        await factory.AddAsync(plan, unpaid, partlyPaid, waiting);
        await CreditAsync(user, 500);

        var asked = await AskAsync(user);
        asked!.Settled.ShouldBeFalse();
        asked.Blockers.ShouldBe([SettlementBlockers.UnpaidOrder, SettlementBlockers.PaidNotFulfilled, SettlementBlockers.Balance]);

        var response = await SettleAsync(factory.Admin(), user, SettlementActions.Refund, "paid back by Alipay transfer 2026-11-23");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = await response.Content.ReadFromJsonAsync<SettlementResponse>();
        result!.Settled.ShouldBeFalse();
        result.Blockers.ShouldBe([SettlementBlockers.PaidNotFulfilled]);
        result.BalanceCents.ShouldBe(0);

        var orders = await InDbAsync(db => db.Orders.Where(o => o.UserId == user).ToDictionaryAsync(o => o.Id, o => o.Status));
        orders[unpaid.Id].ShouldBe(OrderStatuses.Cancelled);
        orders[partlyPaid.Id].ShouldBe(OrderStatuses.Cancelled);
        orders[waiting.Id].ShouldBe(OrderStatuses.Paid);
        // The part paid on the cancelled order joined the balance that was paid back.
        var ledger = await InDbAsync(db => db.Ledger.Where(e => e.UserId == user).Select(e => new { e.Type, e.AmountCents, e.OrderId }).ToListAsync());
        ledger.ShouldContain(e => e.Type == LedgerEntryTypes.Overpayment && e.AmountCents == 200 && e.OrderId == partlyPaid.Id);
        ledger.ShouldContain(e => e.Type == LedgerEntryTypes.PaidOut && e.AmountCents == -700);
        ledger.Sum(e => e.AmountCents).ShouldBe(0);
        (await InDbAsync(db => db.SettlementCases.SingleAsync(c => c.UserId == user))).ShouldSatisfyAllConditions(
            c => c.SettledAt.ShouldBeNull(),
            c => c.Blockers.ShouldBe([SettlementBlockers.PaidNotFulfilled]));

        // The rental event comes back for the paid order: nothing blocks any more, and the next question closes the case.
        await InDbAsync(db => db.Orders.Where(o => o.Id == waiting.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatuses.Fulfilled).SetProperty(o => o.FulfilledAt, DateTimeOffset.UtcNow)));
        (await AskAsync(user))!.Settled.ShouldBeTrue();
        (await InDbAsync(db => db.SettlementCases.SingleAsync(c => c.UserId == user))).SettledAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_internal_answer_is_not_given_to_requests_that_came_through_a_proxy()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/settlement/{Guid.NewGuid()}");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var response = await factory.CreateClient().SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("not_found");
        (await factory.CreateClient().GetAsync("/internal/settlement/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_settlement_requests_are_problems()
    {
        var admin = factory.Admin();
        var user = Guid.NewGuid();
        await CreditAsync(user, 300);
        foreach (var (action, remark) in new (string?, string?)[] { ("burn", "x"), (null, "x"), (SettlementActions.Refund, null), (SettlementActions.Refund, "  "), (SettlementActions.Forfeit, new string('r', 201)) })
        {
            var response = await SettleAsync(admin, user, action, remark);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        (await SettleAsync(factory.Renter(user), user, SettlementActions.Forfeit, "mine")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.Renter(user).GetAsync("/api/finance/settlements")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await admin.GetAsync("/api/finance/settlements?status=closed")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.GetAsync("/api/finance/settlements?page=0")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await InDbAsync(db => db.Wallets.SingleAsync(w => w.UserId == user))).BalanceCents.ShouldBe(300);
    }

    private sealed class SettlementResponseComparer : IEqualityComparer<SettlementResponse?>
    {
        public bool Equals(SettlementResponse? x, SettlementResponse? y) =>
            x is not null && y is not null && x.UserId == y.UserId && x.Settled == y.Settled && x.Blockers.SequenceEqual(y.Blockers) && x.BalanceCents == y.BalanceCents;

        public int GetHashCode(SettlementResponse? obj) => obj?.UserId.GetHashCode() ?? 0;
    }
}
