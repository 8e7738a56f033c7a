using System.Net;
using System.Text.Json;
using System.Net.Http.Json;

namespace Derp.Users.FunctionalTests;

public sealed class PlatformEndpointsTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    [Fact]
    public async Task Readiness_checks_postgres_redis_and_the_bus()
    {
        var client = factory.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        var checks = ready.GetProperty("checks");
        checks.GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.GetProperty("redis").GetProperty("status").GetString().ShouldBe("Healthy");
        checks.EnumerateObject().Select(c => c.Name).ShouldContain(n => n.Contains("masstransit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format_with_http_and_outbox_series()
    {
        var client = factory.CreateClient();
        await client.GetAsync("/health/live");
        await client.PostAsJsonAsync("/api/users/register", new { email = UsersApiClient.NewEmail(), username = UsersApiClient.NewUsername(), password = UsersApiClient.Password });

        // The request metric is recorded as the request is disposed, which can trail its response slightly.
        HttpResponseMessage response;
        string text;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            response = await client.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
        }
        while (!text.Contains("http_route=\"api/users/register\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        text.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
        text.ShouldContain("http_server_request_duration_seconds_bucket{");
        text.ShouldContain("le=\"+Inf\"");
        text.ShouldContain("http_route=\"api/users/register\"", customMessage: text[..Math.Min(3000, text.Length)]);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_users_api()
    {
        var document = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/users/register");
        paths.ShouldContain("/api/users/login");
        paths.ShouldContain("/api/audit");
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept()
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Request-Id", "gateway-abc-12345");

        var response = await client.SendAsync(request);

        response.Headers.GetValues("X-Request-Id").Single().ShouldBe("gateway-abc-12345");
    }
}
