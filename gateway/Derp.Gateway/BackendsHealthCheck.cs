using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Derp.Gateway;

/// <summary>
/// Whether this gateway can serve. Readiness takes a gateway out of its load balancer, and every gateway replica sees
/// the same services: if one service being down made the gateways unready, the whole platform (the portal and every
/// other service) would go dark with it. So one service down is <c>Degraded</c> (still ready, 200, and named in the
/// answer; its own alerts report it), and the gateway is not ready (503) only when it cannot serve anything: no
/// routes loaded, or no service it routes to answers (this replica has lost the services' network, or nothing is up
/// yet). A cluster is alive when one destination's <c>/health/live</c> answers within a short timeout. Probes and
/// load balancers ask often, so one result serves every caller for a few seconds.
/// </summary>
public sealed class BackendsHealthCheck(IProxyStateLookup proxy, IHttpClientFactory clients, TimeProvider clock, IConfiguration configuration)
    : IHealthCheck
{
    public const string HttpClientName = "readiness";

    private readonly TimeSpan _cacheFor = configuration.GetValue("Gateway:Readiness:CacheFor", TimeSpan.FromSeconds(5));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
            return cached;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } fresh)
                return fresh;
            var result = await ProbeAsync(cancellationToken);
            _last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private HealthCheckResult? Fresh() => _last is { } last && clock.GetUtcNow() - last.At < _cacheFor ? last.Result : null;

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        var clusters = proxy.GetClusters().ToList();
        if (clusters.Count == 0 || !proxy.GetRoutes().Any())
            return HealthCheckResult.Unhealthy("No routes are configured.");
        var alive = await Task.WhenAll(clusters.Select(async cluster =>
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                if (await LiveAsync(client, destination.Model.Config.Health ?? destination.Model.Config.Address, cancellationToken))
                    return (cluster.ClusterId, Alive: true);
            }
            return (cluster.ClusterId, Alive: false);
        }));
        var down = alive.Where(c => !c.Alive).Select(c => c.ClusterId).Order().ToList();
        var data = alive.ToDictionary(c => c.ClusterId, c => (object)(c.Alive ? "alive" : "down"));
        if (down.Count == 0)
            return HealthCheckResult.Healthy($"{clusters.Count} services alive.", data);
        return down.Count < clusters.Count
            ? HealthCheckResult.Degraded($"Not answering: {string.Join(", ", down)}.", data: data)
            : HealthCheckResult.Unhealthy($"No service answers: {string.Join(", ", down)}.", data: data);
    }

    private static async Task<bool> LiveAsync(HttpClient client, string address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(address), "health/live"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return false;
        }
    }
}
