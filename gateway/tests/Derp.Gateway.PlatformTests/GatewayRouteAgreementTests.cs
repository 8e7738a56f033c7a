using System.Net;
using System.Text;

namespace Derp.Gateway.PlatformTests;

/// <summary>
/// Which endpoints are anonymous is written twice: each service's AllowAnonymous and the gateway's routes
/// (appsettings.json). This fails when they disagree, for every endpoint a service has today or adds tomorrow.
/// </summary>
public sealed class GatewayRouteAgreementTests(Platform platform)
{
    [Fact]
    public async Task The_gateway_lets_through_anonymously_exactly_the_endpoints_the_services_allow_anonymously()
    {
        var client = platform.RecordingGateway.CreateClient();
        var disagreements = new List<string>();
        var endpoints = platform.ApiEndpoints().ToList();
        endpoints.Count(e => e.Anonymous).ShouldBeGreaterThan(5);

        foreach (var endpoint in endpoints)
        {
            var probe = Guid.NewGuid().ToString("N");
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), $"{endpoint.Path()}?probe={probe}");
            if (endpoint.Method is not ("GET" or "HEAD"))
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);

            var reachedBy = platform.Recorders.Where(r => r.Value.Received.Contains(probe)).Select(r => r.Key).ToList();
            if (endpoint.Anonymous && reachedBy.Count == 0)
                disagreements.Add($"{endpoint} is anonymous at the service, but the gateway answered {(int)response.StatusCode} without forwarding");
            else if (!endpoint.Anonymous && reachedBy.Count > 0)
                disagreements.Add($"{endpoint} needs a signed-in caller, but the gateway forwarded an anonymous request");
            else if (reachedBy.Count > 0 && reachedBy.Single() != endpoint.Cluster)
                disagreements.Add($"{endpoint} was forwarded to {reachedBy.Single()}");
            else if (!endpoint.Anonymous && response.StatusCode != HttpStatusCode.Unauthorized)
                disagreements.Add($"{endpoint} answered {(int)response.StatusCode} at the edge instead of 401");
        }

        disagreements.ShouldBeEmpty(string.Join(Environment.NewLine, disagreements));
    }

    [Fact]
    public async Task Every_signed_in_endpoint_is_routed_to_its_service()
    {
        var client = platform.RecordingGateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Derp.TestSupport.TestTokens.Create(Guid.NewGuid(), "superadmin"));
        var unrouted = new List<string>();

        foreach (var endpoint in platform.ApiEndpoints())
        {
            var probe = Guid.NewGuid().ToString("N");
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), $"{endpoint.Path()}?probe={probe}");
            await client.SendAsync(request);
            if (!platform.Recorders[endpoint.Cluster].Received.Contains(probe))
                unrouted.Add(endpoint.ToString());
        }

        unrouted.ShouldBeEmpty(string.Join(Environment.NewLine, unrouted));
    }
}
