namespace Derp.Contracts.Servers;

// Owned by the servers service (issue 4). Defined here first because the users service consumes them.

/// <summary>
/// One running relay. <see cref="CertName"/> is set when the relay serves a certificate for an IP address (derper's
/// self-signed IP mode, the default when a host has no DNS name): <c>sha256-raw:&lt;hex of the SHA-256 of the
/// certificate&gt;</c>, read by servers from the certificate the relay serves; clients pin it instead of checking a
/// host name. Null for relays with a DNS name (a CA-issued certificate) and for the plain-HTTP stand-in.
/// </summary>
public sealed record RelayNode(string RegionCode, string RegionName, string HostName, string IPv4, int DerpPort, int StunPort,
    string? CertName = null);

/// <summary>
/// A renter's relays are running. <see cref="Reason"/>: <c>rental</c> (first provisioning), <c>host_removed</c>
/// (moved off a drained host) or <c>reprovisioned</c> (an admin rebuilt one).
/// </summary>
public sealed record ContainersProvisioned(Guid UserId, Guid RentalId, IReadOnlyList<RelayNode> Nodes, DateTimeOffset ProvisionedAt,
    string Reason = ProvisioningReasons.Rental)
{
    /// <summary>
    /// For <see cref="ProvisioningReasons.Rental"/>: the address of the request that started or renewed the rental
    /// (from <c>SerialRedeemed</c> through <c>RentalActivated</c>/<c>RentalExtended</c>), so acl logs the policy
    /// version it makes with the renter's address and location (requirements §5.4). Null when the platform itself
    /// moved or rebuilt relays.
    /// </summary>
    public string? ClientIp { get; init; }
}

/// <summary>A host was removed; its renters' relays were moved to other hosts.</summary>
public sealed record ServerRemoved(Guid ServerId, string Name, IReadOnlyList<Guid> AffectedUserIds, DateTimeOffset RemovedAt);

/// <summary>Traffic relayed for a renter in the current rental period.</summary>
public sealed record RentalTrafficUpdated(Guid UserId, Guid RentalId, long UsedBytes, DateTimeOffset MeasuredAt);

/// <summary>A renter went over the plan's traffic quota: their relays were stopped.</summary>
public sealed record TrafficQuotaExceeded(Guid UserId, Guid RentalId, long UsedBytes, long QuotaBytes, DateTimeOffset StoppedAt);

/// <summary>A host turned unhealthy (several failed checks in a row) or healthy again (several good ones).</summary>
public sealed record ServerHealthChanged(Guid ServerId, string Name, bool Healthy, string? Reason, DateTimeOffset ChangedAt);
