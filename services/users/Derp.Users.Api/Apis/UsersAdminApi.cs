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
        api.MapGet("lookup", Lookup);
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
            var pattern = PeopleSearch.Pattern(q)!;
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

    /// <summary>The most ids one lookup resolves: a page of any list holds fewer people than this.</summary>
    public const int MaxLookupIds = 200;

    /// <summary>
    /// Resolves user ids to people (email, username, role) for any list of the portal that holds user ids: one call per
    /// page instead of one per row. Unknown ids are left out of the answer.
    /// </summary>
    public static async Task<Results<Ok<List<PersonResponse>>, ValidationProblem>> Lookup([AsParameters] UsersServices services, string? ids = null)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            return ApiProblems.Validation("ids", "Give one or more user ids, separated by commas.");
        if (parts.Length > MaxLookupIds)
            return ApiProblems.Validation("ids", $"Give at most {MaxLookupIds} ids.");
        var wanted = new HashSet<Guid>();
        foreach (var part in parts)
        {
            if (!Guid.TryParse(part, out var id))
                return ApiProblems.Validation("ids", "Every id must be a user id (a UUID).");
            wanted.Add(id);
        }
        var people = await services.Db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .Select(u => new PersonResponse(u.Id, u.Email, u.Username, u.Role, u.Status)).ToListAsync();
        return TypedResults.Ok(people);
    }
}
