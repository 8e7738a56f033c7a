using Derp.Contracts.Servers;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Derp.ServiceDefaults.Statistics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Apis;

/// <summary>
/// The fleet's figures for the operator overview (issue 14: healthy hosts, open alerts, relays failing their probe,
/// fleet traffic, each with a sparkline) and the fleet charts of the hosts page. Each figure has a list that shows its
/// rows: <c>/api/servers?status=unhealthy</c>, <c>/api/alerts?resolved=false</c>, <c>/api/servers/containers?probe=failing</c>.
/// </summary>
public static class OverviewApi
{
    public static void MapOverviewApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/servers").WithTags("Fleet overview (admin)").RequireAuthorization(Policies.Admin);
        api.MapGet("admin/overview", GetOverview);
        api.MapGet("fleet", GetFleet);
    }

    public static async Task<Ok<ServersOverview>> GetOverview([AsParameters] ServersServices services, IConfiguration configuration,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var zone = OverviewSeries.Zone(configuration);
        var hours = OverviewSeries.LastHours(now);
        var days = OverviewSeries.LastDays(now, zone);

        var hosts = await db.Servers.AsNoTracking().Where(s => s.Status != ServerStatuses.Removed)
            .Select(s => new { s.Id, s.Status, s.RateBytesPerSecond }).ToListAsync(cancellationToken);
        var (hoursFrom, hoursTo, daysFrom, daysTo) = (hours[0].Start, hours[^1].End, days[0].Start, days[^1].End);
        var samples = await db.HostSamples.AsNoTracking().Where(s => s.At >= hoursFrom && s.At < hoursTo)
            .Select(s => new { s.ServerId, s.At, s.Reachable, s.RateBytesPerSecond }).ToListAsync(cancellationToken);
        var perHour = samples.GroupBy(s => OverviewSeries.IndexOf(hours, s.At)).ToDictionary(g => g.Key, g => g.ToList());
        // Per hour: the hosts whose last check in it answered, and the fleet's rate (each host's average rate, summed).
        var healthySeries = hours.Select((h, i) => new SeriesPoint(h.Start, perHour.TryGetValue(i, out var list)
            ? list.GroupBy(s => s.ServerId).Count(g => g.MaxBy(s => s.At)!.Reachable) : 0)).ToList();
        var rateSeries = hours.Select((h, i) => new SeriesPoint(h.Start, perHour.TryGetValue(i, out var list)
            ? Math.Round(list.GroupBy(s => s.ServerId).Sum(g => g.Average(s => (double)s.RateBytesPerSecond))) : 0)).ToList();

        var openAlerts = await db.Alerts.AsNoTracking().Where(a => a.ResolvedAt == null)
            .GroupBy(a => a.Severity).Select(g => new { Severity = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var raised = await db.Alerts.AsNoTracking().Where(a => a.CreatedAt >= daysFrom && a.CreatedAt < daysTo)
            .Select(a => new { a.CreatedAt, a.Type }).ToListAsync(cancellationToken);

        var relays = await db.Containers.AsNoTracking().Where(c => c.State == ContainerStates.Running)
            .GroupBy(c => c.ProbeOk == false).Select(g => new { Failing = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var month = HostTrafficMonth.Of(now);
        var monthBytes = await db.HostTrafficMonths.AsNoTracking().Where(t => t.Month == month).SumAsync(t => t.Bytes, cancellationToken);

        return TypedResults.Ok(new ServersOverview(
            new OverviewStat(hosts.Count(h => h.Status != ServerStatuses.Unhealthy), healthySeries),
            hosts.Count,
            new OverviewStat(openAlerts.Sum(a => a.Count), OverviewSeries.Count(days, raised.Select(a => a.CreatedAt))),
            openAlerts.Where(a => a.Severity == AlertSeverities.Critical).Sum(a => a.Count),
            new OverviewStat(relays.Where(r => r.Failing).Sum(r => r.Count),
                OverviewSeries.Count(days, raised.Where(a => a.Type == AlertTypes.RelayUnreachable).Select(a => a.CreatedAt))),
            relays.Sum(r => r.Count),
            new OverviewStat(hosts.Sum(h => h.RateBytesPerSecond), rateSeries),
            monthBytes,
            zone.Id));
    }

    /// <summary>
    /// The hosts page's charts: per host its relayed rate, relays, latency and availability, and the fleet's total rate,
    /// over one window (ChartRange: by default the last day, or since the fleet's first sample when it is younger).
    /// </summary>
    public static async Task<Results<Ok<FleetSeries>, ValidationProblem>> GetFleet([AsParameters] ServersServices services,
        IOptions<ServersOptions> options, DateTimeOffset? from = null, DateTimeOffset? to = null, string? step = null,
        CancellationToken cancellationToken = default)
    {
        var db = services.Db;
        var hosts = await db.Servers.AsNoTracking().Where(s => s.Status != ServerStatuses.Removed)
            .OrderBy(s => s.RegionCode).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var ids = hosts.Select(h => h.Id).ToList();
        var firstSample = from is null
            ? await db.HostSamples.Where(s => ids.Contains(s.ServerId)).MinAsync(s => (DateTimeOffset?)s.At, cancellationToken)
            : null;
        var (window, field, error) = ChartRange.Resolve(from, to, step, firstSample, services.Clock.GetUtcNow());
        if (window is null)
            return ApiProblems.Validation(field!, error!);

        var samples = await db.HostSamples.AsNoTracking().Where(s => ids.Contains(s.ServerId) && s.At >= window.From && s.At <= window.To)
            .OrderBy(s => s.At).ToListAsync(cancellationToken);
        var byHost = samples.GroupBy(s => s.ServerId).ToDictionary(g => g.Key, g => g.GroupBy(s => ChartRange.BucketOf(window, s.At)).ToList());
        var series = hosts.Select(h =>
        {
            var buckets = byHost.GetValueOrDefault(h.Id) ?? [];
            return new HostSeries(h.Id, h.Name, h.RegionCode, h.Status, h.Capacity,
                buckets.Select(b => new SeriesPoint(b.Key, Math.Round(b.Average(s => (double)s.RateBytesPerSecond)))).ToList(),
                buckets.Select(b => new SeriesPoint(b.Key, b.Max(s => s.Containers))).ToList(),
                buckets.Where(b => b.Any(s => s.LatencyMs is not null))
                    .Select(b => new SeriesPoint(b.Key, Math.Round(b.Where(s => s.LatencyMs is not null).Average(s => s.LatencyMs!.Value), 2))).ToList(),
                buckets.Select(b => new SeriesPoint(b.Key, Math.Round((double)b.Count(s => s.Reachable) / b.Count(), 3))).ToList());
        }).ToList();
        var fleetRate = series.SelectMany(h => h.RateBytesPerSecond).GroupBy(p => p.T).OrderBy(g => g.Key)
            .Select(g => new SeriesPoint(g.Key, g.Sum(p => p.V))).ToList();
        var fleetRelays = series.SelectMany(h => h.Relays).GroupBy(p => p.T).OrderBy(g => g.Key)
            .Select(g => new SeriesPoint(g.Key, g.Sum(p => p.V))).ToList();
        return TypedResults.Ok(new FleetSeries(window.From, window.To, (int)window.Step.TotalSeconds, fleetRate, fleetRelays,
            hosts.Sum(h => h.Capacity), options.Value.RateAlertBytesPerSecond, series));
    }
}

/// <summary>The fleet's figures; each <see cref="OverviewStat"/> carries its sparkline (hours for hosts and traffic, days for alerts).</summary>
public sealed record ServersOverview(
    OverviewStat HealthyHosts,
    int TotalHosts,
    OverviewStat OpenAlerts,
    int CriticalAlerts,
    OverviewStat FailingRelays,
    int RunningRelays,
    OverviewStat FleetRateBytesPerSecond,
    long TrafficThisMonthBytes,
    string TimeZone);

public sealed record HostSeries(Guid Id, string Name, string RegionCode, string Status, int Capacity,
    IReadOnlyList<SeriesPoint> RateBytesPerSecond, IReadOnlyList<SeriesPoint> Relays, IReadOnlyList<SeriesPoint> LatencyMs,
    IReadOnlyList<SeriesPoint> Availability);

/// <summary>
/// One window of fleet charts. <see cref="RateAlertBytesPerSecond"/> is the per-relay rate above which an alert is raised
/// and <see cref="Capacity"/> the fleet's relay slots: the thresholds the charts draw.
/// </summary>
public sealed record FleetSeries(DateTimeOffset From, DateTimeOffset To, int StepSeconds, IReadOnlyList<SeriesPoint> RateBytesPerSecond,
    IReadOnlyList<SeriesPoint> Relays, int Capacity, long RateAlertBytesPerSecond, IReadOnlyList<HostSeries> Hosts);
