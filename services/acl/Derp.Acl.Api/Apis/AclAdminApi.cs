using Derp.Acl.Api.Model;
using Derp.Acl.Api.Services;
using Derp.Contracts.Acl;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Derp.Acl.Api.Apis;

public static class AclAdminApi
{
    public static void MapAclAdminApi(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("api/acl/users/{id:guid}").WithTags("Policies (admin)").RequireAuthorization(Policies.Admin);
        users.MapGet("", GetPolicy);
        users.MapGet("versions", ListVersions);
        users.MapPost("regenerate", Regenerate);

        // Admins see every log; a distributor only the renters attributed to them (RenterAttributed).
        var logs = routes.MapGroup("api/acl/logs").WithTags("Policy logs").RequireAuthorization(Policies.AdminOrDistributor);
        logs.MapGet("generations", ListGenerations);
        logs.MapGet("downloads", ListDownloads);
    }

    public static async Task<Results<Ok<PolicyResponse>, ProblemHttpResult, ValidationProblem>> GetPolicy(
        Guid id, [AsParameters] AclServices services, string format = PolicyFormats.Tailscale, int? version = null,
        CancellationToken cancellationToken = default)
    {
        if (PolicyApi.CheckFormat(format) is { } invalid)
            return invalid;
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == id, cancellationToken);
        var wanted = version ?? renter?.CurrentVersion;
        var policy = await services.Db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.UserId == id && v.Version == wanted, cancellationToken);
        return policy is null
            ? ApiProblems.NotFound(AclProblemCodes.PolicyNotFound, "This user has no such policy version.")
            : TypedResults.Ok(PolicyResponse.From(policy, format, renter!.CurrentVersion));
    }

    public static async Task<Results<Ok<List<VersionSummary>>, ProblemHttpResult>> ListVersions(
        Guid id, [AsParameters] AclServices services, CancellationToken cancellationToken)
    {
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == id, cancellationToken);
        return renter is null
            ? ApiProblems.NotFound(AclProblemCodes.PolicyNotFound, "This user has no policy.")
            : TypedResults.Ok(await PolicyApi.VersionsAsync(services, renter, cancellationToken));
    }

    /// <summary>Requirements §5.2: an admin renews a renter's policy by hand (same relays, next version, logged with the admin's address).</summary>
    public static async Task<Results<Created<VersionSummary>, ProblemHttpResult>> Regenerate(
        Guid id, HttpContext http, [AsParameters] AclServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Renters.AnyAsync(r => r.UserId == id, cancellationToken))
            return ApiProblems.NotFound(AclProblemCodes.PolicyNotFound, "This user has no relays yet, so there is no policy to regenerate.");
        var renter = await services.Generator.LockRenterAsync(id, cancellationToken);
        if (renter.Deregistered)
            return ApiProblems.Conflict(AclProblemCodes.RenterDeregistered, "This account has been closed.");
        var current = await services.Generator.CurrentAsync(id, cancellationToken);
        if (current is null)
            return ApiProblems.NotFound(AclProblemCodes.PolicyNotFound, "This user has no relays yet, so there is no policy to regenerate.");

        var version = await services.Generator.GenerateAsync(renter, PolicyGenerator.RelaysOf(current), GenerationTriggers.Admin,
            new GenerationRequester(http.User.UserId(), http.ClientIp()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/acl/users/{id}?version={version.Version}",
            new VersionSummary(version.Version, version.Trigger, version.GeneratedAt, version.ValidUntil, true));
    }

    public static async Task<Results<Ok<PagedResponse<GenerationLogItem>>, ValidationProblem>> ListGenerations(
        HttpContext http, [AsParameters] AclServices services, Guid? userId = null, string? trigger = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (CheckFilters(page, pageSize, from, to) is { } invalid)
            return invalid;
        if (trigger is not null && !GenerationTriggers.All.Contains(trigger))
            return ApiProblems.Validation("trigger", $"Trigger must be one of {string.Join(", ", GenerationTriggers.All)}.");

        var query = services.Db.GenerationLog.AsNoTracking();
        if (VisibleRenters(http, services) is { } visible)
            query = query.Where(e => visible.Contains(e.UserId));
        if (userId is not null)
            query = query.Where(e => e.UserId == userId);
        if (trigger is not null)
            query = query.Where(e => e.Trigger == trigger);
        if (from is not null)
            query = query.Where(e => e.GeneratedAt >= from);
        if (to is not null)
            query = query.Where(e => e.GeneratedAt < to);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.GeneratedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new GenerationLogItem(e.Id, e.UserId, e.Version, e.Trigger, e.RequestedBy, e.RequesterIp, e.Location, e.GeneratedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<GenerationLogItem>(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<PagedResponse<DownloadLogItem>>, ValidationProblem>> ListDownloads(
        HttpContext http, [AsParameters] AclServices services, Guid? userId = null, string? machineCode = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (CheckFilters(page, pageSize, from, to) is { } invalid)
            return invalid;

        var query = services.Db.DownloadLog.AsNoTracking();
        if (VisibleRenters(http, services) is { } visible)
            query = query.Where(e => visible.Contains(e.UserId));
        if (userId is not null)
            query = query.Where(e => e.UserId == userId);
        if (!string.IsNullOrWhiteSpace(machineCode))
            query = query.Where(e => e.MachineCode == machineCode.Trim());
        if (from is not null)
            query = query.Where(e => e.DownloadedAt >= from);
        if (to is not null)
            query = query.Where(e => e.DownloadedAt < to);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.DownloadedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new DownloadLogItem(e.Id, e.UserId, e.Version, e.Format, e.Ip, e.Location, e.MachineCode, e.UserAgent, e.DownloadedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<DownloadLogItem>(items, total, page, pageSize));
    }

    /// <summary>Null for admins (everyone); for a distributor, the renters attributed to them.</summary>
    private static IQueryable<Guid>? VisibleRenters(HttpContext http, AclServices services)
    {
        if (http.User.IsAdmin())
            return null;
        var distributorId = http.User.UserId();
        return services.Db.Renters.Where(r => r.DistributorId == distributorId).Select(r => r.UserId);
    }

    private static ValidationProblem? CheckFilters(int page, int pageSize, DateTimeOffset? from, DateTimeOffset? to) =>
        Paging.Check(page, pageSize)
        ?? (from is not null && to is not null && from > to ? ApiProblems.Validation("from", "From must not be after to.") : null);
}
