namespace Derp.Distribution.Api.Model;

/// <summary>
/// A distributor's request for serials of a plan (requirements §9.2–§9.3): requested → approved (price fixed, an order
/// opened in finance under <see cref="OrderId"/>) → paid → issued (serials made the batch), or rejected / cancelled /
/// expired. <see cref="Derp.Contracts.Distribution.SerialRequestStatuses"/>.
/// </summary>
public sealed class SerialRequest
{
    public Guid Id { get; set; }
    public Guid DistributorId { get; set; }
    public Guid PlanId { get; set; }
    public required string PlanNameZh { get; set; }
    public required string PlanNameEn { get; set; }
    public int Quantity { get; set; }
    public string? Remark { get; set; }
    public required string Status { get; set; }

    // Fixed on approval: the plan's price then, the tier and rate used, and the discounted total.
    public long? UnitPriceCents { get; set; }
    public string? TierCode { get; set; }
    public int? RateBasisPoints { get; set; }
    public long? PriceCents { get; set; }
    public string? Currency { get; set; }
    public Guid? OrderId { get; set; }
    public DateTimeOffset? PayBy { get; set; }

    public Guid? BatchId { get; set; }
    public string? RejectionReason { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>
/// A serial issued to a distributor (from <c>DistributorSerialsIssued</c>): the stock the storefront delivers from.
/// A stock serial is delivered at most once (<see cref="DeliveryId"/>); the code itself stays usable until redeemed.
/// </summary>
public sealed class StockSerial
{
    public Guid SerialId { get; set; }
    public Guid DistributorId { get; set; }
    public Guid RequestId { get; set; }
    public Guid PlanId { get; set; }
    public required string FullCode { get; set; }
    public DateTimeOffset ValidUntil { get; set; }
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>Redeemed by a renter (from <c>SerialRedeemed</c>): no longer stock.</summary>
    public DateTimeOffset? RedeemedAt { get; set; }

    public Guid? DeliveryId { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
