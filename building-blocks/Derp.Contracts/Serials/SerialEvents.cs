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

    /// <summary>
    /// Balance and donation serials: the id of the record the use creates in finance (the ledger entry of a top-up, the
    /// donation), chosen by serials so the use-log row points at it in the same transaction as the use (seed 004's
    /// <c>related_type</c>/<c>related_id</c>); finance creates the record under this id exactly once.
    /// </summary>
    public Guid? RelatedId { get; init; }

    /// <summary>Donation serials: what the donor typed (name shown on the thank-you list unless anonymous).</summary>
    public string? DonorName { get; init; }

    public string? DonationMessage { get; init; }

    public bool DonationAnonymous { get; init; }
}

/// <summary>
/// serials issued the batch a paid serial request asked for (distribution's <c>SerialBatchRequested</c>), once per
/// request. The codes travel so that distribution can deliver them from its storefront stock.
/// </summary>
public sealed record DistributorSerialsIssued(Guid RequestId, Guid BatchId, Guid DistributorId, Guid PlanId, IReadOnlyList<IssuedSerial> Serials,
    DateTimeOffset IssuedAt);

public sealed record IssuedSerial(Guid SerialId, string FullCode, DateTimeOffset ValidUntil);
