using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Distribution.FunctionalTests.Storefront;

/// <summary>The distribution service with api cards allowed to call loopback (the test's own stand-in endpoints).</summary>
public class StorefrontApiFactory : DistributionApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Distribution:Storefront:AllowPrivateApiTargets", "true"),
        new("Distribution:Storefront:KeyFailureLimit", "5"),
    ];

    /// <summary>A new owner (a distributor) with a storefront API key: the owner's JWT client and the bot's key client.</summary>
    public async Task<StorefrontOwner> NewOwnerAsync()
    {
        var ownerId = Guid.NewGuid();
        var manage = Distributor(ownerId);
        var response = await manage.PostAsJsonAsync("/api/distribution/storefront/keys", new { name = "xianyu bot" });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        return new StorefrontOwner(ownerId, manage, Bot(key), key, created.GetProperty("id").GetGuid());
    }

    /// <summary>A client carrying only an API key, as a shop bot does (no JWT).</summary>
    public HttpClient Bot(string key, bool asHeader = false, string clientAddress = "203.0.113.10")
    {
        var client = CreateClient();
        if (asHeader)
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        else
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress);
        return client;
    }

    /// <summary>Serials issued to an owner, as the serials service's event would leave them (written directly: another area's consumer).</summary>
    public async Task<List<string>> AddStockSerialsAsync(Guid ownerId, Guid planId, int count, DateTimeOffset? validUntil = null, DateTimeOffset? redeemedAt = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DistributionContext>();
        var codes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var code = $"VIP-{Guid.NewGuid():N}"[..14].ToUpperInvariant();
            codes.Add(code);
            db.StockSerials.Add(new StockSerial
            {
                SerialId = Guid.NewGuid(), DistributorId = ownerId, RequestId = Guid.NewGuid(), PlanId = planId, FullCode = code,
                ValidUntil = validUntil ?? Clock.GetUtcNow().AddDays(30), IssuedAt = Clock.GetUtcNow(), RedeemedAt = redeemedAt,
            });
        }
        await db.SaveChangesAsync();
        return codes;
    }

    public async Task<T> WithDbAsync<T>(Func<DistributionContext, Task<T>> read)
    {
        using var scope = Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<DistributionContext>());
    }
}

public sealed record StorefrontOwner(Guid Id, HttpClient Manage, HttpClient Bot, string Key, Guid KeyId)
{
    public async Task<Guid> CardAsync(object card)
    {
        var response = await Manage.PostAsJsonAsync("/api/distribution/storefront/cards", card);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"card: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> DataCardAsync(string name, int lines, int lowStockThreshold = 0, string? template = null)
    {
        var id = await CardAsync(new { name, type = "data", lowStockThreshold, template });
        if (lines > 0)
            await LinesAsync(id, Enumerable.Range(1, lines).Select(i => $"{name}-LINE-{i:D3}").ToArray());
        return id;
    }

    public async Task LinesAsync(Guid cardId, params string[] lines) =>
        (await Manage.PostAsJsonAsync($"/api/distribution/storefront/cards/{cardId}/lines", new { lines })).EnsureSuccessStatusCode();

    public async Task RuleAsync(string keyword, Guid cardId, int priority = 0) =>
        (await Manage.PostAsJsonAsync("/api/distribution/storefront/rules", new { keyword, cardId, priority })).EnsureSuccessStatusCode();

    public async Task<JsonElement> DeliverAsync(object order)
    {
        var response = await Bot.PostAsJsonAsync("/api/storefront/deliveries", order);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"delivery: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<int> AvailableAsync(Guid cardId) =>
        (await Manage.GetFromJsonAsync<JsonElement>($"/api/distribution/storefront/cards/{cardId}")).GetProperty("stock").GetInt32();
}

public static class DeliveryJson
{
    public static string[] Items(this JsonElement delivery) => delivery.GetProperty("items").EnumerateArray().Select(i => i.GetString()!).ToArray();

    public static string Status(this JsonElement delivery) => delivery.GetProperty("status").GetString()!;

    public static string? Reason(this JsonElement delivery) => delivery.GetProperty("failureReason").GetString();
}

/// <summary>
/// A factory on a database that outlives it: the restart test starts a second service on the first one's database.
/// The database is created by the first instance's migrations and dropped by the test.
/// </summary>
public sealed class SharedDatabaseStorefrontFactory(string connectionString) : StorefrontApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("ConnectionStrings:Database", connectionString));
}
