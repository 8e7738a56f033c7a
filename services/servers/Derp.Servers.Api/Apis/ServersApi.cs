using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Apis;

public static class ServersApi
{
    public static void MapServersApi(this IEndpointRouteBuilder routes)
    {
        var servers = routes.MapGroup("api/servers").WithTags("Hosts (admin)").RequireAuthorization(Policies.Admin);
        servers.MapGet("", ListServers);
        servers.MapPost("", CreateServer).Validate<CreateServerRequest>();
        servers.MapGet("regions", Regions);
        servers.MapGet("{id:guid}", GetServer);
        servers.MapPut("{id:guid}", UpdateServer).Validate<UpdateServerRequest>();
        servers.MapDelete("{id:guid}", RemoveServer);
        servers.MapGet("{id:guid}/metrics", Metrics);
    }

    public static async Task<Ok<List<ServerListItem>>> ListServers([AsParameters] ServersServices services, string? status = null,
        string? regionCode = null, CancellationToken cancellationToken = default)
    {
        var query = services.Db.Servers.AsNoTracking();
        query = status is null ? query.Where(s => s.Status != ServerStatuses.Removed) : query.Where(s => s.Status == status);
        if (regionCode is not null)
            query = query.Where(s => s.RegionCode == regionCode);
        var month = HostTrafficMonth.Of(services.Clock.GetUtcNow());
        var rows = await query.OrderBy(s => s.RegionCode).ThenBy(s => s.Name)
            .Select(s => new
            {
                Server = s,
                Containers = services.Db.Containers.Count(c => c.ServerId == s.Id && ContainerStates.Live.Contains(c.State)),
                Renters = services.Db.Containers.Where(c => c.ServerId == s.Id && ContainerStates.Live.Contains(c.State)).Select(c => c.UserId).Distinct().Count(),
                Traffic = services.Db.HostTrafficMonths.Where(t => t.ServerId == s.Id && t.Month == month).Select(t => t.Bytes).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new ServerListItem(r.Server.Id, r.Server.Name, r.Server.PublicIp, r.Server.RegionCode, r.Server.RegionName,
            r.Server.Location, r.Server.Status, r.Containers, r.Renters, r.Server.Capacity, r.Traffic,
            r.Server.MonthlyTrafficGb is { } gb ? Math.Max(0, gb * Server.BytesPerGb - r.Traffic) : null,
            r.Server.RateBytesPerSecond, r.Server.LatencyMs, r.Server.LastCheckedAt, r.Server.LastError)).ToList());
    }

