using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Derp.TestSupport;

namespace Derp.Gateway.PlatformTests;

/// <summary>
/// Walks every /api endpoint of every service (from the services' own endpoint lists, so a new endpoint is covered
/// without touching this test) through the gateway, anonymously and with each role, with the inputs that once made
/// 500s: NUL and control characters in bodies, queries and routes, an unknown charset, a page past the end of int, and
/// dates out of range. Nothing may answer 5xx, and no API path may answer the portal's HTML.
/// </summary>
public sealed class HostileInputTests(Platform platform)
{
    private static readonly string?[] Roles = [null, "renter", "distributor", "admin", "superadmin"];

    private sealed record Attack(string Name, Func<ApiEndpoint, HttpRequestMessage?> Build);

    private static readonly Attack[] Attacks =
    [
        new("nul in every body string", e => WithBody(e, Body(e, typeof(string), "a\0b"))),
        new("out-of-range dates in the body", e => WithBody(e, Body(e, typeof(DateTimeOffset), "9999-12-31T00:00:00Z"))),
        new("unknown charset", e => WithBody(e, "{}", "application/json; charset=foo")),
        new("nul in the query", e => new HttpRequestMessage(new HttpMethod(e.Method),
            e.Path() + "?" + string.Join('&', QueryNames(e, typeof(string)).Append("q").Select(n => $"{n}=a%00b%1B")))),
        // A control character, not NUL: the in-memory test client cannot even build a path with %00 in it (Kestrel
        // refuses such a request line with 400 before any endpoint runs).
        new("control character in the route", e => new HttpRequestMessage(new HttpMethod(e.Method), e.Path("a%1Bb"))),
        new("page past int", e => new HttpRequestMessage(new HttpMethod(e.Method), e.Path() + "?page=2147483647&pageSize=50")),
        new("dates out of range in the query", e => new HttpRequestMessage(new HttpMethod(e.Method),
            e.Path() + "?" + string.Join('&', QueryNames(e, typeof(DateTimeOffset)).Concat(["from", "to"]).Distinct()
                .Select((n, i) => $"{n}={(i % 2 == 0 ? "0001-01-01" : "9999-12-31")}")))),
    ];

    [Fact]
    public async Task No_hostile_input_makes_any_endpoint_fail_through_the_gateway()
    {
        var failures = new List<string>();
        var endpoints = platform.ApiEndpoints().ToList();
        endpoints.Count.ShouldBeGreaterThan(40);

        foreach (var role in Roles)
        {
            var client = platform.Gateway.CreateClient();
            if (role is not null)
                client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(Guid.NewGuid(), role));
            foreach (var endpoint in endpoints)
            {
                foreach (var attack in Attacks)
                {
                    using var request = attack.Build(endpoint);
                    if (request is null)
                        continue;
                    var response = await client.SendAsync(request);
                    var mediaType = response.Content.Headers.ContentType?.MediaType;
                    if ((int)response.StatusCode >= 500 || mediaType == "text/html")
                        failures.Add($"{endpoint} as {role ?? "anonymous"}, {attack.Name}: {(int)response.StatusCode} {mediaType} " +
                                     (await response.Content.ReadAsStringAsync())[..Math.Min(200, (int)(response.Content.Headers.ContentLength ?? 200))]);
                }
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [InlineData("/api/users/login", """{"email":"a\u0000@derp.test","password":"x"}""", "email")]
    [InlineData("/api/users/register", """{"email":"a@derp.test","username":"n\u0000","password":"correct-horse-42"}""", "username")]
    [InlineData("/api/validate", """{"code":"X-1","machine_code":"m","hardware":"h\u0000"}""", "hardware")]
    public async Task A_nul_on_an_anonymous_endpoint_is_a_400_naming_the_field(string path, string json, string field)
    {
        var response = await platform.Gateway.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_charset_on_login_is_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/login")
        {
            Content = new ByteArrayContent("""{"email":"a@derp.test","password":"x"}"""u8.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=foo");

        var response = await platform.Gateway.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.ProblemCodeAsync()).ShouldBe("unsupported_media_type");
    }

    [Fact]
    public async Task A_page_past_the_end_of_int_is_400_on_a_paged_list()
    {
        var admin = platform.Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(Guid.NewGuid(), "admin"));

        var response = await admin.GetAsync("/api/users?page=2147483647");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    private static HttpRequestMessage? WithBody(ApiEndpoint endpoint, string json, string contentType = "application/json")
    {
        if (endpoint.Method is "GET" or "HEAD")
            return null;
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path()) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return request;
    }

    /// <summary>The endpoint's request body with every property of <paramref name="type"/> set to <paramref name="value"/>.</summary>
    private static string Body(ApiEndpoint endpoint, Type type, string value)
    {
        var body = new Dictionary<string, object?> { ["x"] = value };
        foreach (var property in endpoint.BodyType?.GetProperties() ?? [])
        {
            if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == type)
                body[property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = value;
        }
        return JsonSerializer.Serialize(body);
    }

    /// <summary>The handler's query parameters of <paramref name="type"/> (by name: minimal APIs bind simple types from the query).</summary>
    private static IEnumerable<string> QueryNames(ApiEndpoint endpoint, Type type) =>
        endpoint.HandlerParameters
            .Where(p => (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) == type)
            .Where(p => endpoint.Endpoint.RoutePattern.GetParameter(p.Name!) is null)
            .Select(p => p.Name!);
}

public sealed class CacheControlTests(Platform platform)
{
    [Fact]
    public async Task Token_and_personal_answers_are_never_stored()
    {
        var client = platform.Gateway.CreateClient();
        var email = $"u{Guid.NewGuid():N}@derp.test";
        (await client.PostAsJsonAsync("/api/users/register", new { email, username = "u" + Guid.NewGuid().ToString("N")[..12], password = "correct-horse-42" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var code = (await MailSink.WaitForMailAsync(email)).VerificationCode();
        (await client.PostAsJsonAsync("/api/users/verify-email", new { email, code })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var login = await client.PostAsJsonAsync("/api/users/login", new { email, password = "correct-horse-42" });
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        var refresh = await client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await refresh.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var me = await client.GetAsync("/api/users/me");

        foreach (var response in new[] { login, refresh, me })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Headers.CacheControl!.NoStore.ShouldBeTrue(response.RequestMessage!.RequestUri!.ToString());
        }
    }
}
