using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Statistics;
using Derp.Users.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Apis;

/// <summary>
/// The renters' figures for the operator overview (issue 14), each with a daily sparkline in the reporting zone. Their
/// lists: <c>/api/users/rentals?status=active</c>, <c>/api/users/rentals?expiringWithinDays=7</c> and
/// <c>/api/users?role=renter</c> (newest first).
/// </summary>
public static class OverviewApi
{
    /// <summary>"Expiring soon" is the first reminder's horizon (7 days before expiry).</summary>
    public const int ExpiringWithinDays = 7;

    public static void MapOverviewApi(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("api/users/admin").WithTags("Renters overview (admin)").RequireAuthorization(Policies.Admin)
            .MapGet("overview", GetOverview);

    public static async Task<Ok<UsersOverview>> GetOverview(UsersContext db, TimeProvider clock, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var zone = OverviewSeries.Zone(configuration);
        var days = OverviewSeries.LastDays(now, zone);

        var active = await db.Rentals.CountAsync(r => r.Status == RentalStatuses.Active, cancellationToken);
        // Active at the end of each day: a rental with a paid period covering that instant (closed accounts excluded).
        var activeSeries = new List<SeriesPoint>();
        foreach (var day in days)
        {
            var end = day.End < now ? day.End : now;
            activeSeries.Add(new SeriesPoint(day.Start, await db.RentalPeriods
                .Where(p => p.StartsAt <= end && p.EndsAt > end && db.Rentals.Any(r => r.Id == p.RentalId && r.Status != RentalStatuses.Closed))
                .Select(p => p.RentalId).Distinct().CountAsync(cancellationToken)));
        }

        // The same rows as the rentals list's expiringWithinDays=7; the sparkline shows the days ahead they expire on.
        var until = now.AddDays(ExpiringWithinDays);
        var expiring = await db.Rentals.Where(r => r.Status == RentalStatuses.Active && r.ExpiresAt <= until)
            .Select(r => r.ExpiresAt).ToListAsync(cancellationToken);
        var ahead = OverviewSeries.NextDays(now, zone, ExpiringWithinDays + 1);

        var firstDay = days[0].Start;
        var weekStart = days[^7].Start;
        var registered = await db.Users.Where(u => u.Role == Roles.Renter && u.CreatedAt >= firstDay).Select(u => u.CreatedAt).ToListAsync(cancellationToken);

        return TypedResults.Ok(new UsersOverview(
            new OverviewStat(active, activeSeries),
            new OverviewStat(expiring.Count, OverviewSeries.Count(ahead, expiring.Select(at => at < now ? now : at))),
            new OverviewStat(registered.Count(at => at >= weekStart), OverviewSeries.Count(days, registered)),
            ExpiringWithinDays,
            weekStart,
            zone.Id));
    }
}

/// <summary>
/// Active rentals (sparkline: active at each day's end), rentals expiring within <see cref="ExpiringWithinDays"/> days
/// (sparkline: per day ahead) and renters registered since <see cref="NewRentersFrom"/> (sparkline: per day, 14 days).
/// </summary>
public sealed record UsersOverview(OverviewStat ActiveRentals, OverviewStat ExpiringSoon, OverviewStat NewRenters, int ExpiringWithinDays,
    DateTimeOffset NewRentersFrom, string TimeZone);
