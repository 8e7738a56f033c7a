using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Derp.Serials.FunctionalTests;

/// <summary>The serials service with nothing listening where Redis should be.</summary>
public sealed class SerialsWithoutRedisFactory : SerialsApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("ConnectionStrings:Redis", "127.0.0.1:1")];
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
}
