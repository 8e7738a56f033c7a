using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Users;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Services;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>What the plan, order and payment tests do again and again, through the API where the API can do it.</summary>
public static class OrderTestSupport
{
    public static async Task<JsonElement> CreatePlanAsync(this HttpClient admin, long priceCents = 3_000, int durationDays = 30, bool sell = true,
        bool renew = true, int? capacityLimit = null, int trafficQuotaGb = 300)
    {
        var response = await admin.PostAsJsonAsync("/api/finance/plans", new
        {
            nameZh = $"{durationDays}天", nameEn = $"{durationDays} days", durationDays, priceCents, trafficQuotaGb, sell, renew, sortOrder = 10,
            capacityLimit,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<Guid> CreatePlanIdAsync(this HttpClient admin, long priceCents = 3_000, int durationDays = 30) =>
        (await admin.CreatePlanAsync(priceCents, durationDays)).GetProperty("id").GetGuid();

    public static Task<HttpResponseMessage> OrderAsync(this HttpClient renter, Guid planId) =>
        renter.PostAsJsonAsync("/api/finance/orders", new { planId });

    /// <summary>A new order, which must succeed.</summary>
    public static async Task<JsonElement> BuyAsync(this HttpClient renter, Guid planId)
    {
        var response = await renter.OrderAsync(planId);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> ConfirmAsync(this HttpClient admin, Guid orderId, long amountCents, string reference,
        string channel = PaymentChannels.AlipayTransfer) =>
        admin.PostAsJsonAsync($"/api/finance/orders/{orderId}/payments", new { channel, amountCents, reference, receivedAt = DateTimeOffset.UtcNow });

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> AdminOrderAsync(this HttpClient admin, Guid orderId) =>
        await (await admin.GetAsync($"/api/finance/orders/{orderId}")).JsonAsync();

    public static Guid Id(this JsonElement json) => json.GetProperty("id").GetGuid();

    public static string Str(this JsonElement json, string name) => json.GetProperty(name).GetString()!;

    public static long Cents(this JsonElement json, string name) => json.GetProperty(name).GetInt64();

    /// <summary>Money in a renter's wallet, posted through the ledger as the wallets' own endpoints would.</summary>
    public static async Task FundWalletAsync(this FinanceApiFactory factory, Guid userId, long cents)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        (await scope.ServiceProvider.GetRequiredService<Ledger>().PostAsync(userId, new LedgerPosting(LedgerEntryTypes.Adjustment, cents), CancellationToken.None))
            .ShouldNotBeNull();
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    public static async Task<long> BalanceAsync(this FinanceApiFactory factory, Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Ledger>().BalanceAsync(userId, CancellationToken.None);
    }

    /// <summary>The ledger entries of a renter, oldest first.</summary>
    public static async Task<List<Derp.Finance.Api.Model.LedgerEntry>> LedgerAsync(this FinanceApiFactory factory, Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FinanceContext>().Ledger.AsNoTracking().Where(e => e.UserId == userId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync();
    }

    public static async Task WithDbAsync(this FinanceApiFactory factory, Func<FinanceContext, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<FinanceContext>());
    }

    /// <summary>users announces a rental for the renter (as after a serial or an order); waits until finance's projection has it.</summary>
    public static async Task GiveRentalAsync(this FinanceApiFactory factory, Guid userId, Guid? planId = null)
    {
        var now = DateTimeOffset.UtcNow;
        await factory.SendAsync(new RentalActivated(Guid.NewGuid(), userId, Guid.NewGuid(), now, now.AddDays(30), planId, 300, null));
        await Until.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<FinanceContext>().Renters.AnyAsync(r => r.UserId == userId && r.RentalId != null);
        }, "the renter projection to see the rental");
    }

    public static async Task<string> OrderStatusAsync(this FinanceApiFactory factory, Guid orderId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FinanceContext>().Orders.Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync();
    }

    /// <summary>
    /// Drains the probe until <paramref name="count"/> messages match (one wait per message would lose those a
    /// previous drain took off the queue); returns the matching "message" objects in arrival order.
    /// </summary>
    public static async Task<List<JsonElement>> CollectAsync(this RabbitMqProbe probe, Func<JsonElement, bool> match, int count)
    {
        var seen = new List<JsonElement>();
        await Until.TrueAsync(async () =>
        {
            seen.AddRange((await probe.DrainAsync()).Select(m => m.GetProperty("message")).Where(match));
            return seen.Count >= count;
        }, $"{count} matching messages on the broker");
        return seen;
    }
}
