using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Finance.Api.Apis;

/// <summary>
/// The finance dashboard's figures. Revenue is recognised when a plan order is paid (its price snapshot, on its paidAt)
/// and reduced by refunds when they are recorded (refundedAt): wallet top-ups are a liability, donations are shown apart.
/// </summary>
public static class StatsApi
{
    /// <summary>About three years of days: a chart wider than that says nothing per day.</summary>
    public static readonly TimeSpan MaxDayRange = TimeSpan.FromDays(3 * 366);

    public static readonly TimeSpan MaxMonthRange = TimeSpan.FromDays(30 * 366);

    // Bounds that keep every date calculation far from DateTimeOffset's ends.
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("api/finance/stats").WithTags("Statistics").RequireAuthorization(Policies.Admin)
            .MapGet("", GetStats);
        return routes;
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetStats(
        FinanceContext db, TimeProvider clock, IOptions<ReportingOptions> options, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string groupBy = StatsGroupings.Day)
    {
        if (!StatsGroupings.All.Contains(groupBy))
            return ApiProblems.Validation("groupBy", $"groupBy must be one of: {string.Join(", ", StatsGroupings.All)}.");
        if (OutOfBounds(from) || OutOfBounds(to))
            return ApiProblems.Validation(OutOfBounds(from) ? "from" : "to", "Dates must lie between the years 2000 and 2200.");
        var zone = ReportingPeriods.Zone(options.Value.ReportingTimeZone);
        var now = clock.GetUtcNow();
        // Without a range: the last 30 days, or the last 12 months, up to now.
        var end = (to ?? now).ToUniversalTime();
        var start = from?.ToUniversalTime() ?? ReportingPeriods.Shift(ReportingPeriods.StartOf(end, groupBy, zone), groupBy, zone,
            groupBy == StatsGroupings.Month ? -11 : -29);
        if (start >= end)
            return ApiProblems.Validation("to", "to must be later than from.");
        var maxRange = groupBy == StatsGroupings.Day ? MaxDayRange : MaxMonthRange;
        if (end - start > maxRange)
            return ApiProblems.Validation("from", $"A {groupBy} series covers at most {(int)maxRange.TotalDays} days; group by month or narrow the range.");

        var paid = await db.Orders.AsNoTracking().Where(o => o.PaidAt >= start && o.PaidAt < end)
            .Select(o => new { PaidAt = o.PaidAt!.Value, o.PriceCents, o.PlanId, o.PlanNameZh, o.PlanNameEn, o.Type })
            .ToListAsync(cancellationToken);
        var refunds = await db.Orders.AsNoTracking().Where(o => o.RefundedAt >= start && o.RefundedAt < end && o.RefundedCents > 0)
            .Select(o => new { RefundedAt = o.RefundedAt!.Value, o.RefundedCents, o.PlanId, o.PlanNameZh, o.PlanNameEn })
            .ToListAsync(cancellationToken);

        var paidBuckets = ReportingPeriods.Bucket(paid.Select(o => (o.PaidAt, o.PriceCents)), groupBy, zone);
        var refundBuckets = ReportingPeriods.Bucket(refunds.Select(o => (o.RefundedAt, o.RefundedCents)), groupBy, zone);
        var series = ReportingPeriods.Between(start, end, groupBy, zone).Select(p =>
        {
            var (paidCents, orders) = paidBuckets.GetValueOrDefault(p.Label);
            return new StatsPoint(p.Label, paidCents - refundBuckets.GetValueOrDefault(p.Label).Sum, orders);
        }).ToList();

        var names = await db.Plans.AsNoTracking().Select(p => new { p.Id, p.NameZh, p.NameEn }).ToDictionaryAsync(p => p.Id, cancellationToken);
        var plans = paid.Select(o => (o.PlanId, o.PlanNameZh, o.PlanNameEn, Orders: 1, Cents: o.PriceCents))
            .Concat(refunds.Select(o => (o.PlanId, o.PlanNameZh, o.PlanNameEn, Orders: 0, Cents: -o.RefundedCents)))
            .GroupBy(o => o.PlanId)
            .Select(g =>
            {
                // The plan's current name when it still exists, else the name its orders were sold under.
                var snapshot = g.First();
                var name = names.GetValueOrDefault(g.Key);
                return new PlanStats(g.Key, name?.NameZh ?? snapshot.PlanNameZh, name?.NameEn ?? snapshot.PlanNameEn, g.Sum(o => o.Orders), g.Sum(o => o.Cents));
            })
            .OrderByDescending(p => p.RevenueCents).ThenBy(p => p.PlanId).ToList();

        var statusCounts = await db.Orders.AsNoTracking().Where(o => o.CreatedAt >= start && o.CreatedAt < end)
            .GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var ordersByStatus = OrderStatuses.All.ToDictionary(s => s, s => statusCounts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);

        var monthStart = ReportingPeriods.StartOf(now, StatsGroupings.Month, zone);
        var thisMonth = await RevenueAsync(db, monthStart, ReportingPeriods.NextStart(monthStart, StatsGroupings.Month, zone), cancellationToken);
        var allTime = await RevenueAsync(db, null, null, cancellationToken);

        var prepaid = await db.Wallets.AsNoTracking().Where(w => w.Kind == WalletKinds.Renter).SumAsync(w => w.BalanceCents, cancellationToken);
        var donationsInRange = db.Donations.AsNoTracking().Where(d => d.CreatedAt >= start && d.CreatedAt < end);
        var donations = new DonationStats(await donationsInRange.CountAsync(cancellationToken), await donationsInRange.SumAsync(d => d.AmountCents, cancellationToken));
        var awaitingSettlement = await db.SettlementCases.CountAsync(c => c.SettledAt == null, cancellationToken);

        return TypedResults.Ok(new StatsResponse(
            Currencies.Cny,
            start,
            end,
            groupBy,
            options.Value.ReportingTimeZone,
            paid.Sum(o => o.PriceCents) - refunds.Sum(o => o.RefundedCents),
            thisMonth,
            allTime,
            series,
            ordersByStatus,
            plans,
            paid.Count(o => o.Type == OrderTypes.New),
            paid.Count(o => o.Type == OrderTypes.Renewal),
            prepaid,
            donations,
            awaitingSettlement));
    }

