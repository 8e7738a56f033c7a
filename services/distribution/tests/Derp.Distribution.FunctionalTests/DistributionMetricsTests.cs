using Derp.TestSupport;

namespace Derp.Distribution.FunctionalTests;

/// <summary>The distribution service's figures move when the business event happens, as Prometheus reads them from /metrics.</summary>
public sealed class DistributionMetricsTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    private readonly CommissionDriver _driver = new(factory);

    private Task<ScrapedMetrics> ScrapeAsync() => ScrapedMetrics.ReadAsync(factory.CreateClient());

    [Fact]
    public async Task A_paid_order_of_an_attributed_renter_counts_its_earned_commission()
    {
        var (distributor, _) = await _driver.DistributorAsync(rateBasisPoints: 1000);
        var renter = Guid.NewGuid();
        await _driver.RedeemAsync(renter, distributor);
        var before = await ScrapeAsync();

        await _driver.PayAsync(renter, 5_000);

        // 10% of 50.00 earned. Counters are process-wide (other classes earn at the same time): at least ours was added.
        var after = await ScrapeAsync();
        after.Value("derp_distribution_commissions_cents_total", "status=\"pending\"")
            .ShouldBeGreaterThanOrEqualTo(before.Value("derp_distribution_commissions_cents_total", "status=\"pending\"") + 500);
        after.Has("derp_outbox_backlog").ShouldBeTrue();
        after.Has("derp_build_info").ShouldBeTrue();
    }
}
