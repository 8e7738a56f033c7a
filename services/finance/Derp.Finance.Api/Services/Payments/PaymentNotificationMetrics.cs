using System.Diagnostics.Metrics;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>Provider notifications on /metrics: <c>derp_finance_provider_notifications_total{provider,result}</c>.</summary>
public static class PaymentNotificationMetrics
{
    private static readonly Meter Meter = new("Derp.Finance.Payments");

    /// <summary>
    /// <c>result</c>: accepted, duplicate, conflicting_duplicate, ignored, disabled, or the refusal's code (signature_invalid,
    /// notification_replayed, provider_account_mismatch, notification_malformed, notification_undecryptable,
    /// order_not_found, internal_error). A refusal that keeps rising is a forger, a misconfiguration, or a lost order.
    /// </summary>
    public static readonly Counter<long> Notifications = Meter.CreateCounter<long>("derp.finance.provider_notifications",
        description: "Payment provider notifications by provider and result.");

    public static void Count(string provider, string result) =>
        Notifications.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("result", result));
}
