using System.Net;
using System.Net.Sockets;
using Derp.Contracts.Servers;
using Derp.Servers.Api.Services;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>Three hosts in three regions, as a small operator runs them: no spare host to move a relay to.</summary>
public sealed class SmallFleetFactory : ServersApiFactory
{
    protected override int HostCount => 3;
}

/// <summary>
/// A relay that cannot start on the only host of its region (its port is taken on that host) is given up there; with
/// no other host to take it, the renter is not left with two relays: it is tried again, and the host gets the relay once
/// it can run it.
/// </summary>
public sealed class SmallFleetTests(SmallFleetFactory factory) : IClassFixture<SmallFleetFactory>
{
    [Fact]
    public async Task A_relay_that_failed_on_the_only_free_host_is_placed_there_again_on_the_retry_and_the_renter_gets_three()
    {
        var hkg = factory.Hosts.Single(h => h.RegionCode == "hkg");
        // Something else on the host holds the port placement gives the first relay there (the lowest of its range).
        var squatter = new TcpListener(IPAddress.Loopback, factory.PortBase);
        squatter.Start();
        var userId = Guid.NewGuid();
        try
        {
            await factory.SendAsync(factory.Rental(userId));
            var failed = await Until.ValueAsync(() => factory.ContainersOfAsync(userId),
                list => list.Any(c => c.ServerId == hkg.Id && c.State == ContainerStates.Failed) && list.Count(c => c.State == ContainerStates.Running) == 2,
                "the hkg relay given up and the other two running");
            failed.Where(c => c.State is ContainerStates.Pending or ContainerStates.Running).ShouldAllBe(c => c.ServerId != hkg.Id,
                "not placed again on the host it failed on in the same pass");
        }
        finally
        {
            squatter.Stop();
        }

        // No renter event comes: the retry alone brings the third relay, on the host that failed (no other can take it).
        var running = await Until.ValueAsync(async () =>
        {
            await factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().RunDueAsync(CancellationToken.None));
            return await factory.ContainersOfAsync(userId);
        }, list => list.Count(c => c.State == ContainerStates.Running) == 3, "three running relays after the retry");
        running.Where(c => c.State == ContainerStates.Running).Select(c => c.Server!.RegionCode).Order().ShouldBe(["hkg", "sgp", "tyo"]);
    }
}
