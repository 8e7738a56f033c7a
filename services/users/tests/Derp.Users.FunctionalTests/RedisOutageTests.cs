using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

/// <summary>The users service with nothing listening where Redis should be.</summary>
public sealed class UsersWithoutRedisFactory : UsersApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("ConnectionStrings:Redis", "127.0.0.1:1"), new("Users:LoginAttemptsPerIpPerWindow", "3")];
}

public sealed class RedisOutageTests(UsersWithoutRedisFactory factory) : IClassFixture<UsersWithoutRedisFactory>
{
    [Fact]
    public async Task Readiness_stays_green_and_reports_redis_degraded()
    {
        var response = await factory.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        checks.GetProperty("redis").GetProperty("status").GetString().ShouldBe("Degraded");
        checks.GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Registration_and_login_work_and_the_login_limit_still_holds_from_local_counters()
    {
        var client = factory.CreateClient();
        var tokens = await client.RegisterVerifiedAsync(); // one login attempt from this address

        var attempts = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            attempts.Add((await client.LoginAsync(UsersApiClient.NewEmail(), "wrong-password-1")).StatusCode);

        tokens.AccessToken.ShouldNotBeNullOrEmpty();
        attempts.ShouldBe([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests]);
    }
}
