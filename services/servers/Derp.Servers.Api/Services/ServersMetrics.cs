using Derp.Contracts.Servers;
using System.Diagnostics.Metrics;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Metrics;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Services;

/// <summary>The servers service's own meter, exposed on /metrics.</summary>
public static class ServersMetrics
{
    private static readonly Meter Meter = new("Derp.Servers");

    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>("derp.servers.alerts", description: "Alerts raised by type and severity.");

    public static readonly Counter<long> BytesRelayed = Meter.CreateCounter<long>("derp.servers.relayed", unit: "By",
        description: "Bytes relayed by renters' containers (received + sent), as the engines count them.");

    private static volatile IReadOnlyList<Measurement<long>> _hosts = [];
    private static volatile IReadOnlyList<Measurement<long>> _containers = [];

    static ServersMetrics()
    {
        Meter.CreateObservableGauge("derp.servers.hosts", () => _hosts, description: "Hosts by status (as of the last health check).");
        Meter.CreateObservableGauge("derp.servers.containers", () => _containers, description: "Relay containers by state (as of the last health check).");
    }

    /// <summary>Counts the fleet for the gauges; called by the health check, so a scrape never queries the database.</summary>
    public static async Task RefreshFleetAsync(ServersContext db, CancellationToken cancellationToken)
    {
        var hosts = await db.Servers.GroupBy(s => s.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var containers = await db.Containers.GroupBy(c => c.State).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        _hosts = ServerStatuses.All.Select(status => new Measurement<long>(hosts.FirstOrDefault(h => h.Key == status)?.Count ?? 0,
            new KeyValuePair<string, object?>("status", status))).ToList();
        _containers = ContainerStates.All.Select(state => new Measurement<long>(containers.FirstOrDefault(c => c.Key == state)?.Count ?? 0,
            new KeyValuePair<string, object?>("state", state))).ToList();
    }

    public static readonly Histogram<double> ProvisioningDuration = Meter.CreateHistogram<double>("derp.servers.provisioning_duration", unit: "s",
        description: "From a renter's first new relay being placed (the request taken up) to all of the renter's relays running and announced.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800] });

    public static readonly Counter<long> QuotaStops = Meter.CreateCounter<long>("derp.servers.quota_stops",
        description: "Renters whose relays were stopped for going over their traffic quota.");

    /// <summary>The fleet figures read from the database in the background (building-blocks DatabaseGaugeRefresher).</summary>
    public static void AddServersGauges(this IServiceCollection services)
    {
        services.AddDatabaseGauge<ServersContext>("derp.servers.relays_probe_failing", "Running relays whose last probe failed.",
            $"SELECT count(*) FROM containers WHERE state = '{ContainerStates.Running}' AND probe_ok = false");
        services.AddDatabaseGauge<ServersContext>("derp.servers.open_alerts", "Alerts not yet resolved, by type and severity.",
            "SELECT type, severity, count(*) FROM alerts WHERE resolved_at IS NULL GROUP BY type, severity");
        services.AddDatabaseGauge<ServersContext>("derp.servers.host_up", "1 when the host's last health check succeeded, else 0 (removed hosts are absent).",
            $"SELECT name AS host, region_code AS region, CASE WHEN consecutive_failures = 0 AND status <> '{ServerStatuses.Unhealthy}' THEN 1 ELSE 0 END FROM servers WHERE status <> '{ServerStatuses.Removed}'");
        services.AddDatabaseGauge<ServersContext>("derp.servers.host_latency", "The host's SSH + engine round trip at its last health check.",
            $"SELECT name AS host, region_code AS region, latency_ms / 1000.0 FROM servers WHERE status <> '{ServerStatuses.Removed}' AND latency_ms IS NOT NULL", unit: "s");
        // Free relay slots of the hosts that take new relays: slots (capacity, bounded by the port range) minus live relays.
        services.AddDatabaseGauge<ServersContext>("derp.servers.capacity_free", "Relay slots free on active hosts, by region.",
            $"""
            SELECT s.region_code AS region,
                   sum(greatest(0, least(s.capacity, (s.port_range_end - s.port_range_start + 1) / 2)
                       - (SELECT count(*) FROM containers c WHERE c.server_id = s.id AND c.state IN ({string.Join(", ", ContainerStates.Live.Select(l => $"'{l}'"))}))))
            FROM servers s WHERE s.status = '{ServerStatuses.Active}' GROUP BY s.region_code
            """);
    }

    public static readonly Counter<long> ProvisioningFailures = Meter.CreateCounter<long>("derp.servers.provisioning_failures",
        description: "Relay container creations or starts that failed on a host.");
}
