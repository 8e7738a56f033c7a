using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using Derp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Derp.Gateway.Tests;

/// <summary>A real HTTP destination on loopback that records what the gateway forwarded to it.</summary>
public sealed class Destination : IAsyncLifetime
{
    private WebApplication? _app;

    public ConcurrentQueue<(string Path, string? ForwardedFor, string? RequestId, string? Authorization)> Received { get; } = new();
    public string Address { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(context =>
        {
            Received.Enqueue((context.Request.Path, context.Request.Headers["X-Forwarded-For"].ToString(),
                context.Request.Headers["X-Request-Id"].ToString(), context.Request.Headers.Authorization.ToString()));
            // Like every service (RequestIdMiddleware): the request id comes back in the answer.
            context.Response.Headers["X-Request-Id"] = context.Request.Headers["X-Request-Id"];
            return context.Response.WriteAsync("from-destination");
        });
        await _app.StartAsync();
        Address = _app.Urls.Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

public sealed class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Every cluster of the gateway's configuration, each pointed at the recording destination.</summary>
    public static readonly string[] Clusters = ["users", "serials", "acl", "servers", "finance", "distribution"];

    public Destination Destination { get; } = new();
    public string WebRoot { get; } = Directory.CreateTempSubdirectory("derp-web-").FullName;

    public async ValueTask InitializeAsync()
    {
        await Destination.InitializeAsync();
        await File.WriteAllTextAsync(Path.Combine(WebRoot, "index.html"), "<!doctype html><title>Derp portal</title>");
        Directory.CreateDirectory(Path.Combine(WebRoot, "assets"));
        await File.WriteAllTextAsync(Path.Combine(WebRoot, "assets", "app.js"), "console.log('derp')");
    }

    public const string ClientAddress = "127.0.0.77"; // loopback: the framework would trust it by default

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The test server has no socket: give every request the address a real client would have.
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddressFilter>());
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Gateway:WebRoot", WebRoot);
        builder.UseSetting("Gateway:RateLimit:PermitPerMinute", "40");
        foreach (var cluster in Clusters)
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", Destination.Address);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public static string Token(string role, string key = TestInfrastructure.JwtSigningKey)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken("derp", "derp", [new Claim("sub", Guid.NewGuid().ToString()), new Claim("role", role)],
            expires: DateTime.UtcNow.AddMinutes(5), signingCredentials: credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Destination.DisposeAsync();
        Directory.Delete(WebRoot, recursive: true);
    }
}

public sealed class ClientAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= IPAddress.Parse(GatewayFactory.ClientAddress);
            return nextMiddleware(context);
        });
        next(app);
    };
}