    /// <summary>Registers a host after checking it: the pinned host key, then its Docker engine through the SSH tunnel.</summary>
    public static async Task<Results<Created<ServerDetail>, ProblemHttpResult>> CreateServer(CreateServerRequest request, HostRegistration registration,
        [AsParameters] ServersServices services, CancellationToken cancellationToken)
    {
        if (await services.Db.Servers.AnyAsync(s => s.Name == request.Name && s.Status != ServerStatuses.Removed, cancellationToken))
            return ApiProblems.Conflict(ServerProblemCodes.ServerNameTaken, "Another host has this name.");
        var server = new Server
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name,
            PublicIp = request.PublicIp,
            HostName = request.HostName ?? request.PublicIp,
            RegionCode = request.RegionCode,
            RegionName = request.RegionName.Trim(),
            Location = request.Location?.Trim(),
            CloudAccount = request.CloudAccount?.Trim(),
            SshHost = request.SshHost,
            SshPort = request.SshPort,
            SshUser = request.SshUser,
            SshPrivateKeyProtected = registration.Protect(request.SshPrivateKey),
            HostKeyFingerprint = request.HostKeyFingerprint,
            HostKey = "",
            DockerSocket = request.DockerSocket ?? "/var/run/docker.sock",
            Capacity = request.Capacity,
            PortRangeStart = request.PortRangeStart,
            PortRangeEnd = request.PortRangeEnd,
            MonthlyTrafficGb = request.MonthlyTrafficGb,
            Status = ServerStatuses.Active,
            CreatedAt = services.Clock.GetUtcNow(),
        };
        if (await VerifyAsync(server, request.SshPrivateKey, registration, cancellationToken) is { } problem)
            return problem;
        services.Db.Servers.Add(server);
        await services.Db.SaveChangesAsync(cancellationToken);
        services.Logger.LogInformation("Registered host {Server} ({Region}) at {SshHost}:{SshPort}", server.Name, server.RegionCode, server.SshHost, server.SshPort);
        return TypedResults.Created($"/api/servers/{server.Id}", ServerDetail.From(server, 0));
    }

    private static async Task<ProblemHttpResult?> VerifyAsync(Server server, string privateKey, HostRegistration registration, CancellationToken cancellationToken)
    {
        try
        {
            (server.HostKey, _) = await registration.VerifyAsync(server, privateKey, cancellationToken);
            return null;
        }
        catch (HostException e) when (e.HostKeyRejected)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ServerProblemCodes.HostKeyMismatch,
                "The host's SSH key does not match the pinned fingerprint.", e.Message);
        }
        catch (HostException e)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ServerProblemCodes.HostUnreachable,
                "The host could not be reached over SSH or its Docker engine did not answer.", e.Message);
        }
    }

    public static async Task<Results<Ok<ServerDetail>, ProblemHttpResult>> GetServer(Guid id, [AsParameters] ServersServices services,
        CancellationToken cancellationToken)
    {
        var server = await services.Db.Servers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (server is null)
            return ApiProblems.NotFound(ServerProblemCodes.ServerNotFound, "No such host.");
        var live = await services.Db.Containers.CountAsync(c => c.ServerId == id && ContainerStates.Live.Contains(c.State), cancellationToken);
        return TypedResults.Ok(ServerDetail.From(server, live));
    }

    public static async Task<Results<Ok<ServerDetail>, ProblemHttpResult>> UpdateServer(Guid id, UpdateServerRequest request, HostRegistration registration,
        [AsParameters] ServersServices services, CancellationToken cancellationToken)
    {
        var server = await services.Db.Servers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (server is null)
            return ApiProblems.NotFound(ServerProblemCodes.ServerNotFound, "No such host.");
        if (server.Status == ServerStatuses.Removed)
            return ApiProblems.Conflict(ServerProblemCodes.ServerRemoved, "This host has been removed.");
        if (await services.Db.Servers.AnyAsync(s => s.Id != id && s.Name == request.Name && s.Status != ServerStatuses.Removed, cancellationToken))
            return ApiProblems.Conflict(ServerProblemCodes.ServerNameTaken, "Another host has this name.");
        var live = await services.Db.Containers.CountAsync(c => c.ServerId == id && ContainerStates.Live.Contains(c.State), cancellationToken);
        if (request.Capacity < live)
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemCodes.ValidationFailed,
                $"Capacity cannot go below the {live} containers on this host.");

        if (request.SshPrivateKey is not null || request.HostKeyFingerprint is not null)
        {
            server.HostKeyFingerprint = request.HostKeyFingerprint ?? server.HostKeyFingerprint;
            var privateKey = request.SshPrivateKey ?? registration.Unprotect(server.SshPrivateKeyProtected);
            if (await VerifyAsync(server, privateKey, registration, cancellationToken) is { } problem)
                return problem;
            server.SshPrivateKeyProtected = registration.Protect(privateKey);
        }
        server.Name = request.Name;
        server.HostName = request.HostName ?? server.PublicIp;
        server.RegionCode = request.RegionCode;
        server.RegionName = request.RegionName.Trim();
        server.Location = request.Location?.Trim();
        server.CloudAccount = request.CloudAccount?.Trim();
        server.Capacity = request.Capacity;
        server.MonthlyTrafficGb = request.MonthlyTrafficGb;
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ServerDetail.From(server, live));
    }

    /// <summary>
    /// Removes a host by draining it (requirements: hosts): answers at once (202) with the host in <c>draining</c> and
    /// its renters due for reconciliation, which moves their relays and then removes the host (ADR-008).
    /// </summary>
    public static async Task<Results<Accepted<ServerDetail>, ProblemHttpResult>> RemoveServer(Guid id, [AsParameters] ServersServices services,
        CancellationToken cancellationToken)
    {
        await using var transaction = await services.Db.Database.BeginTransactionAsync(cancellationToken);
        var server = await services.Db.Servers.FromSqlInterpolated($"SELECT * FROM servers WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (server is null)
            return ApiProblems.NotFound(ServerProblemCodes.ServerNotFound, "No such host.");
        if (server.Status == ServerStatuses.Removed)
            return ApiProblems.Conflict(ServerProblemCodes.ServerRemoved, "This host has already been removed.");
        server.Status = ServerStatuses.Draining;
        await services.Db.SaveChangesAsync(cancellationToken);
        var affected = services.Db.Containers.Where(c => c.ServerId == id && ContainerStates.Live.Contains(c.State)).Select(c => c.UserId);
        await services.Db.Renters.Where(r => affected.Contains(r.UserId)).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ReconcileRequested, r => r.ReconcileRequested + 1)
            .SetProperty(r => r.ReconcileReason, ProvisioningReasons.HostRemoved), cancellationToken);
        var live = await affected.CountAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.Reconcile.Wake();
        return TypedResults.Accepted($"/api/servers/{id}", ServerDetail.From(server, live));
    }

    /// <summary>Requirements §6.2: renters, containers, load and health per region.</summary>
    public static async Task<Ok<List<RegionStats>>> Regions([AsParameters] ServersServices services, CancellationToken cancellationToken)
    {
        var servers = await services.Db.Servers.AsNoTracking().Where(s => s.Status != ServerStatuses.Removed).ToListAsync(cancellationToken);
        var containers = await services.Db.Containers.AsNoTracking().Where(c => ContainerStates.Live.Contains(c.State))
            .Select(c => new { c.ServerId, c.UserId }).ToListAsync(cancellationToken);
        var stats = servers.GroupBy(s => s.RegionCode).Select(region =>
        {
            var ids = region.Select(s => s.Id).ToHashSet();
            var inRegion = containers.Where(c => ids.Contains(c.ServerId)).ToList();
            var capacity = region.Sum(s => s.Capacity);
            return new RegionStats(region.Key, region.First().RegionName, region.Count(), region.Count(s => s.Status == ServerStatuses.Active),
                inRegion.Count, inRegion.Select(c => c.UserId).Distinct().Count(), capacity,
                capacity == 0 ? 0 : Math.Round((double)inRegion.Count / capacity, 3), region.Sum(s => s.RateBytesPerSecond));
        }).OrderBy(r => r.RegionCode, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(stats);
    }

    /// <summary>
    /// Health and latency trend of a host: samples averaged per step between from and to (at most 31 days). Without a
    /// range: the last day, or since the host's first sample when it is younger (ChartRange); without a step, one that fits.
    /// </summary>
    public static async Task<Results<Ok<List<MetricPoint>>, ProblemHttpResult, ValidationProblem>> Metrics(Guid id, [AsParameters] ServersServices services,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? step = null, CancellationToken cancellationToken = default)
    {
        if (!await services.Db.Servers.AnyAsync(s => s.Id == id, cancellationToken))
            return ApiProblems.NotFound(ServerProblemCodes.ServerNotFound, "No such host.");
        var firstSample = from is null
            ? await services.Db.HostSamples.Where(s => s.ServerId == id).MinAsync(s => (DateTimeOffset?)s.At, cancellationToken)
            : null;
        var (window, field, error) = ChartRange.Resolve(from, to, step, firstSample, services.Clock.GetUtcNow());
        if (window is null)
            return ApiProblems.Validation(field!, error!);
        var (start, end) = (window.From, window.To);

        var samples = await services.Db.HostSamples.AsNoTracking()
            .Where(s => s.ServerId == id && s.At >= start && s.At <= end).OrderBy(s => s.At).ToListAsync(cancellationToken);
        var points = samples.GroupBy(s => ChartRange.BucketOf(window, s.At)).Select(g =>
        {
            var latencies = g.Where(s => s.LatencyMs is not null).Select(s => s.LatencyMs!.Value).ToList();
            return new MetricPoint(g.Key, latencies.Count == 0 ? null : Math.Round(latencies.Average(), 2),
                Math.Round((double)g.Count(s => s.Reachable) / g.Count(), 3), (long)g.Average(s => s.RateBytesPerSecond), g.Max(s => s.Containers));
        }).ToList();
        return TypedResults.Ok(points);
    }
}
