extern alias users;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>
/// finance on a real loopback port and the real users service beside it, asking finance whether an account is settled
/// (internal HTTP) and turning OrderPaid into rental periods (RabbitMQ): the two halves of each flow, not stand-ins.
/// </summary>
public sealed class FinanceWithUsers : IAsyncLifetime
{
    public LoopbackServiceFactory<Program> Finance { get; } = new("finance", new KeyValuePair<string, string?>("Finance:SeedPlans", "false"));
    public ServiceFactory<users::Program> Users { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Finance.InitializeAsync();
        Users = new UsersBesideFinance(Finance.Address);
        await ((IAsyncLifetime)Users).InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await ((IAsyncDisposable)Users).DisposeAsync();
        await Finance.DisposeAsync();
    }

    private sealed class UsersBesideFinance(string financeAddress) : ServiceFactory<users::Program>("users")
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [
            new("Admin:Email", $"root-{Guid.NewGuid():N}@derp.test"),
            new("Admin:Password", "Sup3r-admin-pass"),
            new("Admin:Username", "root-" + Guid.NewGuid().ToString("N")[..8]),
            new("Users:LoginAttemptsPerIpPerWindow", "10000"),
            new("Finance:BaseUrl", financeAddress),
        ];
    }

    /// <summary>A verified renter of the users service, signed in; returns its id and a client for each service.</summary>
    public async Task<(Guid Id, HttpClient AtUsers, HttpClient AtFinance)> NewRenterAsync()
    {
        var (_, token, id) = await Renters.SignUpAsync(Users.CreateClient());
        var atUsers = Users.ClientWithToken(token);
        return (id, atUsers, Finance.ClientWithToken(token));
    }
}

public sealed class WithUsersTests(FinanceWithUsers platform) : IClassFixture<FinanceWithUsers>
{
    private HttpClient Admin() => platform.Finance.ClientAs(Guid.NewGuid(), Roles.Admin);

