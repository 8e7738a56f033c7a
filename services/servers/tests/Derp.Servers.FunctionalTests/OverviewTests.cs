using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>
/// The overview and the fleet charts read what the health checks and the traffic meter wrote: these tests write those
/// rows themselves (hosts, samples, relays, alerts) instead of waiting for real checks, so the figures are exact.
/// </summary>
public class FleetRowsFactory : ServersApiFactory
{
    protected override int HostCount => 0;

    public Task<Server> AddHostAsync(string name, string status, int capacity = 10, long rate = 0) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<ServersContext>();
        var server = new Server
        {
            Id = Guid.CreateVersion7(), Name = name, PublicIp = "127.0.0.1", HostName = "127.0.0.1", RegionCode = "hkg", RegionName = "Hong Kong",
            SshHost = "127.0.0.1", SshPort = 22, SshUser = "derp", SshPrivateKeyProtected = "-", HostKeyFingerprint = "SHA256:x", HostKey = "-",
            DockerSocket = "/var/run/docker.sock", Capacity = capacity, PortRangeStart = 30000, PortRangeEnd = 30999, Status = status,
            RateBytesPerSecond = rate, CreatedAt = Clock.GetUtcNow().AddDays(-30),
        };
        db.Servers.Add(server);
        await db.SaveChangesAsync();
        return server;
    });

    public Task AddAsync(params object[] rows) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<ServersContext>();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    });

    private int _port = 30000;

    public RelayContainer Relay(Server host, string state, bool? probeOk) => new()
    {
        Id = Guid.CreateVersion7(), ServerId = host.Id, UserId = Guid.NewGuid(), RentalId = Guid.NewGuid(), Name = $"derp-{Guid.NewGuid():N}"[..20],
        State = state, ProbeOk = probeOk, DerpPort = Interlocked.Add(ref _port, 2), StunPort = _port + 1, CreatedAt = Clock.GetUtcNow(),
    };

    public Alert Alert(string type, string severity, DateTimeOffset at, bool resolved = false) => new()
    {
        Type = type, Severity = severity, Message = type, Key = $"{type}:{Guid.NewGuid()}", CreatedAt = at, ResolvedAt = resolved ? at : null,
    };

    public static HostSample Sample(Server host, DateTimeOffset at, bool reachable = true, long rate = 0, int containers = 0) => new()
    {
        ServerId = host.Id, At = at, Reachable = reachable, LatencyMs = reachable ? 12.5 : null, RateBytesPerSecond = rate, Containers = containers,
    };
}

