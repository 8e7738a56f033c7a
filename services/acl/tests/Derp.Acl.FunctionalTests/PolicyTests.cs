using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Acl;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Acl.FunctionalTests;

/// <summary>Policies built from real events on RabbitMQ, served to renters and admins.</summary>
public sealed class PolicyTests(AclApiFactory factory) : IClassFixture<AclApiFactory>
{
    [Fact]
    public async Task Provisioned_relays_make_version_1_and_a_redelivered_event_makes_nothing_more()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<AclGenerated>();
        var renter = await factory.NewRenterAsync();

        var policy = await AclApiFactory.WaitForPolicyAsync(renter.Client, _ => true);
        policy.GetProperty("version").GetInt32().ShouldBe(1);
        policy.GetProperty("trigger").GetString().ShouldBe("provisioned");
        policy.GetProperty("current").GetBoolean().ShouldBeTrue();
        policy.GetProperty("validUntil").GetDateTimeOffset().ShouldBe(policy.GetProperty("generatedAt").GetDateTimeOffset().AddDays(32));
        policy.GetProperty("relays").EnumerateArray().Select(r => r.GetProperty("regionId").GetInt32()).ShouldBe([900, 901, 902]);
        var content = policy.GetProperty("content").GetString()!;
        content.ShouldContain($"\"HostName\": \"hkg-{renter.Tag}.relay.test\"");
        content.ShouldContain(renter.NodeKey);
        var generated = await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id, TimeSpan.FromSeconds(20));
        generated.GetProperty("version").GetInt32().ShouldBe(1);
        generated.GetProperty("trigger").GetString().ShouldBe("provisioned");

        // The same message again, then a host removal that moved the relays: only the second makes a version.
        var messageId = Guid.NewGuid();
        var moved = new ContainersProvisioned(renter.Id, renter.RentalId, AclApiFactory.Relays(renter.Tag + "-moved"), DateTimeOffset.UtcNow,
            ProvisioningReasons.HostRemoved);
        await factory.SendAsync(moved, messageId);
        await factory.SendAsync(moved, messageId);
        var second = await AclApiFactory.WaitForPolicyAsync(renter.Client, p => p.GetProperty("version").GetInt32() == 2);
        second.GetProperty("trigger").GetString().ShouldBe("host_removed");
        second.GetProperty("content").GetString()!.ShouldContain($"hkg-{renter.Tag}-moved.relay.test");
        await Task.Delay(1000); // give the duplicate every chance to do harm

        var versions = await renter.Client.GetFromJsonAsync<JsonElement>("/api/acl/me/versions");
        versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ShouldBe([2, 1]);
        versions[0].GetProperty("current").GetBoolean().ShouldBeTrue();
        // Older versions stay readable as they were.
        var first = await renter.Client.GetFromJsonAsync<JsonElement>("/api/acl/me?version=1");
        first.GetProperty("content").GetString().ShouldBe(content);
        first.GetProperty("current").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task The_headscale_format_serves_the_same_relays_as_yaml()
    {
        var renter = await factory.NewRenterAsync();
        var policy = await renter.Client.GetFromJsonAsync<JsonElement>("/api/acl/me?format=headscale");
        policy.GetProperty("format").GetString().ShouldBe("headscale");
        policy.GetProperty("content").GetString()!.ShouldContain($"hostname: \"sin-{renter.Tag}.relay.test\"");

        var bad = await renter.Client.GetAsync("/api/acl/me?format=wireguard");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await renter.Client.GetAsync("/api/acl/me?version=7")).ProblemCodeAsync()).ShouldBe("policy_not_found");
    }

    [Fact]
    public async Task Every_download_is_logged_with_address_location_machine_code_and_browser()
    {
        var renter = await factory.NewRenterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/acl/me/download?format=tailscale&machineCode=PC-7f3a:01");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (DerpTest)");
        var response = await renter.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe("derp-tailscale-policy-v1.hujson");
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"derpMap\"");
        var yaml = await renter.Client.GetAsync("/api/acl/me/download?format=headscale");
        yaml.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe("derp-headscale-v1.yaml");

        var bad = await renter.Client.GetAsync("/api/acl/me/download?machineCode=" + Uri.EscapeDataString("<script>"));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ProblemCodeAsync()).ShouldBe("validation_failed");

        var log = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/acl/logs/downloads?userId={renter.Id}");
        log.GetProperty("total").GetInt32().ShouldBe(2);
        var tailscale = log.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("format").GetString() == "tailscale");
        tailscale.GetProperty("ip").GetString().ShouldBe("198.51.100.7");
        tailscale.GetProperty("location").GetString().ShouldBe(AclApiFactory.KnownLocation);
        tailscale.GetProperty("machineCode").GetString().ShouldBe("PC-7f3a:01");
        tailscale.GetProperty("userAgent").GetString().ShouldBe("Mozilla/5.0 (DerpTest)");
        tailscale.GetProperty("version").GetInt32().ShouldBe(1);
        var headscale = log.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("format").GetString() == "headscale");
        headscale.GetProperty("location").GetString().ShouldBe("unknown"); // loopback is in no configured network
    }

    [Fact]
    public async Task Renters_only_ever_see_their_own_policy_and_never_the_logs()
    {
        var alice = await factory.NewRenterAsync();
        var bob = await factory.NewRenterAsync();

        var bobs = await bob.Client.GetFromJsonAsync<JsonElement>("/api/acl/me");
        bobs.GetProperty("content").GetString()!.ShouldNotContain(alice.Tag);
        bobs.GetProperty("content").GetString()!.ShouldNotContain(alice.NodeKey);
        (await bob.Client.GetAsync($"/api/acl/users/{alice.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.Client.GetAsync($"/api/acl/users/{alice.Id}/versions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.Client.PostAsync($"/api/acl/users/{alice.Id}/regenerate", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.Client.GetAsync("/api/acl/logs/downloads")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.Client.GetAsync("/api/acl/logs/generations")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/acl/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // A distributor sees the renters attributed to them only: none of these.
        var distributor = factory.ClientAs(Guid.NewGuid(), Roles.Distributor);
        var theirs = await distributor.GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={alice.Id}");
        theirs.GetProperty("total").GetInt32().ShouldBe(0);
        var admins = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={alice.Id}");
        admins.GetProperty("total").GetInt32().ShouldBe(1);
        admins.GetProperty("items")[0].GetProperty("location").GetString().ShouldBe("unknown");
    }

    [Fact]
    public async Task Without_an_active_rental_there_is_no_policy_to_read_or_download()
    {
        var stranger = factory.ClientAs(Guid.NewGuid(), Roles.Renter);
        (await (await stranger.GetAsync("/api/acl/me")).ProblemCodeAsync()).ShouldBe("rental_not_active");

        var renter = await factory.NewRenterAsync();
        await factory.SendAsync(new RentalExpired(renter.RentalId, renter.Id, factory.Clock.GetUtcNow().AddDays(90)));
        await Until.TrueAsync(async () => (await renter.Client.GetAsync("/api/acl/me")).StatusCode == HttpStatusCode.Forbidden, "the expiry");
        var download = await renter.Client.GetAsync("/api/acl/me/download");
        download.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await download.ProblemCodeAsync()).ShouldBe("rental_not_active");
        (await (await renter.Client.GetAsync("/api/acl/me/versions")).ProblemCodeAsync()).ShouldBe("rental_not_active");

        // Renewal after expiry opens it again.
        var now = factory.Clock.GetUtcNow();
        await factory.SendAsync(new RentalExtended(renter.RentalId, renter.Id, Guid.NewGuid(), now, now.AddDays(200), true, 100, "serial"));
        await AclApiFactory.WaitForPolicyAsync(renter.Client, _ => true);
    }

    [Fact]
    public async Task A_provisioned_version_is_logged_with_the_renters_address_and_location()
    {
        var renter = new AclApiFactory.Renter(Guid.NewGuid(), Guid.NewGuid(), AclApiFactory.NewNodeKey(), null!, Guid.NewGuid().ToString("N")[..8]);
        var client = factory.ClientAs(renter.Id, Roles.Renter);
        var now = factory.Clock.GetUtcNow();
        await factory.SendAsync(new RentalActivated(renter.RentalId, renter.Id, Guid.NewGuid(), now, now.AddDays(30), null, 100, null));
        // The address of the redemption that started the rental, carried by users and servers.
        await factory.SendAsync(new ContainersProvisioned(renter.Id, renter.RentalId, AclApiFactory.Relays(renter.Tag), now) { ClientIp = "198.51.100.23" });
        await AclApiFactory.WaitForPolicyAsync(client, p => p.GetProperty("version").GetInt32() == 1);

        var log = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={renter.Id}&trigger=provisioned");

        var entry = log.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("requesterIp").GetString().ShouldBe("198.51.100.23");
        entry.GetProperty("location").GetString().ShouldBe(AclApiFactory.KnownLocation);
    }

    [Fact]
    public async Task An_admin_regenerates_a_policy_and_the_log_keeps_who_and_from_where()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<AclGenerated>();
        var renter = await factory.NewRenterAsync();
        var adminId = Guid.NewGuid();
        var admin = factory.ClientAs(adminId, Roles.Admin);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/acl/users/{renter.Id}/regenerate");
        request.Headers.Add("X-Forwarded-For", "198.51.100.99");
        var response = await admin.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32().ShouldBe(2);
        await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id && m.GetProperty("trigger").GetString() == "admin",
            TimeSpan.FromSeconds(20));

        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={renter.Id}&trigger=admin");
        var entry = log.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("requestedBy").GetGuid().ShouldBe(adminId);
        entry.GetProperty("requesterIp").GetString().ShouldBe("198.51.100.99");
        entry.GetProperty("location").GetString().ShouldBe(AclApiFactory.KnownLocation);
        var policy = await admin.GetFromJsonAsync<JsonElement>($"/api/acl/users/{renter.Id}");
        policy.GetProperty("version").GetInt32().ShouldBe(2);
        policy.GetProperty("content").GetString()!.ShouldContain($"tyo-{renter.Tag}.relay.test"); // the same relays

        (await (await admin.PostAsync($"/api/acl/users/{Guid.NewGuid()}/regenerate", null)).ProblemCodeAsync()).ShouldBe("policy_not_found");
        (await (await admin.GetAsync("/api/acl/logs/generations?trigger=whim")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.GetAsync("/api/acl/logs/downloads?pageSize=0")).ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task Closing_the_account_destroys_its_policies_and_keeps_the_logs()
    {
        var renter = await factory.NewRenterAsync();
        await factory.SendAsync(new UserDeregistered(renter.Id, "expired", DateTimeOffset.UtcNow));
        await factory.WaitForDeviceAsync(renter.NodeKey, present: false);

        (await (await renter.Client.GetAsync("/api/acl/me")).ProblemCodeAsync()).ShouldBe("rental_not_active");
        var admin = factory.Admin();
        (await admin.GetFromJsonAsync<JsonElement>($"/api/acl/users/{renter.Id}/versions")).GetArrayLength().ShouldBe(0);
        (await (await admin.PostAsync($"/api/acl/users/{renter.Id}/regenerate", null)).ProblemCodeAsync()).ShouldBe("renter_deregistered");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={renter.Id}")).GetProperty("total").GetInt32().ShouldBe(1);
    }
}
