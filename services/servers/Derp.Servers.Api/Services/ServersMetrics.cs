using Derp.Contracts.Servers;
using System.Diagnostics.Metrics;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
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

    public static readonly Counter<long> ProvisioningFailures = Meter.CreateCounter<long>("derp.servers.provisioning_failures",
        description: "Relay container creations or starts that failed on a host.");
}