public sealed class OverviewTests(FleetRowsFactory factory) : IClassFixture<FleetRowsFactory>
{
    [Fact]
    public async Task Each_overview_figure_counts_what_its_linked_list_shows_and_carries_its_sparkline()
    {
        var now = factory.Clock.GetUtcNow();
        var hkg = await factory.AddHostAsync("ov-hkg", ServerStatuses.Active, rate: 1000);
        var sgp = await factory.AddHostAsync("ov-sgp", ServerStatuses.Draining, rate: 500);
        var tyo = await factory.AddHostAsync("ov-tyo", ServerStatuses.Unhealthy);
        await factory.AddHostAsync("ov-gone", ServerStatuses.Removed, rate: 99_999);
        await factory.AddAsync(
            FleetRowsFactory.Sample(hkg, now.AddHours(-2), rate: 800), FleetRowsFactory.Sample(hkg, now.AddHours(-2).AddMinutes(1), rate: 1200),
            FleetRowsFactory.Sample(sgp, now.AddHours(-2), rate: 500), FleetRowsFactory.Sample(tyo, now.AddHours(-2), reachable: false),
            factory.Relay(hkg, ContainerStates.Running, probeOk: false), factory.Relay(sgp, ContainerStates.Running, probeOk: false),
            factory.Relay(hkg, ContainerStates.Running, probeOk: true), factory.Relay(tyo, ContainerStates.Running, probeOk: null),
            factory.Relay(tyo, ContainerStates.Stopped, probeOk: false),
            factory.Alert(AlertTypes.HostUnhealthy, AlertSeverities.Critical, now.AddMinutes(-5)),
            factory.Alert(AlertTypes.RelayUnreachable, AlertSeverities.Warning, now.AddMinutes(-4)),
            factory.Alert(AlertTypes.RelayUnreachable, AlertSeverities.Warning, now.AddDays(-3), resolved: true),
            factory.Alert(AlertTypes.TrafficRate, AlertSeverities.Warning, now.AddDays(-40), resolved: true),
            new HostTrafficMonth { ServerId = hkg.Id, Month = HostTrafficMonth.Of(now), Bytes = 5_000 },
            new HostTrafficMonth { ServerId = sgp.Id, Month = HostTrafficMonth.Of(now), Bytes = 7_000 },
            new HostTrafficMonth { ServerId = sgp.Id, Month = HostTrafficMonth.Of(now.AddMonths(-1)), Bytes = 1_000_000 });

        var admin = factory.Admin();
        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/servers/admin/overview");

        // Healthy: every host that is not unhealthy (a draining host still serves its relays); removed hosts are gone.
        Value(overview, "healthyHosts").ShouldBe(2);
        overview.GetProperty("totalHosts").GetInt32().ShouldBe(3);
        var unhealthy = await admin.GetFromJsonAsync<JsonElement>("/api/servers?status=unhealthy");
        unhealthy.GetArrayLength().ShouldBe(3 - 2);

        Value(overview, "openAlerts").ShouldBe(2);
        overview.GetProperty("criticalAlerts").GetInt32().ShouldBe(1);
        (await admin.GetFromJsonAsync<JsonElement>("/api/alerts?resolved=false")).GetProperty("total").GetInt32().ShouldBe(2);

        Value(overview, "failingRelays").ShouldBe(2);
        overview.GetProperty("runningRelays").GetInt32().ShouldBe(4);
        var failing = await admin.GetFromJsonAsync<JsonElement>("/api/servers/containers?probe=failing");
        failing.GetProperty("total").GetInt32().ShouldBe(2);
        failing.GetProperty("items").EnumerateArray().ShouldAllBe(c => c.GetProperty("probeOk").GetBoolean() == false && c.GetProperty("state").GetString() == "running");
        (await admin.GetFromJsonAsync<JsonElement>("/api/servers/containers?probe=ok")).GetProperty("total").GetInt32().ShouldBe(1);

        Value(overview, "fleetRateBytesPerSecond").ShouldBe(1500);
        overview.GetProperty("trafficThisMonthBytes").GetInt64().ShouldBe(12_000);

        // Sparklines: 24 hours for hosts and traffic, 14 days for alerts, oldest first, the current bucket last.
        var healthy = Points(overview, "healthyHosts");
        healthy.Count.ShouldBe(24);
        healthy.ShouldBe(healthy.OrderBy(p => p.T).ToList());
        healthy[^1].T.ShouldBeLessThanOrEqualTo(now);
        healthy[^3].V.ShouldBe(2, "two hours ago hkg and sgp answered, tyo did not");
        Points(overview, "fleetRateBytesPerSecond")[^3].V.ShouldBe(1000 + 500, "hkg's average of 800 and 1200 plus sgp's 500");
        var alerts = Points(overview, "openAlerts");
        alerts.Count.ShouldBe(14);
        alerts.Sum(p => p.V).ShouldBe(3, "raised in the last 14 days, resolved or not");
        alerts[^1].V.ShouldBe(2);
        Points(overview, "failingRelays").Sum(p => p.V).ShouldBe(2, "relay_unreachable alerts raised in 14 days");
        overview.GetProperty("timeZone").GetString().ShouldBe("Asia/Shanghai");
    }

