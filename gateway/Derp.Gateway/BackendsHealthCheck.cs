using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Derp.Gateway;

/// <summary>
/// The gateway is ready when every service it routes to is alive: each cluster needs one destination whose
/// <c>/health/live</c> answers within a short timeout. Probes and load balancers ask often, so one result serves
/// every caller for a few seconds instead of fanning out to every service per probe.
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
        return down.Count == 0
            ? HealthCheckResult.Healthy($"{clusters.Count} services alive.", data)
            : HealthCheckResult.Unhealthy($"Not answering: {string.Join(", ", down)}.", data: data);
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
