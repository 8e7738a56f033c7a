namespace Derp.Contracts.Distribution;

// Integration events owned by the distribution service. Money is integer minor units (fen) with a currency code.
// Records only: a field is added, never renamed or removed.

/// <summary>An admin approved an application or appointed a distributor: users gives the account the role <c>distributor</c>.</summary>
public sealed record DistributorApproved(Guid UserId, string TierCode, Guid ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>An admin suspended a distributor: users sets the role back to <c>renter</c> (their sessions end, ADR-006).</summary>
public sealed record DistributorSuspended(Guid UserId, string Reason, Guid SuspendedBy, DateTimeOffset SuspendedAt);

/// <summary>
/// An admin approved a serial request at a fixed price: finance opens an order of type <c>serial_purchase</c> under
/// <see cref="OrderId"/> (chosen here, ADR-019) for the distributor to pay like any order; it expires at
/// <see cref="PayBy"/>.
/// </summary>
public sealed record SerialPurchaseApproved(
    Guid RequestId,
    Guid OrderId,
    Guid DistributorId,
    Guid PlanId,
    int Quantity,
    long PriceCents,
    string Currency,
    string TierCode,
    int RateBasisPoints,
    DateTimeOffset PayBy,
    DateTimeOffset ApprovedAt);

/// <summary>A serial request was cancelled or ran out before payment: finance cancels its pending order (money already paid goes to the wallet).</summary>
public sealed record SerialPurchaseCancelled(Guid RequestId, Guid OrderId, string Reason, DateTimeOffset CancelledAt);

/// <summary>
/// A paid serial request's serials were issued into the distributor's stock: finance marks its order fulfilled (as a
/// rental event does for a plan order), once however often this arrives.
/// </summary>
public sealed record SerialPurchaseIssued(Guid RequestId, Guid OrderId, Guid DistributorId, Guid BatchId, int Quantity, DateTimeOffset IssuedAt);

/// <summary>A serial request was paid: serials issues one batch for the distributor, once per request however often this arrives.</summary>
public sealed record SerialBatchRequested(Guid RequestId, Guid DistributorId, Guid PlanId, int Quantity, DateTimeOffset RequestedAt);

/// <summary>A renter redeemed a distributor's serial and is attributed to that distributor (the first attribution stays).</summary>
public sealed record RenterAttributed(Guid RenterId, Guid DistributorId, Guid SerialId, DateTimeOffset AttributedAt);

/// <summary>A distributor moved available commission to their wallet: finance credits it under <see cref="TransferId"/> (the ledger entry id), once.</summary>
public sealed record CommissionMovedToWallet(Guid TransferId, Guid DistributorId, long AmountCents, string Currency, DateTimeOffset MovedAt);
