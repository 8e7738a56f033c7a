namespace Derp.Contracts.Servers;

// Owned by the servers service (issue 4). Defined here first because the users service consumes them.

public sealed record RelayNode(string RegionCode, string RegionName, string HostName, string IPv4, int DerpPort, int StunPort);

/// <summary>A renter's relays are running (first provisioning, or after a host was drained).</summary>
public sealed record ContainersProvisioned(Guid UserId, Guid RentalId, IReadOnlyList<RelayNode> Nodes, DateTimeOffset ProvisionedAt);

/// <summary>A host was removed; its renters' relays were moved to other hosts.</summary>
public sealed record ServerRemoved(Guid ServerId, string Name, IReadOnlyList<Guid> AffectedUserIds, DateTimeOffset RemovedAt);

/// <summary>Traffic relayed for a renter in the current rental period.</summary>
public sealed record RentalTrafficUpdated(Guid UserId, Guid RentalId, long UsedBytes, DateTimeOffset MeasuredAt);

/// <summary>A renter went over the plan's traffic quota: their relays were stopped.</summary>
public sealed record TrafficQuotaExceeded(Guid UserId, Guid RentalId, long UsedBytes, long QuotaBytes, DateTimeOffset StoppedAt);
