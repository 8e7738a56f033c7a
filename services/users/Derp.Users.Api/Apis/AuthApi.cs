using System.Globalization;
using System.Security.Cryptography;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Users.Api.Apis;

public static class AuthApi
{
    private static readonly PasswordHasher<User> Hasher = new();

    // Compared against when the email is unknown, so a miss costs as much as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-real-password-0");

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/users").WithTags("Auth");
        api.MapPost("register", Register).Validate<RegisterRequest>().AllowAnonymous();
        api.MapPost("verify-email", VerifyEmail).Validate<VerifyEmailRequest>().AllowAnonymous();
        api.MapPost("resend-verification", ResendVerification).Validate<ResendVerificationRequest>().AllowAnonymous();
        api.MapPost("login", Login).Validate<LoginRequest>().AllowAnonymous();
        api.MapPost("refresh", Refresh).Validate<RefreshRequest>().AllowAnonymous();
        api.MapPost("logout", Logout).Validate<LogoutRequest>().RequireAuthorization();
        return api;
    }

    /// <remarks>
    /// The answer never says whether the email already has an account: an address in use gets the same 201 and the
    /// same body shape, and its owner is mailed instead (a new code if it was never verified), within the mail limit.
    /// </remarks>
    public static async Task<Results<Created<UserResponse>, ProblemHttpResult>> Register(
        RegisterRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var email = User.Normalize(request.Email);
        var username = User.Normalize(request.Username);
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = request.Email.Trim(),
            NormalizedEmail = email,
            Username = request.Username.Trim(),
            NormalizedUsername = username,
            PasswordHash = "",
            Role = Roles.Renter,
            Language = request.Language ?? "zh-CN",
            CreatedAt = now,
        };
        // Hashed whatever happens next, so an address in use costs the same time as a new one.
        user.PasswordHash = Hasher.HashPassword(user, request.Password);
        if (await db.Users.AnyAsync(u => u.NormalizedUsername == username))
            return ApiProblems.Conflict(UserProblemCodes.UsernameTaken, "This username is taken.");
        var owner = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        if (owner is not null)
        {
            await TellOwnerAsync(services, owner);
            return Registered(user);
        }

        db.Users.Add(user);
        await AddVerificationMailAsync(services, user);
        db.Audit(http, services.Clock, AuditActions.Registered, user.Id);
        db.AddIntegrationEvent(new UserRegistered(user.Id, user.Email, user.Username, user.Role, now), services.Clock);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // Lost a race with a concurrent registration of the same email (whose owner gets that one's code) or username.
            return unique.ConstraintName?.Contains("email", StringComparison.Ordinal) == true
                ? Registered(user)
                : ApiProblems.Conflict(UserProblemCodes.UsernameTaken, "This username is taken.");
        }
        UsersMetrics.Registrations.Add(1);

        await services.RateLimiter.HitAsync(MailLimitKey(email), services.Options.Value.VerificationMailsPerWindow, services.Options.Value.VerificationMailWindow);
        return Registered(user);
    }

    private static Created<UserResponse> Registered(User user) => TypedResults.Created("/api/users/me", UserResponse.From(user));

    /// <summary>Someone registered with the owner's address: a new code if it was never verified, else a notice; both count towards the mail limit.</summary>
    private static async Task TellOwnerAsync(UsersServices services, User owner)
    {
        var options = services.Options.Value;
        var limit = await services.RateLimiter.HitAsync(MailLimitKey(owner.NormalizedEmail), options.VerificationMailsPerWindow, options.VerificationMailWindow);
        if (!limit.Allowed)
            return;
        if (!owner.EmailVerified && owner.Status == UserStatuses.Active)
            await AddVerificationMailAsync(services, owner);
        else
            services.Db.QueueEmail(owner, UserEmails.RegistrationAttempt, services.Clock);
        await services.Db.SaveChangesAsync();
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> VerifyEmail(
        VerifyEmailRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var email = User.Normalize(request.Email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        if (user is null)
            return ApiProblems.Problem(400, UserProblemCodes.InvalidVerificationCode, "The verification code is not valid.");
        if (user.EmailVerified)
            return ApiProblems.Conflict(UserProblemCodes.EmailAlreadyVerified, "This email is already verified.");

        var verification = await db.EmailVerifications
            .Where(v => v.UserId == user.Id && v.ConsumedAt == null)
            .OrderByDescending(v => v.CreatedAt)
            .FirstOrDefaultAsync();
        if (verification is null || verification.ExpiresAt <= now || verification.FailedAttempts >= services.Options.Value.VerificationCodeMaxAttempts)
            return ApiProblems.Problem(400, UserProblemCodes.VerificationCodeExpired, "The verification code has expired. Request a new one.");

        if (!CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(verification.CodeHash),
                System.Text.Encoding.ASCII.GetBytes(HashCode(user.Id, request.Code))))
        {
            verification.FailedAttempts++;
            await db.SaveChangesAsync();
            return ApiProblems.Problem(400, UserProblemCodes.InvalidVerificationCode, "The verification code is not valid.");
        }

        verification.ConsumedAt = now;
        user.EmailVerified = true;
        user.EmailVerifiedAt = now;
        db.Audit(http, services.Clock, AuditActions.EmailVerified, user.Id);
        db.AddIntegrationEvent(new UserEmailVerified(user.Id, user.Email, now), services.Clock);
        await db.SaveChangesAsync();
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<Accepted, ProblemHttpResult, RetryAfterProblem>> ResendVerification(
        ResendVerificationRequest request, [AsParameters] UsersServices services)
    {
        var options = services.Options.Value;
        var email = User.Normalize(request.Email);
        // Counted before anything else, also for unknown addresses, so the answer does not reveal who is registered.
        var limit = await services.RateLimiter.HitAsync(MailLimitKey(email), options.VerificationMailsPerWindow, options.VerificationMailWindow);
        if (!limit.Allowed)
            return ApiProblems.RetryLater(429, UserProblemCodes.VerificationMailLimit,
                $"At most {options.VerificationMailsPerWindow} verification mails per {options.VerificationMailWindow.TotalMinutes:0} minutes.", limit.RetryAfter);

        var user = await services.Db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        if (user is null || user.EmailVerified)
            return TypedResults.Accepted((string?)null);

        await AddVerificationMailAsync(services, user);
        await services.Db.SaveChangesAsync();
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<IssuedTokens>, ProblemHttpResult, RetryAfterProblem>> Login(
        LoginRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var options = services.Options.Value;
        var now = services.Clock.GetUtcNow();

        var ipLimit = await services.RateLimiter.HitAsync($"login:ip:{http.ClientIp()}", options.LoginAttemptsPerIpPerWindow, options.LoginAttemptWindow);
        if (!ipLimit.Allowed)
        {
            UsersMetrics.Login("rate_limited");
            return ApiProblems.RetryLater(429, UserProblemCodes.LoginRateLimited, "Too many login attempts from this address.", ipLimit.RetryAfter);
        }

        var email = User.Normalize(request.Email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == email);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, request.Password);
            UsersMetrics.Login("failed");
            return InvalidCredentials();
        }

        if (user.LockedUntil > now)
        {
            UsersMetrics.Login("locked");
            return ApiProblems.RetryLater(423, UserProblemCodes.AccountLocked, "The account is locked after repeated failed logins.", user.LockedUntil.Value - now);
        }

        var verification = Hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (verification == PasswordVerificationResult.Failed)
        {
            user.FailedLoginCount++;
            db.Audit(http, services.Clock, AuditActions.LoginFailed, user.Id, detail: $"attempt {user.FailedLoginCount}");
            if (user.FailedLoginCount >= options.MaxFailedLogins)
            {
                user.LockedUntil = now + options.LockoutDuration;
                user.FailedLoginCount = 0;
                db.Audit(http, services.Clock, AuditActions.AccountLocked, user.Id, detail: $"until {user.LockedUntil:O}");
                await db.SaveChangesAsync();
                UsersMetrics.Login("locked");
                return ApiProblems.RetryLater(423, UserProblemCodes.AccountLocked, "The account is locked after repeated failed logins.", options.LockoutDuration);
            }
            await db.SaveChangesAsync();
            UsersMetrics.Login("failed");
            return InvalidCredentials();
        }

        // The password was right: only now may the answer say anything about the account.
        if (!user.EmailVerified)
        {
            UsersMetrics.Login("unverified");
            return ApiProblems.Problem(403, UserProblemCodes.EmailNotVerified, "Verify your email address before logging in.");
        }
        if (user.Status == UserStatuses.Deregistered)
        {
            UsersMetrics.Login("closed");
            return ApiProblems.Problem(403, UserProblemCodes.AccountDeregistered, "This account has been closed.");
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
            user.PasswordHash = Hasher.HashPassword(user, request.Password);
        user.FailedLoginCount = 0;
        user.LockedUntil = null;
        user.LastLoginAt = now;
        var tokens = IssueTokens(services, http, user, familyId: Guid.CreateVersion7());
        db.Audit(http, services.Clock, AuditActions.Login, user.Id);
        await db.SaveChangesAsync();
        UsersMetrics.Login("succeeded");
        return TypedResults.Ok(tokens);
    }

    public static async Task<Results<Ok<IssuedTokens>, ProblemHttpResult>> Refresh(
        RefreshRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var hash = TokenService.Hash(request.RefreshToken);
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash);
        if (token is null || token.ExpiresAt <= TimeProvider.System.GetUtcNow())
            return ApiProblems.Problem(401, UserProblemCodes.InvalidRefreshToken, "The refresh token is not valid.");

        // Claim the token atomically: of two concurrent refreshes with one token, exactly one wins.
        var claimed = token.UsedAt is null && token.RevokedAt is null && await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now)) == 1;
        if (!claimed)
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.EndSessionAsync(token.UserId, token.FamilyId, SessionRevocationReasons.RefreshTokenReused, services.Clock);
            db.Audit(http, services.Clock, AuditActions.RefreshTokenReused, token.UserId, detail: $"family {token.FamilyId}");
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            services.Logger.LogWarning("Refresh token reuse for user {UserId}; family {FamilyId} revoked", token.UserId, token.FamilyId);
            return ApiProblems.Problem(401, UserProblemCodes.RefreshTokenReused, "This refresh token was already used; every session it started has been signed out.");
        }

        var user = await db.Users.SingleAsync(u => u.Id == token.UserId);
        if (user.LockedUntil > now || !user.EmailVerified || user.Status != UserStatuses.Active || token.SessionVersion < user.SessionVersion)
            return ApiProblems.Problem(401, UserProblemCodes.InvalidRefreshToken, "The refresh token is not valid.");

        var tokens = IssueTokens(services, http, user, token.FamilyId);
        await db.SaveChangesAsync();
        return TypedResults.Ok(tokens);
    }

    public static async Task<NoContent> Logout(LogoutRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var userId = http.User.UserId();
        var hash = TokenService.Hash(request.RefreshToken);
        // The session of the refresh token, else the one of the access token that asks: its access tokens end too.
        var familyId = await services.Db.RefreshTokens.Where(t => t.TokenHash == hash && t.UserId == userId)
            .Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync() ?? SessionClaims.SessionIdOf(http.User);
        await using var transaction = await services.Db.Database.BeginTransactionAsync();
        if (familyId is { } family)
            await services.Db.EndSessionAsync(userId, family, SessionRevocationReasons.Logout, services.Clock);
        services.Db.Audit(http, services.Clock, AuditActions.Logout, userId);
        await services.Db.SaveChangesAsync();
        await transaction.CommitAsync();
        return TypedResults.NoContent();
    }

    internal static PasswordVerificationResult VerifyPassword(User user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    internal static string HashPassword(User user, string password) => Hasher.HashPassword(user, password);

    private static ProblemHttpResult InvalidCredentials() =>
        ApiProblems.Problem(401, UserProblemCodes.InvalidCredentials, "The email or password is wrong.");

    private static IssuedTokens IssueTokens(UsersServices services, HttpContext http, User user, Guid familyId)
    {
        var now = TimeProvider.System.GetUtcNow(); // token lifetimes are wall-clock (see TokenService)
        var (refreshToken, refreshHash) = TokenService.NewRefreshToken();
        services.Db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            FamilyId = familyId,
            TokenHash = refreshHash,
            CreatedAt = now,
            ExpiresAt = now + services.Tokens.RefreshTokenLifetime,
            CreatedByIp = http.ClientIp(),
            SessionVersion = user.SessionVersion,
        });
        return new IssuedTokens(services.Tokens.CreateAccessToken(user, familyId), refreshToken, services.Tokens.AccessTokenSeconds);
    }

    /// <summary>
    /// A new code (replacing any earlier one) and its mail, queued in the same unit of work: the mail leaves through the
    /// dispatcher with retries, so an SMTP outage delays it instead of losing it.
    /// </summary>
    private static async Task AddVerificationMailAsync(UsersServices services, User user)
    {
        var now = services.Clock.GetUtcNow();
        await services.Db.EmailVerifications.Where(v => v.UserId == user.Id && v.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.ConsumedAt, now));

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        services.Db.EmailVerifications.Add(new EmailVerification
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            CodeHash = HashCode(user.Id, code),
            CreatedAt = now,
            ExpiresAt = now + services.Options.Value.VerificationCodeLifetime,
        });
        var minutes = ((int)services.Options.Value.VerificationCodeLifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        services.Db.QueueEmail(user, UserEmails.VerificationCode, services.Clock,
            new Dictionary<string, string> { ["Code"] = code, ["Minutes"] = minutes });
    }

    private static string HashCode(Guid userId, string code) => TokenService.Hash($"{userId:N}:{code}");

    private static string MailLimitKey(string normalizedEmail) => $"verify-mail:{normalizedEmail}";
}
