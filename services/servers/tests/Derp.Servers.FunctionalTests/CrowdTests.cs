using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Services;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>Three hosts in three regions with room for a crowd: ten relays each.</summary>
public sealed class CrowdFactory : ServersApiFactory
{
    protected override int HostCount => 3;

    protected override int HostCapacity => 10;
}

/// <summary>
/// Provisioning under a crowd (ADR-030): renters whose rentals arrive at the same moment are reconciled side by side,
/// and every one gets its three relays in three regions; an error one engine call gets does not break the others in
/// flight to the same host.
/// </summary>
public sealed class CrowdTests(CrowdFactory factory) : IClassFixture<CrowdFactory>
{
    // Moderate on purpose: the test machine is shared; scripts/load/bench-crowd.sh runs thirty on the demo hosts.
    private const int Renters = 8;

    [Fact]
    public async Task Renters_whose_rentals_arrive_at_once_each_get_three_running_relays_in_three_regions_on_distinct_ports()
    {
        var renters = Enumerable.Range(0, Renters).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(renters.Select(userId => factory.SendAsync(factory.Rental(userId))));

        var relays = await Task.WhenAll(renters.Select(userId => factory.WaitForRunningAsync(userId)));

        foreach (var mine in relays)
        {
            mine.Count.ShouldBe(3);
            mine.Select(c => c.Server!.RegionCode).Distinct().Count().ShouldBe(3);
        }
        var all = relays.SelectMany(r => r).ToList();
        all.Select(c => (c.ServerId, c.DerpPort)).Distinct().Count().ShouldBe(all.Count);
        all.Select(c => c.DockerId).Distinct().Count().ShouldBe(all.Count);
        foreach (var container in all)
        {
            var inspected = (await ServersApiFactory.InspectAsync(container.DockerId!)).ShouldNotBeNull();
            inspected.GetProperty("State").GetProperty("Running").GetBoolean().ShouldBeTrue();
        }
        // No relay was given up on a host along the way, and each renter's set is announced (acl makes policy v1 from it).
        await factory.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ServersContext>();
            (await db.Containers.CountAsync(c => renters.Contains(c.UserId) && c.State == ContainerStates.Failed)).ShouldBe(0);
            (await db.Alerts.CountAsync(a => a.UserId != null && renters.Contains(a.UserId.Value))).ShouldBe(0);
        });
        foreach (var (userId, mine) in renters.Zip(relays))
        {
            var signature = string.Join(";", mine.OrderBy(c => c.CreatedAt).Select(c => $"{c.Id:N}"));
            await Until.TrueAsync(() => factory.InScopeAsync(sp => sp.GetRequiredService<ServersContext>().Renters
                .AnyAsync(r => r.UserId == userId && r.AnnouncedRelays == signature)), $"the relays of {userId} announced");
        }
    }

    [Fact]
    public async Task An_error_the_engine_answers_keeps_the_hosts_tunnel_for_the_calls_beside_it()
    {
        await factory.InScopeAsync(async sp =>
        {
            var server = await sp.GetRequiredService<ServersContext>().Servers.AsNoTracking().SingleAsync(s => s.Id == factory.Hosts[0].Id);
            var access = sp.GetRequiredService<HostAccess>();
            var before = await access.WithDockerAsync(server, Task.FromResult, CancellationToken.None);

            var refused = await Should.ThrowAsync<HostException>(() =>
                access.WithDockerAsync(server, docker => docker.StartAsync("derp-no-such-relay", CancellationToken.None), CancellationToken.None));
            refused.ConnectionLost.ShouldBeFalse();

            // The same tunnel (and the same pooled client) still serves the host.
            var after = await access.WithDockerAsync(server, Task.FromResult, CancellationToken.None);
            after.ShouldBeSameAs(before);
            await after.PingAsync(CancellationToken.None);
        });
    }
}
