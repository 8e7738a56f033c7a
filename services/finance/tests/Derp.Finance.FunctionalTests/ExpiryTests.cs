using System.Net;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Jobs;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Derp.Finance.FunctionalTests;

public sealed class ExpiryTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private async Task<int> RunJobAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderExpiryJob>().ExpireDueAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Unpaid_orders_expire_after_the_timeout_and_money_a_partly_paid_one_received_goes_to_the_wallet()
    {
        var admin = factory.Admin();
        var planId = await admin.CreatePlanIdAsync(priceCents: 3_000);
        var untouchedId = Guid.NewGuid();
        var untouched = await factory.Renter(untouchedId).BuyAsync(planId);
        var partlyId = Guid.NewGuid();
        var partly = await factory.Renter(partlyId).BuyAsync(planId);
        (await admin.ConfirmAsync(partly.Id(), 1_200, $"TX{Guid.NewGuid():N}")).EnsureSuccessStatusCode();
        var paidId = Guid.NewGuid();
        await factory.FundWalletAsync(paidId, 3_000);
        var paid = await factory.Renter(paidId).BuyAsync(planId);
        (await factory.Renter(paidId).PostAsync($"/api/finance/me/orders/{paid.Id()}/pay-from-wallet", null)).EnsureSuccessStatusCode();

        // Not yet: 29 minutes in.
        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        await RunJobAsync();
        (await factory.OrderStatusAsync(untouched.Id())).ShouldBe(OrderStatuses.PendingPayment);

        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await RunJobAsync();

        (await factory.OrderStatusAsync(untouched.Id())).ShouldBe(OrderStatuses.Expired);
        (await factory.OrderStatusAsync(partly.Id())).ShouldBe(OrderStatuses.Expired);
        (await factory.OrderStatusAsync(paid.Id())).ShouldBe(OrderStatuses.Paid);
        (await factory.BalanceAsync(partlyId)).ShouldBe(1_200);
        (await factory.LedgerAsync(partlyId)).Single().Type.ShouldBe(LedgerEntryTypes.Overpayment);
        (await factory.BalanceAsync(untouchedId)).ShouldBe(0);
        // A second run changes nothing.
        await RunJobAsync();
        (await factory.BalanceAsync(partlyId)).ShouldBe(1_200);

        var cancel = await factory.Renter(untouchedId).PostAsync($"/api/finance/me/orders/{untouched.Id()}/cancel", null);
        cancel.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await cancel.ProblemCodeAsync()).ShouldBe("order_not_cancellable");
        var pay = await factory.Renter(untouchedId).PostAsync($"/api/finance/me/orders/{untouched.Id()}/pay-from-wallet", null);
        (await pay.ProblemCodeAsync()).ShouldBe("order_not_payable");
    }

    [Fact]
    public async Task More_orders_than_one_batch_all_expire_in_one_run()
    {
        var planId = await factory.Admin().CreatePlanIdAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add((await factory.Renter(Guid.NewGuid()).BuyAsync(planId)).Id());
        // Cheaper than 100 orders through the API: copies of one order, each pending with a memo of its own.
        await factory.WithDbAsync(async db =>
        {
            var template = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == ids[0]);
            for (var i = 0; i < OrderExpiryJob.BatchSize + 5; i++)
            {
                db.Orders.Add(new Derp.Finance.Api.Model.Order
                {
                    Id = Guid.CreateVersion7(), Number = $"B{i:D19}", UserId = Guid.NewGuid(), PlanId = template.PlanId, PlanNameZh = template.PlanNameZh,
                    PlanNameEn = template.PlanNameEn, DurationDays = template.DurationDays, TrafficQuotaGb = template.TrafficQuotaGb, Type = template.Type,
                    Status = OrderStatuses.PendingPayment, PriceCents = template.PriceCents, Currency = template.Currency, Memo = $"B{i:D5}",
                    InstructionsJson = template.InstructionsJson, CreatedAt = template.CreatedAt, ExpiresAt = template.ExpiresAt,
                });
            }
            await db.SaveChangesAsync();
        });

        factory.Clock.Advance(TimeSpan.FromHours(1));
        await RunJobAsync();

        await factory.WithDbAsync(async db =>
            (await db.Orders.CountAsync(o => o.Status == OrderStatuses.PendingPayment && o.ExpiresAt <= factory.Clock.GetUtcNow())).ShouldBe(0));
    }

    [Fact]
    public async Task The_expiry_job_is_scheduled_every_minute_in_the_clustered_store()
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'finance-order-expiry-every-minute'", connection);
        (await command.ExecuteScalarAsync()).ShouldBe("0 * * * * ?");
        await using var scope = factory.Services.CreateAsyncScope();
        var scheduler = await scope.ServiceProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        (await scheduler.GetJobDetail(OrderExpiryJob.Key)).ShouldNotBeNull();
    }
}
