using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Servers.Api.Jobs;

// Clustered Quartz with [DisallowConcurrentExecution]: one replica runs each job at a time.

[DisallowConcurrentExecution]
public sealed class HealthCheckJob(HealthMonitor monitor) : IJob
{
    public static readonly JobKey Key = new("servers-health");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await monitor.CheckAllAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class TrafficJob(TrafficMeter meter) : IJob
{
    public static readonly JobKey Key = new("servers-traffic");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await meter.MeasureAllAsync(cancellationToken);
}

/// <summary>Finishes what an interrupted run left: renters short of relays (a host failed, a crash) and hosts being drained.</summary>
[DisallowConcurrentExecution]
public sealed class ReconcileJob(Reconciler reconciler) : IJob
{
    public static readonly JobKey Key = new("servers-reconcile");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await reconciler.RunAsync(cancellationToken);
}

public sealed class Reconciler(ServersContext db, Provisioner provisioner, Drainer drainer, IOptions<ServersOptions> options)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var serverId in await db.Servers.Where(s => s.Status == ServerStatuses.Draining).Select(s => s.Id).ToListAsync(cancellationToken))
            await drainer.DrainAsync(serverId, cancellationToken);

        var wanted = options.Value.RelaysPerRenter;
        var shortOfRelays = await db.Renters
            .Where(r => r.Active && !r.Deregistered && !r.OverQuota)
            .Where(r => db.Containers.Count(c => c.UserId == r.UserId && ContainerStates.Live.Contains(c.State)
                && (c.Server!.Status == ServerStatuses.Active || c.Server.Status == ServerStatuses.Unhealthy)) < wanted
                || db.Containers.Any(c => c.UserId == r.UserId && c.State == ContainerStates.Pending))
            .Select(r => r.UserId).Take(100).ToListAsync(cancellationToken);
        foreach (var userId in shortOfRelays)
            await provisioner.EnsureProvisionedAsync(userId, ProvisioningReasons.Reprovisioned, cancellationToken);
    }
}
