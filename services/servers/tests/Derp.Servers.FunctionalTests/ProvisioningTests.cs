using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>Rentals become real derper (stand-in) containers on real hosts: sshd on loopback in front of podman.</summary>
public sealed class ProvisioningTests(ServersApiFactory factory) : IClassFixture<ServersApiFactory>
{
    private static readonly HttpClient Relay = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The relay's answer on its published port (a just-started process may need a moment to listen).</summary>
    private static async Task<string> ProbeAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await Relay.GetStringAsync($"http://127.0.0.1:{port}/derp/probe")).Trim();
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }


    [Fact]
    public async Task A_rental_starts_three_relays_in_three_regions_whose_ports_answer_and_a_redelivery_adds_nothing()
    {
        await using var provisioned = await RabbitMqProbe.ForEventAsync<ContainersProvisioned>();
        var userId = Guid.NewGuid();
        var rental = factory.Rental(userId) with { ClientIp = "203.0.113.47" };
        var messageId = Guid.NewGuid();
        await factory.SendAsync(rental, messageId);

        var containers = await factory.WaitForRunningAsync(userId);
        containers.Select(c => c.Server!.RegionCode).Distinct().Count().ShouldBe(3);
        foreach (var container in containers)
        {
            (await ProbeAsync(container.DerpPort)).ShouldBe("ok");
            var inspected = (await ServersApiFactory.InspectAsync(container.DockerId!)).ShouldNotBeNull();
            inspected.GetProperty("State").GetProperty("Running").GetBoolean().ShouldBeTrue();
            var args = inspected.GetProperty("Args").EnumerateArray().Select(a => a.GetString()).ToList();
            args.ShouldContain($"-a=:{container.DerpPort}");
            args.ShouldContain($"-stun-port={container.StunPort}");
            args.ShouldContain("-http-port=-1");
            args.ShouldContain("-verify-client-url-fail-open=false");
            args.ShouldContain(a => a!.StartsWith("-verify-client-url=http://127.0.0.1:8080/api/acl/derp/admit?token=" + userId.ToString("N"), StringComparison.Ordinal));
            var labels = inspected.GetProperty("Config").GetProperty("Labels");
            labels.GetProperty("derp.renter").GetString().ShouldBe(userId.ToString());
            labels.GetProperty("derp.rental").GetString().ShouldBe(rental.RentalId.ToString());
            inspected.GetProperty("HostConfig").GetProperty("RestartPolicy").GetProperty("Name").GetString().ShouldBe("unless-stopped");
        }
        var announced = await provisioned.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(30));
        announced.GetProperty("reason").GetString().ShouldBe("rental");
        announced.GetProperty("clientIp").GetString().ShouldBe("203.0.113.47"); // acl logs the version with it
        var nodes = announced.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Count.ShouldBe(3);
        nodes.Select(n => n.GetProperty("derpPort").GetInt32()).Order().ShouldBe(containers.Select(c => c.DerpPort).Order());
        nodes.ShouldAllBe(n => n.GetProperty("iPv4").GetString() == "127.0.0.1");

        // The same message again, and the same rental under a new message id: nothing new anywhere.
        await factory.SendAsync(rental, messageId);
        var again = Guid.NewGuid();
        await factory.SendAsync(rental, again);
        await Until.TrueAsync(() => factory.InScopeAsync(sp => sp.GetRequiredService<Derp.Servers.Api.Infrastructure.ServersContext>()
            .Set<Derp.ServiceDefaults.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == again)), "the second delivery handled");
        await factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().RunDueAsync(CancellationToken.None));
        (await factory.ContainersOfAsync(userId)).Count.ShouldBe(3);
        (await provisioned.DrainAsync()).Count(m => m.GetProperty("message").GetProperty("userId").GetGuid() == userId).ShouldBe(0);
        using var engine = ServersApiFactory.Engine();
        var filters = Uri.EscapeDataString($"{{\"label\":[\"derp.renter={userId}\"]}}");
        (await engine.GetFromJsonAsync<List<JsonElement>>($"containers/json?all=true&filters={filters}"))!.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Expiry_stops_the_relays_renewal_starts_them_and_closing_the_account_removes_them()
    {
        var userId = Guid.NewGuid();
        var rental = factory.Rental(userId);
        await factory.SendAsync(rental);
        var containers = await factory.WaitForRunningAsync(userId);

        await factory.SendAsync(new RentalExpired(rental.RentalId, userId, rental.ExpiresAt.AddMinutes(1)));
        await Until.ValueAsync(() => factory.ContainersOfAsync(userId), l => l.All(c => c.State == ContainerStates.Stopped), "stopped relays");
        foreach (var container in containers)
            (await ServersApiFactory.InspectAsync(container.DockerId!))!.Value.GetProperty("State").GetProperty("Running").GetBoolean().ShouldBeFalse();

        await factory.SendAsync(new RentalExtended(rental.RentalId, userId, Guid.NewGuid(), rental.ExpiresAt, rental.ExpiresAt.AddDays(30), true, 100, "serial"));
        var restarted = await factory.WaitForRunningAsync(userId);
        restarted.Select(c => c.DockerId).ShouldBe(containers.Select(c => c.DockerId), ignoreOrder: true, "the same containers, started again");
        (await ProbeAsync(restarted[0].DerpPort)).ShouldBe("ok");

        await factory.SendAsync(new UserDeregistered(userId, "closed", DateTimeOffset.UtcNow));
        await Until.ValueAsync(() => factory.ContainersOfAsync(userId), l => l.All(c => c.State == ContainerStates.Removed), "removed relays");
        foreach (var container in containers)
            (await ServersApiFactory.InspectAsync(container.DockerId!)).ShouldBeNull();
        // The ports are free again: the database holds no live container on them.
        var list = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/servers/containers?userId={userId}");
        list.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Traffic_is_read_from_the_engines_stats_and_a_renter_over_quota_is_stopped()
    {
        await using var updated = await RabbitMqProbe.ForEventAsync<RentalTrafficUpdated>();
        await using var exceeded = await RabbitMqProbe.ForEventAsync<TrafficQuotaExceeded>();
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId, quotaGb: 0));
        var containers = await factory.WaitForRunningAsync(userId);
        await ProbeAsync(containers[0].DerpPort);
        for (var i = 0; i < 50; i++)
            await Relay.GetStringAsync($"http://127.0.0.1:{containers[0].DerpPort}/");
        await Measure();

        var stopped = await exceeded.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(30));
        stopped.GetProperty("quotaBytes").GetInt64().ShouldBe(0);
        var after = await Until.ValueAsync(() => factory.ContainersOfAsync(userId), l => l.All(c => c.State == ContainerStates.Stopped), "stopped relays");
        var busy = after.Single(c => c.Id == containers[0].Id);
        busy.RxBytes.ShouldBeGreaterThan(2_000);
        busy.TxBytes.ShouldBeGreaterThan(2_000);
        // One update per host measured; the last one carries the whole period, which is what the containers counted.
        var total = after.Sum(c => c.RxBytes + c.TxBytes);
        total.ShouldBeGreaterThan(5_000);
        await updated.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId && m.GetProperty("usedBytes").GetInt64() == total, TimeSpan.FromSeconds(30));

        var hosts = await factory.Admin().GetFromJsonAsync<JsonElement>("/api/servers");
        var host = hosts.EnumerateArray().Single(h => h.GetProperty("id").GetGuid() == containers[0].ServerId);
        host.GetProperty("trafficThisMonthBytes").GetInt64().ShouldBeGreaterThanOrEqualTo(busy.RxBytes + busy.TxBytes);
        host.GetProperty("trafficLeftBytes").GetInt64().ShouldBeLessThan(100L * 1024 * 1024 * 1024);
        var metrics = await factory.CreateClient().GetStringAsync("/metrics");
        metrics.ShouldContain("derp_servers_relayed_bytes_total");
    }

    private Task Measure() => factory.InScopeAsync(sp => sp.GetRequiredService<TrafficMeter>().MeasureAllAsync(CancellationToken.None));

    /// <summary>One run of the every-minute health check, a minute after the last one.</summary>
    private Task CheckHealth()
    {
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        return factory.InScopeAsync(sp => sp.GetRequiredService<HealthMonitor>().CheckAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_host_whose_sshd_stops_turns_unhealthy_after_three_checks_and_new_rentals_avoid_it()
    {
        await using var changed = await RabbitMqProbe.ForEventAsync<ServerHealthChanged>();
        var host = factory.Hosts[1];
        await CheckHealth();
        await host.Sshd.StopAsync();
        try
        {
            await CheckHealth();
            await CheckHealth();
            (await Status(host)).ShouldBe(ServerStatuses.Active, "two failures are not enough");
            await CheckHealth();
            (await Status(host)).ShouldBe(ServerStatuses.Unhealthy);
            await changed.WaitForAsync(m => m.GetProperty("serverId").GetGuid() == host.Id && !m.GetProperty("healthy").GetBoolean(), TimeSpan.FromSeconds(20));
            var alerts = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/alerts?resolved=false&serverId={host.Id}");
            alerts.GetProperty("items").EnumerateArray().ShouldContain(a => a.GetProperty("type").GetString() == "host_unhealthy"
                && a.GetProperty("severity").GetString() == "critical");

            var userId = Guid.NewGuid();
            await factory.SendAsync(factory.Rental(userId));
            var containers = await factory.WaitForRunningAsync(userId);
            containers.ShouldAllBe(c => c.ServerId != host.Id);
            containers.Select(c => c.Server!.RegionCode).Distinct().Count().ShouldBe(3);

            var samples = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/servers/{host.Id}/metrics?step=00:01:00");
            samples.EnumerateArray().ShouldContain(p => p.GetProperty("availability").GetDouble() < 1);
        }
        finally
        {
            await host.Sshd.StartAsync();
        }
        await CheckHealth();
        (await Status(host)).ShouldBe(ServerStatuses.Unhealthy, "one success is not enough");
        await CheckHealth();
        (await Status(host)).ShouldBe(ServerStatuses.Active);
        await changed.WaitForAsync(m => m.GetProperty("serverId").GetGuid() == host.Id && m.GetProperty("healthy").GetBoolean(), TimeSpan.FromSeconds(20));
        var open = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/alerts?resolved=false&serverId={host.Id}");
        open.GetProperty("items").EnumerateArray().ShouldNotContain(a => a.GetProperty("type").GetString() == "host_unhealthy");
    }

    private async Task<string> Status(ServersApiFactory.Host host) =>
        (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/servers/{host.Id}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_wrong_host_key_is_refused_at_registration_and_on_a_registered_host()
    {
        await using var impostor = await SshdProcess.StartAsync(ownHostKey: true);
        var admin = factory.Admin();
        var pinnedElsewhere = factory.Hosts[0].Sshd.Fingerprint; // the demo key, not the one this sshd presents
        var response = await admin.PostAsJsonAsync("/api/servers",
            ServersApiFactory.Registration("impostor", "lon", "London", impostor.Port, pinnedElsewhere, factory.PortBase + 90, 2));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.ProblemCodeAsync()).ShouldBe("host_key_mismatch");

        // A registered host whose key changes afterwards is not reached either.
        var host = await factory.RegisterHostAsync("rekeyed", "lon", "London", factory.PortBase + 94, capacity: 1);
        try
        {
            await host.Sshd.DisposeAsync();
            await using var changedKey = await SshdProcess.StartAsync(port: host.Sshd.Port, ownHostKey: true);
            await CheckHealth();
            var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/servers/{host.Id}");
            detail.GetProperty("lastError").GetString()!.ShouldContain("Host key verification failed");
        }
        finally
        {
            (await admin.DeleteAsync($"/api/servers/{host.Id}")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
    }

    [Fact]
    public async Task Host_input_is_validated_and_only_admins_reach_the_api()
    {
        var admin = factory.Admin();
        var bad = await admin.PostAsJsonAsync("/api/servers", new
        {
            name = "bad name!", publicIp = "300.1.1.1", regionCode = "X", regionName = "", sshHost = "127.0.0.1", sshPort = 70000,
            sshUser = "Root User", sshPrivateKey = "not a key", hostKeyFingerprint = "MD5:aa", capacity = 0, portRangeStart = 80, portRangeEnd = 81,
            cloudAccount = "abc",
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        foreach (var field in new[] { "name", "publicIp", "regionCode", "regionName", "sshPort", "sshUser", "sshPrivateKey", "hostKeyFingerprint", "capacity", "portRangeStart", "cloudAccount" })
            fields.ShouldContain(field);

        var list = await admin.GetStringAsync("/api/servers");
        list.ShouldNotContain("PRIVATE KEY");
        list.ShouldNotContain("sshPrivateKey");
        (await admin.GetStringAsync($"/api/servers/{factory.Hosts[0].Id}")).ShouldNotContain("PRIVATE KEY");
        var regions = await admin.GetFromJsonAsync<JsonElement>("/api/servers/regions");
        regions.GetArrayLength().ShouldBeGreaterThanOrEqualTo(4);

        var renter = factory.ClientAs(Guid.NewGuid(), Roles.Renter);
        (await renter.GetAsync("/api/servers")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.GetAsync("/api/alerts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.GetAsync("/api/servers/containers")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await admin.GetAsync($"/api/servers/{Guid.NewGuid()}")).ProblemCodeAsync()).ShouldBe("server_not_found");
        (await (await admin.GetAsync("/api/servers/containers?state=zombie")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.GetAsync($"/api/servers/{factory.Hosts[0].Id}/metrics?step=banana")).ProblemCodeAsync()).ShouldBe("validation_failed");
    }
}