    private async Task<Guid> NewPlanAsync(int days, long priceCents)
    {
        var response = await Admin().PostAsJsonAsync("/api/finance/plans", new
        {
            nameZh = $"{days}天", nameEn = $"{days} days", durationDays = days, priceCents, trafficQuotaGb = 300, sell = true, renew = true, sortOrder = 1,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<DateTimeOffset> ExpiryAsync(HttpClient atUsers) =>
        (await atUsers.GetFromJsonAsync<JsonElement>("/api/users/me/rental")).GetProperty("expiresAt").GetDateTimeOffset();

    [Fact]
    public async Task A_renewal_paid_from_the_wallet_extends_the_rental_in_users_and_the_order_becomes_fulfilled()
    {
        var renter = await platform.NewRenterAsync();
        await RabbitMqProbe.SendToConsumerAsync(platform.Users.EndpointPrefix,
            new SerialRedeemed(Guid.NewGuid(), "VIP-FIN", renter.Id, SerialKinds.Rental, UseTypes.Membership, null, 10, null, 100, null, null, DateTimeOffset.UtcNow));
        var before = (await Until.ValueAsync(async () =>
        {
            var response = await renter.AtUsers.GetAsync("/api/users/me/rental");
            return response.IsSuccessStatusCode ? (DateTimeOffset?)(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset() : null;
        }, expiry => expiry is not null, "the rental from the serial"))!.Value;
        var planId = await NewPlanAsync(30, 3000);
        (await Admin().PostAsJsonAsync($"/api/finance/wallets/{renter.Id}/adjustments", new { amountCents = 5000, reason = "prepaid by transfer" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // RentalActivated has reached finance when the order comes out as a renewal.
        var order = (await Until.ValueAsync(async () =>
        {
            var created = await renter.AtFinance.PostAsJsonAsync("/api/finance/orders", new { planId });
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("type").GetString() == OrderTypes.Renewal)
                return (JsonElement?)body;
            await renter.AtFinance.PostAsync($"/api/finance/me/orders/{body.GetProperty("id").GetGuid()}/cancel", null);
            return null;
        }, order => order is not null, "a renewal order"))!.Value;
        var orderId = order.GetProperty("id").GetGuid();

        var paid = await renter.AtFinance.PostAsync($"/api/finance/me/orders/{orderId}/pay-from-wallet", null);
        paid.StatusCode.ShouldBe(HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());

        // users adds 30 days from the current expiry (stacking) and answers with RentalExtended carrying the order.
        await Until.TrueAsync(async () => await ExpiryAsync(renter.AtUsers) == before.AddDays(30), "the rental extended by 30 days");
        await Until.TrueAsync(async () => (await renter.AtFinance.GetFromJsonAsync<JsonElement>($"/api/finance/me/orders/{orderId}"))
            .GetProperty("status").GetString() == OrderStatuses.Fulfilled, "the order fulfilled");
        (await renter.AtFinance.GetFromJsonAsync<JsonElement>("/api/finance/me/wallet")).GetProperty("balanceCents").GetInt64().ShouldBe(2000);

        // The same OrderPaid again (a redelivery with a new message id) adds nothing.
        using var watcher = ConsumeWatcher.Attach(platform.Users.Services);
        var again = Guid.NewGuid();
        await RabbitMqProbe.SendToConsumerAsync(platform.Users.EndpointPrefix,
            new OrderPaid(orderId, order.GetProperty("number").GetString()!, renter.Id, planId, OrderTypes.Renewal, 30, 300, 3000, Currencies.Cny, DateTimeOffset.UtcNow), again);
        await watcher.ConsumedAsync(again);
        (await ExpiryAsync(renter.AtUsers)).ShouldBe(before.AddDays(30));
    }

    [Fact]
    public async Task An_account_with_money_left_is_not_deregistered_until_an_admin_settles_it()
    {
        var renter = await platform.NewRenterAsync();
        await RabbitMqProbe.SendToConsumerAsync(platform.Users.EndpointPrefix,
            new SerialRedeemed(Guid.NewGuid(), "VIP-SETTLE", renter.Id, SerialKinds.Rental, UseTypes.Membership, null, 1, null, 100, null, null, DateTimeOffset.UtcNow));
        await Until.TrueAsync(async () => (await renter.AtUsers.GetAsync("/api/users/me/rental")).IsSuccessStatusCode, "the rental");
        (await Admin().PostAsJsonAsync($"/api/finance/wallets/{renter.Id}/adjustments", new { amountCents = 1234, reason = "left over" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // The rental runs out, and 30 days pass.
        platform.Users.Clock.Advance(TimeSpan.FromDays(2));
        await using (var scope = platform.Users.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<users::Derp.Users.Api.Services.RentalLifecycle>().ExpireDueAsync(CancellationToken.None);
        platform.Users.Clock.Advance(TimeSpan.FromDays(31));

        (await DeregisterLapsedAsync()).ShouldBe(0, "finance says the account holds 12.34");
        var cases = await Admin().GetFromJsonAsync<JsonElement>("/api/finance/settlements");
        var open = cases.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("userId").GetGuid() == renter.Id);
        open.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()).ShouldContain(SettlementBlockers.Balance);
        // Closing the account by hand asks the same question.
        using (var close = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = "correct-horse-42" }) })
        {
            var refused = await renter.AtUsers.SendAsync(close);
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("account_not_settled");
        }

        var settled = await Admin().PostAsJsonAsync($"/api/finance/settlements/{renter.Id}", new { action = SettlementActions.Refund, remark = "paid back by Alipay" });
        settled.StatusCode.ShouldBe(HttpStatusCode.OK, await settled.Content.ReadAsStringAsync());

        (await DeregisterLapsedAsync()).ShouldBe(1);
        // The closed account's ledger is kept: the credit and the refund paid back.
        var ledger = await Admin().GetFromJsonAsync<JsonElement>($"/api/finance/wallets/{renter.Id}/ledger");
        ledger.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .ShouldBe([LedgerEntryTypes.PaidOut, LedgerEntryTypes.Adjustment], ignoreOrder: true);
    }

    private async Task<int> DeregisterLapsedAsync()
    {
        await using var scope = platform.Users.Services.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<users::Derp.Users.Api.Jobs.DeregistrationJob>(scope.ServiceProvider).DeregisterLapsedAsync(CancellationToken.None);
    }
}
