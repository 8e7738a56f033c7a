using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Apis;

/// <summary>
/// The account audit log for operators: who (actor) did what to whom (target), both resolved to people, in a date range,
/// with the actions the range holds (facets), security events flagged, and a CSV export of the same filter.
/// </summary>
public static class AuditApi
{
    /// <summary>An export stops here: a bigger one is narrowed with the date range, not streamed for minutes.</summary>
    public const int MaxExportRows = 100_000;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var audit = routes.MapGroup("api/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        audit.MapGet("", ListAudit);
        audit.MapGet("facets", Facets);
        audit.MapGet("export", Export);
        return audit;
    }

    /// <summary>The filter every audit endpoint takes; <c>user</c> and <c>actor</c> are a part of an email or username.</summary>
    public sealed record AuditFilter(
        Guid? UserId = null, Guid? ActorId = null, string? User = null, string? Actor = null, string? Action = null,
        bool? Security = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

    public static async Task<Results<Ok<PagedResponse<AuditEntryResponse>>, ValidationProblem>> ListAudit(
        [AsParameters] UsersServices services, [AsParameters] AuditFilter filter, int page = 1, int pageSize = 50)
    {
        if ((Paging.Check(page, pageSize) ?? Check(filter)) is { } invalid)
            return invalid;

        var query = Filter(services.Db, filter);
        var total = await query.CountAsync();
        var items = await Resolve(services.Db, query.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync();
        return TypedResults.Ok(new PagedResponse<AuditEntryResponse>(items.Select(Flag).ToList(), total, page, pageSize));
    }

    /// <summary>The actions present under the filter (its own action and security choice left out), most frequent first.</summary>
    public static async Task<Results<Ok<List<AuditFacetResponse>>, ValidationProblem>> Facets(
        [AsParameters] UsersServices services, [AsParameters] AuditFilter filter)
    {
        if (Check(filter) is { } invalid)
            return invalid;
        var counts = await Filter(services.Db, filter with { Action = null, Security = null })
            .GroupBy(a => a.Action).Select(g => new { Action = g.Key, Count = g.Count() }).ToListAsync();
        return TypedResults.Ok(counts
            .Select(c => new AuditFacetResponse(c.Action, c.Count, SecurityEvents.IsSecurityEvent(c.Action)))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Action, StringComparer.Ordinal).ToList());
    }

    /// <summary>The filtered log as a spreadsheet-safe CSV (<see cref="CsvExport"/>), newest first, streamed row by row.</summary>
    public static async Task<IResult> Export(HttpContext http, [AsParameters] UsersServices services, [AsParameters] AuditFilter filter)
    {
        if (Check(filter) is { } invalid)
            return invalid;

        var rows = Resolve(services.Db, Filter(services.Db, filter).OrderByDescending(a => a.Id).Take(MaxExportRows)).AsAsyncEnumerable();
        await using var writer = CsvExport.Begin(http, $"audit-{services.Clock.GetUtcNow():yyyyMMddHHmmss}.csv");
        await writer.WriteAsync(CsvExport.Row("id", "created_at", "action", "security", "target_id", "target_email", "target_username",
            "actor_id", "actor_email", "actor_username", "ip", "user_agent", "detail"));
        var count = 0;
        await foreach (var a in rows.WithCancellation(http.RequestAborted))
        {
            await writer.WriteAsync(CsvExport.Row(a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.CreatedAt.ToString("O"), a.Action,
                SecurityEvents.IsSecurityEvent(a.Action) ? "yes" : "no", a.UserId?.ToString(), a.UserEmail, a.Username,
                a.ActorId?.ToString(), a.ActorEmail, a.ActorUsername, a.Ip, a.UserAgent, a.Detail));
            if (++count % 5_000 == 0)
                await writer.FlushAsync(http.RequestAborted);
        }
        await writer.FlushAsync(http.RequestAborted);
        services.Logger.LogInformation("Exported {Rows} audit rows", count);
        return Results.Empty;
    }

    private static ValidationProblem? Check(AuditFilter filter) =>
        filter.Action is not null && !AuditActions.All.Contains(filter.Action)
            ? ApiProblems.Validation("action", $"Action must be one of: {string.Join(", ", AuditActions.All)}.")
        : filter.From > filter.To ? ApiProblems.Validation("from", "'from' must not be after 'to'.")
        : filter.User?.Length > 254 ? ApiProblems.Validation("user", "Give at most 254 characters of an email or username.")
        : filter.Actor?.Length > 254 ? ApiProblems.Validation("actor", "Give at most 254 characters of an email or username.")
        : null;

    private static IQueryable<AuditEntry> Filter(UsersContext db, AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (filter.UserId is not null) query = query.Where(a => a.UserId == filter.UserId);
        if (filter.ActorId is not null) query = query.Where(a => a.ActorId == filter.ActorId);
        if (PeopleSearch.Pattern(filter.User) is { } user)
            query = query.Where(a => db.Users.Any(u => u.Id == a.UserId
                && (EF.Functions.Like(u.NormalizedEmail, user, "\\") || EF.Functions.Like(u.NormalizedUsername, user, "\\"))));
        if (PeopleSearch.Pattern(filter.Actor) is { } actor)
            query = query.Where(a => db.Users.Any(u => u.Id == a.ActorId
                && (EF.Functions.Like(u.NormalizedEmail, actor, "\\") || EF.Functions.Like(u.NormalizedUsername, actor, "\\"))));
        if (filter.Action is not null) query = query.Where(a => a.Action == filter.Action);
        if (filter.Security is { } security)
        {
            var securityActions = SecurityEvents.Actions;
            query = security ? query.Where(a => securityActions.Contains(a.Action)) : query.Where(a => !securityActions.Contains(a.Action));
        }
        if (filter.From is not null) query = query.Where(a => a.CreatedAt >= filter.From);
        if (filter.To is not null) query = query.Where(a => a.CreatedAt <= filter.To);
        return query;
    }

    /// <summary>Each row with its target's and actor's email and username (null for a system action or a removed account).</summary>
    private static IQueryable<AuditEntryResponse> Resolve(UsersContext db, IQueryable<AuditEntry> rows) =>
        from a in rows
        join t in db.Users on a.UserId equals (Guid?)t.Id into targets
        from t in targets.DefaultIfEmpty()
        join ac in db.Users on a.ActorId equals (Guid?)ac.Id into actors
        from ac in actors.DefaultIfEmpty()
        orderby a.Id descending
        select new AuditEntryResponse(a.Id, a.UserId, a.ActorId, a.Action, a.Detail, a.Ip, a.UserAgent, a.CreatedAt,
            t == null ? null : t.Email, t == null ? null : t.Username, ac == null ? null : ac.Email, ac == null ? null : ac.Username, false);

    private static AuditEntryResponse Flag(AuditEntryResponse entry) => entry with { Security = SecurityEvents.IsSecurityEvent(entry.Action) };
}

/// <param name="Security">Whether the action is a security event (<see cref="SecurityEvents"/>), for highlighting.</param>
public sealed record AuditFacetResponse(string Action, int Count, bool Security);
