using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Apis;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/users/me").WithTags("Me").RequireAuthorization();
        api.MapGet("", GetMe);
        api.MapPost("password", ChangePassword).Validate<ChangePasswordRequest>();
        api.MapPut("language", ChangeLanguage).Validate<ChangeLanguageRequest>();
        api.MapPost("sessions/revoke-all", SignOutEverywhere);
        return api;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetMe(HttpContext http, [AsParameters] UsersServices services)
    {
        var user = await services.Db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == http.User.UserId());
        return user is null
            ? ApiProblems.NotFound(UserProblemCodes.UserNotFound, "The account no longer exists.")
            : TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == http.User.UserId());
        if (user is null)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "The account no longer exists.");
        if (AuthApi.VerifyPassword(user, request.CurrentPassword) == PasswordVerificationResult.Failed)
            return ApiProblems.Problem(400, UserProblemCodes.InvalidCurrentPassword, "The current password is wrong.");

        user.PasswordHash = AuthApi.HashPassword(user, request.NewPassword);
        // Every session ends with the old password, this one included: whoever knew the old one is signed out.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.EndAllSessionsAsync(user, SessionRevocationReasons.PasswordChanged, services.Clock);
        db.Audit(http, services.Clock, AuditActions.PasswordChanged, user.Id);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    /// <summary>The language of the portal and of the mails this account receives.</summary>
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeLanguage(
        ChangeLanguageRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.Id == http.User.UserId());
        if (user is null)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "The account no longer exists.");
        user.Language = request.Language;
        await services.Db.SaveChangesAsync();
        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>Ends every session of the account, this one included (a lost phone, a shared computer).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> SignOutEverywhere(HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == http.User.UserId());
        if (user is null)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "The account no longer exists.");
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.EndAllSessionsAsync(user, SessionRevocationReasons.SignedOutEverywhere, services.Clock);
        db.Audit(http, services.Clock, AuditActions.SessionsRevoked, user.Id);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }
}
