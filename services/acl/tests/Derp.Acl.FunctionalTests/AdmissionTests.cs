using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;

namespace Derp.Acl.FunctionalTests;

/// <summary>derper's -verify-client-url, decided from the projection the events keep.</summary>
public sealed class AdmissionTests(AclApiFactory factory) : IClassFixture<AclApiFactory>
{
    private static string TokenFor(Guid userId) => AdmissionTokens.Create(AclApiFactory.AdmissionSecret, userId, Guid.NewGuid());

    private async Task<bool> AdmitAsync(string token, string nodeKey)
    {
        // Exactly what derper sends: tailcfg.DERPAdmitClientRequest.
        var response = await factory.CreateClient().PostAsJsonAsync($"/api/acl/derp/admit?token={Uri.EscapeDataString(token)}",
            new Dictionary<string, string> { ["NodePublic"] = nodeKey, ["Source"] = "203.0.113.77" });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldStartWith("{\"Allow\":"); // tailcfg.DERPAdmitClientResponse's field name
        return JsonDocument.Parse(body).RootElement.GetProperty("Allow").GetBoolean();
    }

    private Task EventuallyAsync(string token, string nodeKey, bool allowed, string what) =>
        Until.TrueAsync(async () => await AdmitAsync(token, nodeKey) == allowed, what);

    [Fact]
    public async Task Only_the_relay_owners_registered_devices_are_admitted_while_the_rental_is_active_and_within_quota()
    {
        var alice = await factory.NewRenterAsync();
        var bob = await factory.NewRenterAsync();
        var alicesRelay = TokenFor(alice.Id);

        (await AdmitAsync(alicesRelay, alice.NodeKey)).ShouldBeTrue();
        (await AdmitAsync(alicesRelay, alice.NodeKey.ToUpperInvariant().Replace("NODEKEY:", "nodekey:"))).ShouldBeTrue();
        (await AdmitAsync(alicesRelay, AclApiFactory.NewNodeKey())).ShouldBeFalse("an unknown key");
        (await AdmitAsync(alicesRelay, bob.NodeKey)).ShouldBeFalse("another renter's key");
        (await AdmitAsync(TokenFor(bob.Id), bob.NodeKey)).ShouldBeTrue();
        (await AdmitAsync(alicesRelay, "nodekey:xyz")).ShouldBeFalse("a malformed key");

        // Bad tokens: tampered, minted with another secret, moved to another renter, missing.
        (await AdmitAsync(alicesRelay[..^1] + (alicesRelay[^1] == 'A' ? 'B' : 'A'), alice.NodeKey)).ShouldBeFalse();
        (await AdmitAsync(AdmissionTokens.Create("some-other-secret-0123456789abcdefgh", alice.Id, Guid.NewGuid()), alice.NodeKey)).ShouldBeFalse();
        (await AdmitAsync(bob.Id.ToString("N") + alicesRelay[32..], bob.NodeKey)).ShouldBeFalse();
        (await AdmitAsync("", alice.NodeKey)).ShouldBeFalse();

        // Over quota, then a renewal after expiry that starts a fresh count.
        await factory.SendAsync(new TrafficQuotaExceeded(alice.Id, alice.RentalId, 101L << 30, 100L << 30, DateTimeOffset.UtcNow));
        await EventuallyAsync(alicesRelay, alice.NodeKey, false, "over quota");
        await factory.SendAsync(new RentalExpired(alice.RentalId, alice.Id, factory.Clock.GetUtcNow().AddDays(90)));
        var now = factory.Clock.GetUtcNow();
        await factory.SendAsync(new RentalExtended(alice.RentalId, alice.Id, Guid.NewGuid(), now, now.AddDays(120), true, 100, "serial"));
        await EventuallyAsync(alicesRelay, alice.NodeKey, true, "renewed");

        // Expired rental.
        await factory.SendAsync(new RentalExpired(alice.RentalId, alice.Id, now.AddDays(120)));
        await EventuallyAsync(alicesRelay, alice.NodeKey, false, "expired");

        // A removed device.
        await factory.SendAsync(new DeviceRemoved(Guid.NewGuid(), bob.Id, bob.NodeKey, now)); // another device id: no effect
        await Task.Delay(500);
        (await AdmitAsync(TokenFor(bob.Id), bob.NodeKey)).ShouldBeTrue();

        var metrics = await factory.CreateClient().GetStringAsync("/metrics");
        foreach (var reason in new[] { "unknown_key", "other_renter", "malformed_key", "bad_token", "over_quota", "rental_inactive" })
            metrics.ShouldContain($"derp_acl_admissions_total{{reason=\"{reason}\",result=\"denied\"}}");
        metrics.ShouldContain("derp_acl_admissions_total{reason=\"ok\",result=\"allowed\"}");
    }

