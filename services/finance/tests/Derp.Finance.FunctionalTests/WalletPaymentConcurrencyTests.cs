using System.Net;
using Derp.Contracts.Finance;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.FunctionalTests;

/// <summary>finance allowing 20 open orders per renter, so one renter can pay 20 orders at the same moment.</summary>
public sealed class ManyOpenOrdersFinanceApiFactory : FinanceApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("Finance:MaxOpenOrdersPerRenter", "20")];
}

/// <summary>The wallet case through the real endpoint: the balance is never negative and never wrong under concurrency.</summary>
public sealed class WalletPaymentConcurrencyTests(ManyOpenOrdersFinanceApiFactory factory) : IClassFixture<ManyOpenOrdersFinanceApiFactory>
{
    [Fact]
    public async Task Twenty_parallel_wallet_payments_that_together_exceed_the_balance_pay_only_the_orders_that_fit()
    {
        var planId = await factory.Admin().CreatePlanIdAsync(priceCents: 700);
        var userId = Guid.NewGuid();
        await factory.FundWalletAsync(userId, 5_000); // room for 7 orders of 7.00, 1.00 left over
        var renter = factory.Renter(userId);
        var orders = new List<Guid>();
        for (var i = 0; i < 20; i++)
            orders.Add((await renter.BuyAsync(planId)).Id());

        var responses = await Task.WhenAll(orders.Select(id => renter.PostAsync($"/api/finance/me/orders/{id}/pay-from-wallet", null)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(7);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.ProblemCodeAsync()).ShouldBe("insufficient_balance");
        }
        var balance = await factory.BalanceAsync(userId);
        balance.ShouldBe(100);
        (await factory.LedgerAsync(userId)).Sum(e => e.AmountCents).ShouldBe(balance);
        await factory.WithDbAsync(async db =>
        {
            (await db.Orders.CountAsync(o => o.UserId == userId && o.Status == OrderStatuses.Paid)).ShouldBe(7);
            (await db.Orders.CountAsync(o => o.UserId == userId && o.Status == OrderStatuses.PendingPayment && o.PaidCents == 0)).ShouldBe(13);
            (await db.Payments.CountAsync(p => p.Channel == PaymentChannels.Wallet && orders.Contains(p.OrderId!.Value))).ShouldBe(7);
        });
    }
}
