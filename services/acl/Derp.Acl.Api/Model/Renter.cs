using Derp.ServiceDefaults.Rentals;

namespace Derp.Acl.Api.Model;

/// <summary>
/// What the acl service knows of a renter, kept from events (rentals, quota, account closure) by the shared
/// <see cref="RentalProjection"/> rule, so that admission and downloads are decided here without calling another service.
/// </summary>
public sealed class Renter : IRentalProjection
{
    public Guid UserId { get; set; }
    public Guid? RentalId { get; set; }
    public bool RentalActive { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool OverQuota { get; set; }
    public bool Deregistered { get; set; }
    /// <summary>The distributor who brought this renter (distribution's RenterAttributed); the first one stays.</summary>
    public Guid? DistributorId { get; set; }
    public int CurrentVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The renter may download the policy and use the relays: a paid rental that has not run out.</summary>
    public bool IsEntitled(DateTimeOffset now) => RentalActive && !Deregistered && ExpiresAt > now;
}

/// <summary>A device a renter registered; only these node keys may use the renter's relays (requirements §5.6).</summary>
public sealed class RenterDevice
{
    public required string NodeKey { get; set; }
    public Guid DeviceId { get; set; }
    public Guid UserId { get; set; }
}

/// <summary>
/// A device the renter removed. users gives every registration a new device id, so a removed id never comes back:
/// a <c>DeviceRegistered</c> for it that arrives late (after its <c>DeviceRemoved</c>, or redelivered) is stale and
/// must not let the key in again.
/// </summary>
public sealed class RemovedDevice
{
    public Guid DeviceId { get; set; }
    public DateTimeOffset RemovedAt { get; set; }
}
