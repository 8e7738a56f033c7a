using Derp.Servers.Api.Services;
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

/// <summary>
/// The safety net under the reconcile loop (ADR-008): every minute one replica looks at what every engine runs and
/// reconciles whatever differs (a relay that died, a request whose wake-up was lost, a retry that came due).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReconcileJob(Reconciler reconciler) : IJob
{
    public static readonly JobKey Key = new("servers-reconcile");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await reconciler.SweepAsync(cancellationToken);
}
