namespace Derp.Contracts.Serials;

/// <summary>
/// A renter redeemed a serial. Rental serials carry the plan, duration and traffic quota; balance and donation
/// serials carry a value in cents. Consumers deduplicate on the message id (the outbox row's id).
/// </summary>
public sealed record SerialRedeemed(
    Guid SerialId,
    string FullCode,
    Guid UserId,
    string Kind,
    string UseType,
    Guid? PlanId,
    int? DurationDays,
    int? DurationHours,
    int? TrafficQuotaGb,
    long? ValueCents,
    Guid? DistributorId,
    DateTimeOffset RedeemedAt)
{
    /// <summary>The renter's address when redeeming: carried along the rental and provisioning events so the policy
    /// version it leads to is logged with it (requirements §5.4).</summary>
    public string? ClientIp { get; init; }
}
