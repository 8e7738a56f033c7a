namespace Derp.Distribution.Api.Model;

/// <summary>A renter brought by a distributor's serial (requirements §9.4). The first attribution stays.</summary>
public sealed class Attribution
{
    public Guid RenterId { get; set; }
    public Guid DistributorId { get; set; }
    public Guid SerialId { get; set; }
    public DateTimeOffset AttributedAt { get; set; }
}

/// <summary>
/// One row of a distributor's commission account (ADR-022). A paid rental order of an attributed renter earns one
/// <see cref="CommissionKinds.Order"/> row; payouts and wallet transfers draw whole rows oldest first (splitting the
/// last one), and a refund of money already drawn adds a negative <see cref="CommissionKinds.Clawback"/>. The available
/// balance is the sum of the rows whose status is <c>available</c>, so a clawback nets against later commission and
/// the balance may go below zero.
/// </summary>
public sealed class Commission
{
    public Guid Id { get; set; }
    public Guid DistributorId { get; set; }
    public Guid RenterId { get; set; }
    public Guid OrderId { get; set; }

    /// <summary><see cref="CommissionKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary><see cref="Derp.Contracts.Distribution.CommissionStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>The order's amount paid (turnover); zero on the rows that are not the order's own.</summary>
    public long BaseCents { get; set; }

    public int RateBasisPoints { get; set; }
    public required string TierCode { get; set; }

    /// <summary>Signed: a clawback is negative.</summary>
    public long AmountCents { get; set; }

    public required string Currency { get; set; }
    public DateTimeOffset EarnedAt { get; set; }
    public DateTimeOffset AvailableAt { get; set; }

    /// <summary>The payout or wallet transfer that drew this row (locked or paid).</summary>
    public Guid? PayoutId { get; set; }

    public Guid? WalletTransferId { get; set; }

    /// <summary>For a split or clawback row: the row it came from.</summary>
    public Guid? SourceId { get; set; }

    public DateTimeOffset? ReversedAt { get; set; }
}

public static class CommissionKinds
{
    /// <summary>The commission an order earned (one per order).</summary>
    public const string Order = "order";

    /// <summary>The part of a row a payout did not need, left available.</summary>
    public const string Split = "split";

    /// <summary>Negative: commission already drawn whose order was refunded.</summary>
    public const string Clawback = "clawback";

    /// <summary>Positive: a rejected payout gives back a row that was refunded (and clawed back) while locked.</summary>
    public const string Returned = "returned";
}

/// <summary>A distributor's request to be paid available commission; the money is locked when it is made.</summary>
public sealed class Payout
{
    public Guid Id { get; set; }
    public Guid DistributorId { get; set; }
    public long AmountCents { get; set; }
    public required string Currency { get; set; }

    /// <summary><see cref="Derp.Contracts.Distribution.PayoutStatuses"/>.</summary>
    public required string Status { get; set; }

    // Where the money goes, as the distributor's account said when they asked.
    public required string PayoutChannel { get; set; }
    public required string PayoutAccountName { get; set; }
    public required string PayoutAccount { get; set; }

    public string? Reference { get; set; }
    public string? RejectionReason { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>Available commission a distributor moved to their finance wallet (<c>CommissionMovedToWallet</c>).</summary>
public sealed class WalletTransfer
{
    public Guid Id { get; set; }
    public Guid DistributorId { get; set; }
    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An order finance refunded, remembered even when it earned nothing yet: a refund that overtakes its payment on the
/// bus must still keep the payment from earning commission when it arrives.
/// </summary>
public sealed class RefundedOrder
{
    public Guid OrderId { get; set; }
    public DateTimeOffset RefundedAt { get; set; }
}
