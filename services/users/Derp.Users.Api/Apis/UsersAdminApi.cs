using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Apis;

public static class UsersAdminApi
{
    public static RouteGroupBuilder MapUsersAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/users").WithTags("Users (admin)").RequireAuthorization(Policies.Admin);
        api.MapGet("", ListUsers);
        api.MapGet("{id:guid}", GetUser);
        api.MapPut("{id:guid}/role", ChangeRole).Validate<ChangeRoleRequest>().RequireAuthorization(Policies.SuperAdmin);

        var audit = routes.MapGroup("api/audit").WithTags("Audit").RequireAuthorization(Policies.Admin);
        audit.MapGet("", ListAudit);
        return api;
    }

    public static async Task<Results<Ok<PagedResponse<UserResponse>>, ValidationProblem>> ListUsers(
        [AsParameters] UsersServices services, string? q = null, string? role = null, string? status = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (role is not null && !Roles.IsValid(role))
            return ApiProblems.Validation("role", $"Role must be one of: {string.Join(", ", Roles.All)}.");

        var query = services.Db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + EscapeLike(q.Trim().ToLowerInvariant()) + "%";
            query = query.Where(u => EF.Functions.Like(u.NormalizedEmail, pattern, "\\") || EF.Functions.Like(u.NormalizedUsername, pattern, "\\"));
        }
        if (role is not null)
            query = query.Where(u => u.Role == role);
        if (status is not null)
        {
            if (status is not (UserStatuses.Active or UserStatuses.Deregistered))
                return ApiProblems.Validation("status", "Status must be active or deregistered.");
            query = query.Where(u => u.Status == status);
        }

        var total = await query.CountAsync();
        var items = await query.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
        return TypedResults.Ok(new PagedResponse<UserResponse>(items.Select(UserResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(Guid id, [AsParameters] UsersServices services)
    {
        var user = await services.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id);
        return user is null ? ApiProblems.NotFound(UserProblemCodes.UserNotFound, "No such user.") : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeRole(
        Guid id, ChangeRoleRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var actorId = http.User.UserId();
        if (actorId == id)
            return ApiProblems.Conflict(UserProblemCodes.CannotChangeOwnRole, "You cannot change your own role.");

        var db = services.Db;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id);
        if (user is null)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "No such user.");
        if (user.Role == request.Role)
            return TypedResults.Ok(UserResponse.From(user));

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.ChangeRoleAsync(user, request.Role, actorId, http, services.Clock);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Ok<PagedResponse<AuditEntryResponse>>, ValidationProblem>> ListAudit(
        [AsParameters] UsersServices services, Guid? userId = null, string? action = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (action is not null && !AuditActions.All.Contains(action))
            return ApiProblems.Validation("action", $"Action must be one of: {string.Join(", ", AuditActions.All)}.");
        if (from > to)
            return ApiProblems.Validation("from", "'from' must not be after 'to'.");

        var query = services.Db.AuditEntries.AsNoTracking();
        if (userId is not null)
            query = query.Where(a => a.UserId == userId);
        if (action is not null)
            query = query.Where(a => a.Action == action);
        if (from is not null)
            query = query.Where(a => a.CreatedAt >= from);
        if (to is not null)
            query = query.Where(a => a.CreatedAt <= to);

        var total = await query.CountAsync();
        var items = await query.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new AuditEntryResponse(a.Id, a.UserId, a.ActorId, a.Action, a.Detail, a.Ip, a.UserAgent, a.CreatedAt))
            .ToListAsync();
        return TypedResults.Ok(new PagedResponse<AuditEntryResponse>(items, total, page, pageSize));
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
