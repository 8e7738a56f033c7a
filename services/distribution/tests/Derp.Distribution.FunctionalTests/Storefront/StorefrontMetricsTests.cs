using Derp.TestSupport;

namespace Derp.Distribution.FunctionalTests.Storefront;

/// <summary>A shop bot's delivery moves the distributor's unused stock and the deliveries counted by result on /metrics.</summary>
public sealed class StorefrontMetricsTests(StorefrontApiFactory factory) : IClassFixture<StorefrontApiFactory>
{
    private Task<ScrapedMetrics> ScrapeAsync() => ScrapedMetrics.ReadAsync(factory.CreateClient());

    private static object Order(Guid card) => new { channel = "xianyu", externalOrderId = "XY" + Guid.NewGuid().ToString("N")[..12], itemId = card, quantity = 1 };

    [Fact]
    public async Task A_delivered_serial_leaves_the_stock_and_an_order_past_the_stock_counts_as_failed()
    {
        var owner = await factory.NewOwnerAsync();
        var planId = Guid.NewGuid();
        await factory.AddStockSerialsAsync(owner.Id, planId, 1);
        await factory.AddStockSerialsAsync(owner.Id, planId, 1, redeemedAt: factory.Clock.GetUtcNow()); // not stock any more
        var card = await owner.CardAsync(new { name = "月卡序列号", type = "serial", planId });
        var distributor = $"distributor=\"{owner.Id}\"";
        var before = await Until.ValueAsync(ScrapeAsync, m => m.Value("derp_distribution_stock_unused", distributor) == 1, "one serial in stock");

        (await owner.DeliverAsync(Order(card))).Status().ShouldBe("delivered");
        (await owner.DeliverAsync(Order(card))).Reason().ShouldBe("out_of_stock");

        var after = await Until.ValueAsync(ScrapeAsync, m => !m.Text.Contains($"derp_distribution_stock_unused{{{distributor}}}", StringComparison.Ordinal),
            "the stock emptied");
        // Counters are process-wide (other classes deliver at the same time): at least ours were added.
        after.Value("derp_distribution_storefront_deliveries_total", "result=\"delivered\"")
            .ShouldBeGreaterThanOrEqualTo(before.Value("derp_distribution_storefront_deliveries_total", "result=\"delivered\"") + 1);
        after.Value("derp_distribution_storefront_deliveries_total", "result=\"failed\"")
            .ShouldBeGreaterThanOrEqualTo(before.Value("derp_distribution_storefront_deliveries_total", "result=\"failed\"") + 1);
    }
}
