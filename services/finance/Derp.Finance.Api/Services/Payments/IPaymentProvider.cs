using Microsoft.AspNetCore.Http;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// A payment provider whose asynchronous notifications say an order was paid (ADR-018). It only checks a notification
/// and answers in the provider's own format; applying the money is <see cref="OrderPayments"/>'s job, the same path as an
/// admin's confirmation, idempotent on (channel, provider transaction id).
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The route segment and the <c>provider</c> label of the notification metric: <c>alipay</c>, <c>wechat</c>.</summary>
    string Name { get; }

    /// <summary>The <see cref="Derp.Contracts.Finance.PaymentChannels"/> a verified payment is recorded under.</summary>
    string Channel { get; }

    bool Enabled { get; }

    /// <summary>Checks the notification as the provider's published algorithm says. Never throws for anything a caller sends.</summary>
    NotificationVerdict Verify(ProviderNotification notification);

    /// <summary>The answer that stops the provider from sending this notification again.</summary>
    IResult Acknowledge();

    /// <summary>The answer that tells the provider the notification was not taken (it retries later).</summary>
    IResult Refuse(NotificationRefusal refusal);
}

/// <summary>A notification as it arrived: the exact body bytes (WeChat Pay signs them) and the request headers.</summary>
public sealed record ProviderNotification(ReadOnlyMemory<byte> Body, IReadOnlyDictionary<string, string> Headers)
{
    public static ProviderNotification FromBody(ReadOnlyMemory<byte> body) =>
        new(body, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A payment a provider vouched for: our order number (<c>out_trade_no</c>) and the provider's transaction id.</summary>
public sealed record VerifiedPayment(string OrderNumber, string Reference, long AmountCents, string Currency, DateTimeOffset ReceivedAt);

public abstract record NotificationVerdict
{
    private NotificationVerdict() { }

    /// <summary>Genuine and a completed payment: apply it.</summary>
    public sealed record Verified(VerifiedPayment Payment) : NotificationVerdict;

    /// <summary>Genuine but not a completed payment (waiting, closed, a refund): acknowledged so the provider stops, nothing applied.</summary>
    public sealed record Ignored(string Why) : NotificationVerdict;

    /// <summary>Not taken: forged, tampered, replayed, for another merchant, or not readable.</summary>
    public sealed record Refused(NotificationRefusal Refusal) : NotificationVerdict;
}

/// <summary>
/// Why a notification was not taken. <see cref="Code"/> is stable (a <c>FinanceProblemCodes</c> value and the metric's
/// <c>result</c> label); <see cref="Message"/> is safe to send back and to log: it never holds a key or the body.
/// </summary>
public sealed record NotificationRefusal(string Code, int Status, string Message);
