namespace Derp.Contracts.Users;

// Vocabularies: the strings this service stores, publishes and serves. They live here, beside the events, so every
// service and the web portal (web/src/lib/vocabulary.generated.ts, `make vocabulary`) use one definition (ADR-013).

public static class UserStatuses
{
    public const string Active = "active";
    public const string Deregistered = "deregistered";

    public static readonly IReadOnlyList<string> All = [Active, Deregistered];
}

public static class AuditActions
{
    public const string Registered = "registered";
    public const string EmailVerified = "email_verified";
    public const string Login = "login";
    public const string LoginFailed = "login_failed";
    public const string AccountLocked = "account_locked";
    public const string Logout = "logout";
    public const string PasswordChanged = "password_changed";
    public const string RoleChanged = "role_changed";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string RentalExtended = "rental_extended";
    public const string Deregistered = "deregistered";
    public const string DeviceRegistered = "device_registered";
    public const string DeviceRemoved = "device_removed";

    /// <summary>The deregistration job kept a lapsed account because finance did not call it settled (at most once a day per account).</summary>
    public const string DeregistrationBlocked = "deregistration_blocked";

    // --- renter (issue 14) ---
    /// <summary>The password was set anew with a mailed code (forgot password); every session ended.</summary>
    public const string PasswordReset = "password_reset";
    /// <summary>The user signed out every session of theirs from the account page.</summary>
    public const string SessionsRevoked = "sessions_revoked";

    public static readonly IReadOnlyList<string> All =
        [Registered, EmailVerified, Login, LoginFailed, AccountLocked, Logout, PasswordChanged, RoleChanged, RefreshTokenReused,
         RentalExtended, Deregistered, DeviceRegistered, DeviceRemoved, DeregistrationBlocked,
         PasswordReset, SessionsRevoked];
}

public static class RentalStatuses
{
    public const string Active = "active";
    public const string Expired = "expired";

    /// <summary>The account was closed: the relays and policy are gone for good.</summary>
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Active, Expired, Closed];
}

/// <summary>What the renter sees of their relays.</summary>
public static class ServiceStates
{
    public const string Provisioning = "provisioning";
    public const string Ready = "ready";
    public const string Stopped = "stopped";

    public static readonly IReadOnlyList<string> All = [Provisioning, Ready, Stopped];
}

public static class EmailStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Failed];
}

/// <summary>Where a rental period came from (<c>RentalExtended.Source</c>, the period history).</summary>
public static class RentalSources
{
    public const string Serial = "serial";
    public const string Admin = "admin";

    /// <summary>A paid plan order (finance's <c>OrderPaid</c>).</summary>
    public const string Order = "order";

    public static readonly IReadOnlyList<string> All = [Serial, Admin, Order];
}