    [Fact]
    public async Task The_overview_is_for_admins_and_a_bad_probe_filter_is_a_problem()
    {
        var renter = factory.ClientAs(Guid.NewGuid(), Roles.Renter);
        (await renter.GetAsync("/api/servers/admin/overview")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.GetAsync("/api/servers/fleet")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var response = await factory.Admin().GetAsync("/api/servers/containers?probe=broken");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    internal static double Value(JsonElement overview, string figure) => overview.GetProperty(figure).GetProperty("value").GetDouble();

    internal static List<(DateTimeOffset T, double V)> Points(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Array
            ? element.GetProperty(property).EnumerateArray().Select(p => (p.GetProperty("t").GetDateTimeOffset(), p.GetProperty("v").GetDouble())).ToList()
            : Points(element.GetProperty(property), "points");
}

/// <summary>A fleet whose first health check was twelve minutes ago: its charts must still draw lines.</summary>
public sealed class FleetSeriesTests(FleetRowsFactory factory) : IClassFixture<FleetRowsFactory>
{
    [Fact]
    public async Task A_young_fleet_is_charted_from_its_first_sample_with_a_step_that_gives_it_a_line()
    {
        var now = factory.Clock.GetUtcNow();
        var hkg = await factory.AddHostAsync("young-hkg", ServerStatuses.Active, capacity: 5);
        var sgp = await factory.AddHostAsync("young-sgp", ServerStatuses.Active, capacity: 7);
        var first = now.AddMinutes(-12);
        await factory.AddAsync(Enumerable.Range(0, 12).SelectMany(i => new object[]
        {
            FleetRowsFactory.Sample(hkg, first.AddMinutes(i), rate: 100 * i, containers: 2),
            FleetRowsFactory.Sample(sgp, first.AddMinutes(i), rate: 10, containers: 1),
        }).ToArray());
        var admin = factory.Admin();

        // One host's chart: before, a day of 5-minute steps (two or three points, far right); now from the first sample by the minute.
        var host = await admin.GetFromJsonAsync<JsonElement>($"/api/servers/{hkg.Id}/metrics");
        host.GetArrayLength().ShouldBe(12);
        host[0].GetProperty("at").GetDateTimeOffset().ShouldBeInRange(first.AddMinutes(-1), first);

        var fleet = await admin.GetFromJsonAsync<JsonElement>("/api/servers/fleet");
        fleet.GetProperty("stepSeconds").GetInt32().ShouldBe(60);
        var from = fleet.GetProperty("from").GetDateTimeOffset();
        from.ShouldBeLessThanOrEqualTo(first);
        (now - from).ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(30), "not a day of which the fleet filled the last minutes");
        var rate = OverviewTests.Points(fleet, "rateBytesPerSecond");
        rate.Count.ShouldBe(12);
        rate[^1].V.ShouldBe(100 * 11 + 10);
        OverviewTests.Points(fleet, "relays").ShouldAllBe(p => p.V == 3);
        fleet.GetProperty("capacity").GetInt32().ShouldBe(12);
        fleet.GetProperty("rateAlertBytesPerSecond").GetInt64().ShouldBeGreaterThan(0);
        var hosts = fleet.GetProperty("hosts").EnumerateArray().ToList();
        hosts.Select(h => h.GetProperty("name").GetString()).ShouldBe(["young-hkg", "young-sgp"]);
        OverviewTests.Points(hosts[0], "relays").Count.ShouldBe(12);
        OverviewTests.Points(hosts[0], "latencyMs").ShouldAllBe(p => p.V == 12.5);
        OverviewTests.Points(hosts[0], "availability").ShouldAllBe(p => p.V == 1);

        // A week asked for explicitly gets a step that keeps it near 120 points.
        var week = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/servers/fleet?from={Uri.EscapeDataString(now.AddDays(-7).ToString("O"))}&to={Uri.EscapeDataString(now.ToString("O"))}");
        week.GetProperty("stepSeconds").GetInt32().ShouldBe(2 * 3600);
    }

    [Theory]
    [InlineData("step=banana", "step")]
    [InlineData("step=00:00:10", "step")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "from")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_window_the_charts_cannot_draw_is_a_validation_problem(string query, string field)
    {
        var response = await factory.Admin().GetAsync($"/api/servers/fleet?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }
}
