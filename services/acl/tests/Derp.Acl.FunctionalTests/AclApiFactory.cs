using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Acl.FunctionalTests;

public class AclApiFactory : ServiceFactory<Program>
{
    public AclApiFactory() : base("acl") { }

    public const string AdmissionSecret = "test-admission-secret-0123456789abcdef";
    public const string KnownNetwork = "198.51.100.0/24";
    public const string KnownLocation = "Test City";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new(AdmissionTokens.SecretSetting, AdmissionSecret),
        new("Acl:IpLocations:0:Network", KnownNetwork),
        new("Acl:IpLocations:0:Location", KnownLocation),
        new("Acl:DenialLogInterval", "00:00:00"),
    ];

    public Task SendAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(EndpointPrefix, message, messageId);

    public HttpClient Admin() => ClientAs(Guid.NewGuid(), Roles.Admin);

    public static RelayNode[] Relays(string tag) =>
    [
        new("hkg", "Hong Kong", $"hkg-{tag}.relay.test", "203.0.113.10", 30001, 31001),
        new("sin", "Singapore", $"sin-{tag}.relay.test", "198.51.100.20", 30002, 31002),
        new("tyo", "Tokyo", $"tyo-{tag}.relay.test", "192.0.2.30", 30003, 31003),
    ];

    public static string NewNodeKey() => "nodekey:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public sealed record Renter(Guid Id, Guid RentalId, string NodeKey, HttpClient Client, string Tag);

    /// <summary>A renter as the events make one: rental activated, one device, three relays; waits for version 1.</summary>
    public async Task<Renter> NewRenterAsync(TimeSpan? rentalLength = null)
    {
        var renter = new Renter(Guid.NewGuid(), Guid.NewGuid(), NewNodeKey(), null!, Guid.NewGuid().ToString("N")[..8]);
        renter = renter with { Client = ClientAs(renter.Id, Roles.Renter) };
        var now = Clock.GetUtcNow();
        await SendAsync(new RentalActivated(renter.RentalId, renter.Id, Guid.NewGuid(), now, now + (rentalLength ?? TimeSpan.FromDays(90)), null, 100, null));
        await SendAsync(new DeviceRegistered(Guid.NewGuid(), renter.Id, renter.NodeKey, "laptop", "machine-1", now));
        await WaitForDeviceAsync(renter.NodeKey);
        await SendAsync(new ContainersProvisioned(renter.Id, renter.RentalId, Relays(renter.Tag), now));
        await WaitForPolicyAsync(renter.Client, p => p.GetProperty("version").GetInt32() == 1);
        return renter;
    }

    /// <summary>Devices arrive on their own queue; admission tests must not race them.</summary>
    public async Task WaitForDeviceAsync(string nodeKey, bool present = true)
    {
        await Until.TrueAsync(async () =>
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Derp.Acl.Api.Infrastructure.AclContext>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Devices, d => d.NodeKey == nodeKey) == present;
        }, $"device {nodeKey} present={present}");
    }

    public static async Task<JsonElement> WaitForPolicyAsync(HttpClient client, Func<JsonElement, bool> until)
    {
        JsonElement last = default;
        await Until.TrueAsync(async () =>
        {
            var response = await client.GetAsync("/api/acl/me");
            if (!response.IsSuccessStatusCode)
                return false;
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            return until(last);
        }, "the renter's policy");
        return last;
    }
}
