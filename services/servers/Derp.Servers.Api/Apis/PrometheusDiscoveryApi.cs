using System.Security.Cryptography;
using System.Text;
using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Apis;

/// <summary>
/// Prometheus HTTP service discovery for the relays (<c>http_sd_configs</c>): every running relay container as a
/// target with its host, region, renter and container, so Prometheus scrapes derper's own <c>/debug/varz</c> and a
/// relay that is stopped, replaced or removed leaves the targets at the next refresh. Served on the service's own
/// port for Prometheus only (the gateway does not route <c>/internal</c>), behind a bearer token from
/// <c>Servers:PrometheusDiscoveryToken</c>; without that setting the endpoint does not exist (404).
/// </summary>
public static class PrometheusDiscoveryApi
{
    public const string TokenSetting = "Servers:PrometheusDiscoveryToken";

    public sealed record TargetGroup(string[] Targets, Dictionary<string, string> Labels);

    public static void MapPrometheusDiscoveryApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("internal/prometheus/relays", ListRelayTargets).AllowAnonymous().ExcludeFromDescription();

    public static async Task<Results<Ok<List<TargetGroup>>, ProblemHttpResult>> ListRelayTargets(HttpContext http, ServersContext db,
        IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (configuration[TokenSetting] is not { Length: > 0 } token)
            return ApiProblems.NotFound(ProblemCodes.NotFound, "No such API.");
        if (!Authorized(http.Request.Headers.Authorization.ToString(), token))
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized, "A valid discovery token is required.");

        var relays = await db.Containers.AsNoTracking()
            .Where(c => c.State == ContainerStates.Running && c.Server!.Status != ServerStatuses.Removed)
            .OrderBy(c => c.CreatedAt)
            .Select(c => new { c.Id, c.UserId, c.DerpPort, c.Server!.PublicIp, Host = c.Server.Name, Region = c.Server.RegionCode })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(relays.Select(r => new TargetGroup([r.PublicIp.Contains(':', StringComparison.Ordinal) ? $"[{r.PublicIp}]:{r.DerpPort}" : $"{r.PublicIp}:{r.DerpPort}"], new Dictionary<string, string>
        {
            ["host"] = r.Host,
            ["region"] = r.Region,
            ["renter"] = r.UserId.ToString(),
            ["container"] = r.Id.ToString(),
            ["__metrics_path__"] = "/debug/varz",
        })).ToList());
    }

    private static bool Authorized(string header, string token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
