using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Serials.Api.Apis;

/// <summary>
/// The serials' figures for the operator overview (issue 14), each with a daily sparkline over the last 14 days of the
/// reporting zone. Their lists: <c>/api/serials/logs?action=redeem&amp;from=…</c> and <c>/api/serials?status=unused</c>.
/// </summary>
public static class OverviewApi
{
    public static void MapOverviewApi(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("api/serials/admin").WithTags("Serials overview (admin)").RequireAuthorization(Policies.Admin)
            .MapGet("overview", GetOverview);

    public static async Task<Ok<SerialsOverview>> GetOverview(SerialsContext db, TimeProvider clock, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var zone = OverviewSeries.Zone(configuration);
        var days = OverviewSeries.LastDays(now, zone);
        var (from, today, weekStart) = (days[0].Start, days[^1].Start, days[^7].Start);
        var redemptions = await db.UseLogs.AsNoTracking().Where(l => l.Action == SerialActions.Redeem && l.CreatedAt >= from)
            .Select(l => l.CreatedAt).ToListAsync(cancellationToken);
        var daily = OverviewSeries.Count(days, redemptions);

        var unused = await db.Serials.CountAsync(s => s.Status == SerialStatuses.Unused, cancellationToken);
        // Unused at the end of each day: made by then and not yet used then (a serial used later was unused that day).
        var unusedSeries = new List<SeriesPoint>();
        foreach (var day in days)
        {
            var end = day.End < now ? day.End : now;
            unusedSeries.Add(new SeriesPoint(day.Start, await db.Serials.CountAsync(s => s.CreatedAt <= end
                && (s.FirstUsedAt > end || (s.FirstUsedAt == null && s.Status == SerialStatuses.Unused)), cancellationToken)));
        }

        return TypedResults.Ok(new SerialsOverview(
            new OverviewStat(redemptions.Count(at => at >= today), daily),
            new OverviewStat(redemptions.Count(at => at >= weekStart), daily),
            new OverviewStat(unused, unusedSeries),
            today,
            weekStart,
            zone.Id));
    }
}

/// <summary>
/// Redemptions today (since <see cref="TodayFrom"/>) and in the last seven days (since <see cref="WeekFrom"/>), both
/// drawn over the same 14 daily points, and the unused serials.
/// </summary>
public sealed record SerialsOverview(OverviewStat RedemptionsToday, OverviewStat RedemptionsThisWeek, OverviewStat UnusedSerials,
    DateTimeOffset TodayFrom, DateTimeOffset WeekFrom, string TimeZone);
