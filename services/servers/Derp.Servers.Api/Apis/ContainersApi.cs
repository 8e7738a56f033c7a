using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Apis;

public static class ContainersApi
{
    public static void MapContainersApi(this IEndpointRouteBuilder routes)
    {
        var containers = routes.MapGroup("api/servers/containers").WithTags("Containers (admin)").RequireAuthorization(Policies.Admin);
        containers.MapGet("", ListContainers);
        containers.MapPost("{id:guid}/start", (Guid id, [AsParameters] ServersServices s, CancellationToken ct) =>
            RequestAsync(id, DesiredStates.Running, null, s, ct));
        containers.MapPost("{id:guid}/stop", (Guid id, [AsParameters] ServersServices s, CancellationToken ct) =>
            RequestAsync(id, DesiredStates.Stopped, null, s, ct));
        // Rebuilds one relay: the old container is removed and the renter gets a new one (announced to acl).
        containers.MapPost("{id:guid}/reprovision", (Guid id, [AsParameters] ServersServices s, CancellationToken ct) =>
            RequestAsync(id, DesiredStates.Removed, ProvisioningReasons.Reprovisioned, s, ct));

        var alerts = routes.MapGroup("api/alerts").WithTags("Alerts (admin)").RequireAuthorization(Policies.Admin);
        alerts.MapGet("", ListAlerts);
        alerts.MapPost("{id:long}/resolve", ResolveAlert);
    }

    public static async Task<Results<Ok<PagedResponse<ContainerItem>>, ValidationProblem>> ListContainers([AsParameters] ServersServices services,
        Guid? serverId = null, Guid? userId = null, string? state = null, string? probe = null, int page = 1, int pageSize = 50,
        CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (state is not null && !ContainerStates.All.Contains(state))
            return ApiProblems.Validation("state", $"State must be one of {string.Join(", ", ContainerStates.All)}.");
        if (probe is not null && probe is not (ProbeFilters.Failing or ProbeFilters.Ok))
            return ApiProblems.Validation("probe", "Probe must be failing or ok.");
        var query = services.Db.Containers.AsNoTracking();
        query = state is null ? query.Where(c => c.State != ContainerStates.Removed && c.State != ContainerStates.Failed) : query.Where(c => c.State == state);
        if (serverId is not null)
            query = query.Where(c => c.ServerId == serverId);
        if (userId is not null)
            query = query.Where(c => c.UserId == userId);
        // The overview's "relays failing probes": running relays whose last probe got no answer (what the figure counts).
        if (probe is not null)
            query = query.Where(c => c.State == ContainerStates.Running && c.ProbeOk == (probe == ProbeFilters.Ok));
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new ContainerItem(c.Id, c.ServerId, c.Server!.Name, c.Server.RegionCode, c.UserId, c.RentalId, c.Name, c.State, c.DerpPort,
                c.StunPort, c.RxBytes, c.TxBytes, c.RateBytesPerSecond, c.ProbeOk, c.LastError, c.CreatedAt, c.Desired, c.EngineState, c.ObservedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<ContainerItem>(items, total, page, pageSize));
    }

    /// <summary>
    /// Records an admin's wish for one container and wakes the reconciler (ADR-008): 202, the host changes moments
    /// later, and the container's state shows it once the engine says so.
    /// </summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> RequestAsync(Guid id, string desired, string? reason, ServersServices services,
        CancellationToken cancellationToken)
    {
        await using var transaction = await services.Db.Database.BeginTransactionAsync(cancellationToken);
        var container = await services.Db.Containers.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (container is null)
            return ApiProblems.NotFound(ServerProblemCodes.ContainerNotFound, "No such container.");
        if (!ContainerStates.Live.Contains(container.State))
            return ApiProblems.Conflict(ServerProblemCodes.ContainerRemoved, $"This container is {container.State}.");
        var renter = await services.Db.LockRenterAsync(container.UserId, cancellationToken);
        container.Desired = desired;
        renter.RequestReconcile(reason);
        await services.Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        services.Reconcile.Wake();
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<PagedResponse<AlertItem>>, ValidationProblem>> ListAlerts([AsParameters] ServersServices services,
        bool? resolved = null, string? severity = null, Guid? serverId = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (severity is not null && !AlertSeverities.All.Contains(severity))
            return ApiProblems.Validation("severity", "Severity must be info, warning or critical.");
        var query = services.Db.Alerts.AsNoTracking();
        if (resolved is not null)
            query = resolved.Value ? query.Where(a => a.ResolvedAt != null) : query.Where(a => a.ResolvedAt == null);
        if (severity is not null)
            query = query.Where(a => a.Severity == severity);
        if (serverId is not null)
            query = query.Where(a => a.ServerId == serverId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new AlertItem(a.Id, a.Type, a.Severity, a.Message, a.ServerId, a.UserId, a.CreatedAt, a.ResolvedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<AlertItem>(items, total, page, pageSize));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResolveAlert(long id, HttpContext http, [AsParameters] ServersServices services,
        CancellationToken cancellationToken)
    {
        var alert = await services.Db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert is null)
            return ApiProblems.NotFound(ServerProblemCodes.AlertNotFound, "No such alert.");
        if (alert.ResolvedAt is null)
        {
            alert.ResolvedAt = services.Clock.GetUtcNow();
            alert.ResolvedBy = http.User.UserId();
            await services.Db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.NoContent();
    }
}

/// <summary>The <c>probe</c> filter of the containers list.</summary>
public static class ProbeFilters
{
    public const string Failing = "failing";
    public const string Ok = "ok";
}
