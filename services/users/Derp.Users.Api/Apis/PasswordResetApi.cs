using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Apis;

/// <summary>
/// Forgot password: a code mailed to the address (as for verification: limited life, wrong tries and mails), then a new
/// password with that code. The first answer never says whether the address has an account.
/// </summary>
public static class PasswordResetApi
{
    public static RouteGroupBuilder MapPasswordResetApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/users/password").WithTags("Auth");
        api.MapPost("forgot", Forgot).Validate<ForgotPasswordRequest>().AllowAnonymous();
        api.MapPost("reset", Reset).Validate<ResetPasswordRequest>().AllowAnonymous();
        return api;
    }

    public static async Task<Results<Accepted, RetryAfterProblem>> Forgot(ForgotPasswordRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var options = services.Options.Value;
        var email = User.Normalize(request.Email);
        // Both limits count every request, for unknown addresses too: a 429 says nothing about who is registered.
        var ipLimit = await services.RateLimiter.HitAsync($"reset-mail:ip:{http.ClientIp()}", options.PasswordResetMailsPerIpPerWindow, options.VerificationMailWindow);
        if (!ipLimit.Allowed)
            return ApiProblems.RetryLater(429, UserProblemCodes.PasswordResetMailLimit, "Too many password reset requests from this address.", ipLimit.RetryAfter);
        var limit = await services.RateLimiter.HitAsync($"reset-mail:{email}", options.VerificationMailsPerWindow, options.VerificationMailWindow);
        if (!limit.Allowed)
            return ApiProblems.RetryLater(429, UserProblemCodes.PasswordResetMailLimit,
                $"At most {options.VerificationMailsPerWindow} reset mails per {options.VerificationMailWindow.TotalMinutes:0} minutes.", limit.RetryAfter);

        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        // The code is hashed either way, so a known and an unknown address do the same work before the answer; the
        // mail itself leaves later, through the dispatcher, never within this request.
        var codeHash = HashCode(user?.Id ?? Guid.Empty, code);
        if (user is null || user.Status != UserStatuses.Active)
            return TypedResults.Accepted((string?)null);

        var now = services.Clock.GetUtcNow();
        await services.Db.PasswordResets.Where(r => r.UserId == user.Id && r.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConsumedAt, now));
        services.Db.PasswordResets.Add(new PasswordReset
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            CodeHash = codeHash,
            CreatedAt = now,
            ExpiresAt = now + options.PasswordResetCodeLifetime,
        });
        var minutes = ((int)options.PasswordResetCodeLifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        services.Db.QueueEmail(user, UserEmails.PasswordResetCode, services.Clock, new Dictionary<string, string> { ["Code"] = code, ["Minutes"] = minutes });
        await services.Db.SaveChangesAsync();
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Reset(ResetPasswordRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var email = User.Normalize(request.Email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        if (user is null || user.Status != UserStatuses.Active)
            return InvalidCode();
        var reset = await db.PasswordResets.Where(r => r.UserId == user.Id && r.ConsumedAt == null)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync();
        if (reset is null || reset.ExpiresAt <= now || reset.FailedAttempts >= services.Options.Value.PasswordResetMaxAttempts)
            return ApiProblems.Problem(400, UserProblemCodes.ResetCodeExpired, "The reset code has expired or was used. Request a new one.");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(reset.CodeHash), Encoding.ASCII.GetBytes(HashCode(user.Id, request.Code))))
        {
            // Counted atomically: parallel guesses cannot each see the same count.
            await db.PasswordResets.Where(r => r.Id == reset.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.FailedAttempts, r => r.FailedAttempts + 1));
            return InvalidCode();
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Single use: of two requests with one code exactly one claims it.
        if (await db.PasswordResets.Where(r => r.Id == reset.Id && r.ConsumedAt == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.ConsumedAt, now)) != 1)
            return ApiProblems.Problem(400, UserProblemCodes.ResetCodeExpired, "The reset code has expired or was used. Request a new one.");
        user.PasswordHash = AuthApi.HashPassword(user, request.NewPassword);
        // The mailed code proves the address, and a locked-out owner is who needs this most.
        user.EmailVerified = true;
        user.EmailVerifiedAt ??= now;
        user.LockedUntil = null;
        user.FailedLoginCount = 0;
        await db.EndAllSessionsAsync(user, SessionRevocationReasons.PasswordReset, services.Clock);
        db.Audit(http, services.Clock, AuditActions.PasswordReset, user.Id);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult InvalidCode() =>
        ApiProblems.Problem(400, UserProblemCodes.InvalidResetCode, "The reset code is not valid.");

    private static string HashCode(Guid userId, string code) => TokenService.Hash($"reset:{userId:N}:{code}");
}
