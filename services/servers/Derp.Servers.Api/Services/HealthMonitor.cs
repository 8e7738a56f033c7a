using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Requirements §6.3: each host's SSH reachability and latency and each relay's HTTP probe, every minute. A host changes
/// state only after several checks in a row agree, so one lost packet does not move renters around.
/// </summary>
public sealed class HealthMonitor(ServersContext db, HostAccess hosts, Alerts alerts, IHttpClientFactory httpClients, TimeProvider clock,
    IOptions<ServersOptions> options, ILogger<HealthMonitor> logger)
{
    public const string ProbeClient = "relay-probe";
    private readonly ServersOptions _options = options.Value;

    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        var servers = await db.Servers.Where(s => s.Status != ServerStatuses.Removed).ToListAsync(cancellationToken);
        // Hosts are checked in parallel (each is mostly waiting on the network); the database work stays sequential.
        var checks = await Task.WhenAll(servers.Select(async server => (Server: server, Result: await PingAsync(server, cancellationToken))));
        var live = await db.Containers.Where(c => ContainerStates.Live.Contains(c.State)).GroupBy(c => c.ServerId)
            .Select(g => new { ServerId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.ServerId, g => g.Count, cancellationToken);
        foreach (var (server, (latency, error)) in checks)
            await RecordAsync(server, latency, error, live.GetValueOrDefault(server.Id), cancellationToken);
        await ProbeRelaysAsync(servers.Where(s => s.LastError is null).Select(s => s.Id).ToList(), cancellationToken);
        await db.HostSamples.Where(s => s.At < clock.GetUtcNow() - _options.SampleRetention).ExecuteDeleteAsync(cancellationToken);
        await ServersMetrics.RefreshFleetAsync(db, cancellationToken);
    }

    private async Task<(TimeSpan? Latency, string? Error)> PingAsync(Server server, CancellationToken cancellationToken)
    {
        try
        {
            return (await hosts.PingAsync(server, cancellationToken), null);
        }
        catch (HostException e)
        {
            return (null, e.Message);
        }
    }

    private async Task RecordAsync(Server server, TimeSpan? latency, string? error, int liveContainers, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reachable = latency is not null;
        server.LastCheckedAt = now;
        server.LatencyMs = latency?.TotalMilliseconds;
        server.LastError = error is null ? null : Placement.Truncate(error);
        server.ConsecutiveFailures = reachable ? 0 : server.ConsecutiveFailures + 1;
        server.ConsecutiveSuccesses = reachable ? server.ConsecutiveSuccesses + 1 : 0;
        db.HostSamples.Add(new HostSample
        {
            ServerId = server.Id,
            At = now,
            Reachable = reachable,
            LatencyMs = server.LatencyMs,
            RateBytesPerSecond = server.RateBytesPerSecond,
            Containers = liveContainers,
        });

        bool? turnedHealthy = null;
        if (server.Status == ServerStatuses.Active && server.ConsecutiveFailures >= _options.UnhealthyAfter)
        {
            server.Status = ServerStatuses.Unhealthy;
            turnedHealthy = false;
        }
        else if (server.Status == ServerStatuses.Unhealthy && server.ConsecutiveSuccesses >= _options.HealthyAfter)
        {
            server.Status = ServerStatuses.Active;
            turnedHealthy = true;
        }
        if (turnedHealthy is { } healthy)
            db.AddIntegrationEvent(new ServerHealthChanged(server.Id, server.Name, healthy, error, now), clock);
        await db.SaveChangesAsync(cancellationToken);

        if (turnedHealthy == false)
        {
            hosts.Forget(server.Id);
            logger.LogWarning("Host {Server} is unhealthy after {Failures} failed checks: {Error}", server.Name, server.ConsecutiveFailures, error);
            await alerts.RaiseAsync(AlertTypes.HostUnhealthy, AlertSeverities.Critical, $"host_unhealthy:{server.Id}",
                $"{server.Name} failed {server.ConsecutiveFailures} health checks in a row: {error}. New rentals avoid it.", server.Id, null, null, cancellationToken);
        }
        else if (turnedHealthy == true)
        {
            await alerts.ResolveAsync($"host_unhealthy:{server.Id}", cancellationToken);
            await alerts.RaiseAsync(AlertTypes.HostRecovered, AlertSeverities.Info, $"host_recovered:{server.Id}:{now:yyyyMMddHHmm}",
                $"{server.Name} answers again ({server.ConsecutiveSuccesses} good checks).", server.Id, null, null, cancellationToken);
        }
    }

    /// <summary>An HTTP request to each running relay's DERP port, as a client would make it.</summary>
    private async Task ProbeRelaysAsync(List<Guid> reachableServers, CancellationToken cancellationToken)
    {
        var containers = await db.Containers.Include(c => c.Server)
            .Where(c => c.State == ContainerStates.Running && reachableServers.Contains(c.ServerId)).ToListAsync(cancellationToken);
        var http = httpClients.CreateClient(ProbeClient);
        var results = await Task.WhenAll(containers.Select(async c => (Container: c, LatencyMs: await ProbeAsync(http, c, cancellationToken))));
        var now = clock.GetUtcNow();
        foreach (var (container, latencyMs) in results)
        {
            container.ProbeOk = latencyMs is not null;
            container.ProbeLatencyMs = latencyMs;
            container.ProbedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (container, ok) in results.Select(r => (r.Container, r.LatencyMs is not null)))
        {
            var key = $"relay_unreachable:{container.Id}";
            if (ok)
                await alerts.ResolveAsync(key, cancellationToken);
            else
                await alerts.RaiseAsync(AlertTypes.RelayUnreachable, AlertSeverities.Warning, key,
                    $"Relay {container.Name} on {container.Server!.Name} (port {container.DerpPort}) does not answer its probe.",
                    container.ServerId, container.UserId, container.Id, cancellationToken);
        }
    }

    /// <summary>The milliseconds the relay took to answer its probe; null when it did not answer well.</summary>
    private async Task<double?> ProbeAsync(HttpClient http, RelayContainer container, CancellationToken cancellationToken)
    {
        var relay = _options.Relay;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(relay.ProbeTimeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync($"{relay.ProbeScheme}://{container.Server!.PublicIp}:{container.DerpPort}{relay.ProbePath}", timeout.Token);
            return response.IsSuccessStatusCode ? System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
