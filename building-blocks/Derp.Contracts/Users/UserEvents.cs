namespace Derp.Contracts.Users;

// Integration events owned by the users service. Records only: consumers in other services bind to these types,
// so a field is added, never renamed or removed.

public sealed record UserRegistered(Guid UserId, string Email, string Username, string Role, DateTimeOffset RegisteredAt);

public sealed record UserEmailVerified(Guid UserId, string Email, DateTimeOffset VerifiedAt);

public sealed record UserRoleChanged(Guid UserId, string PreviousRole, string Role, Guid ChangedBy, DateTimeOffset ChangedAt);

/// <summary>A renter's first rental period started (or a new one after deregistration-free absence of any rental).</summary>
public sealed record RentalActivated(Guid RentalId, Guid UserId, Guid PeriodId, DateTimeOffset StartsAt, DateTimeOffset ExpiresAt,
    Guid? PlanId, int? TrafficQuotaGb, Guid? SerialId)
{
    /// <summary>The address of whoever caused it (the renter redeeming, an admin extending); see <see cref="Derp.Contracts.Servers.ContainersProvisioned.ClientIp"/>.</summary>
    public string? ClientIp { get; init; }

    /// <summary>The paid order that started it (source <c>order</c>); finance marks that order fulfilled.</summary>
    public Guid? OrderId { get; init; }
}

/// <summary>A rental got longer. <see cref="WasExpired"/>: it had expired, so stopped relays must start again.</summary>
public sealed record RentalExtended(Guid RentalId, Guid UserId, Guid PeriodId, DateTimeOffset PreviousExpiresAt, DateTimeOffset ExpiresAt,
    bool WasExpired, int? TrafficQuotaGb, string Source)
{
    /// <summary>The address of whoever caused it (the renter redeeming, an admin extending).</summary>
    public string? ClientIp { get; init; }

    /// <summary>The paid order that extended it (source <c>order</c>); finance marks that order fulfilled.</summary>
    public Guid? OrderId { get; init; }
}

/// <summary>A rental ran out: its relays stop, the account stays.</summary>
public sealed record RentalExpired(Guid RentalId, Guid UserId, DateTimeOffset ExpiredAt);

/// <summary>The account is closed: relays are removed, policies destroyed; the record is kept as history.</summary>
public sealed record UserDeregistered(Guid UserId, string Reason, DateTimeOffset DeregisteredAt);

public sealed record DeviceRegistered(Guid DeviceId, Guid UserId, string NodeKey, string Name, string MachineCode, DateTimeOffset RegisteredAt);

public sealed record DeviceRemoved(Guid DeviceId, Guid UserId, string NodeKey, DateTimeOffset RemovedAt);

/// <summary>
/// Access tokens issued before this moment stop working at every service: those of the whole account when
/// <see cref="SessionId"/> is null (tokens whose session version is below <see cref="MinimumSessionVersion"/>:
/// closure, role change, password change), else only those of that session (logout, a reused refresh token).
/// Reason: <c>logout</c>, <c>password_changed</c>, <c>role_changed</c>, <c>deregistered</c>, <c>refresh_token_reused</c>.
/// </summary>
public sealed record UserSessionsRevoked(Guid UserId, int MinimumSessionVersion, Guid? SessionId, string Reason, DateTimeOffset RevokedAt);

/// <summary>A service instance starting up asks users for the revocations still relevant (access tokens live minutes).</summary>
public sealed record RecentSessionRevocationsRequested(DateTimeOffset Since);

public sealed record RecentSessionRevocations(IReadOnlyList<UserSessionsRevoked> Revocations);

public static class SessionRevocationReasons
{
    public const string Logout = "logout";
    public const string PasswordChanged = "password_changed";
    public const string RoleChanged = "role_changed";
    public const string Deregistered = "deregistered";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string PasswordReset = "password_reset";
    public const string SignedOutEverywhere = "signed_out_everywhere";
}
