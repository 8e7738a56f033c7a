using Derp.ServiceDefaults.Rentals;

namespace Derp.Finance.Api.Model;

/// <summary>
/// What finance knows of a renter, kept from users' events by the shared <see cref="RentalProjection"/> rule: whether an
/// order is new or a renewal, and how many active renters a plan has (its capacity limit), without calling users.
/// </summary>
public sealed class Renter : IRentalProjection
{
    public Guid UserId { get; set; }
    public string? Email { get; set; }
    public Guid? RentalId { get; set; }
    public bool RentalActive { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool OverQuota { get; set; }
    public bool Deregistered { get; set; }

    /// <summary>The plan of the latest period that named one (a serial or an order).</summary>
    public Guid? PlanId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
