using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Derp.Acl.FunctionalTests;

/// <summary>acl with nothing listening where Redis would be: it does not use Redis, so it must not care.</summary>
public sealed class AclWithoutRedisFactory : AclApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("ConnectionStrings:Redis", "127.0.0.1:1")];
}

public sealed class ReadinessTests(AclWithoutRedisFactory factory) : IClassFixture<AclWithoutRedisFactory>
{
    [Fact]
    public async Task Readiness_covers_only_what_acl_cannot_serve_without()
    {
        var response = await factory.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        checks.EnumerateObject().Select(c => c.Name).ShouldNotContain("redis");
        checks.GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
    }
}
