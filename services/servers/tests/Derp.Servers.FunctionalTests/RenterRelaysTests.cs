using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Users;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>The renter's own view of their relays and traffic (the portal's "My relays" home), on real hosts.</summary>
public sealed class RenterRelaysTests(ServersApiFactory factory) : IClassFixture<ServersApiFactory>
{
    private static readonly HttpClient Relay = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<JsonElement> RelaysAsync(HttpClient client, string query = "") =>
        await client.GetFromJsonAsync<JsonElement>($"/api/servers/my/relays{query}");

    private Task CheckHealth()
    {
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        return factory.InScopeAsync(sp => sp.GetRequiredService<HealthMonitor>().CheckAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_renter_sees_their_three_relays_answering_with_latency_then_a_stopped_one_with_its_steps_then_the_expiry_and_only_their_own()
    {
        var userId = Guid.NewGuid();
        var renter = factory.ClientAs(userId, Roles.Renter);
        (await RelaysAsync(renter)).GetProperty("state").GetString().ShouldBe("none", "no rental has reached servers yet");

        var rental = factory.Rental(userId);
        await factory.SendAsync(rental);
        var containers = await factory.WaitForRunningAsync(userId);
        // Announced once every relay runs (the certificate pin is read first where the host name is an IP).
        await Until.TrueAsync(async () =>
        {
            await factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().RunDueAsync(CancellationToken.None));
            return (await RelaysAsync(renter)).GetProperty("relays").EnumerateArray()
                .All(r => r.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "announced").GetProperty("done").GetBoolean());
        }, "the relay set announced");
        await Until.TrueAsync(async () =>
        {
            await CheckHealth();
            return (await RelaysAsync(renter)).GetProperty("relays").EnumerateArray().All(r => r.GetProperty("probeOk").ValueKind == JsonValueKind.True);
        }, "every relay answers its probe");

        var running = await RelaysAsync(renter);
        running.GetProperty("state").GetString().ShouldBe("running");
        running.GetProperty("stopReason").ValueKind.ShouldBe(JsonValueKind.Null);
        running.GetProperty("relaysWanted").GetInt32().ShouldBe(3);
        running.GetProperty("quotaBytes").GetInt64().ShouldBe(100L * 1024 * 1024 * 1024);
        var relays = running.GetProperty("relays").EnumerateArray().ToList();
        relays.Count.ShouldBe(3);
        relays.Select(r => r.GetProperty("regionCode").GetString()).Distinct().Count().ShouldBe(3);
        relays.Select(r => r.GetProperty("derpPort").GetInt32()).Order().ShouldBe(containers.Select(c => c.DerpPort).Order());
        foreach (var relay in relays)
        {
            relay.GetProperty("state").GetString().ShouldBe("running");
            relay.GetProperty("publicIp").GetString().ShouldBe("127.0.0.1");
            relay.GetProperty("regionName").GetString().ShouldNotBeNullOrEmpty();
            relay.GetProperty("probeLatencyMs").GetDouble().ShouldBeGreaterThan(0);
            relay.GetProperty("stateSince").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-10));
            relay.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString())
                .ShouldBe(["placed", "created", "started", "announced", "answering"]);
            relay.GetProperty("steps").EnumerateArray().ShouldAllBe(s => s.GetProperty("done").GetBoolean());
        }
        running.GetRawText().ShouldNotContain("sshPrivateKey");
        running.GetRawText().ShouldNotContain("lastError");

        // One relay stopped by an admin: the set is no longer running, that relay says since when and which step it lacks.
        var first = relays[0];
        var since = first.GetProperty("stateSince").GetDateTimeOffset();
        var admin = factory.Admin();
        (await admin.PostAsync($"/api/servers/containers/{first.GetProperty("id").GetGuid()}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var stopped = await Until.ValueAsync(() => RelaysAsync(renter),
            r => r.GetProperty("relays").EnumerateArray().Any(x => x.GetProperty("state").GetString() == "stopped"), "one relay stopped");
        stopped.GetProperty("state").GetString().ShouldBe("provisioning");
        var stoppedRelay = stopped.GetProperty("relays").EnumerateArray().Single(x => x.GetProperty("state").GetString() == "stopped");
        stoppedRelay.GetProperty("stateSince").GetDateTimeOffset().ShouldBeGreaterThan(since);
        stoppedRelay.GetProperty("probeOk").ValueKind.ShouldBe(JsonValueKind.Null, "a stopped relay's old probe says nothing now");
        stoppedRelay.GetProperty("steps").EnumerateArray().Where(s => !s.GetProperty("done").GetBoolean()).Select(s => s.GetProperty("step").GetString())
            .ShouldBe(["started", "announced", "answering"]);

        // Only one's own: another renter sees nothing of them and may not ask; an admin may.
        var other = factory.ClientAs(Guid.NewGuid(), Roles.Renter);
        (await RelaysAsync(other)).GetProperty("relays").GetArrayLength().ShouldBe(0);
        var refused = await other.GetAsync($"/api/servers/my/relays?userId={userId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ProblemCodeAsync()).ShouldBe("forbidden");
        (await other.GetAsync($"/api/servers/my/traffic?userId={userId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await RelaysAsync(admin, $"?userId={userId}")).GetProperty("relays").GetArrayLength().ShouldBe(3);
        (await factory.CreateClient().GetAsync("/api/servers/my/relays")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Expiry stops the set, with the reason the portal shows next to its renew button.
        await factory.SendAsync(new RentalExpired(rental.RentalId, userId, rental.ExpiresAt.AddMinutes(1)));
        var expired = await Until.ValueAsync(() => RelaysAsync(renter), r => r.GetProperty("state").GetString() == "stopped", "the set stopped");
        expired.GetProperty("stopReason").GetString().ShouldBe("expired");
    }

    [Fact]
    public async Task The_traffic_a_renter_moves_is_a_daily_series_with_every_day_of_the_range_and_an_unlimited_quota_is_null()
    {
        var userId = Guid.NewGuid();
        var renter = factory.ClientAs(userId, Roles.Renter);
        await factory.SendAsync(factory.Rental(userId, quotaGb: null));
        var containers = await factory.WaitForRunningAsync(userId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Relay.GetStringAsync($"http://127.0.0.1:{containers[0].DerpPort}/derp/probe");
                break;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
        for (var i = 0; i < 30; i++)
            await Relay.GetStringAsync($"http://127.0.0.1:{containers[0].DerpPort}/");
        await factory.InScopeAsync(sp => sp.GetRequiredService<TrafficMeter>().MeasureAllAsync(CancellationToken.None));

        var traffic = await renter.GetFromJsonAsync<JsonElement>("/api/servers/my/traffic?days=7");
        traffic.GetProperty("quotaBytes").ValueKind.ShouldBe(JsonValueKind.Null, "no quota: unlimited");
        var days = traffic.GetProperty("days").EnumerateArray().ToList();
        days.Count.ShouldBe(7);
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        DateOnly.Parse(days[^1].GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(today);
        days.Take(6).ShouldAllBe(d => d.GetProperty("bytes").GetInt64() == 0);
        var todayBytes = days[^1].GetProperty("bytes").GetInt64();
        todayBytes.ShouldBeGreaterThan(2_000);
        todayBytes.ShouldBe(traffic.GetProperty("periodBytes").GetInt64(), "one day of a new rental: the day is the period");
        (await RelaysAsync(renter)).GetProperty("quotaBytes").ValueKind.ShouldBe(JsonValueKind.Null);

        var bad = await renter.GetAsync("/api/servers/my/traffic?days=0");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await renter.GetAsync("/api/servers/my/traffic?days=367")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await renter.GetFromJsonAsync<JsonElement>("/api/servers/my/traffic")).GetProperty("days").GetArrayLength().ShouldBe(30);
    }
}