public sealed class GatewayTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Protected_routes_are_refused_at_the_edge_without_a_valid_token()
    {
        var client = factory.CreateClient();
        var before = factory.Destination.Received.Count;

        var anonymous = await client.GetAsync("/api/users/me");
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        forged.Headers.Authorization = new("Bearer", GatewayFactory.Token("admin", key: new string('x', 48)));
        var forgedResponse = await client.SendAsync(forged);

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.ProblemCodeAsync()).ShouldBe("unauthorized");
        (await anonymous.Content.ReadAsStringAsync()).ShouldContain(anonymous.Headers.GetValues("X-Request-Id").Single());
        forgedResponse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/audit")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        factory.Destination.Received.Count.ShouldBe(before);
    }

    [Theory]
    [InlineData("/api/users/register")]
    [InlineData("/api/users/login")]
    [InlineData("/api/users/verify-email")]
    [InlineData("/api/users/resend-verification")]
    [InlineData("/api/users/refresh")]
    public async Task Public_routes_are_forwarded_with_the_client_address_and_a_request_id(string path)
    {
        var response = await factory.CreateClient().PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));

        (await response.Content.ReadAsStringAsync()).ShouldBe("from-destination");
        var received = factory.Destination.Received.Last(r => r.Path == path);
        received.ForwardedFor.ShouldBe(GatewayFactory.ClientAddress);
        received.RequestId.ShouldBe(response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task A_client_cannot_spoof_its_address()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/login") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", "203.0.113.99");

        await factory.CreateClient().SendAsync(request);

        factory.Destination.Received.Last(r => r.Path == "/api/users/login").ForwardedFor.ShouldBe(GatewayFactory.ClientAddress);
    }

    [Fact]
    public async Task A_valid_token_is_forwarded_to_the_service()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        var token = GatewayFactory.Token("renter");
        request.Headers.Authorization = new("Bearer", token);

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        factory.Destination.Received.Last(r => r.Path == "/api/users/me").Authorization.ShouldBe("Bearer " + token);
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        var response = await factory.CreateClient().GetAsync("/");

        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Request-Id").Single().Length.ShouldBe(32);
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'self'");
    }

    [Fact]
    public async Task Relay_admission_is_anonymous_and_has_its_own_budget_while_policies_need_a_token()
    {
        var client = factory.CreateClient();
        // More than the per-address limit of 40: a relay host asks once per client connection.
        for (var i = 0; i < 45; i++)
        {
            var admit = await client.PostAsync("/api/acl/derp/admit?token=t", new StringContent("{}", Encoding.UTF8, "application/json"));
            admit.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        factory.Destination.Received.Count(r => r.Path == "/api/acl/derp/admit").ShouldBeGreaterThanOrEqualTo(45);
        (await client.GetAsync("/api/acl/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_portal_is_served_with_spa_fallback_but_unknown_apis_are_404_problems()
    {
        var client = factory.CreateClient();

        (await client.GetStringAsync("/")).ShouldContain("Derp portal");
        (await client.GetStringAsync("/admin/users")).ShouldContain("Derp portal");
        (await client.GetStringAsync("/assets/app.js")).ShouldContain("derp");
        var unknownApi = await client.GetAsync("/api/nothing-here");
        unknownApi.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknownApi.ProblemCodeAsync()).ShouldBe("not_found");
        (await client.GetAsync("/assets/missing.js")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class GatewayEdgeTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task A_body_over_the_services_limit_is_a_413_problem_from_the_edge()
    {
        var before = factory.Destination.Received.Count(r => r.Path == "/api/users/register");

        var response = await factory.CreateClient().PostAsync("/api/users/register",
            new ByteArrayContent(new byte[1024 * 1024 + 1]) { Headers = { ContentType = new("application/json") } });

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.ProblemCodeAsync()).ShouldBe("payload_too_large");
        factory.Destination.Received.Count(r => r.Path == "/api/users/register").ShouldBe(before);
    }

    [Theory]
    [InlineData("//api/users/me")]
    [InlineData("//api/serials")]
    [InlineData("///api")]
    [InlineData("/API/nothing-here")]
    public async Task An_api_looking_path_no_route_takes_is_a_404_problem_never_the_portal(string path)
    {
        var response = await factory.CreateClient().GetAsync(new Uri("http://localhost" + path));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("not_found");
    }

    [Fact]
    public async Task The_request_id_is_sent_once()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Authorization = new("Bearer", GatewayFactory.Token("renter"));

        var response = await factory.CreateClient().SendAsync(request);

        (await response.Content.ReadAsStringAsync()).ShouldBe("from-destination");
        response.Headers.GetValues("X-Request-Id").ShouldHaveSingleItem().Length.ShouldBe(32);
    }

    [Fact]
    public async Task Ready_means_every_service_behind_the_gateway_answers()
    {
        var response = await factory.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("Healthy");
        foreach (var service in GatewayFactory.Clusters)
            body.ShouldContain($"\"{service}\":\"alive\"");
        factory.Destination.Received.ShouldContain(r => r.Path == "/health/live");
    }

    [Fact]
    public async Task The_edges_own_api_answers_are_not_stored()
    {
        var response = await factory.CreateClient().GetAsync("/api/users/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }
}

public class RateLimitFactory : WebApplicationFactory<Program>
{
    protected virtual int PermitPerMinute => 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Gateway:RateLimit:PermitPerMinute", PermitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Nothing listens on port 9: every service is unreachable, whatever else runs on this machine.
        foreach (var cluster in GatewayFactory.Clusters)
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", "http://127.0.0.1:9/");
        builder.UseSetting("Logging:LogLevel:Default", "Critical");
    }
}

public sealed class GatewayRateLimitTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    [Fact]
    public async Task Requests_past_the_per_address_limit_get_429_with_retry_after()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
            (await client.GetAsync("/api/users/me")).StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);

        var sixth = await client.GetAsync("/api/users/me");

        sixth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await sixth.ProblemCodeAsync()).ShouldBe("rate_limited");
        sixth.Headers.RetryAfter.ShouldNotBeNull();
    }
}

public sealed class UnreachableServiceFactory : RateLimitFactory
{
    protected override int PermitPerMinute => 100;
}

public sealed class UnreachableServiceTests(UnreachableServiceFactory factory) : IClassFixture<UnreachableServiceFactory>
{
    [Fact]
    public async Task An_unreachable_service_is_a_502_problem()
    {
        var response = await factory.CreateClient().PostAsync("/api/users/login", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        (await response.ProblemCodeAsync()).ShouldBe("service_unavailable");
    }

    [Fact]
    public async Task The_gateway_is_live_but_not_ready_while_no_service_answers()
    {
        var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).ShouldContain("\"users\":\"down\"");
    }
}

/// <summary>The gateway on a real Kestrel port: only Kestrel enforces the limit on bodies sent without a length.</summary>
public sealed class KestrelGatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public Destination Destination { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Destination.InitializeAsync();
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("ReverseProxy:Clusters:users:Destinations:primary:Address", Destination.Address);
        builder.UseSetting("Logging:LogLevel:Default", "Critical");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Destination.DisposeAsync();
    }
}

public sealed class KestrelGatewayTests(KestrelGatewayFactory factory) : IClassFixture<KestrelGatewayFactory>
{
    [Fact]
    public async Task A_body_without_a_length_over_the_limit_is_a_413_problem()
    {
        var content = new StreamContent(new MemoryStream(new byte[1024 * 1024 + 4096]));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/register") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.ProblemCodeAsync()).ShouldBe("payload_too_large");
    }
}
