using Derp.ServiceDefaults.Email;
using Derp.ServiceDefaults.Redis;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Services;
using Microsoft.Extensions.Options;

namespace Derp.Users.Api.Apis;

/// <summary>The dependencies of the users endpoints, bundled for <c>[AsParameters]</c>.</summary>
public sealed record UsersServices(
    UsersContext Db,
    TokenService Tokens,
    IRateLimiter RateLimiter,
    IEmailSender Email,
    IOptions<UsersOptions> Options,
    TimeProvider Clock,
    ILogger<UsersServices> Logger);

public static class UserProblemCodes
{
    /// <summary>Requirements §1.5: money left, an unpaid order or one still being fulfilled; closing waits for settlement.</summary>
    public const string AccountNotSettled = "account_not_settled";
    public const string UsernameTaken = "username_taken";
    public const string InvalidVerificationCode = "invalid_verification_code";
    public const string VerificationCodeExpired = "verification_code_expired";
    public const string EmailAlreadyVerified = "email_already_verified";
    public const string VerificationMailLimit = "verification_mail_limit";
    public const string InvalidCredentials = "invalid_credentials";
    public const string EmailNotVerified = "email_not_verified";
    public const string AccountLocked = "account_locked";
    public const string LoginRateLimited = "login_rate_limited";
    public const string InvalidRefreshToken = "invalid_refresh_token";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string InvalidCurrentPassword = "invalid_current_password";
    public const string UserNotFound = "user_not_found";
    public const string CannotChangeOwnRole = "cannot_change_own_role";
    public const string AccountDeregistered = "account_deregistered";
    public const string NoRental = "no_rental";
    public const string DeviceLimitReached = "device_limit_reached";
    public const string DeviceExists = "device_exists";
    public const string DeviceNotFound = "device_not_found";

    // --- renter (issue 14): forgot password ---
    public const string InvalidResetCode = "invalid_reset_code";
    public const string ResetCodeExpired = "reset_code_expired";
    public const string PasswordResetMailLimit = "password_reset_mail_limit";
}
