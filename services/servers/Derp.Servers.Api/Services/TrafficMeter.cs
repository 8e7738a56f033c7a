using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Rentals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Requirements §6.4–§6.6: reads every relay's rx/tx counters from its engine and adds what moved since the last reading
/// to the container, the renter's rental period and the host's month; stops renters past their quota; raises
/// alerts for anomalous rates and hosts past their monthly allowance.
/// </summary>
public sealed class TrafficMeter(ServersContext db, HostAccess hosts, ReconcileSignal signal, Alerts alerts, TimeProvider clock,
    IOptions<ServersOptions> options, ILogger<TrafficMeter> logger)
{
    public async Task MeasureAllAsync(CancellationToken cancellationToken)
    {
        var servers = await db.Servers.Where(s => s.Status != ServerStatuses.Removed).ToListAsync(cancellationToken);
        foreach (var server in servers)
        {
            try
            {
                await MeasureHostAsync(server, cancellationToken);
            }
            catch (HostException e)
            {
                logger.LogWarning("Traffic of {Server} not read: {Error}", server.Name, e.Message);
            }
        }
        await EnforceQuotasAsync(cancellationToken);
    }

    private async Task MeasureHostAsync(Server server, CancellationToken cancellationToken)
    {
        var containers = await db.Containers
            .Where(c => c.ServerId == server.Id && c.DockerId != null && (c.State == ContainerStates.Running || c.State == ContainerStates.Stopped))
            .ToListAsync(cancellationToken);
        if (containers.Count == 0)
            return;
        var readings = await hosts.WithDockerAsync(server, async docker =>
        {
            var list = new List<(RelayContainer Container, ContainerTraffic Traffic)>();
            foreach (var container in containers.Where(c => c.State == ContainerStates.Running))
                list.Add((container, await docker.StatsAsync(container.DockerId!, cancellationToken)));
            return list;
        }, cancellationToken);

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        long hostDelta = 0, hostRate = 0;
        var perRenter = new Dictionary<Guid, long>();
        foreach (var (container, traffic) in readings)
        {
            // Counters restart from zero with the container: then everything counted now is new.
            var rx = traffic.RxBytes >= container.LastRxCounter ? traffic.RxBytes - container.LastRxCounter : traffic.RxBytes;
            var tx = traffic.TxBytes >= container.LastTxCounter ? traffic.TxBytes - container.LastTxCounter : traffic.TxBytes;
            var seconds = container.StatsAt is { } last ? Math.Max(1, (now - last).TotalSeconds) : 0;
            container.RxBytes += rx;
            container.TxBytes += tx;
            container.LastRxCounter = traffic.RxBytes;
            container.LastTxCounter = traffic.TxBytes;
            container.RateBytesPerSecond = seconds > 0 ? (long)((rx + tx) / seconds) : 0;
            container.StatsAt = now;
            hostDelta += rx + tx;
            hostRate += container.RateBytesPerSecond;
            perRenter[container.UserId] = perRenter.GetValueOrDefault(container.UserId) + rx + tx;
            if (container.RateBytesPerSecond > options.Value.RateAlertBytesPerSecond)
                await alerts.RaiseAsync(AlertTypes.TrafficRate, AlertSeverities.Warning, $"traffic_rate:{container.Id}",
                    $"Relay {container.Name} of renter {container.UserId} on {server.Name} moves {container.RateBytesPerSecond / 1024 / 1024} MiB/s, far above normal.",
                    server.Id, container.UserId, container.Id, cancellationToken);
        }
        server.RateBytesPerSecond = hostRate;

        var month = HostTrafficMonth.Of(now);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO host_traffic_months (server_id, month, bytes) VALUES ({server.Id}, {month}, {hostDelta})
            ON CONFLICT (server_id, month) DO UPDATE SET bytes = host_traffic_months.bytes + excluded.bytes
            """, cancellationToken);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var (userId, bytes) in perRenter.Where(p => p.Value > 0))
        {
            // The renter's daily series (their trend chart), in the same transaction as the period's total.
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO renter_traffic_days (user_id, day, bytes) VALUES ({userId}, {day}, {bytes})
                ON CONFLICT (user_id, day) DO UPDATE SET bytes = renter_traffic_days.bytes + excluded.bytes
                """, cancellationToken);
            var renter = await db.Renters.FromSqlInterpolated($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
            if (renter is null)
                continue;
            renter.PeriodBytes += bytes;
            db.AddIntegrationEvent(new RentalTrafficUpdated(userId, renter.RentalId ?? Guid.Empty, renter.PeriodBytes, now), clock);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        ServersMetrics.BytesRelayed.Add(hostDelta, new KeyValuePair<string, object?>("server", server.Name));

        var used = await db.HostTrafficMonths.Where(t => t.ServerId == server.Id && t.Month == month).Select(t => t.Bytes).SingleAsync(cancellationToken);
        if (server.MonthlyTrafficGb is { } allowance && used > allowance * Server.BytesPerGb)
            await alerts.RaiseAsync(AlertTypes.HostAllowance, AlertSeverities.Warning, $"host_allowance:{server.Id}:{month}",
                $"{server.Name} relayed {used / 1024 / 1024 / 1024} GiB this month, over its {allowance} GiB allowance.", server.Id, null, null, cancellationToken);
    }

    /// <summary>A renter past the plan's quota has the relays stopped (by the reconciler) and is told why (TrafficQuotaExceeded).</summary>
    private async Task EnforceQuotasAsync(CancellationToken cancellationToken)
    {
        var over = await db.Renters.Where(r => r.RentalActive && !r.OverQuota && r.QuotaBytes != null && r.PeriodBytes > r.QuotaBytes)
            .Select(r => r.UserId).ToListAsync(cancellationToken);
        foreach (var userId in over)
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var renter = await db.LockRenterAsync(userId, cancellationToken);
                if (RentalProjection.ExceedQuota(renter) == RentalChange.Ignored)
                    continue;
                renter.RequestReconcile();
                db.AddIntegrationEvent(new TrafficQuotaExceeded(userId, renter.RentalId ?? Guid.Empty, renter.PeriodBytes, renter.QuotaBytes!.Value, clock.GetUtcNow()), clock);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            ServersMetrics.QuotaStops.Add(1);
            signal.Wake();
            await alerts.RaiseAsync(AlertTypes.QuotaExceeded, AlertSeverities.Info, $"quota_exceeded:{userId}",
                $"Renter {userId} went over the traffic quota; their relays are stopped.", null, userId, null, cancellationToken);
        }
    }
}
