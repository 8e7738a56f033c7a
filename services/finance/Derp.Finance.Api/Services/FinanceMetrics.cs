using System.Diagnostics.Metrics;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.ServiceDefaults.Metrics;

namespace Derp.Finance.Api.Services;

/// <summary>The finance service's own figures on /metrics (provider notifications: <see cref="Payments.PaymentNotificationMetrics"/>).</summary>
public static class FinanceMetrics
{
    private static readonly Meter Meter = new("Derp.Finance");

    public static readonly Counter<long> RevenueCents = Meter.CreateCounter<long>("derp.finance.revenue_cents",
        description: "Order prices, in cents, counted when an order is paid (committed), by plan (English name) and order type.");

    public static void AddFinanceGauges(this IServiceCollection services)
    {
        services.AddDatabaseGauge<FinanceContext>("derp.finance.orders", "Orders by status.",
            "SELECT status, count(*) FROM orders GROUP BY status");
        // Waiting: an order made and not yet paid nor expired, i.e. money the renter is to transfer and an admin or a
        // provider to confirm.
        services.AddDatabaseGauge<FinanceContext>("derp.finance.manual_payments_waiting", "Orders waiting for their payment (pending, not expired).",
            $"SELECT count(*) FROM orders WHERE status = '{OrderStatuses.PendingPayment}' AND expires_at > now()");
        services.AddDatabaseGauge<FinanceContext>("derp.finance.manual_payment_oldest_wait", "How long the oldest order waiting for its payment has waited (0 when none).",
            $"SELECT coalesce(greatest(0, extract(epoch FROM now() - min(created_at))), 0) FROM orders WHERE status = '{OrderStatuses.PendingPayment}' AND expires_at > now()",
            unit: "s");
        services.AddDatabaseGauge<FinanceContext>("derp.finance.unmatched_receipts", "Received money that names no order yet (the receipts inbox).",
            $"SELECT count(*) FROM payments WHERE status = '{ReceiptStatuses.Unmatched}'");
    }

    public static void CountRevenue(Model.Order order) =>
        RevenueCents.Add(order.PriceCents, PlatformMetrics.Tag("plan", order.PlanNameEn), PlatformMetrics.Tag("type", order.Type));
}
