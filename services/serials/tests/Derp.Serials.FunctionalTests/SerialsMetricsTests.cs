using System.Net;
using System.Net.Http.Json;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

/// <summary>The serials service's figures move when the business event happens, as Prometheus reads them from /metrics.</summary>
public sealed class SerialsMetricsTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private Task<ScrapedMetrics> ScrapeAsync() => ScrapedMetrics.ReadAsync(factory.CreateClient());

    [Fact]
    public async Task A_redemption_and_a_refusal_are_counted_and_the_unused_stock_shrinks()
    {
        var serials = await factory.Admin().NewSerialsAsync("rental", count: 3);
        await Until.ValueAsync(ScrapeAsync, m => m.Value("derp_serials_unused", "kind=\"rental\"") == 3, "three unused rental serials");
        var before = await ScrapeAsync();
        var renter = factory.Renter();

        (await renter.PostAsJsonAsync("/api/serials/redeem", new { code = serials[0].Code })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await renter.PostAsJsonAsync("/api/serials/redeem", new { code = serials[0].Code })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var after = await Until.ValueAsync(ScrapeAsync, m => m.Value("derp_serials_unused", "kind=\"rental\"") == 2, "the unused stock refreshed");
        // Counters are process-wide and other test classes redeem at the same time: the figure grew, at least by ours.
        after.Value("derp_serials_redemptions_total", "kind=\"rental\"", "result=\"redeemed\"")
            .ShouldBeGreaterThan(before.Value("derp_serials_redemptions_total", "kind=\"rental\"", "result=\"redeemed\""));
        after.Value("derp_serials_redemptions_total", "kind=\"rental\"", "result=\"serial_already_used\"")
            .ShouldBeGreaterThan(before.Value("derp_serials_redemptions_total", "kind=\"rental\"", "result=\"serial_already_used\""));
    }
}
