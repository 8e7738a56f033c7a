using System.Diagnostics.Metrics;
using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.ServiceDefaults.Metrics;
using Derp.ServiceDefaults.Persistence;

namespace Derp.Distribution.Api.Services;

/// <summary>The distribution service's own figures on /metrics; counters move only once their change committed.</summary>
public static class DistributionMetrics
{
    private static readonly Meter Meter = new("Derp.Distribution");

    public static readonly Counter<long> CommissionCents = Meter.CreateCounter<long>("derp.distribution.commissions_cents",
        description: "Commission cents by what happened to them: earned (pending), paid out (paid: payouts marked paid and wallet transfers) or reversed (reversed).");

    public static readonly Counter<long> StorefrontDeliveries = Meter.CreateCounter<long>("derp.distribution.storefront_deliveries",
        description: "Storefront deliveries completed, by result (delivered|failed).");

    public static void CountCommission(this DistributionContext db, string status, long cents) =>
        db.AfterCommit(() => CommissionCents.Add(cents, PlatformMetrics.Tag("status", status)));

    public static void CountDelivery(this DistributionContext db, string result) =>
        db.AfterCommit(() => StorefrontDeliveries.Add(1, PlatformMetrics.Tag("result", result)));

    public static void AddDistributionGauges(this IServiceCollection services) =>
        services.AddDatabaseGauge<DistributionContext>("derp.distribution.stock_unused", "Serials a distributor holds that are neither redeemed, delivered nor past their validity.",
            "SELECT distributor_id AS distributor, count(*) FROM stock_serials WHERE redeemed_at IS NULL AND delivered_at IS NULL AND valid_until > now() GROUP BY distributor_id");
}
