using Derp.Contracts.Users;

namespace Derp.Users.Api.Model;

public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>As the user typed it; uniqueness is on <see cref="NormalizedEmail"/>.</summary>
    public required string Email { get; set; }

    public required string NormalizedEmail { get; set; }
    public required string Username { get; set; }
    public required string NormalizedUsername { get; set; }
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    public bool EmailVerified { get; set; }
    public string Language { get; set; } = "zh-CN";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
    public int FailedLoginCount { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Deregistered accounts cannot sign in; their record stays as history (requirements §1.5).</summary>
    public string Status { get; set; } = UserStatuses.Active;

    public DateTimeOffset? DeregisteredAt { get; set; }

    /// <summary>
    /// Carried by every access token (claim <c>sv</c>); raised when all sessions end (closure, role or password change),
    /// which makes every service refuse the older tokens (ADR-006).
    /// </summary>
    public int SessionVersion { get; set; }
    public string? DeregistrationReason { get; set; }

    /// <summary>
    /// When distribution decided the newest approval or suspension applied here: an older decision that arrives later
    /// (events of two decisions may overtake each other) changes nothing.
    /// </summary>
    public DateTimeOffset? DistributorDecidedAt { get; set; }

    public static string Normalize(string value) => value.Trim().ToLowerInvariant();
}

public sealed class EmailVerification
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string CodeHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

/// <summary>A mailed code that lets the owner of the address set a new password (forgot password); single use.</summary>
public sealed class PasswordReset
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string CodeHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

/// <summary>
/// A refresh token, stored only as its SHA-256. Tokens rotate: each use retires the token and issues the next one
/// in the same family; presenting a retired token means it was stolen, so the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? CreatedByIp { get; set; }

    /// <summary>
    /// The account's session version when the token was issued: a token issued by a refresh that raced an
    /// end-of-sessions change (and so escaped its revocation) is refused at its next use (ADR-006).
    /// </summary>
    public int SessionVersion { get; set; }
}

/// <summary>
/// A revocation announced as <see cref="Derp.Contracts.Users.UserSessionsRevoked"/>; kept so that a starting service
/// instance can learn the recent ones (only those younger than an access token's lifetime matter).
/// </summary>
public sealed class SessionRevocation
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public int MinimumSessionVersion { get; set; }
    public Guid? SessionId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
}

/// <summary>The operation log (requirements §1.4): who did what, from where.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid? UserId { get; set; }
    public Guid? ActorId { get; set; }
    public required string Action { get; set; }
    public string? Detail { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

