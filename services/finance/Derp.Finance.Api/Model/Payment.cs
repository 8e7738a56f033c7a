namespace Derp.Finance.Api.Model;

/// <summary>
/// Money that arrived, from any channel: a wallet payment, a transfer an admin confirmed, a provider notification, or a
/// receipt nobody has matched yet. (Channel, Reference) is unique, which is what makes every way of paying idempotent:
/// the same confirmation or notification twice finds the row the first one wrote.
/// </summary>
public sealed class Payment
{
    public Guid Id { get; set; }
    public required string Channel { get; set; }

    /// <summary>The transfer's reference, the provider's transaction id, or for wallet payments the order id.</summary>
    public required string Reference { get; set; }

    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary><see cref="Derp.Contracts.Finance.ReceiptStatuses"/>: unmatched (the inbox), matched (to an order), credited (to a wallet).</summary>
    public required string Status { get; set; }

    public Guid? OrderId { get; set; }

    /// <summary>The part of <see cref="AmountCents"/> the order took; the rest went to the wallet.</summary>
    public long AppliedCents { get; set; }

    public Guid? CreditedUserId { get; set; }
    public string? Memo { get; set; }
    public string? PayerName { get; set; }
    public string? Remark { get; set; }

    /// <summary>The admin who recorded it; null for wallet payments and provider notifications.</summary>
    public Guid? RecordedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
