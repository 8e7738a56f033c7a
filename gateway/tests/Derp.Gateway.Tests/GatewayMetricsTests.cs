using System.Net;
using System.Text;
using Derp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Gateway.Tests;

/// <summary>
/// Gives a request the TCP peer address named by its X-Test-Peer header (the test server has no socket), so a test
/// can call from outside, from loopback or from the cluster network.
/// </summary>
public sealed class TestPeerFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue("X-Test-Peer", out var peer))
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}

public sealed class GatewayMetricsTests(GatewayFactory factory) : IClassFixture<GatewayFactory>
{
    private HttpClient Client(params (string Key, string Value)[] settings) => factory.WithWebHostBuilder(builder =>
    {
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, TestPeerFilter>());
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }).CreateClient();

    private static async Task<HttpResponseMessage> ScrapeAsync(HttpClient client, string peer, string? forwardedFor = null, string path = "/metrics")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Metrics_from_loopback_are_prometheus_text_with_requests_labelled_by_yarp_route()
    {
        var client = Client();
        (await client.PostAsync("/api/users/login", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var response = await ScrapeAsync(client, "127.0.0.1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.Split('\n').ShouldContain(line => line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"users-public\"", StringComparison.Ordinal) && line.Contains("http_request_method=\"POST\"", StringComparison.Ordinal));
        text.ShouldContain("derp_build_info{version=");
    }

    [Theory]
    [InlineData("203.0.113.9", null)]      // a client on the internet
    [InlineData("10.1.2.3", null)]         // the cluster network, not configured as allowed
    [InlineData("127.0.0.1", "203.0.113.9")] // a client relayed by a proxy on the same machine
    public async Task Metrics_are_a_404_problem_for_anyone_else_never_the_portal(string peer, string? forwardedFor)
    {
        var response = await ScrapeAsync(Client(), peer, forwardedFor);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("not_found");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("derp_");
    }

    [Theory]
    [InlineData("/metrics/")]
    [InlineData("/METRICS/x")]
    public async Task Paths_below_metrics_are_a_404_problem_not_the_portal(string path)
    {
        var response = await ScrapeAsync(Client(), "203.0.113.9", path: path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("not_found");
    }

    [Fact]
    public async Task Metrics_answer_the_configured_cluster_network()
    {
        var client = Client(("Gateway:Metrics:AllowedNetworks:0", "10.0.0.0/8"));

        (await ScrapeAsync(client, "10.1.2.3")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ScrapeAsync(client, "203.0.113.9")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ready_with_one_service_down_stays_ready_and_names_it()
    {
        // One service down must not take every gateway out of the load balancer (the portal and the others still serve).
        var client = Client(("ReverseProxy:Clusters:users:Destinations:primary:Address", "http://127.0.0.1:9/"));

        var ready = await client.GetAsync("/health/ready");

        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await ready.Content.ReadAsStringAsync();
        body.ShouldContain("\"status\":\"Degraded\"");
        body.ShouldContain("\"users\":\"down\"");
        body.ShouldContain("\"serials\":\"alive\"");
    }
}

public sealed class UpstreamErrorMetricsTests(UnreachableServiceFactory factory) : IClassFixture<UnreachableServiceFactory>
{
    [Fact]
    public async Task A_request_the_gateway_cannot_forward_is_counted_by_route_cluster_and_error()
    {
        var client = factory.CreateClient();
        (await client.PostAsync("/api/users/login", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(HttpStatusCode.BadGateway);

        var scraped = factory.Services.GetRequiredService<Derp.ServiceDefaults.Metrics.PrometheusMetrics>().Scrape();

        scraped.ShouldContain("derp_gateway_upstream_errors_total{cluster=\"users\",error=\"Request\",route=\"users-public\"}");
    }
}
