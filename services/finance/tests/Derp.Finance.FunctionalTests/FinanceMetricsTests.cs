using Derp.Contracts.Finance;
using Derp.TestSupport;

namespace Derp.Finance.FunctionalTests;

/// <summary>The finance service's figures move when the business event happens, as Prometheus reads them from /metrics.</summary>
public sealed class FinanceMetricsTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private Task<ScrapedMetrics> ScrapeAsync() => ScrapedMetrics.ReadAsync(factory.CreateClient());

    [Fact]
    public async Task A_waiting_order_then_its_confirmed_payment_move_the_orders_the_wait_and_the_revenue()
    {
        var planId = await factory.Admin().CreatePlanIdAsync(4_200);
        var order = await factory.Renter(Guid.NewGuid()).BuyAsync(planId);
        var waiting = await Until.ValueAsync(ScrapeAsync,
            m => m.Value("derp_finance_manual_payments_waiting") == 1 && m.Value("derp_finance_orders", "status=\"pending_payment\"") == 1,
            "the order waiting for its payment");
        waiting.Has("derp_finance_manual_payment_oldest_wait_seconds").ShouldBeTrue();
        waiting.Value("derp_finance_unmatched_receipts").ShouldBe(0);

        (await factory.Admin().ConfirmAsync(order.Id(), 4_200, $"TX{Guid.NewGuid():N}")).EnsureSuccessStatusCode();

        var paid = await Until.ValueAsync(ScrapeAsync,
            m => m.Value("derp_finance_orders", "status=\"paid\"") + m.Value("derp_finance_orders", "status=\"fulfilled\"") == 1
                && m.Value("derp_finance_manual_payments_waiting") == 0, "the order paid");
        // Counters are process-wide (other classes pay orders at the same time): this payment's price is in the total.
        paid.Value("derp_finance_revenue_cents_total", $"type=\"{OrderTypes.New}\"")
            .ShouldBeGreaterThanOrEqualTo(waiting.Value("derp_finance_revenue_cents_total", $"type=\"{OrderTypes.New}\"") + 4_200);
    }
}
