using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.Servers.Api.Apis;
using Derp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Derp.Servers.FunctionalTests;

public sealed class DiscoveryServersFactory : ServersApiFactory
{
    public const string DiscoveryToken = "prometheus-discovery-token-for-tests";

    protected override int HostCount => 3;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new(PrometheusDiscoveryApi.TokenSetting, DiscoveryToken)];
}

/// <summary>Prometheus' view of the fleet: the relays it discovers and scrapes directly, and the service's own figures.</summary>
public sealed class ServersMetricsTests(DiscoveryServersFactory factory) : IClassFixture<DiscoveryServersFactory>
{
    private static readonly HttpClient Relay = new() { Timeout = TimeSpan.FromSeconds(5) };

    private async Task<List<JsonElement>> DiscoverAsync()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DiscoveryServersFactory.DiscoveryToken);
        return (await client.GetFromJsonAsync<List<JsonElement>>("/internal/prometheus/relays"))!;
    }

    private static string? Label(JsonElement group, string name) => group.GetProperty("labels").GetProperty(name).GetString();

    [Fact]
    public async Task Discovery_lists_each_running_relay_with_its_labels_and_its_varz_answers_and_stopped_relays_leave()
    {
        var userId = Guid.NewGuid();
        var rental = factory.Rental(userId);
        await factory.SendAsync(rental);
        var relays = await factory.WaitForRunningAsync(userId);

        var mine = (await DiscoverAsync()).Where(g => Label(g, "renter") == userId.ToString()).ToList();

        mine.Count.ShouldBe(3);
        foreach (var relay in relays)
        {
            var group = mine.Single(g => Label(g, "container") == relay.Id.ToString());
            group.GetProperty("targets").EnumerateArray().Single().GetString().ShouldBe($"127.0.0.1:{relay.DerpPort}");
            Label(group, "host").ShouldBe(relay.Server!.Name);
            Label(group, "region").ShouldBe(relay.Server.RegionCode);
            Label(group, "__metrics_path__").ShouldBe("/debug/varz");
        }
        // What Prometheus then scrapes: the relay's own figures, under derper's names.
        var varz = await Until.ValueAsync(async () =>
        {
            try { return await Relay.GetStringAsync($"http://127.0.0.1:{relays[0].DerpPort}/debug/varz"); }
            catch (HttpRequestException) { return ""; }
        }, text => text.Length > 0, "the relay's /debug/varz");
        varz.ShouldContain("derp_current_connections ");
        varz.ShouldContain("derp_bytes_received ");
        varz.ShouldContain("derp_accepts ");

        await factory.SendAsync(new RentalExpired(rental.RentalId, userId, rental.ExpiresAt.AddMinutes(1)));
        await Until.ValueAsync(() => factory.ContainersOfAsync(userId), l => l.All(c => c.State == ContainerStates.Stopped), "stopped relays");
        (await DiscoverAsync()).ShouldNotContain(g => Label(g, "renter") == userId.ToString());
    }

    [Fact]
    public async Task Discovery_refuses_a_missing_or_wrong_token_with_401()
    {
        var client = factory.CreateClient();
        var anonymous = await client.GetAsync("/internal/prometheus/relays");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/internal/prometheus/relays");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        var wrongResponse = await client.SendAsync(wrong);

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.ProblemCodeAsync()).ShouldBe("unauthorized");
        wrongResponse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Discovery_does_not_exist_without_a_configured_token()
    {
        await using var unconfigured = factory.WithWebHostBuilder(b => b.UseSetting(PrometheusDiscoveryApi.TokenSetting, ""));
        var client = unconfigured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "");

        var response = await client.GetAsync("/internal/prometheus/relays");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("not_found");
    }

    [Fact]
    public async Task Metrics_show_the_provisioning_time_the_hosts_and_the_free_capacity()
    {
        var before = await factory.CreateClient().GetStringAsync("/metrics");
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        await factory.WaitForRunningAsync(userId);

        var text = await Until.ValueAsync(() => factory.CreateClient().GetStringAsync("/metrics"),
            t => Count(t, "derp_servers_provisioning_duration_seconds_count") > Count(before, "derp_servers_provisioning_duration_seconds_count")
                && t.Contains("derp_servers_capacity_free{region=\"hkg\"} ", StringComparison.Ordinal),
            "the provisioning recorded and the capacity refreshed");

        text.ShouldContain($"derp_servers_host_up{{host=\"hkg-1\",region=\"hkg\"}}");
        text.ShouldContain("# TYPE derp_servers_relays_probe_failing gauge");
        text.ShouldContain("derp_outbox_backlog ");
        text.ShouldContain("derp_build_info{version=");
    }

    private static double Count(string text, string series) =>
        text.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Sum();
}
