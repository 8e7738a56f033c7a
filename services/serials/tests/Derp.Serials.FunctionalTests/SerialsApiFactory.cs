using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

public class SerialsApiFactory : ServiceFactory<Program>
{
    public const string GlobalDataKey = "global-kernel-data-key";

    public SerialsApiFactory() : base("serials") { }

    public Guid AdminId { get; } = Guid.NewGuid();

    public HttpClient Admin() => ClientAs(AdminId, Roles.Admin);

    public HttpClient Renter(Guid? userId = null) => ClientAs(userId ?? Guid.NewGuid(), Roles.Renter);

    /// <summary>Puts an event straight on this instance's consumer queue for it.</summary>
    public Task SendToConsumerAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(EndpointPrefix, message, messageId);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Serials:DataKey", GlobalDataKey),
        new("Serials:EncryptionKey", Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray())),
        new("Serials:ValidatePerIp", "100000"),
        new("Serials:ValidatePerCode", "100000"),
        new("Serials:RedeemFailuresPerUser", "1000"),
        new("Serials:RedeemFailuresPerIp", "1000"),
    ];
}

public static class SerialsApiClient
{
    public static async Task<Guid> CreateBatchAsync(this HttpClient admin, object request)
    {
        var response = await admin.PostAsJsonAsync("/api/serials/batches", request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batchId").GetGuid();
    }

    public static async Task<List<JsonElement>> SerialsOfBatchAsync(this HttpClient admin, Guid batchId, int pageSize = 500)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/serials?batchId={batchId}&pageSize={pageSize}");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>Creates a batch of <paramref name="count"/> and returns its serials' full codes and ids.</summary>
    public static async Task<List<(Guid Id, string Code)>> NewSerialsAsync(this HttpClient admin, string kind = "rental", int count = 1, object? extra = null)
    {
        var request = new Dictionary<string, object?> { ["prefix"] = "T" + Random.Shared.Next(1000, 9999), ["count"] = count, ["kind"] = kind };
        if (kind == "rental") request["durationDays"] = 30;
        if (kind is "balance" or "donation") request["valueCents"] = 1000;
        if (kind == "licence") request["durationHours"] = 3;
        foreach (var property in extra?.GetType().GetProperties() ?? [])
            request[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = property.GetValue(extra);
        var batchId = await admin.CreateBatchAsync(request);
        return (await admin.SerialsOfBatchAsync(batchId)).Select(s => (s.GetProperty("id").GetGuid(), s.GetProperty("fullCode").GetString()!)).ToList();
    }
}
