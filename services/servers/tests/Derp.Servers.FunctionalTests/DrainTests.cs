using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Servers.Api.Model;
using Derp.TestSupport;

namespace Derp.Servers.FunctionalTests;

/// <summary>Removing a host moves its renters' relays to other hosts first (its own fixture: it removes a host).</summary>
public sealed class DrainTests(ServersApiFactory factory) : IClassFixture<ServersApiFactory>
{
    [Fact]
    public async Task Removing_a_host_moves_its_relays_then_removes_them_and_announces_both()
    {
        await using var provisioned = await RabbitMqProbe.ForEventAsync<ContainersProvisioned>();
        await using var removed = await RabbitMqProbe.ForEventAsync<ServerRemoved>();
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        var before = await Until.ValueAsync(() => factory.ContainersOfAsync(userId),
            l => l.Count(c => c.State == ContainerStates.Running) == 3, "three running relays");
        var leaving = before[0];

        var response = await factory.Admin().DeleteAsync($"/api/servers/{leaving.ServerId}");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBe("draining");

        var gone = await removed.WaitForAsync(m => m.GetProperty("serverId").GetGuid() == leaving.ServerId, TimeSpan.FromSeconds(60));
        gone.GetProperty("affectedUserIds").EnumerateArray().Select(e => e.GetGuid()).ShouldContain(userId);
        var moved = await provisioned.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId && m.GetProperty("reason").GetString() == "host_removed",
            TimeSpan.FromSeconds(30));
        moved.GetProperty("nodes").GetArrayLength().ShouldBe(3);

        var after = await factory.ContainersOfAsync(userId);
        var running = after.Where(c => c.State == ContainerStates.Running).ToList();
        running.Count.ShouldBe(3);
        running.ShouldAllBe(c => c.ServerId != leaving.ServerId);
        running.Select(c => c.Server!.RegionCode).Distinct().Count().ShouldBe(3, "the fourth region takes over");
        after.Single(c => c.Id == leaving.Id).State.ShouldBe(ContainerStates.Removed);
        (await ServersApiFactory.InspectAsync(leaving.DockerId!)).ShouldBeNull();
        var host = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/servers/{leaving.ServerId}");
        host.GetProperty("status").GetString().ShouldBe("removed");
    }
}
