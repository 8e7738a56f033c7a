using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.ServiceDefaults.Redis;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

/// <summary>The serials service with nothing listening where Redis should be.</summary>
public sealed class SerialsWithoutRedisFactory : SerialsApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings().Where(s => s.Key != "Serials:ValidatePerCode"), new("ConnectionStrings:Redis", "127.0.0.1:1"), new("Serials:ValidatePerCode", "2")];
}

public sealed class RedisOutageTests(SerialsWithoutRedisFactory factory) : IClassFixture<SerialsWithoutRedisFactory>
{
    [Fact]
    public async Task Validation_stays_ready_and_a_replayed_nonce_is_still_refused()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("licence")).Single();
        var client = factory.CreateClient();

        var first = await client.PostAsJsonAsync("/api/validate", new { code, machine_code = "M", nonce = "outage-nonce-1" });
        var replay = await client.PostAsJsonAsync("/api/validate", new { code, machine_code = "M", nonce = "outage-nonce-1" });
        var ready = await client.GetAsync("/health/ready");

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        replay.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("nonce_reused");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Validation_limits_fail_open_while_redis_is_away_so_licence_clients_keep_working()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("licence")).Single();
        var client = factory.CreateClient();
        var limiter = factory.Services.GetRequiredService<LocalFirstRateLimiter>();
        (await client.PostAsJsonAsync("/api/validate", new { code, machine_code = "M" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Until.TrueAsync(() => Task.FromResult(!limiter.RedisReachable), "the background sync to find Redis unreachable");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/validate", new { code, machine_code = "M" })).StatusCode);

        // Three past the per-code limit of 2: with Redis up they would be 429 rate_limited (ADR-029).
        statuses.ShouldAllBe(status => status == HttpStatusCode.OK);
    }
}