    private static bool OutOfBounds(DateTimeOffset? instant) => instant is { } at && (at < Earliest || at > Latest);

    /// <summary>Price of the orders paid in [from, to) minus what was refunded in it; open ends mean all time.</summary>
    private static async Task<long> RevenueAsync(FinanceContext db, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var orders = db.Orders.AsNoTracking();
        var paid = await orders.Where(o => o.PaidAt != null && (from == null || o.PaidAt >= from) && (to == null || o.PaidAt < to))
            .SumAsync(o => o.PriceCents, cancellationToken);
        var refunded = await orders.Where(o => o.RefundedAt != null && (from == null || o.RefundedAt >= from) && (to == null || o.RefundedAt < to))
            .SumAsync(o => o.RefundedCents, cancellationToken);
        return paid - refunded;
    }
}

public sealed record StatsPoint(string Period, long RevenueCents, int Orders);

public sealed record PlanStats(Guid PlanId, string NameZh, string NameEn, int Orders, long RevenueCents);

public sealed record DonationStats(int Count, long AmountCents);

public sealed record StatsResponse(
    string Currency,
    DateTimeOffset From,
    DateTimeOffset To,
    string GroupBy,
    string TimeZone,
    long RevenueCents,
    long RevenueThisMonthCents,
    long RevenueAllTimeCents,
    IReadOnlyList<StatsPoint> Series,
    IReadOnlyDictionary<string, int> OrdersByStatus,
    IReadOnlyList<PlanStats> Plans,
    int NewOrders,
    int RenewalOrders,
    long PrepaidBalanceCents,
    DonationStats Donations,
    int AwaitingSettlement);
