using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Contracts.Users;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

/// <summary>finance's OrderPaid over the real bus starts or extends the rental exactly as a redeemed serial does, once per order.</summary>
public sealed class OrderPaidTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private sealed record Renter(Guid Id, string Email, HttpClient Client);

    private async Task<Renter> NewRenterAsync()
    {
        var email = UsersApiClient.NewEmail();
        var client = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync(email)).AccessToken);
        return new Renter((await client.GetFromJsonAsync<JsonElement>("/api/users/me")).GetProperty("id").GetGuid(), email, client);
    }

    private static OrderPaid Order(Guid userId, int days = 30, int quotaGb = 300, Guid? orderId = null, Guid? planId = null) =>
        new(orderId ?? Guid.NewGuid(), "D20261123-0001", userId, planId ?? Guid.NewGuid(), OrderTypes.New, days, quotaGb, 3000, Currencies.Cny, DateTimeOffset.UtcNow);

    /// <summary>Sends over the bus and waits until users has finished with the message.</summary>
    private async Task SendHandledAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, message, id);
        await watcher.ConsumedAsync(id);
    }

    private static async Task<JsonElement> RentalOfAsync(Renter renter) => await renter.Client.GetFromJsonAsync<JsonElement>("/api/users/me/rental");

    [Fact]
    public async Task A_paid_order_starts_a_rental_and_RentalActivated_carries_the_order()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<RentalActivated>();
        var renter = await NewRenterAsync();
        var planId = Guid.NewGuid();
        var order = Order(renter.Id, days: 30, quotaGb: 300, planId: planId) with { ClientIp = "203.0.113.47" };

        await SendHandledAsync(order);

        var rental = await RentalOfAsync(renter);
        rental.GetProperty("status").GetString().ShouldBe("active");
        rental.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddDays(30), TimeSpan.FromSeconds(1));
        rental.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(300);
        rental.GetProperty("planId").GetGuid().ShouldBe(planId);
        var period = rental.GetProperty("history").EnumerateArray().ShouldHaveSingleItem();
        period.GetProperty("source").GetString().ShouldBe(RentalSources.Order);
        period.GetProperty("orderId").GetGuid().ShouldBe(order.OrderId);
        var activated = await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id, TimeSpan.FromSeconds(20));
        activated.GetProperty("orderId").GetGuid().ShouldBe(order.OrderId);
        activated.GetProperty("clientIp").GetString().ShouldBe("203.0.113.47");
    }

    [Fact]
    public async Task A_renewal_order_stacks_on_the_current_expiry_and_RentalExtended_carries_the_order()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<RentalExtended>();
        var renter = await NewRenterAsync();
        await SendHandledAsync(new SerialRedeemed(Guid.NewGuid(), "VIP-TEST", renter.Id, "rental", "membership", null, 30, null, 100, null, null, DateTimeOffset.UtcNow));
        var firstExpiry = (await RentalOfAsync(renter)).GetProperty("expiresAt").GetDateTimeOffset();
        factory.Clock.Advance(TimeSpan.FromDays(10));

        var order = Order(renter.Id, days: 5) with { OrderType = OrderTypes.Renewal };
        await SendHandledAsync(order);

        var rental = await RentalOfAsync(renter);
        rental.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(firstExpiry.AddDays(5));
        rental.GetProperty("history").GetArrayLength().ShouldBe(2);
        var extended = await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id, TimeSpan.FromSeconds(20));
        extended.GetProperty("orderId").GetGuid().ShouldBe(order.OrderId);
        extended.GetProperty("source").GetString().ShouldBe(RentalSources.Order);
        extended.GetProperty("wasExpired").GetBoolean().ShouldBeFalse();
        extended.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(firstExpiry.AddDays(5));
    }

    [Fact]
    public async Task An_order_adds_one_period_however_often_and_under_whatever_message_it_arrives()
    {
        var renter = await NewRenterAsync();
        var order = Order(renter.Id, days: 30);
        var messageId = Guid.NewGuid();

        await SendHandledAsync(order, messageId);
        var expiry = (await RentalOfAsync(renter)).GetProperty("expiresAt").GetDateTimeOffset();
        await SendHandledAsync(order, messageId);        // redelivered: the same message
        await SendHandledAsync(order);                   // the same order under another message id
        await SendHandledAsync(order with { OrderNumber = "again", PaidAt = DateTimeOffset.UtcNow }); // and a republished copy

        var rental = await RentalOfAsync(renter);
        rental.GetProperty("history").GetArrayLength().ShouldBe(1);
        rental.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(expiry);
    }

    [Fact]
    public async Task An_order_paid_for_a_closed_account_adds_nothing()
    {
        var renter = await NewRenterAsync();
        using var close = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = UsersApiClient.Password }) };
        (await renter.Client.SendAsync(close)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await SendHandledAsync(Order(renter.Id));

        var admin = factory.ClientWithToken((await factory.CreateClient().LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        (await admin.GetAsync($"/api/users/{renter.Id}/rental")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_serial_purchase_order_adds_no_period()
    {
        var renter = await NewRenterAsync();

        await SendHandledAsync(Order(renter.Id, days: 30) with { OrderType = OrderTypes.SerialPurchase });

        var response = await renter.Client.GetAsync("/api/users/me/rental");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("no_rental");
    }
}
