using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Model;
using Derp.TestSupport;

namespace Derp.Finance.FunctionalTests;

/// <summary>The dashboard's figures against orders the test wrote, in a window (2031, Beijing time) nothing else touches.</summary>
public sealed class StatsApiTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static string Query(DateTimeOffset from, DateTimeOffset to, string groupBy) =>
        $"/api/finance/stats?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&groupBy={groupBy}";

    [Fact]
    public async Task Revenue_counts_paid_orders_at_their_price_less_refunds_in_beijing_months()
    {
        var admin = factory.Admin();
        var from = new DateTimeOffset(2031, 1, 1, 0, 0, 0, Beijing);
        var to = new DateTimeOffset(2031, 4, 1, 0, 0, 0, Beijing);
        var before = await admin.GetFromJsonAsync<StatsResponse>(Query(from, to, "month"));

        var monthly = FinanceRows.Plan("30 days", 30, 3_000);
        var halfYear = FinanceRows.Plan("180 days", 180, 15_000);
        var shortPlan = FinanceRows.Plan("3 days", 3, 500);
        var renter = Guid.NewGuid();
        var now = factory.Clock.GetUtcNow();
        await factory.AddAsync(monthly, halfYear, shortPlan,
            // 23:30 on 31 January in Beijing (still January) and 00:30 on 1 February (already February, though January in UTC).
            FinanceRows.Order(renter, monthly, OrderStatuses.Paid, OrderTypes.New, paidAt: new DateTimeOffset(2031, 1, 31, 23, 30, 0, Beijing)),
            FinanceRows.Order(renter, monthly, OrderStatuses.Fulfilled, OrderTypes.Renewal, paidAt: new DateTimeOffset(2031, 2, 1, 0, 30, 0, Beijing)),
            // Paid in February, refunded in full in March: revenue in February, a negative in March.
            FinanceRows.Order(renter, halfYear, OrderStatuses.Refunded, OrderTypes.New, paidAt: new DateTimeOffset(2031, 2, 10, 12, 0, 0, Beijing),
                refundedAt: new DateTimeOffset(2031, 3, 5, 12, 0, 0, Beijing), refundedCents: 15_000),
            FinanceRows.Order(renter, monthly, OrderStatuses.PendingPayment, createdAt: new DateTimeOffset(2031, 3, 20, 9, 0, 0, Beijing)),
            FinanceRows.Order(renter, monthly, OrderStatuses.Expired, createdAt: new DateTimeOffset(2031, 3, 21, 9, 0, 0, Beijing)),
            // One minute before the window opens in Beijing: all time, not in range.
            FinanceRows.Order(renter, halfYear, OrderStatuses.Paid, OrderTypes.Renewal, paidAt: new DateTimeOffset(2030, 12, 31, 23, 59, 0, Beijing)),
            // Paid now: this month.
            FinanceRows.Order(renter, shortPlan, OrderStatuses.Paid, paidAt: now),
            new Donation
            {
                Id = Guid.NewGuid(), UserId = renter, SerialId = Guid.NewGuid(), FullCode = "DON-STATS", AmountCents = 999, Currency = Currencies.Cny,
                CreatedAt = new DateTimeOffset(2031, 2, 15, 0, 0, 0, TimeSpan.Zero),
            },
            new SettlementCase { UserId = Guid.NewGuid(), Blockers = [SettlementBlockers.Balance], BalanceCents = 1, FirstAskedAt = now, LastAskedAt = now });
        (await admin.PostAsJsonAsync($"/api/finance/wallets/{Guid.NewGuid()}/adjustments", new { amountCents = 777, reason = "prepaid" })).EnsureSuccessStatusCode();

        var stats = await admin.GetFromJsonAsync<StatsResponse>(Query(from, to, "month"));

        stats!.Currency.ShouldBe(Currencies.Cny);
        stats.Series.Select(p => (p.Period, p.RevenueCents, p.Orders)).ShouldBe([("2031-01", 3_000L, 1), ("2031-02", 18_000L, 2), ("2031-03", -15_000L, 0)]);
        stats.RevenueCents.ShouldBe(6_000);
        stats.Plans.Single(p => p.PlanId == monthly.Id).ShouldSatisfyAllConditions(p => p.Orders.ShouldBe(2), p => p.RevenueCents.ShouldBe(6_000), p => p.NameEn.ShouldBe("30 days"));
        stats.Plans.Single(p => p.PlanId == halfYear.Id).ShouldSatisfyAllConditions(p => p.Orders.ShouldBe(1), p => p.RevenueCents.ShouldBe(0));
        stats.Plans.Count.ShouldBe(2);
        (stats.NewOrders, stats.RenewalOrders).ShouldBe((2, 1));
        stats.OrdersByStatus.ShouldBe(new Dictionary<string, int>
        {
            [OrderStatuses.PendingPayment] = 1, [OrderStatuses.Paid] = 1, [OrderStatuses.Fulfilled] = 1,
            [OrderStatuses.Cancelled] = 0, [OrderStatuses.Expired] = 1, [OrderStatuses.Refunded] = 1,
        });
        stats.Donations.ShouldBe(new DonationStats(1, 999));
        stats.RevenueAllTimeCents.ShouldBe(before!.RevenueAllTimeCents + 3_000 + 3_000 + 15_000 - 15_000 + 15_000 + 500);
        stats.RevenueThisMonthCents.ShouldBe(before.RevenueThisMonthCents + 500);
        stats.PrepaidBalanceCents.ShouldBe(before.PrepaidBalanceCents + 777);
        stats.AwaitingSettlement.ShouldBe(before.AwaitingSettlement + 1);

        var days = await admin.GetFromJsonAsync<StatsResponse>(Query(new DateTimeOffset(2031, 1, 31, 0, 0, 0, Beijing), new DateTimeOffset(2031, 2, 2, 0, 0, 0, Beijing), "day"));
        days!.Series.Select(p => (p.Period, p.RevenueCents)).ShouldBe([("2031-01-31", 3_000L), ("2031-02-01", 3_000L)]);
        days.RevenueCents.ShouldBe(6_000);
    }

    [Fact]
    public async Task Without_a_range_the_last_thirty_days_are_shown()
    {
        var stats = await factory.Admin().GetFromJsonAsync<StatsResponse>("/api/finance/stats");
        stats!.Series.Count.ShouldBe(30);
        stats.GroupBy.ShouldBe("day");
        stats.To.ShouldBe(factory.Clock.GetUtcNow());
        (await factory.Admin().GetFromJsonAsync<StatsResponse>("/api/finance/stats?groupBy=month"))!.Series.Count.ShouldBe(12);
    }

    [Fact]
    public async Task Bad_ranges_are_problems_and_renters_are_refused()
    {
        var admin = factory.Admin();
        var start = new DateTimeOffset(2031, 1, 1, 0, 0, 0, Beijing);
        foreach (var query in new[]
                 {
                     Query(start, start, "day"),
                     Query(start, start.AddDays(-1), "month"),
                     Query(start, start.AddYears(4), "day"),
                     Query(start, start.AddYears(40), "month"),
                     Query(start, start.AddDays(1), "week"),
                     "/api/finance/stats?from=0001-01-01T00:00:00Z&to=0001-02-01T00:00:00Z",
                     "/api/finance/stats?from=9999-12-31T23:59:59Z",
                 })
        {
            var response = await admin.GetAsync(query);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
            (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        (await admin.GetAsync("/api/finance/stats?from=someday")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync(Query(start, start.AddYears(3), "day"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync(Query(start, start.AddYears(20), "month"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await factory.Renter(Guid.NewGuid()).GetAsync("/api/finance/stats")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
