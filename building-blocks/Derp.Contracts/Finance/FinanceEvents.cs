namespace Derp.Contracts.Finance;

// Integration events owned by the finance service. Money is always integer minor units (fen for CNY) with an ISO 4217
// currency code. Records only: a field is added, never renamed or removed.

/// <summary>
/// A plan was created, changed or retired. serials keeps a projection of plans from this event so that a batch with a
/// plan takes duration, quota and face value without calling finance. <see cref="Version"/> grows with every change of
/// one plan: a consumer keeps the highest version it has seen, so a late, older event changes nothing.
/// </summary>
public sealed record PlanChanged(
    Guid PlanId,
    long Version,
    string NameZh,
    string NameEn,
    int DurationDays,
    long PriceCents,
    string Currency,
    int TrafficQuotaGb,
    bool Sell,
    bool Renew,
    bool Retired,
    DateTimeOffset ChangedAt);

/// <summary>
/// A plan order was paid in full. users starts or extends the renter's rental by <see cref="DurationDays"/> exactly as
/// for a redeemed serial (period source <c>order</c>, stacking from the current expiry, once per order) and answers
/// with <c>RentalActivated</c>/<c>RentalExtended</c> carrying the order id, which makes the order fulfilled.
/// </summary>
public sealed record OrderPaid(
    Guid OrderId,
    string OrderNumber,
    Guid UserId,
    Guid PlanId,
    string OrderType,
    int DurationDays,
    int TrafficQuotaGb,
    long AmountCents,
    string Currency,
    DateTimeOffset PaidAt)
{
    /// <summary>The renter's address when paying from the wallet; null for confirmations and provider notifications.</summary>
    public string? ClientIp { get; init; }
}

/// <summary>A paid order's money went back to the renter (to the wallet or by hand); distribution reverses commission.</summary>
public sealed record OrderRefunded(Guid OrderId, Guid UserId, long AmountCents, string Currency, string Method, DateTimeOffset RefundedAt);
