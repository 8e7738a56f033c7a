using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Distribution.FunctionalTests.Storefront;

/// <summary>A delayed delivery is a row, not a timer: a service that stops before it is due and a new one that starts deliver it.</summary>
public sealed class StorefrontRestartTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.NewName("distribution_restart");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_delayed_delivery_survives_a_restart_and_the_job_delivers_it_when_due()
    {
        Guid deliveryId;
        string key;
        Guid ownerId;
        await using (var first = new SharedDatabaseStorefrontFactory(_database.ConnectionString))
        {
            await first.InitializeAsync();
            var owner = await first.NewOwnerAsync();
            (ownerId, key) = (owner.Id, owner.Key);
            var card = await owner.CardAsync(new { name = "延时卡", type = "data", delaySeconds = 300 });
            await owner.LinesAsync(card, "DELAYED-CODE-1", "DELAYED-CODE-2");
            var scheduled = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "LATER-1", itemId = card, quantity = 1 });
            scheduled.Status().ShouldBe("scheduled");
            scheduled.Items().ShouldBeEmpty();
            scheduled.GetProperty("readyAt").GetDateTimeOffset().ShouldBe(first.Clock.GetUtcNow().AddSeconds(300), TimeSpan.FromSeconds(1));
            deliveryId = scheduled.GetProperty("id").GetGuid();
            (await (await owner.Bot.GetAsync($"/api/storefront/deliveries/{deliveryId}")).Content.ReadFromJsonAsync<JsonElement>()).Status().ShouldBe("scheduled");
        }

        await using var second = new SharedDatabaseStorefrontFactory(_database.ConnectionString);
        await second.InitializeAsync();
        var manage = second.Distributor(ownerId);
        second.Clock.Advance(TimeSpan.FromSeconds(301));

        // The job (every 10 s) completes it: the owner's log, which never assigns content itself, shows it delivered.
        var delivered = await Until.ValueAsync(
            () => manage.GetFromJsonAsync<JsonElement>($"/api/distribution/storefront/deliveries/{deliveryId}"),
            d => d.Status() != "scheduled", "the job to complete the delayed delivery", TimeSpan.FromSeconds(45));
        delivered.Status().ShouldBe("delivered");
        delivered.Items().ShouldBe(["DELAYED-CODE-1"]);
        var fetched = await second.Bot(key).GetFromJsonAsync<JsonElement>($"/api/storefront/deliveries/{deliveryId}");
        fetched.Items().ShouldBe(["DELAYED-CODE-1"]);
    }

    [Fact]
    public async Task A_get_after_ready_at_assigns_the_content_once()
    {
        await using var factory = new SharedDatabaseStorefrontFactory(_database.ConnectionString);
        await factory.InitializeAsync();
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new { name = "延时文本", type = "data", delaySeconds = 60 });
        await owner.LinesAsync(card, "L1", "L2", "L3");
        var id = (await owner.DeliverAsync(new { channel = "c", externalOrderId = "G-1", itemId = card, quantity = 1 })).GetProperty("id").GetGuid();

        var early = await owner.Bot.GetFromJsonAsync<JsonElement>($"/api/storefront/deliveries/{id}");
        factory.Clock.Advance(TimeSpan.FromSeconds(61));
        var reads = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => owner.Bot.GetFromJsonAsync<JsonElement>($"/api/storefront/deliveries/{id}")));

        early.Status().ShouldBe("scheduled");
        reads.ShouldAllBe(r => r.Status() == "delivered");
        reads.Select(r => r.Items().Single()).Distinct().ShouldBe(["L1"]);
        (await owner.AvailableAsync(card)).ShouldBe(2);
    }
}
