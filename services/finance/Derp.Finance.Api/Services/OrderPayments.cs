using Derp.Finance.Api.Model;

namespace Derp.Finance.Api.Services;

/// <summary>Money that arrived for an order, from any channel (see <see cref="Payment"/>).</summary>
public sealed record IncomingPayment(string Channel, string Reference, long AmountCents, string Currency, DateTimeOffset ReceivedAt)
{
    public string? Memo { get; init; }
    public string? PayerName { get; init; }
    public string? Remark { get; init; }

    /// <summary>The admin who confirmed it; null for provider notifications and wallet payments.</summary>
    public Guid? RecordedBy { get; init; }
}

/// <summary>What applying a payment did. <see cref="Duplicate"/>: this (channel, reference) was already recorded; nothing changed.</summary>
public sealed record PaymentOutcome(Payment Payment, Order? Order, bool Duplicate);

/// <summary>
/// The one path by which money reaches an order, whatever the channel (admin confirmation, matched receipt, provider
/// notification): idempotent on (channel, reference), partial payments add up, the part beyond the price (or money for
/// an order that can no longer take it) goes to the renter's wallet, and a fully paid order publishes OrderPaid.
/// </summary>
public sealed class OrderPayments
{
    /// <summary>Applies <paramref name="payment"/> to the order with this number (a provider's out_trade_no). Null when no such order.</summary>
    public Task<PaymentOutcome?> ApplyToOrderNumberAsync(string orderNumber, IncomingPayment payment, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The orders helper implements this.");
}
