using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>
/// The one reconciliation path (ADR-008) against real hosts: relays that die are started again or replaced, the state
/// shown is the engine's, alerts about removed relays resolve themselves, admins' wishes reach the engine, and two
/// reconcilers at once never do the same work twice.
/// </summary>
public sealed class ReconcileTests(ServersApiFactory factory) : IClassFixture<ServersApiFactory>
{

    /// <summary>One run of the every-minute reconcile job.</summary>
    private Task SweepAsync() => factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().SweepAsync(CancellationToken.None));

    private static async Task EngineAsync(HttpMethod method, string path)
    {
        using var engine = ServersApiFactory.Engine();
        using var response = await engine.SendAsync(new HttpRequestMessage(method, path));
        response.IsSuccessStatusCode.ShouldBeTrue($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<bool> EngineRunsAsync(string dockerId) =>
        (await ServersApiFactory.InspectAsync(dockerId))?.GetProperty("State").GetProperty("Running").GetBoolean() == true;

    /// <summary>The container as the admin API shows it.</summary>
    private async Task<JsonElement> ShownAsync(RelayContainer container)
    {
        var page = await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/servers/containers?userId={container.UserId}");
        return page.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == container.Id);
    }

    [Fact]
    public async Task A_killed_relay_is_shown_exited_and_started_again_and_one_that_vanished_is_replaced_on_another_host()
    {
        await using var provisioned = await RabbitMqProbe.ForEventAsync<ContainersProvisioned>();
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        var before = await factory.WaitForRunningAsync(userId);
        await provisioned.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(30));

        // Killed on its engine: the engine does not start it again by itself.
        var killed = before[0];
        await EngineAsync(HttpMethod.Post, $"containers/{killed.DockerId}/kill");
        await Until.TrueAsync(async () => !await EngineRunsAsync(killed.DockerId!), "the relay is dead on its engine");
        await factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().ObserveAsync(CancellationToken.None));
        var shown = await ShownAsync(killed);
        shown.GetProperty("state").GetString().ShouldBe(ContainerStates.Exited, "the state shown is the engine's");
        shown.GetProperty("engineState").GetString().ShouldBe("exited");

        await SweepAsync();
        (await EngineRunsAsync(killed.DockerId!)).ShouldBeTrue("the reconciler started it again");
        var restarted = (await factory.ContainersOfAsync(userId)).Single(c => c.Id == killed.Id);
        restarted.State.ShouldBe(ContainerStates.Running);
        restarted.Restarts.ShouldBe(1);
        restarted.DockerId.ShouldBe(killed.DockerId, "the same container, not a new one");

        // Removed from its host behind the platform's back: it cannot come back there, so it moves to the free region.
        var vanished = before[1];
        await EngineAsync(HttpMethod.Delete, $"containers/{vanished.DockerId}?force=true");
        await SweepAsync();
        var after = await factory.WaitForRunningAsync(userId);
        after.ShouldNotContain(c => c.Id == vanished.Id);
        (await factory.ContainersOfAsync(userId)).Single(c => c.Id == vanished.Id).State.ShouldBe(ContainerStates.Failed);
        var replacement = after.Single(c => before.All(b => b.Id != c.Id));
        replacement.ServerId.ShouldNotBe(vanished.ServerId);
        before.ShouldNotContain(b => b.ServerId == replacement.ServerId, "the fourth host, not one the renter already uses");
        (await EngineRunsAsync(replacement.DockerId!)).ShouldBeTrue();
        var announced = await provisioned.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId
            && m.GetProperty("nodes").EnumerateArray().Any(n => n.GetProperty("derpPort").GetInt32() == replacement.DerpPort), TimeSpan.FromSeconds(30));
        announced.GetProperty("reason").GetString().ShouldBe(ProvisioningReasons.Reprovisioned);
        announced.GetProperty("nodes").GetArrayLength().ShouldBe(3);
        var alerts = await factory.Admin().GetFromJsonAsync<JsonElement>("/api/alerts?resolved=false&pageSize=100");
        alerts.GetProperty("items").EnumerateArray().ShouldContain(a => a.GetProperty("type").GetString() == "provisioning_failed"
            && a.GetProperty("userId").GetGuid() == userId);
    }

    [Fact]
    public async Task Alerts_about_relays_removed_on_purpose_resolve_themselves_even_when_a_probe_raced_the_removal()
    {
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        var containers = await factory.WaitForRunningAsync(userId);
        var dead = containers[0];
        await EngineAsync(HttpMethod.Post, $"containers/{dead.DockerId}/kill");
        await Until.TrueAsync(async () => !await EngineRunsAsync(dead.DockerId!), "the relay is dead on its engine");
        await factory.InScopeAsync(sp => sp.GetRequiredService<HealthMonitor>().CheckAllAsync(CancellationToken.None));
        (await OpenAlertsAsync(userId)).ShouldContain(a => a.GetProperty("type").GetString() == "relay_unreachable");

        // The account closes: its relays are removed on purpose, and what was said about them is over.
        await factory.SendAsync(new UserDeregistered(userId, "closed", DateTimeOffset.UtcNow));
        await Until.ValueAsync(() => factory.ContainersOfAsync(userId), l => l.All(c => c.State == ContainerStates.Removed), "removed relays");
        await Until.TrueAsync(async () => (await OpenAlertsAsync(userId)).Count == 0, "no open alert about removed relays");

        // A probe that read the relay before its removal and reports after it raises nothing.
        await factory.InScopeAsync(sp => sp.GetRequiredService<Alerts>().RaiseAsync("relay_unreachable", AlertSeverities.Warning,
            $"relay_unreachable:{dead.Id}", "late probe", dead.ServerId, userId, dead.Id, CancellationToken.None));
        (await OpenAlertsAsync(userId)).ShouldBeEmpty();
    }

    private async Task<List<JsonElement>> OpenAlertsAsync(Guid userId)
    {
        var page = await factory.Admin().GetFromJsonAsync<JsonElement>("/api/alerts?resolved=false&pageSize=100");
        return page.GetProperty("items").EnumerateArray().Where(a => a.TryGetProperty("userId", out var u) && u.ValueKind == JsonValueKind.String
            && u.GetGuid() == userId).ToList();
    }

    [Fact]
    public async Task An_admins_stop_and_start_reach_the_engine_through_the_reconciler()
    {
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        var container = (await factory.WaitForRunningAsync(userId))[0];
        var admin = factory.Admin();

        (await admin.PostAsync($"/api/servers/containers/{container.Id}/stop", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Until.TrueAsync(async () => (await ShownAsync(container)).GetProperty("state").GetString() == ContainerStates.Stopped, "stopped");
        (await EngineRunsAsync(container.DockerId!)).ShouldBeFalse();
        // A stopped relay is what was wished: the sweep leaves it stopped.
        await SweepAsync();
        (await EngineRunsAsync(container.DockerId!)).ShouldBeFalse();

        (await admin.PostAsync($"/api/servers/containers/{container.Id}/start", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await Until.TrueAsync(async () => (await ShownAsync(container)).GetProperty("state").GetString() == ContainerStates.Running, "running");
        (await EngineRunsAsync(container.DockerId!)).ShouldBeTrue();
        (await (await admin.PostAsync($"/api/servers/containers/{Guid.NewGuid()}/stop", null)).ProblemCodeAsync()).ShouldBe("container_not_found");
    }

    [Fact]
    public async Task An_extension_that_overtakes_the_activation_still_starts_the_relays()
    {
        var userId = Guid.NewGuid();
        var rental = factory.Rental(userId);
        await factory.SendAsync(new RentalExtended(rental.RentalId, userId, Guid.NewGuid(), rental.ExpiresAt, rental.ExpiresAt.AddDays(30), false, 100, "serial"));
        await factory.WaitForRunningAsync(userId);
        // The activation arriving late is stale: it changes nothing and starts nothing more.
        await factory.SendAsync(rental);
        await factory.SendAsync(new RentalExpired(rental.RentalId, userId, rental.ExpiresAt.AddMinutes(1)));
        await SweepAsync();
        (await factory.ContainersOfAsync(userId)).Count(c => c.State == ContainerStates.Running).ShouldBe(3, "an expiry older than the extension is ignored");
    }

    [Fact]
    public async Task Reconcilers_running_at_once_never_place_or_start_a_renters_relays_twice()
    {
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        // Several reconcilers (as on several replicas) race the loop that the delivery woke.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            factory.InScopeAsync(sp => sp.GetRequiredService<Reconciler>().RunDueAsync(CancellationToken.None))));
        await factory.WaitForRunningAsync(userId);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SweepAsync()));
        (await factory.ContainersOfAsync(userId)).Count.ShouldBe(3);
        using var engine = ServersApiFactory.Engine();
        var filters = Uri.EscapeDataString($"{{\"label\":[\"derp.renter={userId}\"]}}");
        (await engine.GetFromJsonAsync<List<JsonElement>>($"containers/json?all=true&filters={filters}"))!.Count.ShouldBe(3);
    }
}