    /// <summary>The shared rental rule (ADR-009) in acl: a late activation cannot switch an expired rental back on.</summary>
    [Fact]
    public async Task An_activation_that_arrives_after_the_expiry_does_not_revive_the_rental()
    {
        var now = factory.Clock.GetUtcNow();
        var renter = await factory.NewRenterAsync(rentalLength: TimeSpan.FromDays(90));
        var token = TokenFor(renter.Id);
        (await AdmitAsync(token, renter.NodeKey)).ShouldBeTrue();
        await factory.SendAsync(new RentalExpired(renter.RentalId, renter.Id, now.AddDays(90).AddMinutes(1)));
        await EventuallyAsync(token, renter.NodeKey, false, "the expiry");

        var late = Guid.NewGuid();
        await factory.SendAsync(new RentalActivated(renter.RentalId, renter.Id, Guid.NewGuid(), now, now.AddDays(90), null, 100, null), late);
        await Until.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Derp.Acl.Api.Infrastructure.AclContext>();
            return await db.Set<Derp.ServiceDefaults.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == late);
        }, "the late activation handled");
        (await AdmitAsync(token, renter.NodeKey)).ShouldBeFalse("a stale activation is ignored");
    }

    /// <summary>Waits until acl's consumer has handled the message (its inbox row), whatever it decided.</summary>
    private Task HandledAsync(Guid messageId, string consumer) =>
        Until.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Derp.Acl.Api.Infrastructure.AclContext>()
                .Set<Derp.ServiceDefaults.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer);
        }, $"{consumer} handled {messageId}");

    [Fact]
    public async Task A_registration_arriving_after_its_removal_or_redelivered_never_lets_the_device_back_in()
    {
        var renter = await factory.NewRenterAsync();
        var token = TokenFor(renter.Id);
        var now = DateTimeOffset.UtcNow;

        // The removal overtakes the registration (two queues, no order between them): handled first, then the registration.
        var overtaken = AclApiFactory.NewNodeKey();
        var overtakenId = Guid.NewGuid();
        var removal = Guid.NewGuid();
        await factory.SendAsync(new DeviceRemoved(overtakenId, renter.Id, overtaken, now), removal);
        await HandledAsync(removal, "DeviceRemovedConsumer");
        var lateRegistration = Guid.NewGuid();
        await factory.SendAsync(new DeviceRegistered(overtakenId, renter.Id, overtaken, "phone", "m3", now), lateRegistration);
        await HandledAsync(lateRegistration, "DeviceRegisteredConsumer");
        (await AdmitAsync(token, overtaken)).ShouldBeFalse();

        // Registered, removed, then the registration delivered again (the same message, and a copy with a new id).
        var tablet = AclApiFactory.NewNodeKey();
        var tabletId = Guid.NewGuid();
        var registered = new DeviceRegistered(tabletId, renter.Id, tablet, "tablet", "m4", now);
        var registration = Guid.NewGuid();
        await factory.SendAsync(registered, registration);
        await EventuallyAsync(token, tablet, true, "the tablet");
        await factory.SendAsync(new DeviceRemoved(tabletId, renter.Id, tablet, now));
        await EventuallyAsync(token, tablet, false, "the tablet's removal");
        await factory.SendAsync(registered, registration);
        var copy = Guid.NewGuid();
        await factory.SendAsync(registered, copy);
        await HandledAsync(copy, "DeviceRegisteredConsumer");

        (await AdmitAsync(token, tablet)).ShouldBeFalse();
        (await AdmitAsync(token, renter.NodeKey)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_removed_device_and_a_time_run_out_rental_are_refused()
    {
        var renter = await factory.NewRenterAsync(rentalLength: TimeSpan.FromDays(5));
        var token = TokenFor(renter.Id);
        var second = AclApiFactory.NewNodeKey();
        var secondId = Guid.NewGuid();
        await factory.SendAsync(new DeviceRegistered(secondId, renter.Id, second, "phone", "m2", DateTimeOffset.UtcNow));
        await EventuallyAsync(token, second, true, "the second device");

        await factory.SendAsync(new DeviceRemoved(secondId, renter.Id, second, DateTimeOffset.UtcNow));
        await EventuallyAsync(token, second, false, "device removal");
        (await AdmitAsync(token, renter.NodeKey)).ShouldBeTrue();

        // The expiry job's event is not needed for time to count: past the expiry the answer is no.
        var created = factory.Clock.GetUtcNow();
        try
        {
            factory.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
            (await AdmitAsync(token, renter.NodeKey)).ShouldBeFalse();
        }
        finally
        {
            factory.Clock.Set(created);
        }
    }

    [Fact]
    public async Task A_malformed_body_is_a_problem_not_a_crash()
    {
        var response = await factory.CreateClient().PostAsync("/api/acl/derp/admit?token=x",
            new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("malformed_json");
    }
}
